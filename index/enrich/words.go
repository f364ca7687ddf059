package enrich

import (
	"cmp"
	"math/bits"
	"slices"
)

// Matching compares word numbers, not strings. New numbers every lower-case
// word of the phrases of its tries and topic rules, and of the name rules'
// word lists (Tagger.indexWords); each token gets its word's number once,
// when the paragraph is tokenised (token.id, 0 for a word of none of them:
// most words of a text); the edges of every node are then looked up by
// number (wordKeys), and the name rules' flags by index (nameRules.flags).
// The tries and rules that look up the same token share the one string
// lookup (wordTable).

// wordNumbers numbers words from 1 while a Tagger is built.
type wordNumbers map[string]uint32

// add numbers word if it has no number yet.
func (wn wordNumbers) add(word string) {
	if _, ok := wn[word]; !ok {
		wn[word] = uint32(len(wn) + 1)
	}
}

// indexWords numbers the words of t's tries, topic rules and name rules,
// indexes the edges of all nodes by word number and sets t.words. It is
// called once, after the last phrase is added.
func (t *Tagger) indexWords() {
	wn := wordNumbers{}
	for _, tr := range t.tries() {
		tr.root.addWords(wn)
	}
	t.topics.root.addWords(wn)
	for w := range t.names.words {
		wn.add(w)
	}
	for _, tr := range t.tries() {
		tr.root.index(wn, true)
		tr.indexFirst(len(wn))
	}
	t.topics.root.index(wn, true)
	t.names.flags = make([]uint16, len(wn)+1)
	for w, f := range t.names.words {
		t.names.flags[wn[w]] = f
	}
	t.names.words = nil // flags holds them
	t.names.givenFilter = new(hashFilter)
	for w := range t.names.given {
		t.names.givenFilter.add(hashOf(lowerWord(w)))
	}
	t.words = newWordTable(wn)
}

// wordTable finds the numbers of words: an open-addressing hash table,
// quicker than a map for the short words of a text. A word's first 8
// bytes, as a number (wordKey), and its length stand for a word of up to 8
// bytes, so that only longer words compare bytes.
type wordTable struct {
	// filter holds the hashes of the words (wordHash): most words of a
	// text are not in the table, and most of those are told by this
	// small bitset alone.
	filter *hashFilter
	slots  []wordSlot // a power of two long, at most half full
	words  []string   // words[id] is the word numbered id; words[0] is ""
	shift  uint8      // 64 - log2(len(slots))
}

// wordSlot is a slot of a wordTable: a word's number (0 when empty), its
// length and its first 8 bytes (k1 of wordKey).
type wordSlot struct {
	key     uint64
	id, len uint32
}

// newWordTable makes a table of the numbered words.
func newWordTable(wn wordNumbers) *wordTable {
	bits := uint8(4)
	for 1<<bits < 2*len(wn) {
		bits++
	}
	wt := &wordTable{filter: new(hashFilter), slots: make([]wordSlot, 1<<bits), words: make([]string, len(wn)+1), shift: 64 - bits}
	for w, id := range wn {
		wt.words[id] = w
		k1, k2 := wordKey(w)
		h := wordHash(k1, k2, len(w))
		wt.filter.add(uint32(h >> hashShift))
		k := wt.slot(h)
		for wt.slots[k].id != 0 {
			k = wt.next(k)
		}
		wt.slots[k] = wordSlot{key: k1, id: id, len: uint32(len(w))}
	}
	return wt
}

// wordPad is how many bytes wordTable.number may read after a word in
// its string.
const wordPad = 8

// wordKey returns the first 8 bytes of w and the next 8, as little-endian
// numbers padded with zeros.
func wordKey(w string) (k1, k2 uint64) {
	for i := range min(len(w), 16) {
		if c := uint64(w[i]); i < 8 {
			k1 |= c << (8 * i)
		} else {
			k2 |= c << (8 * (i - 8))
		}
	}
	return k1, k2
}

// load64 returns the first 8 bytes of s as a little-endian number (one
// load: the compiler merges the byte loads).
func load64(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// lowBytes returns a mask of the low n bytes of a number (all of them
// from 8).
func lowBytes(n int) uint64 {
	return ^uint64(0) >> (64 - 8*min(n, 8))
}

// wordHash returns the hash of a word of length n and key k1, k2.
func wordHash(k1, k2 uint64, n int) uint64 {
	return (k1 ^ k2*0xff51afd7ed558ccd ^ uint64(n)) * 0x9e3779b97f4a7c15
}

// hashShift picks the bits of a wordHash kept in token.hash, below those
// that pick a slot.
const hashShift = 20

// hashOf returns the token.hash of word w, a word's low.
func hashOf(w string) uint32 {
	k1, k2 := wordKey(w)
	return uint32(wordHash(k1, k2, len(w)) >> hashShift)
}

// hashFilter is a set of 1<<16 bits, picked by the low 16 bits of a
// token.hash: it tells most words apart from those of a small set.
type hashFilter [1 << 16 / 64]uint64

// add adds the word of hash h.
func (hf *hashFilter) add(h uint32) {
	h &= 1<<16 - 1
	hf[h/64] |= 1 << (h % 64)
}

// has reports whether a word of hash h may have been added; it is true
// for every word added.
func (hf *hashFilter) has(h uint32) bool {
	h &= 1<<16 - 1
	return hf[h/64]&(1<<(h%64)) != 0
}

// slot returns the first slot of a word of hash h.
func (wt *wordTable) slot(h uint64) int { return int(h >> wt.shift) }

// next returns the slot after slot k.
func (wt *wordTable) next(k int) int { return (k + 1) & (len(wt.slots) - 1) }

// number sets the word number (0 for a word without one), hash and pre
// of t from its low, which is src[off:off+len(t.low)]. Where src has
// wordPad bytes after it, it reads low's key (wordKey) 8 bytes at a time.
func (wt *wordTable) number(t *token, src string, off int) {
	w := t.low
	var k1, k2 uint64
	if n := len(w); off+n+wordPad <= len(src) {
		k1 = load64(src[off:]) & lowBytes(n)
		if n > 8 {
			k2 = load64(src[off+8:]) & lowBytes(n-8)
		}
	} else {
		k1, k2 = wordKey(w)
	}
	h := wordHash(k1, k2, len(w))
	t.hash, t.pre, t.id = uint32(h>>hashShift), uint32(k1), 0
	if !wt.filter.has(t.hash) {
		return
	}
	for k := wt.slot(h); ; k = wt.next(k) {
		s := &wt.slots[k]
		if s.id == 0 {
			return
		}
		if s.key == k1 && int(s.len) == len(w) && (len(w) <= 8 || wt.words[s.id] == w) {
			t.id = s.id
			return
		}
	}
}

// wordSet is a set of word numbers, as bits.
type wordSet []uint64

// newWordSet returns the set of ids among n numbered words.
func newWordSet(ids []uint32, n int) wordSet {
	ws := make(wordSet, n/64+1)
	for _, id := range ids {
		ws[id/64] |= 1 << (id % 64)
	}
	return ws
}

// has reports whether id, a word number or 0, is in ws.
func (ws wordSet) has(id uint32) bool {
	return ws[id/64]&(1<<(id%64)) != 0
}

// wordKeys are the word numbers of the edges of a node: edge k leaves by
// word ids[k]. Those of a root, or of a node with many edges, are also a
// set with the rank of each of its words: found in constant time, in
// little memory.
type wordKeys struct {
	ids  []uint32 // sorted
	set  wordSet  // nil for a node with few edges
	rank []uint32 // rank[w] is the number of words in set[:w]
}

// fewKeys is the number of edges up to which a node that is not a root
// has no set.
const fewKeys = 16

// newWordKeys indexes the word numbers of the edges of a root or other
// node among n numbered words; ids must be sorted.
func newWordKeys(ids []uint32, n int, root bool) wordKeys {
	wk := wordKeys{ids: ids}
	if root || len(ids) > fewKeys {
		wk.set = newWordSet(ids, n)
		wk.rank = make([]uint32, len(wk.set))
		r := 0
		for w, b := range wk.set {
			wk.rank[w] = uint32(r)
			r += bits.OnesCount64(b)
		}
	}
	return wk
}

// find returns the index of the edge that leaves by word number id, or
// -1.
func (wk *wordKeys) find(id uint32) int {
	if wk.set == nil {
		return wk.search(id)
	}
	b := wk.set[id/64]
	bit := uint64(1) << (id % 64)
	if b&bit == 0 {
		return -1
	}
	return int(wk.rank[id/64]) + bits.OnesCount64(b&(bit-1))
}

// search is find for a node with few edges.
func (wk *wordKeys) search(id uint32) int {
	for k, x := range wk.ids {
		if x == id {
			return k
		}
	}
	return -1
}

// numbered is an edge (or the edges) leaving a node by one word, with the
// word's number, while nodes are indexed.
type numbered[E any] struct {
	id   uint32
	edge E
}

// byNumber returns the edges of m (word → edge) sorted by word number,
// the sorted numbers and the edges in that order.
func byNumber[E any](m map[string]E, wn wordNumbers) ([]uint32, []E) {
	s := make([]numbered[E], 0, len(m))
	for w, e := range m {
		s = append(s, numbered[E]{wn[w], e})
	}
	slices.SortFunc(s, func(a, b numbered[E]) int { return cmp.Compare(a.id, b.id) })
	ids, edges := make([]uint32, len(s)), make([]E, len(s))
	for k, x := range s {
		ids[k], edges[k] = x.id, x.edge
	}
	return ids, edges
}

// indexFirst sets tr.first and tr.anyCase from the indexed root among
// n numbered words.
func (tr *trie) indexFirst(n int) {
	tr.first = tr.root.keys.set
	var anyCase []uint32
	for k, es := range tr.root.edges {
		if slices.ContainsFunc(es, func(e tedge) bool { return e.mode == '~' }) {
			anyCase = append(anyCase, tr.root.keys.ids[k])
		}
	}
	tr.anyCase = newWordSet(anyCase, n)
}

// addWords numbers the words of the edges below n.
func (n *tnode) addWords(wn wordNumbers) {
	for w, es := range n.next {
		wn.add(w)
		for _, e := range es {
			e.child.addWords(wn)
		}
	}
}

// index indexes the edges below n by word number and drops their words;
// root says whether n is the root.
func (n *tnode) index(wn wordNumbers, root bool) {
	var ids []uint32
	ids, n.edges = byNumber(n.next, wn)
	n.keys = newWordKeys(ids, len(wn), root)
	n.next = nil
	for _, es := range n.edges {
		for _, e := range es {
			e.child.index(wn, false)
		}
	}
}

// addWords numbers the words of the edges below n.
func (n *rnode) addWords(wn wordNumbers) {
	for w, c := range n.next {
		wn.add(w)
		c.addWords(wn)
	}
	for _, es := range n.stems {
		for _, e := range es {
			e.n.addWords(wn)
		}
	}
}

// index indexes the word edges below n by word number and their stem
// edges by stemKey; root says whether n is the root.
func (n *rnode) index(wn wordNumbers, root bool) {
	var ids []uint32
	ids, n.kids = byNumber(n.next, wn)
	n.keys = newWordKeys(ids, len(wn), root)
	n.next = nil
	if n.stems != nil {
		n.stemIndex = newStemTable(n.stems)
		n.stems = nil
	}
	for _, c := range n.kids {
		c.index(wn, false)
	}
	for _, es := range n.stemIndex.edges {
		for _, e := range es {
			e.n.index(wn, false)
		}
	}
}

// stemKey packs the first minStem bytes of w (which has at least that
// many; minStem is at most 4) into a number, little-endian, as they are
// in token.pre.
func stemKey(w string) uint32 {
	var k uint32
	for i := range minStem {
		k |= uint32(w[i]) << (8 * i)
	}
	return k
}

// stemMask keeps the first minStem bytes of a token.pre.
const stemMask = 1<<(8*minStem) - 1
