package api_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkHTTPSearch sends a two-word search with three facets and
// highlights through a real HTTP server on loopback over the fixture
// corpus, and reports the median and 95th-percentile latency.
func BenchmarkHTTPSearch(b *testing.B) {
	srv, _ := newServer(b, corpus(b)...)
	url := srv.URL + "/v1/search?q=Iran+plots&facets=country,actor,topic"
	client := srv.Client()
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		res, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95_ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}
