package eval_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/eval"
	"github.com/briefsearch/briefsearch/search"
)

// TestFixtureRanking is the quick version of make eval: the judged fixture
// queries on the fixture corpus, Briefsearch against both FTS5 baselines
// over the same paragraphs. It fails if Briefsearch's mean nDCG@10 or P@5
// falls below the best baseline's.
func TestFixtureRanking(t *testing.T) {
	ctx := context.Background()
	set, err := eval.LoadSet("../testdata/relevance/fixtures")
	if err != nil {
		t.Fatal(err)
	}
	c, err := eval.Build(ctx, eval.BuildOptions{Paths: []string{"../testdata/corpus"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	systems := []eval.System{
		eval.Briefsearch{Label: "Briefsearch", Searcher: search.New(c.Index, search.Options{})},
		c.FTS.System(eval.AnyWord),
		c.FTS.System(eval.AllWords),
	}
	r, err := eval.Evaluate(ctx, set, systems)
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	r.WriteTable(&table)
	t.Logf("fixture relevance:\n%s", table.String())

	bs := r.Mean(0)
	for s := 1; s < len(systems); s++ {
		m := r.Mean(s)
		if bs.NDCG < m.NDCG {
			t.Errorf("Briefsearch nDCG@10 %.3f < %s %.3f", bs.NDCG, r.Systems[s], m.NDCG)
		}
		if bs.P5 < m.P5 {
			t.Errorf("Briefsearch P@5 %.3f < %s %.3f", bs.P5, r.Systems[s], m.P5)
		}
	}
	if bs.Unjudged > 0.10 {
		t.Errorf("Briefsearch unjudged@10 %.0f%%: judge the new results (go run ./cmd/briefeval pool -set testdata/relevance/fixtures -corpus testdata/corpus -cache '' -out pool.jsonl)", 100*bs.Unjudged)
	}
}
