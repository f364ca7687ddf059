package search

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// The phrase query matches the same paragraphs as bleve's match phrase
// query, with the same scores and the same term locations, for phrases of
// two to four words cut from the fixtures (stop words inside, repeated
// words), the same words reversed (mostly no match) and the title field.
func TestPhraseMatchesBleve(t *testing.T) {
	ctx := context.Background()
	articles, errs := index.ReadAll(filepath.Join("..", "testdata", "corpus"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ix, err := index.Open(ctx, index.Options{BatchSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Ingest(ctx, articles...); err != nil {
		t.Fatal(err)
	}
	type probe struct{ text, field string }
	var probes []probe
	for i, a := range articles {
		words := strings.Fields(a.Body)
		for n := 2; n <= 4; n++ {
			at := (i * 7 * n) % max(1, len(words)-n)
			if len(words) < n {
				continue
			}
			ph := words[at : at+n]
			probes = append(probes, probe{strings.Join(ph, " "), index.FieldText})
			rev := slices.Clone(ph)
			slices.Reverse(rev)
			probes = append(probes, probe{strings.Join(rev, " "), index.FieldText})
		}
		if tw := strings.Fields(a.Title); len(tw) >= 2 {
			probes = append(probes, probe{strings.Join(tw[:2], " "), index.FieldTitle})
		}
	}
	probes = append(probes, probe{"ministry of defence", index.FieldText}, probe{"the the", index.FieldText},
		probe{"Iran Iran", index.FieldText}, probe{"of the", index.FieldText})
	matched := 0
	for _, p := range probes {
		want := query.NewMatchPhraseQuery(p.text)
		want.SetField(p.field)
		wr := run(t, ix.Bleve(), want)
		gr := run(t, ix.Bleve(), newPhrase(p.text, p.field))
		if w, g := describe(wr), describe(gr); w != g {
			t.Errorf("%s:%q:\n bleve %s\n  ours %s", p.field, p.text, w, g)
		}
		if len(wr.Hits) > 0 {
			matched++
		}
	}
	if matched < len(probes)/3 {
		t.Fatalf("only %d of %d probes matched: the test does not test much", matched, len(probes))
	}
}

func run(t *testing.T, bi bleve.Index, q query.Query) *bleve.SearchResult {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.IncludeLocations = true
	res, err := bi.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// describe lists hits by id with score and locations, in id order.
func describe(res *bleve.SearchResult) string {
	var out []string
	for _, h := range res.Hits {
		var locs []string
		for f, tlm := range h.Locations {
			for term, ls := range tlm {
				for _, l := range ls {
					locs = append(locs, fmt.Sprintf("%s:%s@%d", f, term, l.Pos))
				}
			}
		}
		slices.Sort(locs)
		locs = slices.Compact(locs)
		out = append(out, fmt.Sprintf("%s %.9f %v", h.ID, math.Round(h.Score*1e9)/1e9, locs))
	}
	slices.Sort(out)
	return fmt.Sprintf("%d hits %v", len(out), out)
}

// A search without words but with filters is answered from the filters
// alone (not a filter over every paragraph) with the same hits, order and
// scores as bleve's filtered match-all, in every sort.
func TestFiltersWithoutWords(t *testing.T) {
	ctx := context.Background()
	articles, errs := index.ReadAll(filepath.Join("..", "testdata", "corpus"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ix, err := index.Open(ctx, index.Options{BatchSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Ingest(ctx, articles...); err != nil {
		t.Fatal(err)
	}
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
