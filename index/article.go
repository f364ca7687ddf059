package index

import (
	"errors"
	"time"
)

// Article is one piece of coverage as it arrives: a news report, a briefing
// or a statement. Its Body is split into paragraph-level chunks on ingest.
type Article struct {
	// ID identifies the article. Ingesting another article with the same ID
	// replaces it and all of its paragraphs.
	ID string `json:"id"`
	// Title is the headline. It is searchable and boosted.
	Title string `json:"title,omitempty"`
	// Source names the publisher, e.g. "The Guardian" or "Reuters".
	Source string `json:"source,omitempty"`
	// URL links to the original, if known.
	URL string `json:"url,omitempty"`
	// Published is when the article appeared; the zero time means unknown.
	Published time.Time `json:"published,omitzero"`
	// Body is the text: paragraphs separated by blank lines, or one
	// paragraph per line when the text has no blank lines at all.
	Body string `json:"body"`
}

// Chunk is one paragraph (or one bounded piece of a very long paragraph) of
// an article, enriched with facet values. It is the unit that is indexed and
// returned as a search hit.
type Chunk struct {
	// ID is "<article id>#<paragraph>".
	ID string `json:"id"`
	// ArticleID is the ID of the article the chunk belongs to.
	ArticleID string `json:"article_id"`
	// Paragraph is the chunk's 1-based position in its article.
	Paragraph int `json:"paragraph"`
	// Title, Source, URL and Published are copied from the article.
	Title     string    `json:"title,omitempty"`
	Source    string    `json:"source,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"`
	// Text is the paragraph, plain.
	Text string `json:"text"`
	// Country holds canonical country names the paragraph is about.
	Country []string `json:"country"`
	// Actor holds organisations, groups and people the paragraph names.
	Actor []string `json:"actor"`
	// ActorKind holds the kind of each actor, parallel to Actor ("" when
	// unknown).
	ActorKind []string `json:"actor_kind"`
	// Topic holds slugs from the fixed topic taxonomy.
	Topic []string `json:"topic"`
}

// Sentinel errors. Callers test for them with errors.Is.
var (
	// ErrInvalid marks input that cannot be ingested: a malformed record,
	// a missing id or body, an unparsable date.
	ErrInvalid = errors.New("invalid input")
	// ErrNotFound is returned when no article has the requested id.
	ErrNotFound = errors.New("not found")
	// ErrClosed is returned by operations on a closed index.
	ErrClosed = errors.New("index closed")
	// ErrLocked is returned by Open when another process holds the index.
	ErrLocked = errors.New("index is locked")
	// ErrStorage is wrapped when the disk refuses a write (full, or
	// read-only): nothing of that write is acknowledged, everything
	// acknowledged before stays, and searches go on.
	ErrStorage = errors.New("the disk refused the write")
)
