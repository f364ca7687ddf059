package api

import (
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// DefaultBodyLimit bounds request bodies when Options.BodyLimit is zero.
const DefaultBodyLimit = 32 << 20

// Options configures the HTTP API.
type Options struct {
	// BodyLimit bounds the size of a request body in bytes.
	BodyLimit int64
	// MaxArticles bounds the articles of one ingest request (0: none).
	MaxArticles int
	// Logger receives request logs and internal errors; nil discards them.
	Logger *slog.Logger
	// CORSOrigins are the web origins whose pages may call the API from a
	// browser ("*" for any); empty disables CORS. Only Handler applies it:
	// a program that mounts the routes with Register handles CORS itself.
	CORSOrigins []string
	// Keys are the API keys (see Role and Key). With any, every /v1 route
	// and /metrics need a key sent as "Authorization: Bearer KEY" or
	// "X-API-Key: KEY"; /healthz, /readyz and the search page stay open.
	// With none, every request is allowed.
	Keys []Key
	// Limits bounds request rates per client; the zero value sets none.
	Limits Limits
}

// API is Briefsearch's HTTP surface over an index and a searcher. It holds
// no search logic of its own: it binds parameters, calls the index or the
// searcher and renders their answers or errors.
type API struct {
	ix       *index.Index
	searcher *search.Searcher
	opts     Options
	log      *slog.Logger
	keys     keyring
	searchRL *limiter
	ingestRL *limiter
	rejected atomic.Int64 // requests refused by a rate limit
	metrics  *metrics
	ready    atomic.Bool
}

// New returns the API over ix and s. It reports ready at once; see
// SetReady.
func New(ix *index.Index, s *search.Searcher, opts Options) *API {
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{ix: ix, searcher: s, opts: opts, log: log, keys: newKeyring(opts.Keys),
		searchRL: newLimiter(opts.Limits.SearchRate, opts.Limits.SearchBurst),
		ingestRL: newLimiter(opts.Limits.IngestRate, opts.Limits.IngestBurst)}
	a.metrics = newMetrics(a)
	a.ready.Store(true)
	return a
}

// SetReady sets what GET /readyz answers: a server marks itself not ready
// while it shuts down.
func (a *API) SetReady(ready bool) { a.ready.Store(ready) }

// Register adds the API's routes to r, which may be a gin engine or a
// group under a prefix of the embedding program's own router. The search
// page is served at the root of r ("/" or "<prefix>/"), the widget and the
// client module at "widget.js" and "client.js" beside it.
func (a *API) Register(r gin.IRouter) {
	r.GET("/", a.uiFile("ui/index.html", "text/html; charset=utf-8", pageAsset))
	r.GET("/ui/app.js", a.uiFile("ui/app.js", "text/javascript; charset=utf-8", pageAsset))
	r.GET("/client.js", a.uiFile("ui/client.js", "text/javascript; charset=utf-8", embeddable))
	r.GET("/widget.js", a.uiFile("ui/widget.js", "text/javascript; charset=utf-8", embeddable))
	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)
	r.GET("/metrics", a.authorize(RoleAdmin), a.metricsHandler)

	v1 := r.Group("/v1")
	reader, admin := a.authorize(RoleSearch), a.authorize(RoleAdmin)
	reads, writes := a.limit(a.searchRL), a.limit(a.ingestRL)
	v1.GET("/search", reader, reads, a.search)
	v1.GET("/facets/:field", reader, reads, a.facetValues)
	v1.GET("/stats", admin, reads, a.stats)
	v1.GET("/openapi.json", reader, reads, a.openapi)
	v1.POST("/articles", admin, writes, a.ingest)
	v1.GET("/articles/*id", reader, reads, a.article) // catch-all: ids may contain "/"
	v1.GET("/similar/*id", reader, reads, a.similar)  // a paragraph id: "<article id>#<n>"
	v1.DELETE("/articles/*id", admin, writes, a.deleteArticle)
	v1.POST("/admin/backup", admin, writes, a.backup)
}

// Handler returns a complete http.Handler: a gin engine with request
// logging, panic recovery, gzip for clients that accept it, problem+json
// answers for unknown routes and methods, and the API's routes mounted
// under prefix ("" for the root).
func (a *API) Handler(prefix string) http.Handler {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	// The client's address is the connection's: X-Forwarded-For is not
	// trusted, so a client cannot dodge its rate limit by sending one.
	_ = e.SetTrustedProxies(nil)
	e.Use(a.logRequests, a.recover, secureHeaders, a.compress)
	if len(a.opts.CORSOrigins) > 0 {
		e.Use(a.cors)
	}
	e.NoRoute(func(c *gin.Context) {
		a.problem(c, http.StatusNotFound, "no such endpoint: "+c.Request.Method+" "+c.Request.URL.Path)
	})
	e.NoMethod(func(c *gin.Context) {
		a.problem(c, http.StatusMethodNotAllowed, "method "+c.Request.Method+" is not allowed on "+c.Request.URL.Path)
	})
	if prefix == "" || prefix == "/" {
		a.Register(e)
	} else {
		a.Register(e.Group(prefix))
	}
	return e
}
