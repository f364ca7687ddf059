package search_test

import (
	"context"
	"os"
	"testing"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// BenchmarkSearch runs a two-word query with three facets and highlights
// over the fixture corpus, in process.
func BenchmarkSearch(b *testing.B) {
	benchRequests(b, fixtures(b))
}

// benchRequests runs representative requests as sub-benchmarks.
func benchRequests(b *testing.B, s *search.Searcher) {
	ctx := context.Background()
	cases := []struct {
		name string
		req  search.Request
	}{
		{"two-words-3-facets", search.Request{Query: "Iran plots", Facets: []string{"country", "actor", "topic"}}},
		{"filtered-multiselect", search.Request{Query: "Iran plots", Country: []string{"Iran"}, Topic: []string{"state-threats"}, Facets: []string{"country", "actor", "topic"}}},
		{"two-words-no-facets", search.Request{Query: "Iran plots"}},
		{"entity-words", search.Request{Query: "Russian hacking"}},
		{"alias-and-word", search.Request{Query: "ISIS recruitment"}},
		{"three-common-words", search.Request{Query: "UK terror laws", Facets: []string{"country", "actor", "topic"}}},
		{"match-all-newest", search.Request{Sort: search.SortNewest, Facets: []string{"country"}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, c.req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}

// BenchmarkSearchOnIndex runs the same requests on an existing on-disk
// index named by BRIEFSEARCH_BENCH_INDEX (e.g. one built with
// `briefsearch --index /tmp/big ingest ../shared/corpus`); skipped without it.
func BenchmarkSearchOnIndex(b *testing.B) {
	path := os.Getenv("BRIEFSEARCH_BENCH_INDEX")
	if path == "" {
		b.Skip("set BRIEFSEARCH_BENCH_INDEX to an index directory")
	}
	ix, err := index.Open(context.Background(), index.Options{Path: path, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	benchRequests(b, search.New(ix, search.Options{}))
}
