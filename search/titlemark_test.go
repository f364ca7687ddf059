package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// Title marks find, for every match, the same title terms as a clause on
// the title field does, and placed by titleLocations the same positions,
// on an index of several segments where some articles were replaced.
func TestTitleMarksMatchBleve(t *testing.T) {
	articles := fixtureArticles(t)
	ix := ingestInto(t, index.Options{BatchSize: 40}, articles)
	replaced := slices.Clone(articles[:len(articles)/4])
	for i := range replaced {
		replaced[i].Title = strings.ReplaceAll(replaced[i].Title, "Russia", "Iran") + " spies"
	}
	if _, err := ix.Ingest(t.Context(), replaced...); err != nil {
		t.Fatal(err)
	}
	s := New(ix, Options{})
	// Words from the titles, and a few that are not in any.
	var words []string
	for i, a := range articles {
		if f := strings.Fields(a.Title); i%3 == 0 && len(f) > 1 {
			words = append(words, f[0]+" "+f[len(f)-1], f[1])
		}
	}
	words = append(words, "Iran spies", "espionage arrested", "zzznowhere police")
	marked := 0
	for _, w := range words {
		var leaves, locators []query.Query
		var terms []string
		for _, word := range strings.Fields(w) {
			text := query.NewMatchQuery(word)
			text.SetField(index.FieldText)
			title := query.NewMatchQuery(word)
			title.SetField(index.FieldTitle)
			leaves, locators = append(leaves, text), append(locators, title)
			for _, tok := range s.analyzer.Analyze([]byte(word)) {
				terms = append(terms, string(tok.Term))
			}
		}
		// Every paragraph: the title of one that does not match the words
		// matters as much.
		match := query.NewMatchAllQuery()
		want := run(t, ix.Bleve(), optional(match, []query.Query{query.NewDisjunctionQuery(locators)}))
		got := run(t, ix.Bleve(), &titleQuery{match, terms})
		if len(want.Hits) != len(got.Hits) {
			t.Fatalf("%q: %d hits, want %d", w, len(got.Hits), len(want.Hits))
		}
		titles := map[string]string{}
		for _, a := range append(slices.Clone(articles), replaced...) {
			titles[a.ID] = a.Title
		}
		byID := map[string]string{}
		for _, h := range want.Hits {
			byID[h.ID] = titlePositions(h.Locations[index.FieldTitle])
		}
		for _, h := range got.Hits {
			locs := titleLocations(s.analyzer, titles[index.ArticleOf(h.ID)], h.Locations[index.FieldTitle])
			if g := titlePositions(locs); g != byID[h.ID] {
				t.Errorf("%q, %s (title %q): marks %s, want %s", w, h.ID, titles[index.ArticleOf(h.ID)], g, byID[h.ID])
			} else if g != "" {
				marked++
			}
		}
	}
	if marked < 50 {
		t.Fatalf("only %d paragraphs marked: the test does not test much", marked)
	}
}

// titlePositions lists term@position, sorted.
func titlePositions(locs bsearch.TermLocationMap) string {
	var out []string
	for term, ls := range locs {
		for _, l := range ls {
			out = append(out, fmt.Sprintf("%s@%d", term, l.Pos))
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}
