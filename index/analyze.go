package index

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	bindex "github.com/blevesearch/bleve_index_api"
)

// englishAnalyzer analyses text as bleve's "en" analyzer does (the unicode
// tokenizer, then the possessive_en, to_lower, stop_en and stemmer_porter
// filters, then analysis.TokenFrequency), for the text it understands, in
// one pass and a few allocations. It understands ASCII and a small set of
// other characters (wordClassOf); for any other text analyze reports that
// it cannot, and the caller asks bleve. What each lowercased word becomes
// (a stop word, or its stem) is cached, bounded: in a cache that all
// callers share, and in a smaller one of each analysis's working memory,
// which needs no lock. Safe for concurrent use.
type englishAnalyzer struct {
	shards  [englishShards]englishShard
	scratch sync.Pool // *englishScratch
	// sharedWords and localWords bound the caches (englishCacheWords,
	// englishLocalWords; tests make them small).
	sharedWords, localWords int
}

const (
	// englishShards is the number of independently locked parts of the
	// shared cache.
	englishShards = 64
	// englishCacheWords bounds the words the shared cache holds (about
	// 100 bytes each); words beyond it are stemmed each time they are
	// not in a working memory's cache.
	englishCacheWords = 1 << 17
	// englishLocalWords bounds the words the cache of each working memory
	// holds (about 150 bytes each, a working memory per core in use); it
	// is emptied when it has more.
	englishLocalWords = 1 << 15
	// englishCachedLen is the longest word (in bytes) the caches keep.
	englishCachedLen = 40
)

// englishShard is one locked part of the shared cache.
type englishShard struct {
	mu    sync.RWMutex
	words map[string]*englishTerm
}

// englishTerm is what the English analyzer's filters after the
// possessive one make of a lowercased word: nothing if it is a stop word,
// else its porter stem. Its bytes are shared by every analysis that
// meets the word and must not be modified.
type englishTerm struct {
	stop bool
	key  string // the stem
	term []byte // the stem again, for bindex.TokenFreq.Term
}

// englishScratch is the working memory of an analysis, reused by later
// ones: buffers, and a cache of words that gives all words with the same
// stem one localStem.
type englishScratch struct {
	word   []byte // the current word, lowercased
	tokens []englishToken
	stems  []*localStem // the analysis's distinct stems, in order of appearance

	words    map[string]*localStem // lowercased word → stem, or stopWord
	stemsOf  map[string]*localStem // stem → its localStem
	analysis uint64                // counts the analyses
}

// localStem is a stem in the cache of a working memory, with where the
// current analysis counts it.
type localStem struct {
	*englishTerm
	analysis uint64 // the analysis that last met it
	index    int    // its index in englishScratch.stems in that analysis
}

// stopWord stands for the stop words in the cache of a working memory.
var stopWord = &localStem{englishTerm: &englishTerm{stop: true}}

// englishToken is a token the analysis keeps: the index of its stem in
// englishScratch.stems, its byte offsets and position.
type englishToken struct {
	stem       int
	start, end int
	position   int
}

// newEnglishAnalyzer returns an englishAnalyzer with empty caches.
func newEnglishAnalyzer() *englishAnalyzer {
	a := &englishAnalyzer{sharedWords: englishCacheWords, localWords: englishLocalWords}
	for i := range a.shards {
		a.shards[i].words = map[string]*englishTerm{}
	}
	a.scratch.New = func() any {
		return &englishScratch{word: make([]byte, 0, 64), words: map[string]*localStem{}, stemsOf: map[string]*localStem{}}
	}
	return a
}

// wordClass is the class of a character for word segmentation as bleve's
// unicode tokenizer sees it (github.com/blevesearch/segment, UAX #29 with
// the Word_Break property of Unicode 8.0.0), for the characters
// englishAnalyzer understands.
type wordClass uint8

const (
	// classUnknown is a character the fast path does not understand.
	classUnknown wordClass = iota
	// classOther is a character that is a segment of its own and never
	// part of a token: spaces, most punctuation, dashes, double quotes.
	classOther
	// classLetter is ALetter: A-Z, a-z, the letters of Latin-1 and Latin
	// Extended-A.
	classLetter
	// classDigit is Numeric: 0-9.
	classDigit
	// classJoin is ExtendNumLet: _ joins letters, digits and itself.
	classJoin
	// classMidLetter is MidLetter: ':' joins two letters.
	classMidLetter
	// classMidNum is MidNum: ',' and ';' join two digits.
	classMidNum
	// classMidNumLet is MidNumLet and Single_Quote: '.', '\'', ‘ and ’
	// join two letters or two digits.
	classMidNumLet
)

// asciiWordClass is the wordClass of each ASCII character.
var asciiWordClass = func() (t [utf8.RuneSelf]wordClass) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = classLetter
		case '0' <= c && c <= '9':
			t[c] = classDigit
		case c == '_':
			t[c] = classJoin
		case c == ':':
			t[c] = classMidLetter
		case c == ',', c == ';':
			t[c] = classMidNum
		case c == '.', c == '\'':
			t[c] = classMidNumLet
		default:
			// Controls (CR, LF, VT and FF are newlines, one segment each
			// or CR LF together: never tokens either way), space and the
			// rest of the punctuation, " included (Double_Quote only joins
			// Hebrew letters).
			t[c] = classOther
		}
	}
	return t
}()

// wordClassOf returns the class of the character at the start of b (not
// empty), the character, and its length in bytes. Characters outside
// ASCII that it knows are listed here; any other (or invalid UTF-8) is
// classUnknown.
func wordClassOf(b []byte) (wordClass, rune, int) {
	c := b[0]
	if c < utf8.RuneSelf {
		return asciiWordClass[c], rune(c), 1
	}
	r, size := utf8.DecodeRune(b)
	switch {
	case size == 1:
		return classUnknown, r, 1
	case 0xC0 <= r && r <= 0x17F && r != '×' && r != '÷' && r != 'İ':
		// À-ÿ and Latin Extended-A (Ā-ſ): ALetter, and their lowercase
		// is as wide as they are. Not İ, whose lowercase i is narrower:
		// bleve's to_lower then leaves the rest of the token's bytes
		// unshifted ("İx" becomes "i" and a stray byte).
		return classLetter, r, size
	case r == '‘', r == '’':
		return classMidNumLet, r, size
	case r == '×', r == '÷',
		r == '\u00a0', // no-break space
		r == '£', r == '§', r == '©', r == '«', r == '®', r == '°', r == '»',
		r == '–', r == '—', r == '“', r == '”', r == '•', r == '…', r == '€':
		return classOther, r, size
	}
	return classUnknown, r, size
}

// joins reports whether mid, between a character of class before and one
// of class after, keeps them in one word (UAX #29 WB6, WB7, WB11, WB12).
func joins(before, mid, after wordClass) bool {
	switch mid {
	case classMidLetter:
		return before == classLetter && after == classLetter
	case classMidNum:
		return before == classDigit && after == classDigit
	case classMidNumLet:
		return before == after && (before == classLetter || before == classDigit)
	}
	return false
}

// analyze returns what bleve's "en" analyzer and analysis.TokenFrequency
// make of value for a field with term vectors (document.TextField's
// Analyze): the number of tokens kept and the terms with their
// frequencies and locations (Position, and Start and End if offsets is
// true, else 0; each with arrayPositions). ok is false if value holds a
// character the fast path does not understand; then length and freqs are
// zero and the caller must analyse value with bleve. The terms' bytes are
// shared with the cache and other analyses and must not be modified.
func (a *englishAnalyzer) analyze(value []byte, arrayPositions []uint64, offsets bool) (length int, freqs bindex.TokenFrequencies, ok bool) {
	sc := a.scratch.Get().(*englishScratch)
	defer a.scratch.Put(sc)
	if len(sc.words) > a.localWords || len(sc.stemsOf) > a.localWords {
		clear(sc.words)
		clear(sc.stemsOf)
	}
	sc.analysis++
	tokens, stems := sc.tokens[:0], sc.stems[:0]
	position := 0
	for i := 0; i < len(value); {
		class, size := classUnknown, 1
		if c := value[i]; c < utf8.RuneSelf {
			class = asciiWordClass[c]
		} else {
			class, _, size = wordClassOf(value[i:])
		}
		switch class {
		case classUnknown:
			return 0, nil, false
		case classLetter, classDigit, classJoin:
		default:
			i += size
			continue
		}
		end, ok := sc.scanWord(value, i)
		if !ok {
			return 0, nil, false
		}
		position++
		st := sc.words[string(sc.word)]
		if st == nil {
			st = sc.learn(a.term(sc.word))
			if len(sc.word) <= englishCachedLen {
				sc.words[string(sc.word)] = st
			}
		}
		if st != stopWord {
			if st.analysis != sc.analysis {
				st.analysis, st.index = sc.analysis, len(stems)
				stems = append(stems, st)
			}
			tokens = append(tokens, englishToken{stem: st.index, start: i, end: end, position: position})
		}
		i = end
	}
	freqs = englishFrequencies(tokens, stems, arrayPositions, offsets)
	length = len(tokens)
	clear(stems) // let go of cache entries that may be dropped
	sc.tokens, sc.stems = tokens[:0], stems[:0]
	if cap(tokens) > 4096 {
		sc.tokens, sc.stems = nil, nil // do not keep a long text's memory
	}
	return length, freqs, true
}

// learn returns the localStem of t, a word's term, for the cache of sc.
func (sc *englishScratch) learn(t *englishTerm) *localStem {
	if t.stop {
		return stopWord
	}
	st := sc.stemsOf[t.key]
	if st == nil {
		st = &localStem{englishTerm: t}
		sc.stemsOf[t.key] = st
	}
	return st
}

// scanWord reads the word that starts at value[start] (a letter, digit
// or _) into sc.word, lowercased and without a possessive 's, and returns
// where it ends. The word is the longest run that bleve's unicode
// tokenizer makes one token of: letters, digits and _, with a single
// MidLetter, MidNum or MidNumLet character between two letters or two
// digits as joins allows. ok is false if a character the fast path does
// not understand is met before the word's end is known.
func (sc *englishScratch) scanWord(value []byte, start int) (end int, ok bool) {
	word := sc.word[:0]
	prev := classUnknown
	i := start
	for i < len(value) {
		if c := value[i]; c < utf8.RuneSelf {
			// Most characters: letters and digits of ASCII.
			if class := asciiWordClass[c]; class == classLetter || class == classDigit || class == classJoin {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				word = append(word, c)
				prev = class
				i++
				continue
			}
		}
		class, r, size := wordClassOf(value[i:])
		switch class {
		case classLetter, classDigit, classJoin:
			word = utf8.AppendRune(word, unicode.ToLower(r))
			prev = class
			i += size
			continue
		case classMidLetter, classMidNum, classMidNumLet:
			if i+size < len(value) {
				next, _, _ := wordClassOf(value[i+size:])
				if next == classUnknown {
					sc.word = word
					return 0, false
				}
				if joins(prev, class, next) {
					word = append(word, value[i:i+size]...)
					prev = class
					i += size
					continue
				}
			}
		case classUnknown:
			sc.word = word
			return 0, false
		}
		break
	}
	// possessive_en: a final 's or ’s (either case) goes; lowercasing has
	// left the apostrophe and turned S into s.
	token := value[start:i]
	if n := len(token); n >= 2 && (token[n-1] == 's' || token[n-1] == 'S') {
		switch {
		case token[n-2] == '\'':
			word = word[:len(word)-2]
		case n >= 4 && string(token[n-4:n-1]) == "’":
			word = word[:len(word)-4]
		}
	}
	sc.word = word
	return i, true
}

// term returns what the stop_en and stemmer_porter filters make of word,
// a lowercased token, from the cache or by asking them.
func (a *englishAnalyzer) term(word []byte) *englishTerm {
	h := uint32(2166136261) // FNV-1a
	for _, c := range word {
		h = (h ^ uint32(c)) * 16777619
	}
	sh := &a.shards[h%englishShards]
	sh.mu.RLock()
	t := sh.words[string(word)]
	sh.mu.RUnlock()
	if t != nil {
		return t
	}
	t = newEnglishTerm(word)
	if len(word) <= englishCachedLen {
		sh.mu.Lock()
		if len(sh.words) < a.sharedWords/englishShards {
			sh.words[string(word)] = t
		}
		sh.mu.Unlock()
	}
	return t
}

// porterFilter is bleve's porter stemmer filter, which keeps no state.
var porterFilter = porter.NewPorterStemmer()

// newEnglishTerm asks bleve's stop list and porter stemmer what word, a
// lowercased token, becomes.
func newEnglishTerm(word []byte) *englishTerm {
	if englishStop()[string(word)] {
		return &englishTerm{stop: true}
	}
	tok := &analysis.Token{Term: append([]byte(nil), word...)}
	porterFilter.Filter(analysis.TokenStream{tok})
	return &englishTerm{key: string(tok.Term), term: tok.Term}
}

// englishFrequencies is analysis.TokenFrequency for a field with term
// vectors, from the kept tokens and their distinct stems, with all terms,
// locations and location pointers in one allocation each.
func englishFrequencies(tokens []englishToken, stems []*localStem, arrayPositions []uint64, offsets bool) bindex.TokenFrequencies {
	freqs := make(bindex.TokenFrequencies, len(stems))
	if len(tokens) == 0 {
		return freqs
	}
	tfs := make([]bindex.TokenFreq, len(stems))
	for _, t := range tokens {
		tf := &tfs[t.stem]
		tf.SetFrequency(tf.Frequency() + 1)
	}
	ptrs := make([]*bindex.TokenLocation, len(tokens))
	next := 0
	for i, st := range stems {
		tf := &tfs[i]
		tf.Term = st.term
		n := tf.Frequency()
		tf.Locations = ptrs[next : next : next+n]
		next += n
		freqs[st.key] = tf
	}
	locs := make([]bindex.TokenLocation, len(tokens))
	for i, t := range tokens {
		loc := &locs[i]
		loc.ArrayPositions = arrayPositions
		if offsets {
			loc.Start, loc.End = t.start, t.end
		}
		loc.Position = t.position
		tf := &tfs[t.stem]
		tf.Locations = append(tf.Locations, loc)
	}
	return freqs
}
