package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// LoadOptions configures one load run (Load).
type LoadOptions struct {
	// URL is the service's base URL; requests go to URL + "/v1/search?…".
	URL string
	// Queries is the mix, replayed in order from Offset, cycling.
	Queries []Query
	// Concurrency is the number of closed-loop clients, each sending its
	// next request when the last is answered. Ignored when Rate is set.
	Concurrency int
	// Rate, if positive, makes the run open loop: requests are sent at
	// Rate per second on a fixed schedule whatever the answers do, and each
	// latency is measured from the request's scheduled time.
	Rate float64
	// Duration is how long the run lasts: closed loop, until it has passed
	// and MinPasses passes over the mix are done; open loop, Rate × Duration
	// requests.
	Duration time.Duration
	// MinPasses is the least number of passes over the mix a closed-loop
	// run makes (0: time only).
	MinPasses int
	// Offset is the position in the mix of the first request.
	Offset int
	// Totals decodes each answer's "total" into the samples (costs client
	// CPU; for the checking pass, not for measured runs).
	Totals bool
}

// Sample is one request of a load run.
type Sample struct {
	// Query is the position of the query in the mix.
	Query int `json:"q"`
	// Micros is the latency in microseconds: from sending (closed loop)
	// or from the scheduled time (open loop) to the end of the answer.
	Micros int64 `json:"us"`
	// Bytes is the size of the answer's body.
	Bytes int `json:"b"`
	// Status is the HTTP status, 0 when there was no answer.
	Status int `json:"s"`
	// Total is the answer's "total" (only with LoadOptions.Totals).
	Total int `json:"t,omitempty"`
}

// LoadResult is what a load run measured.
type LoadResult struct {
	// Elapsed is the run's wall time in seconds.
	Elapsed float64 `json:"elapsed_s"`
	// MaxInFlight is the most requests outstanding at once (open loop).
	MaxInFlight int      `json:"max_in_flight,omitempty"`
	Samples     []Sample `json:"samples"`
}

// maxInFlight bounds the requests an open-loop run keeps outstanding; a
// request waiting for a slot still has its latency counted from its
// scheduled time.
const maxInFlight = 512

// Load runs one load run against a service.
func Load(ctx context.Context, opts LoadOptions) (LoadResult, error) {
	if len(opts.Queries) == 0 {
		return LoadResult{}, fmt.Errorf("load: no queries")
	}
	conns := max(opts.Concurrency, 1)
	if opts.Rate > 0 {
		conns = 64
	}
	tr := &http.Transport{DisableCompression: true, MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	urls := make([]string, len(opts.Queries))
	for i, q := range opts.Queries {
		urls[i] = opts.URL + "/v1/search?" + q.Values().Encode()
	}
	do := func(i int, from time.Time, buf *bytes.Buffer) Sample {
		qi := (opts.Offset + i) % len(urls)
		s := Sample{Query: qi}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, urls[qi], nil)
		if err == nil {
			var res *http.Response
			if res, err = client.Do(req); err == nil {
				buf.Reset()
				_, err = io.Copy(buf, res.Body)
				res.Body.Close()
				s.Status, s.Bytes = res.StatusCode, buf.Len()
			}
		}
		s.Micros = time.Since(from).Microseconds()
		if err == nil && opts.Totals && s.Status == http.StatusOK {
			var t struct {
				Total int `json:"total"`
			}
			if json.Unmarshal(buf.Bytes(), &t) == nil {
				s.Total = t.Total
			}
		}
		if err != nil {
			s.Status = 0
		}
		return s
	}

	var (
		mu      sync.Mutex
		samples []Sample
		res     LoadResult
	)
	start := time.Now()
	if opts.Rate > 0 {
		n := max(1, int(opts.Rate*opts.Duration.Seconds()))
		interval := time.Duration(float64(time.Second) / opts.Rate)
		sem := make(chan struct{}, maxInFlight)
		var wg sync.WaitGroup
		var inFlight, peak atomic.Int64
		pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
		for i := range n {
			at := start.Add(time.Duration(i) * interval)
			if d := time.Until(at); d > 0 {
				select {
				case <-time.After(d):
				case <-ctx.Done():
					return res, ctx.Err()
				}
			}
			sem <- struct{}{}
			if v := inFlight.Add(1); v > peak.Load() {
				peak.Store(v)
			}
			wg.Go(func() {
				buf := pool.Get().(*bytes.Buffer)
				s := do(i, at, buf)
				pool.Put(buf)
				inFlight.Add(-1)
				<-sem
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
			})
		}
		wg.Wait()
		res.MaxInFlight = int(peak.Load())
	} else {
		deadline := start.Add(opts.Duration)
		need := int64(opts.MinPasses * len(urls))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range conns {
			wg.Go(func() {
				var buf bytes.Buffer
				var mine []Sample
				for ctx.Err() == nil {
					i := next.Add(1) - 1
					if i >= need && !time.Now().Before(deadline) {
						break
					}
					mine = append(mine, do(int(i), time.Now(), &buf))
				}
				mu.Lock()
				samples = append(samples, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	res.Elapsed = time.Since(start).Seconds()
	res.Samples = samples
	return res, ctx.Err()
}
