package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches the words of a phrase side by side, in order, on a
// text field (stop words the analyser drops leave their gap), and scores a
// match as bleve's phrase query does: the sum of its words' scores. bleve's
// own phrase searcher turns every candidate's term locations into maps to
// look for the phrase, which was most of the cost of a phrase of common
// words ("united nations" on the UN debates); this one checks the
// candidate's locations in place and keeps those of the phrase only (for
// the highlights and the ranking factors).
type phraseQuery struct{ textClause }

// newPhrase returns the phrase query for text on field.
func newPhrase(text, field string) *phraseQuery {
	return &phraseQuery{textClause{field: field, text: text}}
}

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	toks := q.tokens(m)
	if len(toks) == 0 {
		return searcher.NewMatchNoneSearcher(i)
	}
	// One term searcher per word of the phrase (a repeated word too, as
	// bleve's phrase searcher does, so that scores are the same).
	options.IncludeTermVectors = true
	terms := make([]string, len(toks))
	offsets := make([]uint64, len(toks))
	words := make([]search.Searcher, len(toks))
	for k, t := range toks {
		terms[k] = string(t.Term)
		offsets[k] = uint64(t.Position - toks[0].Position)
		ts, err := searcher.NewTermSearcher(ctx, i, terms[k], q.field, q.Boost(), options)
		if err != nil {
			for _, w := range words[:k] {
				_ = w.Close()
			}
			return nil, err
		}
		words[k] = ts
	}
	if len(words) == 1 {
		return words[0], nil
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, i, words, options)
	if err != nil {
		return nil, err
	}
	p := &phraseMatcher{field: q.field, terms: terms, offsets: offsets}
	return searcher.NewFilteringSearcher(ctx, conj, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return p.match(d)
	}), nil
}

// phraseMatcher finds a phrase in a candidate's term locations.
type phraseMatcher struct {
	field   string
	terms   []string
	offsets []uint64 // of each word's position from the first's
	keep    []bool   // scratch: the locations on a phrase
}

// match reports whether d holds the phrase and leaves in d only the
// locations of its occurrences (and those of other fields).
func (p *phraseMatcher) match(d *search.DocumentMatch) bool {
	if d.Locations != nil {
		// A child that completed its match: back to the list form.
		for f, tlm := range d.Locations {
			for term, locs := range tlm {
				for _, l := range locs {
					d.FieldTermLocations = append(d.FieldTermLocations, search.FieldTermLocation{Field: f, Term: term, Location: search.Location{Pos: l.Pos, Start: l.Start, End: l.End, ArrayPositions: l.ArrayPositions}})
				}
			}
		}
		d.Locations = nil
	}
	out, ok := p.filter(d.FieldTermLocations)
	if ok {
		d.FieldTermLocations = out
	}
	return ok
}

// filter returns the locations of the phrase's occurrences in locs, and
// those of other fields, in place, and false when locs hold none.
func (p *phraseMatcher) filter(locs []search.FieldTermLocation) ([]search.FieldTermLocation, bool) {
	p.keep = append(p.keep[:0], make([]bool, len(locs))...)
	found := false
	for a, first := range locs {
		if first.Field != p.field || first.Term != p.terms[0] {
			continue
		}
		ok := true
		for k := 1; k < len(p.terms) && ok; k++ {
			ok = p.find(locs, p.terms[k], first.Location.Pos+p.offsets[k]) >= 0
		}
		if !ok {
			continue
		}
		found = true
		p.keep[a] = true
		for k := 1; k < len(p.terms); k++ {
			p.keep[p.find(locs, p.terms[k], first.Location.Pos+p.offsets[k])] = true
		}
	}
	if !found {
		return locs, false
	}
	// Keep the phrase's locations, and those of other fields.
	out := locs[:0]
	for a, l := range locs {
		if p.keep[a] || l.Field != p.field {
			out = append(out, l)
		}
	}
	clear(locs[len(out):])
	return out, true
}

// find returns the index of term's location at pos on the phrase's field,
// or -1.
func (p *phraseMatcher) find(locs []search.FieldTermLocation, term string, pos uint64) int {
	for b, l := range locs {
		if l.Location.Pos == pos && l.Field == p.field && l.Term == term {
			return b
		}
	}
	return -1
}
