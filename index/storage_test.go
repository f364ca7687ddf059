package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/internal/testdisk"
)

// When the disk is full, an ingest fails with ErrStorage, everything
// acknowledged before stays readable, counts match the documents and
// searches go on.
func TestDiskFull(t *testing.T) {
	dir := testdisk.Small(t, "3m")
	ctx := context.Background()
	ix, err := Open(ctx, Options{Path: filepath.Join(dir, "idx")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	acked := map[string]int{} // id → paragraphs
	var failure error
	for i := 0; i < 10000 && failure == nil; i++ {
		id := fmt.Sprintf("f-%d", i)
		body := strings.Repeat(fmt.Sprintf("Paragraph %d about sanctions w%dx%d. ", i, i, i), 40) + "\n\n" + strings.Repeat(fmt.Sprintf("q%dz%d ", i, i), 200)
		a := Article{ID: id, Body: body}
		if _, err := ix.Ingest(ctx, a); err != nil {
			failure = err
		} else {
			acked[id] = len(ix.Chunks(a))
		}
	}
	if !errors.Is(failure, ErrStorage) {
		t.Fatalf("filling a 3 MB disk: %v, want ErrStorage", failure)
	}
	for id, want := range acked {
		if view, err := ix.Article(ctx, id); err != nil || len(view.Paragraphs) != want {
			t.Fatalf("acknowledged %s after the disk filled: %d paragraphs, %v; want %d", id, len(view.Paragraphs), err, want)
		}
	}
	st, err := ix.Stats(ctx)
	docs, derr := ix.Bleve().DocCount()
	if err != nil || derr != nil || int(docs) != st.Paragraphs || st.Articles < len(acked) {
		t.Errorf("after the failure: stats %+v (%v), %d documents (%v), %d acknowledged", st, err, docs, derr, len(acked))
	}
	res, err := ix.Bleve().Search(bleve.NewSearchRequest(query.NewMatchAllQuery()))
	if err != nil || res.Total == 0 {
		t.Errorf("search after the failure: %v", err)
	}
	if _, err := ix.Ingest(ctx, Article{ID: "more", Body: strings.Repeat("more text to write ", 5000)}); !errors.Is(err, ErrStorage) && err != nil {
		t.Errorf("another ingest on the full disk: %v, want ErrStorage or success", err)
	}
}

// A write the disk refuses as read-only is a storage failure like a full
// disk: ErrStorage, the index reopened from disk with every acknowledged
// article, and searches and later writes go on. (A tmpfs cannot be made
// read-only while the index holds its files open for writing, so the
// refusal is handed to the writer's failure path as the kernel gives it.)
func TestReadOnlyDiskRefusal(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "idx")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Ingest(ctx, Article{ID: "kept", Body: "Sanctions were imposed on the shipping network."}); err != nil {
		t.Fatal(err)
	}
	refusal := &fs.PathError{Op: "write", Path: "idx/store/000000000002.zap", Err: syscall.EROFS}
	ix.mu.Lock()
	err = ix.writeFailed("write batch", refusal)
	ix.mu.Unlock()
	if !errors.Is(err, ErrStorage) || !strings.Contains(err.Error(), "read-only file system") {
		t.Fatalf("a read-only refusal: %v, want ErrStorage saying so", err)
	}
	if view, err := ix.Article(ctx, "kept"); err != nil || len(view.Paragraphs) != 1 {
		t.Errorf("the acknowledged article after the refusal: %+v, %v", view, err)
	}
	res, err := ix.Bleve().Search(bleve.NewSearchRequest(query.NewMatchAllQuery()))
	if err != nil || res.Total != 1 {
		t.Errorf("search after the refusal: %v, %v", res, err)
	}
	if _, err := ix.Ingest(ctx, Article{ID: "later", Body: "The disk is writable again."}); err != nil {
		t.Errorf("ingest once the disk takes writes again: %v", err)
	}
	// Other write errors are not storage failures.
	ix.mu.Lock()
	err = ix.writeFailed("write batch", errors.New("some bug"))
	ix.mu.Unlock()
	if errors.Is(err, ErrStorage) {
		t.Errorf("an ordinary error classed as a storage failure: %v", err)
	}
}
