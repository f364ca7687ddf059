package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
)

// testMapping is the index's mapping, built once for the tests.
var testMapping = sync.OnceValue(func() *mapping.IndexMappingImpl { return newMapping() })

// bleveAnalysis analyses value as field of a chunk document the way the
// index does without the fast path: mapped by the index's mapping, then
// the field's own Analyze.
func bleveAnalysis(tb testing.TB, field, value string) (int, bindex.TokenFrequencies, []uint64) {
	tb.Helper()
	doc := document.NewDocument("x")
	if err := testMapping().MapDocument(doc, map[string]any{field: value}); err != nil {
		tb.Fatal(err)
	}
	for _, f := range doc.Fields {
		if f.Name() == field {
			if !f.Options().IncludeTermVectors() || f.Options().SkipFreqNorm() {
				tb.Fatalf("field %s: options %v, want term vectors and frequencies", field, f.Options())
			}
			f.Analyze()
			return f.AnalyzedLength(), f.AnalyzedTokenFrequencies(), f.ArrayPositions()
		}
	}
	tb.Fatalf("the mapping made no field %s of %q", field, value)
	return 0, nil, nil
}

// diffFrequencies describes the first difference between two analyses,
// or returns "" if they are the same: length, terms, each term's bytes
// and frequency, and its locations in order (field, array positions,
// offsets, position).
func diffFrequencies(gotLen int, got bindex.TokenFrequencies, wantLen int, want bindex.TokenFrequencies) string {
	if gotLen != wantLen {
		return fmt.Sprintf("length %d, want %d", gotLen, wantLen)
	}
	if got == nil || len(got) != len(want) {
		return fmt.Sprintf("%d terms %v, want %d %v", len(got), termsOf(got), len(want), termsOf(want))
	}
	for key, w := range want {
		g, ok := got[key]
		switch {
		case !ok:
			return fmt.Sprintf("no term %q; terms %v, want %v", key, termsOf(got), termsOf(want))
		case string(g.Term) != string(w.Term):
			return fmt.Sprintf("term %q: bytes %q, want %q", key, g.Term, w.Term)
		case g.Frequency() != w.Frequency():
			return fmt.Sprintf("term %q: frequency %d, want %d", key, g.Frequency(), w.Frequency())
		case len(g.Locations) != len(w.Locations):
			return fmt.Sprintf("term %q: %d locations, want %d", key, len(g.Locations), len(w.Locations))
		}
		for i, wl := range w.Locations {
			gl := g.Locations[i]
			if gl.Field != wl.Field || gl.Start != wl.Start || gl.End != wl.End || gl.Position != wl.Position ||
				!slices.Equal(gl.ArrayPositions, wl.ArrayPositions) || (gl.ArrayPositions == nil) != (wl.ArrayPositions == nil) {
				return fmt.Sprintf("term %q: location %d is %+v, want %+v", key, i, *gl, *wl)
			}
		}
	}
	return ""
}

// termsOf returns the terms of an analysis, sorted.
func termsOf(freqs bindex.TokenFrequencies) []string {
	var terms []string
	for k, tf := range freqs {
		terms = append(terms, fmt.Sprintf("%s×%d", k, tf.Frequency()))
	}
	slices.Sort(terms)
	return terms
}

// compareEnglish analyses value as field with the fast path and with
// bleve (englishDiff), fails tb if they differ and reports whether the
// fast path took value.
func compareEnglish(tb testing.TB, a *englishAnalyzer, field, value string) bool {
	tb.Helper()
	fast, diff := englishDiff(tb, a, field, value)
	if diff != "" {
		tb.Errorf("%s %q: %s", field, value, diff)
	}
	return fast
}

// englishDiff analyses value as field with the fast path and with bleve,
// with offsets and without (as prepare uses it, against bleve's analysis
// after dropOffsets). It reports whether the fast path took value and
// describes how the analyses differ ("" if they do not).
func englishDiff(tb testing.TB, a *englishAnalyzer, field, value string) (fast bool, diff string) {
	tb.Helper()
	wantLen, want, arrayPositions := bleveAnalysis(tb, field, value)
	gotLen, got, ok := a.analyze([]byte(value), arrayPositions, true)
	if !ok {
		if gotLen != 0 || got != nil {
			return false, fmt.Sprintf("not ok, but length %d and %d terms", gotLen, len(got))
		}
		return false, ""
	}
	if d := diffFrequencies(gotLen, got, wantLen, want); d != "" {
		return true, "fast analysis differs from bleve's: " + d
	}
	gotLen, got, _ = a.analyze([]byte(value), arrayPositions, false)
	dropOffsets(want)
	if d := diffFrequencies(gotLen, got, wantLen, want); d != "" {
		return true, "without offsets, fast analysis differs from bleve's: " + d
	}
	return true, ""
}

// englishCases are texts for which the fast path must either decline or
// agree with bleve; fast says whether it must take them.
var englishCases = []struct {
	name, text string
	fast       bool
}{
	{"empty", "", true},
	{"whitespace", " \t\r\n\v\f  \r\n", true},
	{"punctuation only", `.,;:'"!?()[]{}<>-/\|@#$%^&*+=~` + "`", true},
	{"stop words only", "The and of a an to in IS it", true},
	{"sentence", "The spy was in the embassy. MI5's director-general, Ken McCallum, spoke.", true},
	{"possessive apostrophe", "Iran's nuclear programme; IRAN'S; iran'S", true},
	{"possessive right quote", "Iran’s nuclear programme and Russia’S", true},
	{"left quote is no possessive", "Iran‘s", true},
	{"plural possessive", "James' car and the Joneses' house", true},
	{"contractions", "don't can't won't she's it's rock'n'roll o'clock", true},
	{"apostrophe between digits", "the '90s, 1990's, 1'000 and 5' 6''", true},
	{"numbers", "1,000.5 and 3.14 and 1.000,5 and 1;2 and 1:2 and 1_000 and 10,000,000", true},
	{"trailing separators", "1,000. 3.14, U.S. a.b.c. x:y: 4,", true},
	{"abbreviations", "U.S. U.K. e.g. i.e. Ph.D. a.m.", true},
	{"hyphens", "e-mail well-known anti-government 24-hour -x x-", true},
	{"underscores", "snake_case _leading trailing_ __dunder__ _ __ a_1 1_a _1_", true},
	{"mixed letters and digits", "MI5 MI6 G7 4x4 3D 2nd 21st COVID-19 B-52s H1N1 a1.2 1a.b a.1 1.a", true},
	{"mixed case", "McDonald NATO iPhone eBay ALL CAPS Title Case", true},
	{"colon joins letters", "a:b http://example.com/path mailto:x re:subject 12:30 a:1", true},
	{"url", "https://www.bbc.co.uk/news/world-europe-12345678?x=1&y=two#frag", true},
	{"email", "press.office@fco.gov.uk or j_smith99@example.org", true},
	{"repeated words", "spy spy spies spying spied Spy SPY spy's", true},
	{"stems", "running runs ran generalization generalizations relational conditional", true},
	{"stop word with possessive", "it's that's who's the's", true},
	{"newlines", "line one\nline two\r\nline three\rfour\v\ffive", true},
	{"controls", "a\x00b\x01c\x7fd", true},
	{"quotes and dashes", "“Yes,” he said — twice – in… 2020 • £5 €6 30° «oui» §3 ©BBC ®", true},
	{"latin letters", "Café Zürich Ångström naïve São Paulo Łódź Dvořák Ÿ ÆSIR œuvre straße ÉTÉ’S", true},
	{"dotted capital I", "İstanbul", false},
	{"times and divides", "3×4 8÷2 a×b", true},
	{"no-break space", "10\u00a0km and Mr\u00a0Smith", true},
	{"very long word", strings.Repeat("abcdefghij", 500), true},
	{"very long number", strings.Repeat("1234567890", 500), true},
	{"long joined run", strings.Repeat("a.b:c'd_1.2,3;", 200), true},
	{"many tokens", strings.Repeat("alpha beta gamma delta, the spy's 1,000 ", 300), true},
	{"greek", "Αθήνα", false},
	{"cyrillic", "Москва", false},
	{"combining accent", "cafe\u0301", false},
	{"zero width joiner", "a\u200db", false},
	{"soft hyphen", "co\u00adoperate", false},
	{"fullwidth apostrophe", "Iran＇s", false},
	{"invalid utf-8", "abc\xffdef", false},
	{"truncated utf-8", "abc\xe2\x80", false},
	{"cjk", "東京 tokyo", false},
	{"emoji", "spy 🕵 story", false},
}

func TestAnalyzeEnglishMatchesBleve(t *testing.T) {
	a := newEnglishAnalyzer()
	for _, tt := range englishCases {
		t.Run(tt.name, func(t *testing.T) {
			for _, field := range []string{FieldText, FieldTitle} {
				// Twice: the second analysis hits the word cache.
				for range 2 {
					if fast := compareEnglish(t, a, field, tt.text); fast != tt.fast {
						t.Errorf("%s %q: fast path taken %v, want %v", field, tt.text, fast, tt.fast)
					}
				}
			}
		})
	}
}

// Every character the fast path knows outside ASCII, in every position
// that matters to word segmentation, against bleve.
func TestAnalyzeEnglishKnownCharacters(t *testing.T) {
	a := newEnglishAnalyzer()
	known := 0
	for r := rune(utf8.RuneSelf); r <= 0x2fff; r++ {
		var b [utf8.UTFMax]byte
		if class, _, _ := wordClassOf(b[:utf8.EncodeRune(b[:], r)]); class == classUnknown {
			continue
		}
		known++
		for _, f := range []string{"%c", "a%cb", "1%c2", "a%c1", "1%ca", "_%c_", "A%cS", "x%cs", "%cx", "x%c", "ab%c%ccd", "a:%c", "1,%c", "%c's", "a%c's"} {
			s := strings.ReplaceAll(f, "%c", string(r))
			if !compareEnglish(t, a, FieldText, s) {
				t.Errorf("%q (%U): fast path not taken", s, r)
			}
		}
	}
	if known < 150 {
		t.Errorf("%d characters outside ASCII known, want at least 150", known)
	}
}

// The stop list of the fast path is the one bleve's stop_en filter uses.
func TestEnglishStopIsBleves(t *testing.T) {
	want, err := registry.NewCache().TokenMapNamed(en.StopName)
	if err != nil {
		t.Fatal(err)
	}
	got := englishStop()
	if len(got) != len(want) {
		t.Fatalf("%d stop words, bleve's list has %d", len(got), len(want))
	}
	for w := range want {
		if !got[w] {
			t.Errorf("stop word %q missing", w)
		}
	}
}

// The fast path agrees with bleve on the text and title of every chunk of
// every fixture article in the repository.
func TestAnalyzeEnglishFixtures(t *testing.T) {
	ix, err := Open(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	articles, errs := ReadAll(filepath.Join("..", "testdata", "corpus"))
	if len(errs) > 0 || len(articles) == 0 {
		t.Fatalf("fixture corpus: %d articles, errors %v", len(articles), errs)
	}
	// The parser's fixtures, some of them broken on purpose.
	more, _ := ReadAll(filepath.Join("testdata", "parse"))
	articles = append(articles, more...)
	// The entity fixtures: titles and paragraphs of real and fixture news.
	for _, name := range []string{"fixtures.jsonl", "dev.jsonl"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "entities", name))
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			var rec struct{ ID, Title, Text string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			articles = append(articles, Article{ID: rec.ID, Title: rec.Title, Body: rec.Text})
		}
	}
	a := newEnglishAnalyzer()
	var values, fast int
	for _, art := range articles {
		titleFast := compareEnglish(t, a, FieldTitle, art.Title)
		values++
		if titleFast {
			fast++
		}
		for _, ch := range ix.Chunks(art) {
			values++
			if compareEnglish(t, a, FieldText, ch.Text) {
				fast++
			}
		}
	}
	t.Logf("%d articles, %d titles and paragraphs, %d (%.1f%%) on the fast path", len(articles), values, fast, 100*float64(fast)/float64(values))
	if fast < values*9/10 {
		t.Errorf("fast path took %d of %d values, want at least 90%%", fast, values)
	}
}

// Analyses running at once, with caches small enough to fill, empty and
// overflow many times within the test, still agree with bleve.
func TestAnalyzeEnglishConcurrentSmallCaches(t *testing.T) {
	for _, limits := range [][2]int{{0, 0}, {64, 8}, {640, 64}} {
		a := newEnglishAnalyzer()
		a.sharedWords, a.localWords = limits[0], limits[1]
		var texts []string
		for _, tt := range englishCases {
			texts = append(texts, tt.text)
		}
		for _, art := range BenchArticles(t)[:200] {
			texts = append(texts, art.Title, art.Body)
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range texts {
					compareEnglish(t, a, FieldText, texts[(i+g*len(texts)/4)%len(texts)])
				}
			})
		}
		wg.Wait()
	}
}

// An index of the fixture corpus has the same terms and postings (each
// chunk's frequency, norm and term vectors) whether its text and title
// were analysed by the fast path or by bleve.
func TestFastAnalysisIndexesTheSame(t *testing.T) {
	ctx := context.Background()
	articles, errs := ReadAll(filepath.Join("..", "testdata", "corpus"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// Non-ASCII text, which the fast path leaves to bleve, among it.
	articles = append(articles, Article{ID: "mixed", Title: "Москва’s spies",
		Body: "The spy’s trial in Москва.\n\nİstanbul, Zürich and the U.S. embassy's 1,000.5 staff."})
	postings := func(fast bool) map[string]string {
		ix, err := Open(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if !fast {
			ix.english = nil
		}
		if _, err := ix.Ingest(ctx, articles...); err != nil {
			t.Fatal(err)
		}
		adv, err := ix.b().Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		out := map[string]string{}
		for _, field := range []string{FieldText, FieldTitle} {
			dict, err := r.FieldDict(field)
			if err != nil {
				t.Fatal(err)
			}
			for e, err := dict.Next(); e != nil || err != nil; e, err = dict.Next() {
				if err != nil {
					t.Fatal(err)
				}
				tfr, err := r.TermFieldReader(ctx, []byte(e.Term), field, true, true, true)
				if err != nil {
					t.Fatal(err)
				}
				// Chunks in the order of their ids: the order of
				// documents in the index depends on the batches'.
				var docs []string
				for d, err := tfr.Next(nil); d != nil || err != nil; d, err = tfr.Next(nil) {
					if err != nil {
						t.Fatal(err)
					}
					id, err := r.ExternalID(d.ID)
					if err != nil {
						t.Fatal(err)
					}
					var b strings.Builder
					fmt.Fprintf(&b, "%s freq %d norm %v:", id, d.Freq, d.Norm)
					for _, v := range d.Vectors {
						fmt.Fprintf(&b, " %s%v@%d[%d,%d)", v.Field, v.ArrayPositions, v.Pos, v.Start, v.End)
					}
					docs = append(docs, b.String())
				}
				tfr.Close()
				slices.Sort(docs)
				out[field+" "+e.Term] = strings.Join(docs, "; ")
			}
			dict.Close()
		}
		return out
	}
	fast, slow := postings(true), postings(false)
	if len(fast) < 1000 {
		t.Fatalf("only %d terms indexed", len(fast))
	}
	if diff := cmp.Diff(slow, fast); diff != "" {
		t.Errorf("postings differ (-bleve +fast):\n%s", diff)
	}
}

// walkCorpus calls fn with the title (as FieldTitle) and each paragraph
// (as FieldText) of every article in BRIEFSEARCH_CORPUS, a file or
// directory (e.g. ../../shared/corpus), and the base name of its file, up
// to BRIEFSEARCH_CORPUS_MAX values if that is set. It skips tb if
// BRIEFSEARCH_CORPUS is not set; what does so says why.
func walkCorpus(tb testing.TB, what string, fn func(file, id, field, value string)) {
	tb.Helper()
	src := os.Getenv("BRIEFSEARCH_CORPUS")
	if src == "" {
		tb.Skipf("set BRIEFSEARCH_CORPUS to a corpus file or directory (e.g. ../../shared/corpus) to %s on it", what)
	}
	limit := -1
	if s := os.Getenv("BRIEFSEARCH_CORPUS_MAX"); s != "" {
		if _, err := fmt.Sscan(s, &limit); err != nil {
			tb.Fatalf("BRIEFSEARCH_CORPUS_MAX=%q: %v", s, err)
		}
	}
	values := 0
	var readErrs []error
	err := Walk([]string{src}, func(path string, articles []Article, errs []error) error {
		readErrs = append(readErrs, errs...)
		for _, art := range articles {
			for i, v := range append([]string{art.Title}, Split(art.Body, DefaultMaxChunk)...) {
				if limit >= 0 && values >= limit {
					return nil
				}
				field := FieldText
				if i == 0 {
					field = FieldTitle
				}
				fn(filepath.Base(path), art.ID, field, v)
				values++
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(readErrs) > 0 {
		tb.Logf("%d records not read, first: %v", len(readErrs), readErrs[0])
	}
}

// TestAnalyzeEnglishCorpus compares the fast path with bleve on the
// titles and paragraphs of a real corpus (walkCorpus), and reports the
// share the fast path took.
func TestAnalyzeEnglishCorpus(t *testing.T) {
	a := newEnglishAnalyzer()
	type tally struct{ values, fast, mismatches int }
	byFile := map[string]*tally{}
	var total tally
	walkCorpus(t, "compare the fast English analysis with bleve's", func(file, id, field, value string) {
		tl := byFile[file]
		if tl == nil {
			tl = &tally{}
			byFile[file] = tl
		}
		fast, diff := englishDiff(t, a, field, value)
		for _, c := range []*tally{&total, tl} {
			c.values++
			if fast {
				c.fast++
			}
			if diff != "" {
				c.mismatches++
			}
		}
		if diff != "" && total.mismatches <= 20 {
			t.Errorf("%s: %s %q: %s", id, field, value, diff)
		}
	})
	for name, c := range byFile {
		t.Logf("%s: %d titles and paragraphs, %d (%.2f%%) on the fast path, %d differing from bleve",
			name, c.values, c.fast, 100*float64(c.fast)/float64(max(c.values, 1)), c.mismatches)
	}
	t.Logf("all: %d titles and paragraphs, %d (%.2f%%) on the fast path, %d differing from bleve",
		total.values, total.fast, 100*float64(total.fast)/float64(max(total.values, 1)), total.mismatches)
}

// FuzzAnalyzeEnglish checks that whenever the fast path takes a text its
// analysis is bleve's. Each input is tried as it is and spelt in an
// alphabet of characters the fast path knows, so that most inputs reach
// its word segmentation rather than stop at an unknown byte.
func FuzzAnalyzeEnglish(f *testing.F) {
	for _, tt := range englishCases {
		if len(tt.text) < 1000 {
			f.Add([]byte(tt.text))
		}
	}
	a := newEnglishAnalyzer()
	f.Fuzz(func(t *testing.T, data []byte) {
		compareEnglish(t, a, FieldText, string(data))
		compareEnglish(t, a, FieldText, spellKnown(data))
	})
}

// knownAlphabet is what spellKnown writes: the characters of each word
// class, some of them more than once to make them likelier.
var knownAlphabet = []string{
	"a", "b", "e", "i", "n", "s", "s", "t", "A", "S", "Z", "é", "É", "Ł", "ß",
	"0", "1", "9", "_",
	":", ".", ".", ",", ";", "'", "'", "’", "’", "‘",
	" ", " ", " ", "\n", "\r", "-", "\"", "/", "@", "—", "“", "€", "\u00a0", "×",
}

// spellKnown maps each byte of data to a string of knownAlphabet.
func spellKnown(data []byte) string {
	var b strings.Builder
	for _, c := range data {
		b.WriteString(knownAlphabet[int(c)%len(knownAlphabet)])
	}
	return b.String()
}

// benchParagraphs returns the paragraphs of the benchmark articles
// (BenchArticles) and their total size in bytes.
func benchParagraphs(b *testing.B) ([][]byte, int64) {
	b.Helper()
	var paras [][]byte
	var size int64
	for _, a := range BenchArticles(b) {
		for _, p := range Split(a.Body, DefaultMaxChunk) {
			paras = append(paras, []byte(p))
			size += int64(len(p))
		}
	}
	return paras, size
}

// BenchmarkAnalyzeEnglish compares bleve's analysis of the text of a set
// of paragraphs, as prepare did it (a stored text field with term
// vectors: Analyze, then dropOffsets), with the fast path's: "fast" with
// its word caches warm after the first round, "fast-cold" with empty
// caches at each round (every distinct word stemmed once).
func BenchmarkAnalyzeEnglish(b *testing.B) {
	paras, size := benchParagraphs(b)
	b.Run("bleve", func(b *testing.B) {
		analyzer := testMapping().AnalyzerNamed(en.AnalyzerName)
		opts := bindex.IndexField | bindex.StoreField | bindex.IncludeTermVectors
		b.SetBytes(size)
		for b.Loop() {
			for _, p := range paras {
				f := document.NewTextFieldCustom(FieldText, nil, p, opts, analyzer)
				f.Analyze()
				dropOffsets(f.AnalyzedTokenFrequencies())
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paras)), "ns/paragraph")
	})
	b.Run("fast", func(b *testing.B) {
		a := newEnglishAnalyzer()
		b.SetBytes(size)
		slow := 0
		for b.Loop() {
			for _, p := range paras {
				if _, _, ok := a.analyze(p, nil, false); !ok {
					slow++
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paras)), "ns/paragraph")
		b.ReportMetric(float64(slow)/float64(b.N*len(paras)), "declined/paragraph")
	})
	b.Run("fast-cold", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			a := newEnglishAnalyzer()
			for _, p := range paras {
				a.analyze(p, nil, false)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paras)), "ns/paragraph")
	})
}
