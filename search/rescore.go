package search

import (
	"context"
	"math/bits"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// rescoreQuery wraps a query and rewrites the score of each match with a
// function from newFn (one per searcher built), which sees the match's
// score and term locations. Unlike bleve's CustomScoreQuery it loads
// nothing per match (no document id, no doc values), so it costs one call
// per candidate.
type rescoreQuery struct {
	q     query.Query
	newFn func() func(*search.DocumentMatch) float64
	// scale, when not 0, says that the function multiplies the score by
	// it and does nothing else (weighted).
	scale float64
	// prune, when set, keeps the best scores the function gives for the
	// plain words below it (anyWordsQuery), which then skip the term
	// locations of matches that cannot reach them (see topScores).
	prune *pruning
}

// Searcher implements query.Query.
func (r *rescoreQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	var top *topScores
	if r.prune != nil && options.IncludeTermVectors && options.Score != "none" {
		top = newTopScores(r.prune)
		ctx = context.WithValue(ctx, topScoresKey{}, top)
	}
	child, err := r.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return &rescoreSearcher{child, r.newFn(), top}, nil
}

type rescoreSearcher struct {
	search.Searcher
	fn  func(*search.DocumentMatch) float64
	top *topScores // nil unless pruning
}

func (s *rescoreSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	return s.rescore(d, err)
}

// Close implements search.Searcher.
func (s *rescoreSearcher) Close() error {
	s.top.done()
	return s.Searcher.Close()
}

// rescore reads d's locations when pruning lets it, and gives d its score.
func (s *rescoreSearcher) rescore(d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if d == nil || err != nil {
		return d, err
	}
	if err := s.top.locate(d); err != nil {
		return nil, err
	}
	d.Score = s.fn(d)
	s.top.add(d.Score)
	return d, nil
}

func (s *rescoreSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	return s.rescore(d, err)
}

// markedQuery wraps a query on a field without term vectors (a facet) and
// records each of its matches as a location of its term, so that the
// scorer sees which facet values a paragraph matched.
type markedQuery struct {
	q    query.Query
	mark search.FieldTermLocation
}

// Searcher implements query.Query.
func (m *markedQuery) Searcher(ctx context.Context, i bindex.IndexReader, mp mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	child, err := m.q.Searcher(ctx, i, mp, options)
	if err != nil {
		return nil, err
	}
	mark := m.mark
	return &rescoreSearcher{Searcher: child, fn: func(d *search.DocumentMatch) float64 {
		d.FieldTermLocations = append(d.FieldTermLocations, mark)
		return d.Score
	}}, nil
}

// weighted returns q with its score multiplied by w. bleve honours the
// boost of leaf queries but ignores it on conjunctions and disjunctions, so
// those are wrapped.
func weighted(q query.Query, w float64) query.Query {
	switch x := q.(type) {
	case *query.TermQuery:
		x.SetBoost(x.Boost() * w)
		return x
	case *phraseQuery:
		x.SetBoost(x.Boost() * w)
		return x
	}
	scale := func(d *search.DocumentMatch) float64 { return d.Score * w }
	return &rescoreQuery{q: q, newFn: func() func(*search.DocumentMatch) float64 { return scale }, scale: w}
}

// sumQuery matches what any of its alternatives matches and scores a match
// with the sum of the alternatives it matched. bleve's disjunction would
// multiply that sum by the share of alternatives matched, so that a
// concept with aliases would weigh its typed word at half, and a paragraph
// that names an entity two ways (Lebanon and Lebanese) would count twice
// over one that names it once.
type sumQuery struct {
	alts []query.Query
	mark string // the field of the markers its alternatives leave
}

// Searcher implements query.Query.
func (q *sumQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	marked := make([]query.Query, len(q.alts))
	for k, a := range q.alts {
		marked[k] = &markedQuery{a, search.FieldTermLocation{Field: q.mark, Term: strconv.Itoa(k)}}
	}
	child, err := query.NewDisjunctionQuery(marked).Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	n, field := float64(len(q.alts)), q.mark
	return &rescoreSearcher{Searcher: child, fn: func(d *search.DocumentMatch) float64 {
		var matched uint64
		for _, l := range d.FieldTermLocations {
			if l.Field == field {
				k, _ := strconv.Atoi(l.Term)
				matched |= 1 << (k & 63)
			}
		}
		d.FieldTermLocations = slices.DeleteFunc(d.FieldTermLocations, func(l search.FieldTermLocation) bool { return l.Field == field })
		if c := bits.OnesCount64(matched); c > 0 {
			return d.Score * n / float64(c)
		}
		return d.Score
	}}, nil
}
