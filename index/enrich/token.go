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
	surf, low  string
	gap        uint8
	flags      uint16
	so, sn, lo int32 // offsets into the scratch buffer while tokenising
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

// tokenize splits s into word tokens. The returned slice aliases sc.toks.
func tokenize(s string, sc *scratch) []token {
	buf := sc.buf[:0]
	toks := sc.toks[:0]

	var (
		inWord  bool
		cur     token
		gHard   bool // separator has hard punctuation
		gHyph   int
		gDot    int
		gOther  int
		gSent   bool
		gComma  bool
		gOpenQ  bool
		gLastQ  bool // last separator rune was an opening quote
		gStartQ bool // a closing quote came first in the separator
		gParen  bool // the separator holds an opening bracket
		gRunes  int
	)
	resetGap := func() {
		gHard, gSent, gComma, gOpenQ, gLastQ, gStartQ, gParen = false, false, false, false, false, false, false
		gHyph, gDot, gOther, gRunes = 0, 0, 0, 0
	}
	startWord := func() {
		inWord = true
		cur = token{so: int32(len(buf))}
		n := len(toks)
		switch {
		case n == 0:
			cur.gap = gapStart
			cur.flags |= fSent
		case gRunes == 1 && gHyph == 1:
			cur.gap = gapHyphen
		case gRunes == 1 && gDot == 1:
			cur.gap = gapDot
		case !gHard && gOther == 0 && gDot == 0 && gHyph == 0:
			cur.gap = gapSpace
		case gDot == 1 && gOther == 0 && gHyph == 0 && !gStartQ && !gOpenQ && abbrevBefore(buf, &toks[n-1]):
			// "Mr. Cash", "U.S. officials": the full stop ends an abbreviation.
			cur.gap = gapSpace
		default:
			cur.gap = gapHard
			if gSent || gDot > 0 {
				cur.flags |= fSent
			}
		}
		if gComma {
			cur.flags |= fComma
		}
		if gOpenQ && gLastQ {
			cur.flags |= fOpenQ | fSent
		}
		if gParen {
			cur.flags |= fParenOpen
		}
		if gStartQ && n > 0 {
			toks[n-1].flags |= fCloseQ
		}
		resetGap()
	}
	endWord := func() {
		inWord = false
		cur.sn = int32(len(buf)) - cur.so
		toks = append(toks, cur)
	}

	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			if !inWord {
				startWord()
			}
			buf = utf8.AppendRune(buf, r)
			switch {
			case unicode.IsUpper(r):
				if cur.sn == 0 && int32(len(buf))-int32(size) == cur.so {
					cur.flags |= fCap
				}
				cur.flags |= fUpper | fLetter
			case unicode.IsLower(r):
				cur.flags |= fLower | fLetter
			case unicode.IsDigit(r):
				cur.flags |= fDigit
			case unicode.IsLetter(r):
				cur.flags |= fLetter
			}
			i += size
			continue
		}
		if inWord && isApostrophe(r) {
			next, nsize := utf8.DecodeRuneInString(s[i+size:])
			if isWordRune(next) {
				after, _ := utf8.DecodeRuneInString(s[i+size+nsize:])
				if (next == 's' || next == 'S') && !isWordRune(after) {
					// Possessive: "Iran's", "MI5’s".
					cur.flags |= fPoss
					endWord()
					i += size + nsize
					continue
				}
				// Internal apostrophe: "O'Brien", "d'Ivoire".
				buf = append(buf, '\'')
				i += size
				continue
			}
		}
		if inWord {
			endWord()
		}
		gRunes++
		switch {
		case unicode.IsSpace(r):
		case isHyphen(r):
			gHyph++
		case r == '.':
			gDot++
		default:
			gOther++
			switch r {
			case '!', '?', ':', ';':
				gSent = true
				gHard = true
			case ',':
				gComma = true
				gHard = true
			case '“', '«', '‘':
				gOpenQ = true
			case '”', '»', '’':
				if gRunes == 1 {
					gStartQ = true
				}
			case '"', '\'':
				if gRunes == 1 && len(toks) > 0 {
					gStartQ = true
				} else {
					gOpenQ = true
				}
			case '(', '[':
				gParen = true
				gHard = true
			case ')', ']':
				if gRunes == 1 && len(toks) > 0 {
					toks[len(toks)-1].flags |= fParenClose
				}
				gHard = true
			default:
				gHard = true
			}
		}
		switch r {
		case '“', '«', '‘', '"', '\'':
			gLastQ = gOpenQ
		default:
			if !unicode.IsSpace(r) {
				gLastQ = false
			}
		}
		i += size
	}
	if inWord {
		endWord()
	}
	if gStartQ && len(toks) > 0 {
		toks[len(toks)-1].flags |= fCloseQ
	}

	// Append the lower-case forms, then make one string for all tokens.
	for k := range toks {
		t := &toks[k]
		t.lo = int32(len(buf))
		w := buf[t.so : t.so+t.sn]
		if t.flags&fUpper == 0 {
			buf = append(buf, w...)
			continue
		}
		for j := 0; j < len(w); {
			c := w[j]
			if c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
				j++
				continue
			}
			r, size := utf8.DecodeRune(w[j:])
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
			j += size
		}
	}
	all := string(buf)
	for k := range toks {
		t := &toks[k]
		t.surf = all[t.so : t.so+t.sn]
		end := int32(len(all))
		if k+1 < len(toks) {
			end = toks[k+1].lo
		}
		t.low = all[t.lo:end]
	}
	sc.buf = buf
	sc.toks = toks
	return toks
}

// abbrevBefore reports whether the token before a ". " separator is an
// abbreviation or an initial, so that the full stop does not end a sentence.
func abbrevBefore(buf []byte, prev *token) bool {
	w := buf[prev.so : prev.so+prev.sn]
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true
	}
	return abbrevs[string(w)]
}
