package index

import (
	"strings"
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
	return tm
})

// CountTerms estimates how many terms the English analyzer indexes for s:
// its words (runs of letters and digits, apostrophes inside) that are not
// stop words. The index sums it for BM25's average field lengths; it costs
// a fraction of the analysis itself.
func CountTerms(s string) int {
	stop := englishStop()
	n := 0
	var word strings.Builder
	end := func() {
		if word.Len() > 0 {
			if !stop[word.String()] {
				n++
			}
			word.Reset()
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			word.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && word.Len() > 0:
			word.WriteByte('\'')
		default:
			end()
		}
		i += size
	}
	end()
	return n
}
