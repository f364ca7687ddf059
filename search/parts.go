package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Searching in parts. A search of common words on a large index scores
// tens of thousands of paragraphs on one core. The index's documents are
// numbered in one sequence over its segments, so the same query can run
// as several searches at once, each over its own stripes of the numbers,
// and their top hits merge into those of the whole: the same hits, scores
// and order (ties keep the index's order), the same total and facet
// counts. All parts must read the same snapshot of the index; when an
// ingest swaps it between their starts, the search runs again whole.

// partMin is the fewest documents an index holds for its searches to run
// in parts: below it a search is short and two cost more than one.
var partMin uint64 = 40000

// maxParts is the most parts a search runs in by default: past a few,
// merging and building each part's searchers cost more than they save.
const maxParts = 4

// parts is how many parts a search of an index of n documents runs in,
// given Options.Parallel. By default a search takes half the cores (at
// most maxParts): its parts cost together half as much again as the
// search whole (each builds its searchers over every segment, and each
// prunes against its own best scores only), so they pay where cores
// would otherwise idle, and on two cores one part is as fast at a
// single client and does more at several (bench/RESULTS.md).
func parts(n uint64, parallel int) int {
	if parallel <= 0 {
		parallel = min(maxParts, runtime.GOMAXPROCS(0)/2)
	}
	if n < partMin || parallel <= 1 {
		return 1
	}
	return min(parallel, stripes)
}

// errOtherSnapshot is how a part reports that it saw another snapshot of
// the index than the first part did.
var errOtherSnapshot = errors.New("the index changed between the parts of a search")

// partRun is what the parts of one search share: the snapshot the first
// part opened.
type partRun struct {
	mu   sync.Mutex
	snap *scorch.IndexSnapshot
	n    int // parts
}

// partQuery matches what q matches among the documents of part k of n.
type partQuery struct {
	q    query.Query
	run  *partRun
	part int
}

// Searcher implements query.Query.
func (pq *partQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("a search in parts needs a scorch index, not %T", i)
	}
	r := pq.run
	r.mu.Lock()
	if r.snap == nil {
		r.snap = snap
	}
	same := r.snap == snap
	r.mu.Unlock()
	if !same {
		return nil, errOtherSnapshot
	}
	var docs uint64
	for _, ss := range snap.Segments() {
		docs += ss.Segment().Count()
	}
	p := &partSearcher{stripe: max(1, docs/stripes), part: uint64(pq.part), n: uint64(r.n)}
	ctx = context.WithValue(ctx, partKey{}, partInfo{stripe: p.stripe, part: p.part, n: p.n})
	child, err := pq.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	p.Searcher = child
	return p, nil
}

// stripes is how many runs of document numbers the parts of a search take
// in turn. Paragraphs are numbered in the order they were written, so the
// matches of a query cluster (the UN debates' words in the UN debates):
// halves would leave one part with most of the work.
const stripes = 16

// partSearcher passes on the matches of its child in its part: the
// stripes of document numbers k, k+n, k+2n, ….
type partSearcher struct {
	search.Searcher
	stripe, part, n uint64
	id              bindex.IndexInternalID
}

// Next implements search.Searcher.
func (p *partSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := p.Searcher.Next(ctx)
	return p.own(ctx, d, err)
}

// Advance implements search.Searcher.
func (p *partSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := p.Searcher.Advance(ctx, id)
	return p.own(ctx, d, err)
}

// own returns d if it is in the part, else the child's next match that is.
func (p *partSearcher) own(ctx *search.SearchContext, d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for d != nil && err == nil {
		s := d.IndexInternalID.Value() / p.stripe
		skip := (p.part + p.n - s%p.n) % p.n
		if skip == 0 {
			return d, nil
		}
		p.id = bindex.NewIndexInternalID(p.id, (s+skip)*p.stripe)
		d, err = p.Searcher.Advance(ctx, p.id)
	}
	return d, err
}

// searchParts runs req in n parts at once, part k's query being
// wrap(the part's query of req.Query, k), and merges their results as one
// search would have returned them. ok is false when the parts saw
// different snapshots of the index: run the search whole.
func searchParts(ctx context.Context, bi bleve.Index, req *bleve.SearchRequest, n int, wrap func(query.Query, int) query.Query) (res *bleve.SearchResult, ok bool, err error) {
	run := &partRun{n: n}
	ctx, totals := withExactTotals(ctx)
	results := make([]*bleve.SearchResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for k := range n {
		part := *req
		part.Query = wrap(&partQuery{q: req.Query, run: run, part: k}, k)
		part.From, part.Size = 0, req.From+req.Size
		part.Sort = req.Sort.Copy() // a sort keeps the values of the match it reads
		wg.Go(func() { results[k], errs[k] = bi.SearchInContext(ctx, &part) })
	}
	wg.Wait()
	for _, err := range errs {
		if errors.Is(err, errOtherSnapshot) {
			return nil, false, nil
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, true, err
	}
	res = results[0]
	for _, r := range results[1:] {
		took := max(res.Took, r.Took)
		res.Merge(r)
		res.Took = took
	}
	totals.fix(res, n)
	// Ties keep the index's order, as in one search (which numbers its
	// matches in the order of their documents).
	for _, h := range res.Hits {
		h.HitNumber = h.IndexInternalID.Value()
	}
	cachedScoring, cachedDesc := req.Sort.CacheIsScore(), req.Sort.CacheDescending()
	slices.SortFunc(res.Hits, func(a, b *search.DocumentMatch) int {
		return req.Sort.Compare(cachedScoring, cachedDesc, a, b)
	})
	res.Hits = res.Hits[min(req.From, len(res.Hits)):min(req.From+req.Size, len(res.Hits))]
	for name, fr := range req.Facets {
		res.Facets.Fixup(name, fr.Size)
	}
	res.Request = req
	return res, true, nil
}

// searchMain runs the main search of a request: main, whose query is
// filtered wrapped in counter's countQuery when facets are counted; on a
// large index in parts at once. It returns the result and the counts of
// the counted facets.
func (s *Searcher) searchMain(ctx context.Context, main *bleve.SearchRequest, filtered query.Query, counter *facetCounter, counted []string, size int) (*bleve.SearchResult, map[string][]FacetValue, error) {
	bi := s.ix.Bleve()
	n := 1
	if docs, err := bi.DocCount(); err == nil {
		n = parts(docs, s.opts.Parallel)
	}
	if n > 1 {
		counters := make([]*facetCounter, n)
		whole := *main
		whole.Query = filtered
		res, ok, err := searchParts(ctx, bi, &whole, n, func(q query.Query, k int) query.Query {
			if counter == nil {
				return q
			}
			counters[k] = s.facetCounter(counted)
			return &countQuery{q, counters[k]}
		})
		if ok {
			if err != nil || counter == nil {
				return res, nil, err
			}
			for _, c := range counters[1:] {
				counters[0].merge(c)
			}
			values, err := counters[0].values(counted, size)
			return res, values, err
		}
	}
	res, err := searchExact(ctx, bi, main)
	if err != nil || counter == nil {
		return res, nil, err
	}
	values, err := counter.values(counted, size)
	return res, values, err
}
