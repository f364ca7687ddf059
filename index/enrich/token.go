package enrich

import (
	"unicode"
	"unicode/utf8"
)

// Kinds of separator between a token and the token before it.
const (
	gapStart  uint8 = iota // first token of the text
	gapSpace               // whitespace only (or an abbreviation's full stop)
	gapHyphen              // a single hyphen with no spaces: "UK-China"
	gapDot                 // a single full stop with no spaces: "U.S"
	gapHard                // any other punctuation: commas, quotes, dashes, brackets
)

// Token flags.
const (
	fCap        uint16 = 1 << iota // first rune is an upper-case letter
	fLower                         // contains a lower-case letter
	fUpper                         // contains an upper-case letter and no lower-case one
	fDigit                         // contains a digit
	fPoss                          // a possessive "'s" was stripped from the token
	fOpenQ                         // an opening quotation mark comes right before
	fCloseQ                        // a closing quotation mark comes right after
	fSent                          // first token of a sentence (or of a quotation)
	fComma                         // the separator before contains a comma
	fLetter                        // contains at least one letter
	fParenOpen                     // an opening bracket comes right before: "(MNJTF"
	fParenClose                    // a closing bracket comes right after: "MNJTF)"
)

// token is one word of a text. surf is the word as written, with
// apostrophes normalised to "'" and a possessive "'s" removed; low is surf
// in lower case.
type token struct {
	surf, low string
	gap       uint8
	// norm is set when the word has a curly apostrophe, which surf
	// has as "'".
	norm  bool
	flags uint16
	// so, sn and lo are used while tokenising: the word is the sn bytes
	// at so in the text; spell moves so and sn to the surf of a norm
	// word and sets lo to the offset of low in the string it is in.
	so, sn, lo int32
	id         uint32 // the number of low among the phrase words, or 0 (see wordTable)
	hash       uint32 // a hash of low (see wordTable.number)
	pre        uint32 // the first 4 bytes of low, little-endian, padded with zeros
}

func (t *token) is(f uint16) bool { return t.flags&f != 0 }

// nameShaped reports whether t looks like a part of a proper name: it starts
// with a capital and has lower-case letters ("Cash", "McCallum", "O'Brien").
func (t *token) nameShaped() bool {
	return t.flags&(fCap|fLower|fDigit) == fCap|fLower
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// asciiWord holds the token flags of the ASCII letters and digits, and 0
// for every other byte.
var asciiWord = func() (tab [256]uint16) {
	for c := 'a'; c <= 'z'; c++ {
		tab[c] = fLower | fLetter
		tab[c-'a'+'A'] = fUpper | fLetter
	}
	for c := '0'; c <= '9'; c++ {
		tab[c] = fDigit
	}
	return tab
}()

// abbrevs are words that are commonly followed by a full stop which does
// not end the sentence ("Mr. Cash", "St. Peter Port").
var abbrevs = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "St": true, "Prof": true,
	"Gen": true, "Lt": true, "Col": true, "Capt": true, "Sgt": true, "Rev": true,
	"Sen": true, "Rep": true, "Gov": true, "Jr": true, "Sr": true, "Insp": true,
	"Supt": true, "Det": true, "Cdr": true, "Cmdr": true, "Maj": true, "No": true,
	"Cllr": true, "Adm": true, "Brig": true, "Pres": true, "vs": true, "Mt": true,
}

// scratch holds the reusable buffers of one Tag call.
type scratch struct {
	buf   []byte
	toks  []token
	used  []bool
	owner []int32
	acts  []actorHit
	spans []countrySpan
	hits  []int32
	body  []bodyHit
}

// gapState accumulates the separator between two words while tokenising.
type gapState struct {
	hyph, dot, other, runes int32 // hyphens, full stops, other punctuation, all runes
	hard                    bool  // separator has hard punctuation
	sent                    bool  // the separator ends a sentence: "!", "?", ":", ";"
	comma                   bool  // the separator holds a comma
	openQ                   bool  // the separator holds an opening quote
	lastQ                   bool  // last separator rune was an opening quote
	startQ                  bool  // a closing quote came first in the separator
	paren                   bool  // the separator holds an opening bracket
}

// startWord returns the gap and flags of a word of s after the separator
// g, which follows toks. It marks the last token of toks when g starts
// with a closing quote.
func (g *gapState) startWord(s string, toks []token) (gap uint8, flags uint16) {
	n := len(toks)
	switch {
	case n == 0:
		gap = gapStart
		flags |= fSent
	case g.runes == 1 && g.hyph == 1:
		gap = gapHyphen
	case g.runes == 1 && g.dot == 1:
		gap = gapDot
	case !g.hard && g.other == 0 && g.dot == 0 && g.hyph == 0:
		gap = gapSpace
	case g.dot == 1 && g.other == 0 && g.hyph == 0 && !g.startQ && !g.openQ && abbrevBefore(s, &toks[n-1]):
		// "Mr. Cash", "U.S. officials": the full stop ends an abbreviation.
		gap = gapSpace
	default:
		gap = gapHard
		if g.sent || g.dot > 0 {
			flags |= fSent
		}
	}
	if g.comma {
		flags |= fComma
	}
	if g.openQ && g.lastQ {
		flags |= fOpenQ | fSent
	}
	if g.paren {
		flags |= fParenOpen
	}
	if g.startQ && n > 0 {
		toks[n-1].flags |= fCloseQ
	}
	return gap, flags
}

// add adds separator rune r, which follows toks, to g. It marks the last
// token of toks when r is a closing bracket right after it.
func (g *gapState) add(r rune, toks []token) {
	g.runes++
	switch {
	case unicode.IsSpace(r):
	case isHyphen(r):
		g.hyph++
	case r == '.':
		g.dot++
	default:
		g.other++
		switch r {
		case '!', '?', ':', ';':
			g.sent = true
			g.hard = true
		case ',':
			g.comma = true
			g.hard = true
		case '“', '«', '‘':
			g.openQ = true
		case '”', '»', '’':
			if g.runes == 1 {
				g.startQ = true
			}
		case '"', '\'':
			if g.runes == 1 && len(toks) > 0 {
				g.startQ = true
			} else {
				g.openQ = true
			}
		case '(', '[':
			g.paren = true
			g.hard = true
		case ')', ']':
			if g.runes == 1 && len(toks) > 0 {
				toks[len(toks)-1].flags |= fParenClose
			}
			g.hard = true
		default:
			g.hard = true
		}
	}
	switch r {
	case '“', '«', '‘', '"', '\'':
		g.lastQ = g.openQ
	default:
		if !unicode.IsSpace(r) {
			g.lastQ = false
		}
	}
}

// runeFlags returns the token flags of a non-ASCII word rune r; first
// says whether it starts its word.
func runeFlags(r rune, first bool) uint16 {
	switch {
	case unicode.IsUpper(r):
		if first {
			return fCap | fUpper | fLetter
		}
		return fUpper | fLetter
	case unicode.IsLower(r):
		return fLower | fLetter
	case unicode.IsDigit(r):
		return fDigit
	case unicode.IsLetter(r):
		return fLetter
	}
	return 0
}

// tokenize splits s into word tokens, numbered by wt (unless nil: then
// every id, hash and pre is 0). The returned slice aliases sc.toks.
//
// A token's surf and low are substrings of s where the word is written
// as they are; the others (a word with capitals has a lower-case low, a
// curly apostrophe in a word is "'" in its surf) are substrings of one new
// string made for the call.
func tokenize(s string, sc *scratch, wt *wordTable) []token {
	toks := sc.toks[:0]

	// The word being read: whether there is one, where it starts in s,
	// its gap and flags, and whether it has a curly apostrophe.
	var (
		inWord bool
		so     int
		gap    uint8
		flags  uint16
		norm   bool
	)
	var g gapState // the separator before the next word
	begin := func(i int) {
		gap, flags = g.startWord(s, toks)
		so, norm, inWord, g = i, false, true, gapState{}
	}
	finish := func(end int) {
		// Field by field: a composite literal is built on the stack and
		// copied, which is slower.
		toks = append(toks, token{})
		t := &toks[len(toks)-1]
		t.gap, t.flags, t.norm, t.so, t.sn = gap, flags, norm, int32(so), int32(end-so)
		inWord = false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if f := asciiWord[c]; f != 0 {
			// A run of ASCII letters and digits, the bulk of most texts.
			if !inWord {
				begin(i)
				if f&fUpper != 0 {
					f |= fCap
				}
			}
			i++
			for i < len(s) && asciiWord[s[i]] != 0 {
				f |= asciiWord[s[i]]
				i++
			}
			flags |= f
			continue
		}
		if c == ' ' {
			if inWord {
				finish(i)
			}
			g.runes++
			i++
			continue
		}
		r, size := rune(c), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				first := !inWord
				if first {
					begin(i)
				}
				flags |= runeFlags(r, first)
				i += size
				continue
			}
		}
		if inWord && isApostrophe(r) {
			next, nsize := utf8.DecodeRuneInString(s[i+size:])
			if isWordRune(next) {
				after, _ := utf8.DecodeRuneInString(s[i+size+nsize:])
				if (next == 's' || next == 'S') && !isWordRune(after) {
					// Possessive: "Iran's", "MI5’s".
					flags |= fPoss
					finish(i)
					i += size + nsize
					continue
				}
				// Internal apostrophe: "O'Brien", "d'Ivoire".
				norm = norm || r != '\''
				i += size
				continue
			}
		}
		if inWord {
			finish(i)
		}
		g.add(r, toks)
		i += size
	}
	if inWord {
		finish(len(s))
	}
	if g.startQ && len(toks) > 0 {
		toks[len(toks)-1].flags |= fCloseQ
	}
	sc.toks = toks
	sc.buf = spell(s, toks, sc.buf[:0], wt)
	return toks
}

// spell sets the surf, low, id, hash and pre of toks, tokens of s whose
// so and sn give the word as written in s. buf is scratch space; spell
// returns it.
func spell(s string, toks []token, buf []byte, wt *wordTable) []byte {
	// The surfs with curly apostrophes and the lows of words with
	// capitals, in token order, the surf before the low.
	for k := range toks {
		t := &toks[k]
		w := s[t.so : t.so+t.sn]
		if t.norm {
			t.so = int32(len(buf))
			buf = appendWord(buf, w, false)
			t.sn = int32(len(buf)) - t.so
		}
		if t.flags&fUpper != 0 {
			t.lo = int32(len(buf))
			buf = appendWord(buf, w, true)
		}
	}
	var all string
	if len(buf) > 0 {
		// Padded for wordTable.number.
		buf = append(buf, make([]byte, wordPad)...)
		all = string(buf)
	}
	// Backwards: each token's forms in all come after the previous
	// token's, its surf before its low.
	end := int32(max(len(all)-wordPad, 0)) // of the next form in all
	for k := len(toks) - 1; k >= 0; k-- {
		t := &toks[k]
		upper := t.flags&fUpper != 0
		if upper {
			t.low, end = all[t.lo:end], t.lo
		}
		if t.norm {
			t.surf, end = all[t.so:t.so+t.sn], t.so
		} else {
			t.surf = s[t.so : t.so+t.sn]
		}
		if !upper {
			t.low, t.lo = t.surf, t.so
		}
		if wt != nil {
			src := all // the string low is in
			if !upper && !t.norm {
				src = s
			}
			wt.number(t, src, int(t.lo))
		}
	}
	return buf
}

// appendWord appends the word w as a token's surf to buf, with curly
// apostrophes as "'", and with lower, in lower case as its low.
func appendWord(buf []byte, w string, lower bool) []byte {
	for j := 0; j < len(w); {
		c := w[j]
		if c < utf8.RuneSelf {
			if lower && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[j:])
		switch {
		case r == '’' || r == '‘':
			buf = append(buf, '\'')
		case lower:
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			buf = append(buf, w[j:j+size]...)
		}
		j += size
	}
	return buf
}

// abbrevBefore reports whether the token before a ". " separator is an
// abbreviation or an initial, so that the full stop does not end a sentence.
// It is called before the token is spelt: its so and sn are in s.
func abbrevBefore(s string, prev *token) bool {
	if prev.norm {
		return false // with an apostrophe
	}
	w := s[prev.so : prev.so+prev.sn]
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true
	}
	return abbrevs[w]
}
