package index

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
	bindex "github.com/blevesearch/bleve_index_api"
)

// prepared is an article made ready for a batch: its chunks as bleve
// documents whose fields are already analysed.
type prepared struct {
	chunks    []Chunk
	docs      []*document.Document
	textTerms int // terms of all chunks' text (CountTerms)
	err       error
}

// preparer splits, enriches, maps and analyses articles on all cores, ahead
// of the writer that consumes them in order. Analysing here rather than in
// scorch's Batch (whose analysis runs inside the writer's call) lets the
// next batch be analysed while scorch builds and persists the current one's
// segment, which only one core does. It works at most lookahead bytes of
// article bodies ahead of the writer, so memory stays bounded whatever the
// number of articles.
type preparer struct {
	articles []Article

	mu        sync.Mutex
	ready     *sync.Cond // a result arrived, or stopped
	room      *sync.Cond // budget freed, or stopped
	out       []prepared
	done      []bool
	budget    int // bytes of bodies that may still be handed out
	stopped   bool
	err       error // why preparation stopped early
	lookahead int
	wg        sync.WaitGroup
}

// prepareAll starts preparing articles (those with skip[i] false) in order.
// Call get for each index in increasing order, then stop (always).
func (ix *Index) prepareAll(ctx context.Context, articles []Article, skip []bool, lookahead int) *preparer {
	p := &preparer{articles: articles, out: make([]prepared, len(articles)),
		done: make([]bool, len(articles)), budget: lookahead, lookahead: lookahead}
	p.ready = sync.NewCond(&p.mu)
	p.room = sync.NewCond(&p.mu)
	jobs := make(chan int)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(articles)))
	for range workers {
		p.wg.Go(func() {
			for i := range jobs {
				r := ix.prepare(articles[i])
				p.mu.Lock()
				p.out[i], p.done[i] = r, true
				p.mu.Unlock()
				p.ready.Broadcast()
			}
		})
	}
	p.wg.Go(func() {
		defer close(jobs)
		for i, a := range articles {
			if skip[i] {
				continue
			}
			// Always let one article through when nothing is outstanding,
			// however long it is.
			cost := len(a.Body)
			p.mu.Lock()
			for !p.stopped && p.budget < cost && p.budget < p.lookahead {
				p.room.Wait()
			}
			if err := ctx.Err(); err != nil || p.stopped {
				// Whatever get waits for now will not come.
				p.stopped, p.err = true, err
				p.mu.Unlock()
				p.ready.Broadcast()
				return
			}
			p.budget -= cost
			p.mu.Unlock()
			jobs <- i
		}
	})
	return p
}

// get waits for article i and returns it, releasing it from the
// lookahead budget. If preparation stopped before i, r.err says why.
func (p *preparer) get(i int) prepared {
	p.mu.Lock()
	for !p.done[i] && !p.stopped {
		p.ready.Wait()
	}
	r := p.out[i]
	if !p.done[i] {
		r.err = p.err
		if r.err == nil {
			r.err = context.Canceled
		}
	}
	p.out[i] = prepared{}
	p.budget += len(p.articles[i].Body)
	p.mu.Unlock()
	p.room.Broadcast()
	return r
}

// stop ends the preparation and waits for its goroutines.
func (p *preparer) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.room.Broadcast()
	p.ready.Broadcast()
	p.wg.Wait()
}

// prepare splits, enriches and maps one article into analysed documents.
// Fields whose value is the same in every chunk of the article (title,
// article id, source, publication date) are analysed once, and the
// paragraph number's analysis is shared by all articles (paragraphs).
// Text and title are analysed by ix.english where it can (the same terms
// as bleve's English analyzer, without their byte offsets, as
// dropOffsets leaves bleve's), else by bleve.
func (ix *Index) prepare(a Article) prepared {
	r := prepared{chunks: ix.Chunks(a)}
	r.docs = make([]*document.Document, len(r.chunks))
	shared := map[string]*analyzedField{}
	for i, ch := range r.chunks {
		r.textTerms += CountTerms(ch.Text)
		doc, err := ix.chunkDoc(ch)
		if err != nil {
			r.err = err
			return r
		}
		for j, f := range doc.Fields {
			if !f.Options().IsIndexed() {
				continue
			}
			name := f.Name()
			if af := shared[name]; af != nil {
				doc.Fields[j] = &analyzedField{Field: f, length: af.length, freqs: af.freqs}
				continue
			}
			if name == FieldParagraph && ch.Paragraph <= len(ix.paragraphs) {
				doc.Fields[j] = ix.paragraphField(f, ch.Paragraph)
				continue
			}
			var af *analyzedField
			if ix.english != nil && (name == FieldText || name == FieldTitle) && f.Options().IncludeTermVectors() && !f.Options().SkipFreqNorm() {
				if length, freqs, ok := ix.english.analyze(f.Value(), f.ArrayPositions(), false); ok {
					af = &analyzedField{Field: f, length: length, freqs: freqs}
				}
			}
			if af == nil {
				f.Analyze()
				af = &analyzedField{Field: f, length: f.AnalyzedLength(), freqs: f.AnalyzedTokenFrequencies()}
				switch name {
				case FieldPublished, FieldParagraph:
					af.length = keepShifts(af.freqs, NumericShifts(name))
				case FieldText, FieldTitle:
					dropOffsets(af.freqs)
				}
			}
			doc.Fields[j] = af
			switch name {
			case FieldTitle, FieldArticleID, FieldSource, FieldPublished:
				shared[name] = af
			}
		}
		r.docs[i] = doc
	}
	return r
}

// paragraphField returns f, the paragraph field of a chunk, with the
// analysis of paragraph n shared by all chunks with that number.
func (ix *Index) paragraphField(f document.Field, n int) *analyzedField {
	p := &ix.paragraphs[n-1]
	p.once.Do(func() {
		f.Analyze()
		p.freqs = f.AnalyzedTokenFrequencies()
		p.length = keepShifts(p.freqs, NumericShifts(FieldParagraph))
	})
	return &analyzedField{Field: f, length: p.length, freqs: p.freqs}
}

// keepShifts drops the prefix-coded terms of a numeric field's analysis
// at shifts other than those given (NumericShifts) and returns the number
// of terms left.
func keepShifts(freqs bindex.TokenFrequencies, shifts []uint) int {
	for term := range freqs {
		if ok, shift := numeric.ValidPrefixCodedTerm(term); ok && !slices.Contains(shifts, uint(shift)) {
			delete(freqs, term)
		}
	}
	return len(freqs)
}

// dropOffsets sets the byte offsets of a text field's term locations to
// 0, keeping their positions: phrases, proximity and the ranking need
// positions only, and the search side finds a hit's highlights again from
// the positions in its stored text. Zeros take one byte a location where
// offsets take two or three.
func dropOffsets(freqs bindex.TokenFrequencies) {
	for _, tf := range freqs {
		for _, l := range tf.Locations {
			l.Start, l.End = 0, 0
		}
	}
}

// sharedAnalysis is the analysis of a field value that many documents
// share.
type sharedAnalysis struct {
	once   sync.Once
	length int
	freqs  bindex.TokenFrequencies
}

// analyzedField is a document field analysed before its batch reaches
// scorch, whose own call to Analyze is then a no-op. Documents may share
// the analysis of a field that occurs once in each of them: zap only reads
// its frequencies (it merges into them only the frequencies of further
// fields of the same name in one document, as facet values are).
type analyzedField struct {
	document.Field
	length int
	freqs  bindex.TokenFrequencies
}

// Analyze does nothing: the field was analysed when it was prepared.
func (f *analyzedField) Analyze() {}

// AnalyzedLength returns the number of tokens of the field.
func (f *analyzedField) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies returns the field's analysed terms.
func (f *analyzedField) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }
