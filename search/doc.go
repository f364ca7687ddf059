// Package search is the read side of Briefsearch: it turns a Request into a
// bleve query over an index.Index and returns ranked, highlighted paragraph
// hits with facet counts.
//
//	s := search.New(ix, search.Options{})
//	res, err := s.Search(ctx, search.Request{Query: "Iran plots", Facets: []string{"country"}})
//
// Queries use bleve's query-string syntax (ParseQuery). Words without a
// field must match the paragraph text; the same words in the article title
// add a boosted optional clause; paragraphs containing all optional words
// get a bonus clause, so they rank above those with only some. Ranking is
// BM25, ties break on the chunk id so pages are stable.
//
// Filters (country, actor, topic, source, a date range) are a non-scoring
// boolean filter: OR within a field, AND across fields. Facet counts cover
// the whole filtered result; the counts of a field that is itself filtered
// come from a parallel search without that field's filter (multi-select
// faceting), so selecting Iran still shows what Russia would add.
//
// Highlights are built from bleve's term locations (Highlight): fragments
// of the stored paragraph, HTML-escaped except for the <mark> tags.
//
// A malformed request returns an error wrapping ErrInvalid whose message is
// safe to show to the caller. The package holds no HTTP: package api maps
// errors to statuses.
package search
