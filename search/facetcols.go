package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/briefsearch/briefsearch/index"
)

// Facet counts from columns. bleve counts a facet by decoding every
// match's doc values (a compressed chunk per few hundred documents, then
// the terms of each field), which was a third of a faceted search on a
// large index. A segment of the index never changes once written, so the
// values of each facet field are read from its term dictionary and
// postings once, into a column of value numbers per document; counting a
// match is then one array read per field. Columns are built on first use
// per segment and field and dropped when the segment leaves the index.
// Values are numbered once for the whole index (valueNames), so that a
// search counts into one array per field, whatever the segments.

// column is one facet field of one segment: the values of document d are
// the field's values numbered ords[start[d]:start[d+1]] (valueNames).
type column struct {
	start []uint32
	ords  []uint32
}

// valueNames numbers the values of one facet field across the index's
// segments: a value keeps its number while the index is open.
type valueNames struct {
	ids   map[string]uint32
	names []string // by number
}

// id returns the number of value v, numbering it if it is new.
func (vn *valueNames) id(v string) uint32 {
	id, ok := vn.ids[v]
	if !ok {
		id = uint32(len(vn.names))
		vn.ids[v] = id
		vn.names = append(vn.names, v)
	}
	return id
}

// segColumns are the columns of one segment, by field.
type segColumns struct {
	fields map[string]*column
	// seen is the generation of the last snapshot that held the segment.
	seen uint64
}

// facetColumns caches the columns of the index's segments.
type facetColumns struct {
	mu     sync.Mutex
	gen    uint64
	segs   map[segment.Segment]*segColumns
	values map[string]*valueNames // by field
}

// columns returns the columns of fields for every segment of the snapshot,
// in its order, building the missing ones, and forgets segments the
// snapshot no longer holds. names holds each field's value names, as many
// as the columns number.
func (fc *facetColumns) columns(segs []*scorch.SegmentSnapshot, fields []string) (cols [][]*column, names [][]string, err error) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.segs == nil {
		fc.segs = map[segment.Segment]*segColumns{}
		fc.values = map[string]*valueNames{}
	}
	fc.gen++
	out := make([][]*column, len(segs))
	for i, ss := range segs {
		sc := fc.segs[ss.Segment()]
		if sc == nil {
			sc = &segColumns{fields: map[string]*column{}}
			fc.segs[ss.Segment()] = sc
		}
		sc.seen = fc.gen
		out[i] = make([]*column, len(fields))
		for k, f := range fields {
			c := sc.fields[f]
			if c == nil {
				vn := fc.values[f]
				if vn == nil {
					vn = &valueNames{ids: map[string]uint32{}}
					fc.values[f] = vn
				}
				if c, err = buildColumn(ss.Segment(), f, vn); err != nil {
					return nil, nil, fmt.Errorf("facet column %s: %w", f, err)
				}
				sc.fields[f] = c
			}
			out[i][k] = c
		}
	}
	// Segments merged away are not in this snapshot; a search still on an
	// older snapshot builds its columns again.
	if len(fc.segs) > len(segs) {
		for s, sc := range fc.segs {
			if sc.seen != fc.gen {
				delete(fc.segs, s)
			}
		}
	}
	names = make([][]string, len(fields))
	for k, f := range fields {
		if vn := fc.values[f]; vn != nil {
			names[k] = vn.names
		}
	}
	return out, names, nil
}

// buildColumn reads a field's column from a segment's term dictionary and
// postings: every document of the segment, deleted or not (a deleted one
// never matches), its values numbered by vn.
func buildColumn(seg segment.Segment, field string, vn *valueNames) (*column, error) {
	n := seg.Count()
	dict, err := seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	c := &column{start: make([]uint32, n+1)}
	// Pairs of (document, value) in term order, then laid out by document.
	var docs, ords []uint32
	it := dict.AutomatonIterator(nil, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for {
		entry, err := it.Next()
		if err != nil {
			return nil, err
		}
		if entry == nil {
			break
		}
		ord := vn.id(entry.Term)
		if pl, err = dict.PostingsList([]byte(entry.Term), nil, pl); err != nil {
			return nil, err
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return nil, err
			}
			if p == nil {
				break
			}
			d := p.Number()
			if d >= n {
				return nil, fmt.Errorf("posting of document %d in a segment of %d", d, n)
			}
			docs = append(docs, uint32(d))
			ords = append(ords, ord)
			c.start[d+1]++
		}
	}
	for d := uint64(1); d <= n; d++ {
		c.start[d] += c.start[d-1]
	}
	c.ords = make([]uint32, len(ords))
	next := slices.Clone(c.start[:n])
	for k, d := range docs {
		c.ords[next[d]] = ords[k]
		next[d]++
	}
	return c, nil
}

// facetCounter counts the values of facet fields over the matches of a
// search: countQuery wraps the search's query with it.
type facetCounter struct {
	cols   *facetColumns
	fields []string // doc value fields

	// The columns of each segment of the snapshot searched, by field, and
	// per field the count of each value number (names) over the matches.
	segs   [][]*column
	names  [][]string
	counts [][]uint32
	err    error
	// bulk is set when the plain words below count the matches
	// themselves, from their postings' bitmaps (skipping.go).
	bulk bool
}

// facetCounterKey is the context key under which countQuery hands its
// counter to the searchers below it.
type facetCounterKey struct{}

// countDoc counts the values of document local of segment seg.
func (c *facetCounter) countDoc(seg int, local uint64) {
	for f, col := range c.segs[seg] {
		counts := c.counts[f]
		for _, o := range col.ords[col.start[local]:col.start[local+1]] {
			counts[o]++
		}
	}
}

// countQuery matches what q matches and counts each match's facet values
// into c. It works on a scorch index only (which every Briefsearch index
// is); on another reader it fails the search.
type countQuery struct {
	q query.Query
	c *facetCounter
}

// Searcher implements query.Query.
func (cq *countQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("facet counts need a scorch index, not %T", i)
	}
	c := cq.c
	segs := snap.Segments()
	var err error
	if c.segs, c.names, err = c.cols.columns(segs, c.fields); err != nil {
		return nil, err
	}
	c.counts = make([][]uint32, len(c.fields))
	for f, names := range c.names {
		c.counts[f] = make([]uint32, len(names))
	}
	child, err := cq.q.Searcher(context.WithValue(ctx, facetCounterKey{}, c), i, m, options)
	if err != nil {
		return nil, err
	}
	at := newDocSegments(segs)
	count := func(d *search.DocumentMatch) float64 {
		if c.bulk {
			return d.Score
		}
		seg, local, err := at.find(d.IndexInternalID.Value())
		if err != nil {
			c.err = err
			return d.Score
		}
		c.countDoc(seg, local)
		return d.Score
	}
	return &rescoreSearcher{Searcher: child, fn: count}, nil
}

// docSegments finds the segment of a document of a snapshot: its number
// in the snapshot is its segment's offset (the documents of the segments
// before it, deleted ones included) plus its number in the segment.
type docSegments struct {
	offsets []uint64
	seg     int // the segment of the last document found
}

func newDocSegments(segs []*scorch.SegmentSnapshot) docSegments {
	offsets := make([]uint64, len(segs)+1)
	for k, ss := range segs {
		offsets[k+1] = offsets[k] + ss.Segment().Count()
	}
	return docSegments{offsets: offsets}
}

// find returns the segment of document n and its number there. Matches come
// in document order, so the last segment is tried first.
func (ds *docSegments) find(n uint64) (seg int, local uint64, err error) {
	if last := len(ds.offsets) - 1; n < ds.offsets[ds.seg] || ds.seg >= last || n >= ds.offsets[ds.seg+1] {
		k, _ := slices.BinarySearch(ds.offsets, n+1)
		if k == 0 || k > last {
			return 0, 0, fmt.Errorf("match %d beyond the snapshot's %d documents", n, ds.offsets[last])
		}
		ds.seg = k - 1
	}
	return ds.seg, n - ds.offsets[ds.seg], nil
}

// merge adds the counts of o, a counter of the same fields over another
// part of the same snapshot, to c's.
func (c *facetCounter) merge(o *facetCounter) {
	for f := range o.counts {
		if len(o.names[f]) > len(c.names[f]) {
			c.names[f] = o.names[f]
			c.counts[f] = append(c.counts[f], make([]uint32, len(o.counts[f])-len(c.counts[f]))...)
		}
		for v, n := range o.counts[f] {
			c.counts[f][v] += n
		}
	}
	c.err = errors.Join(c.err, o.err)
}

// result returns the counts of field: the values starting with prefix
// (cut from them), most frequent first, at most size, in bleve's order
// (count, then value).
func (c *facetCounter) result(field, prefix string, size int) ([]FacetValue, error) {
	if c.err != nil {
		return nil, c.err
	}
	f := slices.Index(c.fields, field)
	if f < 0 {
		return nil, fmt.Errorf("facet %s was not counted", field)
	}
	counted := func(yield func(FacetValue) bool) {
		for v, n := range c.counts[f] {
			if n > 0 {
				if name, ok := strings.CutPrefix(c.names[f][v], prefix); ok && !yield(FacetValue{Value: name, Count: int(n)}) {
					return
				}
			}
		}
	}
	return topOf(counted, size), nil
}

// topOf returns the size most frequent of values (distinct), in
// bleve's order (count, then value). A field such as actor has thousands
// of values: keeping the best few as they come costs a fraction of
// sorting them all, and nothing is kept of the others.
func topOf(values iter.Seq[FacetValue], size int) []FacetValue {
	before := func(a, b FacetValue) bool { return a.Count > b.Count || a.Count == b.Count && a.Value < b.Value }
	// top is a heap whose root is the worst value kept.
	top := make([]FacetValue, 0, min(max(size, 0), 64))
	down := func(i int) {
		for {
			worst, l, r := i, 2*i+1, 2*i+2
			if l < len(top) && before(top[worst], top[l]) {
				worst = l
			}
			if r < len(top) && before(top[worst], top[r]) {
				worst = r
			}
			if worst == i {
				return
			}
			top[i], top[worst] = top[worst], top[i]
			i = worst
		}
	}
	for fv := range values {
		switch {
		case len(top) < size:
			top = append(top, fv)
			for i := len(top) - 1; i > 0 && before(top[(i-1)/2], top[i]); i = (i - 1) / 2 {
				top[i], top[(i-1)/2] = top[(i-1)/2], top[i]
			}
		case size > 0 && before(fv, top[0]):
			top[0] = fv
			down(0)
		}
	}
	slices.SortFunc(top, func(a, b FacetValue) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value)) })
	return top
}

// valueField returns the doc value field that holds facet f's values and
// the prefix they carry there: "actor.<kind>" counts the actor_by_kind
// values of that kind.
func valueField(f string) (field, prefix string) {
	if kind, ok := strings.CutPrefix(f, actorsOfKind); ok {
		return index.FieldActorByKind, index.ActorByKind(kind, "")
	}
	return f, ""
}

// facetCounter returns a counter of the facets (request names: country,
// actor.agency, …) over the index's columns.
func (s *Searcher) facetCounter(facets []string) *facetCounter {
	c := &facetCounter{cols: &s.columns}
	for _, f := range facets {
		if field, _ := valueField(f); !slices.Contains(c.fields, field) {
			c.fields = append(c.fields, field)
		}
	}
	return c
}

// values returns the counts of the facets after the search, at most size
// values each.
func (c *facetCounter) values(facets []string, size int) (map[string][]FacetValue, error) {
	out := make(map[string][]FacetValue, len(facets))
	for _, f := range facets {
		field, prefix := valueField(f)
		v, err := c.result(field, prefix, size)
		if err != nil {
			return nil, err
		}
		out[f] = v
	}
	return out, nil
}
