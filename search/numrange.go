package search

import (
	"context"
	"math"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
)

// numericRange matches the paragraphs whose numeric field (a number or a
// date, which bleve indexes as prefix-coded int64 terms) lies in [lo, hi].
// bleve's own range queries look for terms at every shift 0, 4, …, 60;
// the index keeps only index.NumericShifts(field), so this query covers the range
// with terms at those shifts: coarse terms for the blocks inside it, and
// the exact values (shift 0) of the ragged ends, read from the field's
// dictionary.
type numericRange struct {
	field  string
	lo, hi int64 // inclusive, as bleve stores them
}

// dateRange matches dates from from to to, both inclusive; a zero time
// leaves that side open.
func dateRange(field string, from, to time.Time) *numericRange {
	q := &numericRange{field: field, lo: math.MinInt64, hi: math.MaxInt64}
	if !from.IsZero() {
		q.lo = unixNano(from)
	}
	if !to.IsZero() {
		q.hi = unixNano(to)
	}
	return q
}

// unixNano returns t in nanoseconds since 1970, clamped to what an int64
// holds.
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// numberRange matches numbers from lo to hi (nil leaves a side open), each
// bound inclusive or not.
func numberRange(field string, lo, hi *float64, inclLo, inclHi bool) *numericRange {
	q := &numericRange{field: field, lo: math.MinInt64, hi: math.MaxInt64}
	if lo != nil {
		q.lo = numeric.Float64ToInt64(*lo)
		if !inclLo && q.lo != math.MaxInt64 {
			q.lo++
		}
	}
	if hi != nil {
		q.hi = numeric.Float64ToInt64(*hi)
		if !inclHi && q.hi != math.MinInt64 {
			q.hi--
		}
	}
	return q
}

// Searcher implements query.Query.
func (q *numericRange) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	var terms [][]byte
	if q.lo <= q.hi {
		var err error
		if terms, err = rangeTerms(r, q.field, sortable(q.lo), sortable(q.hi)); err != nil {
			return nil, err
		}
	}
	return searcher.NewMultiTermSearcherBytes(ctx, r, terms, q.field, 1, options, true)
}

// sortable maps an int64 to a uint64 of the same order, as prefix coding
// does.
func sortable(v int64) uint64 { return uint64(v) ^ 1<<63 }

// prefixCoded returns the term of sortable value u at shift.
func prefixCoded(u uint64, shift uint) []byte {
	return numeric.MustNewPrefixCodedInt64(int64(u^1<<63), shift)
}

// maxListed is the most terms of one shift a range lists one by one; a
// longer run of exact values is read from the dictionary instead.
const maxListed = 64

// rangeTerms returns the index terms of field whose documents together
// hold exactly the values from lo to hi (sortable, inclusive).
func rangeTerms(r bindex.IndexReader, field string, lo, hi uint64) ([][]byte, error) {
	shifts := index.NumericShifts(field)
	var runs [][2]uint64 // runs of exact values, read from the dictionary
	var listed [][]byte
	var cover func(lo, hi uint64, level int)
	cover = func(lo, hi uint64, level int) {
		shift := shifts[level]
		emit := func(lo, hi uint64) {
			if shift == 0 && hi-lo >= maxListed {
				runs = append(runs, [2]uint64{lo, hi})
				return
			}
			for v := lo >> shift; ; v++ {
				listed = append(listed, prefixCoded(v<<shift, shift))
				if v == hi>>shift {
					break
				}
			}
		}
		if level+1 == len(shifts) {
			emit(lo, hi)
			return
		}
		// The blocks of the next shift that lie wholly inside [lo, hi].
		next := shifts[level+1]
		mask := uint64(1)<<next - 1
		first, last := lo>>next, hi>>next
		if lo&mask != 0 {
			first++
		}
		if hi&mask != mask {
			if last == 0 {
				emit(lo, hi)
				return
			}
			last--
		}
		if first > last {
			emit(lo, hi)
			return
		}
		if start := first << next; lo < start {
			emit(lo, start-1)
		}
		if end := last<<next | mask; hi > end {
			emit(end+1, hi)
		}
		cover(first<<next, last<<next|mask, level+1)
	}
	cover(lo, hi, 0)

	var terms [][]byte
	if len(listed) > 0 {
		if c, ok := r.(bindex.IndexReaderContains); ok {
			dict, err := c.FieldDictContains(field)
			if err != nil {
				return nil, err
			}
			for _, t := range listed {
				if found, err := dict.Contains(t); err == nil && found {
					terms = append(terms, t)
				}
			}
			if d, ok := dict.(bindex.FieldDict); ok {
				if err := d.Close(); err != nil {
					return nil, err
				}
			}
		} else {
			terms = listed
		}
	}
	for _, run := range runs {
		dict, err := r.FieldDictRange(field, prefixCoded(run[0], 0), prefixCoded(run[1], 0))
		if err != nil {
			return nil, err
		}
		for {
			e, err := dict.Next()
			if err != nil || e == nil {
				if cerr := dict.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return nil, err
				}
				break
			}
			terms = append(terms, []byte(e.Term))
		}
	}
	return terms, nil
}
