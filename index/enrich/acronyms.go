package enrich

import (
	"slices"
	"strings"
	"unicode"
)

// Acronyms defined on first use bind within an article: "the Multinational
// Joint Task Force (MNJTF) said ..." tags the task force, and a later
// "MNJTF" alone (in the same or a later paragraph) is the same actor. The
// bracketed word must be 2 to 8 capitals (digits and a final lower-case
// "s" allowed) whose letters are the initials, in order, of the capitalised
// words before the bracket (function words such as "of" and "the" may be
// skipped or counted; a word may give more than its initial, as in
// "MultiNational"). If those words are already a gazetteer actor ("Islamic
// State (IS)"), the acronym is bound to it. Otherwise the words are a new
// actor only when their last word is an organisation noun (orgHeads:
// "Force", "Commission", "Court", ...): "Improvised Explosive Device (IED)"
// and "Gross Domestic Product (GDP)" are not organisations.

// orgHeads maps the last word of an organisation's name, in lower case, to
// the kind of the organisation it makes.
var orgHeads = map[string]string{
	"force": "military", "forces": "military", "command": "military", "army": "military",
	"brigade": "militant", "brigades": "militant", "battalion": "militant", "militia": "militant",
	"front": "militant", "movement": "organisation", "mission": "military", "corps": "military",
	"coalition": "military", "operation": "military", "guard": "military",
	"police": "police", "gendarmerie": "police", "constabulary": "police",
	"court": "justice", "tribunal": "justice", "prosecutor": "justice",
	"ministry": "government", "department": "government", "office": "government",
	"agency": "government", "authority": "government", "administration": "government",
	"commission": "government", "committee": "government", "council": "government",
	"directorate": "government", "bureau": "government", "board": "government",
	"service": "government", "parliament": "government", "assembly": "government",
	"congress": "government", "senate": "government", "secretariat": "government",
	"bank": "government", "reserve": "government", "centre": "government", "center": "government",
	"organization": "international", "organisation": "international", "union": "international",
	"community": "international", "alliance": "international", "fund": "international",
	"programme": "international", "program": "international", "forum": "international",
	"league": "international", "conference": "international", "group": "organisation",
	"party": "party",
	"watch": "ngo", "foundation": "ngo", "society": "ngo", "institute": "ngo",
	"association": "organisation", "federation": "organisation", "network": "organisation",
}

// acronymStop are words that may be skipped when matching initials.
var acronymStop = map[string]bool{
	"of": true, "the": true, "for": true, "and": true, "in": true, "on": true,
	"de": true, "des": true, "du": true, "la": true, "le": true, "et": true, "al": true, "to": true,
}

// acronymToken reports whether t can be an acronym: 2 to 8 capitals and
// digits, at least two capitals, optionally a plural "s".
func acronymToken(t *token) bool {
	if t.flags&fUpper == 0 {
		return false // no capitals at all: the common case
	}
	s := t.surf
	if len(s) < 2 || len(s) > 9 || t.is(fLower) && !strings.HasSuffix(s, "s") {
		return false
	}
	caps := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			caps++
		case '0' <= c && c <= '9':
		case c == 's' && i == len(s)-1:
		default:
			return false
		}
	}
	return caps >= 2
}

// initialsMatch reports whether the capitals of acr are the initials of
// words (lower-case forms), in order: every word that is not a function
// word gives its first letter and may give more of its letters after it.
func initialsMatch(acr string, words []string) bool {
	acr = strings.ToLower(strings.TrimSuffix(acr, "s"))
	var rec func(a, w int) bool
	rec = func(a, w int) bool {
		if w == len(words) {
			return a == len(acr)
		}
		word := words[w]
		if acronymStop[word] && rec(a, w+1) {
			return true
		}
		if a == len(acr) || word[0] != acr[a] {
			return false
		}
		// The word gives its initial and then 0 or more of its later
		// letters, in order.
		for k, j := a+1, 1; ; {
			if rec(k, w+1) {
				return true
			}
			if k == len(acr) {
				return false
			}
			for j < len(word) && word[j] != acr[k] {
				j++
			}
			if j == len(word) {
				return false
			}
			k, j = k+1, j+1
		}
	}
	return rec(0, 0)
}

// acronyms tags the acronyms of a paragraph: those defined here ("the
// Multinational Joint Task Force (MNJTF)") and those defined earlier in the
// article. It returns acts with the new hits appended.
func (t *Tagger) acronyms(toks []token, owner []int32, used []bool, acts []actorHit, st *personState) []actorHit {
	var words []string
	for i := range toks {
		tk := &toks[i]
		if !acronymToken(tk) {
			continue
		}
		// A gazetteer acronym in brackets after another gazetteer name
		// ("the Interstate Commerce Commission (ICC)") is that name's
		// acronym in this article, not the acronym's own actor ("ICC" is
		// also the International Criminal Court).
		own := owner[i]
		if own != noOwner && (own < 0 || !tk.is(fParenOpen) || !tk.is(fParenClose) || i == 0 || owner[i-1] == own) {
			continue
		}
		if tk.is(fParenOpen) && tk.is(fParenClose) && i > 0 {
			if hit, start, ok := t.expansion(toks, owner, acts, i, &words); ok {
				if own != noOwner {
					// Only another gazetteer actor: a name the gazetteers
					// lack is more often a variant spelling of the same
					// actor ("Food and Agriculture Organisation (FAO)").
					// The acronym spells the whole name: in "the Council of
					// the European Union (EU)" it is still the EU.
					if _, known := t.kindOf[hit.name]; !known || hit.name == acts[own].name ||
						start > 0 && owner[start-1] >= 0 && owner[start-1] == owner[start] {
						continue
					}
					acts[own].name = "" // withdrawn
					owner[i] = noOwner
				}
				if st.acronyms == nil {
					st.acronyms = map[string]actorHit{}
				}
				key := strings.TrimSuffix(tk.surf, "s")
				st.acronyms[key] = hit
				acts = append(acts, hit)
				for k := start; k <= i; k++ {
					if owner[k] == noOwner {
						owner[k] = int32(len(acts) - 1)
					}
					used[k] = true
				}
				continue
			}
		}
		if own != noOwner {
			continue
		}
		if hit, ok := st.acronyms[strings.TrimSuffix(tk.surf, "s")]; ok {
			acts = append(acts, hit)
			owner[i] = int32(len(acts) - 1)
			used[i] = true
		}
	}
	return acts
}

// expansion finds the words that the bracketed acronym toks[i] stands for.
// It returns the actor they name and the index of their first word.
func (t *Tagger) expansion(toks []token, owner []int32, acts []actorHit, i int, words *[]string) (actorHit, int, bool) {
	acr := toks[i].surf
	letters := 0
	for _, r := range acr {
		if unicode.IsUpper(r) {
			letters++
		}
	}
	// Walk back over the capitalised words and function words right
	// before the bracket, trying each start from the nearest.
	for start := i - 1; start >= 0 && i-start <= letters+3; start-- {
		tk := &toks[start]
		if start < i-1 && toks[start+1].gap == gapHard {
			break
		}
		if !tk.is(fCap) && !acronymStop[tk.low] {
			break
		}
		if !tk.is(fCap) {
			continue // a name does not start with a function word
		}
		*words = (*words)[:0]
		for k := start; k < i; k++ {
			*words = append(*words, toks[k].low)
		}
		if !initialsMatch(acr, *words) {
			continue
		}
		// A gazetteer actor that covers the words: bind to it.
		if o := owner[start]; o >= 0 && owner[i-1] == o {
			return acts[o], start, true
		}
		// A stop phrase ("the Met Office (MO)") names no actor.
		if slices.Contains(owner[start:i], stopOwner) {
			return actorHit{}, 0, false
		}
		kind, ok := orgHeads[toks[i-1].low]
		if !ok {
			return actorHit{}, 0, false
		}
		var b strings.Builder
		name := joinWords(&b, toks, start, i, false)
		if k, ok := t.kindOf[name]; ok {
			return actorHit{name, k}, start, true
		}
		return actorHit{name, kind}, start, true
	}
	return actorHit{}, 0, false
}

// redefined reports whether the one-word gazetteer alias tk (of actor v) is
// an acronym the article has defined for another name.
func (t *Tagger) redefined(st *personState, tk *token, v int32) bool {
	if !acronymToken(tk) {
		return false
	}
	hit, ok := st.acronyms[strings.TrimSuffix(tk.surf, "s")]
	return ok && hit.name != t.actor[v]
}
