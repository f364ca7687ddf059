package index

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// CountTerms should stay close to what the English analyzer produces.
func TestCountTermsMatchesAnalyzer(t *testing.T) {
	analyzer, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range BenchArticles(t) {
		for _, p := range Split(a.Body, DefaultMaxChunk) {
			want := len(analyzer.Analyze([]byte(p)))
			got := CountTerms(p)
			if diff := got - want; diff < -want/10-1 || diff > want/10+1 {
				t.Errorf("CountTerms = %d, analyzer %d terms (more than 10%% apart) for %q", got, want, p)
			}
		}
	}
}

func TestCountTerms(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"The spy was in the embassy.", 2},
		{"MI5's director-general, Ken McCallum", 5},
		{"(spoke in Russian)", 2},
	}
	for _, tt := range tests {
		if got := CountTerms(tt.s); got != tt.want {
			t.Errorf("CountTerms(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// An index written before terms were counted estimates its lengths from
// a sample of stored text, close to the counted ones.
func TestLengthsOfAnOlderIndex(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if l, err := ix.Lengths(); err != nil || l != (Lengths{}) {
		t.Fatalf("empty index: %+v, %v; want zero", l, err)
	}
	if _, err := ix.Ingest(ctx, BenchArticles(t)...); err != nil {
		t.Fatal(err)
	}
	counted, err := ix.Lengths()
	if err != nil || counted.Text < 10 || counted.Title < 2 {
		t.Fatalf("counted lengths %+v, %v", counted, err)
	}
	c, err := ix.readCounts()
	if err != nil {
		t.Fatal(err)
	}
	old, _ := json.Marshal(counts{Articles: c.Articles, Paragraphs: c.Paragraphs})
	if err := ix.b().SetInternal(keyCounts, old); err != nil {
		t.Fatal(err)
	}
	estimated, err := ix.Lengths()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(estimated.Text-counted.Text) > 0.2*counted.Text || math.Abs(estimated.Title-counted.Title) > 0.2*counted.Title {
		t.Errorf("estimated %+v, counted %+v: more than 20%% apart", estimated, counted)
	}
}

// Replacing and deleting articles keeps the counted lengths those of what
// is indexed.
func TestLengthsFollowReplaceAndDelete(t *testing.T) {
	ctx := context.Background()
	x := Article{ID: "x", Title: "Spy trial opens", Body: "A long first paragraph about the spy trial that opened in the capital on Monday morning.\n\nA second one."}
	y := Article{ID: "y", Title: "Sanctions", Body: "Ministers agreed new sanctions on the shipping firms named in the report."}
	x2 := Article{ID: "x", Title: "Spy trial adjourned", Body: "The trial was adjourned."}
	lengths := func(steps func(ix *Index)) Lengths {
		ix, err := Open(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		steps(ix)
		l, err := ix.Lengths()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	got := lengths(func(ix *Index) {
		if _, err := ix.Ingest(ctx, x, y); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Ingest(ctx, x2); err != nil {
			t.Fatal(err)
		}
		if err := ix.Delete(ctx, "y"); err != nil {
			t.Fatal(err)
		}
	})
	want := lengths(func(ix *Index) {
		if _, err := ix.Ingest(ctx, x2); err != nil {
			t.Fatal(err)
		}
	})
	if got != want {
		t.Errorf("after replace and delete: %+v, want %+v (x2 alone)", got, want)
	}
}

// Stats reports the index's size on disk and when it last changed.
func TestStatsDiskAndChanged(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, Options{Path: t.TempDir() + "/idx"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Stats(ctx)
	if err != nil || st.Changed != nil {
		t.Fatalf("new index: %+v, %v; want no change time", st, err)
	}
	before := time.Now().Add(-time.Second)
	if _, err := ix.Ingest(ctx, Article{ID: "s-1", Body: "A paragraph about the court case."}); err != nil {
		t.Fatal(err)
	}
	st, err = ix.Stats(ctx)
	if err != nil || st.DiskBytes <= 0 || st.Changed == nil || st.Changed.Before(before) {
		t.Errorf("after an ingest: %+v, %v; want disk bytes and a change time", st, err)
	}
}

// countTermsReference is CountTerms as it was before its allocation-free
// rewrite: the definition the rewrite must keep.
func countTermsReference(s string) int {
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

// countTermsCases are texts on which CountTerms must agree with
// countTermsReference, besides every stop word.
var countTermsCases = []string{
	"", " ", "'", "’", "''s", "a'", "'a", "’’x’’",
	"The spy was in the embassy.", "MI5's director-general, Ken McCallum", "(spoke in Russian)",
	"THE And oF", "it's IT’S don't DON’T won’t", "James' Iran's Iran’s",
	"1,000.5 3.14 U.S. e-mail snake_case http://x.y/z a@b.c",
	"Café Zürich İstanbul ΣΟΦΙΑ Москва 東京 café\u0301 a\u200db co\u00adop",
	"invalid \xff utf-8 \xe2\x80 and \xc3", "tab\tnew\nline\r\n",
	strings.Repeat("a", 15), strings.Repeat("a", 16), strings.Repeat("a", 17),
	strings.Repeat("é", 7) + "e", strings.Repeat("é", 8), strings.Repeat("é", 8) + "e",
	strings.Repeat("x", 14) + "’", strings.Repeat("x", 15) + "’s", strings.Repeat("x", 13) + "’s",
	"themselves", "THEMSELVES’", "yourselves's", "themselvesx",
	strings.Repeat("word ", 1000),
}

// CountTerms is countTermsReference, faster: on tricky texts, every stop
// word in three spellings, and the fixture corpus.
func TestCountTermsMatchesReference(t *testing.T) {
	cases := slices.Clone(countTermsCases)
	for w := range englishStop() {
		cases = append(cases, w, strings.ToUpper(w), strings.ReplaceAll(w, "'", "’")+" x", "x'"+w)
	}
	for _, a := range BenchArticles(t) {
		cases = append(cases, a.Title, a.Body)
	}
	for _, s := range cases {
		if got, want := CountTerms(s), countTermsReference(s); got != want {
			t.Errorf("CountTerms(%q) = %d, the reference counts %d", s, got, want)
		}
	}
}

func TestCountTermsAllocates(t *testing.T) {
	s := "The spy's director-general, Ken McCallum, said Iran’s programme cost 1,000.5 million " + strings.Repeat("x", 100)
	if n := testing.AllocsPerRun(100, func() { CountTerms(s) }); n != 0 {
		t.Errorf("CountTerms allocates %v times, want 0", n)
	}
}

func FuzzCountTerms(f *testing.F) {
	for _, s := range countTermsCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CountTerms(s), countTermsReference(s); got != want {
			t.Errorf("CountTerms(%q) = %d, the reference counts %d", s, got, want)
		}
	})
}

// CountTerms is countTermsReference on a real corpus (walkCorpus).
func TestCountTermsCorpus(t *testing.T) {
	values, mismatches := 0, 0
	walkCorpus(t, "compare CountTerms with its reference", func(_, id, field, value string) {
		values++
		if got, want := CountTerms(value), countTermsReference(value); got != want {
			mismatches++
			if mismatches <= 20 {
				t.Errorf("%s: %s %q: CountTerms = %d, the reference counts %d", id, field, value, got, want)
			}
		}
	})
	t.Logf("%d titles and paragraphs, %d counted differently", values, mismatches)
}

// BenchmarkCountTerms compares CountTerms with the implementation it
// replaced (countTermsReference) on the paragraphs of BenchArticles.
func BenchmarkCountTerms(b *testing.B) {
	paras, size := benchParagraphs(b)
	texts := make([]string, len(paras))
	for i, p := range paras {
		texts[i] = string(p)
	}
	for _, bm := range []struct {
		name  string
		count func(string) int
	}{{"reference", countTermsReference}, {"new", CountTerms}} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				for _, s := range texts {
					bm.count(s)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/paragraph")
		})
	}
}
