package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
)

// derivations returns other English forms of a word for the same practice
// or its agent, which the stemmer keeps apart: "terrorism" and
// "terrorist", "extremism" and "extremist", "piracy" and "pirate",
// "hacking" and "hacker", "smuggling" and "smuggler". They are guesses
// made by swapping a suffix; Searcher.derivationClauses keeps those the
// index holds.
func derivations(word string) []string {
	w := strings.ToLower(word)
	if len(w) < 5 || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return nil
	}
	// Plurals: the rules work on the singular ("extremists").
	for _, pl := range []string{"isms", "ists", "ings"} {
		if strings.HasSuffix(w, pl) {
			w = w[:len(w)-1]
			break
		}
	}
	var out []string
	for _, r := range [...]struct{ from, to string }{
		{"ism", "ist"}, // the doctrine and its adherent
		{"ist", "ism"},
		{"acy", "ate"}, // piracy, pirate
		{"ing", "er"},  // the practice and its agent: hacking, hacker
	} {
		if stem, ok := strings.CutSuffix(w, r.from); ok && len(stem) >= 3 {
			out = append(out, stem+r.to)
		}
	}
	return out
}

// derivationClauses returns the text clauses of the derivations of a
// concept's words that the index holds and the analyser does not already
// reduce to one of the words' own terms, maps their terms to the concept
// (so that "hackers" covers "hacking") and records them in Understood.
func (s *Searcher) derivationClauses(rq *relevanceQuery, concept int, words []string) []query.Query {
	if s.rank.Derived <= 0 || s.analyzer == nil {
		return nil
	}
	own := map[string]bool{}
	for _, w := range words {
		for _, t := range s.analyzer.Analyze([]byte(w)) {
			own[string(t.Term)] = true
		}
	}
	type form struct{ word, term string }
	var forms []form
	for _, w := range words {
		for _, d := range derivations(w) {
			term := s.analysed(d)
			if term == "" || own[term] || strings.Contains(term, " ") {
				continue
			}
			own[term] = true
			forms = append(forms, form{d, term})
		}
	}
	if len(forms) == 0 {
		return nil // most queries: no index reader opened
	}
	r, err := s.reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	rc, ok := r.(bindex.IndexReaderContains)
	if !ok {
		return nil
	}
	dict, err := rc.FieldDictContains(index.FieldText)
	if err != nil {
		return nil
	}
	var out []query.Query
	for _, f := range forms {
		if found, err := dict.Contains([]byte(f.term)); err != nil || !found {
			continue
		}
		m := query.NewMatchQuery(f.word)
		m.SetField(index.FieldText)
		out = append(out, m)
		rq.understood.Expansions = appendNew(rq.understood.Expansions, f.word)
		s.addTerms(rq, concept, f.word)
	}
	return out
}
