package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// BenchArticles returns the articles benchmarks ingest: the fixture corpus
// copied with suffixed ids (10 copies, about 2,400 paragraphs), or the file
// or directory named by BRIEFSEARCH_BENCH_CORPUS (e.g.
// ../shared/corpus/bbc_news_2004_2005.jsonl), read once.
func BenchArticles(tb testing.TB) []Article {
	tb.Helper()
	src := os.Getenv("BRIEFSEARCH_BENCH_CORPUS")
	copies := 10
	if src == "" {
		src = filepath.Join("..", "testdata", "corpus")
	} else {
		copies = 1
	}
	base, errs := ReadAll(src)
	if len(errs) > 0 || len(base) == 0 {
		tb.Fatalf("read %s: %d articles, errors %v", src, len(base), errs)
	}
	out := make([]Article, 0, len(base)*copies)
	for c := range copies {
		for _, a := range base {
			a.ID = fmt.Sprintf("%s~%d", a.ID, c)
			out = append(out, a)
		}
	}
	return out
}

// BenchmarkBaselineBleve is the baseline for BenchmarkIngest: the same
// chunks, already split and tagged, written straight into a bleve index
// with the same mapping and batch size, without records, counts or
// replacement. BenchmarkIngest / this = the cost of Briefsearch's own work.
func BenchmarkBaselineBleve(b *testing.B) {
	ix, err := Open(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var chunks []Chunk
	for _, a := range BenchArticles(b) {
		chunks = append(chunks, ix.Chunks(a)...)
	}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		bi, err := bleve.NewUsing(filepath.Join(b.TempDir(), fmt.Sprint(i)), newMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		batch := bi.NewBatch()
		for j, c := range chunks {
			doc, err := ix.chunkDoc(c)
			if err != nil {
				b.Fatal(err)
			}
			if err := batch.IndexAdvanced(doc); err != nil {
				b.Fatal(err)
			}
			if batch.Size() == DefaultBatchSize || j == len(chunks)-1 {
				if err := bi.Batch(batch); err != nil {
					b.Fatal(err)
				}
				batch = bi.NewBatch()
			}
		}
		b.StopTimer()
		if err := bi.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(chunks)*b.N)/b.Elapsed().Seconds(), "paragraphs/s")
}

// MakeLegacy turns ix into an index as schema 2 wrote it: each of these
// articles also has a record (with its metadata) in bleve's internal store.
func MakeLegacy(tb testing.TB, ix *Index, articles ...Article) {
	tb.Helper()
	batch := ix.b().NewBatch()
	for _, a := range articles {
		n := len(ix.Chunks(a))
		var terms int
		for _, ch := range ix.Chunks(a) {
			terms += CountTerms(ch.Text)
		}
		rec := record{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published.UTC(),
			Paragraphs: n, Counted: true, TextTerms: terms, TitleTerms: CountTerms(a.Title)}
		b, err := json.Marshal(rec)
		if err != nil {
			tb.Fatal(err)
		}
		batch.SetInternal(articleKey(a.ID), b)
	}
	batch.SetInternal(keySchema, []byte(legacySchema))
	if err := ix.b().Batch(batch); err != nil {
		tb.Fatal(err)
	}
}

// Schema returns the schema version the index holds.
func Schema(tb testing.TB, ix *Index) string {
	tb.Helper()
	v, err := ix.b().GetInternal(keySchema)
	if err != nil {
		tb.Fatal(err)
	}
	return string(v)
}

// HasRecord reports whether the index holds a schema 2 record for id.
func HasRecord(tb testing.TB, ix *Index, id string) bool {
	tb.Helper()
	v, err := ix.b().GetInternal(articleKey(id))
	if err != nil {
		tb.Fatal(err)
	}
	return len(v) > 0
}
