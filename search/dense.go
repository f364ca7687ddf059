package search

import (
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Dense postings. zap keeps a term's frequencies, field lengths and
// locations in chunks of about 1,024 postings, each a run of varints with
// no way into it but from its start: moving a common word's postings to a
// document decodes every posting before it in its chunk. MaxScore moves
// the words that cannot reach the page alone to every candidate of the
// others, and the pruned search reads the locations of the candidates
// that may reach it: on a large index, the commonest words of a query
// ("united", "nations", "international" in the UN debates) spent most of
// a slow search there. A segment never changes once written, so the
// postings of a word that one in eight or more of its documents hold are
// read once into columns by document number: its frequency (0 where it is
// absent) and the field's length, and its positions when a search first
// asks for them. Moving to a document is then a step of zap's bitmap of
// the postings (which leaves out deleted documents) and a few array
// reads. Scores and locations are the same to the bit: the columns hold
// what zap's postings hold. Columns are built on first use and dropped
// when their segment leaves the index; all of them together stay within a
// byte budget (terms past it are read from zap as before).

// denseTerm is a term's postings in one segment as columns by document
// number: its frequency (0: absent; 255: see big) and the field's length
// as zap stores it (normBits).
type denseTerm struct {
	freq []uint8
	norm []uint32
	big  map[uint32]uint64 // frequencies of 255 and more

	// locs are its locations, read on first use (denseColumns.locations).
	locsOnce sync.Once
	locs     *denseLocations
	locsErr  error
}

// denseLocations are a term's locations in one segment: the positions in
// document d are pos[start[d]:start[d+1]]. They are held only where the
// index keeps positions alone (no byte offsets, no array positions), as
// it has since document version 5, and below 65,536 (a paragraph's are);
// field is the field's name.
type denseLocations struct {
	field string
	start []uint32
	pos   []uint16
}

// denseLocation is a location read from denseLocations.
type denseLocation struct {
	field string
	pos   uint64
}

func (l *denseLocation) Field() string            { return l.field }
func (l *denseLocation) Start() uint64            { return 0 }
func (l *denseLocation) End() uint64              { return 0 }
func (l *denseLocation) Pos() uint64              { return l.pos }
func (l *denseLocation) ArrayPositions() []uint64 { return nil }
func (l *denseLocation) Size() int                { return 32 }

// frequency returns the term's frequency in document local.
func (dt *denseTerm) frequency(local uint64) uint64 {
	if f := dt.freq[local]; f < 255 {
		return uint64(f)
	}
	return dt.big[uint32(local)]
}

// denseEntry is a column being built or built, or nil (dt) when the
// postings are not zap's.
type denseEntry struct {
	once sync.Once
	dt   *denseTerm
	err  error
}

// denseKey names a term of a field.
type denseKey struct{ field, term string }

// denseSeg holds the columns of one segment.
type denseSeg struct {
	terms map[denseKey]*denseEntry
	bytes int64
	seen  uint64 // generation of the last snapshot that held it
}

// denseColumns caches the dense postings of the index's segments.
type denseColumns struct {
	// A term's postings in a segment of n documents are dense when they
	// hold at least minCount documents and one in every share; budget
	// bounds the bytes of all columns (0: no columns at all).
	minCount uint64
	share    uint64
	budget   int64

	mu    sync.Mutex
	gen   uint64
	bytes int64
	segs  map[segment.Segment]*denseSeg
}

// Defaults of denseColumns. Frequencies and lengths cost 5 bytes a
// document of the segment, 40 bytes or less a posting at these thresholds
// (one document in 8 or more); positions 4 bytes a document and 2 a
// position. The full tier of `make bench-full` (229k paragraphs) keeps
// about 25 MB of columns over its query mix; the budget bounds an index
// of many more common words.
const (
	denseMinCount = 256
	denseShare    = 8
	denseBudget   = 64 << 20
)

// newDenseColumns returns a cache with the default thresholds and budget.
func newDenseColumns() *denseColumns {
	return &denseColumns{minCount: denseMinCount, share: denseShare, budget: denseBudget}
}

// retain forgets the columns of segments the snapshot segs no longer
// holds (merged away): a search still on an older snapshot builds them
// again.
func (dc *denseColumns) retain(segs []*scorch.SegmentSnapshot) {
	if dc == nil || dc.budget <= 0 {
		return
	}
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if dc.segs == nil {
		dc.segs = map[segment.Segment]*denseSeg{}
	}
	dc.gen++
	for _, ss := range segs {
		if ds := dc.segs[ss.Segment()]; ds != nil {
			ds.seen = dc.gen
		}
	}
	for s, ds := range dc.segs {
		if ds.seen != dc.gen {
			dc.bytes -= ds.bytes
			delete(dc.segs, s)
		}
	}
}

// term returns the columns of term in field of segment seg, whose
// dictionary is dict and whose postings (deleted documents included)
// hold count documents, building them on first use; nil when the term is
// not dense there, the budget is spent or the postings are not zap's.
func (dc *denseColumns) term(seg segment.Segment, dict segment.TermDictionary, field string, term []byte, count uint64) (*denseTerm, error) {
	if dc == nil || dc.budget <= 0 {
		return nil, nil
	}
	n := seg.Count()
	if count < dc.minCount || count*dc.share < n {
		return nil, nil
	}
	key := denseKey{field, string(term)}
	dc.mu.Lock()
	if dc.segs == nil {
		dc.segs = map[segment.Segment]*denseSeg{}
	}
	ds := dc.segs[seg]
	if ds == nil {
		ds = &denseSeg{terms: map[denseKey]*denseEntry{}, seen: dc.gen}
		dc.segs[seg] = ds
	}
	e := ds.terms[key]
	if e == nil {
		size := int64(5 * n)
		if dc.bytes+size > dc.budget {
			dc.mu.Unlock()
			return nil, nil
		}
		e = &denseEntry{}
		ds.terms[key] = e
		ds.bytes += size
		dc.bytes += size
	}
	dc.mu.Unlock()
	e.once.Do(func() { e.dt, e.err = readDense(dict, term, n) })
	return e.dt, e.err
}

// locations returns the locations of dt, term's columns in field of seg,
// reading them on first use; nil when the budget is spent or the index
// keeps more than positions.
func (dc *denseColumns) locations(seg segment.Segment, dict segment.TermDictionary, field string, term []byte, dt *denseTerm) (*denseLocations, error) {
	dt.locsOnce.Do(func() {
		var dl *denseLocations
		if dl, dt.locsErr = readLocations(dict, field, term, uint64(len(dt.freq))); dl == nil {
			return
		}
		size := int64(4*len(dl.start) + 2*len(dl.pos))
		dc.mu.Lock()
		defer dc.mu.Unlock()
		ds := dc.segs[seg]
		if ds == nil || dc.bytes+size > dc.budget {
			return // the segment left the index, or no room
		}
		ds.bytes += size
		dc.bytes += size
		dt.locs = dl
	})
	return dt.locs, dt.locsErr
}

// readLocations reads the locations of term from dict, a dictionary of
// field in a segment of n documents; nil when they hold more than
// positions.
func readLocations(dict segment.TermDictionary, field string, term []byte, n uint64) (*denseLocations, error) {
	pl, err := dict.PostingsList(term, nil, nil)
	if err != nil {
		return nil, err
	}
	dl := &denseLocations{field: field, start: make([]uint32, n+1)}
	it := pl.Iterator(false, false, true, nil)
	next := uint64(0) // documents before it have their start
	for {
		post, err := it.Next()
		if err != nil {
			return nil, err
		}
		if post == nil {
			break
		}
		d := post.Number()
		if d >= n || d < next {
			return nil, nil
		}
		for ; next <= d; next++ {
			dl.start[next] = uint32(len(dl.pos))
		}
		for _, l := range post.Locations() {
			if l.Start() != 0 || l.End() != 0 || len(l.ArrayPositions()) != 0 || l.Field() != field || l.Pos() > math.MaxUint16 {
				return nil, nil
			}
			dl.pos = append(dl.pos, uint16(l.Pos()))
		}
	}
	for ; next <= n; next++ {
		dl.start[next] = uint32(len(dl.pos))
	}
	return dl, nil
}

// readDense reads the postings of term from dict, a dictionary of a
// segment of n documents, into columns; nil when they are not zap's.
func readDense(dict segment.TermDictionary, term []byte, n uint64) (*denseTerm, error) {
	pl, err := dict.PostingsList(term, nil, nil)
	if err != nil {
		return nil, err
	}
	dt := &denseTerm{freq: make([]uint8, n), norm: make([]uint32, n)}
	it := pl.Iterator(true, true, false, nil)
	for {
		post, err := it.Next()
		if err != nil {
			return nil, err
		}
		if post == nil {
			return dt, nil
		}
		nb, ok := post.(normer)
		d := post.Number()
		if !ok || d >= n {
			return nil, nil
		}
		f := post.Frequency()
		if f >= 255 {
			if dt.big == nil {
				dt.big = map[uint32]uint64{}
			}
			dt.big[uint32(d)] = f
			f = 255
		}
		dt.freq[d] = uint8(f)
		dt.norm[d] = uint32(nb.NormUint64())
	}
}
