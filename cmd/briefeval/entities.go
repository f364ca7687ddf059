package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/briefsearch/briefsearch/eval"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// Defaults of the entity dev set (testdata/entities).
const (
	entityCorpusDefault = "../shared/corpus/bbc_news_2004_2005.jsonl,../shared/corpus/reuters21578_1987.jsonl," +
		"../shared/corpus/un_general_debate_2001_2024.jsonl.gz,../shared/corpus/wikinews_2019_2020.jsonl"
	entitySeedDefault = 6 // issue 6
)

// entities runs the entity subcommands:
//
//	briefeval entities        [-set FILE,...] [-corpus PATHS] [-gazetteer FILE] [-top N]
//	briefeval entities-sample -out FILE [-fixtures-out FILE] [-corpus FILES] [-per-file N] [-security S] [-conflict N] [-seed N]
func entities(cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("briefeval "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch cmd {
	case "entities":
		sets := fs.String("set", "testdata/entities/dev.jsonl,testdata/entities/fixtures.jsonl", "comma-separated annotated entity set files")
		corpus := fs.String("corpus", "../shared/corpus,testdata/corpus", "comma-separated files and directories holding the sets' articles (for the article context)")
		gazetteer := fs.String("gazetteer", "", "extra gazetteer file for the tagger (as index.gazetteer)")
		top := fs.Int("top", 20, "how many of the most frequent misses and false positives to list")
		if err := fs.Parse(args); err != nil {
			return usageError{err}
		}
		if fs.NArg() > 0 {
			return usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
		}
		return entityEval(splitList(*sets), splitList(*corpus), *gazetteer, *top, stdout, stderr)
	case "entities-sample":
		out := fs.String("out", "", "file to write the corpus sample to (JSON Lines, unannotated)")
		fixturesOut := fs.String("fixtures-out", "", "file to write every fixture paragraph to (optional)")
		fixtures := fs.String("fixtures", "testdata/corpus", "directory of the fixture articles")
		corpus := fs.String("corpus", entityCorpusDefault, "comma-separated corpus files to draw from")
		perFile := fs.Int("per-file", 66, "paragraphs drawn from each corpus file")
		security := fs.Float64("security", 0.6, "share of each file's paragraphs drawn among those with a security word")
		seed := fs.Uint64("seed", entitySeedDefault, "seed of the draw")
		conflict := fs.Int("conflict", 10, "more paragraphs drawn from each file among those with two or more armed-conflict words")
		minChars := fs.Int("min-chars", 80, "leave out paragraphs shorter than this")
		if err := fs.Parse(args); err != nil {
			return usageError{err}
		}
		if fs.NArg() > 0 {
			return usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
		}
		if *out == "" {
			return usageError{errors.New("entities-sample needs -out FILE")}
		}
		if *perFile < 1 || *security < 0 || *security > 1 || *conflict < 0 {
			return usageError{fmt.Errorf("-per-file %d, -security %g, -conflict %d: want at least 1, a share in [0, 1] and at least 0", *perFile, *security, *conflict)}
		}
		recs, err := eval.SampleEntities(eval.SampleOptions{Files: splitList(*corpus), PerFile: *perFile,
			SecurityShare: *security, ConflictPerFile: *conflict, Seed: *seed, MinChars: *minChars})
		if err != nil {
			return err
		}
		if err := writeEntityFile(*out, recs); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d paragraphs written to %s\n", len(recs), *out)
		if *fixturesOut != "" {
			fx, err := eval.FixtureEntities(*fixtures)
			if err != nil {
				return err
			}
			if err := writeEntityFile(*fixturesOut, fx); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d fixture paragraphs written to %s\n", len(fx), *fixturesOut)
		}
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q", cmd)}
}

func writeEntityFile(name string, recs []eval.EntityRecord) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	if err := eval.WriteEntities(f, recs); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	return nil
}

// entityEval tags every set with the current tagger and prints one report
// per set, then one over all sets when there are several.
func entityEval(sets, corpus []string, gazetteer string, top int, stdout, stderr io.Writer) error {
	if len(sets) == 0 {
		return usageError{errors.New("no entity set given (-set)")}
	}
	tg, err := enrich.New(enrich.Options{ExtraFile: gazetteer})
	if err != nil {
		return fmt.Errorf("build tagger: %w", err)
	}
	m := eval.NewEntityMatcher(tg)
	var all []eval.EntityRecord
	type part struct {
		name string
		recs []eval.EntityRecord
	}
	var parts []part
	for _, s := range sets {
		recs, err := eval.LoadEntities(s)
		if err != nil {
			return err
		}
		parts = append(parts, part{s, recs})
		all = append(all, recs...)
	}
	articles, errs := eval.EntityArticles(all, corpus...)
	for i, err := range errs {
		if i == 5 {
			fmt.Fprintf(stderr, "briefeval: ... and %d more read errors\n", len(errs)-5)
			break
		}
		fmt.Fprintln(stderr, "briefeval: warning:", err)
	}
	report := func(title string, recs []eval.EntityRecord) error {
		tagged, missing, err := eval.TagEntities(tg, recs, articles)
		if err != nil {
			return err
		}
		r := eval.ScoreEntities(m, recs, tagged)
		r.WithoutContext = missing
		fmt.Fprintf(stdout, "## %s\n\n", title)
		r.Write(stdout, top)
		fmt.Fprintln(stdout)
		return nil
	}
	for _, p := range parts {
		if err := report(filepath.ToSlash(p.name), p.recs); err != nil {
			return err
		}
	}
	if len(parts) > 1 {
		names := make([]string, len(parts))
		for i, p := range parts {
			names[i] = filepath.Base(p.name)
		}
		if err := report("all: "+strings.Join(names, " + "), all); err != nil {
			return err
		}
	}
	return nil
}
