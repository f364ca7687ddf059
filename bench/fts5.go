package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, with FTS5

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// The FTS5 peer keeps articles once, their paragraphs with the facet values
// a hit shows, one FTS5 table over the paragraph text (porter stemmer over
// unicode61 tokens, external content) and one (pid, value) table per
// facet field, indexed both ways: by paragraph for counting the values of
// the matches, by value for filters.
const ftsPeerSchema = `
CREATE TABLE IF NOT EXISTS article (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, source TEXT, url TEXT,
  published TEXT, paragraphs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS para (rowid INTEGER PRIMARY KEY, art INTEGER NOT NULL, paragraph INTEGER NOT NULL,
  published TEXT, text TEXT NOT NULL, country TEXT, actor TEXT, topic TEXT);
CREATE INDEX IF NOT EXISTS para_art ON para(art);
CREATE INDEX IF NOT EXISTS para_published ON para(published);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='para', content_rowid='rowid', tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS f_country (pid INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY(pid, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS f_country_value ON f_country(value, pid);
CREATE TABLE IF NOT EXISTS f_actor (pid INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY(pid, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS f_actor_value ON f_actor(value, pid);
CREATE TABLE IF NOT EXISTS f_topic (pid INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY(pid, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS f_topic_value ON f_topic(value, pid);
`

// ftsFacetFields are the facet fields of the peer, each with its table.
var ftsFacetFields = []string{"country", "actor", "topic"}

// valueSep joins a paragraph's facet values in its row.
const valueSep = "\x1f"

// FTSIngestStats counts what IngestFTS wrote.
type FTSIngestStats struct {
	Files      int `json:"files"`
	Articles   int `json:"articles"`
	Paragraphs int `json:"paragraphs"`
	Errors     int `json:"errors"`
}

// ftsGroup is the number of articles per transaction, as briefsearch
// ingest groups them per durable batch.
const ftsGroup = 2000

// IngestFTS does what `briefsearch ingest` does, into an FTS5 database at
// dbPath: reads the files (index.WalkEach, the same streaming parser),
// splits the bodies (index.Split) and tags the paragraphs with tagger on all cores, and
// writes them in transactions of ftsGroup articles, each committed durably
// (WAL, synchronous=FULL) before the next is acknowledged. Reading and
// tagging the next group overlaps writing the last. An article whose id is
// already held is replaced. Bad records are counted and written to log.
func IngestFTS(ctx context.Context, dbPath string, paths []string, tagger *enrich.Tagger, log io.Writer) (FTSIngestStats, error) {
	var stats FTSIngestStats
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)")
	if err != nil {
		return stats, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, ftsPeerSchema); err != nil {
		return stats, fmt.Errorf("create fts5 schema: %w", err)
	}

	type group struct {
		articles []index.Article
		chunks   [][]index.Chunk
	}
	read := make(chan []index.Article, 1)
	tagged := make(chan group, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var readErr error
	go func() {
		defer close(read)
		var pending []index.Article
		readErr = index.WalkEach(paths, func(_ string, a index.Article) error {
			pending = append(pending, a)
			if len(pending) == ftsGroup {
				select {
				case read <- pending:
				case <-ctx.Done():
					return ctx.Err()
				}
				pending = nil
			}
			return nil
		}, func(_ string, errs []error) error {
			stats.Files++
			for _, e := range errs {
				stats.Errors++
				fmt.Fprintln(log, "error:", e)
			}
			return nil
		})
		if len(pending) > 0 && readErr == nil {
			select {
			case read <- pending:
			case <-ctx.Done():
			}
		}
	}()
	go func() {
		defer close(tagged)
		for articles := range read {
			g := group{articles: articles, chunks: make([][]index.Chunk, len(articles))}
			var wg sync.WaitGroup
			next := make(chan int)
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for i := range next {
						g.chunks[i] = ftsChunks(tagger, g.articles[i])
					}
				})
			}
			for i := range articles {
				next <- i
			}
			close(next)
			wg.Wait()
			select {
			case tagged <- g:
			case <-ctx.Done():
				return
			}
		}
	}()
	for g := range tagged {
		n, paras, bad, err := ftsWrite(ctx, db, g.articles, g.chunks)
		stats.Articles += n
		stats.Paragraphs += paras
		stats.Errors += len(bad)
		for _, e := range bad {
			fmt.Fprintln(log, "error:", e)
		}
		if err != nil {
			cancel()
			for range tagged {
			}
			return stats, err
		}
	}
	if readErr != nil {
		return stats, readErr
	}
	// Fold the WAL into the database, as closing does, so its size is the
	// database's.
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return stats, err
	}
	return stats, db.Close()
}

// ftsChunks splits and tags an article as index.Index.Chunks does; nil for
// an invalid article.
func ftsChunks(tagger *enrich.Tagger, a index.Article) []index.Chunk {
	a.ID = strings.TrimSpace(a.ID)
	if index.Validate(a) != nil {
		return nil
	}
	paras := index.Split(a.Body, index.DefaultMaxChunk)
	facets := tagger.Tag(a.Title, paras)
	chunks := make([]index.Chunk, len(paras))
	for i, p := range paras {
		chunks[i] = index.Chunk{ID: index.ChunkID(a.ID, i+1), ArticleID: a.ID, Paragraph: i + 1, Text: p,
			Country: facets[i].Country, Actor: facets[i].Actor, Topic: facets[i].Topic}
	}
	return chunks
}

// ftsWrite writes one group of articles in one transaction and commits it.
func ftsWrite(ctx context.Context, db *sql.DB, articles []index.Article, chunks [][]index.Chunk) (n, paras int, bad []error, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, nil, err
	}
	defer tx.Rollback()
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.PrepareContext(ctx, q)
		return s
	}
	findArt := prep(`SELECT rowid FROM article WHERE id = ?`)
	oldParas := prep(`SELECT rowid, text FROM para WHERE art = ?`)
	delFTS := prep(`INSERT INTO fts(fts, rowid, text) VALUES('delete', ?, ?)`)
	delPara := prep(`DELETE FROM para WHERE rowid = ?`)
	delArt := prep(`DELETE FROM article WHERE rowid = ?`)
	insArt := prep(`INSERT INTO article(id, title, source, url, published, paragraphs) VALUES (?, ?, ?, ?, ?, ?)`)
	insPara := prep(`INSERT INTO para(art, paragraph, published, text, country, actor, topic) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	insFTS := prep(`INSERT INTO fts(rowid, text) VALUES (?, ?)`)
	insFacet := map[string]*sql.Stmt{}
	delFacet := map[string]*sql.Stmt{}
	for _, f := range ftsFacetFields {
		insFacet[f] = prep(`INSERT OR IGNORE INTO f_` + f + `(pid, value) VALUES (?, ?)`)
		delFacet[f] = prep(`DELETE FROM f_` + f + ` WHERE pid = ?`)
	}
	if err != nil {
		return 0, 0, nil, fmt.Errorf("prepare fts5 statements: %w", err)
	}
	// Later duplicates of an id in one group win.
	last := map[string]int{}
	for i, cs := range chunks {
		if len(cs) > 0 {
			last[cs[0].ArticleID] = i
		}
	}
	for i, a := range articles {
		cs := chunks[i]
		if len(cs) == 0 {
			bad = append(bad, fmt.Errorf("article %q: %w", a.ID, index.ErrInvalid))
			continue
		}
		id := cs[0].ArticleID
		if last[id] != i {
			continue
		}
		var old int64
		switch err := findArt.QueryRowContext(ctx, id).Scan(&old); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return n, paras, bad, err
		default:
			if err := ftsDelete(ctx, old, oldParas, delFTS, delPara, delArt, delFacet); err != nil {
				return n, paras, bad, err
			}
		}
		published := ""
		if !a.Published.IsZero() {
			published = a.Published.UTC().Format(time.RFC3339)
		}
		res, err := insArt.ExecContext(ctx, id, a.Title, a.Source, a.URL, published, len(cs))
		if err != nil {
			return n, paras, bad, fmt.Errorf("insert article %s: %w", id, err)
		}
		art, _ := res.LastInsertId()
		for _, c := range cs {
			res, err := insPara.ExecContext(ctx, art, c.Paragraph, published, c.Text,
				strings.Join(c.Country, valueSep), strings.Join(c.Actor, valueSep), strings.Join(c.Topic, valueSep))
			if err != nil {
				return n, paras, bad, fmt.Errorf("insert %s: %w", c.ID, err)
			}
			rowid, _ := res.LastInsertId()
			if _, err := insFTS.ExecContext(ctx, rowid, c.Text); err != nil {
				return n, paras, bad, fmt.Errorf("fts5 insert %s: %w", c.ID, err)
			}
			for j, values := range [][]string{c.Country, c.Actor, c.Topic} {
				f := ftsFacetFields[j]
				for _, v := range values {
					if _, err := insFacet[f].ExecContext(ctx, rowid, v); err != nil {
						return n, paras, bad, fmt.Errorf("facet %s of %s: %w", f, c.ID, err)
					}
				}
			}
		}
		n++
		paras += len(cs)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, bad, fmt.Errorf("commit: %w", err)
	}
	return n, paras, bad, nil
}

// ftsDelete removes an article and its paragraphs from every table.
func ftsDelete(ctx context.Context, art int64, oldParas, delFTS, delPara, delArt *sql.Stmt, delFacet map[string]*sql.Stmt) error {
	rows, err := oldParas.QueryContext(ctx, art)
	if err != nil {
		return err
	}
	type old struct {
		rowid int64
		text  string
	}
	var olds []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.rowid, &o.text); err != nil {
			rows.Close()
			return err
		}
		olds = append(olds, o)
	}
	rows.Close()
	for _, o := range olds {
		if _, err := delFTS.ExecContext(ctx, o.rowid, o.text); err != nil {
			return err
		}
		if _, err := delPara.ExecContext(ctx, o.rowid); err != nil {
			return err
		}
		for _, d := range delFacet {
			if _, err := d.ExecContext(ctx, o.rowid); err != nil {
				return err
			}
		}
	}
	_, err = delArt.ExecContext(ctx, art)
	return err
}
