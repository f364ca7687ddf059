package search

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/briefsearch/briefsearch/index"
)

// TestStoredReaderMatchesScorch reads every chunk of the fixtures, in
// segments of 20, by its number and every article's first chunk from the
// segment of each of its chunks, and checks that the fields are those
// bleve reads by id.
func TestStoredReaderMatchesScorch(t *testing.T) {
	r, docs := fixtureSnapshot(t)
	sr := newStoredReader(r)
	if sr.snap == nil || len(sr.snap.Segments()) < 2 {
		t.Fatalf("want a scorch snapshot of several segments, got %T", r)
	}
	req := &bleve.SearchRequest{Fields: []string{"*"}}
	load := func(h *bsearch.DocumentMatch, rd bindex.IndexReader) map[string]any {
		t.Helper()
		if err, _ := bleve.LoadAndHighlightFields(h, req, "", rd, nil); err != nil {
			t.Fatal(err)
		}
		return h.Fields
	}
	n := 0
	var prev bindex.IndexInternalID
	for _, d := range docs {
		id, num := d.ID, d.IndexInternalID
		hit := &bsearch.DocumentMatch{ID: id, IndexInternalID: num}
		sr.expect(hit, nil)
		got, want := load(hit, sr), load(&bsearch.DocumentMatch{ID: id}, r)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s by number: %v, want %v", id, got, want)
		}
		// A number that holds another document (an index changed since
		// the search) reads the document by its id.
		if prev != nil {
			wrong := &bsearch.DocumentMatch{ID: id, IndexInternalID: prev}
			sr.expect(wrong, nil)
			if got := load(wrong, sr); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s at another's number: %v, want %v", id, got, want)
			}
		}
		prev = num
		first := &bsearch.DocumentMatch{ID: index.ChunkID(index.ArticleOf(id), 1)}
		sr.expect(first, hit)
		got, want = load(first, sr), load(&bsearch.DocumentMatch{ID: first.ID}, r)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s near %s: %v, want %v", first.ID, id, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("read %d chunks, want the fixtures' 100 or more", n)
	}
}

// TestLoadFieldsAfterChange loads the fields of hits found before one
// article was replaced and another deleted: the replaced article's hits
// get its new text and title, the deleted one's no fields, the others
// theirs.
func TestLoadFieldsAfterChange(t *testing.T) {
	ctx := context.Background()
	articles := fixtureArticles(t)
	ix := ingestInto(t, index.Options{BatchSize: 20}, articles)
	s := New(ix, Options{})
	res, err := ix.Bleve().SearchInContext(ctx, bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 10000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	changed, deleted, kept := articles[1], articles[2].ID, articles[3].ID
	changed.Title = "A replaced title"
	changed.Body = "A replaced first paragraph about the Baltic.\n\nA second replaced paragraph."
	if _, err := ix.Ingest(ctx, changed); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	hits := slices.DeleteFunc(res.Hits, func(h *bsearch.DocumentMatch) bool {
		a := index.ArticleOf(h.ID)
		return a != changed.ID && a != deleted && a != kept
	})
	if err := s.loadFields(hits, nil, hitFields); err != nil {
		t.Fatal(err)
	}
	var seen [3]int
	for _, h := range hits {
		text := index.FieldString(h.Fields[index.FieldText])
		switch index.ArticleOf(h.ID) {
		case changed.ID:
			seen[0]++
			if h.ID == index.ChunkID(changed.ID, 1) && text != "A replaced first paragraph about the Baltic." {
				t.Errorf("%s: text %q, want the new one", h.ID, text)
			}
			if index.ParagraphOf(h.ID) > 2 && h.Fields != nil {
				t.Errorf("%s: the new article has two paragraphs, but it has fields %v", h.ID, h.Fields)
			}
		case deleted:
			seen[1]++
			if h.Fields != nil {
				t.Errorf("%s: deleted, but has fields %v", h.ID, h.Fields)
			}
		case kept:
			seen[2]++
			if text == "" || !strings.Contains(articles[3].Body, text) {
				t.Errorf("%s: text %q is not the article's", h.ID, text)
			}
		}
	}
	if seen[0] < 2 || seen[1] == 0 || seen[2] == 0 {
		t.Fatalf("hits of the three articles: %v", seen)
	}
	// The first chunk read near an old hit of the replaced article (in a
	// segment where it is now deleted) is its new version.
	var old *bsearch.DocumentMatch
	for _, h := range hits {
		if h.ID == index.ChunkID(changed.ID, 2) {
			old = h
		}
	}
	first := bsearch.DocumentMatchCollection{{ID: index.ChunkID(changed.ID, 1)}}
	if err := s.loadFields(first, bsearch.DocumentMatchCollection{old}, articleLevelFields); err != nil {
		t.Fatal(err)
	}
	if title := index.FieldString(first[0].Fields[index.FieldTitle]); title != changed.Title {
		t.Errorf("first chunk near an old hit: title %q, want %q", title, changed.Title)
	}
}

// TestStoredReaderConcurrent reads documents from several goroutines at
// once, half of them at another document's number (whose id does not
// match), under the race detector in `make test`: zap puts its visit
// context back into its pool a second time when a visitor stops at the
// _id field, after which two readers can share it.
func TestStoredReaderConcurrent(t *testing.T) {
	r, docs := fixtureSnapshot(t)
	req := &bleve.SearchRequest{Fields: []string{index.FieldText}}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			sr := newStoredReader(r)
			for i := range 300 {
				d := docs[(i*7+g)%len(docs)]
				h := &bsearch.DocumentMatch{ID: d.ID, IndexInternalID: d.IndexInternalID}
				if i%2 == 1 { // another document's number
					h.IndexInternalID = docs[(i*7+g+1)%len(docs)].IndexInternalID
				}
				sr.expect(h, nil)
				if err, _ := bleve.LoadAndHighlightFields(h, req, "", sr, nil); err != nil {
					errs <- err
					return
				}
				if h.Fields[index.FieldText] == nil {
					errs <- fmt.Errorf("%s: no text", h.ID)
					return
				}
				if _, err := r.ExternalID(d.IndexInternalID); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// fixtureSnapshot ingests the fixtures in segments of 20 chunks and
// returns a reader of the index, closed when the test ends, and every
// document of it (id and number).
func fixtureSnapshot(t *testing.T) (bindex.IndexReader, []*bsearch.DocumentMatch) {
	t.Helper()
	ix := ingestInto(t, index.Options{BatchSize: 20}, fixtureArticles(t))
	r, err := New(ix, Options{}).reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	ids, err := r.DocIDReaderAll()
	if err != nil {
		t.Fatal(err)
	}
	defer ids.Close()
	var docs []*bsearch.DocumentMatch
	for {
		num, err := ids.Next()
		if err != nil {
			t.Fatal(err)
		}
		if num == nil {
			return r, docs
		}
		id, err := r.ExternalID(num)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &bsearch.DocumentMatch{ID: id, IndexInternalID: append(bindex.IndexInternalID(nil), num...)})
	}
}
