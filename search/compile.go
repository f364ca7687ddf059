package search

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2/search/query"
	vregexp "github.com/blevesearch/vellum/regexp"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
	"github.com/briefsearch/briefsearch/search/lang"
)

// QueryError is a query that cannot be run: a syntax error, or a clause
// that parses but cannot be searched (a date that is not one, a wildcard
// without a prefix), at a character offset of the query. It wraps
// ErrInvalid; the HTTP API answers it as a 400 with the position.
type QueryError struct {
	// Pos is the offset in characters (Unicode code points, from 0) of the
	// query where the problem is.
	Pos int
	// Msg says what is wrong and, for a syntax error, what was expected.
	Msg string
}

// Error returns `invalid request: query: <what> at <position>`.
func (e *QueryError) Error() string {
	return fmt.Sprintf("%v: query: %s at %d", ErrInvalid, e.Msg, e.Pos)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *QueryError) Unwrap() error { return ErrInvalid }

func queryErrorf(pos int, format string, args ...any) error {
	return &QueryError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// textFields are the analysed fields: words there are stemmed.
func isTextField(f string) bool { return f == "" || f == index.FieldText || f == index.FieldTitle }

// compiled is a query in the query language as bleve queries.
type compiled struct {
	q query.Query
	// plain holds the optional word and phrase clauses on the text of a
	// query made of nothing else ("Russian hacking", "nerve agent"
	// Salisbury), with any excluded clauses in not; nil otherwise.
	plain []query.Query
	not   []query.Query
	// leaves are the positive word and phrase clauses on the text, for
	// the ranking factors.
	leaves []query.Query
}

// compiler turns the query language's tree into bleve queries.
type compiler struct {
	// s resolves facet values through the gazetteers and the index's
	// values; nil keeps them as typed.
	s *Searcher
	// leaves collects the positive text clauses.
	leaves []query.Query
}

// compileQuery parses q in the query language (search/lang) and compiles
// it; s resolves facet values (nil keeps them as typed).
func compileQuery(s *Searcher, q string) (*compiled, error) {
	tree, err := lang.Parse(q, lang.Options{Fields: queryFields})
	if err != nil {
		var le *lang.Error
		if errors.As(err, &le) {
			return nil, &QueryError{Pos: le.Pos, Msg: le.Msg}
		}
		return nil, fmt.Errorf("%w: q: %v", ErrInvalid, err)
	}
	c := &compiler{s: s}
	if plain, ok := plainShould(tree); ok {
		out := &compiled{}
		for _, n := range plain {
			leaf, err := c.node(n, true)
			if err != nil {
				return nil, err
			}
			out.plain = append(out.plain, leaf)
		}
		for _, n := range tree.MustNot {
			leaf, err := c.node(n, false)
			if err != nil {
				return nil, err
			}
			out.not = append(out.not, leaf)
		}
		out.q = query.NewBooleanQuery(nil, out.plain, out.not)
		out.leaves = c.leaves
		return out, nil
	}
	bq, err := c.node(tree, true)
	if err != nil {
		return nil, err
	}
	return &compiled{q: bq, leaves: c.leaves}, nil
}

// plainShould returns the optional clauses of a query made of plain words
// and phrases on the text (and any excluded clauses), or false.
func plainShould(b *lang.Bool) ([]lang.Node, bool) {
	if len(b.Must) > 0 || len(b.Should) == 0 || b.Boost != 0 {
		return nil, false
	}
	for _, n := range b.Should {
		switch x := n.(type) {
		case *lang.Term:
			if (x.Field != "" && x.Field != index.FieldText) || x.Wildcard || x.Fuzzy != 0 || x.Boost != 0 {
				return nil, false
			}
		case *lang.Phrase:
			if (x.Field != "" && x.Field != index.FieldText) || x.Slop != 0 || x.Boost != 0 {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return b.Should, true
}

// node compiles one node; positive is false under an exclusion.
func (c *compiler) node(n lang.Node, positive bool) (query.Query, error) {
	switch x := n.(type) {
	case *lang.Bool:
		return c.boolean(x, positive)
	case *lang.Term:
		return c.term(x, positive)
	case *lang.Phrase:
		return c.phrase(x, positive)
	case *lang.Regexp:
		return c.regexp(x)
	case *lang.Range:
		return c.rangeQuery(x)
	}
	return nil, fmt.Errorf("search: unknown query node %T", n)
}

func (c *compiler) boolean(b *lang.Bool, positive bool) (query.Query, error) {
	list := func(nodes []lang.Node, pos bool) ([]query.Query, error) {
		var out []query.Query
		for _, n := range nodes {
			q, err := c.node(n, pos)
			if err != nil {
				return nil, err
			}
			out = append(out, q)
		}
		return out, nil
	}
	must, err := list(b.Must, positive)
	if err != nil {
		return nil, err
	}
	should, err := list(b.Should, positive)
	if err != nil {
		return nil, err
	}
	not, err := list(b.MustNot, !positive)
	if err != nil {
		return nil, err
	}
	var q query.Query
	switch {
	case len(must) == 1 && len(should) == 0 && len(not) == 0:
		q = must[0]
	case len(must) == 0 && len(should) == 1 && len(not) == 0:
		q = should[0]
	default:
		b := query.NewBooleanQuery(must, should, not)
		if len(must) > 0 && len(should) > 0 {
			b.Should = &forwardQuery{b.Should} // see optional
		}
		q = b
	}
	return boosted(q, b.Boost), nil
}

// boosted multiplies q's score by boost (none when 0 or 1).
func boosted(q query.Query, boost float64) query.Query {
	if boost == 0 || boost == 1 {
		return q
	}
	if b, ok := q.(query.BoostableQuery); ok {
		switch q.(type) {
		case *query.MatchQuery, *phraseQuery, *query.TermQuery, *query.RegexpQuery,
			*query.WildcardQuery, *query.FuzzyQuery, *nearQuery:
			b.SetBoost(boost)
			return q
		}
	}
	return weighted(q, boost)
}

func (c *compiler) term(t *lang.Term, positive bool) (query.Query, error) {
	switch {
	case isTextField(t.Field):
		field := t.Field
		if field == "" {
			field = index.FieldText
		}
		if t.Wildcard {
			return c.wildcard(t, field, true)
		}
		m := query.NewMatchQuery(t.Text)
		m.SetField(field)
		if t.Fuzzy > 0 {
			m.SetFuzziness(t.Fuzzy)
		}
		if positive && field == index.FieldText && !t.Wildcard {
			c.leaves = append(c.leaves, m)
		}
		return boosted(m, t.Boost), nil
	case t.Field == index.FieldPublished:
		if t.Wildcard || t.Fuzzy > 0 {
			return nil, queryErrorf(t.At, "published takes a date (2024, 2024-06 or 2024-06-30) or a range")
		}
		return c.dateRange(t.At, t.Text, t.Text, true, true, t.Boost)
	case t.Field == index.FieldParagraph:
		if t.Wildcard || t.Fuzzy > 0 {
			return nil, queryErrorf(t.At, "paragraph takes a number or a range")
		}
		return c.numberRange(t.At, t.Text, t.Text, true, true, t.Boost)
	}
	// A facet field or the article id.
	if t.Fuzzy > 0 {
		return nil, queryErrorf(t.At, "%s values do not take a fuzziness (~); use a wildcard (%s:%s*)",
			t.Field, t.Field, firstRunes(t.Text, 3))
	}
	if t.Wildcard {
		return c.wildcard(t, t.Field, false)
	}
	return boosted(c.facetValue(t.Field, t.Text), t.Boost), nil
}

func (c *compiler) phrase(p *lang.Phrase, positive bool) (query.Query, error) {
	switch {
	case isTextField(p.Field):
		field := p.Field
		if field == "" {
			field = index.FieldText
		}
		var q query.Query
		if p.Slop > 0 {
			q = &nearQuery{textClause{field: field, text: p.Text}, p.Slop}
		} else {
			q = newPhrase(p.Text, field)
		}
		if positive && field == index.FieldText {
			c.leaves = append(c.leaves, q)
		}
		return boosted(q, p.Boost), nil
	case p.Field == index.FieldPublished:
		return c.dateRange(p.At, p.Text, p.Text, true, true, p.Boost)
	case p.Field == index.FieldParagraph:
		return c.numberRange(p.At, p.Text, p.Text, true, true, p.Boost)
	}
	if p.Slop > 0 {
		return nil, queryErrorf(p.At, "%s values do not take a proximity (~)", p.Field)
	}
	return boosted(c.facetValue(p.Field, p.Text), p.Boost), nil
}

func (c *compiler) regexp(r *lang.Regexp) (query.Query, error) {
	switch r.Field {
	case index.FieldPublished, index.FieldParagraph:
		return nil, queryErrorf(r.At, "%s does not take a regular expression", r.Field)
	}
	// As scorch compiles it: Go syntax, then vellum's automaton.
	parsed, err := syntax.Parse(r.Pattern, syntax.Perl)
	if err == nil {
		_, err = vregexp.NewParsedWithLimit(r.Pattern, parsed, vregexp.DefaultLimit)
	}
	if err != nil {
		return nil, queryErrorf(r.At, "regular expression /%s/: %v", r.Pattern, err)
	}
	q := query.NewRegexpQuery(r.Pattern)
	field := r.Field
	if field == "" {
		field = index.FieldText
	}
	q.SetField(field)
	return boosted(q, r.Boost), nil
}

// minWildcardPrefix is the shortest literal prefix a wildcard may have.
const minWildcardPrefix = 2

// wildcard compiles a word with * or ?. On the text it matches index terms
// (lower case); on a facet field, values whatever their case.
func (c *compiler) wildcard(t *lang.Term, field string, text bool) (query.Query, error) {
	var re strings.Builder
	prefix, literal := 0, true
	rs := []rune(t.Text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs):
			i++
			re.WriteString(quoteRune(rs[i], text))
		case r == '*':
			re.WriteString(".*")
			literal = false
		case r == '?':
			re.WriteString(".")
			literal = false
		default:
			re.WriteString(quoteRune(r, text))
		}
		if literal {
			prefix++
		}
	}
	if prefix < minWildcardPrefix {
		return nil, queryErrorf(t.At, "wildcard %q needs at least %d letters before * or ? (e.g. spy*)",
			t.Text, minWildcardPrefix)
	}
	if !text && c.s != nil {
		values, err := c.s.facetMatches(field, rs[0], "(?i)^"+re.String()+"$")
		if err != nil {
			return nil, queryErrorf(t.At, "%v", err)
		}
		return boosted(termsQuery(field, values), t.Boost), nil
	}
	q := query.NewRegexpQuery(re.String())
	q.SetField(field)
	return boosted(q, t.Boost), nil
}

// quoteRune quotes r for a regular expression, lower-cased for the text.
func quoteRune(r rune, lower bool) string {
	if lower {
		r = unicode.ToLower(r)
	}
	return regexp.QuoteMeta(string(r))
}

// facetValue matches a value of a facet field as the index holds it:
// through the gazetteers' aliases for countries and actors ("UK" →
// United Kingdom, "isis" → Islamic State), else any indexed value equal
// to it ignoring case and accents.
func (c *compiler) facetValue(field, text string) query.Query {
	values := []string{text}
	if c.s != nil {
		values = c.s.resolveFacet(field, text)
	} else if field == index.FieldTopic {
		values = []string{strings.ToLower(text)}
	}
	return termsQuery(field, values)
}

// termsQuery matches any of values in field (nothing when values is
// empty).
func termsQuery(field string, values []string) query.Query {
	if len(values) == 0 {
		return query.NewMatchNoneQuery()
	}
	terms := make([]query.Query, len(values))
	for i, v := range values {
		t := query.NewTermQuery(v)
		t.SetField(field)
		terms[i] = t
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return query.NewDisjunctionQuery(terms)
}

// dateRange compiles a range of dates given as periods: from's period
// starts it (or, exclusive, ends before it) and to's ends it.
func (c *compiler) dateRange(at int, from, to string, inclFrom, inclTo bool, boost float64) (query.Query, error) {
	var start, end time.Time
	if from != "" {
		s, e, err := period(from)
		if err != nil {
			return nil, queryErrorf(at, "%v", err)
		}
		if start = s; !inclFrom {
			start = e.Add(time.Nanosecond)
		}
	}
	if to != "" {
		s, e, err := period(to)
		if err != nil {
			return nil, queryErrorf(at, "%v", err)
		}
		if end = e; !inclTo {
			end = s.Add(-time.Nanosecond)
		}
	}
	for _, t := range []time.Time{start, end} {
		if !t.IsZero() && (t.Year() < minYear || t.Year() > maxYear) {
			return nil, queryErrorf(at, "published dates go from %d to %d", minYear, maxYear)
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		return nil, queryErrorf(at, "published range ends before it starts")
	}
	return boosted(publishedRange(start, end), boost), nil
}

// The years a published date may name: bleve stores dates as nanoseconds
// since 1970 in an int64.
const minYear, maxYear = 1678, 2261

// period reads a year, a month, a day or an RFC 3339 time as the span of
// time it names.
func period(s string) (start, end time.Time, err error) {
	for _, f := range []struct {
		layout string
		add    func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	} {
		if t, err := time.Parse(f.layout, s); err == nil && len(s) == len(f.layout) {
			return t, f.add(t).Add(-time.Nanosecond), nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, t, nil
	}
	return start, end, fmt.Errorf("%q is not a date (want 2024, 2024-06, 2024-06-30 or an RFC 3339 time)", s)
}

// numberRange compiles a range of paragraph numbers.
func (c *compiler) numberRange(at int, from, to string, inclFrom, inclTo bool, boost float64) (query.Query, error) {
	num := func(s string) (*float64, error) {
		if s == "" {
			return nil, nil
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, queryErrorf(at, "%q is not a paragraph number", s)
		}
		return &n, nil
	}
	lo, err := num(from)
	if err != nil {
		return nil, err
	}
	hi, err := num(to)
	if err != nil {
		return nil, err
	}
	return boosted(numberRange(index.FieldParagraph, lo, hi, inclFrom, inclTo), boost), nil
}

func (c *compiler) rangeQuery(r *lang.Range) (query.Query, error) {
	switch r.Field {
	case index.FieldPublished:
		return c.dateRange(r.At, r.From, r.To, r.IncludeFrom, r.IncludeTo, r.Boost)
	case index.FieldParagraph:
		return c.numberRange(r.At, r.From, r.To, r.IncludeFrom, r.IncludeTo, r.Boost)
	case "", index.FieldText, index.FieldTitle:
		return nil, queryErrorf(r.At, "ranges apply to published, paragraph and facet fields, not to words")
	}
	q := query.NewTermRangeInclusiveQuery(r.From, r.To, &r.IncludeFrom, &r.IncludeTo)
	q.SetField(r.Field)
	return boosted(q, r.Boost), nil
}

func firstRunes(s string, n int) string {
	rs := []rune(s)
	if len(rs) > n {
		rs = rs[:n]
	}
	return string(rs)
}

// foldValue lower-cases s and strips its accents, for comparing facet
// values ("António Guterres" = "antonio guterres").
func foldValue(s string) string {
	return strings.ToLower(enrich.Fold(s))
}
