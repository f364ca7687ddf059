// Command briefeval measures Briefsearch's ranking on a judged set against
// SQLite FTS5 baselines over the same paragraphs (make eval).
//
//	briefeval [run]  [flags]            print the side-by-side table
//	briefeval pool   [flags] -out FILE  write the unjudged top 10 of every run, for judging
//	briefeval add    [flags] FILE...    add judged TSV records (query id, paragraph id, grade, note) to the set
//	briefeval show   [flags]            print every run's top 10 with grades and text, to read
//	briefeval entities [flags]          tagger precision and recall on the annotated entity set (make eval-entities)
//	briefeval entities-sample -out FILE draw paragraphs of the corpora for entity annotation
//
// The engines are built once per content (articles, mapping, tagger) and
// cached under -cache.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/briefsearch/briefsearch/eval"
	"github.com/briefsearch/briefsearch/search"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "briefeval:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ error }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "entities" || cmd == "entities-sample" {
		return entities(cmd, args, stdout, stderr)
	}
	fs := flag.NewFlagSet("briefeval "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	setDir := fs.String("set", "testdata/relevance", "directory of the judged set (queries.yaml, judgments.tsv)")
	corpus := fs.String("corpus", "../shared/corpus,../shared/seeds,testdata/corpus", "comma-separated files and directories of the evaluation corpus")
	cache := fs.String("cache", ".cache/eval", "directory for the built engines (empty: build in memory every time)")
	variants := fs.String("variants", "default", "comma-separated Briefsearch rankings to run: "+strings.Join(variantNames(), ", ")+", or all")
	out := fs.String("out", "", "pool: file to write the unjudged paragraphs to (JSON Lines)")
	only := fs.String("queries", "", "comma-separated query ids to run (default: all)")
	tune := fs.String("ranking", "", "weights for the default variant, e.g. entity=0.5,alias=0,proximity=0.3 (keys: "+strings.Join(rankingKeys(), ", ")+")")
	condensed := fs.Bool("condensed", false, "score only judged results (unjudged ones are dropped from each run), for tuning between judging rounds")
	bm25 := fs.String("bm25", "", "k1,b: set bleve's BM25 parameters for this run (default: as the search package sets them)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	switch cmd {
	case "run", "pool", "add", "show":
	default:
		return usageError{fmt.Errorf("unknown command %q (want run, pool, add, show, entities or entities-sample)", cmd)}
	}

	set, err := eval.LoadSet(*setDir)
	if err != nil {
		return err
	}
	if cmd == "add" {
		return add(set, fs.Args(), stdout)
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	if cmd == "pool" && *out == "" {
		return usageError{errors.New("pool needs -out FILE")}
	}
	if *only != "" {
		set.Queries, err = selectQueries(set.Queries, strings.Split(*only, ","))
		if err != nil {
			return usageError{err}
		}
	}
	chosen, err := pickVariants(*variants)
	if err != nil {
		return usageError{err}
	}
	if *tune != "" {
		if chosen, err = tuneDefault(chosen, *tune); err != nil {
			return usageError{err}
		}
	}
	if *bm25 != "" {
		var k1, b float64
		if _, err := fmt.Sscanf(*bm25, "%g,%g", &k1, &b); err != nil || k1 <= 0 || b < 0 || b > 1 {
			return usageError{fmt.Errorf("-bm25 %q: want k1,b with k1 > 0 and 0 <= b <= 1", *bm25)}
		}
		bsearch.BM25_k1, bsearch.BM25_b = k1, b
	}

	c, err := eval.Build(ctx, eval.BuildOptions{Paths: splitList(*corpus), CacheDir: *cache, Log: stderr})
	if err != nil {
		return err
	}
	defer c.Close()
	var systems []eval.System
	for _, v := range chosen {
		systems = append(systems, eval.Briefsearch{Label: v.label, Searcher: search.New(c.Index, v.options)})
	}
	systems = append(systems, c.FTS.System(eval.AnyWord), c.FTS.System(eval.AllWords))

	if *condensed {
		for i, s := range systems {
			systems[i] = eval.Condensed(s, set.Judgments)
		}
	}
	report, err := eval.Evaluate(ctx, set, systems)
	if err != nil {
		return err
	}
	switch cmd {
	case "pool":
		return pool(ctx, c, set, report, *out, stdout)
	case "show":
		return show(ctx, c, set, report, stdout)
	}
	fmt.Fprintf(stdout, "Judged set %s: %d queries, %d judgments; corpus: %d articles, %d paragraphs.\n\n",
		*setDir, len(set.Queries), countJudgments(set), c.Articles, c.Paragraphs)
	report.WriteTable(stdout)
	writeRatio(stdout, report, len(chosen))
	return nil
}

// writeRatio compares each Briefsearch ranking with the best FTS5 variant.
func writeRatio(w io.Writer, r *eval.Report, nBrief int) {
	best, bestName := -1.0, ""
	for s := nBrief; s < len(r.Systems); s++ {
		if m := r.Mean(s); m.NDCG > best {
			best, bestName = m.NDCG, r.Systems[s]
		}
	}
	if best <= 0 {
		return
	}
	fmt.Fprintln(w)
	for s := range nBrief {
		m := r.Mean(s)
		fmt.Fprintf(w, "%s: nDCG@10 %.2f× %s\n", r.Systems[s], m.NDCG/best, bestName)
	}
}

func countJudgments(set *eval.Set) int {
	n := 0
	for _, m := range set.Judgments {
		n += len(m)
	}
	return n
}

// poolRecord is one paragraph to judge.
type poolRecord struct {
	Query       string `json:"query_id"`
	Text        string `json:"query"`
	Need        string `json:"need"`
	Relevant    string `json:"relevant"`
	Partial     string `json:"partial"`
	NotRelevant string `json:"not_relevant"`
	ID          string `json:"id"`
	Title       string `json:"title"`
	Paragraph   string `json:"paragraph"`
}

func pool(ctx context.Context, c *eval.Corpus, set *eval.Set, r *eval.Report, out string, stdout io.Writer) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	unjudged := r.Unjudged(set.Judgments)
	n := 0
	for _, q := range set.Queries {
		for _, id := range unjudged[q.ID] {
			p, err := c.FTS.Paragraph(ctx, id)
			if err != nil {
				f.Close()
				return err
			}
			rec := poolRecord{Query: q.ID, Text: q.Query, Need: q.Need, Relevant: q.Relevant, Partial: q.Partial,
				NotRelevant: q.NotRelevant, ID: id, Title: p.Title, Paragraph: p.Text}
			if err := enc.Encode(rec); err != nil {
				f.Close()
				return err
			}
			n++
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d unjudged paragraphs written to %s\n", n, out)
	return nil
}

// show prints each query's runs: rank, grade (? when unjudged), id and the
// start of the paragraph.
func show(ctx context.Context, c *eval.Corpus, set *eval.Set, r *eval.Report, w io.Writer) error {
	for qi, q := range set.Queries {
		for s, name := range r.Systems {
			fmt.Fprintf(w, "\n== %s %q — %s: nDCG@10 %.2f\n", q.ID, q.Query, name, r.Scores[qi][s].NDCG)
			for i, id := range r.Runs[qi][s] {
				grade := "?"
				if g, ok := set.Judgments.Grade(q.ID, id); ok {
					grade = fmt.Sprint(g)
				}
				p, err := c.FTS.Paragraph(ctx, id)
				if err != nil {
					return err
				}
				text := []rune(p.Text)
				if len(text) > 150 {
					text = append(text[:150], '…')
				}
				fmt.Fprintf(w, "%2d %s %-28s [%s] %s\n", i+1, grade, id, p.Title, string(text))
			}
		}
	}
	return nil
}

func add(set *eval.Set, files []string, stdout io.Writer) error {
	if len(files) == 0 {
		return usageError{errors.New("add needs judged TSV files")}
	}
	var recs []eval.Judgment
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		r, err := eval.ReadJudgments(f, name)
		f.Close()
		if err != nil {
			return err
		}
		recs = append(recs, r...)
	}
	n, err := set.AddJudgments(recs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d new judgments added to %s (%d records read)\n", n, set.Dir, len(recs))
	return nil
}

func selectQueries(qs []eval.Query, ids []string) ([]eval.Query, error) {
	var out []eval.Query
	for _, id := range ids {
		found := false
		for _, q := range qs {
			if q.ID == strings.TrimSpace(id) {
				out = append(out, q)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no query with id %q", id)
		}
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
