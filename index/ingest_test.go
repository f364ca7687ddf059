package index_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefsearch/briefsearch/index"
)

// An index written by schema 2 (a record per article in bleve's internal
// store) opens, reads, replaces and deletes its articles, and records
// schema 3 with its first ingest.
func TestLegacyRecords(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ix")
	old := []index.Article{article("a", "alpha one", "alpha two", "alpha three"), article("b", "beta one", "beta two")}
	old[0].URL, old[0].Published = "https://example.org/a", time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	ix, err := index.Open(ctx, index.Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Ingest(ctx, old...); err != nil {
		t.Fatal(err)
	}
	index.MakeLegacy(t, ix, old...)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix = open(t, index.Options{Path: dir})
	if got := index.Schema(t, ix); got != "2" {
		t.Fatalf("schema %q after MakeLegacy", got)
	}
	view, err := ix.Article(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if view.Title != "Title of a" || view.URL != "https://example.org/a" || !view.Published.Equal(old[0].Published) ||
		len(view.Paragraphs) != 3 || view.Paragraphs[2].Text != "alpha three" {
		t.Errorf("legacy article a: %+v", view)
	}

	// Replace a with fewer paragraphs: its third chunk and its record go.
	st, err := ix.Ingest(ctx, article("a", "gamma one", "gamma two"), article("c", "new one"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 || st.Replaced != 1 || st.Paragraphs != 3 {
		t.Errorf("ingest stats %+v", st)
	}
	if n, texts := count(t, ix, "a"); n != 2 || !strings.HasPrefix(texts[0], "gamma") {
		t.Errorf("a after replacing: %d chunks %q", n, texts)
	}
	if index.HasRecord(t, ix, "a") {
		t.Error("the record of the replaced article a is still there")
	}
	if got := index.Schema(t, ix); got != "3" {
		t.Errorf("schema %q after an ingest, want 3", got)
	}

	// Delete the legacy article b, then the new article c.
	for _, id := range []string{"b", "c"} {
		if err := ix.Delete(ctx, id); err != nil {
			t.Fatalf("delete %s: %v", id, err)
		}
		if n, _ := count(t, ix, id); n != 0 {
			t.Errorf("%s still has %d chunks", id, n)
		}
		if _, err := ix.Article(ctx, id); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("Article(%s) after delete: %v", id, err)
		}
	}
	if index.HasRecord(t, ix, "b") {
		t.Error("the record of the deleted article b is still there")
	}
	stats, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Articles != 1 || stats.Paragraphs != 2 {
		t.Errorf("stats %+v, want 1 article, 2 paragraphs", stats)
	}
	checkLengths(t, ix, article("a", "gamma one", "gamma two"))
}

// checkLengths checks that ix's average field lengths are those of a fresh
// index holding just these articles.
func checkLengths(t *testing.T, ix *index.Index, articles ...index.Article) {
	t.Helper()
	fresh := open(t, index.Options{})
	if _, err := fresh.Ingest(context.Background(), articles...); err != nil {
		t.Fatal(err)
	}
	want, err := fresh.Lengths()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Lengths()
	if err != nil {
		t.Fatal(err)
	}
	if got != want || got.Text == 0 || got.Title == 0 {
		t.Errorf("lengths %+v, want %+v", got, want)
	}
}

// Replacing and deleting articles keeps the counts as if the articles had
// been ingested once, whatever the batch boundaries.
func TestReplaceAcrossBatchesKeepsCounts(t *testing.T) {
	ctx := context.Background()
	for _, batch := range []int{1, 3, 1000} {
		t.Run(fmt.Sprint(batch), func(t *testing.T) {
			ix := open(t, index.Options{BatchSize: batch})
			var first, second []index.Article
			for i := range 20 {
				first = append(first, article(fmt.Sprint("n", i), "one paragraph here", "and another one"))
				second = append(second, article(fmt.Sprint("n", i), "a single paragraph now"))
			}
			if _, err := ix.Ingest(ctx, first...); err != nil {
				t.Fatal(err)
			}
			st, err := ix.Ingest(ctx, second[:10]...)
			if err != nil || st.Replaced != 10 || st.Paragraphs != 10 {
				t.Fatalf("replace: %+v %v", st, err)
			}
			if err := ix.Delete(ctx, "n15"); err != nil {
				t.Fatal(err)
			}
			stats, err := ix.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if stats.Articles != 19 || stats.Paragraphs != 10+2*9 {
				t.Errorf("stats %+v, want 19 articles, 28 paragraphs", stats)
			}
			final := append(second[:10:10], first[10:15]...)
			checkLengths(t, ix, append(final, first[16:]...)...)
		})
	}
}

// A cancelled context stops an ingest between batches without leaving its
// workers behind; what was acknowledged before stays.
func TestIngestCancelled(t *testing.T) {
	ix := open(t, index.Options{BatchSize: 2})
	var articles []index.Article
	for i := range 200 {
		articles = append(articles, article(fmt.Sprint("c", i), "some text about Iran", "and more text"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Ingest(ctx, articles...); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ingest: %v", err)
	}
	done := make(chan struct{})
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		defer close(done)
		st, err := ix.Ingest(ctx, articles...)
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("ingest: %v", err)
		}
		if err != nil && st.Articles == len(articles) {
			t.Errorf("cancelled, yet all articles reported: %+v", st)
		}
	}()
	time.Sleep(5 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a cancelled ingest did not return")
	}
	if _, err := ix.Ingest(context.Background(), articles[:3]...); err != nil {
		t.Fatalf("ingest after a cancelled one: %v", err)
	}
}

// The internal store (copied by scorch into every snapshot it persists)
// stays small however many articles are indexed.
func TestInternalStoreStaysSmall(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := index.Open(ctx, index.Options{Path: dir, BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	var articles []index.Article
	for i := range 2000 {
		a := article(fmt.Sprintf("article-with-a-longish-id-%05d", i), "text of the article")
		a.URL = fmt.Sprintf("https://example.org/a/long/path/to/article-%05d.html", i)
		articles = append(articles, a)
	}
	if _, err := ix.Ingest(ctx, articles...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "store", "root.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 1<<20 {
		t.Errorf("root.bolt is %d bytes after 2,000 articles", info.Size())
	}
}
