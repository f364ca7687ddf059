package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/briefsearch/briefsearch/api"
	"github.com/briefsearch/briefsearch/config"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func newRootCmd(ctx context.Context, environ []string, stdout, stderr io.Writer) *cobra.Command {
	var configFile string
	root := &cobra.Command{
		Use:           "briefsearch",
		Short:         "Full-text search over intelligence-briefing coverage",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&configFile, "config", "", "configuration file (YAML; also "+config.EnvConfigFile+")")
	config.BindFlags(root.PersistentFlags())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())}
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }

	load := func(cmd *cobra.Command) (config.Config, error) {
		return config.Load(config.Options{File: configFile, Environ: environ, Flags: cmd.Flags()})
	}
	open := func(cmd *cobra.Command, use access) (config.Config, *slog.Logger, *index.Index, error) {
		cfg, err := load(cmd)
		if err != nil {
			return cfg, nil, nil, err
		}
		ix, err := index.Open(ctx, index.Options{
			Path:      cfg.Index.Path,
			BatchSize: cfg.Index.BatchSize,
			MaxChunk:  cfg.Index.MaxChunk,
			Gazetteer: cfg.Index.Gazetteer,
			ReadOnly:  use == readOnly,
			BulkLoad:  use == bulkLoad,
		})
		return cfg, cfg.Log.Logger(stderr), ix, err
	}

	root.AddCommand(
		newServeCmd(ctx, open, stdout),
		newIngestCmd(ctx, open, stdout, stderr),
		newSearchCmd(ctx, open, stdout),
		newBackupCmd(ctx, open, environ, stdout),
		newRestoreCmd(ctx, load, stdout),
		&cobra.Command{
			Use:   "version",
			Short: "Print the version",
			Args:  cobra.NoArgs,
			RunE: func(*cobra.Command, []string) error {
				_, err := fmt.Fprintln(stdout, "briefsearch", versionString())
				return err
			},
		},
	)
	for _, c := range root.Commands() {
		c.SilenceUsage = true
		if check := c.Args; check != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return usageError{err}
				}
				return nil
			}
		}
	}
	return root
}

// opener loads the configuration and opens the index it names, for a use.
type opener func(cmd *cobra.Command, use access) (config.Config, *slog.Logger, *index.Index, error)

// access is what a command opens the index for.
type access int

const (
	readWrite access = iota // serving: searches and ingests as they come
	readOnly                // searching, backing up
	bulkLoad                // the ingest command: many articles at once
)

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func searchOptions(cfg config.Config) (search.Options, error) {
	opts := search.Options{
		DefaultLimit: cfg.Search.DefaultLimit,
		MaxLimit:     cfg.Search.MaxLimit,
		FacetSize:    cfg.Search.FacetSize,
		MaxFacetSize: cfg.Search.MaxFacetSize,
		MaxQuery:     cfg.Search.MaxQuery,
		MaxTerms:     cfg.Search.MaxTerms,
		Timeout:      cfg.Search.Timeout,
		Parallel:     cfg.Search.Parallel,
	}
	if cfg.Search.Synonyms != "" {
		syn, err := search.LoadSynonyms(cfg.Search.Synonyms)
		if err != nil {
			return opts, fmt.Errorf("search.synonyms: %w", err)
		}
		opts.Synonyms = syn
	}
	return opts, nil
}

func newServeCmd(ctx context.Context, open opener, stdout io.Writer) *cobra.Command {
	var loadSample bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API",
		Long: "Serve the HTTP API on server.addr until SIGINT or SIGTERM, then shut down\n" +
			"gracefully and close the index. With --load-sample, an empty index is first\n" +
			"filled with the articles under index.sample.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, ix, err := open(cmd, readWrite)
			if err != nil {
				return err
			}
			keys, err := apiKeys(cfg.Auth)
			if err != nil {
				_ = ix.Close()
				return err
			}
			if len(keys) == 0 && cfg.Server.Public() && !cfg.Server.InsecurePublic {
				_ = ix.Close()
				return usageError{fmt.Errorf("refusing to serve %s without API keys: anyone who can reach it could ingest and delete "+
					"articles. Set auth.admin_keys / auth.search_keys (BRIEFSEARCH_AUTH_ADMIN_KEYS, BRIEFSEARCH_AUTH_SEARCH_KEYS), "+
					"listen on 127.0.0.1, or set server.insecure_public: true (BRIEFSEARCH_SERVER_INSECURE_PUBLIC=true)", cfg.Server.Addr)}
			}
			if loadSample {
				if err := loadSampleIfEmpty(ctx, ix, cfg.Index.Sample, log); err != nil {
					_ = ix.Close()
					return err
				}
			}
			ln, err := net.Listen("tcp", cfg.Server.Addr)
			if err != nil {
				_ = ix.Close()
				return fmt.Errorf("listen: %w", err)
			}
			base := "http://" + ln.Addr().String() + cfg.Server.BasePath
			fmt.Fprintf(stdout, "briefsearch %s serving %s/ (search page) and %s/v1/search (index %s)\n",
				versionString(), base, base, cfg.Index.Path)
			gin.SetMode(gin.ReleaseMode)
			sopts, err := searchOptions(cfg)
			if err != nil {
				_ = ix.Close()
				return usageError{err}
			}
			a := api.New(ix, search.New(ix, sopts), api.Options{
				BodyLimit:   cfg.Server.BodyLimit,
				MaxArticles: cfg.Server.MaxArticles,
				Logger:      log,
				CORSOrigins: cfg.Server.Origins(),
				Keys:        keys,
				Limits: api.Limits{
					SearchRate: cfg.Limits.SearchRate, SearchBurst: cfg.Limits.SearchBurst,
					IngestRate: cfg.Limits.IngestRate, IngestBurst: cfg.Limits.IngestBurst,
				},
			})
			if len(keys) > 0 {
				log.Info("API keys required", "keys", len(keys))
			}
			serveErr := api.Serve(ctx, ln, a.Handler(cfg.Server.BasePath), a, api.ServerOptions{
				ReadTimeout:     cfg.Server.ReadTimeout,
				WriteTimeout:    cfg.Server.WriteTimeout,
				IdleTimeout:     cfg.Server.IdleTimeout,
				ShutdownTimeout: cfg.Server.ShutdownTimeout,
				Logger:          log,
			})
			closeErr := ix.Close()
			if serveErr == nil {
				log.Info("stopped; index closed", "path", cfg.Index.Path)
			}
			return errors.Join(serveErr, closeErr)
		},
	}
	cmd.Flags().BoolVar(&loadSample, "load-sample", false, "load the sample corpus (index.sample) if the index is empty")
	return cmd
}

// apiKeys turns the configured keys into the API's, parsing their scopes.
func apiKeys(auth config.Auth) ([]api.Key, error) {
	configured, err := auth.Keys()
	if err != nil {
		return nil, err
	}
	keys := make([]api.Key, 0, len(configured))
	for _, k := range configured {
		key := api.Key{Value: k.Value, Role: api.RoleSearch}
		if k.Admin {
			key.Role = api.RoleAdmin
		}
		if key.Scope, err = api.ParseScope(k.Scope); err != nil {
			return nil, fmt.Errorf("auth.keys_file: %w", err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// loadSampleIfEmpty ingests dir when ix holds no article yet.
func loadSampleIfEmpty(ctx context.Context, ix *index.Index, dir string, log *slog.Logger) error {
	st, err := ix.Stats(ctx)
	if err != nil {
		return err
	}
	if st.Articles > 0 {
		log.Info("index not empty; sample not loaded", "articles", st.Articles)
		return nil
	}
	start := time.Now()
	sum, err := ingestPaths(ctx, ix, []string{dir}, nil, nil)
	if err != nil {
		return fmt.Errorf("load sample %s: %w", dir, err)
	}
	for _, e := range sum.errs {
		log.Warn("sample record rejected", "err", e)
	}
	log.Info("sample loaded", "dir", dir, "articles", sum.stats.Articles,
		"paragraphs", sum.stats.Paragraphs, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func newIngestCmd(ctx context.Context, open opener, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Index articles from files or directories (- for stdin)",
		Long: "Index articles from JSON, NDJSON (.json, .ndjson, .jsonl), text and Markdown\n" +
			"(.txt, .md) files, also gzipped (.gz); \"-\" reads JSON or NDJSON from stdin.\n" +
			"Directories are walked recursively; inside them hidden\n" +
			"files and README files are skipped. Articles whose id is already indexed are\n" +
			"replaced. Bad records are reported with file and line; the others are still\n" +
			"indexed, and the exit code is 1.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			// The files are read while the index opens (loading the
			// gazetteers takes a moment).
			r := readGroups(ctx, paths, cmd.InOrStdin())
			_, _, ix, err := open(cmd, bulkLoad)
			if err != nil {
				_ = r.stop()
				return err
			}
			var progress func(ingestSummary)
			if f, ok := stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
				progress = func(s ingestSummary) {
					fmt.Fprintf(stderr, "\r%d files, %d articles, %d paragraphs…", s.files, s.stats.Articles, s.stats.Paragraphs)
				}
			}
			start := time.Now()
			sum, err := ingestGroups(ctx, ix, r, progress)
			if progress != nil {
				fmt.Fprint(stderr, "\r\033[K")
			}
			closeErr := ix.Close()
			for _, e := range sum.errs {
				fmt.Fprintln(stderr, "error:", e)
			}
			took := time.Since(start)
			fmt.Fprintf(stdout, "ingested %d articles (%d paragraphs, %d replaced) from %d files in %s (%.0f paragraphs/s); %d errors\n",
				sum.stats.Articles, sum.stats.Paragraphs, sum.stats.Replaced, sum.files,
				took.Round(time.Millisecond), float64(sum.stats.Paragraphs)/took.Seconds(), len(sum.errs))
			if err := errors.Join(err, closeErr); err != nil {
				return err
			}
			if len(sum.errs) > 0 {
				return errReported
			}
			return nil
		},
	}
}

// ingestSummary totals an ingest run.
type ingestSummary struct {
	files int
	stats index.IngestStats
	errs  []error
}

// Articles are handed to Index.Ingest in groups of about ingestGroupBytes
// of text (at most ingestGroupArticles articles): within a call, Ingest
// prepares the next batch while it writes the last, so larger groups keep
// both busy for longer. The next group is read while one is ingested, so
// the command holds at most two groups in memory besides the index.
var (
	ingestGroupBytes    = 16 << 20
	ingestGroupArticles = 20000
)

// articleGroup is what the reader of an ingest hands on for one Ingest
// call: articles, the file each came from, and the files finished and
// their bad records since the last group.
type articleGroup struct {
	articles []index.Article
	from     []string
	files    int
	errs     []error
}

// groupReader reads the files of an ingest into groups in its own
// goroutine, one group ahead of the Ingest calls: decoding JSON costs
// about a tenth of an ingest, which would otherwise wait for it.
type groupReader struct {
	groups <-chan articleGroup
	cancel context.CancelFunc
	done   chan struct{}
	err    error // why reading stopped early; set before done closes
}

// readGroups starts reading paths (see index.WalkEach; "-" reads JSON or
// NDJSON from stdin). Receive from groups until it closes, then call wait.
func readGroups(ctx context.Context, paths []string, stdin io.Reader) *groupReader {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan articleGroup)
	r := &groupReader{groups: ch, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer close(ch)
		var g articleGroup
		bytes := 0
		send := func() error {
			select {
			case ch <- g:
				g, bytes = articleGroup{}, 0
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		add := func(path string, a index.Article) error {
			g.articles = append(g.articles, a)
			g.from = append(g.from, path)
			bytes += len(a.Body) + len(a.Title)
			if bytes >= ingestGroupBytes || len(g.articles) == ingestGroupArticles {
				return send()
			}
			return nil
		}
		done := func(_ string, errs []error) error {
			g.files++
			g.errs = append(g.errs, errs...)
			return nil
		}
		for _, p := range paths {
			var err error
			if p == "-" {
				var errs []error
				errs, err = index.DecodeEach(stdin, "stdin", func(a index.Article, _, _ int) error { return add("stdin", a) })
				if err == nil {
					err = done("stdin", errs)
				}
			} else {
				// Files are read as they are ingested, never whole.
				err = index.WalkEach([]string{p}, add, done)
			}
			if err != nil {
				r.err = err
				return
			}
		}
		if len(g.articles) > 0 || g.files > 0 || len(g.errs) > 0 {
			r.err = send()
		}
	}()
	return r
}

// stop ends the reading early (if it has not ended) and returns why it
// stopped early, if it did.
func (r *groupReader) stop() error {
	r.cancel()
	<-r.done
	return r.err
}

// ingestPaths ingests files and directories (see index.Walk); "-" reads
// JSON or NDJSON from stdin. Articles from many files are gathered into
// one Ingest call (durable batch by batch) per group.
// Bad records and unreadable files are collected in the summary; the error
// is for failures to write the index (or a cancelled ctx), which stop the
// run.
func ingestPaths(ctx context.Context, ix *index.Index, paths []string, stdin io.Reader, progress func(ingestSummary)) (ingestSummary, error) {
	return ingestGroups(ctx, ix, readGroups(ctx, paths, stdin), progress)
}

// ingestGroups ingests the groups r reads, in order, and stops r.
func ingestGroups(ctx context.Context, ix *index.Index, r *groupReader, progress func(ingestSummary)) (ingestSummary, error) {
	var sum ingestSummary
	for g := range r.groups {
		sum.files += g.files
		sum.errs = append(sum.errs, g.errs...)
		if len(g.articles) == 0 {
			continue
		}
		st, err := ix.Ingest(ctx, g.articles...)
		sum.stats.Add(st)
		if err != nil && !errors.Is(err, index.ErrInvalid) {
			_ = r.stop()
			return sum, err
		}
		for _, ae := range index.Rejected(err) {
			sum.errs = append(sum.errs, fmt.Errorf("%s: %w", g.from[ae.Position], ae))
		}
		if progress != nil {
			progress(sum)
		}
	}
	return sum, r.stop()
}

func newSearchCmd(ctx context.Context, open opener, stdout io.Writer) *cobra.Command {
	var (
		req         search.Request
		facets      string
		after       string
		before      string
		sort        string
		jsonOut     bool
		showAllText bool
		fragments   int
		recency     string
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the index directly (no server needed)",
		Long: "Search the index with bleve query-string syntax: words, \"phrases\", +must,\n" +
			"-not, field:value. Filters repeat (OR within a field, AND across fields).\n" +
			"The index is opened read-only; a running server holds it, so stop it or\n" +
			"use the HTTP API instead.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				req.Query = args[0]
			}
			req.Facets = strings.Split(facets, ",")
			req.Sort = search.Sort(sort)
			if recency != "" {
				d, err := search.ParseHalfLife(recency)
				if err != nil {
					return usageError{err}
				}
				req.Recency = d
			}
			switch {
			case fragments == 0:
				req.Highlight.Whole = true
			case fragments > 0:
				req.Highlight.Fragments = fragments
			default:
				return usageError{fmt.Errorf("--fragments %d: want 0 (the whole paragraph) to %d", fragments, search.MaxFragments)}
			}
			for _, d := range []struct {
				name     string
				value    string
				dst      *time.Time
				endOfDay bool
			}{{"after", after, &req.After, false}, {"before", before, &req.Before, true}} {
				if d.value == "" {
					continue
				}
				t, dateOnly, err := api.ParseDate(d.value)
				if err != nil {
					return usageError{fmt.Errorf("--%s %q: want YYYY-MM-DD or RFC 3339", d.name, d.value)}
				}
				if dateOnly && d.endOfDay {
					t = search.EndOfDay(t)
				}
				*d.dst = t
			}
			cfg, _, ix, err := open(cmd, readOnly)
			if err != nil {
				return err
			}
			defer ix.Close()
			sopts, err := searchOptions(cfg)
			if err != nil {
				return usageError{err}
			}
			res, err := search.New(ix, sopts).Search(ctx, req)
			if err != nil {
				if errors.Is(err, search.ErrInvalid) {
					return usageError{err}
				}
				return err
			}
			if jsonOut {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			color := false
			if f, ok := stdout.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
				color = true
			}
			printResponse(stdout, res, color, showAllText)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&req.Country, "country", nil, "filter by country (repeatable)")
	f.StringSliceVar(&req.Actor, "actor", nil, "filter by actor (repeatable)")
	f.StringSliceVar(&req.ActorKind, "actor-kind", nil, "filter by the kind of actor named: militant, military, person, … (repeatable)")
	f.StringSliceVar(&req.Topic, "topic", nil, "filter by topic (repeatable)")
	f.StringArrayVar(&req.Source, "source", nil, "filter by source (repeatable)")
	f.StringVar(&after, "after", "", "published on or after this date (YYYY-MM-DD or RFC 3339)")
	f.StringVar(&before, "before", "", "published on or before this date (YYYY-MM-DD or RFC 3339)")
	f.StringVar(&facets, "facets", "", "comma list of facets to count: country,actor,topic,source,published (a date histogram)")
	f.StringVar(&recency, "recency", "", "recency boost half-life for relevance order: 30d, 2w, 12h, 1y")
	f.StringVar(&req.FacetCount, "facet-count", "", "what facets count: paragraphs (default) or articles")
	f.StringVar(&req.Interval, "interval", "", "bucket of the published histogram: day, week, month (default) or year")
	f.StringVar(&req.Group, "group", "", "article: one result per article with its best paragraphs")
	f.IntVar(&req.GroupSize, "group-size", 0, "with --group article: paragraphs per article (default 3)")
	f.IntVar(&fragments, "fragments", search.DefaultFragments, "highlight fragments per hit (0: the whole paragraph)")
	f.IntVar(&req.Highlight.FragmentSize, "fragment-size", 0, "a fragment's length in characters (default 160)")
	f.IntVar(&req.FacetSize, "facet-size", 0, "values per facet (default from config)")
	f.IntVar(&req.Limit, "limit", 0, "hits to show (default from config)")
	f.IntVar(&req.Offset, "offset", 0, "hits to skip")
	f.StringVar(&sort, "sort", "relevance", "relevance, newest or oldest")
	f.IntVar(&req.Context, "context", 0, "paragraphs of the article to show before and after each hit (0..3; with --json)")
	f.BoolVar(&req.NoTypos, "no-typos", false, "do not read unknown words as near indexed words (Tehrn as Tehran)")
	f.BoolVar(&req.Literal, "literal", false, "match the words only as written: no countries, actors, topics or aliases resolved from them")
	f.BoolVar(&jsonOut, "json", false, "print the response as JSON, as the HTTP API does")
	f.BoolVar(&showAllText, "full", false, "print whole paragraphs instead of highlights")
	return cmd
}

// printResponse writes a human-readable result list.
func printResponse(w io.Writer, res *search.Response, color, full bool) {
	on, off := "[", "]"
	if color {
		on, off = "\033[1;33m", "\033[0m"
	}
	fmt.Fprintf(w, "%d hits for %q (%.1f ms)\n", res.Total, res.Query, res.TookMS)
	if u := res.Understood; u != nil {
		var parts []string
		for _, f := range []struct {
			name   string
			values []string
		}{{"country", u.Country}, {"actor", u.Actor}, {"topic", u.Topic}} {
			if len(f.values) > 0 {
				parts = append(parts, f.name+": "+strings.Join(f.values, ", "))
			}
		}
		fmt.Fprintf(w, "understood %s\n", strings.Join(parts, "; "))
	}
	heading := func(title, id, source string, published *time.Time) string {
		if title == "" {
			title = id
		}
		if source != "" {
			title += " — " + source
		}
		if published != nil {
			title += ", " + published.Format(time.DateOnly)
		}
		return title
	}
	if res.Groups != nil {
		fmt.Fprintf(w, "in %d articles\n", res.TotalArticles)
	}
	for i, g := range res.Groups {
		fmt.Fprintf(w, "\n%d. %s\n   %d matching paragraphs\n", res.Offset+i+1, heading(g.Title, g.ArticleID, g.Source, g.Published), g.Matches)
		for _, h := range g.Hits {
			fmt.Fprintf(w, "   ¶ %d", h.Paragraph)
			printHit(w, h, on, off, full)
		}
	}
	for i, h := range res.Hits {
		fmt.Fprintf(w, "\n%d. %s\n  ", res.Offset+i+1, heading(h.Title, h.ArticleID, h.Source, h.Published))
		printHit(w, h, on, off, full)
	}
	names := make([]string, 0, len(res.Facets))
	for name := range res.Facets {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) > 0 {
		fmt.Fprintln(w)
	}
	for _, name := range names {
		parts := make([]string, 0, len(res.Facets[name]))
		for _, v := range res.Facets[name] {
			parts = append(parts, fmt.Sprintf("%s (%d)", v.Value, v.Count))
		}
		fmt.Fprintf(w, "%s: %s\n", name, strings.Join(parts, ", "))
	}
}

// printHit writes a hit's id, score, facet values and highlights (or, with
// full, its whole text), the marks between on and off.
func printHit(w io.Writer, h search.Hit, on, off string, full bool) {
	fmt.Fprintf(w, " %s  score %.2f", h.ID, h.Score)
	for _, f := range []struct {
		name   string
		values []string
	}{{"country", h.Country}, {"actor", h.Actor}, {"topic", h.Topic}} {
		if len(f.values) > 0 {
			fmt.Fprintf(w, "  %s: %s", f.name, strings.Join(f.values, ", "))
		}
	}
	fmt.Fprintln(w)
	lines := h.Highlights
	if full || len(lines) == 0 {
		lines = []string{html.EscapeString(h.Text)}
	}
	for _, l := range lines {
		l = strings.NewReplacer("<mark>", on, "</mark>", off).Replace(l)
		fmt.Fprintf(w, "   %s\n", html.UnescapeString(l))
	}
}
