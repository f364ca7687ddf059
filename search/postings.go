package search

import (
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// termPostings reads one term's postings in a field over the segments of
// a scorch snapshot, in document order, as scorch's term field reader
// does (the same documents, deleted ones left out, the same numbers), but
// without copying each posting into a bleve TermFieldDoc: the flat words
// read the length of the field raw (normBits), which BM25 needs, and the
// locations only when asked.
type termPostings struct {
	its     []segment.PostingsIterator // per segment, nil when the term is not there
	offsets []uint64                   // first document number of each segment
	seg     int                        // segment of the current posting
	count   uint64                     // documents holding the term
	// hit1[k] is 1 + the one document of segment k's postings when zap
	// keeps them as one hit (its iterator forgets it once read).
	hit1 []uint64

	// the current posting
	doc      uint64
	freq     uint64
	normBits uint64  // the field's length as zap stores it, when raw
	norm     float64 // Posting.Norm otherwise
	raw      bool
	locs     []segment.Location
	done     bool

	// dense[k], when set, reads segment k's postings from a column
	// (densePostings) instead of zap's iterator: from the iterator of
	// zap's bitmap of the postings (deleted documents left out).
	dense []*denseTerm
	di    roaring.IntPeekable // segment seg's, in dense mode
	// withLocs is set when the dense terms give their locations too:
	// locs then points into locBuf, both reused from one posting to the
	// next.
	withLocs bool
	locBuf   []denseLocation
	locPtrs  []segment.Location
}

// isDense reports whether segment k's postings are read from columns.
func (p *termPostings) isDense(k int) bool {
	return p.dense != nil && p.dense[k] != nil && p.its[k] != nil
}

// normer is how zap's postings give up the field length they store.
type normer interface{ NormUint64() uint64 }

// fieldDicts returns each segment's dictionary of field.
func fieldDicts(segs []*scorch.SegmentSnapshot, field string) ([]segment.TermDictionary, error) {
	dicts := make([]segment.TermDictionary, len(segs))
	for k, ss := range segs {
		d, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("postings of %s: %w", field, err)
		}
		dicts[k] = d
	}
	return dicts, nil
}

// newTermPostings returns the postings of term in the segments whose
// dictionaries are dicts, with their locations when locs is set; without
// them, from the columns of cols (field's) where the term is dense.
func newTermPostings(segs []*scorch.SegmentSnapshot, offsets []uint64, dicts []segment.TermDictionary, term []byte, locs bool, cols *denseColumns, field string) (*termPostings, error) {
	p := &termPostings{its: make([]segment.PostingsIterator, len(segs)), offsets: offsets}
	for k, ss := range segs {
		pl, err := dicts[k].PostingsList(term, ss.Deleted(), nil)
		if err != nil {
			return nil, fmt.Errorf("postings of %q: %w", term, err)
		}
		if pl == nil || pl.Count() == 0 {
			continue
		}
		p.count += pl.Count()
		p.its[k] = pl.Iterator(true, true, locs, nil)
		if o, ok := p.its[k].(segment.OptimizablePostingsIterator); ok {
			if doc, ok := o.DocNum1Hit(); ok {
				if p.hit1 == nil {
					p.hit1 = make([]uint64, len(segs))
				}
				p.hit1[k] = 1 + doc
			}
		}
		if _, one := p.oneHit(k); !one {
			if err := p.useDense(k, ss.Segment(), dicts[k], cols, field, term, pl.Count(), locs); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// useDense reads segment k's postings from their columns in cols when the
// term is dense there (dense.go) and zap gives up their bitmap; with their
// locations (locs) when the columns hold them.
func (p *termPostings) useDense(k int, seg segment.Segment, dict segment.TermDictionary, cols *denseColumns, field string, term []byte, count uint64, locs bool) error {
	it, ok := p.its[k].(segment.OptimizablePostingsIterator)
	if !ok || it.ActualBitmap() == nil {
		return nil
	}
	dt, err := cols.term(seg, dict, field, term, count)
	if err != nil || dt == nil {
		return err
	}
	if locs {
		if dl, err := cols.locations(seg, dict, field, term, dt); err != nil || dl == nil {
			return err
		}
		p.withLocs = true
	}
	if p.dense == nil {
		p.dense = make([]*denseTerm, len(p.its))
	}
	p.dense[k] = dt
	return nil
}

// docs returns the documents of segment k's postings, deleted ones left
// out (nil: none; a bitmap of zap's, not to be changed), and false when
// the postings are not zap's, which give up no bitmap.
func (p *termPostings) docs(k int) (*roaring.Bitmap, bool) {
	if p.its[k] == nil {
		return nil, true
	}
	if doc, ok := p.oneHit(k); ok {
		return roaring.BitmapOf(uint32(doc)), true
	}
	it, ok := p.its[k].(segment.OptimizablePostingsIterator)
	if !ok {
		return nil, false
	}
	return it.ActualBitmap(), true
}

// fieldAvg is the average length of field that bleve's BM25 divides by:
// the field's terms per document, rounded up (0 with no documents).
func fieldAvg(stats *search.BM25Stats, field string) (float64, bool) {
	card, ok := stats.FieldCardinality[field]
	if !ok {
		return 0, false
	}
	if stats.DocCount == 0 && card == 0 {
		return 0, true
	}
	return math.Ceil(float64(card) / stats.DocCount), true
}

// oneHit returns the one document of segment k's postings when zap keeps
// them as one hit.
func (p *termPostings) oneHit(k int) (uint64, bool) {
	if p.hit1 == nil || p.hit1[k] == 0 {
		return 0, false
	}
	return p.hit1[k] - 1, true
}

// next moves to the next posting; done is set past the last.
func (p *termPostings) next() error {
	for p.seg < len(p.its) {
		if p.isDense(p.seg) {
			if p.di == nil {
				p.di = p.its[p.seg].(segment.OptimizablePostingsIterator).ActualBitmap().Iterator()
			}
			if p.di.HasNext() {
				p.setDense(uint64(p.di.Next()))
				return nil
			}
			p.di = nil
			p.seg++
			continue
		}
		if it := p.its[p.seg]; it != nil {
			post, err := it.Next()
			if err != nil {
				return err
			}
			if post != nil {
				return p.set(post)
			}
		}
		p.seg++
	}
	p.done = true
	return nil
}

// advance moves to the first posting at or after document doc, which is
// past the current one.
func (p *termPostings) advance(doc uint64) error {
	for p.seg < len(p.its) && doc >= p.offsets[p.seg+1] {
		p.seg++
		p.di = nil
	}
	if p.seg >= len(p.its) {
		p.done = true
		return nil
	}
	if p.isDense(p.seg) && doc > p.offsets[p.seg] {
		if p.di == nil {
			p.di = p.its[p.seg].(segment.OptimizablePostingsIterator).ActualBitmap().Iterator()
		}
		p.di.AdvanceIfNeeded(uint32(doc - p.offsets[p.seg]))
		return p.next()
	}
	if it := p.its[p.seg]; it != nil && doc > p.offsets[p.seg] {
		post, err := it.Advance(doc - p.offsets[p.seg])
		if err != nil {
			return err
		}
		if post != nil {
			return p.set(post)
		}
		p.seg++
	}
	return p.next()
}

// setDense sets the current posting to document local of segment seg
// from its column.
func (p *termPostings) setDense(local uint64) {
	dt := p.dense[p.seg]
	p.doc = p.offsets[p.seg] + local
	p.freq = dt.frequency(local)
	p.normBits, p.raw = uint64(dt.norm[local]), true
	p.locs = nil
	if p.withLocs {
		dl := dt.locs
		p.locBuf, p.locPtrs = p.locBuf[:0], p.locPtrs[:0]
		for _, pos := range dl.pos[dl.start[local]:dl.start[local+1]] {
			p.locBuf = append(p.locBuf, denseLocation{field: dl.field, pos: uint64(pos)})
		}
		for i := range p.locBuf {
			p.locPtrs = append(p.locPtrs, &p.locBuf[i])
		}
		p.locs = p.locPtrs
	}
}

func (p *termPostings) set(post segment.Posting) error {
	p.doc = p.offsets[p.seg] + post.Number()
	p.freq = post.Frequency()
	if n, ok := post.(normer); ok {
		p.normBits, p.raw = n.NormUint64(), true
	} else {
		p.norm, p.raw = post.Norm(), false
	}
	p.locs = post.Locations()
	return nil
}

// bm25Lengths caches, per field length, the part of BM25's denominator
// that depends on it (k1 × (1 - b + b × length / average)), computed as
// bleve computes it from the norm zap returns.
type bm25Lengths struct {
	avg   float64
	cache [1024]float64 // by normBits; 0: not computed
}

// norm is zap's Posting.Norm of a posting whose raw length is normBits.
func norm(normBits uint64) float64 {
	return float64(float32(1.0 / math.Sqrt(float64(uint32(normBits)))))
}

// of returns k1 × (1 - b + b × fieldLength / avg) for p's posting.
func (l *bm25Lengths) of(p *termPostings) float64 {
	if !p.raw {
		return l.part(p.norm)
	}
	if p.normBits < uint64(len(l.cache)) {
		if v := l.cache[p.normBits]; v != 0 {
			return v
		}
	}
	v := l.part(norm(p.normBits))
	if p.normBits < uint64(len(l.cache)) {
		l.cache[p.normBits] = v
	}
	return v
}

// part is bleve's BM25 length part for a posting's norm.
func (l *bm25Lengths) part(norm float64) float64 {
	fieldLength := 1 / (norm * norm)
	return search.BM25_k1 * (1 - search.BM25_b + (search.BM25_b * fieldLength / l.avg))
}

// normOf returns the norm of p's posting (Posting.Norm).
func (p *termPostings) normOf() float64 {
	if p.raw {
		return norm(p.normBits)
	}
	return p.norm
}
