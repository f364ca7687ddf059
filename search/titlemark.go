package search

import (
	"context"
	"fmt"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
)

// Title marks. The title factor needs to know which of the query's words a
// match's article title holds, not where: a clause on the title field
// would read (and score) the title's postings with their locations at every
// match, and the title of a long article (every paragraph of a UN debate is
// titled "General Debate") is as common as its commonest word; that clause
// cost a third of a search of common words. Instead, each segment's
// postings of the query's title terms are read once into bitmaps, and a
// match's title terms are found by membership.

// titleQuery matches what q matches and records each of terms (analysed
// title terms) that a match's title holds as a location in the title at
// position 0: the scorer reads the terms, and a hit's title highlight
// finds their positions in its title (titleLocations).
type titleQuery struct {
	q     query.Query
	terms []string
}

// Searcher implements query.Query. It works on a scorch index of zap
// segments only (which every Briefsearch index is).
func (tq *titleQuery) Searcher(ctx context.Context, i bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("title marks need a scorch index, not %T", i)
	}
	child, err := tq.q.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	segs := snap.Segments()
	return &titleSearcher{Searcher: child, terms: tq.terms, segs: segs, at: newDocSegments(segs),
		bitmaps: make([][]*roaring.Bitmap, len(segs)), seg: -1}, nil
}

// titleSearcher marks the title terms of its child's matches.
type titleSearcher struct {
	search.Searcher
	terms []string
	segs  []*scorch.SegmentSnapshot
	at    docSegments
	// bitmaps[s][k] holds the documents of segment s whose title holds
	// terms[k] (nil: none); read on the first match in the segment.
	bitmaps [][]*roaring.Bitmap
	// Matches come in document order: in the segment of the last match,
	// its[k] walks bitmaps[seg][k] along (membership without a search).
	seg  int
	its  []roaring.IntPeekable
	last uint32 // the last match's number in seg
}

// orInto is how zap's postings lists give up their documents.
type orInto interface{ OrInto(*roaring.Bitmap) }

// Next implements search.Searcher.
func (t *titleSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := t.Searcher.Next(ctx)
	return t.mark(d, err)
}

// Advance implements search.Searcher.
func (t *titleSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := t.Searcher.Advance(ctx, id)
	return t.mark(d, err)
}

func (t *titleSearcher) mark(d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if d == nil || err != nil {
		return d, err
	}
	seg, n, err := t.at.find(d.IndexInternalID.Value())
	if err != nil {
		return nil, err
	}
	bms := t.bitmaps[seg]
	if bms == nil {
		if bms, err = t.read(seg); err != nil {
			return nil, err
		}
		t.bitmaps[seg] = bms
	}
	local := uint32(n)
	if seg != t.seg || local < t.last {
		t.seg, t.its = seg, t.its[:0]
		for _, bm := range bms {
			var it roaring.IntPeekable
			if bm != nil {
				it = bm.Iterator()
			}
			t.its = append(t.its, it)
		}
	}
	t.last = local
	for k, it := range t.its {
		if it == nil {
			continue
		}
		it.AdvanceIfNeeded(local)
		if it.HasNext() && it.PeekNext() == local {
			d.FieldTermLocations = append(d.FieldTermLocations, search.FieldTermLocation{
				Field: index.FieldTitle, Term: t.terms[k]})
		}
	}
	return d, nil
}

// read returns the bitmaps of segment s's titles that hold each term.
func (t *titleSearcher) read(s int) ([]*roaring.Bitmap, error) {
	dict, err := t.segs[s].Segment().Dictionary(index.FieldTitle)
	if err != nil {
		return nil, fmt.Errorf("title marks: %w", err)
	}
	out := make([]*roaring.Bitmap, len(t.terms))
	for k, term := range t.terms {
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			return nil, fmt.Errorf("title marks: %w", err)
		}
		if pl == nil || pl.Count() == 0 {
			continue
		}
		o, ok := pl.(orInto)
		if !ok {
			return nil, fmt.Errorf("title marks need zap segments, not postings of %T", pl)
		}
		out[k] = roaring.New()
		o.OrInto(out[k])
	}
	return out, nil
}

// titleLocations returns locs, the title locations of a hit, with the
// marks of titleQuery (position 0) placed at the positions of their terms
// in title.
func titleLocations(a analysis.Analyzer, title string, locs search.TermLocationMap) search.TermLocationMap {
	marked := false
	for _, ls := range locs {
		for _, l := range ls {
			marked = marked || l.Pos == 0
		}
	}
	if !marked {
		return locs
	}
	out := make(search.TermLocationMap, len(locs))
	for term, ls := range locs {
		for _, l := range ls {
			if l.Pos != 0 {
				out[term] = append(out[term], l)
			}
		}
	}
	for _, tok := range a.Analyze([]byte(title)) {
		term := string(tok.Term)
		if ls, ok := locs[term]; ok && slices.ContainsFunc(ls, func(l *search.Location) bool { return l.Pos == 0 }) {
			out[term] = append(out[term], &search.Location{Pos: uint64(tok.Position), Start: uint64(tok.Start), End: uint64(tok.End)})
		}
	}
	return out
}
