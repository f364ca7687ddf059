package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
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
// flat: one reader of zap's postings per term, the lowest document among
// them, and the concept tree's BM25, coordination, weights and query
// norms computed in the order bleve computes them, so that matches,
// scores and term locations are exactly bleve's (TestAnyWordsMatchesBleve).
// Under a pruning search (prune.go) it returns matches without their
// locations and reads those on demand.

// anyWordsQuery matches the paragraphs whose field holds any term of its
// tree (root), which stands for a bleve query made of plain match
// queries on the field and, around them, disjunctions, weights (weighted)
// and sums of alternatives (sumQuery): the words of a search, their
// aliases and derived forms. It falls back to that bleve query (bleve)
// when the search does not score (facet counts) or explains.
type anyWordsQuery struct {
	field string
	root  *wordNode
	bleve query.Query // the query it stands for
	dense *denseColumns
}

// nodeKind is what a wordNode stands for.
type nodeKind int

const (
	nodeTerm  nodeKind = iota // a term searcher
	nodeOr                    // bleve's disjunction of the kids (a match query, a disjunction)
	nodeScale                 // the kid's score times scale (weighted)
	nodeSum                   // sumQuery: the sum of the alternatives matched
	// nodePhrase is phraseQuery's conjunction of its words' term
	// searchers, filtered to the documents holding them side by side:
	// the sum of its words' scores, the locations of the phrase only.
	nodePhrase
)

// wordNode is a node of an anyWordsQuery's tree.
type wordNode struct {
	kind  nodeKind
	term  string  // nodeTerm: the analysed term
	boost float64 // nodeTerm: its match query's boost
	// field, when set, is a facet term's field: the term of a facet
	// value that a concept's alternatives hold (markedQuery), which
	// leaves mark as its location.
	field string
	mark  *search.FieldTermLocation
	scale float64 // nodeScale
	kids  []*wordNode
	// offsets are, for a phrase, each word's position from the first's
	// (its kids are its words, in order).
	offsets []uint64
}

// anyWords returns the flat form of the disjunction of clauses on the
// text (whole, or the one clause), or false when a clause holds anything
// but plain match queries on field (fuzzy, another field, analyser or
// operator, a phrase, a facet term), weights and sums of alternatives,
// or a match query that analyses to no term.
func (s *Searcher) anyWords(field string, clauses []query.Query, whole query.Query) (*anyWordsQuery, bool) {
	root, ok := s.flattenKids(field, nodeOr, clauses)
	switch {
	case !ok || len(root.kids) == 0:
		return nil, false
	case len(root.kids) == 1:
		root = root.kids[0]
	}
	return &anyWordsQuery{field: field, root: root, bleve: whole, dense: s.dense}, true
}

// flatten returns the node q stands for.
func (s *Searcher) flatten(field string, q query.Query) (*wordNode, bool) {
	switch x := q.(type) {
	case *query.MatchQuery:
		if x.FieldVal != field || x.Analyzer != "" || x.Fuzziness != 0 || x.Prefix != 0 || x.Operator != query.MatchQueryOperatorOr || autoFuzzy(x) {
			return nil, false
		}
		toks := s.analyzer.Analyze([]byte(x.Match))
		if len(toks) == 0 {
			return nil, false // bleve's match-none searcher would count in the coordination
		}
		n := &wordNode{kind: nodeOr}
		for _, t := range toks {
			n.kids = append(n.kids, &wordNode{kind: nodeTerm, term: string(t.Term), boost: x.Boost()})
		}
		return n, true
	case *query.DisjunctionQuery:
		if x.Min > 1 || len(x.Disjuncts) == 0 {
			return nil, false
		}
		return s.flattenKids(field, nodeOr, x.Disjuncts)
	case *sumQuery:
		if len(x.alts) > 64 {
			return nil, false
		}
		return s.flattenKids(field, nodeSum, x.alts)
	case *markedQuery:
		t, ok := x.q.(*query.TermQuery)
		if !ok || t.FieldVal == "" || t.FieldVal == field {
			return nil, false
		}
		mark := x.mark
		return &wordNode{kind: nodeTerm, term: t.Term, boost: t.Boost(), field: t.FieldVal, mark: &mark}, true
	case *phraseQuery:
		if x.field != field {
			return nil, false
		}
		toks := s.analyzer.Analyze([]byte(x.text))
		switch len(toks) {
		case 0:
			return nil, false // bleve's match-none searcher would count in the coordination
		case 1:
			return &wordNode{kind: nodeTerm, term: string(toks[0].Term), boost: x.Boost()}, true
		}
		n := &wordNode{kind: nodePhrase}
		for _, t := range toks {
			n.kids = append(n.kids, &wordNode{kind: nodeTerm, term: string(t.Term), boost: x.Boost()})
			n.offsets = append(n.offsets, uint64(t.Position-toks[0].Position))
		}
		return n, true
	case *rescoreQuery:
		if x.scale == 0 || x.prune != nil {
			return nil, false
		}
		kid, ok := s.flatten(field, x.q)
		if !ok {
			return nil, false
		}
		return &wordNode{kind: nodeScale, scale: x.scale, kids: []*wordNode{kid}}, true
	}
	return nil, false
}

func (s *Searcher) flattenKids(field string, kind nodeKind, qs []query.Query) (*wordNode, bool) {
	n := &wordNode{kind: kind}
	for _, q := range qs {
		kid, ok := s.flatten(field, q)
		if !ok {
			return nil, false
		}
		n.kids = append(n.kids, kid)
	}
	return n, true
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
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return aw.bleve.Searcher(ctx, i, m, options)
	}
	segs := snap.Segments()
	offsets := newDocSegments(segs).offsets
	aw.dense.retain(segs)
	// The fields searched: the words', and those of the facet terms.
	fields := map[string]*fieldPostings{}
	for _, name := range aw.root.fields([]string{aw.field}) {
		avg, ok := fieldAvg(stats, name)
		if !ok {
			if name == aw.field {
				return nil, fmt.Errorf("field stat for bm25 not present %s", aw.field)
			}
			return aw.bleve.Searcher(ctx, i, m, options) // as bleve fails it
		}
		f := &fieldPostings{lengths: &bm25Lengths{avg: avg}}
		var err error
		if f.dicts, err = fieldDicts(segs, name); err != nil {
			return nil, err
		}
		fields[name] = f
	}
	dicts := fields[aw.field].dicts
	var err error
	// Under a pruning search, the first flat words read their matches
	// without locations and the locations on demand (locate).
	top, _ := ctx.Value(topScoresKey{}).(*topScores)
	if top != nil && top.words != nil {
		top = nil // another searcher reads the locations for this search
	}
	s := &anyWordsSearcher{field: aw.field}
	open := func(n *wordNode, phrase bool) (int, error) {
		if err := search.RecordTermSearcher(ctx); err != nil {
			return 0, err
		}
		f := fields[aw.field]
		if n.field != "" {
			f = fields[n.field]
		}
		// Pruning reads the locations of the matches it keeps from
		// postings of their own; a phrase needs its words' positions at
		// every candidate; a facet term has none.
		locs := phrase || options.IncludeTermVectors && top == nil && n.mark == nil
		name := aw.field
		if n.field != "" {
			name = n.field
		}
		p, err := newTermPostings(segs, offsets, f.dicts, []byte(n.term), locs, aw.dense, name)
		if err != nil {
			return 0, err
		}
		s.terms = append(s.terms, anyTerm{p: p, term: n.term, count: p.count, idf: bm25IDF(f.lengths.avg, docTotal, p.count),
			inPhrase: phrase, mark: n.mark, lengths: f.lengths})
		return len(s.terms) - 1, nil
	}
	if s.root, err = s.build(aw.root, open); err != nil {
		return nil, err
	}
	s.phraseNodes = appendPhrases(s.phraseNodes, s.root)
	s.eager = len(s.phraseNodes) > 0
	for k := range s.terms {
		s.eager = s.eager || s.terms[k].mark != nil
	}
	if len(s.terms) > 64 {
		// recentMatch keeps the terms of a match in 64 bits.
		return aw.bleve.Searcher(ctx, i, m, options)
	}
	s.pruned = top.claim(s)
	s.offsets = offsets
	if s.pruned {
		if s.sk, err = newSkipper(ctx, s, top, segs, stats); err != nil {
			return nil, err
		}
	}
	s.openVec = func(term string) (*termPostings, error) {
		return newTermPostings(segs, offsets, dicts, []byte(term), true, aw.dense, aw.field)
	}
	// Every disjunction bleve builds sets its query norm on the terms
	// under it, the outermost last: that one stays.
	s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	return s, nil
}

// snode is a node of an anyWordsSearcher's tree: a wordNode with its
// kids in bleve's order (by count) and its terms' postings open.
type snode struct {
	kind  nodeKind
	term  int // nodeTerm: index in terms
	scale float64
	count uint64 // bleve's Count of the searcher it stands for
	kids  []*snode
	// phrase is a phrase's state: its kids are its words, in the order
	// of bleve's conjunction.
	phrase *phraseNode
}

// phraseNode is a phrase's matcher and its finding at one document.
type phraseNode struct {
	match phraseMatcher
	words uint64 // its words' terms (bits)
	at    uint64 // 1 + the document looked at last
	found bool
	locs  []search.FieldTermLocation // its words' locations, merged as bleve's conjunction does
	kept  []search.FieldTermLocation // those of the phrase, when found
}

// build returns the searcher's node of n, opening its terms with open.
// bleve's disjunctions order their searchers by count, fewest matches
// first, and add scores, weights and locations in that order: so do
// these (with the same sort, for the same order of ties).
func (s *anyWordsSearcher) build(n *wordNode, open func(n *wordNode, phrase bool) (int, error)) (*snode, error) {
	sn := &snode{kind: n.kind, scale: n.scale}
	if n.kind == nodeTerm {
		k, err := open(n, false)
		if err != nil {
			return nil, err
		}
		sn.term = k
		s.terms[k].boost = n.boost
		sn.count = s.terms[k].count
		return sn, nil
	}
	if n.kind == nodePhrase {
		// bleve's conjunction orders its words by count, as its
		// disjunctions do; the phrase is looked for in the words' order.
		sn.phrase = &phraseNode{match: phraseMatcher{field: s.field, offsets: n.offsets}}
		for _, w := range n.kids {
			k, err := open(w, true)
			if err != nil {
				return nil, err
			}
			s.terms[k].boost = w.boost
			sn.kids = append(sn.kids, &snode{kind: nodeTerm, term: k, count: s.terms[k].count})
			sn.count += s.terms[k].count
			sn.phrase.match.terms = append(sn.phrase.match.terms, w.term)
			sn.phrase.words |= 1 << (k & 63)
		}
		s.intersect(sn)
		sort.Sort(byCount(sn.kids))
		return sn, nil
	}
	for _, kid := range n.kids {
		c, err := s.build(kid, open)
		if err != nil {
			return nil, err
		}
		sn.kids = append(sn.kids, c)
		sn.count += c.count
	}
	if n.kind == nodeScale {
		return sn, nil
	}
	// A disjunction or sum of one searcher scores, counts, weighs and
	// locates as that searcher does (its share of kids matched is 1).
	if len(sn.kids) == 1 {
		return sn.kids[0], nil
	}
	sort.Sort(byCount(sn.kids))
	return sn, nil
}

// byCount orders searchers as bleve's disjunctions do.
type byCount []*snode

func (l byCount) Len() int           { return len(l) }
func (l byCount) Less(i, j int) bool { return l[i].count < l[j].count }
func (l byCount) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }

// weight is bleve's Weight of the searcher n stands for: a term's (boost
// × idf)², the sum of a disjunction's kids' in order, a weighted kid's.
func (s *anyWordsSearcher) weight(n *snode) float64 {
	if n.kind == nodeTerm {
		return s.terms[n.term].weightSq()
	}
	var w float64
	for _, kid := range n.kids {
		w += s.weight(kid)
	}
	return w
}

// eval returns the score of n's searcher for document doc, and whether
// it matches, as bleve's searchers compute it: a disjunction adds its
// kids' scores in order and multiplies the sum by the share of kids
// matched; sumQuery then divides that share out again.
func (s *anyWordsSearcher) eval(n *snode, doc uint64) (float64, bool) {
	switch n.kind {
	case nodeTerm:
		t := &s.terms[n.term]
		if t.p.done || t.p.doc != doc {
			return 0, false
		}
		return t.score(), true
	case nodeScale:
		sc, ok := s.eval(n.kids[0], doc)
		if !ok {
			return 0, false
		}
		return sc * n.scale, true
	case nodePhrase:
		if !s.phraseAt(n, doc) {
			return 0, false
		}
		// The conjunction's score: its words' scores, added in its order.
		var sum float64
		for _, kid := range n.kids {
			sum += s.terms[kid.term].score()
		}
		return sum, true
	}
	score, m := s.evalKids(n, doc)
	return score, m > 0
}

// phraseAt reports whether document doc holds phrase n: its words all
// there, side by side. It merges their locations as bleve's conjunction
// does and keeps those of the phrase, as phraseQuery does.
func (s *anyWordsSearcher) phraseAt(n *snode, doc uint64) bool {
	ph := n.phrase
	if ph.at == doc+1 {
		return ph.found
	}
	ph.at, ph.found = doc+1, false
	for _, kid := range n.kids {
		if t := &s.terms[kid.term]; t.p.done || t.p.doc != doc {
			return false
		}
	}
	ph.locs = ph.locs[:0]
	for _, kid := range n.kids {
		t := &s.terms[kid.term]
		ph.locs = appendLocations(ph.locs, t.term, t.p.locs)
	}
	ph.kept, ph.found = ph.match.filter(ph.locs)
	return ph.found
}

// evalKids returns the score of n, a disjunction or sum, for doc and the
// number of its kids that match.
func (s *anyWordsSearcher) evalKids(n *snode, doc uint64) (float64, int) {
	var sum float64
	m := 0
	for _, kid := range n.kids {
		var sc float64
		if kid.kind == nodeTerm {
			t := &s.terms[kid.term]
			if t.p.done || t.p.doc != doc {
				continue
			}
			sc = t.score()
		} else {
			var ok bool
			if sc, ok = s.eval(kid, doc); !ok {
				continue
			}
		}
		sum += sc
		m++
	}
	if m == 0 {
		return 0, 0
	}
	score := sum * (float64(m) / float64(len(n.kids)))
	if n.kind == nodeSum {
		score = score * float64(len(n.kids)) / float64(m)
	}
	return score, m
}

// locations appends the locations of n's terms in their current
// document doc, in the order bleve's disjunctions merge them.
func (s *anyWordsSearcher) locations(n *snode, doc uint64, ftls []search.FieldTermLocation) []search.FieldTermLocation {
	switch n.kind {
	case nodeTerm:
		if t := &s.terms[n.term]; !t.p.done && t.p.doc == doc {
			if t.mark != nil {
				return append(ftls, *t.mark)
			}
			ftls = appendLocations(ftls, t.term, t.p.locs)
		}
		return ftls
	case nodePhrase:
		if s.phraseAt(n, doc) {
			ftls = append(ftls, n.phrase.kept...)
		}
		return ftls
	}
	for _, kid := range n.kids {
		ftls = s.locations(kid, doc, ftls)
	}
	return ftls
}

// evalRoot returns doc's score and how many of the root's clauses (the
// query's concepts) it matches.
func (s *anyWordsSearcher) evalRoot(doc uint64) (float64, int) {
	if s.root.kind != nodeOr {
		score, ok := s.eval(s.root, doc)
		if !ok {
			return 0, 0
		}
		return score, 1
	}
	return s.evalKids(s.root, doc)
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
	p    *termPostings // at the term's current document unless p.done
	term string
	// inPhrase is set for a phrase's word: its postings carry their
	// locations, and the phrase gives those of a match.
	inPhrase bool
	// mark, for a facet term, is its location in a match.
	mark    *search.FieldTermLocation
	lengths *bm25Lengths // of its field
	count   uint64       // documents holding the term
	boost   float64
	idf     float64
	weight  float64 // bleve's queryWeight: boost × idf × query norm
	// vec, when pruning, reads the locations of the matches kept; it is
	// only ever advanced, to documents the term holds.
	vec *termPostings
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
		if k < 64 && held&(1<<k) == 0 || s.terms[k].inPhrase || s.terms[k].mark != nil {
			continue
		}
		locs, err := s.locationsAt(k, doc)
		if err != nil {
			return err
		}
		d.FieldTermLocations = appendLocations(d.FieldTermLocations, s.terms[k].term, locs)
	}
	return nil
}

// appendPhrases appends the phrases under n to list.
func appendPhrases(list []*snode, n *snode) []*snode {
	if n.kind == nodePhrase {
		return append(list, n)
	}
	for _, kid := range n.kids {
		list = appendPhrases(list, kid)
	}
	return list
}

// eagerLocations appends the locations of the phrases and facet terms
// under n found in doc.
func (s *anyWordsSearcher) eagerLocations(n *snode, doc uint64, ftls []search.FieldTermLocation) []search.FieldTermLocation {
	if n.kind == nodePhrase || n.kind == nodeTerm && s.terms[n.term].mark != nil {
		return s.locations(n, doc, ftls)
	}
	for _, kid := range n.kids {
		ftls = s.eagerLocations(kid, doc, ftls)
	}
	return ftls
}

// walk calls fn for n and every node under it.
func (n *wordNode) walk(fn func(*wordNode)) {
	fn(n)
	for _, kid := range n.kids {
		kid.walk(fn)
	}
}

// fieldPostings are a field's dictionaries and lengths in a search.
type fieldPostings struct {
	dicts   []segment.TermDictionary
	lengths *bm25Lengths
}

// fields appends to list the fields of the facet terms under n.
func (n *wordNode) fields(list []string) []string {
	if n.field != "" && !slices.Contains(list, n.field) {
		list = append(list, n.field)
	}
	for _, kid := range n.kids {
		list = kid.fields(list)
	}
	return list
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

// locationsAt returns term k's locations in document doc, or none when
// the term is not there, from its vec postings (opened on the first
// call): doc is never before the one asked for last.
func (s *anyWordsSearcher) locationsAt(k int, doc uint64) ([]segment.Location, error) {
	t := &s.terms[k]
	if t.vec == nil {
		v, err := s.openVec(t.term)
		if err != nil {
			return nil, err
		}
		if err := v.next(); err != nil {
			return nil, err
		}
		t.vec = v
	}
	v := t.vec
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

// anyWordsSearcher is the searcher of an anyWordsQuery.
type anyWordsSearcher struct {
	field string
	terms []anyTerm // the tree's terms
	eager bool      // the tree holds phrases or facet terms
	// phraseNodes are the tree's phrases.
	phraseNodes []*snode
	root        *snode
	openVec     func(term string) (*termPostings, error)
	qnorm       float64 // the query norm set last
	// pruned is set when the search prunes: matches go without their
	// locations, which locate reads for those that may reach the page.
	pruned  bool
	sk      *skipper       // set when the search skips (skipping.go)
	offsets []uint64       // first document number of each segment, and the end
	recent  [8]recentMatch // ring of the last matches, by document
	next8   int
	started bool
}

func (s *anyWordsSearcher) start() error {
	s.started = true
	if s.sk != nil {
		s.sk.start(s)
	}
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
func (t *anyTerm) score() float64 {
	l := t.lengths
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
// on. When the search skips (skipping.go), that is the lowest document of
// the essential terms, to which the others move, in the search's part,
// whose score can reach the best ones.
func (s *anyWordsSearcher) match(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	sk := s.sk
	for {
		var ness uint64 // non-essential terms
		if sk != nil {
			s.updateSkip()
			ness = sk.ness
		}
		// The candidate is the lowest document of a term outside
		// phrases, or the lowest that holds all the words of a phrase.
		low, any := uint64(math.MaxUint64), false
		for k := range s.terms {
			if t := &s.terms[k]; !t.inPhrase && !t.p.done && (!any || t.p.doc < low) && ness&(1<<k) == 0 {
				low, any = t.p.doc, true
			}
		}
		for _, ph := range s.phraseNodes {
			if ph.phrase.words&^ness == 0 {
				continue // all its words are non-essential
			}
			doc, ok, err := s.align(ph)
			if err != nil {
				return nil, err
			}
			if ok && (!any || doc < low) {
				low, any = doc, true
			}
		}
		if ness != 0 {
			sk.skipped = true
		}
		if !any {
			return nil, nil
		}
		if sk != nil && !sk.part.owns(low) {
			// Another part's: on to this part's next stripe.
			if err := s.advanceTo(sk.part.next(low), ness); err != nil {
				return nil, err
			}
			continue
		}
		if ness != 0 {
			for k := range s.terms {
				if t := &s.terms[k]; ness&(1<<k) != 0 && !t.p.done && t.p.doc < low {
					if err := t.p.advance(low); err != nil {
						return nil, err
					}
				}
			}
		}
		score, clauses := s.evalRoot(low)
		if clauses == 0 {
			// Only a phrase's words, not side by side: no match.
			if err := s.moveOn(low); err != nil {
				return nil, err
			}
			continue
		}
		if sk != nil && sk.countAll {
			sk.count(low, s.offsets)
		}
		if sk != nil && sk.theta > 0 && s.cannotReach(score, clauses, low) {
			// It cannot reach the best scores, whatever its title.
			sk.skipped = true
			if err := s.moveOn(low); err != nil {
				return nil, err
			}
			continue
		}
		if sk != nil {
			sk.returned++
		}
		rv := ctx.DocumentMatchPool.Get()
		rv.IndexInternalID = bindex.NewIndexInternalID(rv.IndexInternalID, low)
		rv.Score = score
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
			// The phrases' words move on before the locations are
			// read, and the bound of the factors counts the facet
			// terms: their locations go now.
			if s.eager {
				rv.FieldTermLocations = s.eagerLocations(s.root, low, rv.FieldTermLocations)
			}
		} else {
			rv.FieldTermLocations = s.locations(s.root, low, rv.FieldTermLocations)
		}
		return rv, s.moveOn(low)
	}
}

// cannotReach reports whether document doc, whose words score score and
// cover `clauses` concepts, cannot reach the best scores, whatever its
// title: with its facet terms at their bounds, the factors at theirs.
func (s *anyWordsSearcher) cannotReach(score float64, clauses int, doc uint64) bool {
	sk := s.sk
	marks, in := sk.marksAt(doc, s.offsets)
	for k, c := range sk.termFacets {
		if t := &s.terms[k]; c != 0 && !t.p.done && t.p.doc == doc {
			in |= c
		}
	}
	return (score+marks+sk.locators)*sk.bound(clauses, in)*(1+1e-9) < sk.theta
}

// intersect narrows the postings of phrase n's words, in each segment,
// to the documents that hold them all, as scorch does for bleve's
// conjunctions: walking them then skips the documents of one word only.
func (s *anyWordsSearcher) intersect(n *snode) {
	segs := len(s.terms[n.kids[0].term].p.its)
	bms := make([]*roaring.Bitmap, len(n.kids))
	for k := range segs {
		single := false // zap walks a one-hit posting its own way
		for j, kid := range n.kids {
			p := s.terms[kid.term].p
			bm, ok := p.docs(k)
			if !ok {
				return // not zap's: walk them all
			}
			if bm == nil {
				bm = roaring.New()
			}
			_, one := p.oneHit(k)
			bms[j], single = bm, single || one
		}
		both := roaring.FastAnd(bms...)
		if both.IsEmpty() {
			for _, kid := range n.kids {
				s.terms[kid.term].p.its[k] = nil
			}
			continue
		}
		if !single {
			for _, kid := range n.kids {
				s.terms[kid.term].p.its[k].(segment.OptimizablePostingsIterator).ReplaceActual(both)
			}
		}
	}
}

// align moves the words of phrase n to their lowest common document, as
// bleve's conjunction does, and returns it; false when a word has no
// more documents.
func (s *anyWordsSearcher) align(n *snode) (uint64, bool, error) {
	for {
		var high uint64
		for _, kid := range n.kids {
			t := &s.terms[kid.term]
			if t.p.done {
				return 0, false, nil
			}
			high = max(high, t.p.doc)
		}
		same := true
		for _, kid := range n.kids {
			if t := &s.terms[kid.term]; t.p.doc < high {
				same = false
				if err := t.p.advance(high); err != nil {
					return 0, false, err
				}
			}
		}
		if same {
			return high, true, nil
		}
	}
}

// moveOn moves the terms at doc to their next documents.
func (s *anyWordsSearcher) moveOn(doc uint64) error {
	for k := range s.terms {
		if t := &s.terms[k]; !t.p.done && t.p.doc == doc {
			if err := s.next(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// advanceTo moves the terms before target, but those in skip, to their
// first documents at or after it.
func (s *anyWordsSearcher) advanceTo(target, skip uint64) error {
	for k := range s.terms {
		t := &s.terms[k]
		if t.p.done || t.p.doc >= target || skip&(1<<k) != 0 {
			continue
		}
		if err := t.p.advance(target); err != nil {
			return err
		}
	}
	return nil
}

// Advance implements search.Searcher. Terms already at or past id stay
// where they are.
func (s *anyWordsSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	var ness uint64 // non-essential terms move at the next match
	if s.sk != nil {
		ness = s.sk.ness
	}
	if err := s.advanceTo(binary.BigEndian.Uint64(id), ness); err != nil {
		return nil, err
	}
	return s.match(ctx)
}

// Weight implements search.Searcher.
func (s *anyWordsSearcher) Weight() float64 { return s.weight(s.root) }

// SetQueryNorm implements search.Searcher.
func (s *anyWordsSearcher) SetQueryNorm(qnorm float64) {
	s.qnorm = qnorm
	for k := range s.terms {
		s.terms[k].setNorm(qnorm)
	}
}

// Count implements search.Searcher (an upper bound, as bleve's).
func (s *anyWordsSearcher) Count() uint64 { return s.root.count }

// Min implements search.Searcher.
func (s *anyWordsSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *anyWordsSearcher) Size() int { return 64 + 128*len(s.terms) }

// DocumentMatchPoolSize implements search.Searcher.
func (s *anyWordsSearcher) DocumentMatchPoolSize() int { return 1 + len(s.terms) }

// Close implements search.Searcher: postings hold nothing to release; a
// skipping search reports its part's number of matches.
func (s *anyWordsSearcher) Close() error {
	s.report()
	return nil
}
