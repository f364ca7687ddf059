package search

import (
	"strings"
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
	adv, err := s.ix.Bleve().Advanced()
	if err != nil {
		return nil
	}
	r, err := adv.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	fuzzy, ok := r.(bindex.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	var contains bindex.FieldDictContains
	if rc, ok := r.(bindex.IndexReaderContains); ok {
		if contains, err = rc.FieldDictContains(index.FieldText); err != nil {
			return nil
		}
	}
	var out []string
	for _, c := range cands {
		if contains != nil {
			if found, err := contains.Contains([]byte(c.term)); err != nil || found {
				continue
			}
		}
		first, _ := utf8.DecodeRuneInString(c.term)
		dict, err := fuzzy.FieldDictFuzzy(index.FieldText, c.term, c.edits, string(first))
		if err != nil {
			continue
		}
		var best *bindex.DictEntry
		for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
			if e.Term == c.term {
				best = nil // the word is indexed after all
				break
			}
			if best == nil || e.Count > best.Count || e.Count == best.Count && e.EditDistance < best.EditDistance {
				cp := *e
				best = &cp
			}
		}
		dict.Close()
		if best == nil {
			continue
		}
		fixed := best.Term
		if r, _ := utf8.DecodeRuneInString(c.word); unicode.IsUpper(r) {
			fixed = titleCase(fixed) // proper names resolve to entities by case
		}
		corrected := query.NewMatchQuery(fixed)
		corrected.SetField(plain[c.i].(*query.MatchQuery).Field())
		plain[c.i] = corrected
		out = append(out, c.word+" → "+fixed)
	}
	return out
}
