package index

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// englishStop is the stop list of the English analyzer.
var englishStop = sync.OnceValue(func() analysis.TokenMap {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		panic("index: bleve's English stop list does not parse: " + err.Error())
	}
	for w := range tm {
		if len(w) > countedWordLen {
			panic("index: bleve's English stop list has a word longer than CountTerms keeps: " + w)
		}
	}
	return tm
})

// CountTerms estimates how many terms the English analyzer indexes for s:
// its words (runs of letters and digits, apostrophes inside) that are not
// stop words. The index sums it for BM25's average field lengths; it costs
// a fraction of the analysis itself, and allocates nothing.
func CountTerms(s string) int {
	stop, sketch := englishStop(), stopSketch()
	// word holds the first bytes of the current word, lowercased, with ’
	// as '; w is its whole length. A word longer than word is no stop
	// word.
	var word [countedWordLen]byte
	n, w := 0, 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '\'' && w > 0:
			default:
				n += countWord(stop, sketch, word[:], w)
				w = 0
				continue
			}
			if w < len(word) {
				word[w] = c
			}
			w++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			r = unicode.ToLower(r)
		case r == '’' && w > 0:
			r = '\''
		default:
			n += countWord(stop, sketch, word[:], w)
			w = 0
			continue
		}
		if w+utf8.RuneLen(r) <= len(word) {
			utf8.EncodeRune(word[w:], r)
		}
		w += utf8.RuneLen(r)
	}
	return n + countWord(stop, sketch, word[:], w)
}

// countedWordLen is the room CountTerms keeps for a word, at least the
// longest stop word (10 bytes): a longer word is a term without looking.
const countedWordLen = 16

// countWord returns 1 if a word of w bytes, whose first bytes word holds,
// is a term (not empty and not a stop word), else 0. stop and sketch are
// englishStop and stopSketch.
func countWord(stop analysis.TokenMap, sketch *[stopSketchBits / 64]uint64, word []byte, w int) int {
	if w == 0 {
		return 0
	}
	if w <= len(word) {
		if b := stopSketchBit(word[:w]); sketch[b/64]&(1<<(b%64)) != 0 && stop[string(word[:w])] {
			return 0
		}
	}
	return 1
}

// stopSketch has the bit stopSketchBit(w) set for each English stop word
// w: a word whose bit is clear is no stop word, which is cheaper to learn
// than from the map (most words).
var stopSketch = sync.OnceValue(func() *[stopSketchBits / 64]uint64 {
	var sketch [stopSketchBits / 64]uint64
	for w := range englishStop() {
		b := stopSketchBit([]byte(w))
		sketch[b/64] |= 1 << (b % 64)
	}
	return &sketch
})

// stopSketchBits is the size of stopSketch, in bits: about 25 for each
// stop word.
const stopSketchBits = 4096

// stopSketchBit returns the bit of stopSketch for word (not empty): a hash
// of its length and first and last two bytes.
func stopSketchBit(word []byte) uint {
	n := len(word)
	h := uint(n)*0x9e3779b1 ^ uint(word[0])*0x85ebca6b ^ uint(word[n-1])*0xc2b2ae35 ^ uint(word[n/2])*0x27d4eb2f
	return (h >> 13) % stopSketchBits
}
