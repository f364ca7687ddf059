package api

import (
	"embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// ui is a small search page for analysts: a query box, multi-select facet
// checkboxes and highlighted hits, talking to the API with relative URLs so
// it works under any mount prefix.
//
//go:embed ui/index.html ui/app.js
var ui embed.FS

// OpenAPI is the OpenAPI 3.1 description of the HTTP API, served at
// GET /v1/openapi.json. A test checks that it lists every route.
//
//go:embed openapi.json
var OpenAPI []byte

// uiCSP keeps the page to its own script: API values are inserted as text,
// and highlights are escaped by the API.
const uiCSP = "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (a *API) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", OpenAPI)
}

func (a *API) uiFile(name, contentType string) gin.HandlerFunc {
	body, err := ui.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: cannot happen
	}
	return func(c *gin.Context) {
		c.Header("Content-Security-Policy", uiCSP)
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, contentType, body)
	}
}
