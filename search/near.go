package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// nearQuery matches paragraphs that hold every word of a phrase within a
// window of the phrase's length plus slop positions, in any order
// ("iran plot"~5: iran and plot at most five words further apart than
// side by side). bleve's own phrase searcher allows no slop: this is a
// conjunction of the words, filtered on their positions.
type nearQuery struct {
	textClause
	slop int
}

// textClause is the words of a clause on a text field and its boost, with
// the methods bleve's query rewriting looks for.
type textClause struct {
	field string
	text  string
	boost float64
}

// SetBoost implements query.BoostableQuery.
func (q *textClause) SetBoost(b float64) { q.boost = b }

// Boost implements query.BoostableQuery.
func (q *textClause) Boost() float64 {
	if q.boost == 0 {
		return 1
	}
	return q.boost
}

// Field implements query.FieldableQuery.
func (q *textClause) Field() string { return q.field }

// SetField implements query.FieldableQuery.
func (q *textClause) SetField(f string) { q.field = f }

// tokens analyses the clause's words as its field is analysed; none when
// the field has no analyser or the words are all stop words.
func (q *textClause) tokens(m mapping.IndexMapping) analysis.TokenStream {
	analyzer := m.AnalyzerNamed(m.AnalyzerNameForPath(q.field))
	if analyzer == nil {
		return nil
	}
	return analyzer.Analyze([]byte(q.text))
}

// Searcher implements query.Query.
func (q *nearQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	toks := q.tokens(m)
	if len(toks) == 0 {
		return searcher.NewMatchNoneSearcher(i)
	}
	var terms []string
	for _, t := range toks {
		if !slices.Contains(terms, string(t.Term)) {
			terms = append(terms, string(t.Term))
		}
	}
	clauses := make([]query.Query, len(terms))
	for k, t := range terms {
		tq := query.NewTermQuery(t)
		tq.SetField(q.field)
		tq.SetBoost(q.Boost())
		clauses[k] = tq
	}
	if len(terms) == 1 {
		return clauses[0].Searcher(ctx, i, m, options)
	}
	options.IncludeTermVectors = true
	conj, err := query.NewConjunctionQuery(clauses).Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	// The phrase's own span (stop words leave gaps) plus the slop.
	window := int(toks[len(toks)-1].Position-toks[0].Position) + q.slop
	field := q.field
	var scratch []termPos
	return searcher.NewFilteringSearcher(ctx, conj, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		scratch = scratch[:0]
		for _, l := range d.FieldTermLocations {
			if l.Field != field {
				continue
			}
			if k := slices.Index(terms, l.Term); k >= 0 {
				scratch = append(scratch, termPos{int(l.Location.Pos), k})
			}
		}
		for f, tlm := range d.Locations {
			if f != field {
				continue
			}
			for term, locs := range tlm {
				if k := slices.Index(terms, term); k >= 0 {
					for _, l := range locs {
						scratch = append(scratch, termPos{int(l.Pos), k})
					}
				}
			}
		}
		return smallestSpan(scratch, len(terms)) <= window
	}), nil
}

// termPos is one occurrence of the k-th term at a position.
type termPos struct{ pos, k int }

// smallestSpan returns the smallest last-minus-first position of a window
// of occurrences that holds all n terms, or a very large number when
// there is none. It sorts occ.
func smallestSpan(occ []termPos, n int) int {
	const none = int(^uint(0) >> 1)
	slices.SortFunc(occ, func(a, b termPos) int { return a.pos - b.pos })
	count := make([]int, n)
	have, best, lo := 0, none, 0
	for hi := range occ {
		if count[occ[hi].k]++; count[occ[hi].k] == 1 {
			have++
		}
		for have == n {
			if span := occ[hi].pos - occ[lo].pos; span < best {
				best = span
			}
			if count[occ[lo].k]--; count[occ[lo].k] == 0 {
				have--
			}
			lo++
		}
	}
	return best
}
