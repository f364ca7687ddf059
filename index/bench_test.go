package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// benchArticles returns the articles to ingest: the fixture corpus copied
// with suffixed ids to at least ~2,400 paragraphs, or the file or directory
// named by BRIEFSEARCH_BENCH_CORPUS (e.g. ../shared/corpus/bbc_news_2004_2005.jsonl).
func benchArticles(b *testing.B) []index.Article {
	b.Helper()
	src := os.Getenv("BRIEFSEARCH_BENCH_CORPUS")
	copies := 10
	if src == "" {
		src = filepath.Join("..", "testdata", "corpus")
	} else {
		copies = 1
	}
	base, errs := index.ReadAll(src)
	if len(errs) > 0 || len(base) == 0 {
		b.Fatalf("read %s: %d articles, errors %v", src, len(base), errs)
	}
	out := make([]index.Article, 0, len(base)*copies)
	for c := range copies {
		for _, a := range base {
			a.ID = fmt.Sprintf("%s~%d", a.ID, c)
			out = append(out, a)
		}
	}
	return out
}

// BenchmarkIngest measures split + enrich + bleve indexing into an on-disk
// index with durable batches, as `briefsearch ingest` does.
func BenchmarkIngest(b *testing.B) {
	articles := benchArticles(b)
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	paragraphs := 0
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		ix, err := index.Open(ctx, index.Options{Path: filepath.Join(b.TempDir(), fmt.Sprint(i)), Tagger: tagger})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for start := 0; start < len(articles); start += 500 {
			st, err := ix.Ingest(ctx, articles[start:min(start+500, len(articles))]...)
			if err != nil {
				b.Fatal(err)
			}
			paragraphs += st.Paragraphs
		}
		b.StopTimer()
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(paragraphs)/b.Elapsed().Seconds(), "paragraphs/s")
	b.ReportMetric(float64(paragraphs)/float64(b.N), "paragraphs/op")
}

// BenchmarkChunks measures split + enrich alone, without bleve.
func BenchmarkChunks(b *testing.B) {
	articles := benchArticles(b)
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	paragraphs := 0
	b.ResetTimer()
	for range b.N {
		for _, a := range articles {
			paragraphs += len(ix.Chunks(a))
		}
	}
	b.ReportMetric(float64(paragraphs)/b.Elapsed().Seconds(), "paragraphs/s")
}
