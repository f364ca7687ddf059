package bench

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// mixArticles makes a deterministic corpus of n articles about countries.
func mixArticles(n int) []index.Article {
	rng := rand.New(rand.NewPCG(1, 2))
	countries := []string{"Iran", "Russia", "China", "France", "Germany", "Britain"}
	nouns := []string{"sanctions", "police", "officials", "spies", "hackers", "ministers", "talks", "prosecutors", "attack",
		"embassy", "election", "markets", "troops", "border", "court", "agents", "report", "leaders"}
	verbs := []string{"arrested", "warned", "announced", "rejected", "signed", "investigated", "charged", "approved"}
	var out []index.Article
	for i := range n {
		var paras []string
		for range 3 + rng.IntN(3) {
			var sents []string
			for range 2 + rng.IntN(3) {
				sents = append(sents, fmt.Sprintf("%s %s %s %s near the %s.",
					countries[rng.IntN(len(countries))], nouns[rng.IntN(len(nouns))], verbs[rng.IntN(len(verbs))],
					nouns[rng.IntN(len(nouns))], nouns[rng.IntN(len(nouns))]))
			}
			paras = append(paras, strings.Join(sents, " "))
		}
		out = append(out, index.Article{ID: fmt.Sprint("a-", i), Title: "Report " + fmt.Sprint(i), Body: strings.Join(paras, "\n\n")})
	}
	return out
}

func TestGenerateMix(t *testing.T) {
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	articles := mixArticles(150)
	a, err := GenerateMix(articles, tagger, "test", 8)
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateMix(articles, tagger, "test", 8)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) || a.Hash() != b.Hash() {
		t.Fatal("the same articles and seed gave different mixes")
	}
	c, err := GenerateMix(articles, tagger, "test", 9)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash() == c.Hash() {
		t.Error("another seed gave the same mix")
	}
	if a.Version != MixVersion || a.Seed != 8 {
		t.Errorf("version %d seed %d, want %d and 8", a.Version, a.Seed, MixVersion)
	}
	if len(a.Queries) < 1000 {
		t.Errorf("%d queries, want at least 1,000", len(a.Queries))
	}
	counts := map[string]int{}
	corpus := strings.ToLower(func() string {
		var sb strings.Builder
		for _, a := range articles {
			sb.WriteString(a.Body + "\n")
		}
		return sb.String()
	}())
	for _, q := range a.Queries {
		counts[q.Class]++
		switch q.Class {
		case ClassPhrase:
			if !strings.HasPrefix(q.Q, `"`) || !strings.HasSuffix(q.Q, `"`) || !strings.Contains(corpus, strings.Trim(q.Q, `"`)) {
				t.Errorf("phrase %q is not a quoted phrase of the corpus", q.Q)
			}
		case ClassZeroHit:
			for _, w := range strings.Fields(q.Q) {
				if strings.Contains(corpus, w) {
					t.Errorf("zero-hit query %q has a word of the corpus", q.Q)
				}
			}
		case ClassThreeFacets:
			if len(q.Facets) != 3 {
				t.Errorf("three-facet query asks for %v", q.Facets)
			}
		case ClassFilters:
			if len(q.Country)+len(q.Topic) == 0 {
				t.Errorf("facet-filter query %+v has no filter", q)
			}
		case ClassLatest:
			if q.Q != "" || q.Sort != "newest" {
				t.Errorf("latest query %+v", q)
			}
		case ClassManyWords:
			if n := len(strings.Fields(q.Q)); n < 3 || n > 5 {
				t.Errorf("3-5-word query %q has %d words", q.Q, n)
			}
		case ClassTwoWords:
			if n := len(strings.Fields(q.Q)); n != 2 {
				t.Errorf("two-word query %q has %d words", q.Q, n)
			}
		}
	}
	for _, cs := range ClassShares {
		if counts[cs.Class] != cs.N {
			t.Errorf("%d %s queries, want %d", counts[cs.Class], cs.Class, cs.N)
		}
	}
	if got := a.Classes(); len(got) != len(ClassShares) {
		t.Errorf("Classes() = %v", got)
	}
}

func TestGenerateMixTooSmall(t *testing.T) {
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateMix(mixArticles(3), tagger, "test", 1); err == nil {
		t.Error("a mix from 3 articles: no error")
	}
}

func TestQueryValues(t *testing.T) {
	q := Query{Class: ClassFilters, Q: "iran plots", Facets: []string{"country", "topic"}, Country: []string{"Iran"}, Topic: []string{"terrorism"}}
	if got, want := q.Values().Encode(), "country=Iran&facets=country%2Ctopic&limit=10&q=iran+plots&topic=terrorism"; got != want {
		t.Errorf("Values = %s, want %s", got, want)
	}
	latest := Query{Class: ClassLatest, Sort: "newest", Facets: []string{"country"}}
	if got, want := latest.Values().Encode(), "facets=country&limit=10&sort=newest"; got != want {
		t.Errorf("Values = %s, want %s", got, want)
	}
}

func TestFTSMatch(t *testing.T) {
	tests := []struct{ q, want string }{
		{"iran plots", `"iran" OR "plots"`},
		{`"security service"`, `"security service"`},
		{`MI5 "security service" warns`, `"mi5" OR "security service" OR "warns"`},
		{"Iran's plots!", `"iran" OR "s" OR "plots"`},
		{"", ""},
		{`"unclosed phrase`, `"unclosed phrase"`},
	}
	for _, tt := range tests {
		if got := FTSMatch(tt.q); got != tt.want {
			t.Errorf("FTSMatch(%q) = %s, want %s", tt.q, got, tt.want)
		}
	}
}

func TestTierSpecLabel(t *testing.T) {
	tests := []struct {
		spec TierSpec
		want string
	}{
		{TierSpec{Name: "default"}, "default"},
		{TierSpec{Name: "full", Replicate: 5, MaxParagraphs: 1000000}, "fullx5-max1000000"},
		{TierSpec{Name: "full", Replicate: 1, MaxParagraphs: 50000}, "full-max50000"},
	}
	for _, tt := range tests {
		if got := tt.spec.Label(); got != tt.want {
			t.Errorf("Label(%+v) = %s, want %s", tt.spec, got, tt.want)
		}
	}
}
