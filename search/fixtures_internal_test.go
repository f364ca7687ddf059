package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/briefsearch/briefsearch/index"
)

// fixtureArticles reads the fixture corpus.
func fixtureArticles(t testing.TB) []index.Article {
	t.Helper()
	articles, errs := index.ReadAll(filepath.Join("..", "testdata", "corpus"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return articles
}

// ingestInto opens an index with opts (in memory when opts.Path is
// empty: every batch of batchSize chunks stays a segment of its own),
// ingests articles and closes it when the test ends.
func ingestInto(t testing.TB, opts index.Options, articles []index.Article) *index.Index {
	t.Helper()
	ix, err := index.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Ingest(context.Background(), articles...); err != nil {
		t.Fatal(err)
	}
	return ix
}
