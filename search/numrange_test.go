package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefsearch/briefsearch/index"
)

// Ranges over the index's reduced numeric terms (index.NumericShifts) find
// exactly the paragraphs a brute-force comparison of their values finds:
// dates from before 1970 to the 2200s, some minutes apart and some years,
// and paragraph numbers, against random bounds and the edges of values.
func TestNumericRangeExact(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rng := rand.New(rand.NewPCG(5, 8))
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	var dates []time.Time
	paragraphs := map[string][]int{} // chunk ids by paragraph number
	published := map[string]time.Time{}
	var articles []index.Article
	for i := range 120 {
		var d time.Time
		switch i % 4 {
		case 0: // minutes apart: ragged ends inside one coarse block
			d = base.Add(time.Duration(rng.IntN(600)) * time.Minute)
		case 1: // days to years around the base
			d = base.AddDate(0, 0, rng.IntN(4000)-2000)
		case 2: // before 1970
			d = time.Date(1900+rng.IntN(69), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
		default: // far ahead
			d = time.Date(2100+rng.IntN(160), 6, 1, 0, 0, 0, 0, time.UTC)
		}
		dates = append(dates, d)
		n := 1 + rng.IntN(12)
		paras := make([]string, n)
		for p := range paras {
			paras[p] = fmt.Sprintf("Paragraph %d of report %d on the inquiry.", p+1, i)
		}
		id := fmt.Sprintf("r%03d", i)
		articles = append(articles, index.Article{ID: id, Title: "Report", Published: d, Body: strings.Join(paras, "\n\n")})
		for p := 1; p <= n; p++ {
			paragraphs[index.ChunkID(id, p)] = append(paragraphs[index.ChunkID(id, p)], p)
			published[index.ChunkID(id, p)] = d
		}
	}
	if _, err := ix.Ingest(ctx, articles...); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, q *numericRange) []string {
		t.Helper()
		req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
		res, err := ix.Bleve().SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		return ids
	}
	want := func(in func(id string) bool) []string {
		var ids []string
		for id := range published {
			if in(id) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		return ids
	}

	bounds := []time.Time{{}, time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)}
	for range 150 {
		bounds = append(bounds, dates[rng.IntN(len(dates))].Add(time.Duration(rng.IntN(3)-1)))
	}
	for range 300 {
		from, to := bounds[rng.IntN(len(bounds))], bounds[rng.IntN(len(bounds))]
		got := run(t, dateRange(index.FieldPublished, from, to))
		exp := want(func(id string) bool {
			d := published[id]
			return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
		})
		if !slices.Equal(got, exp) {
			t.Fatalf("published from %v to %v: %d paragraphs, want %d", from, to, len(got), len(exp))
		}
	}

	num := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		lo, hi         *float64
		inclLo, inclHi bool
	}{
		{num(1), num(1), true, true}, {num(1), num(3), true, true}, {num(1), num(3), false, false},
		{num(2.5), num(7), true, false}, {nil, num(4), false, true}, {num(10), nil, true, false},
		{num(0), num(1000), true, true}, {nil, nil, false, false}, {num(5), num(4), true, true},
	} {
		got := run(t, numberRange(index.FieldParagraph, tc.lo, tc.hi, tc.inclLo, tc.inclHi))
		exp := want(func(id string) bool {
			p := float64(paragraphs[id][0])
			return (tc.lo == nil || p > *tc.lo || (tc.inclLo && p == *tc.lo)) &&
				(tc.hi == nil || p < *tc.hi || (tc.inclHi && p == *tc.hi))
		})
		if !slices.Equal(got, exp) {
			t.Errorf("paragraph %v..%v (%v, %v): %d paragraphs, want %d", tc.lo, tc.hi, tc.inclLo, tc.inclHi, len(got), len(exp))
		}
	}
}
