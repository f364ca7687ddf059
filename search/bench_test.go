package search_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

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
		{"match-all-newest-filtered", search.Request{Sort: search.SortNewest, Country: []string{"Iran"}, Facets: []string{"country", "topic"}}},
		{"3-facets-by-article", search.Request{Query: "Iran plots", Facets: []string{"country", "actor", "topic"}, FacetCount: search.CountArticles}},
		{"group-by-article", search.Request{Query: "Iran plots", Group: search.GroupArticle}},
		{"histogram-month", search.Request{Query: "Iran plots", Facets: []string{"published"}}},
		{"boolean", search.Request{Query: "(Iran OR Tehran) AND (plot OR plots) NOT nuclear"}},
		{"proximity", search.Request{Query: `"iran plot"~5`}},
		{"recency", search.Request{Query: "Iran plots", Recency: 30 * 24 * time.Hour}},
		{"zero-hit", search.Request{Query: "vorlantic fesmidrane", Facets: []string{"country", "actor", "topic"}}},
		{"zero-hit-one-edit", search.Request{Query: "vorlant fesmidr", Facets: []string{"country", "actor", "topic"}}},
		{"zero-hit-no-typos", search.Request{Query: "vorlantic fesmidrane", Facets: []string{"country", "actor", "topic"}, NoTypos: true}},
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

// BenchmarkSearchDevQueries runs the 46 queries of the judged development
// set (testdata/relevance) on the index named by BRIEFSEARCH_BENCH_INDEX,
// top 10 with highlights and no facets, and reports the median and 95th
// percentile latency over all of them.
func BenchmarkSearchDevQueries(b *testing.B) {
	path := os.Getenv("BRIEFSEARCH_BENCH_INDEX")
	if path == "" {
		b.Skip("set BRIEFSEARCH_BENCH_INDEX to an index directory")
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "relevance", "queries.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	var set struct {
		Queries []struct {
			Query string `yaml:"query"`
		} `yaml:"queries"`
	}
	if err := yaml.Unmarshal(data, &set); err != nil {
		b.Fatal(err)
	}
	ix, err := index.Open(context.Background(), index.Options{Path: path, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	s := search.New(ix, search.Options{})
	ctx := context.Background()
	var took []time.Duration
	for b.Loop() {
		for _, q := range set.Queries {
			start := time.Now()
			if _, err := s.Search(ctx, search.Request{Query: q.Query}); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
