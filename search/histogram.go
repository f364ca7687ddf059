package search

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/briefsearch/briefsearch/index"
)

// FacetPublished is the facet that counts hits by publication date: a date
// histogram with Request.Interval buckets.
const FacetPublished = index.FieldPublished

// The intervals of a date histogram (Request.Interval).
const (
	IntervalDay   = "day"
	IntervalWeek  = "week" // weeks start on Monday
	IntervalMonth = "month"
	IntervalYear  = "year"
)

// MaxBuckets bounds a date histogram: a finer interval over a longer span
// is refused (ask for a coarser interval or a date range).
const MaxBuckets = 5000

// facetRequest counts a facet: the values of a keyword field (the size
// most frequent), or every publication date of the matches.
func facetRequest(field string, size int) *bleve.FacetRequest {
	if field == FacetPublished {
		fr := bleve.NewFacetRequest(field, 1<<30)
		// Full-precision terms only: bleve also indexes each date at
		// coarser shifts for ranges, and a term's first byte is its shift.
		fr.TermPrefix = string([]byte{numeric.ShiftStartInt64})
		return fr
	}
	if kind, ok := strings.CutPrefix(field, actorsOfKind); ok {
		fr := bleve.NewFacetRequest(index.FieldActorByKind, size)
		fr.TermPrefix = index.ActorByKind(kind, "")
		return fr
	}
	return bleve.NewFacetRequest(field, size)
}

// bucketStart returns the start of the interval that holds t.
func bucketStart(t time.Time, interval string) time.Time {
	y, m, d := t.UTC().Date()
	switch interval {
	case IntervalYear:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	case IntervalMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case IntervalWeek:
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// nextBucket returns the start of the interval after the one starting at t.
func nextBucket(t time.Time, interval string) time.Time {
	switch interval {
	case IntervalYear:
		return t.AddDate(1, 0, 0)
	case IntervalMonth:
		return t.AddDate(0, 1, 0)
	case IntervalWeek:
		return t.AddDate(0, 0, 7)
	}
	return t.AddDate(0, 0, 1)
}

// bucketLabel names a bucket: 2024, 2024-03, or its first day.
func bucketLabel(t time.Time, interval string) string {
	switch interval {
	case IntervalYear:
		return t.Format("2006")
	case IntervalMonth:
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}

// histogram turns the publication-date facet (every date of the matches,
// as bleve's prefix-coded terms) into buckets from the first date's to the
// last date's, empty ones included.
func histogram(fr *bsearch.FacetResult, interval string) ([]FacetValue, error) {
	counts := map[time.Time]int{}
	if fr != nil && fr.Terms != nil {
		for _, tf := range fr.Terms.Terms() {
			p := numeric.PrefixCoded(tf.Term)
			if shift, err := p.Shift(); err != nil || shift != 0 {
				continue // the coarser terms bleve indexes for ranges
			}
			n, err := p.Int64()
			if err != nil {
				continue
			}
			counts[bucketStart(time.Unix(0, n), interval)] += tf.Count
		}
	}
	if len(counts) == 0 {
		return []FacetValue{}, nil
	}
	starts := slices.SortedFunc(func(yield func(time.Time) bool) {
		for t := range counts {
			if !yield(t) {
				return
			}
		}
	}, func(a, b time.Time) int { return a.Compare(b) })
	first, last := starts[0], starts[len(starts)-1]
	var out []FacetValue
	for t := first; !t.After(last); t = nextBucket(t, interval) {
		if len(out) == MaxBuckets {
			return nil, fmt.Errorf("%w: the %s histogram of these hits would have more than %d buckets "+
				"(from %s to %s): use a coarser interval or narrow the dates", ErrInvalid, interval, MaxBuckets,
				first.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		end := nextBucket(t, interval).Add(-time.Nanosecond)
		out = append(out, FacetValue{Value: bucketLabel(t, interval), Count: counts[t], Start: &t, End: &end})
	}
	return out, nil
}
