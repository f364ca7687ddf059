package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// similarTerms is how many of a paragraph's most distinctive terms a
// similar-paragraph search uses.
const similarTerms = 15

// Similar finds paragraphs like the paragraph with this id (more like
// this): its most distinctive terms (tf × idf, up to 15) and its countries
// and actors, searched like a query, with req's filters, scope, facets and
// paging. Paragraphs of the same article are left out unless sameArticle.
// Returns an error wrapping index.ErrNotFound if no paragraph has this id
// or it is outside req's scope, and ErrInvalid for a malformed req.
func (s *Searcher) Similar(ctx context.Context, id string, req Request, sameArticle bool) (*Response, error) {
	start := time.Now()
	req.Query = ""
	if err := req.normalise(s.opts); err != nil {
		return nil, err
	}
	s.canonicalFilters(&req)
	scoped := Request{Scope: req.Scope}
	src := bleve.NewSearchRequestOptions(withFilter(query.NewDocIDQuery([]string{id}), filterQuery(&scoped, "")), 1, 0, false)
	src.Fields = []string{index.FieldText, index.FieldCountry, index.FieldActor}
	res, err := s.ix.Bleve().SearchInContext(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("similar to %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("paragraph %q: %w", id, index.ErrNotFound)
	}
	h := res.Hits[0]

	// The paragraph's terms by tf × idf.
	tf := map[string]int{}
	for _, tok := range s.analyzer.Analyze([]byte(index.FieldString(h.Fields[index.FieldText]))) {
		if len(tok.Term) >= 3 {
			tf[string(tok.Term)]++
		}
	}
	r, err := s.reader()
	if err != nil {
		return nil, err
	}
	n, _ := r.DocCount()
	type weighted struct {
		term string
		w    float64
	}
	var terms []weighted
	for t, f := range tf {
		tfr, err := r.TermFieldReader(ctx, []byte(t), index.FieldText, false, false, false)
		if err != nil {
			continue
		}
		df := tfr.Count()
		tfr.Close()
		if df <= 1 { // this paragraph alone: nothing to find
			continue
		}
		terms = append(terms, weighted{t, float64(f) * math.Log(float64(n)/float64(df))})
	}
	r.Close()
	slices.SortFunc(terms, func(a, b weighted) int { return cmp.Compare(b.w, a.w) })
	terms = terms[:min(len(terms), similarTerms)]

	var should []query.Query
	for _, t := range terms {
		q := query.NewTermQuery(t.term)
		q.SetField(index.FieldText)
		should = append(should, q)
	}
	for _, f := range []string{index.FieldCountry, index.FieldActor} {
		for _, v := range index.FieldStrings(h.Fields[f]) {
			q := query.NewTermQuery(v)
			q.SetField(f)
			q.SetBoost(s.rank.Entity)
			should = append(should, q)
		}
	}
	if len(should) == 0 {
		return nil, fmt.Errorf("%w: paragraph %q has no distinctive terms to search for", ErrInvalid, id)
	}
	self := query.NewDocIDQuery([]string{id})
	not := []query.Query{self}
	if !sameArticle {
		article := query.NewTermQuery(articleOf(h.ID))
		article.SetField(index.FieldArticleID)
		not = append(not, article)
	}
	like := query.NewBooleanQuery(nil, []query.Query{query.NewDisjunctionQuery(should)}, not)
	req.Query = "like:" + id
	return s.run(ctx, req, &relevanceQuery{q: like, match: like, terms: map[string]int{}}, start, false)
}
