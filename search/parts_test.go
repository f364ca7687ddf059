package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/google/go-cmp/cmp"

	"github.com/briefsearch/briefsearch/index"
)

// A search run in two parts at once returns what the same search returns
// whole: hits, scores, order, highlights, totals and facet counts, on an
// index of several segments where some paragraphs were replaced, for the
// golden requests and more (pages, sorts, facets with their own filters,
// the article factor, grouping by article).
func TestSearchInPartsEqualsWhole(t *testing.T) {
	ctx := context.Background()
	articles := fixtureArticles(t)
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := index.Open(ctx, index.Options{Path: dir, BatchSize: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Ingest(ctx, articles...); err != nil {
		t.Fatal(err)
	}
	replaced := articles[:len(articles)/4]
	for i := range replaced {
		replaced[i].Body = strings.ReplaceAll(replaced[i].Body, "Russia", "Iran")
	}
	if _, err := ix.Ingest(ctx, replaced...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Read-only: no merges under the searches.
	if ix, err = index.Open(ctx, index.Options{Path: dir, ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	segs := 0
	if adv, err := ix.Bleve().Advanced(); err == nil {
		if r, err := adv.Reader(); err == nil {
			segs = len(r.(*scorch.IndexSnapshot).Segments())
			_ = r.Close()
		}
	}
	if segs < 2 {
		t.Fatalf("%d segments: the parts would not cross one", segs)
	}

	b, err := os.ReadFile(filepath.Join("testdata", "searches.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ Request Request }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	var reqs []Request
	for _, c := range cases {
		reqs = append(reqs, c.Request)
	}
	reqs = append(reqs,
		Request{Query: "Iran", Limit: 10, Offset: 7, Facets: []string{"country", "actor", "topic", FacetPublished}},
		Request{Query: "Iran plots", Sort: SortNewest, Limit: 15, Facets: []string{"topic"}},
		Request{Query: "intelligence security service", Country: []string{"Iran"}, Facets: []string{"country", "topic"}},
		Request{Query: "sabotage OR espionage", Limit: 50, Offset: 3},
		Request{Query: "Russia", FacetCount: CountArticles, Facets: []string{"country"}},
		Request{Query: "arrested", Group: GroupArticle, Limit: 5},
	)
	defer func(m uint64) { partMin = m }(partMin)
	partMin = 0
	whole := New(ix, Options{Parallel: 1})
	for _, n := range []int{2, 3} {
		parted := New(ix, Options{Parallel: n})
		for _, req := range reqs {
			want, err := whole.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			got, err := parted.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v in %d parts: %v", req, n, err)
			}
			for _, r := range []*Response{want, got} {
				r.TookMS, r.Phases = 0, Phases{}
			}
			if want.Total == 0 && req.Query != "zzyzx" {
				t.Errorf("%+v: no hits, the case tests nothing", req)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v: %d parts differ from whole (-whole +parts):\n%s", req, n, diff)
			}
		}
	}
}

func TestParts(t *testing.T) {
	half := max(1, min(maxParts, runtime.GOMAXPROCS(0)/2))
	for _, tt := range []struct {
		docs     uint64
		parallel int
		min, max int
	}{
		{docs: 100, parallel: 0, min: 1, max: 1},
		{docs: partMin - 1, parallel: 8, min: 1, max: 1},
		{docs: partMin, parallel: 1, min: 1, max: 1},
		{docs: partMin, parallel: 3, min: 3, max: 3},
		{docs: partMin, parallel: 64, min: stripes, max: stripes},
		// By default, half the cores, at most maxParts: one on two cores.
		{docs: 1 << 20, parallel: 0, min: half, max: half},
		{docs: 1 << 20, parallel: -1, min: half, max: half},
	} {
		if got := parts(tt.docs, tt.parallel); got < tt.min || got > tt.max {
			t.Errorf("parts(%d, %d) = %d, want %d..%d", tt.docs, tt.parallel, got, tt.min, tt.max)
		}
	}
}
