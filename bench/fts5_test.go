package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/index/enrich"
)

// TestFTSPeer checks that the FTS5 peer answers what the benchmark asks
// of it: any-word matching, phrases, highlights, filters and facet counts
// that ignore their own field's filter, replacement on re-ingest.
func TestFTSPeer(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "in.jsonl")
	lines := []string{
		`{"id":"a1","title":"Iran plots","published":"2024-01-02T00:00:00Z","body":"Iranian agents plotted attacks in London, MI5 said.\n\nThe Security Service named Iran."}`,
		`{"id":"a2","title":"Russian sabotage","published":"2024-03-01T00:00:00Z","body":"Russia ran a sabotage campaign in Germany.\n\nBerlin police arrested two men."}`,
		`{"id":"a3","title":"Old","body":"Plots in France were foiled by police."}`,
		`{"id":"bad","title":"no body"}`,
	}
	if err := os.WriteFile(input, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "fts5.db")
	ctx := context.Background()
	st, err := IngestFTS(ctx, db, []string{input}, tagger, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 3 || st.Paragraphs != 5 || st.Errors != 1 {
		t.Errorf("ingest stats %+v, want 3 articles, 5 paragraphs, 1 error", st)
	}
	// Re-ingesting a1 with one paragraph replaces both old ones.
	again := filepath.Join(dir, "again.jsonl")
	if err := os.WriteFile(again, []byte(`{"id":"a1","title":"Iran plots","body":"Iranian agents plotted attacks in London."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := IngestFTS(ctx, db, []string{again}, tagger, io.Discard); err != nil {
		t.Fatal(err)
	}

	s, err := OpenFTSServer(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func(t *testing.T, q Query) ftsResponse {
		t.Helper()
		res, err := http.Get(srv.URL + "/v1/search?" + q.Values().Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(res.Body)
			t.Fatalf("status %d: %s", res.StatusCode, b)
		}
		var r ftsResponse
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}

	t.Run("any word, ranked, highlighted", func(t *testing.T) {
		r := get(t, Query{Q: "plots police"})
		if r.Total != 3 {
			t.Errorf("total %d, want 3 (plotted/plots by stemming, police twice)", r.Total)
		}
		if len(r.Hits) == 0 || r.Hits[0].ArticleID != "a3" {
			t.Fatalf("hits %+v, want a3 (both words) first", r.Hits)
		}
		if h := r.Hits[0].Highlights; len(h) != 1 || !strings.Contains(h[0], "<mark>Plots</mark>") {
			t.Errorf("highlights %q", h)
		}
	})
	t.Run("phrase", func(t *testing.T) {
		if r := get(t, Query{Q: `"sabotage campaign"`}); r.Total != 1 || r.Hits[0].ID != "a2#1" {
			t.Errorf("phrase: total %d hits %+v", r.Total, r.Hits)
		}
		if r := get(t, Query{Q: `"campaign sabotage"`}); r.Total != 0 {
			t.Errorf("reversed phrase matched %d", r.Total)
		}
	})
	t.Run("facets ignore their own filter", func(t *testing.T) {
		r := get(t, Query{Q: "police plots", Country: []string{"France"}, Facets: []string{"country", "topic"}})
		if r.Total != 1 || r.Hits[0].ArticleID != "a3" {
			t.Fatalf("filtered: total %d hits %+v", r.Total, r.Hits)
		}
		counts := map[string]int{}
		for _, v := range r.Facets["country"] {
			counts[v.Value] = v.Count
		}
		if counts["France"] != 1 || counts["Germany"] != 1 || counts["Iran"] != 0 && counts["Iran"] != 1 {
			t.Errorf("country counts %v, want France and Germany (the filter on country left out)", counts)
		}
	})
	t.Run("latest by date", func(t *testing.T) {
		r := get(t, Query{Sort: "newest", Facets: []string{"country"}})
		if r.Total != 4 || r.Hits[0].ArticleID != "a2" {
			t.Errorf("latest: total %d, first %+v", r.Total, r.Hits[0])
		}
		if len(r.Facets["country"]) == 0 {
			t.Error("no country counts over everything")
		}
	})
	t.Run("replaced article", func(t *testing.T) {
		if r := get(t, Query{Q: "security"}); r.Total != 0 {
			t.Errorf("the replaced paragraph still matches: %+v", r.Hits)
		}
	})
	t.Run("bad request", func(t *testing.T) {
		res, err := http.Get(srv.URL + "/v1/search?q=x&facets=colour")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("unknown facet: status %d, want 400", res.StatusCode)
		}
	})
}

func TestMaterialize(t *testing.T) {
	corpus := t.TempDir()
	rec := func(id string, paras int) string {
		return `{"id":"` + id + `","title":"T","body":"` + strings.Repeat(`p.\n\n`, paras-1) + `p."}`
	}
	write := func(name string, lines ...string) {
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bbc_news_2004_2005.jsonl", rec("b1", 2), rec("b2", 3))
	work := t.TempDir()
	if _, err := Materialize(corpus, TierSpec{Name: "default"}, work); err == nil || !strings.Contains(err.Error(), "wikinews_2019_2020.jsonl") {
		t.Fatalf("missing file: err = %v, want it named", err)
	}
	write("wikinews_2019_2020.jsonl", rec("w1", 4))
	in, err := Materialize(corpus, TierSpec{Name: "default", Replicate: 2}, work)
	if err != nil {
		t.Fatal(err)
	}
	if in.Articles != 6 || in.Paragraphs != 18 || len(in.Files) != 4 {
		t.Errorf("replicated: %d articles, %d paragraphs, files %v", in.Articles, in.Paragraphs, in.Files)
	}
	b, err := os.ReadFile(in.Files[3])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"id":"w1-r2"`) {
		t.Errorf("second copy %s: want id w1-r2", b)
	}
	cut, err := Materialize(corpus, TierSpec{Name: "default", MaxParagraphs: 4}, work)
	if err != nil {
		t.Fatal(err)
	}
	if cut.Articles != 2 || cut.Paragraphs != 5 {
		t.Errorf("cut at 4 paragraphs: %d articles, %d paragraphs; want 2 and 5", cut.Articles, cut.Paragraphs)
	}
}
