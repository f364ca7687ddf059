package api

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// ui holds the search page for analysts (index.html and its module
// app.js) and, for other web apps, the <briefsearch-search> widget
// (widget.js) and the API client both use (client.js). They talk to the
// API with relative URLs, so they work under any mount prefix.
//
//go:embed ui/index.html ui/app.js ui/client.js ui/widget.js
var ui embed.FS

// OpenAPI is the OpenAPI 3.1 description of the HTTP API, served at
// GET /v1/openapi.json. A test checks that it lists every route.
//
//go:embed openapi.json
var OpenAPI []byte

// uiCSP keeps the page to its own scripts: API values are inserted as
// text, and highlights are turned into text and <mark> elements without
// parsing them as HTML.
const uiCSP = "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (a *API) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", OpenAPI)
}

// How an embedded file may be used.
const (
	pageAsset  = iota // the search page's own files: same origin, with the page's CSP
	embeddable        // scripts that pages of any origin may load (the API itself still checks CORS)
)

// uiFile serves an embedded file. Every answer carries an ETag and is
// revalidated on each use (Cache-Control: no-cache, answered 304 when it is
// unchanged), so an upgraded server is picked up at once and the page and
// the scripts it imports never mix versions. Embeddable scripts may be
// stored by shared caches and read by pages of other origins: a module
// script from another origin needs CORS, and the code holds nothing
// secret. Whether such a page may then call the API is decided by
// server.cors_origins.
func (a *API) uiFile(name, contentType string, use int) gin.HandlerFunc {
	body, err := ui.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: cannot happen
	}
	sum := sha256.Sum256(body)
	etag := `W/"` + hex.EncodeToString(sum[:12]) + `"` // weak: the body may be sent gzipped
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("ETag", etag)
		switch use {
		case embeddable:
			h.Set("Cache-Control", "public, no-cache")
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		default:
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", uiCSP)
		}
		if etagMatch(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, contentType, body)
	}
}

// etagMatch reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
