// Command briefbench benchmarks Briefsearch against a SQLite FTS5 service
// doing the same job (issue 8; see package bench and bench/RESULTS.md).
//
//	briefbench run [-tier default|full] [-replicate N] [-max-paragraphs N] [-duration 30s] …
//	briefbench scaling [-sizes default,full/50000,full,fullx5/1000000] …
//
// and, run by those as separate processes:
//
//	briefbench fts5-ingest -db FILE PATH...   the FTS5 peer's ingest (prints JSON counts)
//	briefbench fts5-serve -db FILE [-addr A]  the FTS5 peer's HTTP service
//	briefbench load -url URL -mix FILE …      the load generator (prints JSON samples)
//	briefbench mix [-tier T] [-seed N]        print the query mix
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/briefsearch/briefsearch/bench"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "briefbench:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks a mistake in the command line (exit code 2).
type usageError struct{ error }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runBench(ctx, args, stdout, stderr)
	case "scaling":
		return runScaling(ctx, args, stdout, stderr)
	case "fts5-ingest":
		return ftsIngest(ctx, args, stdout, stderr)
	case "fts5-serve":
		return ftsServe(ctx, args, stdout, stderr)
	case "load":
		return load(ctx, args, stdout, stderr)
	case "mix":
		return printMix(args, stdout, stderr)
	}
	return usageError{fmt.Errorf("unknown command %q (want run, scaling, fts5-ingest, fts5-serve, load or mix)", cmd)}
}

// common are the flags of run and scaling.
type common struct {
	corpus, work, briefsearch, results string
	seed                               uint64
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.corpus, "corpus", "../shared/corpus", "directory of the corpus files")
	fs.StringVar(&c.work, "work", ".cache/bench", "directory for inputs, indexes and summaries")
	fs.StringVar(&c.briefsearch, "briefsearch", "bin/briefsearch", "the briefsearch binary to measure")
	fs.StringVar(&c.results, "results", "bench/RESULTS.md", "file whose bench section gets the tables (empty: none)")
	fs.Uint64Var(&c.seed, "seed", bench.DefaultSeed, "query mix seed")
}

func (c *common) options(stderr io.Writer) (bench.Options, error) {
	self, err := os.Executable()
	if err != nil {
		return bench.Options{}, err
	}
	return bench.Options{CorpusDir: c.corpus, WorkDir: c.work, Briefsearch: c.briefsearch, Self: self, Seed: c.seed, Log: stderr}, nil
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	return nil
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	tier := fs.String("tier", "default", "corpus tier: default (BBC + Wikinews) or full (+ Reuters + UN debates)")
	replicate := fs.Int("replicate", 1, "load the tier N times (copies get suffixed ids)")
	maxParas := fs.Int("max-paragraphs", 0, "stop loading after this many paragraphs (0: all)")
	ingestRuns := fs.Int("ingest-runs", 2, "ingest runs per system (ABBA)")
	searchRuns := fs.Int("search-runs", 2, "search runs per system and mode (ABBA); 0: ingest only, nothing saved")
	conc := fs.String("concurrency", "1,2,4", "closed-loop concurrencies")
	rate := fs.Float64("rate", 0, "open-loop requests/s (0: half the lowest closed-loop QPS; negative: none)")
	duration := fs.Duration("duration", 30*time.Second, "length of each search run")
	if err := parse(fs, args); err != nil {
		return err
	}
	o, err := c.options(stderr)
	if err != nil {
		return err
	}
	o.Spec = bench.TierSpec{Name: *tier, Replicate: *replicate, MaxParagraphs: *maxParas}
	o.IngestRuns, o.SearchRuns, o.Rate, o.Duration = *ingestRuns, *searchRuns, *rate, *duration
	if o.Concurrency, err = ints(*conc); err != nil {
		return usageError{fmt.Errorf("-concurrency: %w", err)}
	}
	s, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	if o.SearchRuns == 0 {
		fmt.Fprintln(stdout, s.IngestMarkdown())
		return nil
	}
	path, err := bench.SaveSummary(filepath.Join(c.work, "summaries"), s)
	if err != nil {
		return err
	}
	md := s.Markdown()
	fmt.Fprintln(stdout, md)
	fmt.Fprintf(stderr, "summary in %s\n", path)
	if c.results != "" {
		if err := bench.UpdateSection(c.results, "tier-"+s.Label, md); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "section tier-%s of %s updated\n", s.Label, c.results)
	}
	return nil
}

// parseSize reads a scaling size: TIER[xN][/MAX], e.g. fullx5/1000000.
func parseSize(s string) (bench.TierSpec, error) {
	spec := bench.TierSpec{Replicate: 1}
	if name, maxs, ok := strings.Cut(s, "/"); ok {
		n, err := strconv.Atoi(maxs)
		if err != nil || n <= 0 {
			return spec, fmt.Errorf("size %q: bad paragraph limit", s)
		}
		spec.MaxParagraphs, s = n, name
	}
	if i := strings.LastIndex(s, "x"); i > 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil {
			spec.Replicate, s = n, s[:i]
		}
	}
	if _, ok := bench.Tiers[s]; !ok {
		return spec, fmt.Errorf("size %q: unknown tier %q", s, s)
	}
	spec.Name = s
	return spec, nil
}

func runScaling(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scaling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	sizes := fs.String("sizes", "default,full/50000,full,fullx5/1000000", "comma list of TIER[xN][/MAX_PARAGRAPHS]")
	duration := fs.Duration("duration", 10*time.Second, "length of each search run (c=1; at least one pass over the mix)")
	reuse := fs.Bool("reuse", false, "reuse a size's saved summary instead of measuring it again")
	if err := parse(fs, args); err != nil {
		return err
	}
	o, err := c.options(stderr)
	if err != nil {
		return err
	}
	o.IngestRuns, o.SearchRuns, o.Rate, o.Duration, o.Concurrency = 1, 1, -1, *duration, []int{1}
	dir := filepath.Join(c.work, "scaling")
	var sums []*bench.Summary
	for _, size := range strings.Split(*sizes, ",") {
		spec, err := parseSize(strings.TrimSpace(size))
		if err != nil {
			return usageError{err}
		}
		if *reuse {
			if s, err := bench.LoadSummary(filepath.Join(dir, spec.Label()+".json")); err == nil {
				sums = append(sums, s)
				continue
			}
		}
		o.Spec = spec
		s, err := bench.Run(ctx, o)
		if err != nil {
			return err
		}
		if _, err := bench.SaveSummary(dir, s); err != nil {
			return err
		}
		sums = append(sums, s)
		// Each size's indexes are removed once measured: the largest take GBs.
		_ = os.RemoveAll(filepath.Join(c.work, "run-"+s.Label))
	}
	md := fmt.Sprintf("Machine: %s, %d cores, %s. One ingest and one c=1 search run per system and size (AB), "+
		"%s per search run and at least one pass over the mix. Figures are Briefsearch / FTS5.\n\n",
		sums[0].Machine.CPU, sums[0].Machine.Cores, sums[0].Machine.Go, *duration) + bench.ScalingMarkdown(sums)
	fmt.Fprintln(stdout, md)
	if c.results != "" {
		return bench.UpdateSection(c.results, "scaling", md)
	}
	return nil
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func ftsIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fts5-ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "FTS5 database file (created if missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" || fs.NArg() == 0 {
		return usageError{errors.New("fts5-ingest -db FILE PATH...")}
	}
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		return err
	}
	st, err := bench.IngestFTS(ctx, *db, fs.Args(), tagger, stderr)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(st)
}

func ftsServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fts5-serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "FTS5 database file written by fts5-ingest")
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := bench.OpenFTSServer(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "fts5-serve listening on http://%s/v1/search\n", ln.Addr())
	srv := &http.Server{Handler: s, ReadTimeout: 15 * time.Second, WriteTimeout: 60 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o bench.LoadOptions
	mixFile := fs.String("mix", "", "query mix file (JSON, as briefbench mix writes)")
	fs.StringVar(&o.URL, "url", "", "base URL of the service")
	fs.IntVar(&o.Concurrency, "concurrency", 1, "closed-loop clients")
	fs.Float64Var(&o.Rate, "rate", 0, "open loop at this many requests/s (instead of closed loop)")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "run length")
	fs.IntVar(&o.MinPasses, "min-passes", 0, "closed loop: at least this many passes over the mix")
	fs.IntVar(&o.Offset, "offset", 0, "position in the mix to start at")
	fs.BoolVar(&o.Totals, "totals", false, "decode each answer's total")
	if err := parse(fs, args); err != nil {
		return err
	}
	b, err := os.ReadFile(*mixFile)
	if err != nil {
		return err
	}
	var mix bench.Mix
	if err := json.Unmarshal(b, &mix); err != nil {
		return fmt.Errorf("%s: %w", *mixFile, err)
	}
	o.Queries = mix.Queries
	res, err := bench.Load(ctx, o)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(res)
}

func printMix(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	corpus := fs.String("corpus", "../shared/corpus", "directory of the corpus files")
	tier := fs.String("tier", "default", "corpus tier")
	seed := fs.Uint64("seed", bench.DefaultSeed, "seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	names, ok := bench.Tiers[*tier]
	if !ok {
		return usageError{fmt.Errorf("unknown tier %q", *tier)}
	}
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(*corpus, n))
	}
	articles, errs := index.ReadAll(paths...)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	tagger, err := enrich.New(enrich.Options{})
	if err != nil {
		return err
	}
	mix, err := bench.GenerateMix(articles, tagger, *tier, *seed)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", " ")
	return enc.Encode(mix)
}
