package search_test

import (
	"context"
	"testing"

	"github.com/briefsearch/briefsearch/search"
)

// BenchmarkSearch runs a two-word query with three facets and highlights
// over the fixture corpus, in process.
func BenchmarkSearch(b *testing.B) {
	s := fixtures(b)
	ctx := context.Background()
	cases := []struct {
		name string
		req  search.Request
	}{
		{"two-words-3-facets", search.Request{Query: "Iran plots", Facets: []string{"country", "actor", "topic"}}},
		{"filtered-multiselect", search.Request{Query: "Iran plots", Country: []string{"Iran"}, Topic: []string{"state-threats"}, Facets: []string{"country", "actor", "topic"}}},
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
