// Package search is the read side of Briefsearch: it turns a Request into a
// bleve query over an index.Index and returns ranked, highlighted paragraph
// hits with facet counts.
//
//	s := search.New(ix, search.Options{})
//	res, err := s.Search(ctx, search.Request{Query: "Iran plots", Facets: []string{"country"}})
//
// Queries use the query language of package search/lang (AND, OR, NOT,
// groups, phrases with proximity, wildcards, fuzzy words, field scopes,
// date ranges, boosts), compiled to bleve queries (ParseQuery); a query
// that does not parse is a *QueryError with its position. Plain words are
// grouped into concepts and resolved, with the index's tagger, to the
// countries, actors and topics they name and to their aliases (Understood
// reports what was made of them; Request.Literal turns it off). Ranking is
// BM25 with the index's real average field lengths, plus the facet values
// of the understood entities, times bounded coverage, proximity and title
// factors (Ranking, DefaultRanking; the README's "How ranking works" has
// the formulas and the measurements behind the weights).
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
