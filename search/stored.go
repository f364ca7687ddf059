package search

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// storedReader reads the stored fields of documents from one snapshot of
// the index for bleve.LoadAndHighlightFields, which asks for each hit's
// document by id. Finding a document by id (scorch's Document) looks the
// id up in the term dictionary of every segment; a hit of a search of the
// same snapshot is found by its number instead, and an article's first
// chunk in the segment of a hit of the same article first (an article's
// chunks are written in one batch, so they share a segment). Either is
// taken only when the document found has the id asked for and is not
// deleted, so a hit from an older snapshot (an ingest in between) is
// read by id as before: its new version, or nothing if deleted.
type storedReader struct {
	bindex.IndexReader
	snap *scorch.IndexSnapshot // nil: every document read by id
	segs docSegments
	// num is the number of the next document asked for in a search of
	// this snapshot (hasNum), near a document whose segment to look in
	// first (hasNear).
	num, near       uint64
	hasNum, hasNear bool
}

func newStoredReader(r bindex.IndexReader) *storedReader {
	sr := &storedReader{IndexReader: r}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		sr.snap = snap
		sr.segs = newDocSegments(snap.Segments())
	}
	return sr
}

// expect says which document the next call to Document asks for: h, a hit
// of a search whose number (if it has one) may hold it, or whose segment
// near's number points to.
func (r *storedReader) expect(h, near *bsearch.DocumentMatch) {
	r.hasNum, r.hasNear = len(h.IndexInternalID) == 8, near != nil && len(near.IndexInternalID) == 8
	if r.hasNum {
		r.num = h.IndexInternalID.Value()
	}
	if r.hasNear {
		r.near = near.IndexInternalID.Value()
	}
}

// Document implements bindex.IndexReader: the document with this id, read
// from the segment expect pointed to when it is there, else by id.
func (r *storedReader) Document(id string) (bindex.Document, error) {
	if r.snap != nil {
		var doc bindex.Document
		var err error
		switch {
		case r.hasNum:
			doc, err = r.byNumber(id, r.num)
		case r.hasNear:
			doc, err = r.inSegmentOf(id, r.near)
		}
		r.hasNum, r.hasNear = false, false
		if doc != nil || err != nil {
			return doc, err
		}
	}
	return r.IndexReader.Document(id)
}

// byNumber returns document n of the snapshot if its id is id and it is
// not deleted, else nil.
func (r *storedReader) byNumber(id string, n uint64) (bindex.Document, error) {
	seg, local, err := r.segs.find(n)
	if err != nil {
		return nil, nil
	}
	return visitStored(id, r.snap.Segments()[seg], local)
}

// inSegmentOf returns the document with this id from the segment of
// document near, if it is there and not deleted, else nil.
func (r *storedReader) inSegmentOf(id string, near uint64) (bindex.Document, error) {
	seg, _, err := r.segs.find(near)
	if err != nil {
		return nil, nil
	}
	ss := r.snap.Segments()[seg]
	dict, err := ss.Segment().Dictionary("_id")
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList([]byte(id), ss.Deleted(), nil)
	if err != nil {
		return nil, err
	}
	p, err := pl.Iterator(false, false, false, nil).Next()
	if err != nil || p == nil {
		return nil, err
	}
	return visitStored(id, ss, p.Number())
}

// visitStored returns the stored fields of document local of segment ss
// as scorch's Document does, or nil if that document is deleted or its id
// is not id.
func visitStored(id string, ss *scorch.SegmentSnapshot, local uint64) (bindex.Document, error) {
	if deleted := ss.Deleted(); deleted != nil && local <= roaring.MaxUint32 && deleted.Contains(uint32(local)) {
		return nil, nil
	}
	doc := document.NewDocument(id)
	sameID := false
	// The visitor never stops the visit: zap (v17.2.5) puts its visit
	// context back into its pool a second time when a visitor returns
	// false at the _id field, after which two readers can share it
	// (TestStoredReaderConcurrent). A document with another id is rare
	// (an index changed since the search) and is dropped after the visit.
	err := ss.VisitDocument(local, func(name string, typ byte, val []byte, pos []uint64) bool {
		if name == "_id" {
			sameID = string(val) == id
			return true
		}
		if f := storedField(name, typ, val, pos); f != nil {
			doc.AddField(f)
		}
		return true
	})
	if err != nil || !sameID {
		return nil, err
	}
	return doc, nil
}

// storedField is a stored field value as scorch's Document makes it (the
// value and array positions copied out of the segment's buffer), or nil
// for a type it does not know.
func storedField(name string, typ byte, val []byte, pos []uint64) document.Field {
	value := append([]byte(nil), val...)
	arrayPos := append([]uint64(nil), pos...)
	switch typ {
	case 't':
		return document.NewTextField(name, arrayPos, value)
	case 'n':
		return document.NewNumericFieldFromBytes(name, arrayPos, value)
	case 'i':
		return document.NewIPFieldFromBytes(name, arrayPos, value)
	case 'd':
		return document.NewDateTimeFieldFromBytes(name, arrayPos, value)
	case 'b':
		return document.NewBooleanFieldFromBytes(name, arrayPos, value)
	case 'g':
		return document.NewGeoPointFieldFromBytes(name, arrayPos, value)
	case 's':
		return document.NewGeoShapeFieldFromBytes(name, arrayPos, value)
	}
	return nil
}
