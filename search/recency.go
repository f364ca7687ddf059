package search

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
)

// recencyQuery multiplies the score of each match by
//
//	1 + 2^(−age / halfLife)
//
// where age is how much older the paragraph is than the newest paragraph
// of the index: the newest coverage counts double, coverage one half-life
// older 1.5 times, and old coverage barely more than once, so recency
// reorders matches of similar relevance without burying a much better old
// one. Paragraphs without a date keep their score. It reads each match's
// date from the published doc values.
type recencyQuery struct {
	q        query.Query
	newest   time.Time
	halfLife time.Duration
}

// Searcher implements query.Query.
func (r *recencyQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	child, err := r.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	dvr, err := i.DocValueReader([]string{index.FieldPublished})
	if err != nil {
		_ = child.Close()
		return nil, err
	}
	newest, half := r.newest.UnixNano(), float64(r.halfLife.Nanoseconds())
	var published int64
	var dated bool
	visit := func(field string, term []byte) {
		p := numeric.PrefixCoded(term)
		if shift, err := p.Shift(); err == nil && shift == 0 {
			if n, err := p.Int64(); err == nil {
				published, dated = n, true
			}
		}
	}
	fn := func(d *search.DocumentMatch) float64 {
		dated = false
		if err := dvr.VisitDocValues(d.IndexInternalID, visit); err != nil || !dated {
			return d.Score
		}
		age := float64(max(0, newest-published))
		return d.Score * (1 + math.Exp2(-age/half))
	}
	return &rescoreSearcher{Searcher: child, fn: fn}, nil
}

// ParseHalfLife reads a recency half-life: a number and a unit, h (hours),
// d (days), w (weeks) or y (365 days): "30d", "2w", "1y".
func ParseHalfLife(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	units := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}
	if len(s) < 2 {
		return 0, fmt.Errorf("%w: recency %q: want a number and a unit, h, d, w or y (30d)", ErrInvalid, s)
	}
	unit, ok := units[s[len(s)-1]]
	n, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if !ok || err != nil || !(n > 0) || n > 1000*365 {
		return 0, fmt.Errorf("%w: recency %q: want a positive number and a unit, h, d, w or y (30d)", ErrInvalid, s)
	}
	return time.Duration(n * float64(unit)), nil
}
