package search_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/search"
)

// FuzzParseSynonyms: the synonyms file never panics the parser; a bad
// file is an ErrInvalid naming the line.
func FuzzParseSynonyms(f *testing.F) {
	for _, s := range []string{"hacking, hackers\n", "# c\n\na,b,c\n", "x\n", ",,\n", "a , b\r\nc,d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, err := search.ParseSynonyms(strings.NewReader(in), "f")
		if err != nil && !errors.Is(err, search.ErrInvalid) && !strings.Contains(err.Error(), "token too long") {
			t.Fatalf("ParseSynonyms(%q): %v is not ErrInvalid", in, err)
		}
	})
}
