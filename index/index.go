package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/briefsearch/briefsearch/index/enrich"
)

// Defaults used when Options leaves a value at zero.
const (
	DefaultBatchSize = 1000
	DefaultMaxChunk  = 1500
)

// lookaheadPerChunk is how many bytes of article bodies per chunk of
// BatchSize Ingest prepares ahead of the batch it writes.
const lookaheadPerChunk = 512

// Options configures an Index.
type Options struct {
	// Path is the directory of the bleve index. It is created on first use.
	// An empty Path keeps the index in memory only (tests, examples).
	Path string
	// BatchSize is the number of chunks written per bleve batch
	// (default DefaultBatchSize). An article is never split across batches.
	// Each batch is one durable write; Ingest holds about two batches of
	// analysed chunks in memory (about 90 MB per 1,000 chunks of news).
	BatchSize int
	// MaxChunk bounds a chunk's length in characters (default
	// DefaultMaxChunk); longer paragraphs are split at sentence boundaries.
	MaxChunk int
	// Gazetteer optionally names a YAML file that extends the built-in
	// gazetteers and topic rules (see package enrich).
	Gazetteer string
	// Tagger, if set, is used instead of building one from Gazetteer.
	Tagger *enrich.Tagger
	// ReadOnly opens an existing index for searching only; several
	// read-only processes may share it, but not with a writer.
	ReadOnly bool
	// LockTimeout bounds the wait for another process to release the
	// index (default 2s); Open then fails with ErrLocked.
	LockTimeout time.Duration
	// BulkLoad tunes the index for loading many articles at once (the
	// CLI's ingest): scorch merges up to 20 segments at a time and lets
	// 20 stand per tier instead of 10, so that each paragraph is rewritten
	// fewer times while the load runs. The index is the same, in more
	// segments (27 rather than 16–25 for 229k paragraphs); writes after
	// an open without BulkLoad merge under scorch's default plan.
	BulkLoad bool
}

// bulkMergePlan is scorch's merge plan under Options.BulkLoad (the other
// settings keep scorch's defaults).
var bulkMergePlan = map[string]any{"MaxSegmentsPerTier": 20, "SegmentsPerMergeTask": 20}

// Index is the write side of Briefsearch: it splits articles into chunks,
// enriches them with facet values and keeps them in one bleve index. It is
// safe for concurrent use; writes are serialised, searches run alongside.
type Index struct {
	opts   Options
	tagger *enrich.Tagger
	// current is the bleve index; a write the disk refuses replaces it by
	// the index reopened from disk (see reopenAfterStorageFailure).
	current atomic.Pointer[bleve.Index]

	mu     sync.Mutex // serialises writes (read-modify-write of counts)
	closed bool
	// legacy is set while the index's schema is legacySchema: the next
	// write records schemaVersion.
	legacy bool

	// sampled caches Lengths estimated from stored text for indexes
	// written before terms were counted.
	sampled atomic.Pointer[sampledLengths]

	// paragraphs holds the analysis of the paragraph numbers 1, 2, …
	// (see prepare).
	paragraphs [sharedParagraphs]sharedAnalysis

	// english analyses text and title fields faster than bleve where it
	// can, with the same result (see prepare); nil (an index whose mapping
	// does not analyse them in English) leaves all analysis to bleve.
	english *englishAnalyzer
}

// sharedParagraphs is how many paragraph numbers have their analysis
// shared.
const sharedParagraphs = 256

// sampledLengths are Lengths estimated when the index held paragraphs.
type sampledLengths struct {
	paragraphs int
	lengths    Lengths
}

// Internal (non-document) keys kept in the index next to the chunks. They
// are written in the same batch as the chunks they describe, so they are
// always consistent with them.
var (
	keySchema = []byte("meta/schema")
	keyCounts = []byte("meta/counts")
)

func articleKey(id string) []byte { return []byte("article/" + id) }

// counts are the running totals kept in the index.
type counts struct {
	Articles   int `json:"articles"`
	Paragraphs int `json:"paragraphs"`
	// Counted is the number of paragraphs whose terms are summed in
	// TextTerms and TitleTerms (those ingested since terms were counted).
	Counted    int   `json:"counted,omitempty"`
	TextTerms  int64 `json:"text_terms,omitempty"`
	TitleTerms int64 `json:"title_terms,omitempty"`
	// Changed is when articles were last ingested or deleted.
	Changed time.Time `json:"changed,omitzero"`
	// Oldest and Newest bound the publication times ingested (deletes do
	// not narrow them).
	Oldest time.Time `json:"oldest,omitzero"`
	Newest time.Time `json:"newest,omitzero"`
}

// readCounts returns the index's totals.
func (ix *Index) readCounts() (counts, error) {
	var c counts
	err := ix.getJSON(keyCounts, &c)
	return c, err
}

// add adds (sign 1) or removes (sign -1) an article's totals.
func (c *counts) add(rec record, sign int) {
	c.Paragraphs += sign * rec.Paragraphs
	if rec.Counted {
		c.Counted += sign * rec.Paragraphs
		c.TextTerms += int64(sign * rec.TextTerms)
		c.TitleTerms += int64(sign * rec.TitleTerms * rec.Paragraphs)
	}
}

// record holds an article's totals. Versions before schema 3 also kept it
// (with the article's metadata) in bleve's internal store under
// articleKey; scorch writes that store whole with every snapshot it
// persists, which made each durable batch cost as much as all the articles
// indexed before it. Now an article is known by its chunks (see
// existing), and records under articleKey are read and deleted, never
// written.
type record struct {
	ID         string    `json:"id"`
	Title      string    `json:"title,omitempty"`
	Source     string    `json:"source,omitempty"`
	URL        string    `json:"url,omitempty"`
	Published  time.Time `json:"published,omitzero"`
	Paragraphs int       `json:"paragraphs"`
	// Counted says TextTerms (all paragraphs) and TitleTerms (the title
	// once) were counted at ingest.
	Counted    bool `json:"counted,omitempty"`
	TextTerms  int  `json:"text_terms,omitempty"`
	TitleTerms int  `json:"title_terms,omitempty"`
}

// Open opens the index at opts.Path, creating it (and its parent
// directories) if it does not exist yet. It fails if the path holds
// something that is not a Briefsearch index of a compatible version.
func Open(ctx context.Context, opts Options) (*Index, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.MaxChunk <= 0 {
		opts.MaxChunk = DefaultMaxChunk
	}
	tagger := opts.Tagger
	if tagger == nil {
		var err error
		tagger, err = enrich.New(enrich.Options{ExtraFile: opts.Gazetteer})
		if err != nil {
			return nil, fmt.Errorf("load gazetteers: %w", err)
		}
	}

	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	bi, created, err := openBleve(opts)
	if err != nil {
		return nil, err
	}
	ix := &Index{opts: opts, tagger: tagger}
	// The mapping of an index opened from disk is the one stored in it
	// (reopen opens the same one).
	if m := bi.Mapping(); m.AnalyzerNameForPath(FieldText) == en.AnalyzerName && m.AnalyzerNameForPath(FieldTitle) == en.AnalyzerName {
		ix.english = newEnglishAnalyzer()
	}
	ix.current.Store(&bi)
	if created {
		if err := bi.SetInternal(keySchema, []byte(schemaVersion)); err != nil {
			_ = bi.Close()
			return nil, fmt.Errorf("initialise index %s: %w", opts.Path, err)
		}
		return ix, nil
	}
	v, err := bi.GetInternal(keySchema)
	ix.legacy = string(v) == legacySchema
	if err != nil || (string(v) != schemaVersion && !ix.legacy) {
		_ = bi.Close()
		if err == nil {
			err = fmt.Errorf("schema version %q, want %q: rebuild the index", v, schemaVersion)
		}
		return nil, fmt.Errorf("open index %s: %w", opts.Path, err)
	}
	return ix, nil
}

func openBleve(opts Options) (bleve.Index, bool, error) {
	path := opts.Path
	if path == "" {
		if opts.ReadOnly {
			return nil, false, fmt.Errorf("%w: a read-only index needs a path", ErrInvalid)
		}
		// scorch without a path keeps everything in memory.
		bi, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
		return bi, true, err
	}
	cfg := scorchConfig(opts)
	if _, err := os.Stat(path); err == nil {
		if opts.ReadOnly {
			cfg["read_only"] = true
		}
		bi, err := bleve.OpenUsing(path, cfg)
		if err != nil {
			return nil, false, fmt.Errorf("open index %s: %w", path, lockErr(err))
		}
		return bi, false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("open index %s: %w", path, err)
	} else if opts.ReadOnly {
		return nil, false, fmt.Errorf("open index %s: %w: no index there yet (ingest first)", path, ErrNotFound)
	}
	if err := os.MkdirAll(parentDir(path), 0o755); err != nil {
		return nil, false, fmt.Errorf("create index %s: %w", path, err)
	}
	bi, err := bleve.NewUsing(path, newMapping(), scorch.Name, scorch.Name, cfg)
	if err != nil {
		return nil, false, fmt.Errorf("create index %s: %w", path, lockErr(err))
	}
	return bi, true, nil
}

// scorchConfig returns the configuration scorch opens the index with.
func scorchConfig(opts Options) map[string]any {
	cfg := map[string]any{"bolt_timeout": opts.LockTimeout.String()}
	if opts.BulkLoad && !opts.ReadOnly {
		cfg["scorchMergePlanOptions"] = bulkMergePlan
	}
	return cfg
}

// lockErr turns bolt's lock timeout into ErrLocked.
func lockErr(err error) error {
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("%w (is another briefsearch process using it?)", ErrLocked)
	}
	return err
}

func parentDir(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i > 0 {
		return path[:i]
	}
	return "."
}

// Close flushes and closes the index. Further calls return ErrClosed.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	ix.closed = true
	return ix.b().Close()
}

// Bleve returns the underlying bleve index for read-side packages such as
// search. Callers must not write through it.
func (ix *Index) Bleve() bleve.Index { return ix.b() }

// b returns the current bleve index.
func (ix *Index) b() bleve.Index { return *ix.current.Load() }

// Tagger returns the enrichment tagger the index uses.
func (ix *Index) Tagger() *enrich.Tagger { return ix.tagger }

// IngestStats counts what an Ingest call wrote.
type IngestStats struct {
	// Articles is the number of articles indexed.
	Articles int `json:"articles"`
	// Paragraphs is the number of chunks indexed.
	Paragraphs int `json:"paragraphs"`
	// Replaced is how many of Articles replaced an article with the same id.
	Replaced int `json:"replaced"`
}

// Add adds other to s.
func (s *IngestStats) Add(other IngestStats) {
	s.Articles += other.Articles
	s.Paragraphs += other.Paragraphs
	s.Replaced += other.Replaced
}

// ArticleError reports an article that Ingest rejected.
type ArticleError struct {
	// Position is the article's 0-based position in the Ingest call.
	Position int
	// ID is the article's id, possibly empty.
	ID  string
	Err error
}

// Error says which article was rejected and why.
func (e *ArticleError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("article %d: %v", e.Position+1, e.Err)
	}
	return fmt.Sprintf("article %q: %v", e.ID, e.Err)
}

// Unwrap returns the reason, which wraps ErrInvalid.
func (e *ArticleError) Unwrap() error { return e.Err }

// Rejected returns the *ArticleError values in an error from Ingest: the
// articles it skipped as invalid. It returns none for nil or for an error
// that rejected nothing.
func Rejected(err error) []*ArticleError {
	var out []*ArticleError
	var walk func(error)
	walk = func(err error) {
		var ae *ArticleError
		switch x := err.(type) {
		case nil:
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				walk(e)
			}
		default:
			if errors.As(err, &ae) {
				out = append(out, ae)
			}
		}
	}
	walk(err)
	return out
}

// Validate reports whether a can be ingested. The error wraps ErrInvalid.
func Validate(a Article) error {
	switch {
	case strings.TrimSpace(a.ID) == "":
		return fmt.Errorf("%w: missing id", ErrInvalid)
	case strings.ContainsAny(a.ID, "#"):
		return fmt.Errorf("%w: id %q contains '#'", ErrInvalid, a.ID)
	case len(a.ID) > 256:
		return fmt.Errorf("%w: id longer than 256 bytes", ErrInvalid)
	case strings.TrimSpace(a.Body) == "":
		return fmt.Errorf("%w: missing body", ErrInvalid)
	}
	for _, r := range a.ID {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: id %q contains a control character", ErrInvalid, a.ID)
		}
	}
	return nil
}

// Ingest splits, enriches and indexes articles. An article whose id is
// already indexed is replaced completely, in one atomic batch: a search sees
// either the old or the new article, never a mix, and paragraphs that no
// longer exist disappear. When Ingest returns, what it reports as indexed is
// on disk and survives a crash of the process.
//
// Invalid articles are skipped; the returned error then joins one
// *ArticleError (wrapping ErrInvalid) per rejected article, while the valid
// ones are still indexed and counted. A failure to write (or a cancelled
// ctx) returns an error that does not wrap ErrInvalid, even if articles were
// also rejected; articles in batches written before it stay indexed.
func (ix *Index) Ingest(ctx context.Context, articles ...Article) (IngestStats, error) {
	var stats IngestStats
	var rejected []error
	valid := make([]Article, 0, len(articles))
	positions := make([]int, 0, len(articles))
	for i, a := range articles {
		a.ID = strings.TrimSpace(a.ID)
		if err := Validate(a); err != nil {
			rejected = append(rejected, &ArticleError{Position: i, ID: a.ID, Err: err})
			continue
		}
		valid = append(valid, a)
		positions = append(positions, i)
	}
	// Later duplicates of an id in one call win, as if ingested in turn;
	// one whose body has no text does not count. Only duplicates are split
	// here to find out; the others are found empty as they are prepared.
	skip := make([]bool, len(valid))
	var empty []*ArticleError // articles whose body has no text
	rejectEmpty := func(i int) {
		empty = append(empty, &ArticleError{Position: positions[i], ID: valid[i].ID,
			Err: fmt.Errorf("%w: body has no text (only markup or punctuation)", ErrInvalid)})
	}
	seen := make(map[string]int, len(valid))
	for _, a := range valid {
		seen[a.ID]++
	}
	winner := map[string]int{}
	for i, a := range valid {
		if seen[a.ID] < 2 {
			continue
		}
		skip[i] = true
		if len(Split(a.Body, ix.opts.MaxChunk)) == 0 {
			rejectEmpty(i)
			continue
		}
		winner[a.ID] = i
	}
	for _, i := range winner {
		skip[i] = false
	}
	prep := ix.prepareAll(ctx, valid, skip, ix.opts.BatchSize*lookaheadPerChunk)
	defer prep.stop()

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return stats, ErrClosed
	}
	var c counts
	if err := ix.getJSON(keyCounts, &c); err != nil {
		return stats, err
	}
	// failed reports a failure to write (or a cancelled ctx): it does not
	// wrap ErrInvalid, even when articles were also rejected.
	failed := func(err error) error {
		if n := len(rejected) + len(empty); n > 0 {
			return fmt.Errorf("%w (and %d article(s) rejected as invalid)", err, n)
		}
		return err
	}

	batch := ix.b().NewBatch()
	var entries []batchEntry // the articles in batch
	inBatch := 0
	flush := func() error {
		if len(entries) == 0 {
			return nil
		}
		var st IngestStats
		if err := ix.write(ctx, batch, entries, &c, &st); err != nil {
			return ix.writeFailed("write batch", err)
		}
		ix.legacy = false
		stats.Add(st)
		// A fresh batch, not Reset: scorch may still be ranging over the
		// old one's map in a goroutine after Batch returns.
		batch, entries, inBatch = ix.b().NewBatch(), entries[:0], 0
		return nil
	}
	for i, a := range valid {
		if skip[i] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return stats, failed(err)
		}
		p := prep.get(i)
		if p.err != nil {
			if errors.Is(p.err, context.Canceled) || errors.Is(p.err, context.DeadlineExceeded) {
				return stats, failed(p.err)
			}
			return stats, failed(fmt.Errorf("index %s: %w", a.ID, p.err))
		}
		if len(p.chunks) == 0 {
			rejectEmpty(i)
			continue
		}
		if inBatch > 0 && inBatch+len(p.chunks) > ix.opts.BatchSize {
			if err := flush(); err != nil {
				return stats, failed(err)
			}
		}
		for j, doc := range p.docs {
			if err := batch.IndexAdvanced(doc); err != nil {
				return stats, failed(fmt.Errorf("index %s: %w", p.chunks[j].ID, err))
			}
		}
		entries = append(entries, batchEntry{article: a, rec: record{Paragraphs: len(p.chunks),
			Counted: true, TextTerms: p.textTerms, TitleTerms: CountTerms(a.Title)}})
		inBatch += len(p.chunks)
	}
	if err := flush(); err != nil {
		return stats, failed(err)
	}
	sort.Slice(empty, func(i, j int) bool { return empty[i].Position < empty[j].Position })
	for _, e := range empty {
		rejected = append(rejected, e)
	}
	return stats, errors.Join(rejected...)
}

// Chunks splits a into enriched chunks, as Ingest would index them, without
// writing anything.
func (ix *Index) Chunks(a Article) []Chunk {
	paras := Split(a.Body, ix.opts.MaxChunk)
	facets := ix.tagger.Tag(a.Title, paras)
	published := a.Published
	if !published.IsZero() {
		published = published.UTC()
	}
	chunks := make([]Chunk, len(paras))
	for i, p := range paras {
		chunks[i] = Chunk{
			ID:        ChunkID(a.ID, i+1),
			ArticleID: a.ID,
			Paragraph: i + 1,
			Title:     a.Title,
			Source:    a.Source,
			URL:       a.URL,
			Published: published,
			Text:      p,
			Country:   facets[i].Country,
			Actor:     facets[i].Actor,
			ActorKind: facets[i].ActorKind,
			Topic:     facets[i].Topic,
		}
	}
	return chunks
}

// ChunkID returns the document id of paragraph n of an article.
func ChunkID(articleID string, n int) string {
	return articleID + "#" + strconv.Itoa(n)
}

// ArticleOf returns the article id of a chunk id ("a#3" → "a").
func ArticleOf(chunkID string) string {
	if i := strings.LastIndexByte(chunkID, '#'); i >= 0 {
		return chunkID[:i]
	}
	return chunkID
}

// ParagraphOf returns the paragraph number of a chunk id ("a#3" → 3), 0
// if it names none.
func ParagraphOf(chunkID string) int {
	i := strings.LastIndexByte(chunkID, '#')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(chunkID[i+1:])
	if err != nil {
		return 0
	}
	return n
}

// facetOptions are the indexing options of the facet fields: indexed for
// filters, stored for hits, and doc values kept one document per chunk and
// uncompressed, so counting facets over scattered hits reads only their
// values instead of decompressing blocks of 1,024 documents
// (BenchmarkSearchOnIndex).
const facetOptions = bindex.IndexField | bindex.StoreField | bindex.DocValues |
	bindex.SkipDVChunking | bindex.SkipDVCompression

// chunkDoc is the document bleve indexes for a chunk: the mapped fields,
// plus the facet fields built with facetOptions.
func (ix *Index) chunkDoc(c Chunk) (*document.Document, error) {
	data := map[string]any{
		FieldArticleID: c.ArticleID,
		FieldParagraph: float64(c.Paragraph),
		FieldText:      c.Text,
	}
	if c.Title != "" {
		data[FieldTitle] = c.Title
	}
	// Fields that are the same in every chunk of an article are stored once,
	// with its first chunk; the others index them (filters, sorting, the
	// title's ranking signal) without a copy (see ArticleFields).
	first := c.Paragraph == 1
	if c.URL != "" && first {
		data[FieldURL] = c.URL
	}
	if !c.Published.IsZero() {
		data[FieldPublished] = c.Published
	}
	doc := document.NewDocument(c.ID)
	if err := ix.b().Mapping().MapDocument(doc, data); err != nil {
		return nil, err
	}
	if !first {
		for i, f := range doc.Fields {
			if isArticleField(f.Name()) {
				doc.Fields[i] = unstoredField{f}
			}
		}
	}
	keywords := ix.b().Mapping().AnalyzerNamed(keyword.Name)
	add := func(field string, values ...string) {
		opts := facetOptions
		if !first && isArticleField(field) {
			opts &^= bindex.StoreField
		}
		for i, v := range values {
			doc.AddField(document.NewTextFieldCustom(field, []uint64{uint64(i)}, []byte(v), opts, keywords))
		}
	}
	add(FieldCountry, c.Country...)
	add(FieldActor, c.Actor...)
	var kinds, byKind []string
	for i, a := range c.Actor {
		if i < len(c.ActorKind) && c.ActorKind[i] != "" {
			if !slices.Contains(kinds, c.ActorKind[i]) {
				kinds = append(kinds, c.ActorKind[i])
			}
			byKind = append(byKind, ActorByKind(c.ActorKind[i], a))
		}
	}
	slices.Sort(kinds)
	add(FieldActorKind, kinds...)
	add(FieldActorByKind, byKind...)
	add(FieldTopic, c.Topic...)
	if c.Source != "" {
		add(FieldSource, c.Source)
	}
	return doc, nil
}

// isArticleField reports whether a field holds the same value in every
// chunk of an article, and so is stored with the first chunk only.
func isArticleField(name string) bool {
	switch name {
	case FieldArticleID, FieldTitle, FieldSource, FieldURL, FieldPublished:
		return true
	}
	return false
}

// unstoredField is a field indexed as mapped but not stored.
type unstoredField struct{ document.Field }

// Options returns the field's options without bindex.StoreField.
func (f unstoredField) Options() bindex.FieldIndexingOptions {
	return f.Field.Options() &^ bindex.StoreField
}

// writeFailed describes a failed bleve batch. When the disk refused it
// (full or read-only), scorch has already taken the batch into its
// in-memory state, which then breaks on use (zapx panics reading the
// segment it could not persist): the index is reopened from disk, which
// holds every acknowledged write, and the error wraps ErrStorage. Called
// with ix.mu held.
func (ix *Index) writeFailed(what string, err error) error {
	msg := err.Error()
	if !strings.Contains(msg, "no space left on device") && !strings.Contains(msg, "read-only file system") &&
		!errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("%s: %w", what, closedErr(err))
	}
	if rerr := ix.reopen(); rerr != nil {
		return fmt.Errorf("%s: %w: %v; reopening the index failed too: %v", what, ErrStorage, err, rerr)
	}
	return fmt.Errorf("%s: %w: %v", what, ErrStorage, err)
}

// reopen closes the bleve index and opens it again from disk. Searches
// running on the old one end with ErrClosed.
func (ix *Index) reopen() error {
	old := ix.b()
	_ = old.Close()
	bi, _, err := openBleve(ix.opts)
	if err != nil {
		return err
	}
	ix.current.Store(&bi)
	return nil
}

// closedErr turns bleve's "index is closed" into ErrClosed.
func closedErr(err error) error {
	if errors.Is(err, bleve.ErrorIndexClosed) {
		return ErrClosed
	}
	return err
}

func (ix *Index) getJSON(key []byte, v any) error {
	b, err := ix.b().GetInternal(key)
	if err != nil {
		return fmt.Errorf("read %s: %w", key, closedErr(err))
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	return nil
}

// batchEntry is an article added to a batch, with the totals of what was
// added.
type batchEntry struct {
	article Article
	rec     record
}

// account completes a batch holding entries before it is written: it
// deletes the chunks that replaced articles no longer have (and their
// records, kept by earlier versions) and updates c and st.
func (ix *Index) account(ctx context.Context, batch *bleve.Batch, entries []batchEntry, c *counts, st *IngestStats) error {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.article.ID
	}
	olds, err := ix.existing(ctx, ids)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if old, ok := olds[e.article.ID]; ok {
			old.deleteFrom(batch, e.rec.Paragraphs+1)
			st.Replaced++
			c.add(old.rec, -1)
		} else {
			c.Articles++
		}
		c.add(e.rec, 1)
		if p := e.article.Published; !p.IsZero() {
			p = p.UTC()
			if c.Oldest.IsZero() || p.Before(c.Oldest) {
				c.Oldest = p
			}
			if p.After(c.Newest) {
				c.Newest = p
			}
		}
		st.Articles++
		st.Paragraphs += e.rec.Paragraphs
	}
	return nil
}

// write completes a batch of entries with the deletions and counts they
// imply (account) and writes it durably; st gets what it wrote.
func (ix *Index) write(ctx context.Context, batch *bleve.Batch, entries []batchEntry, c *counts, st *IngestStats) error {
	if err := ix.account(ctx, batch, entries, c, st); err != nil {
		return err
	}
	c.Changed = time.Now().UTC()
	countsJSON, err := json.Marshal(c)
	if err != nil {
		return err
	}
	batch.SetInternal(keyCounts, countsJSON)
	if ix.legacy {
		// Articles without records are written: an older version must
		// not read this index any more.
		batch.SetInternal(keySchema, []byte(schemaVersion))
	}
	return ix.b().Batch(batch)
}

// held is what the index holds of an article: its totals, and its record
// key when an earlier version kept one.
type held struct {
	id     string
	rec    record
	chunks []int // paragraph numbers of its chunks
	legacy bool  // it has a record under articleKey
}

// deleteFrom adds to batch the deletion of the article's chunks from
// paragraph from on, and of its record.
func (h held) deleteFrom(batch *bleve.Batch, from int) {
	for _, n := range h.chunks {
		if n >= from {
			batch.Delete(ChunkID(h.id, n))
		}
	}
	if h.legacy {
		batch.DeleteInternal(articleKey(h.id))
	}
}

// existing returns what the index holds of the articles with these ids;
// ids it does not hold are left out. Articles are known by their first
// chunk: one query for all ids, then one per article found, which
// recounts its terms from its stored text as Ingest counted them.
// Articles written by earlier versions are known by their records.
func (ix *Index) existing(ctx context.Context, ids []string) (map[string]held, error) {
	out := map[string]held{}
	var firsts []string
	for _, id := range ids {
		var rec record
		b, err := ix.b().GetInternal(articleKey(id))
		if err != nil {
			return nil, fmt.Errorf("read article %q: %w", id, closedErr(err))
		}
		if len(b) == 0 {
			firsts = append(firsts, ChunkID(id, 1))
			continue
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("read article %q: %w", id, err)
		}
		h := held{id: id, rec: rec, legacy: true}
		for n := 1; n <= rec.Paragraphs; n++ {
			h.chunks = append(h.chunks, n)
		}
		out[id] = h
	}
	if len(firsts) == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(firsts), len(firsts), 0, false)
	req.Score = "none"
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up articles: %w", closedErr(err))
	}
	for _, hit := range res.Hits {
		id := strings.TrimSuffix(hit.ID, "#1")
		chunks, err := ix.chunksOf(ctx, id, FieldText, FieldTitle)
		if err != nil {
			return nil, err
		}
		h := held{id: id, rec: record{Counted: true}}
		for _, ch := range chunks {
			h.chunks = append(h.chunks, ParagraphOf(ch.ID))
			h.rec.Paragraphs++
			h.rec.TextTerms += CountTerms(FieldString(ch.Fields[FieldText]))
			if title := FieldString(ch.Fields[FieldTitle]); title != "" {
				h.rec.TitleTerms = CountTerms(title) // stored with the first chunk only
			}
		}
		out[id] = h
	}
	return out, nil
}

// chunksOf returns the chunks of an article, in paragraph order, with
// these stored fields.
func (ix *Index) chunksOf(ctx context.Context, id string, fields ...string) ([]*bsearch.DocumentMatch, error) {
	q := query.NewTermQuery(id)
	q.SetField(FieldArticleID)
	size := 256
	for {
		req := bleve.NewSearchRequestOptions(q, size, 0, false)
		req.Fields = fields
		req.SortBy([]string{FieldParagraph})
		req.Score = "none"
		res, err := ix.b().SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read article %q: %w", id, closedErr(err))
		}
		if int(res.Total) <= size {
			return res.Hits, nil
		}
		size = int(res.Total)
	}
}

// Delete removes the article with this id and all its paragraphs, in one
// atomic batch. Returns ErrNotFound if no article has this id.
func (ix *Index) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	olds, err := ix.existing(ctx, []string{id})
	if err != nil {
		return err
	}
	old, found := olds[id]
	if !found {
		return fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	c, err := ix.readCounts()
	if err != nil {
		return err
	}
	c.Articles--
	c.add(old.rec, -1)
	c.Changed = time.Now().UTC()
	countsJSON, err := json.Marshal(c)
	if err != nil {
		return err
	}
	batch := ix.b().NewBatch()
	old.deleteFrom(batch, 1)
	batch.SetInternal(keyCounts, countsJSON)
	if err := ix.b().Batch(batch); err != nil {
		return ix.writeFailed(fmt.Sprintf("delete article %q", id), err)
	}
	return nil
}

// ArticleView is an indexed article: its metadata and its paragraphs in
// order, each with its facet values.
type ArticleView struct {
	ID         string      `json:"id"`
	Title      string      `json:"title,omitempty"`
	Source     string      `json:"source,omitempty"`
	URL        string      `json:"url,omitempty"`
	Published  time.Time   `json:"published,omitzero"`
	Paragraphs []Paragraph `json:"paragraphs"`
}

// Paragraph is one chunk of an ArticleView.
type Paragraph struct {
	Paragraph int      `json:"paragraph"`
	Text      string   `json:"text"`
	Country   []string `json:"country"`
	Actor     []string `json:"actor"`
	Topic     []string `json:"topic"`
}

// Article returns the indexed article with this id. Returns ErrNotFound if
// no article has this id.
func (ix *Index) Article(ctx context.Context, id string) (ArticleView, error) {
	hits, err := ix.chunksOf(ctx, id, FieldTitle, FieldSource, FieldURL, FieldPublished,
		FieldText, FieldCountry, FieldActor, FieldTopic)
	if err != nil {
		return ArticleView{}, err
	}
	if len(hits) == 0 {
		return ArticleView{}, fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	first := hits[0].Fields
	view := ArticleView{ID: id, Title: FieldString(first[FieldTitle]), Source: FieldString(first[FieldSource]),
		URL: FieldString(first[FieldURL]), Paragraphs: []Paragraph{}}
	if p, err := time.Parse(time.RFC3339Nano, FieldString(first[FieldPublished])); err == nil {
		view.Published = p.UTC()
	}
	for _, h := range hits {
		view.Paragraphs = append(view.Paragraphs, Paragraph{
			Paragraph: ParagraphOf(h.ID),
			Text:      FieldString(h.Fields[FieldText]),
			Country:   FieldStrings(h.Fields[FieldCountry]),
			Actor:     FieldStrings(h.Fields[FieldActor]),
			Topic:     FieldStrings(h.Fields[FieldTopic]),
		})
	}
	return view, nil
}

// Stats describes the contents of the index.
type Stats struct {
	// Articles and Paragraphs count what is indexed.
	Articles   int `json:"articles"`
	Paragraphs int `json:"paragraphs"`
	// DiskBytes is the size of the index's files (0 in memory).
	DiskBytes int64 `json:"disk_bytes"`
	// Changed is when articles were last ingested or deleted (nil if never
	// since this was recorded).
	Changed *time.Time `json:"changed,omitempty"`
	// Facets holds the number of distinct values of each facet field.
	Facets map[string]int `json:"facets"`
}

// Lengths are the average numbers of terms per chunk of the text and
// title fields, as BM25 needs them to normalise for length (bleve's own
// estimate divides the number of distinct terms by the number of
// documents, which is no length at all). Both are zero for an empty index.
type Lengths struct {
	Text, Title float64
}

// lengthSample is the number of chunks whose stored text estimates Lengths
// for an index written before terms were counted.
const lengthSample = 1000

// Lengths returns the average field lengths of the chunks, as counted at
// ingest. When most chunks were written by an earlier version that did not
// count terms, it estimates them from the stored text of the first
// lengthSample chunks, once per 10% change in the number of paragraphs.
func (ix *Index) Lengths() (Lengths, error) {
	c, err := ix.readCounts()
	if err != nil {
		return Lengths{}, err
	}
	if c.Counted > 0 && 2*c.Counted >= c.Paragraphs {
		return Lengths{Text: float64(c.TextTerms) / float64(c.Counted), Title: float64(c.TitleTerms) / float64(c.Counted)}, nil
	}
	if c.Paragraphs == 0 {
		return Lengths{}, nil
	}
	if s := ix.sampled.Load(); s != nil && 10*abs(s.paragraphs-c.Paragraphs) <= c.Paragraphs {
		return s.lengths, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), lengthSample, 0, false)
	req.Fields = []string{FieldText, FieldTitle, FieldArticleID}
	req.Score = "none"
	res, err := ix.b().Search(req)
	if err != nil {
		return Lengths{}, fmt.Errorf("estimate field lengths: %w", closedErr(err))
	}
	var l Lengths
	titled := 0 // chunks that store their article's fields (isArticleField)
	for _, h := range res.Hits {
		l.Text += float64(CountTerms(FieldString(h.Fields[FieldText])))
		if h.Fields[FieldArticleID] != nil {
			l.Title += float64(CountTerms(FieldString(h.Fields[FieldTitle])))
			titled++
		}
	}
	if n := float64(len(res.Hits)); n > 0 {
		l.Text /= n
	}
	if titled > 0 {
		l.Title /= float64(titled)
	}
	ix.sampled.Store(&sampledLengths{paragraphs: c.Paragraphs, lengths: l})
	return l, nil
}

func abs(x int) int { return max(x, -x) }

// Span is what the index knows of its contents' times without a search.
type Span struct {
	// Oldest and Newest bound the publication times of the articles
	// ingested (zero when none had a date, or for an index written before
	// they were kept); deletes do not narrow them.
	Oldest, Newest time.Time
	// Changed is when articles were last ingested or deleted.
	Changed time.Time
}

// Span returns the index's Span.
func (ix *Index) Span() (Span, error) {
	c, err := ix.readCounts()
	if err != nil {
		return Span{}, err
	}
	return Span{Oldest: c.Oldest, Newest: c.Newest, Changed: c.Changed}, nil
}

// DiskBytes returns the size of the index's files on disk; 0 for an index
// kept in memory.
func (ix *Index) DiskBytes() (int64, error) {
	if ix.opts.Path == "" {
		return 0, nil
	}
	var n int64
	err := filepath.WalkDir(ix.opts.Path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // a segment merged away while walking
			}
			return err
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("index size: %w", err)
	}
	return n, nil
}

// FacetFields are the keyword fields that can be faceted and filtered on.
var FacetFields = []string{FieldCountry, FieldActor, FieldTopic, FieldSource, FieldActorKind}

// Stats reports counts of articles, paragraphs and distinct facet values.
func (ix *Index) Stats(ctx context.Context) (Stats, error) {
	c, err := ix.readCounts()
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Articles: c.Articles, Paragraphs: c.Paragraphs, Facets: map[string]int{}}
	if !c.Changed.IsZero() {
		st.Changed = &c.Changed
	}
	if st.DiskBytes, err = ix.DiskBytes(); err != nil {
		return Stats{}, err
	}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	for _, f := range FacetFields {
		req.AddFacet(f, bleve.NewFacetRequest(f, 1<<30))
	}
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", closedErr(err))
	}
	for _, f := range FacetFields {
		if fr := res.Facets[f]; fr != nil && fr.Terms != nil {
			st.Facets[f] = fr.Terms.Len()
		} else {
			st.Facets[f] = 0
		}
	}
	return st, nil
}

// FieldString returns a stored field value as a string.
func FieldString(v any) string {
	s, _ := v.(string)
	return s
}

// FieldStrings returns a stored multi-valued field as a slice, never nil.
func FieldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}
