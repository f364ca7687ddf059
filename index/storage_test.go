package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
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
