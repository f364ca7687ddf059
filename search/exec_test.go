package search

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// A search without words but with filters is answered from the filters
// alone (not a filter over every paragraph) with the same hits, order and
// scores as bleve's filtered match-all, in every sort.
func TestFiltersWithoutWords(t *testing.T) {
	articles := fixtureArticles(t)
	ix := ingestInto(t, index.Options{BatchSize: 50}, articles)
	for _, req := range []Request{
		{Country: []string{"Iran"}},
		{Country: []string{"Russia", "China"}, Topic: []string{"espionage"}},
		{Topic: []string{"terrorism"}, Sort: SortNewest},
		{Country: []string{"United Kingdom"}, Sort: SortOldest},
	} {
		filter := filterQuery(&req, "")
		if filter == nil {
			t.Fatalf("%+v: no filter", req)
		}
		old := query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, nil)
		old.AddFilter(filter)
		var hits [2]string
		for k, q := range []query.Query{old, withFilter(query.NewMatchAllQuery(), filter)} {
			r := bleve.NewSearchRequestOptions(q, 1000, 0, false)
			switch req.Sort {
			case SortNewest:
				r.SortBy([]string{"-" + index.FieldPublished, "-_score"})
			case SortOldest:
				r.SortBy([]string{index.FieldPublished, "-_score"})
			}
			res, err := ix.Bleve().Search(r)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, fmt.Sprintf("%s:%g", h.ID, h.Score))
			}
			hits[k] = fmt.Sprintf("%d %v", res.Total, ids)
		}
		if hits[0] != hits[1] {
			t.Errorf("%+v:\n filtered match-all %s\n  filters alone %s", req, hits[0], hits[1])
		}
		if !strings.Contains(hits[0], " ") || strings.HasPrefix(hits[0], "0 ") {
			t.Errorf("%+v: no hits", req)
		}
	}
}

// conceptLookup finds the same concepts as the maps it is built from, in
// both of its forms (compared one by one, or hashed past lookupSlice).
func TestConceptLookup(t *testing.T) {
	for _, n := range []int{0, 3, lookupSlice, lookupSlice + 1, 40} {
		terms, facets := map[string]int{}, map[string]int{}
		for i := range n {
			terms[fmt.Sprintf("term%d", i)] = i % 5
			facets[fmt.Sprintf("country\x00C%d", i)] = i % 3
		}
		l := newConceptLookup(terms, facets)
		for i := range n + 2 {
			tk, fk := fmt.Sprintf("term%d", i), fmt.Sprintf("country\x00C%d", i)
			wc, wok := terms[tk]
			if c, ok := l.term(tk); c != wc || ok != wok {
				t.Errorf("n=%d term(%q) = %d, %v; want %d, %v", n, tk, c, ok, wc, wok)
			}
			wc, wok = facets[fk]
			if c, ok := l.facet(fk); c != wc || ok != wok {
				t.Errorf("n=%d facet(%q) = %d, %v; want %d, %v", n, fk, c, ok, wc, wok)
			}
		}
	}
}
