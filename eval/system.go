package eval

import (
	"context"

	"github.com/briefsearch/briefsearch/search"
)

// System is a ranking under evaluation: it returns the ids of the k best
// paragraphs for a query, best first.
type System interface {
	Name() string
	Search(ctx context.Context, q Query, k int) ([]string, error)
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
func (b Briefsearch) Search(ctx context.Context, q Query, k int) ([]string, error) {
	res, err := b.Searcher.Search(ctx, search.Request{Query: q.Query, Limit: k})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// Condensed returns s with unjudged results dropped from its runs, so that
// a ranking can be compared with others between judging rounds without
// counting what nobody has judged as irrelevant (condensed lists, Sakai
// 2007). It asks s for more results to fill the depth. Report final
// figures without it.
func Condensed(s System, j Judgments) System { return condensed{s, j} }

type condensed struct {
	System
	j Judgments
}

func (c condensed) Search(ctx context.Context, q Query, k int) ([]string, error) {
	ids, err := c.System.Search(ctx, q, 5*k)
	if err != nil {
		return nil, err
	}
	out := ids[:0]
	for _, id := range ids {
		if _, ok := c.j.Grade(q.ID, id); ok {
			out = append(out, id)
		}
		if len(out) == k {
			break
		}
	}
	return out, nil
}
