package search

import (
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
)

// Typo tolerance, as search boxes like Meilisearch's have it: a query word
// of 5 letters or more that the index does not hold is read as the indexed
// word one edit away (two from 9 letters), never changing its first letter,
// and the most frequent such word wins. Words the index holds are never
// changed, so exact matches always come first; phrases, field scopes and
// other syntax are left alone.

// typoLimits: the shortest word corrected at all, and with two edits.
const (
	typoOneEdit  = 5
	typoTwoEdits = 9
)

// correctTypos replaces, in place, plain word clauses that match nothing in
// the text field with their correction, and returns the corrections made
// ("Tehrn → Tehran").
func (s *Searcher) correctTypos(plain []query.Query) []string {
	// Candidates first: most queries have none, and then no index reader
	// is opened.
	type candidate struct {
		i          int
		word, term string
		edits      int
	}
	var cands []candidate
	for i, c := range plain {
		m, ok := c.(*query.MatchQuery)
		if !ok {
			continue
		}
		n := utf8.RuneCountInString(m.Match)
		if n < typoOneEdit || strings.ContainsFunc(m.Match, func(r rune) bool { return !unicode.IsLetter(r) }) {
			continue
		}
		toks := s.analyzer.Analyze([]byte(m.Match))
		if len(toks) != 1 {
			continue
		}
		edits := 1
		if n >= typoTwoEdits {
			edits = 2
		}
		cands = append(cands, candidate{i, m.Match, string(toks[0].Term), edits})
	}
	if len(cands) == 0 {
		return nil
	}
	// Corrections are remembered for the index's state: a user who pages
	// or narrows a search with a typo asks for the same word again.
	var changed time.Time
	if span, err := s.ix.Span(); err == nil {
		changed = span.Changed
	}
	var out []string
	var misses []candidate
	apply := func(c candidate, fixed string) {
		if fixed == "" {
			return
		}
		if r, _ := utf8.DecodeRuneInString(c.word); unicode.IsUpper(r) {
			fixed = titleCase(fixed) // proper names resolve to entities by case
		}
		corrected := query.NewMatchQuery(fixed)
		corrected.SetField(plain[c.i].(*query.MatchQuery).Field())
		plain[c.i] = corrected
		out = append(out, c.word+" → "+fixed)
	}
	for _, c := range cands {
		if fixed, ok := s.typos.get(changed, c.term); ok {
			apply(c, fixed)
		} else {
			misses = append(misses, c)
		}
	}
	if len(misses) == 0 {
		return out
	}
	r, err := s.reader()
	if err != nil {
		return out
	}
	defer r.Close()
	fuzzy, ok := r.(bindex.IndexReaderFuzzy)
	if !ok {
		return out
	}
	var contains bindex.FieldDictContains
	if rc, ok := r.(bindex.IndexReaderContains); ok {
		if contains, err = rc.FieldDictContains(index.FieldText); err != nil {
			return out
		}
	}
	for _, c := range misses {
		fixed, err := correction(fuzzy, contains, c.term, c.edits)
		if err != nil {
			continue
		}
		s.typos.put(changed, c.term, fixed)
		apply(c, fixed)
	}
	return out
}

// correction returns the most frequent indexed term within edits of term
// (same first letter), or "" when term is indexed or has none.
func correction(fuzzy bindex.IndexReaderFuzzy, contains bindex.FieldDictContains, term string, edits int) (string, error) {
	if contains != nil {
		if found, err := contains.Contains([]byte(term)); err != nil || found {
			return "", err
		}
	}
	first, _ := utf8.DecodeRuneInString(term)
	dict, err := fuzzy.FieldDictFuzzy(index.FieldText, term, edits, string(first))
	if err != nil {
		return "", err
	}
	defer dict.Close()
	var best *bindex.DictEntry
	for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
		if e.Term == term {
			return "", nil // the word is indexed after all
		}
		if best == nil || e.Count > best.Count || e.Count == best.Count && e.EditDistance < best.EditDistance {
			cp := *e
			best = &cp
		}
	}
	if best == nil {
		return "", nil
	}
	return best.Term, nil
}

// maxTypoCache bounds the corrections remembered; past it the memory
// starts again.
const maxTypoCache = 10000

// typoCache remembers the corrections of words (and that a word has none)
// for one state of the index.
type typoCache struct {
	mu      sync.Mutex
	changed time.Time
	fixes   map[string]string
}

func (c *typoCache) get(changed time.Time, term string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.changed.Equal(changed) {
		return "", false
	}
	fixed, ok := c.fixes[term]
	return fixed, ok
}

func (c *typoCache) put(changed time.Time, term, fixed string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.changed.Equal(changed) || c.fixes == nil || len(c.fixes) >= maxTypoCache {
		c.changed, c.fixes = changed, map[string]string{}
	}
	c.fixes[term] = fixed
}
