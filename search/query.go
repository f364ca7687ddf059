package search

import (
	"slices"
	"strings"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// queryFields are the fields that may be named in field:value syntax.
var queryFields = []string{
	index.FieldText, index.FieldTitle, index.FieldCountry, index.FieldActor,
	index.FieldTopic, index.FieldSource, index.FieldActorKind, index.FieldArticleID,
	index.FieldPublished, index.FieldParagraph,
}

// ParseQuery parses q in the query language (see search/lang and the
// README) into bleve queries on the paragraph text, as Search does before
// it groups plain words into concepts and resolves them to facet values
// (see Ranking): words and phrases without a field match the text, facet
// values are kept as typed, and when q is made of several optional words,
// paragraphs that match all of them get a bonus clause. An empty q matches
// everything. Errors are *QueryError values (with the character position)
// that wrap ErrInvalid.
func ParseQuery(q string) (query.Query, error) {
	if t := strings.TrimSpace(q); t == "" || t == "*" {
		return query.NewMatchAllQuery(), nil
	}
	c, err := compileQuery(nil, q)
	if err != nil {
		return nil, err
	}
	if c.plain != nil {
		b := query.NewBooleanQuery(nil, c.plain, c.not)
		addAllWordsBonus(b, DefaultRanking().AllWords)
		return b, nil
	}
	return c.q, nil
}

// addAllWordsBonus adds to the optional clauses of b one more clause that
// requires all of them, boosted by boost (none when boost is 0).
func addAllWordsBonus(b *query.BooleanQuery, boost float64) {
	should, ok := b.Should.(*query.DisjunctionQuery)
	if !ok || len(should.Disjuncts) < 2 || boost <= 0 {
		return
	}
	should.Disjuncts = append(should.Disjuncts, weighted(query.NewConjunctionQuery(slices.Clone(should.Disjuncts)), boost))
}

// filterQuery builds the non-scoring filter of a request: facet values
// (OR within a field, AND across fields) and the date range, and the
// request's scope, always. The request's own filter on the field named in
// skip is left out (multi-select facet counts); the scope's never is. It
// returns nil when nothing is filtered.
func filterQuery(r *Request, skip string) query.Query {
	skip = facetField(skip)
	parts := filterParts(r.filter, r.After, r.Before, skip)
	parts = append(parts, filterParts(r.Scope.filter, r.Scope.After, r.Scope.Before, "")...)
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return parts[0]
	}
	return query.NewConjunctionQuery(parts)
}

// filterParts returns one clause per filtered facet field (values from
// values, skip left out) and one for the date range.
func filterParts(values func(field string) []string, after, before time.Time, skip string) []query.Query {
	var parts []query.Query
	for _, field := range index.FacetFields {
		vs := values(field)
		if field == skip || len(vs) == 0 {
			continue
		}
		parts = append(parts, termsQuery(field, vs))
	}
	if !after.IsZero() || !before.IsZero() {
		parts = append(parts, publishedRange(after, before))
	}
	return parts
}

// withFilter combines a parsed query with a filter.
func withFilter(q, filter query.Query) query.Query {
	if filter == nil {
		return q
	}
	if _, ok := q.(*query.MatchAllQuery); ok {
		// Everything the filters pass: the filters alone, each match
		// scored as a match of everything is. A filter on match-all would
		// visit every paragraph of the index.
		one := func(*bsearch.DocumentMatch) float64 { return 1 }
		return &rescoreQuery{q: filter, newFn: func() func(*bsearch.DocumentMatch) float64 { return one }}
	}
	return &filteredQuery{q, filter}
}

// EndOfDay returns the last instant of t's day (UTC), for inclusive
// "before" bounds given as a date.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 23, 59, 59, 999999999, time.UTC)
}

// publishedRange matches publication dates from after to before, both
// inclusive; a zero time leaves that side open.
func publishedRange(after, before time.Time) query.Query {
	return dateRange(index.FieldPublished, after, before)
}
