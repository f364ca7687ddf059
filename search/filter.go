package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// filteredQuery matches what q matches among what filter matches, scored,
// located and explained by q alone.
//
// bleve's boolean query with a filter visits every match of q, scoring it
// with its term locations, and only then asks the filter: a common word
// filtered to one small country scores tens of thousands of paragraphs to
// keep twenty. Here the two take turns to lead (as a conjunction does):
// each seeks the other's next match, so q is scored only where the filter
// matches, and the filter, which scores nothing, skips ahead of q.
type filteredQuery struct {
	q, filter query.Query
}

// Searcher implements query.Query.
func (f *filteredQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	qs, err := f.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	fs, err := f.filter.Searcher(ctx, i, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		_ = qs.Close()
		return nil, err
	}
	_, none := qs.(*searcher.MatchNoneSearcher)
	if _, ok := fs.(*searcher.MatchNoneSearcher); ok || none {
		_, _ = qs.Close(), fs.Close()
		return searcher.NewMatchNoneSearcher(i)
	}
	return &filteredSearcher{Searcher: qs, filter: fs}, nil
}

// filteredSearcher passes on the matches of its searcher that its filter
// also matches. Neither is ever asked to go back: the searcher seeks
// past its last match only, the filter to the searcher's.
type filteredSearcher struct {
	search.Searcher                       // the query's
	filter          search.Searcher       // scores nothing
	at              *search.DocumentMatch // the filter's current match
	started, done   bool                  // the filter has been read; it has no more
}

// Next implements search.Searcher.
func (f *filteredSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if f.done {
		return nil, nil
	}
	d, err := f.Searcher.Next(ctx)
	return f.agree(ctx, d, err)
}

// Advance implements search.Searcher.
func (f *filteredSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if f.done {
		return nil, nil
	}
	d, err := f.Searcher.Advance(ctx, id)
	return f.agree(ctx, d, err)
}

// agree returns d if the filter matches it, else the next match of the
// searcher the filter matches, seeking each to the other's match.
func (f *filteredSearcher) agree(ctx *search.SearchContext, d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for d != nil && err == nil {
		if !f.started || f.at.IndexInternalID.Compare(d.IndexInternalID) < 0 {
			if f.at != nil {
				ctx.DocumentMatchPool.Put(f.at)
			}
			f.started = true
			if f.at, err = f.filter.Advance(ctx, d.IndexInternalID); err != nil || f.at == nil {
				f.done = err == nil
				ctx.DocumentMatchPool.Put(d)
				return nil, err
			}
		}
		if f.at.IndexInternalID.Equals(d.IndexInternalID) {
			return d, nil
		}
		// The filter stands past d: seek the searcher there.
		ctx.DocumentMatchPool.Put(d)
		d, err = f.Searcher.Advance(ctx, f.at.IndexInternalID)
	}
	if d == nil && err == nil {
		f.done = true
	}
	return d, err
}

// Close implements search.Searcher.
func (f *filteredSearcher) Close() error {
	err := f.Searcher.Close()
	if ferr := f.filter.Close(); err == nil {
		err = ferr
	}
	return err
}

// Count implements search.Searcher: at most the fewer of the two.
func (f *filteredSearcher) Count() uint64 {
	return min(f.Searcher.Count(), f.filter.Count())
}

// Size implements search.Searcher.
func (f *filteredSearcher) Size() int {
	return f.Searcher.Size() + f.filter.Size()
}

// DocumentMatchPoolSize implements search.Searcher: the filter holds one
// match of its own besides what it uses to find it.
func (f *filteredSearcher) DocumentMatchPoolSize() int {
	return f.Searcher.DocumentMatchPoolSize() + f.filter.DocumentMatchPoolSize() + 1
}
