package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// BenchmarkIngest measures split + enrich + bleve indexing into an on-disk
// index with durable batches, as `briefsearch ingest` does.
func BenchmarkIngest(b *testing.B) {
	articles := index.BenchArticles(b)
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
		for start := 0; start < len(articles); start += 2000 {
			st, err := ix.Ingest(ctx, articles[start:min(start+2000, len(articles))]...)
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
	articles := index.BenchArticles(b)
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
