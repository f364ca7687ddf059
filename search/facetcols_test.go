package search

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/briefsearch/briefsearch/index"
)

// Facets counted from the columns equal bleve's own counts (doc values)
// for the same matches, on an index of many segments where some articles
// were replaced (their old paragraphs deleted in earlier segments), and
// after paragraphs are added to a segment of their own.
func TestFacetColumnsMatchBleve(t *testing.T) {
	ctx := context.Background()
	articles := fixtureArticles(t)
	// In memory, every batch stays a segment of its own.
	ix := ingestInto(t, index.Options{BatchSize: 20}, articles)
	// Replaced: their first versions stay in the earlier segments, deleted.
	replaced := articles[:len(articles)/3]
	for i := range replaced {
		replaced[i].Body = strings.ReplaceAll(replaced[i].Body, "Iran", "Russia")
	}
	if _, err := ix.Ingest(ctx, replaced...); err != nil {
		t.Fatal(err)
	}
	s := New(ix, Options{})
	adv, err := ix.Bleve().Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader is %T", r)
	}
	if n := len(snap.Segments()); n < 3 {
		t.Fatalf("%d segments, want several", n)
	}
	_ = r.Close()

	facets := []string{"country", "actor", "topic", "source", "actor_kind", "actor.agency", "actor.militant"}
	requests := []Request{
		{Query: "Iran plots"},
		{Query: "Russia"},
		{Query: "espionage arrest court"},
		{},
		{Query: "security", Country: []string{"United Kingdom"}},
		{Query: "attack", Topic: []string{"terrorism"}, ActorKind: []string{"agency"}},
		{Query: "zzzunknownzzz"},
	}
	for _, req := range requests {
		req.Facets, req.FacetSize = facets, 100
		rq, err := s.prepare(&req)
		if err != nil {
			t.Fatal(err)
		}
		for _, skip := range []string{"", "country", "topic"} {
			want := bleve.NewSearchRequestOptions(withFilter(rq.match, filterQuery(&req, skip)), 0, 0, false)
			want.Score = "none"
			for _, f := range facets {
				want.AddFacet(f, facetRequest(f, req.FacetSize))
			}
			wantRes, err := ix.Bleve().SearchInContext(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			counter := s.facetCounter(facets)
			got := bleve.NewSearchRequestOptions(&countQuery{withFilter(rq.match, filterQuery(&req, skip)), counter}, 0, 0, false)
			got.Score = "none"
			gotRes, err := ix.Bleve().SearchInContext(ctx, got)
			if err != nil {
				t.Fatal(err)
			}
			if gotRes.Total != wantRes.Total {
				t.Errorf("%q skip %q: total %d, want %d", req.Query, skip, gotRes.Total, wantRes.Total)
			}
			counts, err := counter.values(facets, req.FacetSize)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range facets {
				wantValues := facetValues([]*bleve.SearchResult{wantRes}, nil, f)
				if !reflect.DeepEqual(counts[f], wantValues) {
					t.Errorf("%q skip %q facet %s:\n got %v\nwant %v", req.Query, skip, f, counts[f], wantValues)
				}
			}
		}
	}
	// Through Search, with a page and ranking: the same counts.
	res, err := s.Search(ctx, Request{Query: "Iran plots", Facets: []string{"country", "actor"}, Country: []string{"Iran"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Facets["country"]) == 0 || len(res.Facets["actor"]) == 0 {
		t.Fatalf("facets %v", res.Facets)
	}
}

// topOf keeps what sorting every value and cutting would: for sizes from
// none to more than there are values, with many ties of count.
func TestTopOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		counts := map[string]int{}
		for range rng.IntN(300) {
			counts[fmt.Sprintf("v%03d", rng.IntN(500))] = 1 + rng.IntN(1+trial%20)
		}
		var want []FacetValue
		for v, n := range counts {
			want = append(want, FacetValue{Value: v, Count: n})
		}
		want2 := slices.Clone(want) // in the map's order
		slices.SortFunc(want, func(a, b FacetValue) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value)) })
		for _, size := range []int{0, 1, 3, 10, 50, 1000} {
			got := topOf(slices.Values(slices.Clone(want2)), size)
			if w := want[:min(size, len(want))]; !slices.Equal(got, w) && len(got)+len(w) > 0 {
				t.Fatalf("trial %d size %d:\n got %v\nwant %v", trial, size, got, w)
			}
		}
	}
}
