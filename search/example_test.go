package search_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// Embedding: open an index (in memory here; give a Path to keep it on
// disk), ingest articles and run the same Request the HTTP API runs.
func Example() {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	_, err = ix.Ingest(ctx, index.Article{
		ID:        "brief-1",
		Title:     "Threat update",
		Source:    "Example Desk",
		Published: time.Date(2025, 10, 16, 0, 0, 0, 0, time.UTC),
		Body: "The agency said Iranian-backed plots had targeted dissidents in London.\n\n" +
			"Russian sabotage attempts were also disrupted, officials added.",
	})
	if err != nil {
		log.Fatal(err)
	}

	s := search.New(ix, search.Options{})
	res, err := s.Search(ctx, search.Request{Query: "plots", Facets: []string{"country"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("total:", res.Total)
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Highlights[0])
	}
	for _, f := range res.Facets["country"] {
		fmt.Printf("%s: %d\n", f.Value, f.Count)
	}
	// Output:
	// total: 1
	// brief-1#1 The agency said Iranian-backed <mark>plots</mark> had targeted dissidents in London.
	// Iran: 1
	// United Kingdom: 1
}

// The query language, results grouped by article, a date histogram and
// an autocomplete of facet values, as an embedding program asks for them.
func ExampleSearcher_Search_queryLanguage() {
	ctx := context.Background()
	ix, err := index.Open(ctx, index.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	_, err = ix.Ingest(ctx,
		index.Article{ID: "a", Published: day("2024-02-10"), Body: "Police said the plot was directed from Tehran.\n\n" +
			"Officers said a second plot against journalists had been disrupted."},
		index.Article{ID: "b", Published: day("2024-04-02"), Body: "A nuclear plot by Iran was alleged, and denied."},
		index.Article{ID: "c", Published: day("2024-04-20"), Body: "Russian saboteurs were charged over an arson plot."},
	)
	if err != nil {
		log.Fatal(err)
	}
	s := search.New(ix, search.Options{})
	res, err := s.Search(ctx, search.Request{
		Query:    "(Iran OR Tehran OR journalists) AND plot NOT nuclear",
		Group:    search.GroupArticle,
		Facets:   []string{"published"},
		Interval: search.IntervalMonth,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("paragraphs:", res.Total, "articles:", res.TotalArticles)
	for _, g := range res.Groups {
		fmt.Println(g.ArticleID, g.Matches, "matching paragraphs")
	}
	for _, b := range res.Facets["published"] {
		fmt.Printf("%s: %d\n", b.Value, b.Count)
	}

	values, err := s.FacetValues(ctx, search.FacetValuesRequest{Field: "country", Prefix: "ru", Search: search.Request{Query: "plot"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range values.Values {
		fmt.Printf("%s: %d\n", v.Value, v.Count)
	}

	_, err = s.Search(ctx, search.Request{Query: "(Iran OR plot"})
	var qe *search.QueryError
	if errors.As(err, &qe) {
		fmt.Println("position", qe.Pos, qe.Msg)
	}
	// Output:
	// paragraphs: 2 articles: 1
	// a 2 matching paragraphs
	// 2024-02: 2
	// Russia: 1
	// position 0 unbalanced "("
}
