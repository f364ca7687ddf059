// Package index is the write side of Briefsearch: it turns articles into
// enriched paragraph chunks and keeps them in one embedded bleve v2 index.
//
// The flow of an article:
//
//	ReadFile / Decode / DecodeText   JSON, NDJSON, .txt/.md with front matter → Article
//	Split                            body → paragraphs (bounded chunks)
//	enrich.Tagger.Tag                paragraphs → country, actor, topic facet values
//	Index.Ingest                     chunks → atomic, durable bleve batches of whole articles
//
// Open creates the index on first use (Options.Path; "" keeps it in
// memory). Ingest replaces an article with the same id completely and
// atomically: its chunks, the deletion of chunks it no longer has and the
// index's updated counts are written in one bleve batch, which scorch
// applies as one snapshot and persists before Ingest returns, so an
// acknowledged ingest survives a crash and a search never sees half an
// article. An article is known by its chunks (all fields a hit shows are
// stored with each chunk); nothing is kept per article besides them.
//
// Ingest works as a pipeline: workers on all cores split, enrich, map and
// analyse the articles (bleve's analysis, done ahead of scorch; text and
// title mostly by a faster path with the same result), a bounded distance
// ahead of the writer, which adds them to batches of Options.BatchSize
// chunks and hands each to scorch, whose segment build and durable
// persist are the serial part.
//
// The mapping is explicit and lean: text and title use the English
// analyzer (stemming) with term vectors for phrases and highlighting;
// country, actor, topic and source are keyword fields whose doc values are
// kept per document and uncompressed, so facets over scattered hits are
// cheap; published is a date; scoring is BM25; there is no _all field.
// The Field* constants name the fields for the read side (package search).
//
// Errors: ErrInvalid marks bad input (parse errors are *RecordError, rejected
// articles *ArticleError), ErrNotFound an unknown article id, ErrLocked an
// index held by another process, ErrClosed a closed index.
package index
