package search

import (
	"context"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
)

// A filtered query matches, scores and locates exactly what bleve's
// boolean query with the same filter does, for relevance queries of plain
// words, phrases and syntax under filters on one or several facet fields
// and dates, selective and not.
func TestFilteredMatchesBleve(t *testing.T) {
	ctx := context.Background()
	ix := ingestInto(t, index.Options{BatchSize: 50}, fixtureArticles(t))
	s := New(ix, Options{})
	all, err := s.Search(ctx, Request{Facets: []string{"country", "topic", "actor", "source"}, FacetSize: 3, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	var filters []Request
	for field, values := range all.Facets {
		for i, v := range values {
			r := Request{}
			switch field {
			case "country":
				r.Country = []string{v.Value}
			case "topic":
				r.Topic = []string{v.Value}
			case "actor":
				r.Actor = []string{v.Value}
			case "source":
				r.Source = []string{v.Value}
			}
			filters = append(filters, r)
			if i == 0 && field == "country" {
				// Two fields, and a date range, at once.
				r.Topic = []string{all.Facets["topic"][0].Value}
				filters = append(filters, r)
				r.After = time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
				filters = append(filters, r)
			}
		}
	}
	if len(filters) < 10 {
		t.Fatalf("only %d filters from the fixtures' facets", len(filters))
	}
	queries := []string{"Iran plots", "espionage", "arrested", `"security service"`, "Russia OR China",
		"hacking -Iran", "counter terrorism police", "the"}
	matched := 0
	for _, q := range queries {
		rq, err := s.buildQuery(q, false, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range filters {
			filter := filterQuery(&r, "")
			b := query.NewBooleanQuery([]query.Query{rq.q}, nil, nil)
			b.AddFilter(filter)
			want, got := run(t, ix.Bleve(), b), run(t, ix.Bleve(), withFilter(rq.q, filter))
			if w, g := describe(want), describe(got); w != g {
				t.Errorf("%q filtered by %+v:\n bleve %s\n  ours %s", q, filter, w, g)
			}
			if want.Total != got.Total {
				t.Errorf("%q filtered by %+v: total %d, bleve %d", q, filter, got.Total, want.Total)
			}
			if len(want.Hits) > 0 {
				matched++
			}
		}
	}
	if total := len(queries) * len(filters); matched < total/3 {
		t.Fatalf("only %d of %d searches matched: the test does not test much", matched, total)
	}
}
