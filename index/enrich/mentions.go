package enrich

import (
	"slices"
	"strings"
)

// Facet field names used in Mention.Field and by Aliases.
const (
	FieldCountry = "country"
	FieldActor   = "actor"
	FieldTopic   = "topic"
)

// Mention is a run of words of a text that names one facet value: a
// country or an actor of the gazetteers, or a topic term that is decisive
// on its own (its weight reaches the topic's threshold, like "espionage"
// or "hacking"; "plot" alone is not).
type Mention struct {
	// Field is FieldCountry, FieldActor or FieldTopic.
	Field string
	// Value is the canonical value ("Russia", "Islamic State", "cyber").
	Value string
	// Words are the words of the text that name it, as written, in order
	// (possessive "'s" removed).
	Words []string
}

// Mentions returns the mentions in text, in text order (countries first
// where a country and an actor start at the same word). People found by
// the name rules are not included: their evidence is a whole article, not
// a short text such as a query. The case rules are those of Tag: "iran"
// in lower case is not Iran; callers that accept lower-case input may
// title-case it first.
func (t *Tagger) Mentions(text string) []Mention {
	sc := t.pool.Get().(*scratch)
	defer t.pool.Put(sc)
	toks := t.tokens(text, sc)
	var out []Mention
	words := func(i, end int) []string {
		w := make([]string, 0, end-i)
		for k := i; k < end; k++ {
			w = append(w, toks[k].surf)
		}
		return w
	}
	var starts []int
	gazetteer := func(tr *trie, names []string, field string) {
		for i := 0; i < len(toks); {
			end, n := tr.longest(toks, i)
			if n == nil {
				i++
				continue
			}
			if n.val >= 0 && (n.strict == nil || strictOK(n.strict, toks, i)) {
				out = append(out, Mention{Field: field, Value: names[n.val], Words: words(i, end)})
				starts = append(starts, i)
			}
			i = end
		}
	}
	gazetteer(t.countries, t.country, FieldCountry)
	gazetteer(t.actors, t.actor, FieldActor)
	for i := 0; i < len(toks); {
		end, n := t.topics.longest(toks, i)
		if n == nil {
			i++
			continue
		}
		for _, h := range n.hits {
			if h.w >= t.topics.threshold[h.topic]-1e-9 {
				out = append(out, Mention{Field: FieldTopic, Value: taxonomy[h.topic], Words: words(i, end)})
				starts = append(starts, i)
			}
		}
		i = end
	}
	// Text order, stable so that countries precede actors and topics at
	// the same word.
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return starts[a] - starts[b] })
	sorted := make([]Mention, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted
}

// Aliases returns the phrases that name a canonical country or actor in
// the gazetteers (the canonical name, aliases and demonyms), each once, in
// the order the gazetteers list them. Capitals and seats of government
// ("Moscow", "the Kremlin") are left out: they tag a paragraph with the
// country, but as words they name a city or a government. So are strict
// aliases (words like "IS" that need context). It returns nil for an
// unknown value or another field.
func (t *Tagger) Aliases(field, value string) []string {
	switch field {
	case FieldCountry:
		return t.countryForms[value]
	case FieldActor:
		return t.actorForms[value]
	}
	return nil
}

// forms collects, per canonical value, the non-strict phrases of a set
// whose keys are not in skip. A phrase guarded only by unless words
// ("IRA") is one of its entity's names.
func (ps *phraseSet) forms(names []string, skip map[string]bool) map[string][]string {
	out := map[string][]string{}
	for _, k := range ps.order {
		e := ps.m[k]
		if e.val < 0 || e.strict != nil && !e.strict.anyCase || skip[k] {
			continue
		}
		var b strings.Builder
		for i := range e.toks {
			if i > 0 {
				if e.toks[i].gap == gapHyphen {
					b.WriteByte('-')
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(e.toks[i].surf)
		}
		name := names[e.val]
		if p := b.String(); !slices.Contains(out[name], p) {
			out[name] = append(out[name], p)
		}
	}
	return out
}
