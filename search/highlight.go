package search

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Highlighting bounds.
const (
	// fragmentSize is the target length of a highlight fragment in bytes.
	fragmentSize = 240
	// maxFragments is the most fragments returned per hit.
	maxFragments = 3
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// spans flattens bleve term locations into sorted, merged spans.
func spans(locs bsearch.TermLocationMap) []Span {
	var out []Span
	for _, ls := range locs {
		for _, l := range ls {
			out = append(out, Span{int(l.Start), int(l.End)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
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

// Highlight returns up to three HTML-safe fragments of text with the spans
// wrapped in <mark>…</mark>; everything else is escaped. A text short
// enough is returned whole; otherwise fragments are cut at word boundaries
// around clusters of spans and marked with "…" where text was left out.
// Spans out of range or not on UTF-8 boundaries are ignored. Without spans
// the result is empty.
func Highlight(text string, marks []Span) []string {
	valid := marks[:0:0]
	for _, s := range marks {
		s = trimPossessive(text, s)
		if s.Start >= 0 && s.End <= len(text) && s.Start < s.End &&
			utf8.RuneStart(text[s.Start]) && (s.End == len(text) || utf8.RuneStart(text[s.End])) {
			valid = append(valid, s)
		}
	}
	if len(valid) == 0 {
		return []string{}
	}
	if len(text) <= fragmentSize+fragmentSize/2 {
		return []string{render(text, 0, len(text), valid)}
	}
	var out []string
	for i := 0; i < len(valid) && len(out) < maxFragments; {
		// Start a little before the first unused span, end a fragment later.
		from := wordStart(text, max(0, valid[i].Start-fragmentSize/4))
		to := wordEnd(text, min(len(text), from+fragmentSize))
		if to < valid[i].End {
			to = wordEnd(text, valid[i].End)
		}
		j := i
		for j < len(valid) && valid[j].End <= to {
			j++
		}
		out = append(out, render(text, from, to, valid[i:j]))
		i = j
	}
	return out
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

// render escapes text[from:to] and marks the spans inside it, adding "…"
// at either end that cuts the text.
func render(text string, from, to int, marks []Span) string {
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
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.Start:s.End]))
		b.WriteString("</mark>")
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
