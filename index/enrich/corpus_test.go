package enrich

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests and benchmarks of this file run on a real corpus of JSON Lines
// files (fields "title" and "body"; body paragraphs separated by blank
// lines), named by a glob in an environment variable. They skip when the
// variable is unset.
//
//	TAGDUMP_IN='.cache/bench/input-full/*.jsonl' TAGDUMP_OUT=/tmp/tags.txt \
//		go test ./index/enrich -run TestTagDump
//	TAGBENCH_CORPUS='.cache/bench/input-full/*.jsonl' \
//		go test ./index/enrich -run XXX -bench TagCorpus
//
// A relative glob is taken from the module root.

// corpusArticle is one article of a corpus file.
type corpusArticle struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// paragraphs returns the article's body split at blank lines.
func (a *corpusArticle) paragraphs() []string {
	var out []string
	for p := range strings.SplitSeq(a.Body, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// readCorpus reads the articles of the files matching the glob in the
// environment variable env. It skips the test when env is unset.
func readCorpus(tb testing.TB, env string) []corpusArticle {
	tb.Helper()
	glob := os.Getenv(env)
	if glob == "" {
		tb.Skipf("%s is not set", env)
	}
	if !filepath.IsAbs(glob) {
		glob = filepath.Join("..", "..", glob)
	}
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		tb.Fatalf("%s=%q matches no files (%v)", env, glob, err)
	}
	var arts []corpusArticle
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var a corpusArticle
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			arts = append(arts, a)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
	}
	return arts
}

// TestTagDump writes the Tag output of every article of the corpus named by
// TAGDUMP_IN to the file TAGDUMP_OUT, so that two versions of the tagger
// can be compared byte for byte. Every tenth article is also tagged in
// upper and in lower case, and the Mentions of its title and paragraphs
// are written, to cover the case rules.
func TestTagDump(t *testing.T) {
	out := os.Getenv("TAGDUMP_OUT")
	if out == "" {
		t.Skip("TAGDUMP_OUT is not set")
	}
	arts := readCorpus(t, "TAGDUMP_IN")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	tg := tagger(t)
	paras := 0
	for k := range arts {
		a := &arts[k]
		ps := a.paragraphs()
		paras += len(ps)
		fmt.Fprintf(w, "%d %+v\n", k, tg.Tag(a.Title, ps))
		if k%10 != 0 {
			continue
		}
		for _, conv := range []func(string) string{strings.ToUpper, strings.ToLower} {
			cps := make([]string, len(ps))
			for i, p := range ps {
				cps[i] = conv(p)
			}
			fmt.Fprintf(w, "%d case %+v\n", k, tg.Tag(conv(a.Title), cps))
		}
		fmt.Fprintf(w, "%d mentions %+v\n", k, tg.Mentions(a.Title))
		for _, p := range ps {
			fmt.Fprintf(w, "%d mentions %+v\n", k, tg.Mentions(p))
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d articles, %d paragraphs", len(arts), paras)
}

// BenchmarkTagCorpus tags about 3,000 paragraphs of the corpus named by
// TAGBENCH_CORPUS, from articles spread over its files (every n-th), one
// article per Tag call, and reports the time per paragraph.
func BenchmarkTagCorpus(b *testing.B) {
	arts := readCorpus(b, "TAGBENCH_CORPUS")
	var titles []string
	var bodies [][]string
	nparas := 0
	step := max(1, len(arts)/600)
	for k := 0; k < len(arts) && nparas < 3000; k += step {
		ps := arts[k].paragraphs()
		titles = append(titles, arts[k].Title)
		bodies = append(bodies, ps)
		nparas += len(ps)
	}
	tg, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		for k := range bodies {
			tg.Tag(titles[k], bodies[k])
		}
	}
	el := time.Since(start)
	b.ReportMetric(float64(el.Nanoseconds())/float64(b.N*nparas), "ns/paragraph")
}
