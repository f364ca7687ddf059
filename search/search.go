package search

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// Options configures a Searcher. Zero values take the defaults below.
type Options struct {
	DefaultLimit int // hits when a request gives no limit (10)
	MaxLimit     int // largest limit a request may ask for (100)
	FacetSize    int // values per facet when a request gives none (10)
	MaxFacetSize int // largest facet size a request may ask for (100)
	MaxQuery     int // longest query, in bytes (2000)
	// MaxTerms bounds the index terms one search may visit: every word,
	// alias and facet value counts one, a prefix, fuzzy word or regular
	// expression one per term it expands to (4096).
	MaxTerms int
	Timeout  time.Duration // bound on one search; 0 means none
	// Parallel is the most parts a search of a large index (40,000
	// paragraphs or more) runs in at once, each on a core of its own, with
	// the same results: 0 for half the machine's cores (at most 4; one
	// part on two cores), 1 to run every search whole (for a service that
	// keeps every core busy with searches of its own). Parts cost about
	// half as much CPU again as one search.
	Parallel int
	// Ranking weighs the relevance signals; nil means DefaultRanking().
	Ranking *Ranking
	// Synonyms are searched besides the query's words (see Synonyms).
	Synonyms Synonyms
}

// DefaultOptions returns the options used for zero fields.
func DefaultOptions() Options {
	return Options{DefaultLimit: 10, MaxLimit: 100, FacetSize: 10, MaxFacetSize: 100, MaxQuery: 2000, MaxTerms: 4096}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.DefaultLimit <= 0 {
		o.DefaultLimit = d.DefaultLimit
	}
	if o.MaxLimit <= 0 {
		o.MaxLimit = d.MaxLimit
	}
	if o.FacetSize <= 0 {
		o.FacetSize = d.FacetSize
	}
	if o.MaxFacetSize <= 0 {
		o.MaxFacetSize = d.MaxFacetSize
	}
	if o.MaxQuery <= 0 {
		o.MaxQuery = d.MaxQuery
	}
	if o.MaxTerms <= 0 {
		o.MaxTerms = d.MaxTerms
	}
	return o
}

// Searcher runs Requests against an index. It is safe for concurrent use
// and sees writes as soon as they are acknowledged.
type Searcher struct {
	ix       *index.Index
	opts     Options
	rank     Ranking
	analyzer analysis.Analyzer   // of the text field, to map matched terms to concepts
	facets   facetCache          // facets of the whole index, for the latest view
	dense    *denseColumns       // columns of common words' postings
	columns  facetColumns        // facet values per segment, for counting
	typos    typoCache           // corrections of unknown words
	synonyms map[string][]string // by analysed form
	// bleveWords runs plain words through bleve's own disjunction
	// instead of anyWordsQuery (the reference of its tests).
	bleveWords bool
}

// Index returns the index s searches.
func (s *Searcher) Index() *index.Index { return s.ix }

// New returns a Searcher over ix.
func New(ix *index.Index, opts Options) *Searcher {
	s := &Searcher{ix: ix, opts: opts.withDefaults(), rank: DefaultRanking(), analyzer: textAnalyzer(ix), dense: newDenseColumns()}
	if opts.Ranking != nil {
		s.rank = *opts.Ranking
	}
	s.synonyms = opts.Synonyms.index(s.analysed)
	return s
}

// Response is the result of a search.
type Response struct {
	Query  string                  `json:"query"`
	Total  uint64                  `json:"total"`
	TookMS float64                 `json:"took_ms"`
	Limit  int                     `json:"limit"`
	Offset int                     `json:"offset"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets,omitempty"`
	// TotalArticles and Groups answer a request grouped by article (see
	// Request.Group); Hits is then empty.
	TotalArticles int     `json:"total_articles,omitempty"`
	Groups        []Group `json:"groups,omitempty"`
	// Phases is where the time went, for metrics; not part of the JSON.
	Phases Phases `json:"-"`
	// Understood lists the countries, actors and topics the query's words
	// were resolved to and the aliases searched for them; absent when
	// nothing was resolved or the request was literal.
	Understood *Understood `json:"understood,omitempty"`
}

// Phases splits a search's time: reading and understanding the query,
// the bleve searches (hits, facets), and building the hits (stored fields,
// highlights, context).
type Phases struct {
	Query, Search, Hits time.Duration
}

// Hit is one matching paragraph.
type Hit struct {
	ID        string     `json:"id"`
	ArticleID string     `json:"article_id"`
	Paragraph int        `json:"paragraph"`
	Score     float64    `json:"score"`
	Title     string     `json:"title,omitempty"`
	Source    string     `json:"source,omitempty"`
	URL       string     `json:"url,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	// Text is the whole paragraph, plain.
	Text string `json:"text"`
	// Highlights are HTML-safe fragments of Text, best first: everything
	// is escaped except the tags around matched words (<mark> unless the
	// request chose others; see HighlightOptions).
	Highlights []string `json:"highlights"`
	// Matches are the matched ranges of Text in characters (Unicode code
	// points from 0), for clients that mark the text themselves.
	Matches []Match `json:"matches"`
	// TitleHighlight is the HTML-safe title with matched words marked, when
	// the query matched the title.
	TitleHighlight string `json:"title_highlight,omitempty"`
	// Before and After are the paragraphs of the article just before and
	// after the hit (plain text, nearest last in Before and first in
	// After), when the request asked for Context.
	Before  []string `json:"before,omitempty"`
	After   []string `json:"after,omitempty"`
	Country []string `json:"country"`
	Actor   []string `json:"actor"`
	// ActorKind is the kind of each actor, parallel to Actor ("" when
	// unknown): militant, military, person, … (enrich.Kinds).
	ActorKind []string `json:"actor_kind"`
	Topic     []string `json:"topic"`
}

// FacetValue is the count of hits with one value of a facet field, or in
// one bucket of the date histogram (FacetPublished): Value then names the
// bucket (2024, 2024-03, or its first day for days and weeks) and Start
// and End bound it, inclusive.
type FacetValue struct {
	Value string     `json:"value"`
	Count int        `json:"count"`
	Start *time.Time `json:"start,omitempty"`
	End   *time.Time `json:"end,omitempty"`
}

// loadFields reads these stored fields of hits from the index as
// it is now. A hit deleted since the search keeps no fields; one replaced
// since gets its new fields (its highlights may then miss: Highlight
// ignores spans out of range). near, when not nil, holds for each hit
// without a number of its own a hit whose segment likely holds it (see
// storedReader).
func (s *Searcher) loadFields(hits, near bsearch.DocumentMatchCollection, fields []string) error {
	if len(hits) == 0 {
		return nil
	}
	r, err := s.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	sr := newStoredReader(r)
	req := &bleve.SearchRequest{Fields: fields}
	for i, h := range hits {
		var n *bsearch.DocumentMatch
		if i < len(near) {
			n = near[i]
		}
		sr.expect(h, n)
		if err, _ := bleve.LoadAndHighlightFields(h, req, "", sr, nil); err != nil && !errors.Is(err, bleve.ErrorIndexReadInconsistency) {
			return err
		}
	}
	return nil
}

// articleFields gives hits their article's title, source, URL and date
// where their chunk does not store them (every chunk but an article's
// first; an index written before this stores them in every chunk): from
// the article's first chunk, read once per article. matched are the
// bleve hits behind hits, in the same order, for the title's term
// locations.
func (s *Searcher) articleFields(hits []Hit, matched bsearch.DocumentMatchCollection, hl HighlightOptions) error {
	var need []int // hits whose chunk does not store the article's fields
	firsts := map[string]*bsearch.DocumentMatch{}
	var load, near bsearch.DocumentMatchCollection
	for i := range hits {
		if i >= len(matched) || matched[i].Fields[index.FieldArticleID] != nil {
			continue
		}
		need = append(need, i)
		if firsts[hits[i].ArticleID] == nil {
			first := &bsearch.DocumentMatch{ID: index.ChunkID(hits[i].ArticleID, 1)}
			firsts[hits[i].ArticleID] = first
			load = append(load, first)
			near = append(near, matched[i])
		}
	}
	if err := s.loadFields(load, near, articleLevelFields); err != nil {
		return err
	}
	for _, i := range need {
		s.setArticleFields(&hits[i], firsts[hits[i].ArticleID].Fields, matched[i].Locations[index.FieldTitle], hl)
	}
	return nil
}

// articleLevelFields are the stored fields an article keeps with its first
// chunk only.
var articleLevelFields = []string{index.FieldTitle, index.FieldSource, index.FieldURL, index.FieldPublished}

// setArticleFields sets the article-level fields of hit from stored
// fields, the title highlighted at titleLocs.
func (s *Searcher) setArticleFields(hit *Hit, fields map[string]any, titleLocs bsearch.TermLocationMap, hl HighlightOptions) {
	hit.Title = index.FieldString(fields[index.FieldTitle])
	hit.Source = index.FieldString(fields[index.FieldSource])
	hit.URL = index.FieldString(fields[index.FieldURL])
	hit.TitleHighlight = ""
	titleLocs = titleLocations(s.analyzer, hit.Title, titleLocs)
	if marked := highlight(hit.Title, locatedSpans(s.analyzer, hit.Title, titleLocs), HighlightOptions{Whole: true, Pre: hl.Pre, Post: hl.Post}); len(marked) > 0 {
		hit.TitleHighlight = marked[0]
	}
	hit.Published = nil
	if p, err := time.Parse(time.RFC3339Nano, index.FieldString(fields[index.FieldPublished])); err == nil {
		p = p.UTC()
		hit.Published = &p
	}
}

var hitFields = []string{
	index.FieldArticleID, index.FieldTitle, index.FieldSource,
	index.FieldURL, index.FieldPublished, index.FieldText,
	index.FieldCountry, index.FieldActor, index.FieldTopic, index.FieldActorByKind,
}

// Search runs req. It returns an error wrapping ErrInvalid when the request
// is malformed (the message says why), and the context's error when ctx
// ends first.
func (s *Searcher) Search(ctx context.Context, req Request) (*Response, error) {
	start := time.Now()
	rq, err := s.prepare(&req)
	if err != nil {
		return nil, err
	}
	if req.Group == GroupArticle {
		return s.runGrouped(ctx, req, rq, start)
	}
	return s.run(ctx, req, rq, start, false)
}

// prepare checks req, applies its defaults, makes its filter values
// canonical and builds its query.
func (s *Searcher) prepare(req *Request) (*relevanceQuery, error) {
	if err := req.normalise(s.opts); err != nil {
		return nil, err
	}
	s.canonicalFilters(req)
	return s.buildQuery(req.Query, req.Literal, !req.NoTypos)
}

// run searches with a built query; req is normalised and its filters
// canonical. With idsOnly the hits hold their ids and scores only, in rank
// order.
func (s *Searcher) run(ctx context.Context, req Request, rq *relevanceQuery, start time.Time, idsOnly bool) (*Response, error) {
	built := time.Now()
	q := rq.q
	var prune *pruning
	if req.Sort == SortRelevance && rq.n > 0 && (s.rank.Title > 0 || s.rank.Proximity > 0 || s.rank.AllWords > 0) {
		rs := &rescoreQuery{q: q, newFn: s.scorer(rq)}
		if rq.flat && req.Recency <= 0 && filterQuery(&req, "") == nil {
			// Plain words, unfiltered: skip what cannot reach the page or
			// the article factor's candidates.
			top := req.Offset + req.Limit
			if rq.n > 0 && s.rank.Article > 0 && s.rank.ArticleDepth > 1 {
				top = max(top, s.rank.ArticleDepth)
			}
			prune = &pruning{top: top, bound: func(d *bsearch.DocumentMatch, clauses int) float64 {
				return s.rank.maxFactors(rq, d, clauses)
			}}
			rs.prune = prune
		}
		q = rs
	}
	if req.Recency > 0 && req.Sort == SortRelevance {
		if span, err := s.ix.Span(); err == nil && !span.Newest.IsZero() {
			q = &recencyQuery{q: q, newest: span.Newest, halfLife: req.Recency}
		}
	}
	if s.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.opts.Timeout)
		defer cancel()
	}
	// bleve counts the term searchers a search builds and fails it past
	// this bound, before reading any postings.
	ctx = context.WithValue(ctx, bsearch.MaxTermSearchersKey, s.opts.MaxTerms)

	stats, err := s.bm25Stats()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// The article factor looks at the best candidates, not only the page:
	// they are collected without their stored fields, reordered, and the
	// fields of the page's hits read after.
	article := req.Sort == SortRelevance && rq.n > 0 && s.rank.Article > 0 && s.rank.ArticleDepth > 1
	size, from := req.Limit, req.Offset
	if article {
		size, from = max(req.Offset+req.Limit, s.rank.ArticleDepth), 0
	}
	// Facets on fields without a filter of their own are counted on the
	// main result (from the facet columns; the date histogram by bleve);
	// the others need a search without their own filter.
	var separate, counted []string
	byArticle := req.FacetCount == CountArticles
	facets := bleve.FacetsRequest{} // the main result's, for the latest view
	for _, f := range req.Facets {
		if byArticle && f != FacetPublished {
			continue // counted below
		}
		if len(req.filter(f)) > 0 {
			separate = append(separate, f)
			continue
		}
		facets[f] = facetRequest(f, req.FacetSize)
		if f != FacetPublished {
			counted = append(counted, f)
		}
	}
	filtered := withFilter(q, filterQuery(&req, ""))
	mainQuery := filtered
	var mainCounter *facetCounter
	if len(counted) > 0 {
		mainCounter = s.facetCounter(counted)
		mainQuery = &countQuery{mainQuery, mainCounter}
	}
	if _, histogram := facets[FacetPublished]; prune != nil && !histogram {
		// When nothing but the words and the facet counts read every
		// match, those that cannot reach the page need not be visited,
		// and the words count the facets from their postings.
		s.skipping(rq, prune)
	}
	main := bleve.NewSearchRequestOptions(mainQuery, size, from, false)
	main.PreSearchData = stats
	// Locations feed the ranking factors as well as the highlights; with
	// the article factor the fields of the page's hits are read after.
	main.IncludeLocations = true
	if !idsOnly && !article {
		main.Fields = hitFields
	}
	if fr, ok := facets[FacetPublished]; ok {
		main.AddFacet(FacetPublished, fr)
	}

	// Ties keep the index's natural order: a tie-break on the chunk id
	// would load every candidate's id and double the cost of a search on a
	// large index (BenchmarkSearch).
	switch req.Sort {
	case SortNewest:
		main.SortBy([]string{"-" + index.FieldPublished, "-_score"})
	case SortOldest:
		main.SortBy([]string{index.FieldPublished, "-_score"})
	}

	bi := s.ix.Bleve()
	results := make([]*bleve.SearchResult, 1+len(separate))
	errs := make([]error, 1+len(separate))
	// colCounts[f] holds the facets counted from columns.
	colCounts := make([]map[string][]FacetValue, 1+len(separate))
	var wg sync.WaitGroup
	for i, f := range separate {
		wg.Go(func() {
			if rq.all && filterQuery(&req, f) == nil {
				// Everything but this field's own filter: the whole
				// index's counts, kept per change of the index.
				if span, err := s.ix.Span(); err == nil {
					whole := Request{Facets: []string{f}, FacetSize: req.FacetSize}
					facets, err := s.allFacets(ctx, &whole, span.Changed)
					results[i+1], errs[i+1] = &bleve.SearchResult{Facets: facets}, err
					return
				}
			}
			// Counts need the matching paragraphs only, not their scores.
			counter := s.facetCounter([]string{f})
			fr := bleve.NewSearchRequestOptions(&countQuery{withFilter(rq.match, filterQuery(&req, f)), counter}, 0, 0, false)
			fr.Score = "none"
			fr.PreSearchData = stats
			if results[i+1], errs[i+1] = bi.SearchInContext(ctx, fr); errs[i+1] == nil {
				colCounts[i+1], errs[i+1] = counter.values([]string{f}, req.FacetSize)
			}
		})
	}
	var articleCounts map[string][]FacetValue
	var articleErr error
	if byArticle {
		wg.Go(func() { articleCounts, articleErr = s.countArticles(ctx, &req, rq, stats) })
	}
	if !idsOnly {
		results[0], errs[0] = s.latestPage(ctx, rq, &req, facets)
	}
	if results[0] == nil && errs[0] == nil {
		results[0], colCounts[0], errs[0] = s.searchMain(ctx, main, filtered, mainCounter, counted, req.FacetSize)
	}
	wg.Wait()
	if err := errors.Join(append(errs, articleErr)...); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("search: %w", ctxErr)
		}
		if errors.Is(err, bleve.ErrorIndexClosed) {
			return nil, fmt.Errorf("search: %w", index.ErrClosed)
		}
		if strings.Contains(err.Error(), "TooManyTermSearchers") {
			return nil, fmt.Errorf("%w: the query expands to more than %d index terms (the limit of one search): "+
				"use longer prefixes before *, fewer fuzzy words or a narrower regular expression", ErrInvalid, s.opts.MaxTerms)
		}
		return nil, fmt.Errorf("search: %w", err)
	}

	searched := time.Now()
	res := results[0]
	if article {
		s.articleContext(res.Hits)
		res.Hits = res.Hits[min(req.Offset, len(res.Hits)):min(req.Offset+req.Limit, len(res.Hits))]
		if !idsOnly {
			if err := s.loadFields(res.Hits, nil, hitFields); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			// A paragraph deleted since the search has no fields left.
			res.Hits = slices.DeleteFunc(res.Hits, func(h *bsearch.DocumentMatch) bool { return h.Fields == nil })
		}
	}
	out := &Response{
		Query:  req.Query,
		Total:  res.Total,
		Limit:  req.Limit,
		Offset: req.Offset,
		Hits:   make([]Hit, 0, len(res.Hits)),

		Understood: rq.understood,
	}
	for _, h := range res.Hits {
		if idsOnly {
			out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score})
			continue
		}
		text := index.FieldString(h.Fields[index.FieldText])
		marks := locatedSpans(s.analyzer, text, h.Locations[index.FieldText])
		hit := Hit{
			ID:         h.ID,
			ArticleID:  index.ArticleOf(h.ID),
			Paragraph:  index.ParagraphOf(h.ID),
			Score:      h.Score,
			Text:       text,
			Highlights: highlight(text, marks, req.Highlight),
			Matches:    matches(text, marks),
			Country:    index.FieldStrings(h.Fields[index.FieldCountry]),
			Actor:      index.FieldStrings(h.Fields[index.FieldActor]),
			Topic:      index.FieldStrings(h.Fields[index.FieldTopic]),
		}
		hit.ActorKind = actorKinds(hit.Actor, index.FieldStrings(h.Fields[index.FieldActorByKind]))
		s.setArticleFields(&hit, h.Fields, h.Locations[index.FieldTitle], req.Highlight)
		out.Hits = append(out.Hits, hit)
	}
	if !idsOnly {
		if err := s.articleFields(out.Hits, res.Hits, req.Highlight); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	if req.Sort == SortRelevance && rq.n > 0 && !idsOnly {
		s.demoteShort(out.Hits)
	}
	if req.Context > 0 {
		if err := s.addContext(ctx, out.Hits, req); err != nil {
			return nil, fmt.Errorf("search: context: %w", err)
		}
	}
	if len(req.Facets) > 0 {
		out.Facets = make(map[string][]FacetValue, len(req.Facets))
		for _, f := range req.Facets {
			if f != FacetPublished {
				if byArticle {
					out.Facets[f] = articleCounts[f]
				} else {
					out.Facets[f] = facetValues(results, colCounts, f)
				}
				continue
			}
			var fr *bsearch.FacetResult
			if results[0] != nil {
				fr = results[0].Facets[f]
			}
			if out.Facets[f], err = histogram(fr, req.Interval); err != nil {
				return nil, err
			}
		}
	}
	done := time.Now()
	out.Phases = Phases{Query: built.Sub(start), Search: searched.Sub(built), Hits: done.Sub(searched)}
	out.TookMS = float64(done.Sub(start).Microseconds()) / 1000
	return out, nil
}

// canonicalFilters rewrites filter values given as aliases or in another
// case to the canonical values the index holds (resolveFacet): country=UK
// becomes United Kingdom, actor=SIS becomes MI6, topic=Cyber becomes
// cyber.
func (s *Searcher) canonicalFilters(req *Request) {
	resolve := func(field string, values []string) []string {
		if len(values) == 0 {
			return values
		}
		out := make([]string, 0, len(values))
		for _, v := range values {
			for _, r := range s.resolveFacet(field, v) {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
		return out
	}
	req.Country, req.Scope.Country = resolve(index.FieldCountry, req.Country), resolve(index.FieldCountry, req.Scope.Country)
	req.Actor, req.Scope.Actor = resolve(index.FieldActor, req.Actor), resolve(index.FieldActor, req.Scope.Actor)
	req.Topic, req.Scope.Topic = resolve(index.FieldTopic, req.Topic), resolve(index.FieldTopic, req.Scope.Topic)
	req.Source, req.Scope.Source = resolve(index.FieldSource, req.Source), resolve(index.FieldSource, req.Scope.Source)
	req.ActorKind, req.Scope.ActorKind = resolve(index.FieldActorKind, req.ActorKind), resolve(index.FieldActorKind, req.Scope.ActorKind)
}

// resolveFacet returns the values of a facet field that v names, as the
// index holds them: a country's or actor's alias resolves through the
// gazetteers as the tagger would have tagged it (UK → United Kingdom,
// Daesh → Islamic State), a topic is lower case, and otherwise every
// indexed value equal to v ignoring case and accents matches ("antonio
// guterres" → António Guterres). A value that resolves to nothing is kept
// as given.
func (s *Searcher) resolveFacet(field, v string) []string {
	tagger := s.ix.Tagger()
	var pick func(enrich.Facets) []string
	switch field {
	case index.FieldCountry:
		pick = func(f enrich.Facets) []string { return f.Country }
	case index.FieldActor:
		pick = func(f enrich.Facets) []string { return f.Actor }
	case index.FieldTopic, index.FieldActorKind:
		return []string{strings.ToLower(v)}
	}
	if pick != nil {
		for _, form := range []string{v, titleCase(v)} {
			if got := pick(tagger.Tag("", []string{form})[0]); len(got) == 1 {
				return got
			}
		}
	}
	want := foldValue(v)
	values, _ := s.dictValues(field, v, 0, func(term string) bool { return foldValue(term) == want })
	if len(values) == 0 {
		return []string{v}
	}
	return values
}

// facetMatches returns the values of field that the case-insensitive
// regular expression re matches, among those starting with first in
// either case; more than MaxTerms is an error.
func (s *Searcher) facetMatches(field string, first rune, re string) ([]string, error) {
	m, err := regexp.Compile(re)
	if err != nil {
		return nil, err
	}
	values, err := s.dictValues(field, string(first), s.opts.MaxTerms, m.MatchString)
	if errors.Is(err, errTooMany) {
		return nil, fmt.Errorf("the wildcard matches more than %d %s values (the search.max_terms limit): "+
			"use a longer prefix", s.opts.MaxTerms, field)
	}
	return values, err
}

var errTooMany = errors.New("too many values")

// dictValues lists the terms of field that keep accepts, among those that
// start with the first letter of v in upper or lower case (or with any
// letter when v starts with none). With limit > 0, more than limit terms
// is errTooMany.
func (s *Searcher) dictValues(field, v string, limit int, keep func(string) bool) ([]string, error) {
	r, _ := utf8.DecodeRuneInString(v)
	prefixes := []string{""}
	if unicode.IsLetter(r) {
		prefixes = []string{string(unicode.ToUpper(r)), string(unicode.ToLower(r))}
		if prefixes[0] == prefixes[1] {
			prefixes = prefixes[:1]
		}
	}
	var out []string
	for _, p := range prefixes {
		dict, err := s.ix.Bleve().FieldDictPrefix(field, []byte(p))
		if err != nil {
			return nil, err
		}
		for {
			e, err := dict.Next()
			if err != nil || e == nil {
				_ = dict.Close()
				if err != nil {
					return nil, err
				}
				break
			}
			if keep(e.Term) {
				if limit > 0 && len(out) >= limit {
					_ = dict.Close()
					return nil, errTooMany
				}
				out = append(out, e.Term)
			}
		}
	}
	return out, nil
}

// titleCase capitalises the first letter of each word ("north korea" →
// "North Korea"), so lower-case filter values resolve too.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

// facetValues finds facet f in whichever result computed it: counted from
// the facet columns (cols, by result) or by bleve.
func facetValues(results []*bleve.SearchResult, cols []map[string][]FacetValue, f string) []FacetValue {
	for _, c := range cols {
		if v, ok := c[f]; ok {
			return v
		}
	}
	values := []FacetValue{}
	for _, r := range results {
		if r == nil {
			continue
		}
		fr, ok := r.Facets[f]
		if !ok || fr == nil || fr.Terms == nil {
			continue
		}
		for _, t := range fr.Terms.Terms() {
			v := t.Term
			if strings.HasPrefix(f, actorsOfKind) {
				_, v, _ = strings.Cut(v, "/") // "militant/Islamic State"
			}
			values = append(values, FacetValue{Value: v, Count: t.Count})
		}
		break
	}
	return values
}

// Article returns the indexed article with this id as seen through scope:
// only its paragraphs that pass the scope's filters. Returns an error
// wrapping index.ErrNotFound if no article has this id or none of its
// paragraphs is in scope (a scoped key cannot tell the two apart).
func (s *Searcher) Article(ctx context.Context, id string, scope Scope) (index.ArticleView, error) {
	view, err := s.ix.Article(ctx, id)
	if err != nil || scope.IsZero() {
		return view, err
	}
	req := Request{Scope: scope}
	s.canonicalFilters(&req)
	byArticle := query.NewTermQuery(id)
	byArticle.SetField(index.FieldArticleID)
	br := bleve.NewSearchRequestOptions(withFilter(byArticle, filterQuery(&req, "")), len(view.Paragraphs)+1, 0, false)
	br.Score = "none"
	res, err := s.ix.Bleve().SearchInContext(ctx, br)
	if err != nil {
		return index.ArticleView{}, fmt.Errorf("read article %q: %w", id, err)
	}
	in := map[int]bool{}
	for _, h := range res.Hits {
		in[index.ParagraphOf(h.ID)] = true
	}
	if len(in) == 0 {
		return index.ArticleView{}, fmt.Errorf("article %q: %w", id, index.ErrNotFound)
	}
	kept := view.Paragraphs[:0]
	for _, p := range view.Paragraphs {
		if in[p.Paragraph] {
			kept = append(kept, p)
		}
	}
	view.Paragraphs = kept
	return view, nil
}

// addContext fills Before and After of each hit with up to req.Context
// paragraphs of its article on each side (within the request's scope), read
// in one search by id.
func (s *Searcher) addContext(ctx context.Context, hits []Hit, req Request) error {
	var ids []string
	for _, h := range hits {
		for d := -req.Context; d <= req.Context; d++ {
			if n := h.Paragraph + d; d != 0 && n >= 1 {
				ids = append(ids, index.ChunkID(h.ArticleID, n))
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	scoped := Request{Scope: req.Scope}
	br := bleve.NewSearchRequestOptions(withFilter(query.NewDocIDQuery(ids), filterQuery(&scoped, "")), len(ids), 0, false)
	br.Fields = []string{index.FieldText}
	br.Score = "none"
	res, err := s.ix.Bleve().SearchInContext(ctx, br)
	if err != nil {
		return err
	}
	text := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		text[h.ID] = index.FieldString(h.Fields[index.FieldText])
	}
	for i := range hits {
		h := &hits[i]
		for d := -req.Context; d <= req.Context; d++ {
			t, ok := text[index.ChunkID(h.ArticleID, h.Paragraph+d)]
			switch {
			case !ok || d == 0:
			case d < 0:
				h.Before = append(h.Before, t)
			default:
				h.After = append(h.After, t)
			}
		}
	}
	return nil
}

// actorKinds returns the kind of each actor, from the "<kind>/<name>"
// values of the paragraph.
func actorKinds(actors, byKind []string) []string {
	kinds := make([]string, len(actors))
	for _, v := range byKind {
		kind, name, _ := strings.Cut(v, "/")
		if i := slices.Index(actors, name); i >= 0 {
			kinds[i] = kind
		}
	}
	return kinds
}

// reader opens a reader of the index as it is now; the caller closes it.
func (s *Searcher) reader() (bindex.IndexReader, error) {
	adv, err := s.ix.Bleve().Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}
