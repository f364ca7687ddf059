package eval

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, with FTS5
)

// FTS is the baseline: the same paragraphs in a SQLite FTS5 table with the
// porter stemmer over unicode61 tokens, ranked by FTS5's bm25(). Only the
// paragraph text is indexed, as Briefsearch searches it; titles are kept
// for display.
type FTS struct {
	db *sql.DB
}

// Paragraph is one paragraph of the evaluation corpus.
type Paragraph struct {
	ID    string // chunk id, as Briefsearch indexes it
	Title string // the article's title
	Text  string
}

const ftsSchema = `
CREATE TABLE IF NOT EXISTS para (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, text TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='para', content_rowid='rowid', tokenize='porter unicode61');
`

// OpenFTS opens (creating if needed) the FTS5 database at path; an empty
// path keeps it in memory.
func OpenFTS(ctx context.Context, path string) (*FTS, error) {
	dsn := path
	if dsn == "" {
		dsn = ":memory:"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open fts5 %s: %w", path, err)
	}
	// One connection: an in-memory database exists per connection, and
	// writes are serial anyway.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, ftsSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create fts5 tables in %s: %w", path, err)
	}
	return &FTS{db: db}, nil
}

// Close closes the database.
func (f *FTS) Close() error { return f.db.Close() }

// Add inserts paragraphs in one transaction.
func (f *FTS) Add(ctx context.Context, ps []Paragraph) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO para(id, title, text) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := ins.ExecContext(ctx, p.ID, p.Title, p.Text); err != nil {
			return fmt.Errorf("fts5 insert %s: %w", p.ID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO fts(fts) VALUES ('rebuild')`); err != nil {
		return fmt.Errorf("fts5 rebuild: %w", err)
	}
	return tx.Commit()
}

// Count returns the number of paragraphs held.
func (f *FTS) Count(ctx context.Context) (int, error) {
	var n int
	err := f.db.QueryRowContext(ctx, `SELECT count(*) FROM para`).Scan(&n)
	return n, err
}

// Paragraph returns the stored paragraph with this id.
func (f *FTS) Paragraph(ctx context.Context, id string) (Paragraph, error) {
	p := Paragraph{ID: id}
	err := f.db.QueryRowContext(ctx, `SELECT title, text FROM para WHERE id = ?`, id).Scan(&p.Title, &p.Text)
	if err != nil {
		return p, fmt.Errorf("paragraph %s: %w", id, err)
	}
	return p, nil
}

// Match says how FTS5 combines the words of a query.
type Match int

const (
	// AnyWord matches paragraphs with at least one of the words (OR).
	AnyWord Match = iota
	// AllWords matches paragraphs with every word (FTS5's implicit AND).
	AllWords
)

// System returns the baseline as a System with the given word combination.
func (f *FTS) System(m Match) System { return ftsSystem{f, m} }

type ftsSystem struct {
	f *FTS
	m Match
}

func (s ftsSystem) Name() string {
	if s.m == AllWords {
		return "FTS5 all words"
	}
	return "FTS5 any word"
}

func (s ftsSystem) Search(ctx context.Context, q Query, k int) ([]string, error) {
	expr := FTSExpression(q.Query, s.m)
	if expr == "" {
		return nil, nil
	}
	rows, err := s.f.db.QueryContext(ctx,
		`SELECT para.id FROM fts JOIN para ON para.rowid = fts.rowid WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?`, expr, k)
	if err != nil {
		return nil, fmt.Errorf("fts5 %q: %w", expr, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// FTSExpression turns a plain query into an FTS5 MATCH expression: every
// word (letters and digits) quoted, joined by OR (AnyWord) or by spaces
// (AllWords). Query syntax characters are dropped, as a user of a plain
// FTS5 box would type only words.
func FTSExpression(q string, m Match) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = `"` + strings.ToLower(w) + `"`
	}
	sep := " OR "
	if m == AllWords {
		sep = " "
	}
	return strings.Join(words, sep)
}
