package search

import (
	"cmp"
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/segment"
)

// Highlighting defaults and bounds.
const (
	// DefaultFragments is the number of fragments per hit when a request
	// gives none.
	DefaultFragments = 3
	// MaxFragments is the most fragments a request may ask for.
	MaxFragments = 10
	// DefaultFragmentSize is the target length of a fragment in characters.
	DefaultFragmentSize = 160
	// MinFragmentSize and MaxFragmentSize bound a request's fragment size.
	MinFragmentSize, MaxFragmentSize = 20, 2000
	// MaxTagBytes bounds highlight_pre and highlight_post.
	MaxTagBytes = 64
)

// HighlightOptions shapes the highlights of each hit. The zero value gives
// up to three fragments of about 160 characters with <mark> tags.
type HighlightOptions struct {
	// Fragments is the most fragments per hit (0: DefaultFragments).
	Fragments int
	// Whole returns the whole paragraph, highlighted, as one fragment.
	Whole bool
	// FragmentSize is a fragment's target length in characters (0:
	// DefaultFragmentSize); fragments end at a sentence or word boundary.
	FragmentSize int
	// Pre and Post surround each match ("" and "": <mark> and </mark>).
	// They are written as given; everything else is HTML-escaped.
	Pre, Post string
}

func (o HighlightOptions) withDefaults() HighlightOptions {
	if o.Fragments <= 0 {
		o.Fragments = DefaultFragments
	}
	if o.FragmentSize <= 0 {
		o.FragmentSize = DefaultFragmentSize
	}
	if o.Pre == "" && o.Post == "" {
		o.Pre, o.Post = "<mark>", "</mark>"
	}
	return o
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// mark is a span with the index term that matched, when known: fragments
// are ranked by the distinct terms they hold.
type mark struct {
	Span
	term string
}

// Match is a matched range of a hit's text in characters (Unicode code
// points, counted from 0): text[Start:End] as runes.
type Match struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// tokenSpans returns the byte spans of the tokens of text at positions 1
// to last (the token at position p at p-1; fewer when text has fewer), as
// the analyser a numbers them. The index keeps positions but not offsets
// (the text and title are indexed with byte offsets 0, which keeps them
// small on disk): a hit's matches are found again by position in its own
// text. Only a's tokenizer runs, since its filters (lower case, stop
// words, stemming) drop or change tokens but never renumber them; for the
// Unicode word tokenizer of the English analyser, its segmenter runs
// directly and stops at the last position wanted.
func tokenSpans(a analysis.Analyzer, text string, last int) []Span {
	out := make([]Span, 0, last)
	d, ok := a.(*analysis.DefaultAnalyzer)
	if !ok {
		return out
	}
	if _, ok := d.Tokenizer.(*unitok.UnicodeTokenizer); !ok {
		for _, t := range d.Tokenizer.Tokenize([]byte(text)) {
			for len(out) < t.Position && len(out) < last {
				out = append(out, Span{-1, -1})
			}
			if t.Position <= last {
				out[t.Position-1] = Span{t.Start, t.End}
			}
		}
		return out
	}
	seg := segment.NewWordSegmenterDirect([]byte(text))
	start := 0
	for len(out) < last && seg.Segment() {
		end := start + len(seg.Bytes())
		if seg.Type() != segment.None {
			out = append(out, Span{start, end})
		}
		start = end
	}
	return out
}

// lastPosition returns the largest position of locs, 0 if none.
func lastPosition(locs bsearch.TermLocationMap) int {
	last := 0
	for _, ls := range locs {
		for _, l := range ls {
			last = max(last, int(l.Pos))
		}
	}
	return last
}

// locatedSpans returns the marks of locs in text (see spans).
func locatedSpans(a analysis.Analyzer, text string, locs bsearch.TermLocationMap) []mark {
	last := lastPosition(locs)
	if last == 0 {
		return nil
	}
	return spans(locs, tokenSpans(a, text, last))
}

// spans flattens bleve term locations into sorted, merged marks, placed
// by their positions in toks (tokenSpans of the located field's text).
func spans(locs bsearch.TermLocationMap, toks []Span) []mark {
	var out []mark
	for term, ls := range locs {
		for _, l := range ls {
			if p := int(l.Pos); p >= 1 && p <= len(toks) && toks[p-1].Start >= 0 {
				out = append(out, mark{toks[p-1], term})
			}
		}
	}
	slices.SortFunc(out, func(a, b mark) int { return cmp.Or(a.Start-b.Start, strings.Compare(a.term, b.term)) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// validSpans returns the spans that lie inside text on UTF-8 boundaries,
// possessives left out, sorted and without overlaps.
func validSpans(text string, marks []mark) []mark {
	valid := make([]mark, 0, len(marks))
	for _, s := range marks {
		s.Span = trimPossessive(text, s.Span)
		if s.Start >= 0 && s.End <= len(text) && s.Start < s.End &&
			utf8.RuneStart(text[s.Start]) && (s.End == len(text) || utf8.RuneStart(text[s.End])) {
			valid = append(valid, s)
		}
	}
	slices.SortFunc(valid, func(a, b mark) int { return a.Start - b.Start })
	out := valid[:0]
	for _, s := range valid {
		if n := len(out); n > 0 && s.Start < out[n-1].End {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Matches returns the spans of text as character offsets.
func Matches(text string, spans []Span) []Match {
	return matches(text, asMarks(spans))
}

func asMarks(spans []Span) []mark {
	out := make([]mark, len(spans))
	for i, s := range spans {
		out[i].Span = s
	}
	return out
}

func matches(text string, marks []mark) []Match {
	valid := validSpans(text, marks)
	out := make([]Match, 0, len(valid))
	pos, runes := 0, 0
	for _, s := range valid {
		runes += utf8.RuneCountInString(text[pos:s.Start])
		start := runes
		runes += utf8.RuneCountInString(text[s.Start:s.End])
		pos = s.End
		out = append(out, Match{start, runes})
	}
	return out
}

// Highlight returns up to three HTML-safe fragments of text with the spans
// wrapped in <mark>…</mark>, as HighlightWith with the default options.
func Highlight(text string, marks []Span) []string {
	return HighlightWith(text, marks, HighlightOptions{})
}

// HighlightWith returns HTML-safe fragments of text with the spans wrapped
// in opts.Pre and opts.Post; everything else is escaped. A text short
// enough (or opts.Whole) is returned whole; otherwise fragments of about
// opts.FragmentSize characters are cut at sentence or word boundaries
// around the matches, marked with "…" where text was left out, and the
// best come first: those with the most distinct matched terms, then the
// most matches. Spans out of range or not on UTF-8 boundaries are ignored.
// Without spans the result is empty.
func HighlightWith(text string, spans []Span, opts HighlightOptions) []string {
	return highlight(text, asMarks(spans), opts)
}

func highlight(text string, marks []mark, opts HighlightOptions) []string {
	opts = opts.withDefaults()
	valid := validSpans(text, marks)
	if len(valid) == 0 {
		return []string{}
	}
	size := opts.FragmentSize
	if opts.Whole || utf8.RuneCountInString(text) <= size+size/2 {
		return []string{render(text, 0, len(text), valid, opts)}
	}
	// One candidate fragment per match, starting a little before it.
	type frag struct {
		from, to        int
		first, last     int // the spans inside: valid[first:last]
		distinct, count int
	}
	cands := make([]frag, 0, len(valid))
	for i, s := range valid {
		from := fragmentStart(text, s.Start, size/4)
		to := fragmentEnd(text, from, size)
		if to < s.End {
			to = wordEnd(text, s.End)
		}
		f := frag{from: from, to: to, first: i, last: i}
		for f.last < len(valid) && valid[f.last].End <= to {
			f.last++
		}
		for k := f.first; k < f.last; k++ {
			if !slices.ContainsFunc(valid[f.first:k], func(o mark) bool { return termOf(text, o) == termOf(text, valid[k]) }) {
				f.distinct++
			}
		}
		f.count = f.last - f.first
		cands = append(cands, f)
	}
	// The best candidates that do not overlap the ones already taken.
	slices.SortStableFunc(cands, func(a, b frag) int {
		return cmp.Or(b.distinct-a.distinct, b.count-a.count, a.from-b.from)
	})
	var taken []frag
	for _, c := range cands {
		if len(taken) == opts.Fragments {
			break
		}
		if slices.ContainsFunc(taken, func(t frag) bool { return c.from < t.to && t.from < c.to }) {
			continue
		}
		taken = append(taken, c)
	}
	out := make([]string, len(taken))
	for i, f := range taken {
		out[i] = render(text, f.from, f.to, valid[f.first:f.last], opts)
	}
	return out
}

// termOf is the term a span matched, or its text in lower case.
func termOf(text string, s mark) string {
	if s.term != "" {
		return s.term
	}
	return strings.ToLower(text[s.Start:s.End])
}

// fragmentStart returns where a fragment holding a match at i starts:
// the start of i's sentence when it is at most lead*2 characters before,
// else the start of the word lead characters before.
func fragmentStart(text string, i, lead int) int {
	back := i
	for n := 0; back > 0 && n < lead*2; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:back])
		if sentenceEnd(r) && back < i {
			if next, _ := utf8.DecodeRuneInString(text[back:]); unicode.IsSpace(next) {
				return skipSpace(text, back)
			}
		}
		back -= size
	}
	if back == 0 {
		return 0
	}
	from := i
	for n := 0; from > 0 && n < lead; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		from -= size
	}
	return wordStart(text, from)
}

// fragmentEnd returns where a fragment starting at from ends: at a
// sentence end in its last quarter, else at the end of the word that
// reaches size characters.
func fragmentEnd(text string, from, size int) int {
	to := from
	for n := 0; to < len(text) && n < size; n++ {
		_, w := utf8.DecodeRuneInString(text[to:])
		to += w
	}
	if to >= len(text) {
		return len(text)
	}
	// The last sentence end in the fragment's last quarter.
	back := to
	for n := 0; back > from && n < size/4; n++ {
		r, w := utf8.DecodeLastRuneInString(text[:back])
		if sentenceEnd(r) {
			return back
		}
		back -= w
	}
	return wordEnd(text, to)
}

func sentenceEnd(r rune) bool { return r == '.' || r == '!' || r == '?' }

func skipSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// trimPossessive leaves a possessive "'s" or "’s" outside the mark: the
// analyzer indexes "Iran's" as "iran", so only "Iran" matched.
func trimPossessive(text string, s Span) Span {
	if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
		return s
	}
	for _, suffix := range []string{"'s", "’s", "'S", "’S"} {
		if s.End-s.Start > len(suffix) && strings.HasSuffix(text[s.Start:s.End], suffix) {
			s.End -= len(suffix)
			break
		}
	}
	return s
}

// render escapes text[from:to] and surrounds the spans inside it with
// opts.Pre and opts.Post, adding "…" at either end that cuts the text.
func render(text string, from, to int, marks []mark, opts HighlightOptions) string {
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	pos := from
	for _, s := range marks {
		if s.Start < pos || s.End > to {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:s.Start]))
		b.WriteString(opts.Pre)
		b.WriteString(html.EscapeString(text[s.Start:s.End]))
		b.WriteString(opts.Post)
		pos = s.End
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	if to < len(text) {
		b.WriteString(" …")
	}
	return strings.TrimSpace(b.String())
}

// wordStart moves i back to the start of the word it falls in.
func wordStart(text string, i int) int {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	return i
}

// wordEnd moves i forward to the end of the word it falls in.
func wordEnd(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}
