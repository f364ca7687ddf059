package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/google/go-cmp/cmp"
)

func TestHighlight(t *testing.T) {
	long := strings.Repeat("filler words here ", 30) + "the Iran plot was foiled " + strings.Repeat("more filler text ", 30)
	iranAt := strings.Index(long, "Iran")
	tests := []struct {
		name  string
		text  string
		marks []Span
		want  []string
	}{
		{
			name:  "short text whole",
			text:  "Officials said Iran backed plots.",
			marks: []Span{{15, 19}, {27, 32}},
			want:  []string{"Officials said <mark>Iran</mark> backed <mark>plots</mark>."},
		},
		{
			name:  "escapes everything but marks",
			text:  `A <script>alert("x")</script> tag & AT&T`,
			marks: []Span{{3, 9}},
			want:  []string{`A &lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/script&gt; tag &amp; AT&amp;T`},
		},
		{
			name:  "possessive left outside the mark",
			text:  "Iran's proxies and Tehran’s agents",
			marks: []Span{{0, 6}, {19, 29}},
			want:  []string{"<mark>Iran</mark>&#39;s proxies and <mark>Tehran</mark>’s agents"},
		},
		{
			name: "no marks",
			text: "nothing to see",
			want: []string{},
		},
		{
			name:  "out of range and reversed spans ignored",
			text:  "short",
			marks: []Span{{3, 99}, {4, 2}, {-1, 2}},
			want:  []string{},
		},
		{
			name:  "not on a rune boundary ignored",
			text:  "café society",
			marks: []Span{{4, 5}},
			want:  []string{},
		},
		{
			name:  "long text cut around the match",
			text:  long,
			marks: []Span{{iranAt, iranAt + 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Highlight(tt.text, tt.marks)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Highlight (-want +got):\n%s", diff)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d fragments, want 1: %q", len(got), got)
			}
			f := got[0]
			if !strings.Contains(f, "<mark>Iran</mark>") || !strings.HasPrefix(f, "… ") || !strings.HasSuffix(f, " …") {
				t.Errorf("fragment %q: want a cut fragment around <mark>Iran</mark>", f)
			}
			if n := utf8.RuneCountInString(f); n > DefaultFragmentSize+40 {
				t.Errorf("fragment is %d characters, want about %d", n, DefaultFragmentSize)
			}
		})
	}
}

func TestHighlightManyClustersCapped(t *testing.T) {
	var b strings.Builder
	var marks []Span
	for range 10 {
		b.WriteString(strings.Repeat("padding ", 60))
		marks = append(marks, Span{b.Len(), b.Len() + 3})
		b.WriteString("spy ")
	}
	got := Highlight(b.String(), marks)
	if len(got) != DefaultFragments {
		t.Fatalf("got %d fragments, want %d", len(got), DefaultFragments)
	}
	for _, f := range got {
		if strings.Count(f, "<mark>spy</mark>") != 1 {
			t.Errorf("fragment %q: want exactly one mark", f)
		}
	}
}

// The best fragments come first: most distinct matched terms, then most
// matches; fragments are cut at sentence ends when one is near.
func TestHighlightBestFirst(t *testing.T) {
	pad := strings.Repeat("Nothing of note happened in the long meeting. ", 8)
	text := pad + "The spy met a courier. " + pad + "The spy and the spy's courier met the Iran plot's handler. " + pad
	var marks []mark
	add := func(word, term string, from int) int {
		i := strings.Index(text[from:], word) + from
		marks = append(marks, mark{Span{i, i + len(word)}, term})
		return i + len(word)
	}
	add("spy", "spy", 0)
	at := add("spy", "spy", strings.Index(text, "The spy and"))
	at = add("spy", "spy", at)
	at = add("Iran", "iran", at)
	add("plot", "plot", at)
	got := highlight(text, marks, HighlightOptions{Fragments: 2})
	if len(got) != 2 {
		t.Fatalf("got %d fragments: %q", len(got), got)
	}
	if !strings.Contains(got[0], "<mark>Iran</mark>") || !strings.Contains(got[0], "<mark>plot</mark>") {
		t.Errorf("first fragment %q: want the one with spy, Iran and plot", got[0])
	}
	if strings.Contains(got[1], "Iran") || !strings.Contains(got[1], "<mark>spy</mark>") {
		t.Errorf("second fragment %q: want the lone spy", got[1])
	}
	// Cut at a sentence start: the fragment begins with "The spy".
	if !strings.HasPrefix(got[1], "… The <mark>spy</mark> met") {
		t.Errorf("second fragment %q: want it to start at its sentence", got[1])
	}
}

func TestHighlightOptions(t *testing.T) {
	text := "Officials said Iran backed <b>plots</b> & more."
	marks := []Span{{15, 19}, {30, 35}}
	got := HighlightWith(text, marks, HighlightOptions{Pre: `<em class="hit">`, Post: "</em>"})
	want := `Officials said <em class="hit">Iran</em> backed &lt;b&gt;<em class="hit">plots</em>&lt;/b&gt; &amp; more.`
	if len(got) != 1 || got[0] != want {
		t.Errorf("custom tags: %q, want %q", got, want)
	}
	long := strings.Repeat("word ", 200) + "Iran " + strings.Repeat("word ", 200)
	at := strings.Index(long, "Iran")
	whole := HighlightWith(long, []Span{{at, at + 4}}, HighlightOptions{Whole: true})
	if len(whole) != 1 || len(whole[0]) != len(long)-1+len("<mark></mark>") {
		t.Errorf("whole: %d fragments, %d bytes", len(whole), len(whole[0]))
	}
	small := HighlightWith(long, []Span{{at, at + 4}}, HighlightOptions{FragmentSize: 40})
	if n := utf8.RuneCountInString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(small[0])); n > 55 || n < 30 {
		t.Errorf("fragment_size 40: %d characters: %q", n, small[0])
	}
}

// Matches are offsets in code points, not bytes.
func TestMatches(t *testing.T) {
	text := "Le café près de Téhéran: Iran’s plots"
	iran := strings.Index(text, "Iran")
	teh := strings.Index(text, "Téhéran")
	got := Matches(text, []Span{{teh, teh + len("Téhéran")}, {iran, iran + len("Iran’s")}})
	want := []Match{{16, 23}, {25, 29}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Matches (-want +got):\n%s", diff)
	}
	runes := []rune(text)
	if string(runes[16:23]) != "Téhéran" || string(runes[25:29]) != "Iran" {
		t.Errorf("offsets do not select the words: %q %q", string(runes[16:23]), string(runes[25:29]))
	}
}

func FuzzHighlight(f *testing.F) {
	f.Add("Iran backed plots <b>&", 0, 4)
	f.Add("café", 3, 5)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		for _, m := range Matches(text, []Span{{start, end}}) {
			if m.Start < 0 || m.End > utf8.RuneCountInString(text) || m.Start >= m.End {
				t.Fatalf("match %+v out of %q", m, text)
			}
		}
		for _, frag := range HighlightWith(text, []Span{{start, end}}, HighlightOptions{FragmentSize: 20}) {
			rest := strings.ReplaceAll(strings.ReplaceAll(frag, "<mark>", ""), "</mark>", "")
			if strings.ContainsAny(rest, "<>") {
				t.Fatalf("unescaped markup in %q", frag)
			}
		}
	})
}

// tokenSpans places every position where the index's English analyser
// puts its tokens: numbers, abbreviations, possessives, hyphens, accents,
// scripts without spaces, and stop words (dropped by the analyser, but
// still counted).
func TestTokenSpans(t *testing.T) {
	m := bleve.NewIndexMapping()
	a := m.AnalyzerNamed(en.AnalyzerName)
	for _, text := range []string{
		"Iran's IRGC said the U.S. drone, worth $3.5m, fell at 10:45 on 2024-06-30.",
		"Erdoğan’s aide met the Élysée team — e-mail leaks, co-operation and the MI6 chief.",
		"北京 said 東京 and Москва were the targets of the 2023 campaign 🙂 of hacking.",
		"   leading spaces, ... and trailing dots ...   ",
		"",
	} {
		stream := a.Analyze([]byte(text))
		last := 0
		for _, tok := range stream {
			last = max(last, tok.Position)
		}
		got := tokenSpans(a, text, last)
		for _, tok := range stream {
			if tok.Position > len(got) || got[tok.Position-1] != (Span{tok.Start, tok.End}) {
				t.Errorf("%q: token %q at position %d is at %d:%d; tokenSpans has %v", text, tok.Term, tok.Position, tok.Start, tok.End, got)
				break
			}
		}
		if last > 1 {
			if short := tokenSpans(a, text, last-1); len(short) != last-1 || !slices.Equal(short, got[:last-1]) {
				t.Errorf("%q: the first %d spans %v, want %v", text, last-1, short, got[:last-1])
			}
		}
	}
}
