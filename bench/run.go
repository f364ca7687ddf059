package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// The two systems compared.
const (
	Briefsearch = "briefsearch"
	FTS5        = "fts5"
)

// Systems lists the systems in table order.
var Systems = []string{Briefsearch, FTS5}

// Options configures Run.
type Options struct {
	// CorpusDir holds the corpus files (../shared/corpus).
	CorpusDir string
	// Spec is the tier to load.
	Spec TierSpec
	// WorkDir holds the materialised input, the indexes, the mix and the
	// summaries (.cache/bench).
	WorkDir string
	// Briefsearch is the path of the briefsearch binary; Self the path of
	// the briefbench binary, which runs the FTS5 peer and the load
	// generator as subcommands.
	Briefsearch, Self string
	// Seed seeds the query mix.
	Seed uint64
	// IngestRuns is the number of ingest runs per system, alternating
	// ABBA (1: AB).
	IngestRuns int
	// SearchRuns is the number of runs per system and load mode,
	// alternating ABBA (1: AB); 0 measures ingest only.
	SearchRuns int
	// Concurrency lists the closed-loop modes.
	Concurrency []int
	// Rate is the open-loop rate in requests/s: 0 picks half the lowest
	// closed-loop QPS of the two systems; negative skips the open loop.
	Rate float64
	// Duration is the length of each search run (closed-loop runs also
	// finish one pass over the mix).
	Duration time.Duration
	// Log receives progress lines.
	Log io.Writer
}

// IngestRun is one measured ingest.
type IngestRun struct {
	WallS       float64 `json:"wall_s"`
	CPUS        float64 `json:"cpu_s"`
	PeakRSS     int64   `json:"peak_rss"`
	IndexBytes  int64   `json:"index_bytes"`
	Paragraphs  int     `json:"paragraphs"`
	Articles    int     `json:"articles"`
	InputBytes  int64   `json:"input_bytes"`
	ParasPerSec float64 `json:"paragraphs_per_s"`
}

// Ingest summarises a system's ingest runs (medians).
type Ingest struct {
	Runs        []IngestRun `json:"runs"`
	ParasPerSec float64     `json:"paragraphs_per_s"`
	MBPerSec    float64     `json:"mb_per_s"`
	CPUSPerMB   float64     `json:"cpu_s_per_mb"`
	PeakRSS     int64       `json:"peak_rss"`
	IndexBytes  int64       `json:"index_bytes"`
	Paragraphs  int         `json:"paragraphs"`
}

// RunFigures summarises one system's runs in one load mode.
type RunFigures struct {
	Runs          int                `json:"runs"`
	Requests      int                `json:"requests"`
	Errors        int                `json:"errors"`
	QPS           float64            `json:"qps"`
	RunQPS        []float64          `json:"run_qps"`
	RunP50        []float64          `json:"run_p50_ms"`
	All           Latency            `json:"all"`
	ByClass       map[string]Latency `json:"by_class"`
	CPUMsPerQuery float64            `json:"cpu_ms_per_query"`
	MeanBytes     float64            `json:"mean_response_bytes"`
	RSS           int64              `json:"rss"`
	MaxInFlight   int                `json:"max_in_flight,omitempty"`
}

// Mode is one load mode: closed loop at a concurrency, or open loop at a
// rate.
type Mode struct {
	Name        string                 `json:"name"`
	Concurrency int                    `json:"concurrency,omitempty"`
	Rate        float64                `json:"rate,omitempty"`
	Systems     map[string]*RunFigures `json:"systems"`
}

// Check is what the checking pass saw of a system's answers per class.
type Check struct {
	MeanTotal map[string]float64 `json:"mean_total"`
	ZeroHits  map[string]int     `json:"zero_hits"`
	Errors    int                `json:"errors"`
}

// Summary is everything one Run measured.
type Summary struct {
	Label      string            `json:"label"`
	Describe   string            `json:"describe"`
	Date       time.Time         `json:"date"`
	Machine    Machine           `json:"machine"`
	Input      Input             `json:"input"`
	MixVersion int               `json:"mix_version"`
	MixSeed    uint64            `json:"mix_seed"`
	MixHash    string            `json:"mix_hash"`
	MixSize    int               `json:"mix_size"`
	MixClasses map[string]int    `json:"mix_classes"`
	Ingest     map[string]Ingest `json:"ingest"`
	Check      map[string]Check  `json:"check"`
	Modes      []Mode            `json:"modes"`
	// ServeRSS is each server's peak RSS over the search runs.
	ServeRSS map[string]int64 `json:"serve_rss"`
	// SearchableMS is the time from an acknowledged POST /v1/articles to
	// the first search that finds it (Briefsearch), and AckMS the POST.
	SearchableMS float64 `json:"searchable_ms"`
	AckMS        float64 `json:"ack_ms"`
	SearchRuns   int     `json:"search_runs"`
	DurationS    float64 `json:"duration_s"`
	TotalS       float64 `json:"total_s"`
}

// abba returns the order of n runs per system: A B B A A B B A …
func abba(n int) []string {
	var out []string
	for i := range n {
		if i%2 == 0 {
			out = append(out, Briefsearch, FTS5)
		} else {
			out = append(out, FTS5, Briefsearch)
		}
	}
	return out
}

// Run loads the tier, measures both systems' ingest and search, and
// returns the summary. Every measured program runs in its own process.
func Run(ctx context.Context, o Options) (*Summary, error) {
	began := time.Now()
	logf := func(format string, args ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
		}
	}
	for _, p := range []string{o.Briefsearch, o.Self} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("binary %s: %w (make bench builds it)", p, err)
		}
	}
	o.IngestRuns, o.SearchRuns = max(o.IngestRuns, 1), max(o.SearchRuns, 0)
	in, err := Materialize(o.CorpusDir, o.Spec, o.WorkDir)
	if err != nil {
		return nil, err
	}
	s := &Summary{Label: o.Spec.Label(), Describe: o.Spec.Describe(), Date: time.Now().UTC(), Machine: ThisMachine(),
		Input: in, Ingest: map[string]Ingest{}, Check: map[string]Check{}, ServeRSS: map[string]int64{},
		SearchRuns: o.SearchRuns, DurationS: o.Duration.Seconds()}
	logf("input: %s: %d articles, %d blank-line paragraphs, %.1f MB in %d files", s.Describe, in.Articles, in.Paragraphs,
		float64(in.Bytes)/1e6, len(in.Files))

	// The query mix, from the first copy of the tier.
	var first []string
	for _, f := range in.Files {
		if !copyRE.MatchString(f) {
			first = append(first, f)
		}
	}
	articles, errs := index.ReadAll(first...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("read input: %w", errors.Join(errs...))
	}
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		return nil, err
	}
	mix, err := GenerateMix(articles, tagger, o.Spec.Name, o.Seed)
	if err != nil {
		return nil, err
	}
	articles = nil
	s.MixVersion, s.MixSeed, s.MixHash, s.MixSize = mix.Version, mix.Seed, mix.Hash(), len(mix.Queries)
	s.MixClasses = map[string]int{}
	for _, q := range mix.Queries {
		s.MixClasses[q.Class]++
	}
	runDir := filepath.Join(o.WorkDir, "run-"+s.Label)
	if err := os.RemoveAll(runDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return nil, err
	}
	mixFile := filepath.Join(runDir, "mix.json")
	if b, err := json.Marshal(mix); err != nil {
		return nil, err
	} else if err := os.WriteFile(mixFile, b, 0o644); err != nil {
		return nil, err
	}
	logf("query mix v%d seed %d: %d queries, hash %s", mix.Version, mix.Seed, len(mix.Queries), s.MixHash)

	// Ingest, ABBA; the last index of each system is served.
	dirs := map[string]string{}
	runs := map[string][]IngestRun{}
	for i, sys := range abba(o.IngestRuns) {
		dir := filepath.Join(runDir, fmt.Sprintf("%s-%d", sys, i))
		r, err := ingestOnce(ctx, o, sys, dir, in)
		if err != nil {
			return nil, err
		}
		logf("ingest %-11s %7d paragraphs in %6.1f s: %7.0f paragraphs/s, CPU %5.1f s, peak RSS %s, index %s",
			sys, r.Paragraphs, r.WallS, r.ParasPerSec, r.CPUS, mb(r.PeakRSS), mb(r.IndexBytes))
		runs[sys] = append(runs[sys], r)
		if old := dirs[sys]; old != "" {
			_ = os.RemoveAll(old)
		}
		dirs[sys] = dir
	}
	for _, sys := range Systems {
		s.Ingest[sys] = summarizeIngest(runs[sys])
	}
	if o.SearchRuns == 0 {
		s.TotalS = time.Since(began).Seconds()
		return s, nil
	}

	// Search.
	servers := map[string]*server{}
	defer func() {
		for _, sv := range servers {
			sv.stop()
		}
	}()
	for _, sys := range Systems {
		sv, err := startServer(ctx, o, sys, dirs[sys], runDir)
		if err != nil {
			return nil, err
		}
		servers[sys] = sv
		logf("serving %s at %s", sys, sv.url)
	}
	// The checking pass warms both up and says what each answered.
	for _, sys := range Systems {
		res, err := loadRun(ctx, o, servers[sys].url, mixFile, "-concurrency", "2", "-min-passes", "1", "-duration", "0s", "-totals")
		if err != nil {
			return nil, err
		}
		s.Check[sys] = check(mix, res)
		logf("check %s: %d answers, %d errors", sys, len(res.Samples), s.Check[sys].Errors)
	}
	measure := func(m *Mode, args ...string) error {
		m.Systems = map[string]*RunFigures{}
		var results = map[string][]LoadResult{}
		var cpu = map[string]float64{}
		for _, sys := range abba(o.SearchRuns) {
			sv := servers[sys]
			c0, _ := ProcCPU(sv.pid())
			res, err := loadRun(ctx, o, sv.url, mixFile, append(args, "-duration", o.Duration.String())...)
			if err != nil {
				return err
			}
			c1, _ := ProcCPU(sv.pid())
			cpu[sys] += c1 - c0
			results[sys] = append(results[sys], res)
			n := len(res.Samples)
			logf("%-10s %-11s %6d requests in %5.1f s: %7.1f QPS", m.Name, sys, n, res.Elapsed, float64(n)/res.Elapsed)
		}
		for _, sys := range Systems {
			f := figures(mix, results[sys], cpu[sys])
			f.RSS, _, _ = ProcMemory(servers[sys].pid())
			m.Systems[sys] = f
		}
		return nil
	}
	for _, c := range o.Concurrency {
		m := Mode{Name: fmt.Sprintf("closed c=%d", c), Concurrency: c}
		if err := measure(&m, "-concurrency", strconv.Itoa(c), "-min-passes", "1"); err != nil {
			return nil, err
		}
		s.Modes = append(s.Modes, m)
	}
	rate := o.Rate
	if rate == 0 {
		for _, m := range s.Modes {
			for _, f := range m.Systems {
				if rate == 0 || f.QPS/2 < rate {
					rate = f.QPS / 2
				}
			}
		}
		rate = max(1, float64(int(rate)))
	}
	if rate > 0 {
		m := Mode{Name: fmt.Sprintf("open %.0f/s", rate), Rate: rate}
		if err := measure(&m, "-rate", strconv.FormatFloat(rate, 'f', -1, 64)); err != nil {
			return nil, err
		}
		s.Modes = append(s.Modes, m)
	}
	for _, sys := range Systems {
		_, s.ServeRSS[sys], _ = ProcMemory(servers[sys].pid())
	}
	if s.AckMS, s.SearchableMS, err = searchable(ctx, servers[Briefsearch].url); err != nil {
		return nil, err
	}
	logf("an acknowledged ingest (%.1f ms) was searchable %.1f ms later", s.AckMS, s.SearchableMS)
	s.TotalS = time.Since(began).Seconds()
	return s, nil
}

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

// cleanEnv is the environment without BRIEFSEARCH_ settings, plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "BRIEFSEARCH_") {
			env = append(env, e)
		}
	}
	return append(env, extra...)
}

// copyRE matches the files of copies after the first (Materialize).
var copyRE = regexp.MustCompile(`-r\d+\.jsonl$`)

var ingestedRE = regexp.MustCompile(`ingested (\d+) articles \((\d+) paragraphs`)

// ingestOnce runs one system's ingest as a child process into a fresh dir.
func ingestOnce(ctx context.Context, o Options, sys, dir string, in Input) (IngestRun, error) {
	if err := os.RemoveAll(dir); err != nil {
		return IngestRun{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return IngestRun{}, err
	}
	var cmd *exec.Cmd
	if sys == Briefsearch {
		cmd = exec.CommandContext(ctx, o.Briefsearch, append([]string{"--index", filepath.Join(dir, "index.bleve"), "ingest"}, in.Files...)...)
	} else {
		cmd = exec.CommandContext(ctx, o.Self, append([]string{"fts5-ingest", "-db", filepath.Join(dir, "fts5.db")}, in.Files...)...)
	}
	cmd.Env = cleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		return IngestRun{}, fmt.Errorf("%s ingest: %w\n%s%s", sys, err, stdout.String(), tail(stderr.String(), 2000))
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := IngestRun{WallS: wall, InputBytes: in.Bytes}
	if ru != nil {
		r.CPUS = tv(ru.Utime) + tv(ru.Stime)
		r.PeakRSS = ru.Maxrss << 10 // kilobytes on Linux
	}
	if sys == Briefsearch {
		m := ingestedRE.FindStringSubmatch(stdout.String())
		if m == nil {
			return r, fmt.Errorf("briefsearch ingest: no summary in its output: %s", stdout.String())
		}
		r.Articles, _ = strconv.Atoi(m[1])
		r.Paragraphs, _ = strconv.Atoi(m[2])
	} else {
		var st FTSIngestStats
		if err := json.Unmarshal(stdout.Bytes(), &st); err != nil {
			return r, fmt.Errorf("fts5-ingest output %q: %w", stdout.String(), err)
		}
		r.Articles, r.Paragraphs = st.Articles, st.Paragraphs
	}
	if r.IndexBytes, err = DirBytes(dir); err != nil {
		return r, err
	}
	r.ParasPerSec = float64(r.Paragraphs) / wall
	return r, nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func summarizeIngest(runs []IngestRun) Ingest {
	g := Ingest{Runs: runs}
	var pps, mbs, cpu, rss, size []float64
	for _, r := range runs {
		pps = append(pps, r.ParasPerSec)
		mbs = append(mbs, float64(r.InputBytes)/1e6/r.WallS)
		cpu = append(cpu, r.CPUS/(float64(r.InputBytes)/1e6))
		rss = append(rss, float64(r.PeakRSS))
		size = append(size, float64(r.IndexBytes))
		g.Paragraphs = r.Paragraphs
	}
	g.ParasPerSec, g.MBPerSec, g.CPUSPerMB = Median(pps), Median(mbs), Median(cpu)
	g.PeakRSS, g.IndexBytes = int64(Median(rss)), int64(Median(size))
	return g
}

// server is a running service.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

var urlRE = regexp.MustCompile(`http://[0-9.:\[\]a-z]+`)

// startServer starts a system's server on a free loopback port and waits
// until it answers.
func startServer(ctx context.Context, o Options, sys, dir, logDir string) (*server, error) {
	var cmd *exec.Cmd
	if sys == Briefsearch {
		cmd = exec.CommandContext(ctx, o.Briefsearch, "serve")
		cmd.Env = cleanEnv("BRIEFSEARCH_INDEX_PATH="+filepath.Join(dir, "index.bleve"),
			"BRIEFSEARCH_SERVER_ADDR=127.0.0.1:0", "BRIEFSEARCH_LIMITS_SEARCH_RATE=0",
			"BRIEFSEARCH_LIMITS_INGEST_RATE=0", "BRIEFSEARCH_LOG_LEVEL=warn")
	} else {
		cmd = exec.CommandContext(ctx, o.Self, "fts5-serve", "-db", filepath.Join(dir, "fts5.db"), "-addr", "127.0.0.1:0")
		cmd.Env = cleanEnv()
	}
	stderr, err := os.Create(filepath.Join(logDir, sys+"-serve.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", sys, err)
	}
	sv := &server{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); stderr.Close(); close(sv.done) }()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		found := false
		for sc.Scan() {
			if u := urlRE.FindString(sc.Text()); u != "" && !found {
				found = true
				urls <- strings.TrimSuffix(u, "/")
			}
		}
	}()
	select {
	case sv.url = <-urls:
	case <-sv.done:
		return nil, fmt.Errorf("%s server exited at start (see %s)", sys, stderr.Name())
	case <-time.After(2 * time.Minute):
		sv.stop()
		return nil, fmt.Errorf("%s server did not start in 2 minutes", sys)
	}
	for range 600 {
		if res, err := http.Get(sv.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return sv, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	sv.stop()
	return nil, fmt.Errorf("%s server at %s never answered /healthz", sys, sv.url)
}

// loadRun runs the load generator as a child process and reads its result.
func loadRun(ctx context.Context, o Options, url, mixFile string, args ...string) (LoadResult, error) {
	cmd := exec.CommandContext(ctx, o.Self, append([]string{"load", "-url", url, "-mix", mixFile}, args...)...)
	cmd.Env = cleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return LoadResult{}, fmt.Errorf("load %s: %w: %s", url, err, tail(stderr.String(), 2000))
	}
	var res LoadResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return LoadResult{}, fmt.Errorf("load output: %w", err)
	}
	return res, nil
}

// check summarises the checking pass.
func check(mix Mix, res LoadResult) Check {
	c := Check{MeanTotal: map[string]float64{}, ZeroHits: map[string]int{}}
	n := map[string]int{}
	for _, smp := range res.Samples {
		if smp.Status != http.StatusOK {
			c.Errors++
			continue
		}
		class := mix.Queries[smp.Query].Class
		n[class]++
		c.MeanTotal[class] += float64(smp.Total)
		if smp.Total == 0 {
			c.ZeroHits[class]++
		}
	}
	for class := range c.MeanTotal {
		c.MeanTotal[class] /= float64(n[class])
	}
	return c
}

// figures summarises one system's runs of a mode.
func figures(mix Mix, results []LoadResult, cpuS float64) *RunFigures {
	f := &RunFigures{Runs: len(results), ByClass: map[string]Latency{}}
	var all []float64
	byClass := map[string][]float64{}
	var bytes float64
	for _, r := range results {
		var ms []float64
		for _, smp := range r.Samples {
			if smp.Status != http.StatusOK {
				f.Errors++
				continue
			}
			v := float64(smp.Micros) / 1000
			ms = append(ms, v)
			all = append(all, v)
			class := mix.Queries[smp.Query].Class
			byClass[class] = append(byClass[class], v)
			bytes += float64(smp.Bytes)
		}
		f.Requests += len(r.Samples)
		f.RunQPS = append(f.RunQPS, float64(len(r.Samples))/r.Elapsed)
		f.RunP50 = append(f.RunP50, Summarize(ms).P50)
		f.MaxInFlight = max(f.MaxInFlight, r.MaxInFlight)
	}
	f.All = Summarize(all)
	for class, ms := range byClass {
		f.ByClass[class] = Summarize(ms)
	}
	for _, q := range f.RunQPS {
		f.QPS += q / float64(len(f.RunQPS))
	}
	if len(all) > 0 {
		f.MeanBytes = bytes / float64(len(all))
	}
	if f.Requests > 0 {
		f.CPUMsPerQuery = cpuS * 1000 / float64(f.Requests)
	}
	return f
}

// searchable posts one article to Briefsearch and measures the POST and
// the time after its answer until a search finds the article.
func searchable(ctx context.Context, base string) (ackMS, visibleMS float64, err error) {
	token := "zqbenchprobe" + strconv.FormatInt(time.Now().UnixNano(), 36)
	body := fmt.Sprintf(`{"id":"bench-probe","title":"Benchmark probe","body":"The probe word is %s."}`, token)
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/articles", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("probe ingest: %w", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("probe ingest: status %d", res.StatusCode)
	}
	acked := time.Now()
	for time.Since(acked) < 30*time.Second {
		res, err := http.Get(base + "/v1/search?literal=true&q=" + token)
		if err != nil {
			return 0, 0, err
		}
		var r struct {
			Total int `json:"total"`
		}
		err = json.NewDecoder(res.Body).Decode(&r)
		res.Body.Close()
		if err == nil && r.Total > 0 {
			return float64(acked.Sub(start).Microseconds()) / 1000, float64(time.Since(acked).Microseconds()) / 1000, nil
		}
	}
	return 0, 0, fmt.Errorf("probe article not searchable 30 s after its ingest was acknowledged")
}

// SaveSummary writes s as JSON to dir/<label>.json.
func SaveSummary(dir string, s *Summary) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, s.Label+".json")
	return path, os.WriteFile(path, b, 0o644)
}

// LoadSummary reads a summary written by SaveSummary.
func LoadSummary(path string) (*Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
