package index

import (
	"testing"

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
