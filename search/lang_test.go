package search_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefsearch/briefsearch/search"
)

// all returns every hit of req (up to 100) and the total.
func all(t *testing.T, s *search.Searcher, req search.Request) ([]search.Hit, uint64) {
	t.Helper()
	req.Limit = 100
	res, err := s.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%q): %v", req.Query, err)
	}
	return res.Hits, res.Total
}

// TestQueryLanguage runs queries of the query language on the fixtures and
// checks every hit against what the query asks, and the counts against the
// same need asked another way.
func TestQueryLanguage(t *testing.T) {
	s := fixtures(t)
	words := func(text string) string {
		return " " + strings.ToLower(regexp.MustCompile(`\W+`).ReplaceAllString(text, " ")) + " "
	}
	has := func(h search.Hit, ws ...string) bool {
		text := words(h.Text)
		return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(text, " "+w+" ") })
	}

	t.Run("boolean", func(t *testing.T) {
		hits, total := all(t, s, search.Request{Query: "(Iran OR Tehran) AND (plot OR plots) NOT nuclear"})
		if total == 0 {
			t.Fatal("no hits")
		}
		for _, h := range hits {
			if !has(h, "iran", "tehran") || !has(h, "plot", "plots") || has(h, "nuclear") {
				t.Errorf("hit %s does not satisfy the query: %s", h.ID, h.Text)
			}
		}
		// NOT removes exactly the paragraphs with the word.
		_, with := all(t, s, search.Request{Query: "(Iran OR Tehran) AND (plot OR plots)"})
		_, only := all(t, s, search.Request{Query: "(Iran OR Tehran) AND (plot OR plots) AND nuclear"})
		if with != total+only {
			t.Errorf("with NOT %d + with AND nuclear %d != without %d", total, only, with)
		}
		// Lower-case operators are words.
		_, lower := all(t, s, search.Request{Query: "iran and plots", Literal: true})
		_, plain := all(t, s, search.Request{Query: "iran plots", Literal: true})
		if lower < plain {
			t.Errorf("iran and plots: %d hits, fewer than iran plots (%d): and read as an operator?", lower, plain)
		}
	})

	t.Run("minus and plus", func(t *testing.T) {
		hits, _ := all(t, s, search.Request{Query: "+espionage -China"})
		for _, h := range hits {
			if has(h, "china") || !has(h, "espionage") {
				t.Errorf("hit %s: %s", h.ID, h.Text)
			}
		}
	})

	// A facet field in the query matches as the filter does, through
	// aliases and whatever the case.
	for _, tt := range []struct {
		q      string
		filter search.Request
	}{
		{"country:UK", search.Request{Country: []string{"United Kingdom"}}},
		{"country:britain", search.Request{Country: []string{"United Kingdom"}}},
		{`actor:"islamic state"`, search.Request{Actor: []string{"Islamic State"}}},
		{"actor:Daesh", search.Request{Actor: []string{"Islamic State"}}},
		{"topic:Espionage", search.Request{Topic: []string{"espionage"}}},
		{"actor:mi?", search.Request{Actor: []string{"MI5", "MI6"}}},
		{"published:[2024-01-01 TO 2024-06-30]", search.Request{After: day("2024-01-01"), Before: search.EndOfDay(day("2024-06-30"))}},
		{"published:2024-03", search.Request{After: day("2024-03-01"), Before: search.EndOfDay(day("2024-03-31"))}},
		{"published:>=2024", search.Request{After: day("2024-01-01")}},
		{"published:<2024", search.Request{Before: day("2024-01-01").Add(-time.Nanosecond)}},
	} {
		t.Run(tt.q, func(t *testing.T) {
			_, got := all(t, s, search.Request{Query: tt.q})
			_, want := all(t, s, tt.filter)
			if got == 0 || got != want {
				t.Errorf("%s: %d hits, the filter %+v has %d", tt.q, got, tt.filter, want)
			}
		})
	}

	t.Run("proximity", func(t *testing.T) {
		_, phrase := all(t, s, search.Request{Query: `"security service"`, Literal: true})
		_, near := all(t, s, search.Request{Query: `"security service"~3`})
		_, both := all(t, s, search.Request{Query: `+security +service`})
		if phrase == 0 || near < phrase || near > both {
			t.Errorf(`phrase %d ≤ near %d ≤ both words %d does not hold`, phrase, near, both)
		}
		// Any order within the window.
		_, reversed := all(t, s, search.Request{Query: `"service security"~3`})
		if reversed != near {
			t.Errorf("reversed near: %d hits, want %d", reversed, near)
		}
		hits, _ := all(t, s, search.Request{Query: `"security service"~3`})
		for _, h := range hits {
			if len(h.Highlights) == 0 {
				t.Errorf("near hit %s has no highlights", h.ID)
			}
		}
	})

	t.Run("boost reorders", func(t *testing.T) {
		a, _ := all(t, s, search.Request{Query: "espionage OR sabotage^20"})
		if len(a) == 0 || !has(a[0], "sabotage") {
			t.Errorf("sabotage^20: first hit lacks sabotage")
		}
	})
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestGroupByArticle(t *testing.T) {
	s := fixtures(t)
	ctx := context.Background()
	flat, err := s.Search(ctx, search.Request{Query: "Iran plots", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// The articles in order of their best paragraph, and their matches.
	var order []string
	matches := map[string]int{}
	for _, h := range flat.Hits {
		if matches[h.ArticleID] == 0 {
			order = append(order, h.ArticleID)
		}
		matches[h.ArticleID]++
	}
	if flat.Total > 100 || len(order) < 5 {
		t.Fatalf("fixture query has %d hits in %d articles: want a smaller, richer one", flat.Total, len(order))
	}
	res, err := s.Search(ctx, search.Request{Query: "Iran plots", Group: search.GroupArticle, GroupSize: 2, Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != flat.Total || res.TotalArticles != len(order) || len(res.Hits) != 0 || len(res.Groups) != 4 {
		t.Fatalf("total %d (want %d), total_articles %d (want %d), %d hits, %d groups",
			res.Total, flat.Total, res.TotalArticles, len(order), len(res.Hits), len(res.Groups))
	}
	for i, g := range res.Groups {
		if g.ArticleID != order[i] || g.Matches != matches[g.ArticleID] || len(g.Hits) != min(2, g.Matches) {
			t.Errorf("group %d: %s with %d matches and %d hits; want %s with %d", i, g.ArticleID, g.Matches, len(g.Hits), order[i], matches[order[i]])
		}
		for k, h := range g.Hits {
			if h.ArticleID != g.ArticleID || len(h.Highlights) == 0 || h.Text == "" {
				t.Errorf("group %s hit %d: %+v", g.ArticleID, k, h)
			}
			if k > 0 && h.Score > g.Hits[k-1].Score {
				t.Errorf("group %s: hits not best first", g.ArticleID)
			}
		}
		if g.Title == "" || g.Score != g.Hits[0].Score {
			t.Errorf("group %s: title %q, score %v vs best hit %v", g.ArticleID, g.Title, g.Score, g.Hits[0].Score)
		}
	}
	// Paging counts articles.
	next, err := s.Search(ctx, search.Request{Query: "Iran plots", Group: search.GroupArticle, Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Groups) != 2 || next.Groups[0].ArticleID != order[2] || next.Groups[1].ArticleID != order[3] {
		t.Errorf("offset 2: %v, want %v", next.Groups, order[2:4])
	}
	if _, err := s.Search(ctx, search.Request{Group: "story"}); err == nil {
		t.Error("group=story accepted")
	}
}

// The published facet is a date histogram whose buckets count what a date
// filter over the same span counts, empty buckets included.
func TestDateHistogram(t *testing.T) {
	s := fixtures(t)
	ctx := context.Background()
	for _, interval := range []string{search.IntervalYear, search.IntervalMonth, search.IntervalWeek, search.IntervalDay} {
		t.Run(interval, func(t *testing.T) {
			res, err := s.Search(ctx, search.Request{Query: "Iran", Facets: []string{"published", "country"}, Interval: interval})
			if err != nil {
				t.Fatal(err)
			}
			buckets := res.Facets["published"]
			if len(buckets) < 2 || len(res.Facets["country"]) == 0 {
				t.Fatalf("%d buckets, %d countries", len(buckets), len(res.Facets["country"]))
			}
			sum, empty := 0, 0
			for i, b := range buckets {
				sum += b.Count
				if b.Count == 0 {
					empty++
				}
				if i > 0 && !b.Start.Equal(buckets[i-1].End.Add(time.Nanosecond)) {
					t.Errorf("bucket %s does not follow %s", b.Value, buckets[i-1].Value)
				}
				if interval == search.IntervalWeek && b.Start.Weekday() != time.Monday {
					t.Errorf("week %s starts on a %s", b.Value, b.Start.Weekday())
				}
			}
			hits, _ := all(t, s, search.Request{Query: "Iran"})
			dated := 0
			for _, h := range hits {
				if h.Published != nil {
					dated++
				}
			}
			if sum != dated || res.Total > 100 {
				t.Errorf("buckets sum to %d, %d of the %d hits have a date", sum, dated, res.Total)
			}
			if interval != search.IntervalYear && empty == 0 {
				t.Errorf("no empty bucket between the first and the last %s", interval)
			}
			// Spot-check the first, a middle and the last bucket against a filter.
			for _, b := range []search.FacetValue{buckets[0], buckets[len(buckets)/2], buckets[len(buckets)-1]} {
				_, n := all(t, s, search.Request{Query: "Iran", After: *b.Start, Before: *b.End})
				if int(n) != b.Count {
					t.Errorf("bucket %s: %d, the date filter counts %d", b.Value, b.Count, n)
				}
			}
		})
	}
	if _, err := s.Search(ctx, search.Request{Facets: []string{"published"}, Interval: "hour"}); err == nil {
		t.Error("interval=hour accepted")
	}
	// The latest view (cached whole-index counts) has the histogram too.
	latest, err := s.Search(ctx, search.Request{Sort: search.SortNewest, Facets: []string{"published"}, Interval: search.IntervalYear})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, b := range latest.Facets["published"] {
		sum += b.Count
	}
	if sum == 0 || uint64(sum) > latest.Total {
		t.Errorf("latest view: histogram sums to %d of %d", sum, latest.Total)
	}
}

// facet_count=articles counts each article once per value, however many
// of its paragraphs match.
func TestFacetCountArticles(t *testing.T) {
	s := fixtures(t)
	ctx := context.Background()
	hits, total := all(t, s, search.Request{Query: "Iran", Country: []string{"Iran"}})
	if total > 100 {
		t.Fatalf("%d hits: want a smaller query", total)
	}
	// The expected counts, from the hits: distinct articles per topic (within
	// the country filter) and per country (without it: multi-select).
	want := map[string]map[string]map[string]bool{"topic": {}, "country": {}}
	add := func(field string, values []string, article string) {
		for _, v := range values {
			if want[field][v] == nil {
				want[field][v] = map[string]bool{}
			}
			want[field][v][article] = true
		}
	}
	for _, h := range hits {
		add("topic", h.Topic, h.ArticleID)
	}
	unfiltered, _ := all(t, s, search.Request{Query: "Iran"})
	for _, h := range unfiltered {
		add("country", h.Country, h.ArticleID)
	}
	res, err := s.Search(ctx, search.Request{Query: "Iran", Country: []string{"Iran"}, Facets: []string{"topic", "country"},
		FacetSize: 100, FacetCount: search.CountArticles})
	if err != nil {
		t.Fatal(err)
	}
	paragraphs, err := s.Search(ctx, search.Request{Query: "Iran", Country: []string{"Iran"}, Facets: []string{"topic"}, FacetSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	fewer := false
	for _, field := range []string{"topic", "country"} {
		if len(res.Facets[field]) != len(want[field]) {
			t.Errorf("%s: %d values, want %d", field, len(res.Facets[field]), len(want[field]))
		}
		for _, v := range res.Facets[field] {
			if v.Count != len(want[field][v.Value]) {
				t.Errorf("%s %s: %d articles, want %d", field, v.Value, v.Count, len(want[field][v.Value]))
			}
		}
	}
	articles := map[string]int{}
	for _, v := range res.Facets["topic"] {
		articles[v.Value] = v.Count
	}
	for _, v := range paragraphs.Facets["topic"] {
		if v.Count < articles[v.Value] {
			t.Errorf("topic %s: %d paragraphs but %d articles", v.Value, v.Count, articles[v.Value])
		}
		fewer = fewer || v.Count > articles[v.Value]
	}
	if !fewer {
		t.Error("article counts are not below paragraph counts for any topic: the fixture does not test grouping")
	}
	if _, err := s.Search(ctx, search.Request{FacetCount: "words"}); err == nil {
		t.Error("facet_count=words accepted")
	}
}

// Actor kinds: a filter on them, their counts, and a facet of the actors
// of one kind.
func TestActorKinds(t *testing.T) {
	s := fixtures(t)
	ctx := context.Background()
	res, err := s.Search(ctx, search.Request{Facets: []string{"actor_kind", "actor", "actor.militant"}, FacetSize: 100, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, v := range res.Facets["actor_kind"] {
		kinds[v.Value] = v.Count
	}
	if kinds["militant"] == 0 || kinds["person"] == 0 {
		t.Fatalf("actor_kind counts %v: want militant and person", kinds)
	}
	actors := map[string]int{}
	for _, v := range res.Facets["actor"] {
		actors[v.Value] = v.Count
	}
	for _, v := range res.Facets["actor.militant"] {
		if n, ok := actors[v.Value]; s.Index().Tagger().Kind(v.Value) != "militant" || ok && v.Count != n {
			t.Errorf("actor.militant %s (%d): kind %q, actor count %d", v.Value, v.Count, s.Index().Tagger().Kind(v.Value), actors[v.Value])
		}
	}
	if len(res.Facets["actor.militant"]) == 0 {
		t.Error("no militant actors counted")
	}
	for _, h := range res.Hits {
		if len(h.ActorKind) != len(h.Actor) {
			t.Errorf("hit %s: %d kinds for %d actors", h.ID, len(h.ActorKind), len(h.Actor))
		}
	}
	hits, total := all(t, s, search.Request{ActorKind: []string{"Militant"}})
	if int(total) != kinds["militant"] {
		t.Errorf("actor_kind=Militant: %d hits, the facet counts %d", total, kinds["militant"])
	}
	for _, h := range hits {
		if !slices.Contains(h.ActorKind, "militant") {
			t.Errorf("hit %s has no militant actor: %v %v", h.ID, h.Actor, h.ActorKind)
		}
	}
	if _, err := s.Search(ctx, search.Request{Facets: []string{"actor.wizard"}}); err == nil {
		t.Error("facet actor.wizard accepted")
	}
}
