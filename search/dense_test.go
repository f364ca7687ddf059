package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/briefsearch/briefsearch/index"
)

// Searches read the same matches, scores, highlights and facets from
// dense columns as from zap's postings: with every term of two or more
// documents in columns, within a budget that holds only some of them,
// and after articles were replaced (deleted documents in the columns'
// segments). The page's candidates are few, so that common words are
// moved to documents (MaxScore) as well as walked.
func TestDensePostingsMatchZap(t *testing.T) {
	ctx := context.Background()
	articles := fixtureArticles(t)
	ix := ingestInto(t, index.Options{BatchSize: 50}, articles)
	if _, err := ix.Ingest(ctx, articles[:6]...); err != nil {
		t.Fatal(err)
	}
	// Few candidates for the page, so that the commonest words soon
	// cannot reach it alone and are moved to the others' matches.
	rank := DefaultRanking()
	rank.ArticleDepth = 3
	zap := New(ix, Options{Parallel: 1, Ranking: &rank})
	zap.dense = &denseColumns{}
	for _, tt := range []struct {
		name      string
		dense     *denseColumns
		wantCache bool
	}{
		{"every term", &denseColumns{minCount: 2, share: 1 << 30, budget: 1 << 30}, true},
		{"a small budget", &denseColumns{minCount: 2, share: 1 << 30, budget: 2000}, true},
		{"defaults (too few postings here)", newDenseColumns(), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dense := New(ix, Options{Parallel: 1, Ranking: &rank})
			dense.dense = tt.dense
			for _, q := range []string{
				"espionage", "Iran plots", "counter terrorism police", "the", "police arrested two men",
				"security services warned", "spy OR spies", "Russian hackers election", "terror plot arrests Germany",
				`"security services" warned`, "united nations sanctions", "hacking -Iran", "foreign secretary warned",
			} {
				for _, parallel := range []int{1, 2} {
					zap.opts.Parallel, dense.opts.Parallel = parallel, parallel
					for _, facets := range [][]string{{"country", "topic", "actor"}, nil} {
						for _, limit := range []int{1, 20} {
							req := Request{Query: q, Facets: facets, Limit: limit}
							want, err := zap.Search(ctx, req)
							if err != nil {
								t.Fatal(err)
							}
							got, err := dense.Search(ctx, req)
							if err != nil {
								t.Fatal(err)
							}
							if w, g := fmt.Sprint(want.Total, want.Hits, want.Facets), fmt.Sprint(got.Total, got.Hits, got.Facets); w != g {
								t.Errorf("%q in %d parts, facets %v, limit %d:\n   zap %s\n dense %s", q, parallel, facets, limit, w, g)
							}
						}
					}
				}
			}
			tt.dense.mu.Lock()
			defer tt.dense.mu.Unlock()
			if cached := tt.dense.bytes > 0; cached != tt.wantCache {
				t.Fatalf("%d bytes of columns: want some %v", tt.dense.bytes, tt.wantCache)
			}
			if tt.dense.bytes > tt.dense.budget {
				t.Fatalf("%d bytes of columns over the budget of %d", tt.dense.bytes, tt.dense.budget)
			}
		})
	}
	if zap.dense.bytes != 0 {
		t.Fatalf("columns without a budget: %d bytes", zap.dense.bytes)
	}
}

// A column holds a posting's frequency and field length, 255 and more
// too.
func TestDenseTermFrequency(t *testing.T) {
	dt := &denseTerm{freq: []uint8{0, 3, 255}, big: map[uint32]uint64{2: 300}}
	for local, want := range []uint64{0, 3, 300} {
		if got := dt.frequency(uint64(local)); got != want {
			t.Errorf("frequency(%d) = %d, want %d", local, got, want)
		}
	}
}

// A term's postings read from its columns are zap's, step by step, with
// or without their locations: every term of the text, walked and moved to
// documents at random, with a
// quarter of each segment's documents left out as deleted ones are (zap's
// postings then walk their bitmap of the documents left apart from the
// stored postings).
func TestDensePostingsStepByStep(t *testing.T) {
	ix := ingestInto(t, index.Options{BatchSize: 40}, fixtureArticles(t))
	r, err := New(ix, Options{}).reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	segs := r.(*scorch.IndexSnapshot).Segments()
	offsets := newDocSegments(segs).offsets
	dicts, err := fieldDicts(segs, index.FieldText)
	if err != nil {
		t.Fatal(err)
	}
	terms := map[string]bool{}
	for _, d := range dicts {
		it := d.AutomatonIterator(nil, nil, nil)
		for e, err := it.Next(); e != nil || err != nil; e, err = it.Next() {
			if err != nil {
				t.Fatal(err)
			}
			terms[e.Term] = true
		}
	}
	cols := &denseColumns{minCount: 2, share: 1 << 30, budget: 1 << 30}
	rnd := rand.New(rand.NewPCG(1, 2))
	last := offsets[len(offsets)-1]
	denseTerms, withLocs := 0, 0
	step := func(p *termPostings, target uint64) {
		t.Helper()
		var err error
		if target == 0 {
			err = p.next()
		} else {
			err = p.advance(target)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for term := range terms {
		locs := rnd.IntN(2) == 0
		want, err := newTermPostings(segs, offsets, dicts, []byte(term), locs, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := newTermPostings(segs, offsets, dicts, []byte(term), locs, cols, index.FieldText)
		if err != nil {
			t.Fatal(err)
		}
		if got.dense == nil {
			continue
		}
		denseTerms++
		if locs {
			withLocs++
		}
		for k, it := range want.its {
			o, ok := it.(segment.OptimizablePostingsIterator)
			if !ok || got.dense[k] == nil {
				continue
			}
			kept := roaring.New()
			for _, d := range o.ActualBitmap().ToArray() {
				if rnd.IntN(4) > 0 {
					kept.Add(d)
				}
			}
			o.ReplaceActual(kept)
			got.its[k].(segment.OptimizablePostingsIterator).ReplaceActual(kept)
		}
		for n := 0; ; n++ {
			var target uint64 // 0: next
			if n > 0 && !want.done && rnd.IntN(2) == 0 {
				// A document the term may hold, or one past it.
				target = want.doc + 1 + uint64(rnd.IntN(8))
				if target >= last {
					target = 0
				}
			}
			step(want, target)
			step(got, target)
			if want.done != got.done {
				t.Fatalf("%q step %d: done %v, zap's %v", term, n, got.done, want.done)
			}
			if want.done {
				break
			}
			if got.doc != want.doc || got.freq != want.freq || got.normBits != want.normBits || !got.raw {
				t.Fatalf("%q step %d (to %d): doc %d freq %d norm %d, zap's doc %d freq %d norm %d", term, n, target,
					got.doc, got.freq, got.normBits, want.doc, want.freq, want.normBits)
			}
			if w, g := fmt.Sprint(appendLocations(nil, term, want.locs)), fmt.Sprint(appendLocations(nil, term, got.locs)); w != g {
				t.Fatalf("%q step %d, document %d: locations %s, zap's %s", term, n, got.doc, g, w)
			}
		}
	}
	if denseTerms == 0 || withLocs == 0 {
		t.Fatalf("%d terms read from columns, %d with their locations: the test does not test them", denseTerms, withLocs)
	}
}
