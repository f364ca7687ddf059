package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// A backup taken while ingests go on opens as an index holding whole
// articles only, with counts that match.
func TestBackupWhileIngesting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(ctx, Options{Path: filepath.Join(dir, "idx")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	articles := BenchArticles(t)
	if _, err := ix.Ingest(ctx, articles[:len(articles)/2]...); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, a := range articles[len(articles)/2:] {
			if _, err := ix.Ingest(ctx, a); err != nil {
				t.Error(err)
				return
			}
		}
	})
	st, err := ix.Backup(ctx, filepath.Join(dir, "copy"))
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes <= 0 {
		t.Errorf("backup of %d bytes", st.Bytes)
	}
	cp, err := Open(ctx, Options{Path: st.Dir, ReadOnly: true})
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	defer cp.Close()
	stats, err := cp.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := cp.Bleve().DocCount()
	if err != nil || int(n) != stats.Paragraphs || stats.Articles < len(articles)/2 {
		t.Fatalf("copy: %d documents, stats %+v (%v); want documents = paragraphs and at least the first half", n, stats, err)
	}
	for _, a := range articles[:len(articles)/2] {
		view, err := cp.Article(ctx, a.ID)
		if err != nil || len(view.Paragraphs) != len(ix.Chunks(a)) {
			t.Fatalf("copy: article %s: %d paragraphs, %v", a.ID, len(view.Paragraphs), err)
		}
	}
}

func TestBackupRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(ctx, Options{Path: filepath.Join(dir, "idx")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Backup(ctx, full); !errors.Is(err, ErrExists) {
		t.Errorf("backup into a non-empty directory: %v, want ErrExists", err)
	}
	if _, err := ix.Backup(ctx, filepath.Join(dir, "idx", "inside")); !errors.Is(err, ErrInvalid) {
		t.Errorf("backup inside the index: %v, want ErrInvalid", err)
	}
	mem, _ := Open(ctx, Options{})
	defer mem.Close()
	if _, err := mem.Backup(ctx, filepath.Join(dir, "m")); !errors.Is(err, ErrInvalid) {
		t.Errorf("backup of an in-memory index: %v, want ErrInvalid", err)
	}
}
