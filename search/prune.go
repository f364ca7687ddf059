package search

import (
	"container/heap"
	"math"
	"sync/atomic"
)

// Pruning. A search keeps its best `top` matches (the page, or the
// candidates of the article factor), but reads the term locations of
// every match, because the ranking factors (coverage, proximity, title)
// multiply the BM25 score only once the locations are known. For plain
// words the factors are bounded by what the BM25 score already tells:
// which words matched. Once `top` matches are scored, a match whose BM25
// score times that bound stays below the lowest of them cannot enter the
// page, and its locations are not read: it is still counted (totals,
// facets) with a score below the page's.
//
// The best scores are kept per searcher (a search in parts keeps one set
// per part): every match a searcher scores is a match of the search, so
// the lowest of its best `top` is at most the lowest of the whole
// search's, and nothing that could be on the page is skipped. A search
// with filters does not prune: its searchers score matches that the
// filters then drop.

// pruning is what a relevance search of plain words prunes with.
type pruning struct {
	top int // matches kept
	// bound is an upper bound of the ranking factors of a match that
	// holds the words of `clauses` of the query's clauses.
	bound func(clauses int) float64
	// skipped counts the matches whose locations were not read.
	skipped atomic.Int64
}

// topScoresKey is the context key under which rescoreQuery hands its
// topScores to the words below it.
type topScoresKey struct{}

// topScores keeps the best scores a rescoring searcher gave.
type topScores struct {
	*pruning
	h       minHeap
	skipped int64
}

func newTopScores(p *pruning) *topScores {
	return &topScores{pruning: p, h: make(minHeap, 0, p.top)}
}

// add records a match's final score; a nil topScores records nothing.
func (t *topScores) add(score float64) {
	if t == nil {
		return
	}
	switch {
	case len(t.h) < t.top:
		heap.Push(&t.h, score)
	case score > t.h[0]:
		t.h[0] = score
		heap.Fix(&t.h, 0)
	}
}

// skips reports whether a match whose clauses of the query hold words
// and whose score before the factors is bm25 cannot reach the best
// scores: its bound, with a margin for rounding, is below the lowest.
func (t *topScores) skips(bm25 float64, clauses int) bool {
	if len(t.h) < t.top || t.top <= 0 {
		return false
	}
	if bm25*t.bound(clauses)*(1+1e-9) < t.h[0] {
		t.skipped++
		return true
	}
	return false
}

// done adds the matches skipped to the pruning's count.
func (t *topScores) done() {
	if t != nil {
		t.pruning.skipped.Add(t.skipped)
		t.skipped = 0
	}
}

type minHeap []float64

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// maxFactors bounds what factors multiplies the score of a match of plain
// words (no entities, so neither the sense nor the other-names factor
// applies) that holds the words of `covered` of the query's n concepts:
// closeness at most 1, every concept in the title, every compound whole.
func (rank *Ranking) maxFactors(n, covered int, compounds bool) float64 {
	f := 1.0
	if n > 1 && covered > 1 {
		share := float64(covered-1) / float64(n-1)
		if rank.AllWords > 0 {
			f *= 1 + rank.AllWords*share
		}
		if rank.Proximity > 0 {
			f *= 1 + rank.Proximity*share
		}
	}
	if rank.Title > 0 {
		f *= 1 + rank.Title
	}
	if rank.Compound > 0 && compounds {
		f *= 1 + rank.Compound
	}
	if math.IsNaN(f) || f < 1 {
		return 1
	}
	return f
}
