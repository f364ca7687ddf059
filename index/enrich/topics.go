package enrich

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// numTopics is the size of the taxonomy.
const numTopics = 8

// taxonomy is the fixed topic taxonomy, in order.
var taxonomy = [numTopics]string{
	"espionage",
	"terrorism",
	"state-threats",
	"prosecution",
	"radicalisation",
	"cyber",
	"politics",
	"surveillance",
}

// Topics lists the taxonomy slugs in order.
func Topics() []string {
	return slices.Clone(taxonomy[:])
}

func topicIndex(slug string) int {
	for i, s := range taxonomy {
		if s == slug {
			return i
		}
	}
	return -1
}

// minStem is the shortest allowed stem ("spy*").
const minStem = 3

// ruleHit is one topic weight of a rule.
type ruleHit struct {
	topic int
	w     float64
}

// rnode is a node of the topic rule trie. Edges are lower-case words
// (next) or stems matched as prefixes (stems, keyed by their first
// minStem bytes). Once all rules are added, New indexes the words by
// number (keys, kids) and the stems by stemKey (stemIndex).
type rnode struct {
	next      map[string]*rnode     // build time only: nil once indexed
	stems     map[string][]stemEdge // build time only: nil once indexed
	keys      wordKeys              // the word numbers of kids
	kids      []*rnode              // word edges: kids[k] leaves by keys.ids[k]
	stemIndex stemTable             // the stem edges by stemKey
	hits      []ruleHit
	id        int32 // rule id, or -1
}

// stemEdge is an edge of an rnode that matches the words that begin with
// prefix.
type stemEdge struct {
	prefix string
	n      *rnode
}

// topicRules holds the topic rules and thresholds.
type topicRules struct {
	root      *rnode
	threshold []float64
	nrules    int32
}

func newTopicRules() *topicRules {
	return &topicRules{root: &rnode{id: -1}, threshold: make([]float64, len(taxonomy))}
}

// add adds phrase p with weight w for topic ti. A phrase is one or more
// words; a word ending in "*" is a stem that matches any word it begins.
// Adding a phrase twice for a topic replaces its weight.
func (tr *topicRules) add(ti int, p string, w float64, src string) error {
	n := tr.root
	words := strings.Fields(p)
	if len(words) == 0 {
		return fmt.Errorf("%w: %s: empty topic phrase", ErrData, src)
	}
	nw := 0
	for _, word := range words {
		stem := strings.HasSuffix(word, "*")
		word = strings.TrimSuffix(word, "*")
		toks := tokenizePhrase(word)
		if len(toks) == 0 {
			return fmt.Errorf("%w: %s: phrase %q has an empty word", ErrData, src, p)
		}
		for k := range toks {
			low := toks[k].low
			nw++
			if stem && k == len(toks)-1 {
				if len(low) < minStem {
					return fmt.Errorf("%w: %s: stem %q* is shorter than %d letters", ErrData, src, low, minStem)
				}
				key := low[:minStem]
				var c *rnode
				for _, e := range n.stems[key] {
					if e.prefix == low {
						c = e.n
					}
				}
				if c == nil {
					c = &rnode{id: -1}
					if n.stems == nil {
						n.stems = map[string][]stemEdge{}
					}
					n.stems[key] = append(n.stems[key], stemEdge{prefix: low, n: c})
				}
				n = c
				continue
			}
			c := n.next[low]
			if c == nil {
				c = &rnode{id: -1}
				if n.next == nil {
					n.next = map[string]*rnode{}
				}
				n.next[low] = c
			}
			n = c
		}
	}
	if nw > maxPhrase {
		return fmt.Errorf("%w: %s: phrase %q has more than %d words", ErrData, src, p, maxPhrase)
	}
	if n.id < 0 {
		n.id = tr.nrules
		tr.nrules++
	}
	for i := range n.hits {
		if n.hits[i].topic == ti {
			n.hits[i].w = w
			return nil
		}
	}
	n.hits = append(n.hits, ruleHit{topic: ti, w: w})
	return nil
}

// parseTopics reads a "topics" mapping: slug → {threshold, terms}.
// needThreshold requires every slug of the taxonomy to have a threshold
// (the embedded rules); an extra file may leave it out.
func (tr *topicRules) parseTopics(file string, n *yaml.Node, needThreshold bool) error {
	if n.Kind != yaml.MappingNode {
		return dataErr(file, n, "topics must be a mapping from slug to rules")
	}
	seen := make([]bool, len(taxonomy))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ti := topicIndex(k.Value)
		if ti < 0 {
			return dataErr(file, k, "unknown topic %q (the taxonomy is %s)", k.Value, strings.Join(taxonomy[:], ", "))
		}
		seen[ti] = true
		if err := checkKeys(file, v, "threshold", "terms"); err != nil {
			return err
		}
		if th := mapValue(v, "threshold"); th != nil {
			f, err := strconv.ParseFloat(th.Value, 64)
			if err != nil || th.Kind != yaml.ScalarNode || f <= 0 {
				return dataErr(file, th, "threshold of %q must be a positive number", k.Value)
			}
			tr.threshold[ti] = f
		} else if needThreshold {
			return dataErr(file, v, "topic %q has no threshold", k.Value)
		}
		terms := mapValue(v, "terms")
		if terms == nil {
			continue
		}
		if terms.Kind != yaml.MappingNode {
			return dataErr(file, terms, "terms of %q must map phrases to weights", k.Value)
		}
		for j := 0; j+1 < len(terms.Content); j += 2 {
			pk, pv := terms.Content[j], terms.Content[j+1]
			w, err := strconv.ParseFloat(pv.Value, 64)
			if err != nil || pv.Kind != yaml.ScalarNode || w <= 0 {
				return dataErr(file, pv, "weight of %q must be a positive number", pk.Value)
			}
			if err := tr.add(ti, pk.Value, w, srcOf(file, pk)); err != nil {
				return err
			}
		}
	}
	if needThreshold {
		for ti, ok := range seen {
			if !ok {
				return dataErr(file, n, "topic %q has no rules", taxonomy[ti])
			}
		}
	}
	return nil
}

// topicMatch is the state of one longest-match search.
type topicMatch struct {
	end  int
	node *rnode
}

// longest finds the longest rule starting at toks[i].
func (tr *topicRules) longest(toks []token, i int) (int, *rnode) {
	m := topicMatch{end: i}
	// The root is no rule: walk would only take its edges.
	tr.edges(tr.root, toks, i, i, &m)
	return m.end, m.node
}

// walk records n, reached after toks[start:j], in m if it is a rule longer
// than m's, and walks on.
func (tr *topicRules) walk(n *rnode, toks []token, start, j int, m *topicMatch) {
	if n.id >= 0 && j > m.end {
		m.end, m.node = j, n
	}
	if j >= len(toks) || j > start && toks[j].gap == gapHard {
		return
	}
	tr.edges(n, toks, start, j, m)
}

// edges walks from n by the edges that toks[j] takes, if any.
func (tr *topicRules) edges(n *rnode, toks []token, start, j int, m *topicMatch) {
	t := &toks[j]
	if k := n.keys.find(t.id); k >= 0 {
		tr.walk(n.kids[k], toks, start, j+1, m)
	}
	if !n.stemIndex.empty() {
		// A word shorter than a stem has a NUL byte in t.pre, which no
		// stem key has.
		for _, e := range n.stemIndex.find(t.pre & stemMask) {
			if strings.HasPrefix(t.low, e.prefix) {
				tr.walk(e.n, toks, start, j+1, m)
			}
		}
	}
}

// stemTable is a hash table of the stem edges of an rnode by stemKey.
// It is at most an eighth full, so that a key is nearly always found, or
// not, at its first slot.
type stemTable struct {
	keys  []uint32     // stemKeys, 0 for an empty slot; a power of two long
	edges [][]stemEdge // edges[k] are the edges of keys[k]
	shift uint8        // 32 - log2(len(keys))
}

// newStemTable indexes the stem edges by their first minStem bytes.
func newStemTable(stems map[string][]stemEdge) stemTable {
	bits := uint8(1)
	for 1<<bits < 8*len(stems) {
		bits++
	}
	st := stemTable{keys: make([]uint32, 1<<bits), edges: make([][]stemEdge, 1<<bits), shift: 32 - bits}
	for w, es := range stems {
		key := stemKey(w)
		k := st.slot(key)
		for st.keys[k] != 0 {
			k = st.next(k)
		}
		st.keys[k], st.edges[k] = key, es
	}
	return st
}

// slot is the first slot of key.
func (st *stemTable) slot(key uint32) int { return int(key * 0x9e3779b1 >> st.shift) }

// next is the slot after slot k.
func (st *stemTable) next(k int) int { return (k + 1) & (len(st.keys) - 1) }

// empty reports whether the table has no stem edges.
func (st *stemTable) empty() bool { return len(st.keys) == 0 }

// find returns the stem edges of key, which is not 0, in a table that is
// not empty.
func (st *stemTable) find(key uint32) []stemEdge {
	for k := st.slot(key); ; k = st.next(k) {
		switch st.keys[k] {
		case key:
			return st.edges[k]
		case 0:
			return nil
		}
	}
}
