package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// TestStaticFiles checks the page's files, the widget and the client:
// content types, caching (an ETag, revalidated each time, 304 when
// unchanged), who may load them, and that they stay open when the API
// needs keys.
func TestStaticFiles(t *testing.T) {
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	a := api.New(ix, search.New(ix, search.Options{}), api.Options{
		CORSOrigins: []string{"https://app.example.org"},
		Keys:        testKeys,
	})
	srv := httptest.NewServer(a.Handler("/briefs"))
	t.Cleanup(srv.Close)

	get := func(t *testing.T, path string, header ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+path, nil)
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
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}

	for _, tc := range []struct {
		path, contentType, cacheControl string
		anyOrigin                       bool   // loadable by pages of every origin
		contains                        string // a line of the file
	}{
		{"/briefs/", "text/html; charset=utf-8", "no-cache", false, `<script type="module" src="ui/app.js">`},
		{"/briefs/ui/app.js", "text/javascript; charset=utf-8", "no-cache", false, `from "../client.js"`},
		{"/briefs/client.js", "text/javascript; charset=utf-8", "public, no-cache", true, "export class Client"},
		{"/briefs/widget.js", "text/javascript; charset=utf-8", "public, no-cache", true, `customElements.define("briefsearch-search"`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			// No key: these stay open when the API needs one.
			res, body := get(t, tc.path, "Origin", "https://elsewhere.example")
			h := res.Header
			if res.StatusCode != http.StatusOK || h.Get("Content-Type") != tc.contentType || !strings.Contains(body, tc.contains) {
				t.Fatalf("GET %s: %d %q, body has %q: %v", tc.path, res.StatusCode, h.Get("Content-Type"), tc.contains, strings.Contains(body, tc.contains))
			}
			if got := h.Get("Cache-Control"); got != tc.cacheControl {
				t.Errorf("Cache-Control %q, want %q", got, tc.cacheControl)
			}
			etag := h.Get("ETag")
			if !strings.HasPrefix(etag, `W/"`) || len(etag) < 10 {
				t.Errorf("ETag %q, want a weak validator", etag)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", h.Get("X-Content-Type-Options"))
			}
			allow, corp, csp := h.Get("Access-Control-Allow-Origin"), h.Get("Cross-Origin-Resource-Policy"), h.Get("Content-Security-Policy")
			if tc.anyOrigin && (allow != "*" || corp != "cross-origin" || csp != "") {
				t.Errorf("embeddable script: Access-Control-Allow-Origin %q, Cross-Origin-Resource-Policy %q, CSP %q; want *, cross-origin, none", allow, corp, csp)
			}
			if !tc.anyOrigin && (allow != "" || !strings.Contains(csp, "script-src 'self'")) {
				t.Errorf("page file: Access-Control-Allow-Origin %q for an unlisted origin, CSP %q", allow, csp)
			}

			// Revalidation: unchanged is a 304 without a body, with the same validators.
			for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
				res, body := get(t, tc.path, "If-None-Match", inm)
				if res.StatusCode != http.StatusNotModified || body != "" || res.Header.Get("ETag") != etag || res.Header.Get("Cache-Control") != tc.cacheControl {
					t.Errorf("If-None-Match %s: %d, %d body bytes, ETag %q, Cache-Control %q", inm, res.StatusCode, len(body), res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
				}
			}
			if res, _ := get(t, tc.path, "If-None-Match", `W/"stale"`); res.StatusCode != http.StatusOK {
				t.Errorf("stale If-None-Match: %d, want 200", res.StatusCode)
			}
			// Gzipped, the validator is the same (weak) one.
			if res, _ := get(t, tc.path, "Accept-Encoding", "gzip"); res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") != etag {
				t.Errorf("gzip: encoding %q, ETag %q", res.Header.Get("Content-Encoding"), res.Header.Get("ETag"))
			}
		})
	}

	// The API itself still answers only listed origins.
	res, _ := get(t, "/briefs/v1/search?q=x", "Origin", "https://elsewhere.example", "Authorization", "Bearer "+searchKey)
	if res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("search from an unlisted origin: %d, Access-Control-Allow-Origin %q; want none", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	res, _ = get(t, "/briefs/v1/search?q=x", "Origin", "https://app.example.org", "Authorization", "Bearer "+searchKey)
	if res.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" {
		t.Errorf("search from a listed origin: Access-Control-Allow-Origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res, _ := get(t, "/briefs/v1/search?q=x"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("search without a key: %d, want 401", res.StatusCode)
	}
}
