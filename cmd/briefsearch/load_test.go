package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad holds 32 concurrent clients against the real server for
// BRIEFSEARCH_LOADTEST (a duration, e.g. 60s; make loadtest), nine searches
// with facets for every ingest, over the sample corpus, and reports
// latencies, errors and the server's peak RSS. Any answer but 200 (or 429
// from a rate limit) fails it. Skipped unless the variable is set.
func TestLoad(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("BRIEFSEARCH_LOADTEST"))
	if err != nil {
		t.Skip("set BRIEFSEARCH_LOADTEST=60s to run the load test")
	}
	const workers = 32
	path := filepath.Join(t.TempDir(), "idx")
	cmd, base := startServer(t, path, "BRIEFSEARCH_LIMITS_SEARCH_RATE=0", "BRIEFSEARCH_LIMITS_INGEST_RATE=0")
	wire, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "wire.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := http.Post(base+"/v1/articles", "application/x-ndjson", strings.NewReader(string(wire))); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
	}
	queries := []string{"Iran plots", "Russian sabotage", "espionage", "MI5", "Chinese hackers", "terror attack", "court", "sanctions",
		"Islamic State", "prosecutors charged", "drone", "Hezbollah", "dissidents abroad", "cyber attack", "police arrested"}
	type sample struct {
		took   time.Duration
		ingest bool
	}
	var (
		mu      sync.Mutex
		samples []sample
		errs    = map[int]int{}
		limited int
	)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; time.Now().Before(deadline); i++ {
				var req *http.Request
				ingest := i%10 == 9
				if ingest {
					body := fmt.Sprintf(`{"id":"load-%d-%d","title":"Load test %d","body":"Police in Leeds arrested a man over an Iran-backed plot.\n\nProsecutors said the case was one of %d."}`, w, i, i, i)
					req, _ = http.NewRequest("POST", base+"/v1/articles", strings.NewReader(body))
				} else {
					q := queries[rng.IntN(len(queries))]
					req, _ = http.NewRequest("GET", base+"/v1/search?facets=country,actor,topic&q="+strings.ReplaceAll(q, " ", "+"), nil)
				}
				start := time.Now()
				res, err := client.Do(req)
				took := time.Since(start)
				status := 0
				if err == nil {
					status = res.StatusCode
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				mu.Lock()
				switch status {
				case http.StatusOK:
					samples = append(samples, sample{took, ingest})
				case http.StatusTooManyRequests:
					limited++
				default:
					errs[status]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rss := peakRSS(cmd.Process.Pid)
	pct := func(ingest bool, p float64) time.Duration {
		var ts []time.Duration
		for _, s := range samples {
			if s.ingest == ingest {
				ts = append(ts, s.took)
			}
		}
		if len(ts) == 0 {
			return 0
		}
		slices.Sort(ts)
		return ts[min(len(ts)-1, int(float64(len(ts))*p))]
	}
	n := len(samples)
	t.Logf("%d clients for %s: %d requests OK (%.0f/s), 429: %d, errors: %v", workers, d, n, float64(n)/d.Seconds(), limited, errs)
	t.Logf("search p50 %s p99 %s; ingest p50 %s p99 %s; server peak RSS %s",
		pct(false, .5), pct(false, .99), pct(true, .5), pct(true, .99), rss)
	if len(errs) > 0 {
		t.Errorf("errors under load: %v (status 0: no answer)", errs)
	}
}

// peakRSS reads a process's peak resident set size from /proc.
func peakRSS(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}
