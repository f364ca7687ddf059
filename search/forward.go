package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// optional returns a query that matches what must matches and adds the
// score (and term locations) of the should clauses a match also matches:
// bleve's boolean query with its should clauses kept from seeking back.
//
// bleve's boolean searcher, when advanced (by a conjunction with filters,
// or a search in parts), advances its should clauses to the target even
// when they already stand past it. A term reader asked to go back starts
// over, and in doing so recycles itself while still in use (bleve 2.6.3),
// so that a match of a should clause (a title word) could be lost: the
// score or the locations of a paragraph then depended on how it was
// reached. forwardQuery answers such a request from the match it stands on.
func optional(must query.Query, should []query.Query) query.Query {
	b := query.NewBooleanQuery([]query.Query{must}, should, nil)
	b.Should = &forwardQuery{b.Should}
	return b
}

// optionalParts returns the must clause and the should clauses of q when
// q is what optional returns.
func optionalParts(q query.Query) (query.Query, []query.Query, bool) {
	b, ok := q.(*query.BooleanQuery)
	if !ok || b.MustNot != nil || b.Filter != nil {
		return nil, nil, false
	}
	must, ok := b.Must.(*query.ConjunctionQuery)
	if !ok || len(must.Conjuncts) != 1 {
		return nil, nil, false
	}
	fwd, ok := b.Should.(*forwardQuery)
	if !ok {
		return nil, nil, false
	}
	should, ok := fwd.q.(*query.DisjunctionQuery)
	if !ok || should.Min != 0 {
		return nil, nil, false
	}
	return must.Conjuncts[0], should.Disjuncts, true
}

// forwardQuery wraps a query whose searcher is never asked to go back.
type forwardQuery struct{ q query.Query }

// Searcher implements query.Query.
func (f *forwardQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	child, err := f.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	if _, ok := child.(*searcher.MatchNoneSearcher); ok {
		return child, nil // the boolean query drops it
	}
	return &forwardSearcher{Searcher: child}, nil
}

// forwardSearcher keeps a copy of the last match its child returned and
// answers an Advance to or before it with that copy.
type forwardSearcher struct {
	search.Searcher
	last search.DocumentMatch
	has  bool // last holds a match
	done bool // the child has no more
}

// Next implements search.Searcher.
func (f *forwardSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if f.done {
		return nil, nil
	}
	d, err := f.Searcher.Next(ctx)
	f.keep(d, err)
	return d, err
}

// Advance implements search.Searcher.
func (f *forwardSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if f.done {
		return nil, nil
	}
	if f.has && f.last.IndexInternalID.Compare(id) >= 0 {
		d := ctx.DocumentMatchPool.Get()
		d.IndexInternalID = append(d.IndexInternalID[:0], f.last.IndexInternalID...)
		d.Score, d.Expl = f.last.Score, f.last.Expl
		d.FieldTermLocations = append(d.FieldTermLocations[:0], f.last.FieldTermLocations...)
		return d, nil
	}
	d, err := f.Searcher.Advance(ctx, id)
	f.keep(d, err)
	return d, err
}

func (f *forwardSearcher) keep(d *search.DocumentMatch, err error) {
	if err != nil {
		return
	}
	if d == nil {
		f.done, f.has = true, false
		return
	}
	f.has = true
	f.last.IndexInternalID = append(f.last.IndexInternalID[:0], d.IndexInternalID...)
	f.last.Score, f.last.Expl = d.Score, d.Expl
	f.last.FieldTermLocations = append(f.last.FieldTermLocations[:0], d.FieldTermLocations...)
}
