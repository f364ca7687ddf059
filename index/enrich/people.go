package enrich

import (
	"bufio"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Per-word name rule flags, from lexicon/names.txt.
const (
	nGiven    uint16 = 1 << iota // a given name: starts a personal name
	nFamily                      // an East Asian family name written first
	nTitle                       // an honorific or office before a name: "Mr", "President"
	nKeep                        // a title kept in the name: "Lord", "King"
	nRole                        // a role noun before a name: "spokesman", "MP"
	nParticle                    // a lower-case particle inside names: "bin", "van"
	nStop                        // a word that is never part of a name
	nNonName                     // a noun that makes a capitalised run an organisation or place
	nMonth                       // a month: a name only when not followed by a number
	nWeekday                     // a weekday: never a name
)

var nameSections = map[string]uint16{
	"given": nGiven, "family": nFamily, "title": nTitle, "keep": nKeep,
	"role": nRole, "particle": nParticle, "stop": nStop, "nonname": nNonName,
	"month": nMonth, "weekday": nWeekday,
}

// nameRules are the word lists used to find people's names.
type nameRules struct {
	given map[string]uint16 // exact (capitalised) form → flags: given, family
	// givenFilter holds the hashes of the lower-case forms of the given
	// names (see givenFlags).
	givenFilter *hashFilter
	// words maps a lower-case form to its other flags while the Tagger
	// is built; indexWords moves them to flags and drops the map.
	words map[string]uint16
	// flags holds the flags of words by word number (see indexWords):
	// flags[t.id] is what words[t.low] was.
	flags []uint16
	// leaders maps the surname of a notable person of lexicon/people.yaml
	// (and its form without diacritics) to that person; a surname shared
	// by two of them maps to none.
	leaders map[string]*leader
	// surnameOf lists the surname forms of each person of
	// lexicon/people.yaml, by name.
	surnameOf map[string][]string
}

// loadNames parses lexicon/names.txt.
func loadNames(text string) (*nameRules, error) {
	const file = "lexicon/names.txt"
	nr := &nameRules{given: map[string]uint16{}, words: map[string]uint16{}, leaders: map[string]*leader{}, surnameOf: map[string][]string{}}
	var sec uint16
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			f, ok := nameSections[s[1:len(s)-1]]
			if !ok {
				return nil, fmt.Errorf("%w: %s:%d: unknown section %s", ErrData, file, line, s)
			}
			sec = f
			continue
		}
		if sec == 0 {
			return nil, fmt.Errorf("%w: %s:%d: word outside a section", ErrData, file, line)
		}
		for _, w := range strings.Fields(s) {
			switch sec {
			case nGiven, nFamily:
				// A hyphenated name starts with its first part: the
				// tokeniser splits "Jean-Pierre" at the hyphen.
				if i := strings.IndexByte(w, '-'); i > 0 {
					w = w[:i]
				}
				nr.given[w] |= sec
				if fw, ok := fold(w); ok {
					nr.given[fw] |= sec
				}
			default:
				nr.words[strings.ToLower(w)] |= sec
			}
		}
	}
	return nr, sc.Err()
}

// addGiven adds the given names of lexicon/given.txt (one a line, "#"
// comments), except those that are also a country word ("Kenya",
// "Georgia" stays only where names.txt lists it).
func (nr *nameRules) addGiven(text string, ct *countryTable) {
	for line := range strings.Lines(text) {
		w := strings.TrimSpace(line)
		if w == "" || w[0] == '#' || nr.given[w] != 0 {
			continue
		}
		if _, ok := ct.set.m[phraseKey(tokenizePhrase(w))]; ok {
			continue
		}
		nr.given[w] |= nGiven
		if fw, ok := fold(w); ok {
			nr.given[fw] |= nGiven
		}
	}
}

// wordFlags returns the flags of t's word (words[t.low]).
func (nr *nameRules) wordFlags(t *token) uint16 { return nr.flags[t.id] }

// givenFlags returns the flags of t's surf in nr.given. Most words are
// told from given names by the filter, without a map lookup: a word and
// a given name it equals have the same lower-case form.
func (nr *nameRules) givenFlags(t *token) uint16 {
	if !nr.givenFilter.has(t.hash) {
		return 0
	}
	return nr.given[t.surf]
}

// lowerWord returns w in lower case as a token's low: unchanged without
// an upper-case letter.
func lowerWord(w string) string {
	if !strings.ContainsFunc(w, unicode.IsUpper) {
		return w
	}
	return string(appendWord(nil, w, true))
}

// personState is the per-article state of name resolution: surnames seen
// so far mapped to the full name that introduced them.
type personState struct {
	surnames map[string]string
	// countries holds the country values named so far in the article.
	countries []int32
	// acronyms maps an acronym defined in the article ("MNJTF") to the
	// actor it stands for.
	acronyms map[string]actorHit
}

// sawCountry records a country named in the article.
func (ps *personState) sawCountry(v int32) {
	if !slices.Contains(ps.countries, v) {
		ps.countries = append(ps.countries, v)
	}
}

func (ps *personState) register(surname, full string) {
	if ps.surnames == nil {
		ps.surnames = map[string]string{}
	}
	ps.surnames[surname] = full
}

// nameWord reports whether t can be a word of a personal name (after its
// first word).
func (nr *nameRules) nameWord(toks []token, k int) bool {
	t := &toks[k]
	if !t.nameShaped() || len(t.surf) < 2 {
		return false
	}
	f := nr.wordFlags(t)
	if f&(nStop|nNonName|nTitle|nRole|nWeekday) != 0 {
		return false
	}
	if f&nMonth != 0 && k+1 < len(toks) && toks[k+1].is(fDigit) {
		return false
	}
	return true
}

// headlineCase reports whether a text is a headline in Title Case or ALL
// CAPS, in which case capitalisation says nothing about names: most of its
// longer words are capitalised and it does not end like a sentence. (Prose
// dense with names, "Prime Minister Keir Starmer met President Macron.",
// ends with a full stop.)
func headlineCase(text string, toks []token) bool {
	text = strings.TrimRightFunc(text, unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(text)
	switch r {
	case '.', '!', '?', '…', '"', '”', '’', '\'', ')', ';', ':':
		return false
	}
	words, caps := 0, 0
	for i := range toks {
		t := &toks[i]
		if t.flags&fLetter == 0 || len(t.low) < 4 {
			continue
		}
		words++
		if t.is(fCap) {
			caps++
		}
	}
	return words >= 4 && caps*10 >= words*7
}

// people finds the personal names in toks and calls emit for each, as a
// full name. Tokens already used by other gazetteers are skipped; tokens of
// names found are marked used.
func (nr *nameRules) people(text string, toks []token, used []bool, st *personState, emit func(string)) {
	if headlineCase(text, toks) {
		return
	}
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if used[i] || !t.nameShaped() {
			continue
		}
		wf := nr.wordFlags(t)
		if wf&(nStop|nTitle|nRole|nWeekday|nNonName) != 0 {
			continue
		}
		gf := nr.givenFlags(t)
		// A cue before the name: "Mr Cash", "President Macron", "the
		// prime minister, Keir Starmer".
		cue, strong, keep, female := false, false, "", false
		if i > 0 && !used[i-1] && !t.is(fSent) {
			p := &toks[i-1]
			pf := nr.wordFlags(p)
			switch {
			case pf&nTitle != 0 && p.is(fCap) && t.gap == gapSpace:
				cue, strong = true, true
				female = femaleTitles[p.low]
				if pf&nKeep != 0 {
					keep = p.surf
				}
			case pf&(nTitle|nRole) != 0 && (t.gap == gapSpace || t.gap == gapHard && t.is(fComma)):
				cue = true
			}
		}
		if gf != 0 || cue {
			end, parts := nr.extend(toks, used, i)
			if parts >= 2 {
				full := joinName(&b, toks, i, end)
				emit(full)
				// Western names are recalled by their last word ("McCallum"),
				// East Asian ones by the family name written first ("Xi").
				ls := end - 1
				for ls > i+1 && toks[ls].gap == gapHyphen {
					ls-- // a double-barrelled surname: "Keast-Butler"
				}
				if gf&(nFamily|nGiven) != nFamily && nr.surnameOK(&toks[ls]) {
					st.register(joinName(&b, toks, ls, end), full)
				}
				if gf&nFamily != 0 && nr.surnameOK(t) {
					st.register(t.surf, full)
				}
				for k := i; k < end; k++ {
					used[k] = true
				}
				i = end - 1
				continue
			}
			if strong && parts == 1 {
				// One name word after a title: "Mr Cash", "Lord Walney",
				// "Mrs Justice Cheema-Grubb".
				name := joinName(&b, toks, i, end)
				if full, ok := st.surnames[name]; ok {
					name = full
				} else if l := nr.leaderAt(toks, i, end, name, st, true, female); l != nil {
					name = l.name
					nr.registerLeader(st, l.name)
				} else if keep != "" {
					name = keep + " " + name
				}
				emit(name)
				for k := i; k < end; k++ {
					used[k] = true
				}
				i = end - 1
				continue
			}
		}
		// A surname alone, introduced earlier in the article, or of a
		// notable person (see leaderAt).
		if len(st.surnames) == 0 && len(nr.leaders) == 0 {
			continue
		}
		end := i + 1
		for end < len(toks) && toks[end].gap == gapHyphen && toks[end].nameShaped() {
			end++
		}
		name := t.surf
		if end > i+1 {
			name = joinName(&b, toks, i, end)
		}
		if t.is(fOpenQ) && toks[end-1].is(fCloseQ) {
			continue // a quoted word: a code name
		}
		full, ok := st.surnames[name]
		if !ok {
			if l := nr.leaderAt(toks, i, end, name, st, false, false); l != nil {
				full, ok = l.name, true
				nr.registerLeader(st, l.name)
			}
		}
		if ok {
			for k := i; k < end; k++ {
				used[k] = true
			}
			emit(full)
			i = end - 1
		}
	}
}

// registerLeader records the surnames of a notable person named in the
// article, so that later mentions resolve to them.
func (nr *nameRules) registerLeader(st *personState, name string) {
	for _, s := range nr.surnameOf[name] {
		st.register(s, name)
	}
}

// registerPerson records the surname of a person found by the gazetteer
// in toks[i:end]: their surnames in lexicon/people.yaml, or the last word
// of the match.
func (nr *nameRules) registerPerson(st *personState, toks []token, i, end int, name string) {
	if len(nr.surnameOf[name]) > 0 {
		nr.registerLeader(st, name)
		return
	}
	if end-i >= 2 && nr.surnameOK(&toks[end-1]) {
		st.register(toks[end-1].surf, name)
	}
}

// givenNameRun reports whether the country match toks[i:end] is the given
// name of a person: one word of the given-name list followed by a
// capitalised word that can be a surname ("Jordan Henderson", "Chad
// Smith"), and not by an organisation or place noun ("Jordan Valley").
func (nr *nameRules) givenNameRun(toks []token, used []bool, i, end int) bool {
	if end != i+1 || end >= len(toks) || nr.givenFlags(&toks[i])&nGiven == 0 {
		return false
	}
	n := &toks[end]
	if n.gap != gapSpace || used[end] || !n.nameShaped() || len(n.surf) < 2 {
		return false
	}
	return nr.wordFlags(n)&(nStop|nNonName|nTitle|nRole|nWeekday|nMonth) == 0
}

// joinName writes toks[i:end] as a name: words separated by spaces, or by
// hyphens where the text has them, initials followed by a full stop.
func joinName(b *strings.Builder, toks []token, i, end int) string {
	return joinWords(b, toks, i, end, true)
}

// joinWords writes toks[i:end] separated by spaces, or by hyphens where
// the text has them; with initials, one-letter words get a full stop.
func joinWords(b *strings.Builder, toks []token, i, end int, initials bool) string {
	b.Reset()
	for k := i; k < end; k++ {
		if k > i {
			if toks[k].gap == gapHyphen {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(toks[k].surf)
		if initials && len(toks[k].surf) == 1 {
			b.WriteByte('.') // an initial
		}
	}
	return b.String()
}

// surnameOK reports whether t may be remembered as a surname.
func (nr *nameRules) surnameOK(t *token) bool {
	return t.nameShaped() && len(t.surf) >= 2 && nr.wordFlags(t)&(nStop|nMonth) == 0
}

// extend returns the end of the name starting at toks[i] and the number of
// name words in it (initials, particles and hyphenated parts not counted).
// It returns parts 0 when the run looks like an organisation or place
// ("Victoria Station").
func (nr *nameRules) extend(toks []token, used []bool, i int) (end, parts int) {
	end, parts = i+1, 1
	particle := false
	// Three parts at most, but a hyphen continues the last ("David Revell
	// Bedell-Sivright").
	for k := i + 1; k < len(toks) && (parts < 3 || toks[k].gap == gapHyphen); k++ {
		t := &toks[k]
		if used[k] {
			break
		}
		switch t.gap {
		case gapHyphen:
			// "Jong-un", "Jean-Pierre", "al-Baghdadi".
			if t.flags&fLetter != 0 && t.flags&fDigit == 0 && (particle || k == end) &&
				(t.nameShaped() || !t.is(fCap) && len(t.low) <= 4 && len(toks[k-1].low) <= 4) {
				if particle {
					if !nr.nameWord(toks, k) {
						return end, parts
					}
					parts++
				}
				particle = false
				end = k + 1
				continue
			}
		case gapSpace:
			switch {
			case len(t.surf) == 1 && t.is(fCap) && k+1 < len(toks) && toks[k+1].gap == gapSpace && toks[k+1].nameShaped():
				// A middle initial.
				end = k + 1
				continue
			case !t.is(fCap) && nr.wordFlags(t)&nParticle != 0 && k+1 < len(toks) && toks[k+1].gap != gapHard &&
				(toks[k+1].nameShaped() || toks[k+1].gap == gapHyphen):
				// "bin Salman", "al-Assad", "van der Leyen".
				particle = true
				continue
			case particle && !nr.nameWord(toks, k):
				return end, parts
			case nr.nameWord(toks, k):
				particle = false
				parts++
				end = k + 1
				continue
			case t.nameShaped() && nr.wordFlags(t)&nNonName != 0:
				return end, 0
			}
		}
		break
	}
	return end, parts
}
