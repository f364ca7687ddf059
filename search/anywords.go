package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Any words. The commonest query is a few plain words, any of which may
// match: bleve runs it as a disjunction of match queries, each a
// disjunction of term searchers, and every match of every word passes
// through three searchers, two scorers and a merge of term locations
// before the ranking factors see it. On an index of 229k paragraphs a
// query of common words matches 40,000–70,000 of them, and that machinery
// cost about half of the search. anyWordsQuery is the same search done
// flat: one term reader per term, the lowest document among them, BM25
// and the disjunctions' coordination computed in the order bleve computes
// them, so that matches, scores and term locations are exactly bleve's
// (TestAnyWordsMatchesBleve).

// anyWordsQuery matches the paragraphs whose field holds any term of its
// clauses. Each clause stands for one bleve match query (OR of its terms,
// each scored with the clause's boost); the whole stands for bleve's
// disjunction of those match queries, which it falls back to when the
// search does not score (facet counts) or explains.
type anyWordsQuery struct {
	field   string
	clauses []wordClause
	bleve   query.Query // the disjunction it stands for
}

// wordClause is one match query: its analysed terms and its boost.
type wordClause struct {
	terms []string
	boost float64
}

// anyWords returns the flat form of a disjunction of plain match queries
// on the text (clauses) and ok, or false when a clause is not a plain
// match query (fuzzy, another field, another analyser or operator) or
// analyses to no term.
func (s *Searcher) anyWords(field string, clauses []query.Query, whole query.Query) (*anyWordsQuery, bool) {
	aw := &anyWordsQuery{field: field, bleve: whole}
	for _, c := range clauses {
		m, ok := c.(*query.MatchQuery)
		if !ok || m.FieldVal != field || m.Analyzer != "" || m.Fuzziness != 0 || m.Prefix != 0 || m.Operator != query.MatchQueryOperatorOr {
			return nil, false
		}
		if autoFuzzy(m) {
			return nil, false
		}
		toks := s.analyzer.Analyze([]byte(m.Match))
		if len(toks) == 0 {
			return nil, false
		}
		wc := wordClause{boost: m.Boost()}
		for _, t := range toks {
			wc.terms = append(wc.terms, string(t.Term))
		}
		aw.clauses = append(aw.clauses, wc)
	}
	return aw, len(aw.clauses) > 0
}

// autoFuzzy reports whether m is fuzzy by bleve's automatic fuzziness,
// which only its JSON shows.
func autoFuzzy(m *query.MatchQuery) bool {
	js, err := json.Marshal(m)
	if err != nil {
		return true
	}
	var f struct {
		Fuzziness any `json:"fuzziness"`
	}
	if err := json.Unmarshal(js, &f); err != nil {
		return true
	}
	return f.Fuzziness == "auto"
}

// Searcher implements query.Query.
func (aw *anyWordsQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if options.Score == "none" || options.Explain {
		return aw.bleve.Searcher(ctx, i, m, options)
	}
	model, _ := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn)
	stats, _ := ctx.Value(search.BM25StatsKey).(*search.BM25Stats)
	_, synonyms := ctx.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap)
	if model == nil || model() != bindex.BM25Scoring || stats == nil || synonyms {
		// Briefsearch always scores with BM25 and its own statistics;
		// anything else is bleve's to do.
		return aw.bleve.Searcher(ctx, i, m, options)
	}
	docTotal := uint64(stats.DocCount)
	card, ok := stats.FieldCardinality[aw.field]
	if !ok {
		return nil, fmt.Errorf("field stat for bm25 not present %s", aw.field)
	}
	var avg float64
	if docTotal != 0 || card != 0 {
		avg = math.Ceil(float64(card) / float64(docTotal))
	}
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return aw.bleve.Searcher(ctx, i, m, options)
	}
	segs := snap.Segments()
	offsets := newDocSegments(segs).offsets
	dicts, err := fieldDicts(segs, aw.field)
	if err != nil {
		return nil, err
	}
	// bleve's disjunctions order their searchers by count, fewest
	// matches first, and add scores, weights and locations in that order:
	// so do these (with the same sort, for the same order of ties).
	groups := make(termGroups, 0, len(aw.clauses))
	// Under a pruning search, the first flat words read their matches
	// without locations and the locations on demand (locate).
	top, _ := ctx.Value(topScoresKey{}).(*topScores)
	if top != nil && top.words != nil {
		top = nil // another searcher reads the locations for this search
	}
	s := &anyWordsSearcher{clauses: make([]int, 0, len(aw.clauses))}
	for _, wc := range aw.clauses {
		groups = append(groups, nil)
		g := &groups[len(groups)-1]
		for _, t := range wc.terms {
			if err := search.RecordTermSearcher(ctx); err != nil {
				return nil, err
			}
			// Pruning reads the locations of the matches it keeps from
			// postings of their own.
			p, err := newTermPostings(segs, offsets, dicts, []byte(t), options.IncludeTermVectors && top == nil)
			if err != nil {
				return nil, err
			}
			at := anyTerm{p: p, term: t, boost: wc.boost, count: p.count, idf: bm25IDF(avg, docTotal, p.count)}
			if top != nil {
				if at.vec, err = newTermPostings(segs, offsets, dicts, []byte(t), true); err != nil {
					return nil, err
				}
			}
			*g = append(*g, at)
		}
		sort.Sort(*g)
	}
	if len(groups) > 1 {
		sort.Sort(groups)
	}
	s.pruned = top.claim(s)
	for c, g := range groups {
		for _, t := range g {
			t.clause = c
			s.terms = append(s.terms, t)
		}
		s.clauses = append(s.clauses, len(g))
	}
	s.lengths.avg = avg
	s.setNorms(len(aw.clauses) > 1)
	return s, nil
}

// setNorms gives the terms the query weights bleve's disjunctions give
// them when they are built: each match query's norm, then (nested, whole)
// the norm of the disjunction of match queries, which overrides it.
func (s *anyWordsSearcher) setNorms(nested bool) {
	k := 0
	for _, n := range s.clauses {
		terms := s.terms[k : k+n]
		var sum float64
		for _, t := range terms {
			sum += t.weightSq()
		}
		norm := 1.0 / math.Sqrt(sum)
		for j := range terms {
			terms[j].setNorm(norm)
		}
		k += n
	}
	if nested {
		s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	}
}

// weightSq is bleve's term searcher Weight: (boost × idf)².
func (t *anyTerm) weightSq() float64 {
	x := t.boost * t.idf
	return x * x
}

func (t *anyTerm) setNorm(qnorm float64) { t.weight = t.boost * t.idf * qnorm }

// bm25IDF is bleve's BM25 inverse document frequency
// (scorer.TermQueryScorer).
func bm25IDF(avg float64, docTotal, docTerm uint64) float64 {
	if avg > 0 {
		return math.Log(1 + (float64(docTotal)-float64(docTerm)+0.5)/(float64(docTerm)+0.5))
	}
	return 1.0 + math.Log(float64(docTotal)/float64(docTerm+1.0))
}

type anyTerm struct {
	p      *termPostings // at the term's current document unless p.done
	term   string
	clause int
	count  uint64 // documents holding the term
	boost  float64
	idf    float64
	weight float64 // bleve's queryWeight: boost × idf × query norm
	// vec, when pruning, reads the locations of the matches kept; it is
	// only ever advanced, to documents the term holds.
	vec      *termPostings
	vstarted bool
}

// recentMatch is a match of an anyWordsSearcher: its document and the
// number of clauses whose words it holds.
type recentMatch struct {
	doc     uint64
	clauses int
	terms   uint64 // the terms it holds (bit k: terms[k]); all bits past 64 terms
}

// recentOf returns the recent match of doc, latest first: a searcher
// above asks for the match it was just given or the one before.
func (s *anyWordsSearcher) recentOf(doc uint64) (recentMatch, bool) {
	n := len(s.recent)
	for k := range n {
		if r := s.recent[(s.next8-1-k+2*n)%n]; r.doc == doc && r.clauses > 0 {
			return r, true
		}
	}
	return recentMatch{}, false
}

// clausesOf implements locator.
func (s *anyWordsSearcher) clausesOf(doc uint64) (int, bool) {
	r, ok := s.recentOf(doc)
	return r.clauses, ok
}

// locate implements locator: it adds d's term locations, read by the
// terms' own readers, in the order the flat search adds them.
func (s *anyWordsSearcher) locate(d *search.DocumentMatch) error {
	doc := binary.BigEndian.Uint64(d.IndexInternalID)
	held := ^uint64(0)
	if r, ok := s.recentOf(doc); ok {
		held = r.terms
	}
	for k := range s.terms {
		if k < 64 && held&(1<<k) == 0 {
			continue
		}
		t := &s.terms[k]
		locs, err := t.locationsAt(doc)
		if err != nil {
			return err
		}
		d.FieldTermLocations = appendLocations(d.FieldTermLocations, t.term, locs)
	}
	return nil
}

// appendLocations appends a term's locations to ftls.
func appendLocations(ftls []search.FieldTermLocation, term string, locs []segment.Location) []search.FieldTermLocation {
	for _, l := range locs {
		ftls = append(ftls, search.FieldTermLocation{
			Field:    l.Field(),
			Term:     term,
			Location: search.Location{Pos: l.Pos(), Start: l.Start(), End: l.End()},
		})
	}
	return ftls
}

// locationsAt returns the term's locations in document doc, or none
// when the term is not there, from vec: doc is never before the one
// asked for last.
func (t *anyTerm) locationsAt(doc uint64) ([]segment.Location, error) {
	v := t.vec
	if !t.vstarted {
		t.vstarted = true
		if err := v.next(); err != nil {
			return nil, err
		}
	}
	if !v.done && v.doc < doc {
		if err := v.advance(doc); err != nil {
			return nil, err
		}
	}
	if v.done || v.doc != doc {
		return nil, nil
	}
	return v.locs, nil
}

// termsByCount orders a match query's terms as bleve's disjunction orders
// its term searchers.
type termsByCount []anyTerm

func (l termsByCount) Len() int           { return len(l) }
func (l termsByCount) Less(i, j int) bool { return l[i].count < l[j].count }
func (l termsByCount) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }

// termGroups orders match queries as bleve's disjunction orders their
// searchers, whose count is the sum of their terms'.
type termGroups []termsByCount

func (l termGroups) Len() int           { return len(l) }
func (l termGroups) Less(i, j int) bool { return l[i].count() < l[j].count() }
func (l termGroups) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }

func (g termsByCount) count() uint64 {
	var n uint64
	for _, t := range g {
		n += t.count
	}
	return n
}

// anyWordsSearcher is the searcher of an anyWordsQuery.
type anyWordsSearcher struct {
	terms   []anyTerm
	clauses []int // terms per clause
	lengths bm25Lengths
	// pruned is set when the search prunes: matches go without their
	// locations, which locate reads for those that may reach the page.
	pruned  bool
	recent  [8]recentMatch // ring of the last matches, by document
	next8   int
	started bool
	// scratch, per clause: the sum of its matched terms' scores and their
	// number
	sums    []float64
	matched []int
}

func (s *anyWordsSearcher) start() error {
	s.started = true
	s.sums = make([]float64, len(s.clauses))
	s.matched = make([]int, len(s.clauses))
	for k := range s.terms {
		if err := s.next(k); err != nil {
			return err
		}
	}
	return nil
}

// next moves term k to its next document.
func (s *anyWordsSearcher) next(k int) error { return s.terms[k].p.next() }

// score is bleve's BM25 score of the term's current document
// (scorer.TermQueryScorer.Score).
func (t *anyTerm) score(l *bm25Lengths) float64 {
	var tf float64
	if f := t.p.freq; f < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(f)]
	} else {
		tf = math.Sqrt(float64(f))
	}
	var score float64
	if l.avg > 0 {
		score = t.idf * (tf * search.BM25_k1) / (tf + l.of(t.p))
	} else {
		score = tf * t.p.normOf() * t.idf
	}
	if t.weight != 1.0 {
		score *= t.weight
	}
	return score
}

// Next implements search.Searcher.
func (s *anyWordsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	return s.match(ctx)
}

// match returns the lowest current document, scored, and moves its terms
// on.
func (s *anyWordsSearcher) match(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	low, any := uint64(math.MaxUint64), false
	for k := range s.terms {
		if t := &s.terms[k]; !t.p.done && (!any || t.p.doc < low) {
			low, any = t.p.doc, true
		}
	}
	if !any {
		return nil, nil
	}
	clear(s.sums)
	clear(s.matched)
	rv := ctx.DocumentMatchPool.Get()
	rv.IndexInternalID = bindex.NewIndexInternalID(rv.IndexInternalID, low)
	for k := range s.terms {
		t := &s.terms[k]
		if t.p.done || t.p.doc != low {
			continue
		}
		// Each match query sums its terms' scores (in order) and the
		// disjunction of match queries sums theirs, each as bleve's
		// disjunction scorer does.
		if s.matched[t.clause] == 0 {
			s.sums[t.clause] = 0 + t.score(&s.lengths)
		} else {
			s.sums[t.clause] += t.score(&s.lengths)
		}
		s.matched[t.clause]++
	}
	var sum float64
	clauses := 0
	for c, n := range s.matched {
		if n == 0 {
			continue
		}
		cs := s.sums[c] * (float64(n) / float64(s.clauses[c]))
		if clauses == 0 {
			sum = 0 + cs
		} else {
			sum += cs
		}
		clauses++
	}
	rv.Score = sum * (float64(clauses) / float64(len(s.clauses)))
	if s.pruned {
		var held uint64
		for k := range s.terms {
			if t := &s.terms[k]; !t.p.done && t.p.doc == low && k < 64 {
				held |= 1 << k
			}
		}
		if len(s.terms) > 64 {
			held = ^uint64(0)
		}
		s.recent[s.next8] = recentMatch{low, clauses, held}
		s.next8 = (s.next8 + 1) % len(s.recent)
	} else {
		for k := range s.terms {
			t := &s.terms[k]
			if t.p.done || t.p.doc != low {
				continue
			}
			rv.FieldTermLocations = appendLocations(rv.FieldTermLocations, t.term, t.p.locs)
		}
	}
	for k := range s.terms {
		if t := &s.terms[k]; !t.p.done && t.p.doc == low {
			if err := s.next(k); err != nil {
				return nil, err
			}
		}
	}
	return rv, nil
}

// Advance implements search.Searcher. Terms already at or past id stay
// where they are.
func (s *anyWordsSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	target := binary.BigEndian.Uint64(id)
	for k := range s.terms {
		t := &s.terms[k]
		if t.p.done || t.p.doc >= target {
			continue
		}
		if err := t.p.advance(target); err != nil {
			return nil, err
		}
	}
	return s.match(ctx)
}

// Weight implements search.Searcher: the sum of the match queries'
// weights, each the sum of its terms' (as bleve's disjunctions add them).
func (s *anyWordsSearcher) Weight() float64 {
	var w float64
	k := 0
	for _, n := range s.clauses {
		var c float64
		for _, t := range s.terms[k : k+n] {
			c += t.weightSq()
		}
		w += c
		k += n
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *anyWordsSearcher) SetQueryNorm(qnorm float64) {
	for k := range s.terms {
		s.terms[k].setNorm(qnorm)
	}
}

// Count implements search.Searcher (an upper bound, as bleve's).
func (s *anyWordsSearcher) Count() uint64 {
	var n uint64
	for _, t := range s.terms {
		n += t.count
	}
	return n
}

// Min implements search.Searcher.
func (s *anyWordsSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *anyWordsSearcher) Size() int { return 64 + 128*len(s.terms) }

// DocumentMatchPoolSize implements search.Searcher.
func (s *anyWordsSearcher) DocumentMatchPoolSize() int { return 1 + len(s.terms) }

// Close implements search.Searcher: postings hold nothing to release.
func (s *anyWordsSearcher) Close() error { return nil }
