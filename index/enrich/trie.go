package enrich

import (
	"strings"
)

// Values stored at the end of a phrase in a trie.
const (
	noValue   int32 = -1 // not the end of a phrase
	stopValue int32 = -2 // the end of a stop phrase: matched, yields nothing
)

// tnode is a node of a case-aware token trie. Edges are keyed by the
// lower-case word; each edge says how the case of the text must match:
//   - '~' all lower case in the phrase ("the", "al"): any case matches;
//   - '=' all upper case ("UK", "MI5"): only the exact form matches;
//   - '^' mixed case ("China", "McCallum"): the exact form or ALL CAPS.
//
// While the trie is built, edges are keyed by the word in next; New then
// numbers the words and indexes the edges by word number in keys and
// edges (see Tagger.indexWords), so that matching a text compares small
// integers, not strings.
type tnode struct {
	next  map[string][]tedge // build time only: nil once indexed
	keys  wordKeys           // the word numbers of edges
	edges [][]tedge          // the edges by word: edges[k] leave by keys.ids[k]
	// hard is set when a phrase through this node has punctuation before
	// the node's token ("Foreign, Commonwealth and Development Office").
	hard   bool
	val    int32
	strict *strictRule // non-nil: the match needs a strictness check
	seat   bool        // a country's capital or seat of government
}

// tedge is one edge of a tnode.
type tedge struct {
	mode  byte
	surf  string // exact form, for modes '=' and '^'
	upper string // ALL-CAPS form, for mode '^'
	child *tnode
}

// strictRule guards short aliases that are also common words ("US", "IS").
// Such a match is kept only in mixed-case text (not inside a run of three or
// more ALL-CAPS words) or when a context word stands right next to it.
type strictRule struct {
	context map[string]bool // lower-case context words
	// unless holds lower-case words that, within unlessWindow words of
	// the match in its sentence, reject it: the alias names something
	// else there ("IRA" beside "retirement").
	unless map[string]bool
	// anyCase keeps the match inside a run of ALL-CAPS words: the rule
	// only applies unless.
	anyCase bool
}

// unlessWindow is how many words on each side of a match strictRule.unless
// looks at.
const unlessWindow = 5

func newNode() *tnode { return &tnode{val: noValue} }

// trie is a phrase dictionary over tokens with longest-match lookup.
type trie struct {
	root *tnode
	// first holds the numbers of the words that leave the root (see
	// indexWords), and anyCase those of them with an edge of mode '~',
	// the only ones a word without capitals takes.
	first, anyCase wordSet
}

func newTrie() *trie { return &trie{root: newNode()} }

// tokenMode returns how a phrase token's case is matched.
func tokenMode(t *token) byte {
	switch {
	case t.flags&fUpper == 0:
		return '~' // no upper case: any case
	case t.flags&fLower == 0:
		return '=' // no lower case: exact
	default:
		return '^' // mixed: exact or ALL CAPS
	}
}

// phraseKey is a canonical key for a tokenised phrase: two phrases with the
// same key match exactly the same texts.
func phraseKey(toks []token) string {
	var b strings.Builder
	for i := range toks {
		t := &toks[i]
		if i > 0 {
			if t.gap == gapHard {
				b.WriteByte('|')
			} else {
				b.WriteByte(' ')
			}
		}
		m := tokenMode(t)
		b.WriteByte(m)
		if m == '~' {
			b.WriteString(t.low)
		} else {
			b.WriteString(t.surf)
		}
	}
	return b.String()
}

// insert adds a tokenised phrase and returns its final node.
func (tr *trie) insert(toks []token) *tnode {
	n := tr.root
	for i := range toks {
		t := &toks[i]
		m := tokenMode(t)
		var c *tnode
		for _, e := range n.next[t.low] {
			if e.mode == m && (m == '~' || e.surf == t.surf) {
				c = e.child
				break
			}
		}
		if c == nil {
			c = newNode()
			e := tedge{mode: m, child: c}
			if m != '~' {
				e.surf = t.surf
			}
			if m == '^' {
				e.upper = strings.ToUpper(t.surf)
			}
			if n.next == nil {
				n.next = map[string][]tedge{}
			}
			n.next[t.low] = append(n.next[t.low], e)
		}
		if i > 0 && t.gap == gapHard {
			c.hard = true
		}
		n = c
	}
	return n
}

// child returns the node reached from n by text token t, or nil.
func (n *tnode) child(t *token) *tnode {
	k := n.keys.find(t.id)
	if k < 0 {
		return nil
	}
	es := n.edges[k]
	// The case of t, to skip comparing forms that cannot be equal: the
	// exact form of an edge of mode '=' is in capitals, that of one of
	// mode '^' in mixed case.
	caps := t.flags & (fUpper | fLower)
	// A case-exact edge wins over an any-case one.
	var anyCase *tnode
	for i := range es {
		e := &es[i]
		switch e.mode {
		case '~':
			anyCase = e.child
		case '=':
			if caps == fUpper && t.surf == e.surf {
				return e.child
			}
		default:
			if caps == fUpper|fLower && t.surf == e.surf || caps == fUpper && t.surf == e.upper {
				return e.child
			}
		}
	}
	return anyCase
}

// longest finds the longest phrase starting at toks[i]. It returns the index
// after the match and the final node, or i and nil.
func (tr *trie) longest(toks []token, i int) (int, *tnode) {
	n := tr.root
	end, best := i, (*tnode)(nil)
	for j := i; j < len(toks); j++ {
		t := &toks[j]
		c := n.child(t)
		if c == nil {
			break
		}
		if j > i && t.gap == gapHard && !c.hard {
			break
		}
		n = c
		if n.val != noValue {
			end, best = j+1, n
		}
	}
	return end, best
}

// mayStart reports whether a phrase may start at t: when it does not,
// longest finds none there. Most words start no phrase, and loops over
// all tokens check this first to skip the call.
func (tr *trie) mayStart(t *token) bool {
	if t.flags&fUpper == 0 {
		return tr.anyCase.has(t.id)
	}
	return tr.first.has(t.id)
}

// strictOK applies a strict rule to the one-token match toks[i].
func strictOK(r *strictRule, toks []token, i int) bool {
	if r.unless != nil {
		for j := i - 1; j >= 0 && j >= i-unlessWindow && !toks[j+1].is(fSent); j-- {
			if r.unless[toks[j].low] {
				return false
			}
		}
		for j := i + 1; j < len(toks) && j <= i+unlessWindow && !toks[j].is(fSent); j++ {
			if r.unless[toks[j].low] {
				return false
			}
		}
	}
	if r.anyCase {
		return true
	}
	if r.context != nil {
		if i > 0 && r.context[toks[i-1].low] {
			return true
		}
		if i+1 < len(toks) && r.context[toks[i+1].low] {
			return true
		}
	}
	return !inCapsRun(toks, i)
}

// inCapsRun reports whether toks[i] is part of a run of at least three
// ALL-CAPS words within one sentence, as in a shouted headline.
func inCapsRun(toks []token, i int) bool {
	caps := func(t *token) bool { return t.flags&(fUpper|fLower) == fUpper }
	// Only two neighbours on each side matter, which keeps this O(1).
	n := 1
	for j := i - 1; j >= 0 && j >= i-2 && caps(&toks[j]) && !toks[j+1].is(fSent); j-- {
		n++
	}
	for j := i + 1; j < len(toks) && j <= i+2 && caps(&toks[j]) && !toks[j].is(fSent); j++ {
		n++
	}
	return n >= 3
}
