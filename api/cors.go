package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
)

// cors lets pages from the configured origins call the API: it answers
// preflight requests itself and marks allowed responses. Requests from
// other origins get no CORS headers, so browsers refuse them.
func (a *API) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	if origin == "" {
		c.Next()
		return
	}
	h := c.Writer.Header()
	h.Add("Vary", "Origin")
	anyOrigin := slices.Contains(a.opts.CORSOrigins, "*")
	if !anyOrigin && !slices.Contains(a.opts.CORSOrigins, origin) {
		c.Next()
		return
	}
	if anyOrigin {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key")
		h.Set("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}
