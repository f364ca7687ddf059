package search

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// The phrase query matches the same paragraphs as bleve's match phrase
// query, with the same scores and the same term locations, for phrases of
// two to four words cut from the fixtures (stop words inside, repeated
// words), the same words reversed (mostly no match) and the title field.
func TestPhraseMatchesBleve(t *testing.T) {
	articles := fixtureArticles(t)
	ix := ingestInto(t, index.Options{BatchSize: 50}, articles)
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
	return runTop(t, bi, q, 1000, nil)
}

// describe lists hits by id with score and locations, in id order.
func describe(res *bleve.SearchResult) string {
	var out []string
	for _, h := range res.Hits {
		locs := slices.Compact(hitLocations(h))
		out = append(out, fmt.Sprintf("%s %.9f %v", h.ID, math.Round(h.Score*1e9)/1e9, locs))
	}
	slices.Sort(out)
	return fmt.Sprintf("%d hits %v", len(out), out)
}

// hitLocations lists a hit's term locations as field:term@position,
// sorted.
func hitLocations(h *search.DocumentMatch) []string {
	var locs []string
	for f, tlm := range h.Locations {
		for term, ls := range tlm {
			for _, l := range ls {
				locs = append(locs, fmt.Sprintf("%s:%s@%d", f, term, l.Pos))
			}
		}
	}
	slices.Sort(locs)
	return locs
}
