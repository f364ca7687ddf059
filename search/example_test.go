package search_test

import (
	"context"
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
