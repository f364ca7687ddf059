package enrich

import (
	"strings"
	"testing"
)

// TestWordTable checks that every numbered word is found by its number,
// read a byte at a time, 8 at a time or at the end of its text, and that
// other words are not.
func TestWordTable(t *testing.T) {
	wt := tagger(t).words
	number := func(w, src string, off int) uint32 {
		tk := token{low: w}
		wt.number(&tk, src, off)
		if k1, _ := wordKey(w); tk.pre != uint32(k1) || tk.hash != hashOf(w) {
			t.Errorf("%q in %q: pre %x, hash %x; want %x, %x", w, src, tk.pre, tk.hash, uint32(k1), hashOf(w))
		}
		return tk.id
	}
	for id, w := range wt.words {
		if id == 0 {
			continue
		}
		for _, c := range []struct{ src, at string }{
			{w, ""}, // no padding
			{"a " + w + strings.Repeat(" ", 8), "a "}, // padded
			{"the " + w, "the "},                      // at the end
		} {
			if got := number(w, c.src, len(c.at)); got != uint32(id) {
				t.Errorf("%q in %q: number %d, want %d", w, c.src, got, id)
			}
		}
		for _, other := range []string{w + "q", w[:len(w)-1], "q" + w} {
			if got := number(other, other+strings.Repeat("x", 8), 0); got != 0 && wt.words[got] != other {
				t.Errorf("%q: number %d, the number of %q", other, got, wt.words[got])
			}
		}
	}
}

// TestTokenForms checks that tokens are spelt and numbered as their words
// are, whichever string their forms come from.
func TestTokenForms(t *testing.T) {
	tg := tagger(t)
	var sc scratch
	text := "O’Brien’s MI5 d’Ivoire Réunion ÉLYSÉE the Kremlin’s ‘quoted’ l’État SANCTIONS sanctioned terrorism"
	want := []struct{ surf, low string }{
		{"O'Brien", "o'brien"}, {"MI5", "mi5"}, {"d'Ivoire", "d'ivoire"}, {"Réunion", "réunion"},
		{"ÉLYSÉE", "élysée"}, {"the", "the"}, {"Kremlin", "kremlin"}, {"quoted", "quoted"},
		{"l'État", "l'état"}, {"SANCTIONS", "sanctions"}, {"sanctioned", "sanctioned"}, {"terrorism", "terrorism"},
	}
	toks := tg.tokens(text, &sc)
	if len(toks) != len(want) {
		t.Fatalf("%d tokens, want %d", len(toks), len(want))
	}
	for i, w := range want {
		tk := &toks[i]
		if tk.surf != w.surf || tk.low != w.low {
			t.Errorf("token %d: %q/%q, want %q/%q", i, tk.surf, tk.low, w.surf, w.low)
		}
		id := tk.id
		tg.words.number(tk, tk.low, 0)
		if tk.id != id {
			t.Errorf("token %q: number %d, want %d", tk.low, id, tk.id)
		}
	}
}
