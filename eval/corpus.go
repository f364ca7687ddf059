package eval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/briefsearch/briefsearch/index"
)

// Corpus is the evaluation corpus built into both engines over the same
// paragraphs.
type Corpus struct {
	Index      *index.Index
	FTS        *FTS
	Articles   int
	Paragraphs int
	// Key identifies the content: the articles, the index mapping and the
	// tagger's output on a sample. A cached build is reused only under the
	// same key.
	Key    string
	Cached bool // true when both were opened from the cache
}

// Close closes both engines.
func (c *Corpus) Close() error {
	return errors.Join(c.Index.Close(), c.FTS.Close())
}

// BuildOptions says what to build and where to cache it.
type BuildOptions struct {
	// Paths are the files and directories to load (as briefsearch ingest
	// reads them).
	Paths []string
	// CacheDir keeps built engines under CacheDir/<key>; empty builds both
	// in memory. Builds under other keys are removed.
	CacheDir string
	// Index sets the chunking and tagging (MaxChunk, Gazetteer, Tagger);
	// its Path is chosen by Build.
	Index index.Options
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Build loads the articles of opts.Paths into a Briefsearch index and an
// FTS5 table over the same chunks, or opens a cached build of the same
// content.
func Build(ctx context.Context, opts BuildOptions) (*Corpus, error) {
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	start := time.Now()
	articles, errs := index.ReadAll(opts.Paths...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("read corpus: %w", errors.Join(errs...))
	}
	if len(articles) == 0 {
		return nil, fmt.Errorf("read corpus %s: no articles", strings.Join(opts.Paths, ", "))
	}

	// A throwaway in-memory index gives the mapping and the tagger for the key.
	probeOpts := opts.Index
	probeOpts.Path = ""
	probe, err := index.Open(ctx, probeOpts)
	if err != nil {
		return nil, err
	}
	key, err := contentKey(ctx, probe, articles)
	if err != nil {
		probe.Close()
		return nil, err
	}
	fmt.Fprintf(logw, "corpus: %d articles read in %s, key %s\n", len(articles), time.Since(start).Round(time.Millisecond), key)

	c := &Corpus{Articles: len(articles), Key: key}
	var dir string
	if opts.CacheDir == "" {
		probe.Close()
		if c.Index, err = index.Open(ctx, probeOpts); err != nil {
			return nil, err
		}
	} else {
		probe.Close()
		dir = filepath.Join(opts.CacheDir, key)
		if err := pruneCache(opts.CacheDir, key); err != nil {
			return nil, err
		}
		_, statErr := os.Stat(filepath.Join(dir, "complete"))
		c.Cached = statErr == nil
		if !c.Cached {
			if err := os.RemoveAll(dir); err != nil {
				return nil, err
			}
		}
		ixOpts := opts.Index
		ixOpts.Path = filepath.Join(dir, "briefsearch.bleve")
		if c.Index, err = index.Open(ctx, ixOpts); err != nil {
			return nil, err
		}
	}
	ftsPath := ""
	if dir != "" {
		ftsPath = filepath.Join(dir, "fts5.db")
	}
	if c.FTS, err = OpenFTS(ctx, ftsPath); err != nil {
		c.Index.Close()
		return nil, err
	}
	if !c.Cached {
		if err := c.load(ctx, articles, logw); err != nil {
			c.Close()
			return nil, err
		}
		if dir != "" {
			if err := os.WriteFile(filepath.Join(dir, "complete"), []byte(key+"\n"), 0o644); err != nil {
				c.Close()
				return nil, err
			}
		}
	}
	if c.Paragraphs, err = c.FTS.Count(ctx); err != nil {
		c.Close()
		return nil, err
	}
	fmt.Fprintf(logw, "corpus: %d paragraphs ready in %s (cached: %v)\n", c.Paragraphs, time.Since(start).Round(time.Millisecond), c.Cached)
	return c, nil
}

// load ingests the articles into both engines.
func (c *Corpus) load(ctx context.Context, articles []index.Article, logw io.Writer) error {
	const batch = 1000
	var paras []Paragraph
	for i := 0; i < len(articles); i += batch {
		part := articles[i:min(i+batch, len(articles))]
		if _, err := c.Index.Ingest(ctx, part...); err != nil {
			return fmt.Errorf("ingest corpus: %w", err)
		}
		for _, a := range part {
			for _, ch := range c.Index.Chunks(a) {
				paras = append(paras, Paragraph{ID: ch.ID, Title: ch.Title, Text: ch.Text})
			}
		}
		fmt.Fprintf(logw, "\rcorpus: %d/%d articles indexed", i+len(part), len(articles))
	}
	fmt.Fprintln(logw)
	return c.FTS.Add(ctx, paras)
}

// contentKey hashes what the built engines depend on: the articles, the
// index mapping, the chunking, the tagger's output on a sample of them and
// what the write side records for a sample (field lengths). probe is an
// empty in-memory index; the sample is ingested into it.
func contentKey(ctx context.Context, probe *index.Index, articles []index.Article) (string, error) {
	h := sha256.New()
	var sample []index.Article
	for i := 0; i < len(articles); i += 500 {
		sample = append(sample, articles[i])
	}
	if _, err := probe.Ingest(ctx, sample...); err != nil {
		return "", fmt.Errorf("probe ingest: %w", err)
	}
	lengths, err := probe.Lengths()
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "lengths %v document %d\n", lengths, index.DocumentVersion)
	mapping, err := json.Marshal(probe.Bleve().Mapping())
	if err != nil {
		return "", err
	}
	h.Write(mapping)
	// Every article's chunks and tags: a tagger change that touches a few
	// paragraphs (one gazetteer entry, one topic term) must not reuse an
	// index built with the old tags. (Tagging all of ../shared/corpus
	// takes a few seconds; a sample of every 25th article missed such
	// changes.)
	for _, a := range articles {
		writeField(h, a.ID, a.Title, a.Source, a.URL, a.Published.Format(time.RFC3339Nano), a.Body)
		for _, ch := range probe.Chunks(a) {
			writeField(h, ch.ID, ch.Text)
			writeField(h, ch.Country...)
			writeField(h, ch.Actor...)
			writeField(h, ch.Topic...)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func writeField(h hash.Hash, parts ...string) {
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s", len(p), p)
	}
	h.Write([]byte{0})
}

// pruneCache removes builds under other keys.
func pruneCache(dir, keep string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != keep && len(e.Name()) == 16 {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
