package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

// newServer starts the API over a fresh in-memory index holding articles.
func newServer(t testing.TB, articles ...index.Article) (*httptest.Server, *index.Index) {
	t.Helper()
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if len(articles) > 0 {
		if _, err := ix.Ingest(context.Background(), articles...); err != nil {
			t.Fatal(err)
		}
	}
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{BodyLimit: 1 << 20})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	return srv, ix
}

// corpus loads the fixture articles under testdata/corpus.
func corpus(t testing.TB) []index.Article {
	t.Helper()
	all, errs := index.ReadAll(filepath.Join("..", "testdata", "corpus"))
	if len(errs) > 0 {
		t.Fatalf("fixtures: %v", errs)
	}
	if len(all) < 30 {
		t.Fatalf("only %d fixture articles", len(all))
	}
	return all
}

type response struct {
	status      int
	contentType string
	body        []byte
}

func do(t *testing.T, method, url, body string) response {
	t.Helper()
	status, b, header := withKey(t, method, url, "", body)
	return response{status, header.Get("Content-Type"), b}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func searchOK(t *testing.T, srv *httptest.Server, query string) search.Response {
	t.Helper()
	r := do(t, "GET", srv.URL+"/v1/search?"+query, "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /v1/search?%s: status %d: %s", query, r.status, r.body)
	}
	return decode[search.Response](t, r)
}

func facetCount(values []search.FacetValue, value string) int {
	for _, v := range values {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

// briefing articles written for these tests.
var briefings = []index.Article{
	{ID: "t-1", Title: "Security chief warns of plots", Source: "Test Wire", Body: "" +
		"Officials said Iran had backed plots against dissidents living abroad.\n\n" +
		"Separately, Russian intelligence officers were linked to arson plots in warehouses.\n\n" +
		"The minister said Iran would face further sanctions."},
	{ID: "t-2", Title: "Court round-up", Source: "Other Desk", Body: "" +
		"A man was convicted of preparing acts of terrorism after buying chemicals.\n\n" +
		"Prosecutors said the plot was inspired by Islamic State propaganda."},
}

func TestSearchRanksAllWordsFirstAndHighlights(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	res := searchOK(t, srv, "q=Iran+plots&facets=country")
	if res.Total < 3 {
		t.Fatalf("total = %d, want at least 3 (any paragraph with iran or plot)", res.Total)
	}
	first := res.Hits[0]
	if first.ID != "t-1#1" {
		t.Fatalf("first hit %s (%q), want t-1#1, the only paragraph with both words", first.ID, first.Text)
	}
	if len(first.Highlights) != 1 || !strings.Contains(first.Highlights[0], "<mark>Iran</mark>") ||
		!strings.Contains(first.Highlights[0], "<mark>plots</mark>") {
		t.Errorf("highlights %q: want both words marked", first.Highlights)
	}
	if facetCount(res.Facets["country"], "Iran") != 2 {
		t.Errorf("country facet %v: want Iran 2", res.Facets["country"])
	}
	if first.TitleHighlight != "Security chief warns of <mark>plots</mark>" {
		t.Errorf("title highlight %q", first.TitleHighlight)
	}
}

// The response says what the query was understood as; literal=true turns
// that off, the same ranking as the search package's.
func TestSearchUnderstood(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	res := searchOK(t, srv, "q=Iranian+plots")
	if res.Understood == nil || !slices.Contains(res.Understood.Country, "Iran") {
		t.Fatalf("understood %+v, want country Iran", res.Understood)
	}
	if res.Hits[0].ID != "t-1#1" {
		t.Errorf("first hit %s, want t-1#1 (Iran and plots)", res.Hits[0].ID)
	}
	literal := searchOK(t, srv, "q=Iranian+plots&literal=true")
	if literal.Understood != nil {
		t.Errorf("literal=true: understood %+v, want none", literal.Understood)
	}
}

func TestSearchStemming(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	res := searchOK(t, srv, "q=plotting")
	if res.Total != 3 {
		t.Errorf("q=plotting: total %d, want 3 (plot, plots)", res.Total)
	}
}

func TestMultiSelectFacets(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	all := searchOK(t, srv, "q=plots&facets=country,source")
	narrowed := searchOK(t, srv, "q=plots&facets=country,source&country=Iran")
	if narrowed.Total >= all.Total || narrowed.Total == 0 {
		t.Fatalf("country=Iran total %d, all %d: want a non-empty narrower set", narrowed.Total, all.Total)
	}
	for _, h := range narrowed.Hits {
		if !slices.Contains(h.Country, "Iran") {
			t.Errorf("hit %s countries %v: want Iran", h.ID, h.Country)
		}
	}
	// The country facet ignores its own filter: Russia is still counted.
	if got, want := facetCount(narrowed.Facets["country"], "Russia"), facetCount(all.Facets["country"], "Russia"); got != want || got == 0 {
		t.Errorf("country facet under country=Iran: Russia %d, want %d (>0)", got, want)
	}
	// Other facets honour the filter.
	if got := facetCount(narrowed.Facets["source"], "Other Desk"); got != 0 {
		t.Errorf("source facet under country=Iran counts Other Desk %d, want 0", got)
	}
	// OR within a field.
	both := searchOK(t, srv, "q=plots&country=Iran&country=Russia")
	if both.Total <= narrowed.Total {
		t.Errorf("country=Iran|Russia total %d, want more than %d", both.Total, narrowed.Total)
	}
}

func TestBadRequestsAreProblems(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	tests := []struct {
		name, method, path, body string
		status                   int
		detail                   string
	}{
		{"unbalanced quote", "GET", `/v1/search?q=%22Iran+plots`, "", 400, "unterminated quote at 0"},
		{"unknown facet", "GET", "/v1/search?facets=colour", "", 400, `unknown facet "colour"`},
		{"unknown query field", "GET", "/v1/search?q=colour:red", "", 400, `unknown field "colour"`},
		{"limit too big", "GET", "/v1/search?limit=1000", "", 400, "limit 1000 is out of range"},
		{"bad date", "GET", "/v1/search?before=31/12/2024", "", 400, "before"},
		{"after later than before", "GET", "/v1/search?after=2025-01-01&before=2024-01-01", "", 400, "later than"},
		{"bad sort", "GET", "/v1/search?sort=random", "", 400, "unknown sort"},
		{"unknown article", "GET", "/v1/articles/nope", "", 404, "not found"},
		{"delete unknown article", "DELETE", "/v1/articles/nope", "", 404, "not found"},
		{"unknown route", "GET", "/v2/search", "", 404, "no such endpoint"},
		{"wrong method", "PUT", "/v1/search", "", 405, "not allowed"},
		{"empty ingest", "POST", "/v1/articles", "", 400, "no articles"},
		{"malformed ingest", "POST", "/v1/articles", `{"id":`, 422, "rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tt.method, srv.URL+tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if r.contentType != "application/problem+json" {
				t.Errorf("content type %q, want application/problem+json", r.contentType)
			}
			p := decode[struct {
				Status int
				Title  string
				Detail string
			}](t, r)
			if p.Status != tt.status || p.Title == "" || !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("problem %+v: want status %d and detail containing %q", p, tt.status, tt.detail)
			}
		})
	}
}

// A query's syntax error is a 400 whose problem names the character
// position, in code points.
func TestQueryErrorsHavePositions(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	tests := []struct {
		q, detail string
		position  int
	}{
		{"(Iran OR plots", `unbalanced "("`, 0},
		{"Iran plots AND", "expected a term after AND", 14},
		{"Tĥe (Iran", `unbalanced "("`, 4},
		{"plots published:2024-13", "is not a date", 6},
		{"spy a*", "needs at least 2 letters", 4},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			r := do(t, "GET", srv.URL+"/v1/search?q="+url.QueryEscape(tt.q), "")
			if r.status != http.StatusBadRequest || r.contentType != "application/problem+json" {
				t.Fatalf("status %d %s, want a 400 problem: %s", r.status, r.contentType, r.body)
			}
			p := decode[struct {
				Detail   string
				Position *int
			}](t, r)
			if !strings.Contains(p.Detail, tt.detail) || p.Position == nil || *p.Position != tt.position {
				t.Errorf("problem %s: want detail containing %q and position %d", r.body, tt.detail, tt.position)
			}
		})
	}
	// Other 400s carry no position.
	r := do(t, "GET", srv.URL+"/v1/search?limit=1000", "")
	if strings.Contains(string(r.body), "position") {
		t.Errorf("limit problem has a position: %s", r.body)
	}
}

// The query language through HTTP: the boolean example of the README.
func TestBooleanQueryOverHTTP(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	res := searchOK(t, srv, "q="+url.QueryEscape("(Iran OR Tehran) AND (plot OR plots) NOT sanctions"))
	if res.Total != 1 || res.Hits[0].ID != "t-1#1" {
		t.Fatalf("hits %+v, want only t-1#1", res.Hits)
	}
	h := res.Hits[0].Highlights
	if len(h) == 0 || !strings.Contains(h[0], "<mark>Iran</mark>") || !strings.Contains(h[0], "<mark>plots</mark>") {
		t.Errorf("highlights %q: want Iran and plots marked", h)
	}
	// A facet field with NOT on a phrase: the paragraph about sanctions
	// is left out.
	res = searchOK(t, srv, "q="+url.QueryEscape(`country:Iran AND NOT "further sanctions"`))
	if res.Total != 1 || res.Hits[0].ID != "t-1#1" {
		t.Errorf("country:Iran AND NOT phrase: hits %+v, want only t-1#1", res.Hits)
	}
}

// Highlight shaping through HTTP: custom tags, the whole paragraph, and
// matches as code-point offsets.
func TestHighlightParams(t *testing.T) {
	srv, _ := newServer(t, append(slices.Clone(briefings), index.Article{ID: "t-9", Title: "Téhéran",
		Body: "À Téhéran, the café owner said Iran’s plots were rumours."})...)
	res := searchOK(t, srv, "q=Iran+plots&highlight_pre=%5B%5B&highlight_post=%5D%5D&literal=true")
	if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Highlights[0], "[[") {
		t.Fatalf("custom tags: %+v", res.Hits)
	}
	for _, h := range res.Hits {
		runes := []rune(h.Text)
		if len(h.Matches) == 0 {
			t.Errorf("hit %s has no matches", h.ID)
		}
		for _, m := range h.Matches {
			word := strings.ToLower(string(runes[m.Start:m.End]))
			if !strings.HasPrefix(word, "iran") && !strings.HasPrefix(word, "plot") {
				t.Errorf("hit %s: match %+v selects %q", h.ID, m, word)
			}
		}
		for _, frag := range h.Highlights {
			if strings.Contains(frag, "<mark>") {
				t.Errorf("hit %s: <mark> despite custom tags: %q", h.ID, frag)
			}
		}
	}
	whole := searchOK(t, srv, "q=rumours&fragments=0")
	if len(whole.Hits) != 1 || len(whole.Hits[0].Highlights) != 1 || !strings.HasPrefix(whole.Hits[0].Highlights[0], "À Téhéran") {
		t.Errorf("fragments=0: %+v", whole.Hits)
	}
	for _, bad := range []string{"fragments=11", "fragments=x", "fragment_size=5", "highlight_pre=%3Cb%3E", "highlight_pre=" + strings.Repeat("x", 65) + "&highlight_post=y"} {
		if r := do(t, "GET", srv.URL+"/v1/search?q=Iran&"+bad, ""); r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, r.status)
		}
	}
}

func TestGroupByArticleOverHTTP(t *testing.T) {
	srv, _ := newServer(t, briefings...)
	flat := searchOK(t, srv, "q=plots&limit=100")
	res := searchOK(t, srv, "q=plots&group=article&group_size=1")
	articles := map[string]bool{}
	for _, h := range flat.Hits {
		articles[h.ArticleID] = true
	}
	if res.Total != flat.Total || res.TotalArticles != len(articles) || len(res.Groups) != len(articles) || len(res.Hits) != 0 {
		t.Fatalf("grouped: total %d, total_articles %d, %d groups, %d hits; flat: %d hits in %d articles",
			res.Total, res.TotalArticles, len(res.Groups), len(res.Hits), flat.Total, len(articles))
	}
	if g := res.Groups[0]; len(g.Hits) != 1 || g.Hits[0].ID != flat.Hits[0].ID || g.Matches < 1 {
		t.Errorf("first group %+v: want the best paragraph %s", g, flat.Hits[0].ID)
	}
	for _, bad := range []string{"group=story", "group=article&group_size=11"} {
		if r := do(t, "GET", srv.URL+"/v1/search?q=plots&"+bad, ""); r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, r.status)
		}
	}
}

func TestHistogramOverHTTP(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	srv, _ := newServer(t,
		index.Article{ID: "h-1", Published: day("2024-01-15"), Body: "Sabotage at a depot."},
		index.Article{ID: "h-2", Published: day("2024-03-02"), Body: "Sabotage on a railway."},
		index.Article{ID: "h-3", Published: day("2024-03-30"), Body: "Sabotage suspected at a port."},
		index.Article{ID: "h-4", Body: "Sabotage, undated."})
	res := searchOK(t, srv, "q=sabotage&facets=published&interval=month")
	var got []string
	for _, b := range res.Facets["published"] {
		got = append(got, fmt.Sprintf("%s:%d", b.Value, b.Count))
	}
	if strings.Join(got, " ") != "2024-01:1 2024-02:0 2024-03:2" {
		t.Errorf("months %v, want 2024-01:1 2024-02:0 2024-03:2", got)
	}
	if r := do(t, "GET", srv.URL+"/v1/search?q=sabotage&facets=published&interval=hour", ""); r.status != http.StatusBadRequest {
		t.Errorf("interval=hour: status %d, want 400", r.status)
	}
}

func TestFacetValueSearch(t *testing.T) {
	srv, _ := newServer(t, append(slices.Clone(briefings),
		index.Article{ID: "f-1", Body: "António Guterres and Ali Khamenei were named; Alicia Kearns spoke on Iran."},
		index.Article{ID: "f-2", Body: "Alicia Kearns said the plots against Iran's critics continued."})...)
	type values struct {
		Field  string
		Values []search.FacetValue
	}
	get := func(path string) values {
		t.Helper()
		r := do(t, "GET", srv.URL+path, "")
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		return decode[values](t, r)
	}
	names := func(v values) string {
		var out []string
		for _, x := range v.Values {
			out = append(out, fmt.Sprintf("%s:%d", x.Value, x.Count))
		}
		return strings.Join(out, " ")
	}
	// A prefix of any word, any case; most frequent first.
	if got := names(get("/v1/facets/actor?prefix=AL")); got != "Alicia Kearns:2 Ali Khamenei:1" {
		t.Errorf("prefix AL: %s", got)
	}
	if got := names(get("/v1/facets/actor?prefix=kha")); got != "Ali Khamenei:1" {
		t.Errorf("prefix kha: %s", got)
	}
	// Accents folded.
	if got := names(get("/v1/facets/actor?prefix=anto")); !strings.HasPrefix(got, "António Guterres:1") {
		t.Errorf("prefix anto: %s", got)
	}
	// Counted within the query.
	if got := names(get("/v1/facets/actor?prefix=al&q=plots")); got != "Alicia Kearns:1" {
		t.Errorf("prefix al within q=plots: %s", got)
	}
	if got := get("/v1/facets/country?size=1"); len(got.Values) != 1 || got.Field != "country" {
		t.Errorf("size=1: %+v", got)
	}
	for _, bad := range []string{"/v1/facets/colour", "/v1/facets/actor?size=0", "/v1/facets/actor?limit=3", "/v1/facets/actor?q=(Iran", "/v1/facets/published"} {
		if r := do(t, "GET", srv.URL+bad, ""); r.status != http.StatusBadRequest || r.contentType != "application/problem+json" {
			t.Errorf("%s: status %d, want a 400 problem", bad, r.status)
		}
	}
}

// facet_count=articles and recency through HTTP.
func TestFacetCountAndRecencyOverHTTP(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	srv, _ := newServer(t,
		index.Article{ID: "r-1", Published: day("2021-05-01"), Body: "Sabotage of a pipeline in Norway was reported.\n\nNorway said the sabotage was deliberate."},
		index.Article{ID: "r-2", Published: day("2024-05-01"), Body: "Sabotage of a pipeline in Norway was reported."})
	byParagraph := searchOK(t, srv, "q=sabotage&facets=country")
	byArticle := searchOK(t, srv, "q=sabotage&facets=country&facet_count=articles")
	if got, want := facetCount(byParagraph.Facets["country"], "Norway"), 3; got != want {
		t.Errorf("paragraphs about Norway: %d, want %d", got, want)
	}
	if got, want := facetCount(byArticle.Facets["country"], "Norway"), 2; got != want {
		t.Errorf("articles about Norway: %d, want %d", got, want)
	}
	plain := searchOK(t, srv, "q=pipeline")
	recent := searchOK(t, srv, "q=pipeline&recency=30d")
	if len(plain.Hits) < 2 || plain.Hits[0].Score != plain.Hits[1].Score {
		t.Fatalf("want a tie without recency: %+v", plain.Hits)
	}
	if recent.Hits[0].ID != "r-2#1" || recent.Hits[0].Score <= recent.Hits[1].Score {
		t.Errorf("recency: first %s (%.3f), want r-2#1 above the older copy", recent.Hits[0].ID, recent.Hits[0].Score)
	}
	if r := do(t, "GET", srv.URL+"/v1/search?q=x&recency=30d&sort=newest", ""); r.status != http.StatusBadRequest {
		t.Errorf("recency with sort=newest: status %d, want 400", r.status)
	}
}

// Actor kinds through HTTP: the filter, the counts per kind, the actors of
// one kind, and each hit's kinds.
func TestActorKindsOverHTTP(t *testing.T) {
	srv, _ := newServer(t,
		index.Article{ID: "k-1", Body: "Islamic State claimed the attack, and Ken McCallum of MI5 said more plots were likely."},
		index.Article{ID: "k-2", Body: "Ken McCallum said MI5 had disrupted the plots."})
	res := searchOK(t, srv, "q=plots&facets=actor_kind,actor.militant,actor.person")
	if got := facetCount(res.Facets["actor_kind"], "militant"); got != 1 {
		t.Errorf("militant paragraphs: %d, want 1", got)
	}
	if got := facetCount(res.Facets["actor_kind"], "person"); got != 2 {
		t.Errorf("paragraphs naming a person: %d, want 2", got)
	}
	if len(res.Facets["actor.militant"]) != 1 || res.Facets["actor.militant"][0].Value != "Islamic State" {
		t.Errorf("actor.militant: %+v, want only Islamic State", res.Facets["actor.militant"])
	}
	if len(res.Facets["actor.person"]) != 1 || res.Facets["actor.person"][0].Value != "Ken McCallum" || res.Facets["actor.person"][0].Count != 2 {
		t.Errorf("actor.person: %+v, want Ken McCallum: 2", res.Facets["actor.person"])
	}
	only := searchOK(t, srv, "q=plots&actor_kind=militant")
	if only.Total != 1 || only.Hits[0].ArticleID != "k-1" {
		t.Fatalf("actor_kind=militant: %+v", only.Hits)
	}
	h := only.Hits[0]
	if i := slices.Index(h.Actor, "Islamic State"); i < 0 || len(h.ActorKind) != len(h.Actor) || h.ActorKind[i] != "militant" {
		t.Errorf("hit actors %v, kinds %v", h.Actor, h.ActorKind)
	}
	if r := do(t, "GET", srv.URL+"/v1/search?facets=actor.wizard", ""); r.status != http.StatusBadRequest {
		t.Errorf("facets=actor.wizard: status %d, want 400", r.status)
	}
}

func TestIngestReportsBadRecordsAndKeepsGoodOnes(t *testing.T) {
	srv, _ := newServer(t)
	body := `{"id":"n-1","title":"Good","body":"Counter terrorism police arrested a man in Leeds."}
{"id":"n-2","title":"No body"}
{"id":"n-3","published":"last week","body":"Text."}
{"id":"n-4","body":"Another good one about GCHQ."}
`
	r := do(t, "POST", srv.URL+"/v1/articles", body)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", r.status, r.body)
	}
	got := decode[struct {
		Articles   int
		Paragraphs int
		Errors     []struct {
			Record int
			Line   int
			Detail string
		}
	}](t, r)
	if got.Articles != 2 || got.Paragraphs != 2 {
		t.Errorf("indexed %d articles, %d paragraphs; want 2, 2", got.Articles, got.Paragraphs)
	}
	if len(got.Errors) != 2 || got.Errors[0].Line != 2 || got.Errors[1].Line != 3 {
		t.Fatalf("errors %+v: want lines 2 and 3", got.Errors)
	}
	if !strings.Contains(got.Errors[0].Detail, "body") || !strings.Contains(got.Errors[1].Detail, "published") {
		t.Errorf("errors %+v: want details naming body and published", got.Errors)
	}
	for _, id := range []string{"n-1", "n-4"} {
		if r := do(t, "GET", srv.URL+"/v1/articles/"+id, ""); r.status != 200 {
			t.Errorf("GET article %s: %d", id, r.status)
		}
	}
}

// A truncated NDJSON line costs that line only: the valid article on the
// next line is indexed.
func TestIngestTruncatedNDJSONLine(t *testing.T) {
	srv, _ := newServer(t)
	body := `{"id":"tr-1","body":"Police in Leeds arrested a man."}` + "\n" +
		`{"id": "b", "title": "Broken", "body": ` + "\n" +
		`{"id":"tr-2","body":"Prosecutors charged a second man in Bradford."}` + "\n"
	r := do(t, "POST", srv.URL+"/v1/articles", body)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", r.status, r.body)
	}
	got := decode[struct {
		Articles int
		Errors   []struct{ Line int }
	}](t, r)
	if got.Articles != 2 || len(got.Errors) != 1 || got.Errors[0].Line != 2 {
		t.Fatalf("got %+v: want 2 articles and one error on line 2", got)
	}
	for _, id := range []string{"tr-1", "tr-2"} {
		if r := do(t, "GET", srv.URL+"/v1/articles/"+id, ""); r.status != 200 {
			t.Errorf("GET article %s: %d", id, r.status)
		}
	}
}

func TestReingestReplacesArticle(t *testing.T) {
	srv, _ := newServer(t)
	v1 := `{"id":"r-1","title":"Draft","body":"First paragraph about GCHQ.\n\nSecond paragraph about sabotage.\n\nThird paragraph about Wagner."}`
	if r := do(t, "POST", srv.URL+"/v1/articles", v1); r.status != 200 {
		t.Fatalf("ingest v1: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", srv.URL+"/v1/articles", `{"id":"wire/2025/7","body":"An id with slashes."}`); r.status != 200 {
		t.Fatalf("ingest slashed id: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", srv.URL+"/v1/articles/wire/2025/7", ""); r.status != 200 {
		t.Errorf("GET slashed id: %d %s", r.status, r.body)
	}
	if r := do(t, "DELETE", srv.URL+"/v1/articles/wire/2025/7", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE slashed id: %d %s", r.status, r.body)
	}
	v2 := `[{"id":"r-1","title":"Final","source":"Desk","body":"Only paragraph now, about MI6."}]`
	r := do(t, "POST", srv.URL+"/v1/articles", v2)
	if r.status != 200 {
		t.Fatalf("ingest v2: %d %s", r.status, r.body)
	}
	if got := decode[index.IngestStats](t, r); got.Replaced != 1 {
		t.Errorf("replaced = %d, want 1", got.Replaced)
	}
	view := decode[index.ArticleView](t, do(t, "GET", srv.URL+"/v1/articles/r-1", ""))
	if view.Title != "Final" || len(view.Paragraphs) != 1 || view.Paragraphs[0].Paragraph != 1 {
		t.Fatalf("article after re-ingest: %+v", view)
	}
	if res := searchOK(t, srv, "q=sabotage+OR+Wagner"); res.Total != 0 {
		t.Errorf("old paragraphs still found: %d hits", res.Total)
	}
	st := decode[index.Stats](t, do(t, "GET", srv.URL+"/v1/stats", ""))
	if st.Articles != 1 || st.Paragraphs != 1 {
		t.Errorf("stats %+v: want 1 article, 1 paragraph", st)
	}
	if r := do(t, "DELETE", srv.URL+"/v1/articles/r-1", ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", srv.URL+"/v1/articles/r-1", ""); r.status != 404 {
		t.Errorf("GET after delete: %d, want 404", r.status)
	}
	if res := searchOK(t, srv, "q=MI6"); res.Total != 0 {
		t.Errorf("deleted article still found: %d hits", res.Total)
	}
}

func TestHighlightsEscapeHTML(t *testing.T) {
	srv, _ := newServer(t, index.Article{ID: "h-1", Body: `Investigators found a <script>steal()</script> tag injected into the AT&T login page.`})
	res := searchOK(t, srv, "q=script")
	if res.Total != 1 {
		t.Fatalf("total %d, want 1", res.Total)
	}
	h := res.Hits[0].Highlights
	if len(h) != 1 || strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h[0]), "<") ||
		!strings.Contains(h[0], "&lt;<mark>script</mark>&gt;") || !strings.Contains(h[0], "AT&amp;T") {
		t.Errorf("highlights %q: want escaped HTML with only <mark> tags", h)
	}
	if !strings.Contains(res.Hits[0].Text, "<script>") {
		t.Errorf("text %q: want the plain paragraph", res.Hits[0].Text)
	}
}

func TestFixtureCorpus(t *testing.T) {
	srv, _ := newServer(t, corpus(t)...)
	st := decode[index.Stats](t, do(t, "GET", srv.URL+"/v1/stats", ""))
	if st.Articles < 30 || st.Facets["country"] < 8 {
		t.Fatalf("stats %+v: want >= 30 articles and >= 8 countries", st)
	}
	res := searchOK(t, srv, "q=Iran+plots&facets=country,topic,actor&limit=5")
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatal("no hits for Iran plots")
	}
	top := res.Hits[0]
	if !strings.Contains(top.Highlights[0], "<mark>Iran") || !strings.Contains(strings.ToLower(top.Highlights[0]), "<mark>plot") {
		t.Errorf("top hit highlights %q: want Iran and plot marked", top.Highlights)
	}
	if facetCount(res.Facets["country"], "Iran") == 0 {
		t.Errorf("country facet %v lacks Iran", res.Facets["country"])
	}
	// Sorting by date.
	newest := searchOK(t, srv, "q=espionage&sort=newest&limit=20")
	for i := 1; i < len(newest.Hits); i++ {
		a, b := newest.Hits[i-1].Published, newest.Hits[i].Published
		if a != nil && b != nil && a.Before(*b) {
			t.Fatalf("sort=newest: hit %d (%s) before hit %d (%s)", i-1, a, i, b)
		}
	}
	// Date filters are inclusive.
	in2024 := searchOK(t, srv, "after=2024-01-01&before=2024-12-31&limit=100")
	for _, h := range in2024.Hits {
		if h.Published == nil || h.Published.Year() != 2024 {
			t.Fatalf("hit %s published %v outside 2024", h.ID, h.Published)
		}
	}
	// Paging is consistent.
	page1 := searchOK(t, srv, "q=espionage&limit=3")
	page2 := searchOK(t, srv, "q=espionage&limit=3&offset=3")
	if len(page2.Hits) > 0 && page1.Hits[0].ID == page2.Hits[0].ID {
		t.Error("offset did not move the page")
	}
}

// The seed article from ../shared/seeds: the paragraph about Iran-backed
// plots comes first with both words marked, and countries are counted.
func TestSeedArticle(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "seeds", "000_3e7309714ba7935b.txt")
	if _, err := os.Stat(path); err != nil {
		t.Skip("seed not available:", err)
	}
	articles, errs := index.ReadFile(path)
	if len(errs) > 0 || len(articles) != 1 {
		t.Fatalf("read seed: %d articles, errors %v", len(articles), errs)
	}
	srv, _ := newServer(t, articles...)
	view := decode[index.ArticleView](t, do(t, "GET", srv.URL+"/v1/articles/"+articles[0].ID, ""))
	if len(view.Paragraphs) != 23 {
		t.Fatalf("seed has %d paragraphs, want 23", len(view.Paragraphs))
	}
	res := searchOK(t, srv, "q=Iran+plots&facets=country")
	top := res.Hits[0]
	if top.Paragraph != 21 {
		t.Errorf("top hit is paragraph %d (%q), want 21", top.Paragraph, top.Text)
	}
	joined := strings.Join(top.Highlights, " ")
	if !strings.Contains(joined, "<mark>Iran</mark>") || !strings.Contains(joined, "<mark>plots</mark>") {
		t.Errorf("highlights %q: want Iran and plots marked", top.Highlights)
	}
	for _, c := range []string{"Iran", "Russia"} {
		if facetCount(res.Facets["country"], c) == 0 {
			t.Errorf("country facet %v lacks %s", res.Facets["country"], c)
		}
	}
}

func TestBodyLimitAndReadiness(t *testing.T) {
	srv, ix := newServer(t)
	big := `{"id":"big","body":"` + strings.Repeat("word ", 300000) + `"}`
	r := do(t, "POST", srv.URL+"/v1/articles", big)
	if r.status != http.StatusRequestEntityTooLarge || r.contentType != "application/problem+json" {
		t.Fatalf("oversized body: %d %s %.200s", r.status, r.contentType, r.body)
	}
	if st, _ := ix.Stats(context.Background()); st.Articles != 0 {
		t.Errorf("an oversized body indexed %d articles", st.Articles)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := do(t, "GET", srv.URL+path, ""); r.status != 200 {
			t.Errorf("GET %s: %d", path, r.status)
		}
	}
}

func TestReadyzDuringShutdown(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{})
	srv := httptest.NewServer(a.Handler(""))
	defer srv.Close()
	a.SetReady(false)
	r := do(t, "GET", srv.URL+"/readyz", "")
	if r.status != http.StatusServiceUnavailable || r.contentType != "application/problem+json" {
		t.Errorf("readyz while shutting down: %d %s", r.status, r.contentType)
	}
}

func TestCORS(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{CORSOrigins: []string{"https://app.example.org"}})
	srv := httptest.NewServer(a.Handler(""))
	defer srv.Close()

	request := func(method, origin string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+"/v1/search?q=x", nil)
		req.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "GET")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := request("GET", "https://app.example.org"); res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" {
		t.Errorf("allowed origin: %d, allow-origin %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res := request("OPTIONS", "https://app.example.org"); res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight: %d, allow-methods %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Methods"))
	}
	if res := request("GET", "https://evil.example"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin got allow-origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// Searches, ingests and deletes at the same time: no errors, no races
// (run with -race), and the index ends consistent.
func TestConcurrentUse(t *testing.T) {
	srv, ix := newServer(t, briefings...)
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for w := range 3 {
		wg.Go(func() {
			for i := range 20 {
				id := fmt.Sprintf("c-%d-%d", w, i%5)
				body := fmt.Sprintf(`{"id":%q,"body":"Round %d: GCHQ tracked Iranian plots.\n\nA second paragraph about the FSB."}`, id, i)
				if r := doQuiet("POST", srv.URL+"/v1/articles", body); r != 200 {
					errs <- fmt.Sprintf("ingest %s: %d", id, r)
				}
				if r := doQuiet("GET", srv.URL+"/v1/search?q=Iran+plots&facets=country,actor&country=Iran", ""); r != 200 {
					errs <- fmt.Sprintf("search: %d", r)
				}
				if i%7 == 6 {
					if r := doQuiet("DELETE", srv.URL+"/v1/articles/"+id, ""); r != 204 && r != 404 {
						errs <- fmt.Sprintf("delete %s: %d", id, r)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res := searchOK(t, srv, "limit=1")
	if uint64(st.Paragraphs) != res.Total {
		t.Errorf("stats count %d paragraphs, a match-all search %d", st.Paragraphs, res.Total)
	}
}

// doQuiet sends a request from any goroutine and returns the status, or 0.
func doQuiet(method, url, body string) int {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

func TestSearchPage(t *testing.T) {
	srv, _ := newServer(t)
	page := do(t, "GET", srv.URL+"/", "")
	if page.status != 200 || !strings.HasPrefix(page.contentType, "text/html") || !strings.Contains(string(page.body), `<script type="module" src="ui/app.js">`) {
		t.Fatalf("GET /: %d %s", page.status, page.contentType)
	}
	js := do(t, "GET", srv.URL+"/ui/app.js", "")
	if js.status != 200 || !strings.HasPrefix(js.contentType, "text/javascript") || !strings.Contains(string(js.body), `from "../client.js"`) {
		t.Fatalf("GET /ui/app.js: %d %s", js.status, js.contentType)
	}
	// Nothing is inserted as HTML: highlights become text and <mark>
	// elements (client.js highlight), for the page and the widget alike.
	for _, path := range []string{"/ui/app.js", "/client.js", "/widget.js"} {
		if r := do(t, "GET", srv.URL+path, ""); strings.Contains(string(r.body), "innerHTML") || strings.Contains(string(r.body), "insertAdjacentHTML") {
			t.Errorf("%s inserts HTML", path)
		}
	}
}

// TestOpenAPIListsEveryRoute keeps openapi.json true to the routes.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	var spec struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI, &spec); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	e := gin.New()
	api.New(ix, search.New(ix, search.Options{}), api.Options{}).Register(e)
	documented := 0
	for _, r := range e.Routes() {
		// gin's catch-all and named parameters are OpenAPI's {name}.
		path := regexp.MustCompile(`[*:](\w+)`).ReplaceAllString(r.Path, "{$1}")
		ops, ok := spec.Paths[path]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
			continue
		}
		if _, ok := ops[strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s has no %s operation in openapi.json", r.Method, r.Path, strings.ToLower(r.Method))
			continue
		}
		documented++
	}
	total := 0
	for _, ops := range spec.Paths {
		for k := range ops {
			if k != "parameters" {
				total++
			}
		}
	}
	if documented != total {
		t.Errorf("openapi.json documents %d operations, the router has %d of them", total, documented)
	}
	srv, _ := newServer(t)
	if r := do(t, "GET", srv.URL+"/v1/openapi.json", ""); r.status != 200 || r.contentType != "application/json" {
		t.Errorf("GET /v1/openapi.json: %d %s", r.status, r.contentType)
	}
}

func TestGzip(t *testing.T) {
	srv, _ := newServer(t, corpus(t)...)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(method, path string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	res, raw := get("GET", "/v1/search?q=Iran+plots&limit=10")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", res.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var sr search.Response
	if err := json.Unmarshal(plain, &sr); err != nil || sr.Total == 0 {
		t.Fatalf("decompressed body: %v, total %d", err, sr.Total)
	}
	t.Logf("search page: %d bytes gzipped, %d plain", len(raw), len(plain))
	if res, body := get("DELETE", "/v1/articles/brief-2024-002"); res.StatusCode != http.StatusNoContent || len(body) != 0 || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("DELETE: %d, %d body bytes, encoding %q", res.StatusCode, len(body), res.Header.Get("Content-Encoding"))
	}
	if res, raw := get("GET", "/v1/articles/nope"); res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" || res.Header.Get("Content-Encoding") != "gzip" || len(raw) == 0 {
		t.Errorf("404 problem: %d %v", res.StatusCode, res.Header)
	}
}

func TestRequestID(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	req.Header.Set("X-Request-ID", "trace-42")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Request-ID"); got != "trace-42" {
		t.Errorf("echoed request id %q, want trace-42", got)
	}
	req.Header.Set("X-Request-ID", "<script>")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Request-ID"); len(got) != 16 || strings.Contains(got, "<") {
		t.Errorf("unsafe request id replaced by %q, want 16 hex digits", got)
	}
}
