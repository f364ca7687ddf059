package search

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	vregexp "github.com/blevesearch/vellum/regexp"

	"github.com/briefsearch/briefsearch/index"
)

// queryFields are the fields that may be named in field:value syntax.
var queryFields = []string{
	index.FieldText, index.FieldTitle, index.FieldCountry, index.FieldActor,
	index.FieldTopic, index.FieldSource, index.FieldArticleID,
	index.FieldPublished, index.FieldParagraph,
}

// ParseQuery parses q (bleve query-string syntax) into a bleve query on the
// paragraph text, as Search does before it groups plain words into
// concepts and resolves them to facet values (see Ranking): words and
// phrases without a field must match the text, and when q has several
// optional clauses, paragraphs that match all of them get a bonus clause.
// An empty q matches everything. Returns an error wrapping ErrInvalid for a
// malformed q or an unknown field.
func ParseQuery(q string) (query.Query, error) {
	if t := strings.TrimSpace(q); t == "" || t == "*" {
		return query.NewMatchAllQuery(), nil
	}
	text, err := parseInto(q, index.FieldText)
	if err != nil {
		return nil, err
	}
	if b, ok := text.(*query.BooleanQuery); ok {
		addAllWordsBonus(b, DefaultRanking().AllWords)
	}
	return text, nil
}

// parseInto parses q and points its field-less clauses at field.
func parseInto(q, field string) (query.Query, error) {
	parsed, err := query.NewQueryStringQuery(q).Parse()
	if err != nil {
		return nil, fmt.Errorf("%w: query %q: %s", ErrInvalid, q, cleanParseError(err))
	}
	if err := setFields(parsed, field); err != nil {
		return nil, err
	}
	return parsed, nil
}

// cleanParseError turns bleve's parser message into one line.
func cleanParseError(err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	msg = strings.TrimPrefix(msg, "parse error: ")
	if strings.Contains(msg, "syntax error") || strings.Contains(msg, "unterminated") {
		return "syntax error (check for unbalanced quotes or a dangling operator): " + msg
	}
	return msg
}

// children returns the sub-queries of a compound query.
func children(q query.Query) []query.Query {
	switch x := q.(type) {
	case *query.BooleanQuery:
		var out []query.Query
		for _, c := range []query.Query{x.Must, x.Should, x.MustNot} {
			if c != nil {
				out = append(out, c)
			}
		}
		return out
	case *query.ConjunctionQuery:
		return x.Conjuncts
	case *query.DisjunctionQuery:
		return x.Disjuncts
	}
	return nil
}

// setFields walks a parsed query: it checks the fields named in it and
// points field-less clauses at field.
func setFields(q query.Query, field string) error {
	if err := checkLeaf(q); err != nil {
		return err
	}
	if f, ok := q.(query.FieldableQuery); ok {
		switch name := f.Field(); {
		case name == "":
			f.SetField(field)
		case !slices.Contains(queryFields, name):
			return fmt.Errorf("%w: unknown field %q in query (fields: %s)",
				ErrInvalid, name, strings.Join(queryFields, ", "))
		}
		return nil
	}
	for _, c := range children(q) {
		if err := setFields(c, field); err != nil {
			return err
		}
	}
	return nil
}

// minWildcardPrefix is the shortest literal prefix a wildcard may have.
const minWildcardPrefix = 2

// checkLeaf rejects what bleve would only refuse while searching
// (fuzziness above its maximum, regular expressions that do not parse) and
// wildcards too broad to run on a large index.
func checkLeaf(q query.Query) error {
	fuzziness, term := 0, ""
	switch x := q.(type) {
	case *query.MatchQuery:
		fuzziness, term = x.Fuzziness, x.Match
	case *query.FuzzyQuery:
		fuzziness, term = x.Fuzziness, x.Term
	case *query.WildcardQuery:
		// A wildcard expands to every matching term of the index: without
		// a literal prefix it visits the whole term dictionary.
		if i := strings.IndexAny(x.Wildcard, "*?"); i < minWildcardPrefix {
			return fmt.Errorf("%w: wildcard %q needs at least %d letters before * or ? (e.g. spy*)",
				ErrInvalid, x.Wildcard, minWildcardPrefix)
		}
	case *query.RegexpQuery:
		// As scorch compiles it: Go syntax, then vellum's automaton.
		parsed, err := syntax.Parse(x.Regexp, syntax.Perl)
		if err == nil {
			_, err = vregexp.NewParsedWithLimit(x.Regexp, parsed, vregexp.DefaultLimit)
		}
		if err != nil {
			return fmt.Errorf("%w: regular expression /%s/: %v", ErrInvalid, x.Regexp, err)
		}
	}
	if fuzziness > searcher.MaxFuzziness || fuzziness < 0 {
		return fmt.Errorf("%w: fuzziness %d in %q: want 0..%d (e.g. %s~1)",
			ErrInvalid, fuzziness, term, searcher.MaxFuzziness, term)
	}
	return nil
}

// collectInField returns the word and phrase clauses under q whose field
// is field (the positive clauses of the title parse).
func collectInField(q query.Query, field string) []query.Query {
	if q == nil {
		return nil
	}
	switch x := q.(type) {
	case *query.MatchQuery, *query.MatchPhraseQuery, *query.WildcardQuery, *query.RegexpQuery, *query.FuzzyQuery:
		if x.(query.FieldableQuery).Field() == field {
			return []query.Query{x}
		}
		return nil
	}
	var out []query.Query
	for _, c := range children(q) {
		out = append(out, collectInField(c, field)...)
	}
	return out
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
		terms := make([]query.Query, 0, len(vs))
		for _, v := range vs {
			t := query.NewTermQuery(v)
			t.SetField(field)
			terms = append(terms, t)
		}
		if len(terms) == 1 {
			parts = append(parts, terms[0])
		} else {
			parts = append(parts, query.NewDisjunctionQuery(terms))
		}
	}
	if !after.IsZero() || !before.IsZero() {
		inclusive := true
		var startIncl, endIncl *bool
		if !after.IsZero() {
			startIncl = &inclusive
		}
		if !before.IsZero() {
			endIncl = &inclusive
		}
		dr := query.NewDateRangeInclusiveQuery(after, before, startIncl, endIncl)
		dr.SetField(index.FieldPublished)
		parts = append(parts, dr)
	}
	return parts
}

// withFilter combines a parsed query with a filter.
func withFilter(q, filter query.Query) query.Query {
	if filter == nil {
		return q
	}
	b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
	b.AddFilter(filter)
	return b
}

// EndOfDay returns the last instant of t's day (UTC), for inclusive
// "before" bounds given as a date.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 23, 59, 59, 999999999, time.UTC)
}
