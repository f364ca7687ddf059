package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Field names of an indexed chunk. The search side queries, filters, facets
// and sorts on these; they are also the names accepted in field:value query
// syntax.
const (
	FieldArticleID = "article_id"
	FieldParagraph = "paragraph"
	FieldTitle     = "title"
	FieldSource    = "source"
	FieldURL       = "url"
	FieldPublished = "published"
	FieldText      = "text"
	FieldCountry   = "country"
	FieldActor     = "actor"
	FieldTopic     = "topic"
	// FieldActorKind holds the kinds of the paragraph's actors (militant,
	// military, person, …: enrich.Kinds), FieldActorByKind each actor as
	// "<kind>/<name>", so facets can count the actors of one kind.
	FieldActorKind   = "actor_kind"
	FieldActorByKind = "actor_by_kind"
)

// NumericShifts returns the precisions of the prefix-coded terms the
// index keeps for a numeric field (paragraph, published). bleve analyses a
// number into 16 terms, its value shifted right by 0, 4, …, 60 bits, so
// that a range is a few coarse terms plus a few fine ones at each end.
// Each term costs every chunk a posting, so the index keeps the exact
// value (shift 0: sorting, doc values, exact matches and ranges' ends)
// and, for dates (nanoseconds), the coarse terms of shifts 48, 52 and 56
// (blocks of about 3 days, 52 days and 2.3 years): a range reads at most
// 15 terms of a level at each end and the exact dates of under 3 days.
// A paragraph number (a float64's bits) keeps its exact value only: its
// coarse terms would repeat it, and a range over a few hundred numbers
// reads them from the dictionary. A range query over these fields must
// use these shifts only (the search package's ranges do); an index written
// before keeps a superset of them, so it is searched the same way. The
// slice is shared: callers must not modify it.
func NumericShifts(field string) []uint {
	if field == FieldParagraph {
		return paragraphShifts
	}
	return dateShifts
}

var (
	dateShifts      = []uint{0, 48, 52, 56}
	paragraphShifts = []uint{0}
)

// ActorByKind returns the FieldActorByKind value of an actor.
func ActorByKind(kind, name string) string { return kind + "/" + name }

// DocumentVersion changes whenever what the index writes for an article
// changes in a way searches notice (6: fewer prefix-coded numeric terms,
// NumericShifts per field; 5: the article's title, source, URL
// and date stored with its first chunk only, the paragraph number not
// stored, term locations without byte offsets, numeric fields with
// NumericShifts only; 4: the actor_kind and actor_by_kind
// fields, which an older index's mapping lacks but its new documents get;
// 3: the span of publication dates in the counts, for the latest view; 2:
// term counts in article records, for BM25's average field lengths). An
// index written by an older version still opens and searches; re-ingest to
// benefit. Tools that cache built indexes key them by it.
const DocumentVersion = 6

// schemaVersion is stored in the index and checked on open, so an index
// written with an incompatible mapping is reported rather than misread.
// 2: facet fields with per-document, uncompressed doc values; 3: no
// article records (an index of schema 2 is still read and written, and
// becomes 3 with its first ingest).
const (
	schemaVersion = "3"
	legacySchema  = "2"
)

// newMapping returns the explicit, lean mapping of a chunk document: English
// analysis (stemming) on text and title with term vectors for phrases,
// proximity and highlighting (positions: the pipeline drops their byte
// offsets), keyword fields with doc values for facets, a date for
// published, and BM25 scoring. Nothing is mapped dynamically. What a
// chunk stores is what its hit shows: the article-level fields are
// stored with the first chunk only (chunkDoc).
func newMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	// No "_all" composite field: queries name their fields.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	doc.AddFieldMappingsAt(FieldText, text())
	doc.AddFieldMappingsAt(FieldTitle, text())
	doc.AddFieldMappingsAt(FieldArticleID, keywordField(false))
	// The facet fields are declared here so queries analyse them as
	// keywords; documents carry them with facetOptions (see chunkDoc).
	for _, name := range []string{FieldSource, FieldCountry, FieldActor, FieldTopic, FieldActorKind, FieldActorByKind} {
		doc.AddFieldMappingsAt(name, keywordField(true))
	}

	para := bleve.NewNumericFieldMapping()
	para.Store = false // a chunk's id holds it (ParagraphOf)
	para.IncludeInAll = false
	para.DocValues = true
	doc.AddFieldMappingsAt(FieldParagraph, para)

	published := bleve.NewDateTimeFieldMapping()
	published.Store = true
	published.IncludeInAll = false
	published.DocValues = true
	doc.AddFieldMappingsAt(FieldPublished, published)

	url := keywordField(false)
	url.Index = false // stored for hits, never searched
	doc.AddFieldMappingsAt(FieldURL, url)

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.DefaultField = FieldText
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = bindex.BM25Scoring
	return m
}
