package search_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

var (
	fixtureOnce sync.Once
	fixtureIx   *index.Index
	fixtureErr  error
)

// fixtures returns a searcher over the fixture corpus, built once.
func fixtures(t testing.TB) *search.Searcher {
	t.Helper()
	fixtureOnce.Do(func() {
		articles, errs := index.ReadAll(filepath.Join("..", "testdata", "corpus"))
		if len(errs) > 0 {
			fixtureErr = errors.Join(errs...)
			return
		}
		fixtureIx, fixtureErr = index.Open(context.Background(), index.Options{})
		if fixtureErr == nil {
			_, fixtureErr = fixtureIx.Ingest(context.Background(), articles...)
		}
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return search.New(fixtureIx, search.Options{})
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		q       string
		wantErr string
		wantPos int // the error's position, when wantErr is set
	}{
		{q: ""},
		{q: "Iran plots"},
		{q: `"state threats" +MI5 -Russia`},
		{q: "(Iran OR Tehran) AND (plot OR plots) NOT nuclear"},
		{q: "country:Iran topic:espionage"},
		{q: `country:"United Kingdom"`},
		{q: "actor:(MI5 OR MI6) country:isr*"},
		{q: `published:>"2024-01-01"`},
		{q: "published:[2024-01-01 TO 2024-06-30]"},
		{q: "published:{2023 TO *] paragraph:<3"},
		{q: `"iran plot"~5`},
		{q: "title:sabotage^2 spy*"},
		{q: "*"},
		{q: "*ism", wantErr: "needs at least 2 letters", wantPos: 0},
		{q: "spy a*", wantErr: "needs at least 2 letters", wantPos: 4},
		{q: "Tehran~1"},
		{q: "2024"},
		{q: `"unbalanced`, wantErr: "unterminated", wantPos: 0},
		{q: "(Iran OR plots", wantErr: `unbalanced "("`, wantPos: 0},
		{q: "Iran plots AND", wantErr: "expected a term after AND", wantPos: 14},
		{q: "colour:red", wantErr: `unknown field "colour"`, wantPos: 0},
		{q: "+", wantErr: "expected a term", wantPos: 1},
		{q: `published:>"not a date"`, wantErr: "is not a date", wantPos: 0},
		{q: "Iran published:2024-13", wantErr: `"2024-13" is not a date`, wantPos: 5},
		{q: "published:[2024 TO 2023]", wantErr: "ends before it starts", wantPos: 0},
		{q: "paragraph:x", wantErr: "not a paragraph number", wantPos: 0},
		{q: "published:0000", wantErr: "dates go from 1678", wantPos: 0},
		{q: "Iran~5", wantErr: "fuzziness", wantPos: 4},
		{q: "actor:cash~1", wantErr: "do not take a fuzziness", wantPos: 0},
		{q: "spies /[a-/", wantErr: "regular expression", wantPos: 6},
		{q: "plots:", wantErr: "", wantPos: 0},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			_, err := search.ParseQuery(tt.q)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseQuery(%q): %v", tt.q, err)
				}
				return
			}
			var qe *search.QueryError
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, search.ErrInvalid) || !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) = %v, want a QueryError mentioning %q", tt.q, err, tt.wantErr)
			}
			if qe.Pos != tt.wantPos {
				t.Errorf("ParseQuery(%q): position %d, want %d (%v)", tt.q, qe.Pos, tt.wantPos, err)
			}
		})
	}
}

func TestRequestValidation(t *testing.T) {
	s := fixtures(t)
	tests := []struct {
		name    string
		req     search.Request
		wantErr string
	}{
		{"defaults", search.Request{}, ""},
		{"limit too big", search.Request{Limit: 101}, "limit 101 is out of range 1..100"},
		{"negative limit", search.Request{Limit: -1}, "limit -1"},
		{"negative offset", search.Request{Offset: -5}, "offset -5 is negative"},
		{"deep paging", search.Request{Offset: 9995, Limit: 10}, "exceeds 10000"},
		{"query too long", search.Request{Query: strings.Repeat("spy ", 600)}, "query has 2400 bytes, at most 2000"},
		{"facet size", search.Request{FacetSize: 1000}, "facet_size 1000"},
		{"unknown facet", search.Request{Facets: []string{"country", "mood"}}, `unknown facet "mood"`},
		{"unknown sort", search.Request{Sort: "random"}, `unknown sort "random"`},
		{"reversed dates", search.Request{After: time.Now(), Before: time.Now().Add(-time.Hour)}, "later than"},
		{"all problems at once", search.Request{Limit: 500, Sort: "x"}, "limit 500 is out of range 1..100; unknown sort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Search(context.Background(), tt.req)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, search.ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want ErrInvalid containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	s := fixtures(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, search.Request{Query: "Iran"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// goldenCase is one request of testdata/searches.json.
type goldenCase struct {
	Name    string         `json:"name"`
	Request search.Request `json:"request"`
}

// goldenResult is what the golden file records of a response: enough to
// see ranking, filtering and faceting change in a review.
type goldenResult struct {
	Name   string                         `json:"name"`
	Total  uint64                         `json:"total"`
	Hits   []string                       `json:"hits"`
	Top    []string                       `json:"top_highlights,omitempty"`
	Facets map[string][]search.FacetValue `json:"facets,omitempty"`
}

// hitList renders hits as "id score" lines. Hits with equal scores keep
// the index's natural order, which background merges may change, so they
// are listed by id; requests whose ties cross the limit (filters alone,
// where every score is equal) ask for all hits in searches.json.
func hitList(hits []search.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s %.4f", h.ID, h.Score)
	}
	for i := 0; i < len(hits); {
		j := i
		for j < len(hits) && strings.HasSuffix(out[j], out[i][strings.LastIndexByte(out[i], ' '):]) {
			j++
		}
		slices.Sort(out[i:j])
		i = j
	}
	return out
}

// TestGoldenSearches runs the requests in testdata/searches.json over the
// fixture corpus and compares with testdata/searches.golden.json
// (regenerate with go test ./search -run Golden -update, then review the diff).
func TestGoldenSearches(t *testing.T) {
	s := fixtures(t)
	b, err := os.ReadFile(filepath.Join("testdata", "searches.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	var got []goldenResult
	for _, c := range cases {
		res, err := s.Search(context.Background(), c.Request)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		r := goldenResult{Name: c.Name, Total: res.Total, Hits: hitList(res.Hits), Facets: res.Facets}
		if len(res.Hits) > 0 && len(res.Hits[0].Highlights) > 0 {
			r.Top = res.Hits[0].Highlights
		}
		got = append(got, r)
	}
	goldenPath := filepath.Join("testdata", "searches.golden.json")
	if *update {
		var out strings.Builder
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err = os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want []goldenResult
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("searches differ from %s (-want +got):\n%s", goldenPath, diff)
	}
}

func TestFilterAliasesResolve(t *testing.T) {
	s := fixtures(t)
	ctx := context.Background()
	tests := []struct {
		name             string
		alias, canonical search.Request
	}{
		{"country alias", search.Request{Country: []string{"UK"}}, search.Request{Country: []string{"United Kingdom"}}},
		{"country lower case", search.Request{Country: []string{"north korea"}}, search.Request{Country: []string{"North Korea"}}},
		{"actor alias", search.Request{Actor: []string{"Daesh"}}, search.Request{Actor: []string{"Islamic State"}}},
		{"topic case", search.Request{Topic: []string{"Cyber"}}, search.Request{Topic: []string{"cyber"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Search(ctx, tt.alias)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.Search(ctx, tt.canonical)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != want.Total || want.Total == 0 {
				t.Errorf("alias total %d, canonical total %d (want equal, > 0)", got.Total, want.Total)
			}
		})
	}
}

// Properties that must hold whatever the golden file says.
func TestSearchInvariants(t *testing.T) {
	s := fixtures(t)
	ctx := context.Background()

	res, err := s.Search(ctx, search.Request{Query: "Iran plots", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// Every paragraph with both words ranks above every paragraph with one.
	seenPartial := false
	for _, h := range res.Hits {
		text := strings.ToLower(h.Text)
		both := strings.Contains(text, "iran") && strings.Contains(text, "plot")
		if both && seenPartial {
			t.Fatalf("hit %s contains both words but ranks below a hit with only one", h.ID)
		}
		if !both {
			seenPartial = true
		}
		if len(h.Highlights) == 0 {
			t.Errorf("hit %s has no highlights", h.ID)
		}
	}

	// Multi-select: the country facet under a country filter equals the
	// unfiltered country facet, and the total shrinks to that facet's count.
	all, err := s.Search(ctx, search.Request{Query: "sabotage", Facets: []string{"country", "topic"}, FacetSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	narrowed, err := s.Search(ctx, search.Request{Query: "sabotage", Country: []string{"Russia"}, Facets: []string{"country", "topic"}, FacetSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(all.Facets["country"], narrowed.Facets["country"]); diff != "" {
		t.Errorf("country facet changed under its own filter:\n%s", diff)
	}
	russia := 0
	for _, v := range all.Facets["country"] {
		if v.Value == "Russia" {
			russia = v.Count
		}
	}
	if narrowed.Total != uint64(russia) || russia == 0 {
		t.Errorf("country=Russia total %d, want the facet count %d", narrowed.Total, russia)
	}
	if cmp.Equal(all.Facets["topic"], narrowed.Facets["topic"]) {
		t.Error("topic facet ignored the country filter")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"Iran plots", `"state threats" +MI5 -Russia`, "country:Iran^2", `published:>"2024-01-01"`, "/reg.*/", "a~2", "+", `"`, "title:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := search.ParseQuery(q); err != nil && !errors.Is(err, search.ErrInvalid) {
			t.Fatalf("ParseQuery(%q): %v does not wrap ErrInvalid", q, err)
		}
	})
}

// FuzzSearch runs arbitrary query strings against the fixture corpus: a
// search either succeeds or fails with ErrInvalid (an HTTP 400), never
// with anything else (a 500).
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"Iran plots", "Iran~5", "/[a-/", "a*", `"state threats"~1`, "paragraph:>3", "country:Iran -title:x", "published:<2024-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s := fixtures(t)
		res, err := s.Search(context.Background(), search.Request{Query: q, Facets: []string{"country"}, Limit: 3})
		if err != nil {
			if !errors.Is(err, search.ErrInvalid) {
				t.Fatalf("Search(%q): %v is not ErrInvalid", q, err)
			}
			return
		}
		for _, h := range res.Hits {
			for _, frag := range h.Highlights {
				if strings.ContainsAny(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag), "<>") {
					t.Fatalf("Search(%q): unescaped markup in %q", q, frag)
				}
			}
		}
	})
}

func TestSearchClosedIndex(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := search.New(ix, search.Options{})
	ix.Close()
	if _, err := s.Search(context.Background(), search.Request{Query: "x"}); !errors.Is(err, index.ErrClosed) {
		t.Fatalf("search on a closed index: %v, want ErrClosed", err)
	}
}

// Every hit carries its article's title, source, URL and date, though only
// an article's first chunk stores them, whichever path reads the hit: a
// relevance search (the page, and the 50 candidates of the article
// factor), newest first, a grouped search and the article view.
func TestHitsCarryArticleFields(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	published := time.Date(2025, 11, 3, 9, 30, 0, 0, time.UTC)
	a := index.Article{ID: "brief-7", Title: "Smuggling ring charged in Rotterdam", Source: "Harbour Desk",
		URL: "https://example.org/brief-7", Published: published,
		Body: "Port officials described the inspection regime.\n\n" +
			"Customs officers found the containers after a tip from Belgian police.\n\n" +
			"Prosecutors charged five men with smuggling cigarettes through the port."}
	if _, err := ix.Ingest(ctx, a); err != nil {
		t.Fatal(err)
	}
	s := search.New(ix, search.Options{})
	check := func(name string, h search.Hit, paragraph int) {
		t.Helper()
		if h.ArticleID != a.ID || h.Paragraph != paragraph || h.Title != a.Title || h.Source != a.Source ||
			h.URL != a.URL || h.Published == nil || !h.Published.Equal(published) {
			t.Errorf("%s: hit %+v lacks its article's fields", name, h)
		}
	}
	res, err := s.Search(ctx, search.Request{Query: "smuggling prosecutors"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %v, %d hits", err, len(res.Hits))
	}
	check("relevance", res.Hits[0], 3)
	if want := "<mark>Smuggling</mark> ring charged in Rotterdam"; res.Hits[0].TitleHighlight != want {
		t.Errorf("title highlight %q, want %q", res.Hits[0].TitleHighlight, want)
	}
	if !strings.Contains(res.Hits[0].Highlights[0], "<mark>Prosecutors</mark> charged five men with <mark>smuggling</mark>") {
		t.Errorf("highlights %q", res.Hits[0].Highlights)
	}
	res, err = s.Search(ctx, search.Request{Sort: search.SortNewest})
	if err != nil || len(res.Hits) != 3 {
		t.Fatalf("newest: %v, %d hits", err, len(res.Hits))
	}
	for _, h := range res.Hits {
		check("newest", h, h.Paragraph)
	}
	grouped, err := s.Search(ctx, search.Request{Query: "customs", Group: search.GroupArticle})
	if err != nil || len(grouped.Groups) != 1 {
		t.Fatalf("grouped: %v, %+v", err, grouped)
	}
	if g := grouped.Groups[0]; g.Title != a.Title || g.URL != a.URL || len(g.Hits) != 1 {
		t.Errorf("group %+v lacks its article's fields", g)
	} else {
		check("grouped", g.Hits[0], 2)
	}
	view, err := ix.Article(ctx, a.ID)
	if err != nil || view.Title != a.Title || view.URL != a.URL || !view.Published.Equal(published) || len(view.Paragraphs) != 3 {
		t.Errorf("article view %+v, %v", view, err)
	}
}
