package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the API's Prometheus metrics, in a registry of its own (an
// embedding program's default registry is left alone).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	search   prometheus.Histogram
	phases   *prometheus.HistogramVec
	articles prometheus.Counter
	paras    prometheus.Counter
	rejected prometheus.Counter
	handler  http.Handler
}

func newMetrics(a *API) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "briefsearch_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "briefsearch_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route"})
	m.search = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "briefsearch_search_duration_seconds", Help: "Time the search package took per search (query, facets, highlights), without HTTP.",
		Buckets: []float64{.00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
	})
	m.phases = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "briefsearch_search_phase_seconds", Help: "Time per search phase: query (parse and understand), search (bleve), hits (fields, highlights, context).",
		Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .1, 1},
	}, []string{"phase"})
	m.articles = prometheus.NewCounter(prometheus.CounterOpts{Name: "briefsearch_ingest_articles_total", Help: "Articles indexed through the API."})
	m.paras = prometheus.NewCounter(prometheus.CounterOpts{Name: "briefsearch_ingest_paragraphs_total", Help: "Paragraphs indexed through the API."})
	m.rejected = prometheus.NewCounter(prometheus.CounterOpts{Name: "briefsearch_ingest_rejected_records_total", Help: "Records rejected in ingest requests."})
	m.reg.MustRegister(m.requests, m.latency, m.search, m.phases, m.articles, m.paras, m.rejected,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "briefsearch_rate_limited_total", Help: "Requests refused by a rate limit (429).",
		}, func() float64 { return float64(a.rejected.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "briefsearch_index_documents", Help: "Paragraphs (bleve documents) in the index.",
		}, func() float64 {
			n, err := a.ix.Bleve().DocCount()
			if err != nil {
				return 0
			}
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "briefsearch_index_disk_bytes", Help: "Size of the index's files (0 in memory).",
		}, func() float64 {
			n, _ := a.ix.DiskBytes()
			return float64(n)
		}),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// The API gzips answers itself.
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{DisableCompression: true})
	return m
}

// observe records a finished request.
func (m *metrics) observe(c *gin.Context, took time.Duration) {
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, c.Request.Method, statusClass(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// statusClass keeps the status label's cardinality small but useful.
func statusClass(status int) string {
	switch status {
	case 200, 204, 400, 401, 403, 404, 413, 422, 429, 500, 503:
		return http.StatusText(status)
	}
	return map[int]string{1: "1xx", 2: "2xx", 3: "3xx", 4: "4xx", 5: "5xx"}[status/100]
}

func (a *API) metricsHandler(c *gin.Context) {
	a.metrics.handler.ServeHTTP(c.Writer, c.Request)
}
