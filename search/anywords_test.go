package search

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// Plain words searched flat (anyWordsQuery) match, score and locate
// exactly what bleve's disjunction of match queries does: alone, under a
// boolean that sets its own query norm (NOT, facet clauses), filtered, in
// the whole relevance query, and in complete searches with facets, in
// parts and whole.
func TestAnyWordsMatchesBleve(t *testing.T) {
	ctx := context.Background()
	defer func(m uint64) { partMin = m }(partMin)
	partMin = 0 // the fixtures are searched in parts too
	ix := ingestInto(t, index.Options{BatchSize: 50}, fixtureArticles(t))
	flat := New(ix, Options{Parallel: 1})
	ref := New(ix, Options{Parallel: 1})
	ref.bleveWords = true
	stats, err := flat.bm25Stats()
	if err != nil {
		t.Fatal(err)
	}
	runStats := func(q query.Query) *bleve.SearchResult {
		t.Helper()
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		req.IncludeLocations = true
		req.PreSearchData = stats
		res, err := ix.Bleve().SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	queries := []string{
		"espionage", "arrested", "Iran plots", "counter terrorism police", "the", "far-right extremism",
		"police arrested two men", "zzzunknownword", "hacking -Iran", "security services warned", "spy OR spies",
		"Russian hackers election", "Iran nuclear talks -Israel", "terror plot arrests Germany", "hacking", "piracy Somalia",
		// phrases, typed or compounds, some with a repeated word
		`"security services" warned`, `"terror plot"`, "counter terrorism police", `"police police" arrested`,
		"foreign secretary warned", `"the plot" Iran`, "united nations sanctions",
	}
	used := 0
	var skipped, skips int64
	for _, q := range queries {
		rqFlat, err := flat.buildQuery(q, false, true)
		if err != nil {
			t.Fatal(err)
		}
		rqRef, err := ref.buildQuery(q, false, true)
		if err != nil {
			t.Fatal(err)
		}
		if uses(rqFlat.q) {
			used++
		}
		cases := map[string][2]query.Query{
			"relevance query": {rqRef.q, rqFlat.q},
			"match":           {rqRef.match, rqFlat.match},
			"under a boolean": {
				query.NewBooleanQuery([]query.Query{rqRef.match}, nil, []query.Query{query.NewMatchQuery("Russia")}),
				query.NewBooleanQuery([]query.Query{rqFlat.match}, nil, []query.Query{query.NewMatchQuery("Russia")}),
			},
			"with a facet clause": {
				optional(rqRef.match, []query.Query{weighted(topicTerm("terrorism"), 0.3)}),
				optional(rqFlat.match, []query.Query{weighted(topicTerm("terrorism"), 0.3)}),
			},
		}
		for name, c := range cases {
			want, got := runStats(c[0]), runStats(c[1])
			if w, g := describe(want), describe(got); w != g {
				t.Errorf("%q, %s:\n bleve %s\n  flat %s", q, name, w, g)
			}
			for k := range min(len(want.Hits), len(got.Hits)) {
				if w, g := want.Hits[k], got.Hits[k]; w.ID != g.ID || w.Score != g.Score {
					t.Errorf("%q, %s: hit %d is %s %v, bleve's %s %v", q, name, k, g.ID, g.Score, w.ID, w.Score)
					break
				}
			}
			if want.Total != got.Total || want.MaxScore != got.MaxScore {
				t.Errorf("%q, %s: total %d max %v, bleve %d max %v", q, name, got.Total, got.MaxScore, want.Total, want.MaxScore)
			}
		}
		// Pruned: the best matches are bleve's, with their scores and
		// locations, and so are the totals.
		for _, top := range []int{1, 3, 10} {
			if !rqFlat.flat {
				break // not plain words: the search does not prune
			}
			p := &pruning{top: top, bound: func(d *search.DocumentMatch, c int) float64 { return flat.rank.maxFactors(rqFlat, d, c) }}
			flat.skipping(rqFlat, p)
			want := runTop(t, ix.Bleve(), &rescoreQuery{q: rqRef.q, newFn: ref.scorer(rqRef)}, top, stats)
			got := runTop(t, ix.Bleve(), &rescoreQuery{q: rqFlat.q, newFn: flat.scorer(rqFlat), prune: p}, top, stats)
			if w, g := describeExact(want), describeExact(got); w != g {
				t.Errorf("%q, best %d, pruned:\n bleve %s\n  flat %s", q, top, w, g)
			}
			if want.Total != got.Total {
				t.Errorf("%q, best %d, pruned: total %d, bleve %d", q, top, got.Total, want.Total)
			}
			skipped += p.skipped.Load()
			skips += p.skips.Load()
		}
		for _, parallel := range []int{1, 2} {
			flat.opts.Parallel, ref.opts.Parallel = parallel, parallel
			// With facets every match is visited; without, matches
			// that cannot reach the page are skipped.
			for _, facets := range [][]string{{"country", "topic", "actor"}, nil} {
				for _, limit := range []int{1, 20} {
					req := Request{Query: q, Facets: facets, Limit: limit}
					want, err := ref.Search(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					got, err := flat.Search(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					if w, g := fmt.Sprint(want.Total, want.Hits, want.Facets), fmt.Sprint(got.Total, got.Hits, got.Facets); w != g {
						t.Errorf("%q in %d parts, facets %v, limit %d:\n bleve %s\n  flat %s", q, parallel, facets, limit, w, g)
					}
				}
			}
		}
	}
	t.Logf("%d of %d queries searched flat; %d matches pruned; %d searches skipped matches", used, len(queries), skipped, skips)
	if skipped == 0 {
		t.Fatal("no match was pruned: the test does not test pruning")
	}
	if skips == 0 {
		t.Fatal("no search skipped matches: the test does not test skipping")
	}
	if used < 5 {
		t.Fatalf("only %d of %d queries were searched flat: the test does not test much", used, len(queries))
	}
}

func topicTerm(v string) *query.TermQuery {
	q := query.NewTermQuery(v)
	q.SetField("topic")
	return q
}

// uses reports whether q holds an anyWordsQuery under the wrappers a
// relevance query has.
func uses(q query.Query) bool {
	switch x := q.(type) {
	case *anyWordsQuery:
		return true
	case *titleQuery:
		return uses(x.q)
	case *forwardQuery:
		return uses(x.q)
	case *query.BooleanQuery:
		return x.Must != nil && uses(x.Must)
	case *query.ConjunctionQuery:
		for _, c := range x.Conjuncts {
			if uses(c) {
				return true
			}
		}
	}
	return false
}

// runTop runs q for its best top matches, with locations, as a search
// does (with the index's BM25 statistics).
func runTop(t *testing.T, bi bleve.Index, q query.Query, top int, stats map[string]any) *bleve.SearchResult {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, top, 0, false)
	req.IncludeLocations = true
	req.PreSearchData = stats
	res, err := searchExact(context.Background(), bi, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// describeExact lists hits in rank order with their exact scores and
// sorted locations.
func describeExact(res *bleve.SearchResult) string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, fmt.Sprintf("%s %v %v", h.ID, h.Score, hitLocations(h)))
	}
	return fmt.Sprintf("max %v %v", res.MaxScore, out)
}

// Only plain match queries on the text are searched flat: anything else
// is left to bleve.
func TestAnyWordsTakesPlainWordsOnly(t *testing.T) {
	ix := ingestInto(t, index.Options{}, nil)
	s := New(ix, Options{})
	match := func(text string, set func(*query.MatchQuery)) query.Query {
		m := query.NewMatchQuery(text)
		m.SetField(index.FieldText)
		if set != nil {
			set(m)
		}
		return m
	}
	tests := []struct {
		name string
		q    query.Query
		flat bool
	}{
		{"plain", match("plots", nil), true},
		{"a word holding auto", match("automobile", nil), true},
		{"a compound", match("far-right", nil), true},
		{"boosted", match("plots", func(m *query.MatchQuery) { m.SetBoost(2) }), true},
		{"fuzzy", match("plots", func(m *query.MatchQuery) { m.SetFuzziness(1) }), false},
		{"auto fuzzy", match("plots", func(m *query.MatchQuery) { m.SetAutoFuzziness(true) }), false},
		{"prefix", match("plots", func(m *query.MatchQuery) { m.SetPrefix(2) }), false},
		{"all words", match("plots arrests", func(m *query.MatchQuery) { m.SetOperator(query.MatchQueryOperatorAnd) }), false},
		{"title", match("plots", func(m *query.MatchQuery) { m.SetField(index.FieldTitle) }), false},
		{"stop word only", match("the", nil), false},
		{"a term query", query.NewTermQuery("plot"), false},
		{"a phrase", newPhrase("terror plots", index.FieldText), true},
		{"a phrase of one word", newPhrase("the plots", index.FieldText), true},
		{"a phrase of stop words", newPhrase("to be", index.FieldText), false},
		{"a phrase on the title", newPhrase("terror plots", index.FieldTitle), false},
		{"a facet term, marked", &markedQuery{topicTerm("terrorism"), search.FieldTermLocation{Field: "topic", Term: "t"}}, true},
		{"a marked phrase", &markedQuery{newPhrase("terror plots", index.FieldText), search.FieldTermLocation{Field: "topic", Term: "t"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := s.anyWords(index.FieldText, []query.Query{match("iran", nil), tt.q}, nil)
			if ok != tt.flat {
				t.Errorf("flat %v, want %v", ok, tt.flat)
			}
		})
	}
}

// BenchmarkAnyWords compares plain words searched flat and pruned with the
// same searches through bleve's own searchers (their reference), on the
// fixtures or, with BRIEFSEARCH_BENCH_INDEX, on an index on disk.
func BenchmarkAnyWords(b *testing.B) {
	var ix *index.Index
	if path := os.Getenv("BRIEFSEARCH_BENCH_INDEX"); path != "" {
		var err error
		if ix, err = index.Open(context.Background(), index.Options{Path: path, ReadOnly: true}); err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
	} else {
		ix = ingestInto(b, index.Options{BatchSize: 50}, fixtureArticles(b))
	}
	queries := []string{"national human rights", "Iran plots", "UK terror laws", "security services warned"}
	for _, q := range queries {
		for _, way := range []string{"flat", "bleve"} {
			s := New(ix, Options{Parallel: 1})
			s.bleveWords = way == "bleve"
			b.Run(strings.ReplaceAll(q, " ", "-")+"/"+way, func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Search(context.Background(), Request{Query: q}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			})
		}
	}
}
