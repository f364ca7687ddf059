package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The units facets count (Request.FacetCount).
const (
	CountParagraphs = "paragraphs"
	CountArticles   = "articles"
)

// articleCounter is a query that matches what q matches and, for every
// match, records its article under each value of the fields: the facet
// counts by distinct article. It reads each match's id and doc values, so
// it costs time in proportion to the matches.
type articleCounter struct {
	q      query.Query
	fields []string

	mu sync.Mutex
	// articles[field][value] is the set of articles with that value.
	articles map[string]map[string]map[string]struct{}
}

// Searcher implements query.Query.
func (a *articleCounter) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	child, err := a.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	dvr, err := i.DocValueReader(a.fields)
	if err != nil {
		_ = child.Close()
		return nil, err
	}
	var article string
	visit := func(field string, term []byte) {
		values := a.articles[field]
		if values == nil {
			return
		}
		set := values[string(term)]
		if set == nil {
			set = map[string]struct{}{}
			values[string(term)] = set
		}
		set[article] = struct{}{}
	}
	fn := func(d *search.DocumentMatch) float64 {
		id, err := i.ExternalID(d.IndexInternalID)
		if err != nil {
			return d.Score
		}
		a.mu.Lock()
		article = articleOf(id)
		_ = dvr.VisitDocValues(d.IndexInternalID, visit)
		a.mu.Unlock()
		return d.Score
	}
	return &rescoreSearcher{Searcher: child, fn: fn}, nil
}

// countArticles counts the facets of req by distinct article: fields
// without a filter of their own in one pass over the matches, each other
// field in a pass without its own filter (multi-select, as for paragraph
// counts).
func (s *Searcher) countArticles(ctx context.Context, req *Request, rq *relevanceQuery, stats map[string]any) (map[string][]FacetValue, error) {
	passes := map[string][]string{} // skip field → fields counted
	for _, f := range req.Facets {
		if f == FacetPublished {
			continue
		}
		skip := ""
		if len(req.filter(f)) > 0 {
			skip = f
		}
		passes[skip] = append(passes[skip], f)
	}
	out := map[string][]FacetValue{}
	for skip, facets := range passes {
		field := func(f string) string { field, _ := valueField(f); return field }
		var fields []string
		for _, f := range facets {
			if !slices.Contains(fields, field(f)) {
				fields = append(fields, field(f))
			}
		}
		counter := &articleCounter{q: withFilter(rq.match, filterQuery(req, skip)), fields: fields,
			articles: map[string]map[string]map[string]struct{}{}}
		for _, f := range fields {
			counter.articles[f] = map[string]map[string]struct{}{}
		}
		sr := bleve.NewSearchRequestOptions(counter, 0, 0, false)
		sr.Score = "none"
		sr.PreSearchData = stats
		if _, err := s.ix.Bleve().SearchInContext(ctx, sr); err != nil {
			return nil, err
		}
		for _, f := range facets {
			_, prefix := valueField(f)
			values := make([]FacetValue, 0, len(counter.articles[field(f)]))
			for v, set := range counter.articles[field(f)] {
				if name, ok := strings.CutPrefix(v, prefix); ok {
					values = append(values, FacetValue{Value: name, Count: len(set)})
				}
			}
			slices.SortFunc(values, func(a, b FacetValue) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value)) })
			out[f] = values[:min(len(values), req.FacetSize)]
		}
	}
	return out, nil
}
