package search

import (
	"context"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/briefsearch/briefsearch/index"
)

// Skipping. Pruning (prune.go) spares the term locations of the matches
// that cannot reach the page, but still visits every match: its postings,
// its BM25 score, the collector. A match of plain words holding only the
// commonest of them is rarely worth that: a paragraph with one of four
// words scores a quarter of its BM25 (coordination) and none of the
// coverage and proximity factors. Once the best `top` scores are known,
// the words split in two (MaxScore, Turtle and Flood 1995): the
// non-essential ones, the commonest, whose matches together cannot score
// enough — their BM25 at its bound (idf × k1 × weight), the tree's
// coordination and weights, the factors at their bound for the concepts
// they cover, a title holding every concept — and the essential ones. Only
// the essential words' postings are walked; the others are moved to each
// candidate and scored there. The matches of non-essential words alone are
// never visited, so the total comes from the postings' bitmaps instead:
// the union of the words' documents (deleted ones left out), in the
// search's part.
//
// Only a search that reads nothing else from every match skips: no facet
// counts on it, no filter, nothing but the words matching
// (pruning.anyBound).

// plainWords reports whether q, a relevance query, is plain words, with
// the facet values they name and their phrases' title locators at most:
// the flat words, the facet terms they name as optional clauses
// (optional), the phrases looked for in the title (withLocators), under
// the title marks, so that its matches are the words' documents and
// their scores the words' plus the facet terms' and title phrases' they
// hold. It returns those facet terms and title phrases.
func plainWords(q query.Query) (plainShape, bool) {
	var shape plainShape
	if t, ok := q.(*titleQuery); ok {
		q = t.q
	}
	if must, should, ok := optionalParts(q); ok {
		if locators, scale, ok := titleLocators(should); ok {
			q, shape.locators, shape.scale = must, locators, scale
		}
	}
	if words, ok := q.(*anyWordsQuery); ok {
		shape.words = words
		return shape, true
	}
	must, should, ok := optionalParts(q)
	if !ok {
		return shape, false
	}
	if shape.words, ok = must.(*anyWordsQuery); !ok {
		return shape, false
	}
	for _, d := range should {
		m, ok := d.(*markedQuery)
		if !ok {
			return shape, false
		}
		if _, ok := m.q.(*query.TermQuery); !ok {
			return shape, false
		}
		shape.marks = append(shape.marks, m)
	}
	return shape, true
}

// plainShape is what plain words hold besides the words.
type plainShape struct {
	words    *anyWordsQuery
	marks    []*markedQuery
	locators []*phraseQuery // on the title
	scale    float64        // the locators' weight
}

// titleLocators returns the phrases and weight of should when it is the
// title locators of the words' phrases (withLocators).
func titleLocators(should []query.Query) ([]*phraseQuery, float64, bool) {
	if len(should) != 1 {
		return nil, 0, false
	}
	w, ok := should[0].(*rescoreQuery)
	if !ok || !(w.scale > 0) || w.prune != nil {
		return nil, 0, false
	}
	phrases, ok := w.q.(*query.DisjunctionQuery)
	if !ok || phrases.Min != 0 {
		return nil, 0, false
	}
	var locators []*phraseQuery
	for _, d := range phrases.Disjuncts {
		p, ok := d.(*phraseQuery)
		if !ok || p.field != index.FieldTitle {
			return nil, 0, false
		}
		locators = append(locators, p)
	}
	return locators, w.scale, true
}

// skipping lets p's search skip matches when rq is plain words (with the
// facet values they name): it sets p's bound of any match's factors.
func (s *Searcher) skipping(rq *relevanceQuery, p *pruning) {
	shape, ok := plainWords(rq.q)
	if !ok {
		return
	}
	p.marks, p.locatorWords = nil, 0
	for _, l := range shape.locators {
		p.locatorWords += shape.scale * l.Boost() * float64(len(s.analyzer.Analyze([]byte(l.text))))
	}
	lookup := newConceptLookup(rq.terms, rq.facets)
	p.treeMarks = map[string]int{}
	shape.words.root.walk(func(n *wordNode) {
		if n.mark != nil {
			if c, ok := lookup.facet(n.mark.Term); ok && c < 64 {
				p.treeMarks[n.mark.Term] = c
			}
		}
	})
	for _, m := range shape.marks {
		t := m.q.(*query.TermQuery)
		c, ok := lookup.facet(m.mark.Term)
		if !ok || c >= 64 {
			c = -1 // not a concept's: no factor counts it
		}
		p.marks = append(p.marks, facetMark{field: t.FieldVal, term: t.Term, boost: t.Boost(), concept: c})
	}
	p.anyBound = func(clauses int, inFacet uint64) float64 { return s.rank.anyFactors(rq, clauses, inFacet) }
}

// facetMark is a facet term the words name, an optional clause of their
// search (plainWords).
type facetMark struct {
	field, term string
	boost       float64
	concept     int // the concept whose facet value it is; -1: none
}

// markPostings are a facet mark's documents in each segment of a
// snapshot, and the bound of its score.
type markPostings struct {
	facetMark
	idf  float64
	ub   float64
	bits []*roaring.Bitmap // per segment; nil: none
}

// has reports whether document local of segment seg holds the mark.
func (m *markPostings) has(seg int, local uint64) bool {
	return m.bits[seg] != nil && m.bits[seg].Contains(uint32(local))
}

// partKey is the context key under which a part of a search (parts.go)
// tells the searchers below it which documents are its own.
type partKey struct{}

// partInfo says which documents are a part's: the stripes of `stripe`
// document numbers part, part+n, part+2n, … (every document when n ≤ 1).
type partInfo struct{ stripe, part, n uint64 }

// owns reports whether doc is the part's.
func (p partInfo) owns(doc uint64) bool {
	return p.n <= 1 || (doc/p.stripe)%p.n == p.part
}

// next returns the first document of the part's next stripe after doc's.
func (p partInfo) next(doc uint64) uint64 {
	s := doc / p.stripe
	return (s + 1 + (p.part+p.n-(s+1)%p.n)%p.n) * p.stripe
}

// count returns how many documents of u, a segment's bitmap of local
// numbers whose global numbers run from lo to hi (exclusive), are the
// part's.
func (p partInfo) count(u *roaring.Bitmap, lo, hi uint64) uint64 {
	if p.n <= 1 {
		return u.GetCardinality()
	}
	// below(x) counts the documents of u before global number x.
	below := func(x uint64) uint64 {
		if x <= lo {
			return 0
		}
		return u.Rank(uint32(x - lo - 1))
	}
	var n uint64
	for s := lo / p.stripe; s*p.stripe < hi; s++ {
		if s%p.n == p.part {
			n += below(min(hi, (s+1)*p.stripe)) - below(max(lo, s*p.stripe))
		}
	}
	return n
}

// exactTotalKey is the context key of a search's exactTotals.
type exactTotalKey struct{}

// exactTotals collects the number of matches of each part of a search
// from its plain words when they skip: the collector counts the matches
// it sees, and skipped ones are not seen.
type exactTotals struct {
	mu    sync.Mutex
	sum   uint64
	parts int
}

// withExactTotals returns ctx with a new exactTotals for one search.
func withExactTotals(ctx context.Context) (context.Context, *exactTotals) {
	t := &exactTotals{}
	return context.WithValue(ctx, exactTotalKey{}, t), t
}

func (t *exactTotals) add(n uint64) {
	t.mu.Lock()
	t.sum += n
	t.parts++
	t.mu.Unlock()
}

// fix sets res.Total to the exact number of matches when every one of the
// search's parts reported it.
func (t *exactTotals) fix(res *bleve.SearchResult, parts int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if res != nil && t.parts == parts && parts > 0 {
		res.Total = t.sum
	}
}

// searchExact runs req as bi.SearchInContext does, with the exact total
// of a search whose words skip matches.
func searchExact(ctx context.Context, bi bleve.Index, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ctx, totals := withExactTotals(ctx)
	res, err := bi.SearchInContext(ctx, req)
	if err == nil {
		totals.fix(res, 1)
	}
	return res, err
}

// skipper is the skipping state of an anyWordsSearcher.
type skipper struct {
	top    *topScores
	bound  func(clauses int, inFacet uint64) float64 // pruning.anyBound
	totals *exactTotals
	// counter, when set, counts the facets of the part's matches: all of
	// them, from the postings' bitmaps, when the searcher closes.
	counter *facetCounter
	part    partInfo
	ub      []float64 // each term's bound of its score
	order   []int     // the terms by ub, lowest first
	clause  []uint64  // the terms of each of the root's clauses (bits)
	// ness holds the non-essential terms (bits): order[:k].
	ness  uint64
	k     int
	theta float64 // the lowest best score ness was found for
	// marks are the facet terms the words name; allMarks is the bound of
	// their scores together, inMarks their concepts (bits).
	marks    []markPostings
	allMarks float64
	inMarks  uint64
	// termFacets holds, for a facet term of the words, the concept whose
	// value it is (bits).
	termFacets []uint64
	// locators bounds the score of the phrases' title locators, which
	// any match may hold: idfMax is the highest idf of a title word.
	locators float64
	idfMax   float64
	seg      int // segment of the last candidate
	// returned counts the part's matches returned; skipped is set once
	// a match may have been skipped.
	returned uint64
	// countAll is set when the matches are counted one by one, facets
	// too, as they are evaluated (counted), not from bitmaps.
	countAll bool
	counted  uint64
	skipped  bool
	closed   bool
}

// newSkipper returns the skipping state of s under top, searching the
// segments segs with the BM25 statistics stats, or nil when the search
// does not skip: no bound, no one to fix the total, more than 64 terms,
// postings that do not give up their bitmaps, no average length (BM25
// without length normalisation has no bound), or a weight that is not
// positive (the bound of the tree would not grow with what matches).
func newSkipper(ctx context.Context, s *anyWordsSearcher, top *topScores, segs []*scorch.SegmentSnapshot, stats *search.BM25Stats) (*skipper, error) {
	totals, _ := ctx.Value(exactTotalKey{}).(*exactTotals)
	if top == nil || top.anyBound == nil || totals == nil || len(s.terms) > 64 || !positive(s.root) {
		return nil, nil
	}
	for k := range s.terms {
		for _, it := range s.terms[k].p.its {
			if _, ok := it.(segment.OptimizablePostingsIterator); it != nil && !ok {
				return nil, nil
			}
		}
	}
	// When a phrase's matches are not among other terms' documents, the
	// bitmaps do not give the total: every candidate is then evaluated
	// and counted, and only those that cannot reach the best scores are
	// held back (no word is non-essential).
	countAll := !phrasesCovered(s, s.root)
	for k := range s.terms {
		if s.terms[k].lengths.avg <= 0 {
			return nil, nil
		}
	}
	part, _ := ctx.Value(partKey{}).(partInfo)
	sk := &skipper{top: top, bound: top.anyBound, totals: totals, part: part, countAll: countAll}
	dictsOf := map[string][]segment.TermDictionary{}
	for _, fm := range top.marks {
		avg, ok := fieldAvg(stats, fm.field)
		if !ok || avg <= 0 {
			return nil, nil // bleve scores it without BM25's bound
		}
		dicts := dictsOf[fm.field]
		if dicts == nil {
			var err error
			if dicts, err = fieldDicts(segs, fm.field); err != nil {
				return nil, err
			}
			dictsOf[fm.field] = dicts
		}
		p, err := newTermPostings(segs, s.offsets, dicts, []byte(fm.term), false, nil, "")
		if err != nil {
			return nil, err
		}
		m := markPostings{facetMark: fm, bits: make([]*roaring.Bitmap, len(segs)), idf: bm25IDF(avg, uint64(stats.DocCount), p.count)}
		for k := range segs {
			if m.bits[k], ok = p.docs(k); !ok {
				return nil, nil
			}
		}
		if fm.concept >= 0 {
			sk.inMarks |= 1 << fm.concept
		}
		sk.marks = append(sk.marks, m)
	}
	sk.termFacets = make([]uint64, len(s.terms))
	for k := range s.terms {
		if m := s.terms[k].mark; m != nil {
			if c, ok := top.treeMarks[m.Term]; ok {
				sk.termFacets[k] = 1 << c
				sk.inMarks |= 1 << c
			}
		}
	}
	if top.locatorWords > 0 {
		avg, ok := fieldAvg(stats, index.FieldTitle)
		if !ok || avg <= 0 {
			return nil, nil
		}
		// The rarest title word (one document) has the highest idf.
		sk.idfMax = bm25IDF(avg, uint64(stats.DocCount), 1)
	}
	if c, ok := ctx.Value(facetCounterKey{}).(*facetCounter); ok && len(c.segs) == len(s.offsets)-1 {
		sk.counter, c.bulk = c, true
	}
	if s.root.kind == nodeOr {
		for _, kid := range s.root.kids {
			sk.clause = append(sk.clause, termBits(kid))
		}
	} else {
		sk.clause = []uint64{termBits(s.root)}
	}
	return sk, nil
}

// start orders the terms by the bounds of their scores, once their query
// norm is set.
func (sk *skipper) start(s *anyWordsSearcher) {
	sk.ub = make([]float64, len(s.terms))
	sk.order = make([]int, len(s.terms))
	for k := range s.terms {
		// BM25's tf × k1 / (tf + k1 × (1 - b + b × length / average))
		// stays below k1.
		sk.ub[k] = s.terms[k].idf * search.BM25_k1
		if w := s.terms[k].weight; w != 1.0 {
			sk.ub[k] *= w
		}
		sk.order[k] = k
	}
	sort.SliceStable(sk.order, func(i, j int) bool { return sk.ub[sk.order[i]] < sk.ub[sk.order[j]] })
	// A facet term is scored as a word is, under the same query norm,
	// its BM25 on its own field; a little margin covers rounding.
	sk.allMarks = 0
	for k := range sk.marks {
		m := &sk.marks[k]
		m.ub = m.idf * search.BM25_k1 * m.boost * m.idf * s.qnorm * (1 + 1e-6)
		sk.allMarks += m.ub
	}
	// Every word of a title phrase at the highest idf, times the
	// locators' weight and boosts (pruning.locatorWords).
	sk.locators = sk.top.locatorWords * sk.idfMax * search.BM25_k1 * sk.idfMax * s.qnorm * (1 + 1e-6)
}

// count counts match doc of the part, and its facets when the searcher
// counts them, one by one (countAll).
func (sk *skipper) count(doc uint64, offsets []uint64) {
	local := sk.at(doc, offsets)
	sk.counted++
	if sk.counter != nil {
		sk.counter.countDoc(sk.seg, local)
	}
}

// at moves the segment cursor to doc's segment and returns doc's number
// there: candidates come in document order.
func (sk *skipper) at(doc uint64, offsets []uint64) uint64 {
	for sk.seg < len(offsets)-2 && doc >= offsets[sk.seg+1] {
		sk.seg++
	}
	return doc - offsets[sk.seg]
}

// marksAt returns the bound of the scores of the facet terms document doc
// holds, and their concepts (bits).
func (sk *skipper) marksAt(doc uint64, offsets []uint64) (float64, uint64) {
	if len(sk.marks) == 0 {
		return 0, 0
	}
	local := sk.at(doc, offsets)
	var score float64
	var in uint64
	for k := range sk.marks {
		if m := &sk.marks[k]; m.has(sk.seg, local) {
			score += m.ub
			if m.concept >= 0 {
				in |= 1 << m.concept
			}
		}
	}
	return score, in
}

// phrasesCovered reports whether every phrase under n shares a word with
// a term outside phrases: then the documents of those terms are all the
// matches (a phrase's are among its words'), and the total can be read
// from their bitmaps.
func phrasesCovered(s *anyWordsSearcher, n *snode) bool {
	if n.kind == nodePhrase {
		for _, kid := range n.kids {
			for k := range s.terms {
				if !s.terms[k].inPhrase && s.terms[k].term == s.terms[kid.term].term {
					return true
				}
			}
		}
		return false
	}
	for _, kid := range n.kids {
		if !phrasesCovered(s, kid) {
			return false
		}
	}
	return true
}

// positive reports whether every weight under n is positive.
func positive(n *snode) bool {
	if n.kind == nodeScale && !(n.scale > 0) {
		return false
	}
	for _, kid := range n.kids {
		if !positive(kid) {
			return false
		}
	}
	return true
}

// termBits returns the terms under n (bit k: terms[k]).
func termBits(n *snode) uint64 {
	if n.kind == nodeTerm {
		return 1 << n.term
	}
	var b uint64
	for _, kid := range n.kids {
		b |= termBits(kid)
	}
	return b
}

// update grows the non-essential terms as far as the lowest of the best
// scores allows: while the matches holding only them, at their bounds,
// stay below it.
func (s *anyWordsSearcher) updateSkip() {
	sk := s.sk
	h := sk.top.h
	if sk.top.top == 0 || len(h) < sk.top.top || h[0] <= sk.theta {
		return
	}
	sk.theta = h[0]
	for sk.k < len(sk.order) && !sk.countAll {
		next := sk.ness | 1<<sk.order[sk.k]
		clauses := 0
		for _, c := range sk.clause {
			if c&next != 0 {
				clauses++
			}
		}
		score, _ := s.bound(s.root, next)
		if (score+sk.allMarks+sk.locators)*sk.bound(clauses, sk.inMarks)*(1+1e-9) >= sk.theta {
			return
		}
		sk.ness = next
		sk.k++
	}
}

// bound is the score of n's searcher if the terms in (bits) matched at
// their bounds and no other term did: eval with bounds.
func (s *anyWordsSearcher) bound(n *snode, in uint64) (float64, bool) {
	switch n.kind {
	case nodeTerm:
		if in&(1<<n.term) == 0 {
			return 0, false
		}
		return s.sk.ub[n.term], true
	case nodeScale:
		sc, ok := s.bound(n.kids[0], in)
		return sc * n.scale, ok
	case nodePhrase:
		// A phrase matches with all its words.
		var sum float64
		for _, kid := range n.kids {
			if in&(1<<kid.term) == 0 {
				return 0, false
			}
			sum += s.sk.ub[kid.term]
		}
		return sum, true
	}
	var sum float64
	m := 0
	for _, kid := range n.kids {
		if sc, ok := s.bound(kid, in); ok {
			sum += sc
			m++
		}
	}
	if m == 0 {
		return 0, false
	}
	score := sum * (float64(m) / float64(len(n.kids)))
	if n.kind == nodeSum {
		score = score * float64(len(n.kids)) / float64(m)
	}
	return score, true
}

// report tells the search's exactTotals how many matches the part has:
// those returned, or, once some may have been skipped, the documents of
// the terms' postings, whose facets it then counts.
func (s *anyWordsSearcher) report() {
	sk := s.sk
	if sk == nil || sk.closed {
		return
	}
	sk.closed = true
	if sk.skipped {
		sk.top.skips.Add(1)
	}
	switch {
	case sk.countAll:
		sk.totals.add(sk.counted)
		return
	case !sk.skipped && sk.counter == nil:
		sk.totals.add(sk.returned)
		return
	}
	var n uint64
	for seg := range len(s.offsets) - 1 {
		u := roaring.New()
		for k := range s.terms {
			if s.terms[k].inPhrase {
				continue
			}
			if bm, _ := s.terms[k].p.docs(seg); bm != nil {
				u.Or(bm)
			}
		}
		lo, hi := s.offsets[seg], s.offsets[seg+1]
		n += sk.part.count(u, lo, hi)
		if sk.counter != nil && !u.IsEmpty() {
			it := u.Iterator()
			for it.HasNext() {
				local := uint64(it.PeekNext())
				if doc := lo + local; !sk.part.owns(doc) {
					it.AdvanceIfNeeded(uint32(min(sk.part.next(doc), hi) - lo))
					continue
				}
				sk.counter.countDoc(seg, local)
				it.Next()
			}
		}
	}
	sk.totals.add(n)
}
