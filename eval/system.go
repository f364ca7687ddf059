package eval

import (
	"context"

	"github.com/briefsearch/briefsearch/search"
)

// System is a ranking under evaluation: it returns the ids of the k best
// paragraphs for a query, best first.
type System interface {
	Name() string
	Search(ctx context.Context, q string, k int) ([]string, error)
}

// Briefsearch evaluates a search.Searcher exactly as the API calls it: the
// query as typed, no filters, relevance order.
type Briefsearch struct {
	Label    string
	Searcher *search.Searcher
}

// Name returns the label.
func (b Briefsearch) Name() string { return b.Label }

// Search returns the ids of the top k hits.
func (b Briefsearch) Search(ctx context.Context, q string, k int) ([]string, error) {
	res, err := b.Searcher.Search(ctx, search.Request{Query: q, Limit: k})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}
