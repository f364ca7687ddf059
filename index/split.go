package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split breaks an article body into paragraph-level chunks of at most
// maxChars characters (runes) each (maxChars <= 0 means DefaultMaxChunk =
// 1500).
//
// Paragraphs:
//
//   - If the body has a blank line (only whitespace) between two non-blank
//     lines, blank lines separate paragraphs and the lines of a block are
//     hard-wrapped text, joined with a single space.
//   - If it has none (blank lines at the start or the end do not count), each
//     non-blank line is a paragraph: such bodies are written one paragraph
//     per line. A single hard-wrapped paragraph without blank lines is
//     therefore split at its line breaks too; that is the documented
//     convention for Article.Body.
//   - A Markdown heading line ("# Title", up to six '#') is a paragraph of
//     its own, without the '#'s. A list item ("- ", "* ", "+ ", "• " or "1. ",
//     "1) ") starts a new paragraph; bullet markers are dropped, numbers kept.
//     A line of only '-', '=', '*' or '_' (a rule or a setext underline) ends
//     a paragraph and is dropped.
//
// Whitespace runs collapse to one space, paragraphs are trimmed, and
// paragraphs made only of punctuation and Markdown decoration (such as
// "* * *", "—" or "+++") are dropped. A CRLF or lone CR counts as a line break and
// a leading BOM is ignored.
//
// A paragraph longer than maxChars is split at sentence ends ('.', '!', '?'
// or '…', possibly followed by closing quotes or brackets, then a space and
// an upper-case letter, digit or opening quote), not after common
// abbreviations ("Mr.", "Dr.", "Oct.", "U.S.", "e.g.", initials like "J."),
// packing whole sentences greedily into chunks. A sentence longer than
// maxChars is cut at the last space within the bound, or, in a word longer
// than maxChars, after exactly maxChars runes (never inside a UTF-8
// sequence).
//
// Every chunk is non-empty, trimmed and at most maxChars runes long.
func Split(body string, maxChars int) []string {
	if maxChars <= 0 {
		maxChars = DefaultMaxChunk
	}
	body = strings.TrimPrefix(body, "\uFEFF")
	if strings.IndexByte(body, '\r') >= 0 {
		body = strings.ReplaceAll(body, "\r\n", "\n")
		body = strings.ReplaceAll(body, "\r", "\n")
	}
	s := splitState{limit: maxChars, perLine: !splitHasInteriorBlank(body)}
	for line := range strings.SplitSeq(body, "\n") {
		s.line(line)
	}
	s.flush()
	return s.out
}

// splitState collects the paragraphs of one body.
type splitState struct {
	limit   int
	perLine bool   // one paragraph per line
	buf     []byte // the paragraph being collected, whitespace collapsed
	out     []string
}

// line takes the next line of the body.
func (s *splitState) line(line string) {
	t := strings.TrimSpace(line)
	switch {
	case t == "":
		s.flush()
		return
	case splitIsRule(t):
		s.flush()
		return
	}
	if h, ok := splitHeading(t); ok {
		s.flush()
		s.add(h)
		s.flush()
		return
	}
	if item, ok := splitListItem(t); ok {
		s.flush()
		t = item
	}
	s.add(t)
	if s.perLine {
		s.flush()
	}
}

// add appends trimmed text to the paragraph, collapsing whitespace.
func (s *splitState) add(t string) {
	if t == "" {
		return
	}
	if len(s.buf) > 0 {
		s.buf = append(s.buf, ' ')
	}
	s.buf = splitAppendCollapsed(s.buf, t)
}

// flush ends the paragraph being collected, if any.
func (s *splitState) flush() {
	if len(s.buf) == 0 {
		return
	}
	p := string(s.buf)
	s.buf = s.buf[:0]
	if !splitHasContent(p) {
		return
	}
	if len(p) <= s.limit || utf8.RuneCountInString(p) <= s.limit {
		s.out = append(s.out, p)
		return
	}
	s.out = splitLong(s.out, p, s.limit)
}

// splitHasInteriorBlank reports whether body has a blank line between two
// non-blank lines.
func splitHasInteriorBlank(body string) bool {
	seen, blank := false, false
	for line := range strings.SplitSeq(body, "\n") {
		if strings.TrimSpace(line) == "" {
			blank = seen
			continue
		}
		if blank {
			return true
		}
		seen = true
	}
	return false
}

// splitAppendCollapsed appends trimmed text t to b with every whitespace run
// replaced by one space. Invalid UTF-8 is copied as it is.
func splitAppendCollapsed(b []byte, t string) []byte {
	seg := 0         // start of the current run of non-space bytes
	inSpace := false // inside a whitespace run
	for i := 0; i < len(t); {
		c := t[i]
		if c > ' ' && c < utf8.RuneSelf && !inSpace {
			i++ // the common case: ASCII inside a word
			continue
		}
		size := 1
		var space bool
		if c < utf8.RuneSelf {
			space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(t[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && !inSpace:
			b = append(b, t[seg:i]...)
			b = append(b, ' ')
			inSpace = true
		case !space && inSpace:
			seg = i
			inSpace = false
		}
		i += size
	}
	if !inSpace {
		b = append(b, t[seg:]...)
	}
	return b
}

// splitHasContent reports whether p has a rune that is not whitespace or
// punctuation-like decoration.
func splitHasContent(p string) bool {
	for _, r := range p {
		if !unicode.IsSpace(r) && !unicode.IsPunct(r) && !strings.ContainsRune("=+~|<>^`", r) {
			return true
		}
	}
	return false
}

// splitIsRule reports whether trimmed line t is a Markdown thematic break or
// setext underline: at least three of one of '-', '=', '*', '_', maybe
// spaced.
func splitIsRule(t string) bool {
	if len(t) < 3 || strings.IndexByte("-=*_", t[0]) < 0 {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case t[0]:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// splitHeading reports whether trimmed line t is a Markdown ATX heading
// ("# Title" .. "###### Title") and returns its text without the opening
// and any closing '#'s.
func splitHeading(t string) (string, bool) {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return "", false
	}
	text := strings.TrimSpace(t[n:])
	if c := strings.TrimRight(text, "#"); c != text {
		if c == "" {
			text = ""
		} else if last := c[len(c)-1]; last == ' ' || last == '\t' {
			text = strings.TrimSpace(c)
		}
	}
	return text, true
}

// splitListItem reports whether trimmed line t starts a list item: a bullet
// ("- ", "* ", "+ ", "• ") or one to three digits and '.' or ')' then a
// space. It returns the item's text: without the bullet, or with its number.
func splitListItem(t string) (string, bool) {
	for _, bullet := range []string{"-", "*", "+", "•"} {
		if rest, ok := strings.CutPrefix(t, bullet); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			return strings.TrimSpace(rest), true
		}
	}
	n := 0
	for n < len(t) && n < 4 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n >= 1 && n <= 3 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
		return t, true
	}
	return "", false
}

// splitLong appends to out the chunks of paragraph p, which is longer than
// limit runes: whole sentences packed greedily, over-long sentences cut at
// spaces. p has single spaces only and is trimmed.
func splitLong(out []string, p string, limit int) []string {
	start, end, n := 0, 0, 0 // the chunk being packed is p[start:end], n runes (0: none)
	for i := 0; i < len(p); {
		j := splitSentenceEnd(p, i)
		sn := utf8.RuneCountInString(p[i:j])
		if n > 0 && n+1+sn <= limit {
			n += 1 + sn
		} else {
			if n > 0 {
				out = append(out, p[start:end])
			}
			start, n = i, sn
			for n > limit {
				cut, next, used := splitCut(p[start:j], limit)
				out = append(out, p[start:start+cut])
				start += next
				n -= used
			}
		}
		end = j
		i = j + 1
	}
	if n > 0 {
		out = append(out, p[start:end])
	}
	return out
}

// splitCut finds where to cut s, which has more than limit runes: at the last
// space that leaves at most limit runes before it, else after limit runes. It
// returns the byte length of the piece, the byte offset of the rest, and
// the runes from the start to the rest (the piece and any skipped space).
func splitCut(s string, limit int) (cut, next, used int) {
	lastSpace, spaceRunes := -1, 0
	k := 0
	for i, r := range s {
		if k == limit {
			if r == ' ' {
				return i, i + 1, limit + 1
			}
			if lastSpace > 0 {
				return lastSpace, lastSpace + 1, spaceRunes + 1
			}
			return i, i, limit
		}
		if r == ' ' {
			lastSpace, spaceRunes = i, k
		}
		k++
	}
	return len(s), len(s), k // not reached when s is longer than limit
}

// splitSentenceEnd returns the index of the space that ends the sentence
// starting at p[i], or len(p).
func splitSentenceEnd(p string, i int) int {
	for k := i; ; {
		sp := strings.IndexByte(p[k:], ' ')
		if sp < 0 {
			return len(p)
		}
		sp += k
		if splitIsBoundary(p[k:sp], p[sp+1:]) {
			return sp
		}
		k = sp + 1
	}
}

const (
	// splitOpeners may precede a sentence or a word.
	splitOpeners = "\"'“‘«([¿¡"
	// splitClosers may follow a sentence's final punctuation.
	splitClosers = "\"'”’»)]"
)

// splitAbbrevs are words that, followed by '.', do not end a sentence even
// before a capital or a digit ("Mr. Smith", "Oct. 7", "No. 10"). Words that
// usually end a sentence when capitalised text follows ("etc.", "Inc.") are
// not listed. Matching is case-sensitive.
var splitAbbrevs = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Mx": true, "Dr": true, "Prof": true,
	"Sr": true, "Jr": true, "St": true, "Rev": true, "Hon": true, "Fr": true,
	"Gen": true, "Col": true, "Lt": true, "Capt": true, "Cpt": true, "Cmdr": true,
	"Cdr": true, "Adm": true, "Maj": true, "Sgt": true, "Cpl": true, "Pvt": true,
	"Brig": true, "Gov": true, "Sen": true, "Rep": true, "Reps": true, "Pres": true,
	"Amb": true, "Supt": true, "Insp": true, "Det": true, "Atty": true,
	"No": true, "Nos": true, "Art": true, "Arts": true, "Sec": true, "Para": true,
	"Fig": true, "Vol": true, "Ch": true, "pp": true, "vs": true, "cf": true,
	"approx": true, "est": true, "ca": true, "Ave": true, "Rd": true, "Mt": true,
	"Ft": true, "Jan": true, "Feb": true, "Mar": true, "Apr": true, "Jun": true,
	"Jul": true, "Aug": true, "Sep": true, "Sept": true, "Oct": true, "Nov": true,
	"Dec": true,
}

// splitIsBoundary reports whether a sentence ends after word (which is
// followed by a space and then after).
func splitIsBoundary(word, after string) bool {
	if word == "" {
		return false
	}
	if c := word[len(word)-1]; c < utf8.RuneSelf && strings.IndexByte(".!?\"')]", c) < 0 {
		return false // the common case: a word inside a sentence
	}
	r, _ := utf8.DecodeRuneInString(after)
	if !(unicode.IsLetter(r) && !unicode.IsLower(r)) && !unicode.IsDigit(r) && !strings.ContainsRune(splitOpeners, r) {
		return false
	}
	w := strings.TrimRight(word, splitClosers)
	last, size := utf8.DecodeLastRuneInString(w)
	switch last {
	case '!', '?', '…':
		return true
	case '.':
	default:
		return false
	}
	base := strings.TrimLeft(w[:len(w)-size], splitOpeners)
	switch {
	case base == "":
		return false // a lone "."
	case strings.HasSuffix(base, "."):
		return true // an ellipsis: "..."
	case splitAbbrevs[base]:
		return false
	}
	// Initials ("J.") and dotted abbreviations ("U.S.", "e.g.", "Ph.D.").
	for seg := range strings.SplitSeq(base, ".") {
		n := 0
		for _, r := range seg {
			if !unicode.IsLetter(r) {
				return true
			}
			n++
		}
		if n == 0 || n > 3 {
			return true
		}
		if !strings.Contains(base, ".") && n > 1 {
			return true
		}
	}
	return false
}
