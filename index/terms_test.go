package index

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

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
