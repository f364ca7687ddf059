package search

import (
	"context"

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
}

// Searcher implements query.Query.
func (r *rescoreQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	child, err := r.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return &rescoreSearcher{child, r.newFn()}, nil
}

type rescoreSearcher struct {
	search.Searcher
	fn func(*search.DocumentMatch) float64
}

func (s *rescoreSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	if d != nil {
		d.Score = s.fn(d)
	}
	return d, err
}

func (s *rescoreSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	if d != nil {
		d.Score = s.fn(d)
	}
	return d, err
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
	return &rescoreSearcher{child, func(d *search.DocumentMatch) float64 {
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
	case *query.MatchPhraseQuery:
		x.SetBoost(x.Boost() * w)
		return x
	}
	scale := func(d *search.DocumentMatch) float64 { return d.Score * w }
	return &rescoreQuery{q, func() func(*search.DocumentMatch) float64 { return scale }}
}
