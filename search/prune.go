package search

import (
	"container/heap"
	"encoding/binary"
	"math"
	"math/bits"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/briefsearch/briefsearch/index"
)

// Pruning. A search keeps its best `top` matches (the page, or the
// candidates of the article factor), but reads the term locations of
// every match, because the ranking factors (coverage, proximity, title)
// multiply the BM25 score only once the locations are known. For plain
// words the factors are bounded by what is known before: which words a
// match holds (anyWordsSearcher), which facet values it matched (marked by
// then). Once `top` matches are scored, a match whose score times that
// bound stays below the lowest of them cannot enter the page, and its
// locations are not read: it is still counted (totals, facets), with a
// score below the page's.
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
	// bound is an upper bound of the ranking factors of d, whose text
	// locations are not read yet, holding the words of `clauses` of the
	// query's concepts (-1: not known).
	bound func(d *search.DocumentMatch, clauses int) float64
	// anyBound, when set, bounds the ranking factors of any match holding
	// the words of `clauses` of the query's concepts and the facet values
	// of the concepts inFacet (bits), and lets the plain words skip the
	// matches that cannot reach the best scores (skipping.go): it is set
	// only when nothing else reads every match (no date histogram,
	// nothing but the words and the facet terms they name: marks).
	anyBound func(clauses int, inFacet uint64) float64
	marks    []facetMark
	// locatorWords is the number of words of the phrases looked for in
	// the title, times their boosts and weight: a bound of their score is
	// that times the highest score of a title word.
	locatorWords float64
	// treeMarks are the concepts of the facet terms among the words
	// (wordNode.mark), by their marks' terms.
	treeMarks map[string]int
	// skips counts the searchers that skipped matches.
	skips atomic.Int64
	// skipped counts the matches whose locations were not read.
	skipped atomic.Int64
}

// topScoresKey is the context key under which rescoreQuery hands its
// topScores to the words below it.
type topScoresKey struct{}

// topScores keeps the best scores a rescoring searcher gave, and the
// plain words below it, whose locations it reads on demand.
type topScores struct {
	*pruning
	h       minHeap
	skipped int64
	words   locator
}

// locator is a searcher that returns its matches without their term
// locations and reads them on demand, in document order.
type locator interface {
	// clausesOf returns how many of the query's clauses a recent match
	// held, and false when it does not know the document.
	clausesOf(doc uint64) (int, bool)
	// locate adds d's term locations to it.
	locate(d *search.DocumentMatch) error
}

func newTopScores(p *pruning) *topScores {
	return &topScores{pruning: p, h: make(minHeap, 0, p.top)}
}

// claim makes w the searcher whose locations t reads and reports whether
// it is: one per search, the first to ask.
func (t *topScores) claim(w locator) bool {
	if t == nil || t.words != nil {
		return false
	}
	t.words = w
	return true
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

// locate reads d's term locations unless d cannot reach the best scores:
// its score times the bound of its factors, with a margin for rounding,
// is below the lowest of them.
func (t *topScores) locate(d *search.DocumentMatch) error {
	if t == nil || t.words == nil {
		return nil
	}
	if len(t.h) == t.top && t.top > 0 && d.Score > 0 {
		clauses, ok := t.words.clausesOf(binary.BigEndian.Uint64(d.IndexInternalID))
		if !ok {
			clauses = -1
		}
		if d.Score*t.bound(d, clauses)*(1+1e-9) < t.h[0] {
			t.skipped++
			return nil
		}
	}
	return t.words.locate(d)
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

// maxFactors bounds what factors multiplies d's score by before d's text
// locations are read, knowing that d holds the words of `clauses` of the
// query's concepts (-1: not known) and the title words and facet values
// marked on it: closeness at most 1, every compound whole.
func (rank *Ranking) maxFactors(rq *relevanceQuery, d *search.DocumentMatch, clauses int) float64 {
	n := min(rq.n, 64)
	var inFacet, inTitle uint64
	for _, ftl := range d.FieldTermLocations {
		switch ftl.Field {
		case index.FieldText:
		case index.FieldTitle:
			if c, ok := rq.lookup.term(ftl.Term); ok && c < n {
				inTitle |= 1 << c
			}
		default:
			if c, ok := rq.lookup.facet(ftl.Term); ok && c < n {
				inFacet |= 1 << c
			}
		}
	}
	return rank.factorBound(rq, clauses, inTitle, inFacet)
}

// anyFactors bounds what factors multiplies the score of any match of
// plain words holding the words of `clauses` of the query's concepts and
// the facet values of the concepts inFacet, whatever its title holds: the
// bound of matches the search has not read at all (skipping).
func (rank *Ranking) anyFactors(rq *relevanceQuery, clauses int, inFacet uint64) float64 {
	n := min(rq.n, 64)
	all := uint64(1)<<n - 1
	if n == 64 {
		all = ^uint64(0)
	}
	return rank.factorBound(rq, clauses, all, inFacet)
}

// factorBound bounds the factors of a match holding the words of
// `clauses` of the query's concepts (-1: not known), the concepts inTitle
// in its title and the facet values inFacet (bit c: concept c).
func (rank *Ranking) factorBound(rq *relevanceQuery, clauses int, inTitle, inFacet uint64) float64 {
	n := min(rq.n, 64)
	if clauses < 0 || clauses > n {
		clauses = n
	}
	f := 1.0
	if rank.AllWords > 0 && n > 1 {
		got := float64(clauses) + max(rank.FacetCover, 0)*float64(bits.OnesCount64(inFacet))
		if got > 1 {
			f *= 1 + rank.AllWords*(got-1)/float64(n-1)
		}
	}
	if rank.OtherNames > 0 {
		if only := bits.OnesCount64(rq.actors & inFacet); only > 0 {
			f *= 1 + rank.OtherNames*float64(only)/float64(n)
		}
	}
	if rank.Title > 0 && inTitle != 0 {
		f *= 1 + rank.Title*float64(bits.OnesCount64(inTitle))/float64(n)
	}
	if rank.Proximity > 0 && n > 1 && clauses > 1 {
		f *= 1 + rank.Proximity*float64(clauses-1)/float64(n-1)
	}
	if rank.Compound > 0 && len(rq.compounds) > 0 {
		f *= 1 + rank.Compound
	}
	if math.IsNaN(f) || f < 1 {
		return 1
	}
	return f
}
