package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/internal/testdisk"
	"github.com/briefsearch/briefsearch/search"
)

const (
	adminKey  = "admin-key-0123456789"
	searchKey = "search-key-0123456789"
)

var testKeys = []api.Key{{Value: adminKey, Role: api.RoleAdmin}, {Value: searchKey, Role: api.RoleSearch}}

// withKey sends a request with an API key ("" for none) as a Bearer token
// and returns the answer's status, body and headers.
func withKey(t *testing.T, method, url, key, body string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b, res.Header
}

func TestAPIKeys(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	var logs bytes.Buffer
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Keys:   testKeys,
	})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)

	call := func(method, path, body string, header ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	bearer := func(key string) []string { return []string{"Authorization", "Bearer " + key} }
	article := `{"id":"k-1","body":"Counter-terrorism police arrested a man in Leeds."}`
	tests := []struct {
		name         string
		method, path string
		body         string
		header       []string
		want         int
	}{
		{"health needs no key", "GET", "/healthz", "", nil, 200},
		{"readiness needs no key", "GET", "/readyz", "", nil, 200},
		{"the search page needs no key", "GET", "/", "", nil, 200},
		{"search without a key", "GET", "/v1/search?q=x", "", nil, 401},
		{"search with an unknown key", "GET", "/v1/search?q=x", "", bearer("not-a-key-0123456789"), 401},
		{"search with a search key", "GET", "/v1/search?q=x", "", bearer(searchKey), 200},
		{"search with X-API-Key", "GET", "/v1/search?q=x", "", []string{"X-API-Key", searchKey}, 200},
		{"openapi needs a key", "GET", "/v1/openapi.json", "", nil, 401},
		{"ingest with a search key", "POST", "/v1/articles", article, bearer(searchKey), 403},
		{"stats with a search key", "GET", "/v1/stats", "", bearer(searchKey), 403},
		{"ingest with an admin key", "POST", "/v1/articles", article, bearer(adminKey), 200},
		{"read with a search key", "GET", "/v1/articles/k-1", "", bearer(searchKey), 200},
		{"delete with a search key", "DELETE", "/v1/articles/k-1", "", bearer(searchKey), 403},
		{"stats with an admin key", "GET", "/v1/stats", "", bearer(adminKey), 200},
		{"search with an admin key", "GET", "/v1/search?q=Leeds", "", bearer(adminKey), 200},
		{"delete with an admin key", "DELETE", "/v1/articles/k-1", "", bearer(adminKey), 204},
		{"a basic scheme is no key", "GET", "/v1/search?q=x", "", []string{"Authorization", "Basic " + searchKey}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(tt.method, tt.path, tt.body, tt.header...)
			if res.StatusCode != tt.want {
				t.Fatalf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.want)
			}
			if tt.want == 401 || tt.want == 403 {
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("content type %q, want problem+json", ct)
				}
			}
			if tt.want == 401 && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("security headers missing: %v", res.Header)
			}
		})
	}
	if strings.Contains(logs.String(), adminKey) || strings.Contains(logs.String(), searchKey) {
		t.Error("a key was logged")
	}
	if !strings.Contains(logs.String(), "key_id=") {
		t.Errorf("requests with a key do not log its id:\n%s", logs.String())
	}
}

// Past its burst a client gets 429 with Retry-After; another client (key)
// has its own bucket.
func TestRateLimits(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{
		Keys:   testKeys,
		Limits: api.Limits{SearchRate: 0.5, SearchBurst: 3, IngestRate: 0.5, IngestBurst: 1},
	})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	for i := range 3 {
		if status, _, _ := withKey(t, "GET", srv.URL+"/v1/search?q=x", searchKey, ""); status != 200 {
			t.Fatalf("request %d within the burst: %d", i+1, status)
		}
	}
	status, _, header := withKey(t, "GET", srv.URL+"/v1/search?q=x", searchKey, "")
	if status != http.StatusTooManyRequests || header.Get("Retry-After") == "" ||
		!strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("past the burst: %d, Retry-After %q", status, header.Get("Retry-After"))
	}
	if status, _, _ := withKey(t, "GET", srv.URL+"/v1/search?q=x", adminKey, ""); status != 200 {
		t.Errorf("another key is limited too: %d", status)
	}
	// Ingests have their own bucket.
	if status, _, _ := withKey(t, "POST", srv.URL+"/v1/articles", adminKey, `{"id":"r-1","body":"Text about a trial."}`); status != 200 {
		t.Errorf("first ingest: %d", status)
	}
}

// GET /metrics answers in Prometheus text format, for admin keys only.
func TestMetrics(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{Keys: testKeys})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	call := func(method, path, key, body string) (int, string) {
		status, b, _ := withKey(t, method, srv.URL+path, key, body)
		return status, string(b)
	}
	call("POST", "/v1/articles", adminKey, `{"id":"m-1","body":"First paragraph.\n\nSecond paragraph about MI5."}`)
	call("GET", "/v1/search?q=MI5", searchKey, "")
	if status, _ := call("GET", "/metrics", searchKey, ""); status != http.StatusForbidden {
		t.Errorf("metrics with a search key: %d, want 403", status)
	}
	status, body := call("GET", "/metrics", adminKey, "")
	if status != 200 {
		t.Fatalf("metrics: %d", status)
	}
	for _, want := range []string{
		`briefsearch_http_requests_total{method="GET",route="/v1/search",status="OK"} 1`,
		`briefsearch_ingest_articles_total 1`,
		`briefsearch_ingest_paragraphs_total 2`,
		`briefsearch_index_documents 2`,
		`briefsearch_search_duration_seconds_count 1`,
		`briefsearch_search_phase_seconds_count{phase="search"} 1`,
		`briefsearch_rate_limited_total 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// A scoped key sees only its scope: searches, facet counts and article
// reads, and a request cannot widen it.
func TestScopedKey(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if _, err := ix.Ingest(context.Background(), briefings...); err != nil {
		t.Fatal(err)
	}
	scope, err := api.ParseScope("country=Iran")
	if err != nil {
		t.Fatal(err)
	}
	const scopedKey = "scoped-key-0123456789"
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{Keys: append(testKeys, api.Key{Value: scopedKey, Role: api.RoleSearch, Scope: scope})})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	get := func(path, key string) (int, []byte) {
		status, b, _ := withKey(t, "GET", srv.URL+path, key, "")
		return status, b
	}
	var full, scoped, widened search.Response
	for _, c := range []struct {
		path, key string
		dst       *search.Response
	}{
		{"/v1/search?q=plots&facets=country", searchKey, &full},
		{"/v1/search?q=plots&facets=country", scopedKey, &scoped},
		{"/v1/search?q=plots&facets=country&country=Russia", scopedKey, &widened},
	} {
		status, body := get(c.path, c.key)
		if status != 200 {
			t.Fatalf("%s: %d %s", c.path, status, body)
		}
		if err := json.Unmarshal(body, c.dst); err != nil {
			t.Fatal(err)
		}
	}
	if scoped.Total == 0 || scoped.Total >= full.Total {
		t.Fatalf("scoped total %d, unscoped %d: want fewer, not none", scoped.Total, full.Total)
	}
	for _, h := range scoped.Hits {
		if !slices.Contains(h.Country, "Iran") {
			t.Errorf("scoped hit %s outside the scope: %v", h.ID, h.Country)
		}
	}
	for _, f := range scoped.Facets["country"] {
		if f.Value == "Russia" {
			t.Errorf("scoped facet counts include Russia outside the scope: %v", scoped.Facets["country"])
		}
	}
	if widened.Total != 0 {
		t.Errorf("country=Russia through an Iran scope: %d hits, want 0", widened.Total)
	}
	if status, _ := get("/v1/articles/t-2", scopedKey); status != 404 {
		t.Errorf("article outside the scope: %d, want 404", status)
	}
	status, body := get("/v1/articles/t-1", scopedKey)
	var view index.ArticleView
	if err := json.Unmarshal(body, &view); status != 200 || err != nil || len(view.Paragraphs) != 2 {
		t.Errorf("article in scope: %d, %d paragraphs (%v); want 200 and the 2 Iran paragraphs of 3", status, len(view.Paragraphs), err)
	}
}

// POST /v1/admin/backup copies the index while it serves; the copy gives
// the same search results.
func TestBackupEndpoint(t *testing.T) {
	dir := t.TempDir()
	ix, err := index.Open(context.Background(), index.Options{Path: dir + "/idx"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if _, err := ix.Ingest(context.Background(), briefings...); err != nil {
		t.Fatal(err)
	}
	s := search.New(ix, search.Options{})
	a := api.New(ix, s, api.Options{Keys: testKeys})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	post := func(key, body string) (int, string) {
		status, b, _ := withKey(t, "POST", srv.URL+"/v1/admin/backup", key, body)
		return status, string(b)
	}
	if status, _ := post(searchKey, `{"out":"`+dir+`/b0"}`); status != 403 {
		t.Errorf("backup with a search key: %d, want 403", status)
	}
	if status, _ := post(adminKey, `{"to":"x"}`); status != 400 {
		t.Errorf("backup without out: %d, want 400", status)
	}
	status, body := post(adminKey, `{"out":"`+dir+`/b1"}`)
	if status != 200 || !strings.Contains(body, `"bytes"`) {
		t.Fatalf("backup: %d %s", status, body)
	}
	if status, _ := post(adminKey, `{"out":"`+dir+`/b1"}`); status != http.StatusConflict {
		t.Errorf("backup into the same directory again: %d, want 409", status)
	}
	cp, err := index.Open(context.Background(), index.Options{Path: dir + "/b1", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	req := search.Request{Query: "Iran plots", Facets: []string{"country"}}
	want, err := s.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := search.New(cp, search.Options{}).Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(r *search.Response) []string {
		var out []string
		for _, h := range r.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	if got.Total != want.Total || !slices.Equal(ids(got), ids(want)) {
		t.Errorf("the copy answers %d %v, the original %d %v", got.Total, ids(got), want.Total, ids(want))
	}
}

// Ingest reads the body as it arrives, in batches: more than one batch of
// articles is indexed whole; past server.max_articles the answer is a 413
// and the first ones are indexed.
func TestStreamingIngest(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{MaxArticles: 1300})
	srv := httptest.NewServer(a.Handler(""))
	t.Cleanup(srv.Close)
	ndjson := func(from, n int) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, `{"id":"s-%d","body":"Paragraph %d about a court case in Leeds."}`+"\n", i, i)
			if i == from+700 {
				b.WriteString(`{"id":"broken","body":` + "\n") // one bad line in the second batch
			}
		}
		return b.String()
	}
	r := do(t, "POST", srv.URL+"/v1/articles", ndjson(0, 1200))
	got := decode[struct {
		Articles int
		Errors   []struct{ Line, Record int }
	}](t, r)
	if r.status != http.StatusUnprocessableEntity || got.Articles != 1200 || len(got.Errors) != 1 || got.Errors[0].Line != 702 {
		t.Fatalf("1,200 articles and a bad line: status %d, %+v", r.status, got)
	}
	if st, _ := ix.Stats(context.Background()); st.Articles != 1200 {
		t.Errorf("indexed %d articles, want 1200", st.Articles)
	}
	r = do(t, "POST", srv.URL+"/v1/articles", ndjson(5000, 1400))
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.body), "more than 1300 articles") {
		t.Fatalf("1,400 articles over a cap of 1,300: %d %s", r.status, r.body)
	}
	if st, _ := ix.Stats(context.Background()); st.Articles != 2500 {
		t.Errorf("after the capped request: %d articles, want 2500", st.Articles)
	}
}

// On a full disk an ingest is a 507 problem saying so, and searches go on.
func TestIngestOnFullDisk(t *testing.T) {
	dir := testdisk.Small(t, "3m")
	ix, err := index.Open(context.Background(), index.Options{Path: dir + "/idx"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	srv := httptest.NewServer(api.New(ix, search.New(ix, search.Options{}), api.Options{}).Handler(""))
	t.Cleanup(srv.Close)
	var status int
	var body []byte
	for i := 0; i < 5000; i++ {
		article := fmt.Sprintf(`{"id":"d-%d","body":%q}`, i, strings.Repeat(fmt.Sprintf("Sanctions w%dx%d paragraph. ", i, i), 150))
		if status, body, _ = withKey(t, "POST", srv.URL+"/v1/articles", "", article); status != 200 {
			break
		}
	}
	if status != http.StatusInsufficientStorage || !strings.Contains(string(body), "disk refused the write") || strings.Contains(string(body), dir) {
		t.Fatalf("ingest on a full disk: %d %s", status, body)
	}
	if status, _, _ := withKey(t, "GET", srv.URL+"/v1/search?q=sanctions", "", ""); status != 200 {
		t.Errorf("search after the disk filled: %d", status)
	}
	if status, _, _ := withKey(t, "GET", srv.URL+"/v1/articles/d-0", "", ""); status != 200 {
		t.Errorf("reading an acknowledged article after the disk filled: %d", status)
	}
}

// GET /v1/similar/{id} finds paragraphs about the same thing in other
// articles, and its own article's with same_article=true.
func TestSimilar(t *testing.T) {
	srv, _ := newServer(t, corpus(t)...)
	status, body, _ := withKey(t, "GET", srv.URL+"/v1/similar/brief-2024-002%232?facets=country&limit=5", "", "")
	if status != 200 {
		t.Fatalf("similar: %d %s", status, body)
	}
	var res search.Response
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Facets["country"] == nil {
		t.Fatalf("similar: %d hits, facets %v", len(res.Hits), res.Facets)
	}
	iran := 0
	for _, h := range res.Hits {
		if h.ArticleID == "brief-2024-002" {
			t.Errorf("a paragraph of the same article: %s", h.ID)
		}
		if slices.Contains(h.Country, "Iran") {
			iran++
		}
	}
	if iran == 0 {
		t.Errorf("no similar paragraph about Iran for a paragraph about Iran-backed plots: %v", res.Hits)
	}
	status, body, _ = withKey(t, "GET", srv.URL+"/v1/similar/brief-2024-002%232?same_article=true&limit=50", "", "")
	if err := json.Unmarshal(body, &res); status != 200 || err != nil || !slices.ContainsFunc(res.Hits, func(h search.Hit) bool { return h.ArticleID == "brief-2024-002" }) {
		t.Errorf("same_article=true: %d, no paragraph of its own article", status)
	}
	for _, tc := range []struct {
		path string
		want int
	}{{"/v1/similar/nope%231", 404}, {"/v1/similar/brief-2024-002%232?q=x", 400}, {"/v1/similar/brief-2024-002%232?same_article=maybe", 400}} {
		if status, _, _ := withKey(t, "GET", srv.URL+tc.path, "", ""); status != tc.want {
			t.Errorf("%s: %d, want %d", tc.path, status, tc.want)
		}
	}
}
