package index

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// This file turns input files and request bodies into Articles:
//
//   - JSON and NDJSON (Decode): one object, an array of objects, or one
//     object per line. Bad records are reported one by one as *RecordError
//     and the good ones are still returned.
//   - Plain text and Markdown (DecodeText): optional YAML front matter, then
//     the body.
//
// Every error about the content of an input wraps ErrInvalid and names the
// input and, where known, the line and record.

// maxIDBytes is the longest article id accepted, in bytes.
const maxIDBytes = 256

// RecordError reports one bad record of an input; other records of the same
// input are still returned.
type RecordError struct {
	// Source names the input: a file name or "request body".
	Source string
	// Line is the 1-based line where the record starts (0 if unknown).
	Line int
	// Record is the 1-based record position in the input: the array element,
	// or the record's number among the non-blank records of an NDJSON input
	// (0 if the error is not about one record, e.g. for a text file).
	Record int
	// Err says what is wrong. It wraps ErrInvalid.
	Err error
}

// Error formats the error as "source: line L (record R): problem", leaving
// out the parts that are unknown.
func (e *RecordError) Error() string {
	src := e.Source
	if src == "" {
		src = "input"
	}
	var where string
	switch {
	case e.Line > 0 && e.Record > 0:
		where = fmt.Sprintf(": line %d (record %d)", e.Line, e.Record)
	case e.Line > 0:
		where = fmt.Sprintf(": line %d", e.Line)
	case e.Record > 0:
		where = fmt.Sprintf(": record %d", e.Record)
	}
	msg := ErrInvalid.Error()
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return src + where + ": " + msg
}

// Unwrap returns the underlying error, so that errors.Is(err, ErrInvalid)
// holds.
func (e *RecordError) Unwrap() error { return e.Err }

// decodeInvalid is a problem with the content of an input. Its message is
// the bare problem ("missing body"); it matches ErrInvalid and, if set, the
// underlying cause (a *json.SyntaxError, a *time.ParseError, ...).
type decodeInvalid struct {
	msg   string
	cause error
}

func (e *decodeInvalid) Error() string { return e.msg }

func (e *decodeInvalid) Unwrap() []error {
	if e.cause != nil {
		return []error{ErrInvalid, e.cause}
	}
	return []error{ErrInvalid}
}

// decodeInvalidf returns a *decodeInvalid with a formatted message.
func decodeInvalidf(cause error, format string, args ...any) error {
	return &decodeInvalid{msg: fmt.Sprintf(format, args...), cause: cause}
}

// decodeFields holds an article's fields as read from JSON or front matter,
// before they are checked and normalised.
type decodeFields struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Body      string `json:"body"`
}

// decodeProblem is one thing wrong with a record: the field it is about
// ("id", "published", "body") and the message.
type decodeProblem struct {
	field, msg string
}

// article checks and normalises the fields. It returns the article, or the
// problems found (all of them, in field order).
func (f *decodeFields) article() (Article, []decodeProblem) {
	var probs []decodeProblem
	a := Article{
		ID:     strings.TrimSpace(f.ID),
		Title:  decodeOneLine(f.Title),
		Source: decodeOneLine(f.Source),
		URL:    strings.TrimSpace(f.URL),
		Body:   decodeTrimBody(decodeNewlines(f.Body)),
	}
	if msg := decodeCheckID(a.ID); msg != "" {
		probs = append(probs, decodeProblem{"id", msg})
	}
	if t, err := decodeParsePublished(f.Published); err != nil {
		probs = append(probs, decodeProblem{"published", err.Error()})
	} else {
		a.Published = t
	}
	if a.Body == "" {
		probs = append(probs, decodeProblem{"body", "missing body"})
	}
	if len(probs) > 0 {
		return Article{}, probs
	}
	return a, nil
}

// decodeProblemsError joins problems into one error wrapping ErrInvalid.
func decodeProblemsError(probs []decodeProblem) error {
	msgs := make([]string, len(probs))
	for i, p := range probs {
		msgs[i] = p.msg
	}
	return decodeInvalidf(nil, "%s", strings.Join(msgs, "; "))
}

// decodeCheckID returns what is wrong with a (trimmed) id, or "".
func decodeCheckID(id string) string {
	switch {
	case id == "":
		return "missing id"
	case len(id) > maxIDBytes:
		return fmt.Sprintf("id %s: longer than %d bytes (%d)", decodeQuote(id), maxIDBytes, len(id))
	case !utf8.ValidString(id):
		return fmt.Sprintf("id %s: not valid UTF-8", decodeQuote(id))
	}
	for _, r := range id {
		if r == '#' {
			return fmt.Sprintf("id %s: must not contain '#' (it separates chunk ids)", decodeQuote(id))
		}
		if unicode.IsControl(r) {
			return fmt.Sprintf("id %s: must not contain control characters", decodeQuote(id))
		}
	}
	return ""
}

// decodeParsePublished parses a publication date: empty means unknown (the
// zero time), else YYYY-MM-DD (midnight UTC) or RFC 3339 (converted to UTC).
func decodeParsePublished(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return time.Time{}, nil
	}
	layout := time.RFC3339
	if len(v) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, decodeInvalidf(err, "published: cannot parse %s: want YYYY-MM-DD or RFC 3339", decodeQuote(v))
	}
	return t.UTC(), nil
}

// decodeQuote quotes s for an error message, shortening it if it is long.
func decodeQuote(s string) string {
	const maxRunes = 64
	if utf8.RuneCountInString(s) <= maxRunes {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == maxRunes-4 {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

// decodeOneLine trims s and collapses its whitespace runs (newlines
// included) to single spaces: titles and source names are one line.
func decodeOneLine(s string) string {
	clean := true // already trimmed with single ASCII spaces only
	for i := 0; i < len(s) && clean; i++ {
		switch c := s[i]; {
		case c == ' ':
			clean = i > 0 && i < len(s)-1 && s[i+1] != ' '
		case c >= utf8.RuneSelf, c < ' ', c == 0x7f:
			clean = false
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// decodeNewlines strips a leading BOM and turns CRLF and lone CR into LF.
func decodeNewlines(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// decodeTrimBody removes blank lines at the start and whitespace at the end
// of a body. The first line keeps its indentation. A body of only whitespace
// becomes "".
func decodeTrimBody(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	if i < 0 {
		return ""
	}
	if nl := strings.LastIndexByte(s[:i], '\n'); nl >= 0 {
		return s[nl+1:]
	}
	return s
}

// Decode reads articles from r, which holds JSON (one object or an array of
// objects) or NDJSON (one object per line; blank lines ignored). name is used
// in errors. It returns the valid articles and one *RecordError per bad
// record; a structurally unreadable input (e.g. truncated array) yields an
// error for the rest.
//
// The format is told from the content: an input whose first non-blank
// character is '[' is an array, read as a stream; anything else is read line
// by line, one record per line, where a record whose brackets are still open
// at the end of its line continues on the next lines (so a single
// pretty-printed object, or several, work too). When the first record is a
// whole line by itself, the input is strict NDJSON: every line is one record,
// and a truncated or malformed line is reported alone, never swallowing the
// valid line after it. A record in the middle that is malformed is reported
// and the reader goes on with the next line.
//
// Unknown keys are ignored; a known key (id, title, source, url, published,
// body) with a value that is not a string is an error, as are a missing id or
// body and an unparsable published date (see DecodeText for the formats).
// JSON null counts as absent. An empty input gives no articles and no errors.
// Errors reading r are returned as they are (not wrapping ErrInvalid).
func Decode(r io.Reader, name string) ([]Article, []error) {
	d := &decodeRun{name: name, br: bufio.NewReaderSize(r, 64<<10)}
	d.run()
	return d.arts, d.errs
}

// DecodeEach reads r as Decode does but hands each valid article to fn as
// soon as it is read, with the line it starts on and its record number,
// instead of collecting them: memory stays bounded however long the input.
// It returns the bad records' errors, and stops at the first error fn
// returns, which it returns too.
func DecodeEach(r io.Reader, name string, fn func(a Article, line, record int) error) (errs []error, err error) {
	d := &decodeRun{name: name, br: bufio.NewReaderSize(r, 64<<10), sink: fn}
	d.run()
	return d.errs, d.stop
}

// run reads the whole input, in the format its first byte tells.
func (d *decodeRun) run() {
	c, err := d.start()
	switch {
	case err == io.EOF:
		return
	case err != nil:
		d.readFailed(err)
	case c == '[':
		d.decodeArray()
	default:
		d.decodeLines()
	}
}

// decodeRun holds the state of one Decode call.
type decodeRun struct {
	name string
	br   *bufio.Reader
	line int    // lines fully consumed so far
	long []byte // buffer for lines longer than br's buffer
	arts []Article
	errs []error
	// sink, when set, takes each article instead of arts (DecodeEach);
	// stop is the first error it returned, which ends the run.
	sink func(a Article, line, record int) error
	stop error
}

// start skips a BOM and leading whitespace and returns the first byte, left
// unread.
func (d *decodeRun) start() (byte, error) {
	if b, err := d.br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = d.br.Discard(3)
	}
	for {
		c, err := d.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			d.line++
		case ' ', '\t', '\r':
		default:
			return c, d.br.UnreadByte()
		}
	}
}

// fail records a bad record.
func (d *decodeRun) fail(line, rec int, err error) {
	d.errs = append(d.errs, &RecordError{Source: d.name, Line: line, Record: rec, Err: err})
}

// readFailed records an error reading the input.
func (d *decodeRun) readFailed(err error) {
	d.errs = append(d.errs, fmt.Errorf("%s: read: %w", d.name, err))
}

// emit turns a decoded record into an article or an error. jerr is the error
// from decoding the record's JSON.
func (d *decodeRun) emit(f *decodeFields, jerr error, line, rec int) {
	if jerr != nil {
		d.fail(line, rec, decodeJSONError(jerr))
		return
	}
	a, probs := f.article()
	if probs != nil {
		d.fail(line, rec, decodeProblemsError(probs))
		return
	}
	if d.sink == nil {
		d.arts = append(d.arts, a)
	} else if d.stop == nil {
		d.stop = d.sink(a, line, rec)
	}
}

// decodeJSONError turns an error from encoding/json into a message about
// the record.
func decodeJSONError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field == "" {
			return decodeInvalidf(err, "record is not a JSON object (got %s)", te.Value)
		}
		return decodeInvalidf(err, "%s: want a string, got %s", te.Field, te.Value)
	case errors.As(err, &se):
		return decodeInvalidf(err, "malformed JSON: %v", se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return decodeInvalidf(err, "malformed JSON: unexpected end of input")
	}
	return decodeInvalidf(err, "malformed JSON: %v", err)
}

// decodeArray reads a JSON array of records as a stream.
func (d *decodeRun) decodeArray() {
	lt := &decodeLineTracker{r: d.br, line: d.line + 1}
	dec := json.NewDecoder(lt)
	if _, err := dec.Token(); err != nil { // the '[' seen by start
		d.fail(lt.line, 0, decodeJSONError(err))
		return
	}
	rec := 0
	for d.stop == nil && dec.More() {
		rec++
		line := lt.startLine(dec.InputOffset())
		var f decodeFields
		err := dec.Decode(&f)
		var te *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &te) {
			if lt.err != nil {
				d.readFailed(lt.err)
				return
			}
			d.fail(line, rec, decodeInvalidf(err, "%v; the rest of the input was not read", decodeJSONError(err)))
			return
		}
		d.emit(&f, err, line, rec)
	}
	if d.stop != nil {
		return
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		if lt.err != nil {
			d.readFailed(lt.err)
			return
		}
		line := lt.startLine(dec.InputOffset())
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		d.fail(line, 0, decodeInvalidf(err, "%v: the array is not closed", decodeJSONError(err)))
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		if lt.err != nil {
			d.readFailed(lt.err)
			return
		}
		line := lt.startLine(dec.InputOffset())
		d.fail(line, 0, decodeInvalidf(err, "unexpected data after the JSON array"))
	}
}

// decodeLineTracker passes reads through and keeps enough of what was read
// to tell the line of a byte offset. Offsets asked for must not decrease.
type decodeLineTracker struct {
	r    io.Reader
	buf  []byte // bytes read and not yet passed; buf[0] is at offset base
	base int64
	line int   // line of offset base
	err  error // first error from r other than io.EOF
}

func (t *decodeLineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// startLine returns the line of the first byte at or after off that is
// neither JSON whitespace nor a comma: where the next value starts.
func (t *decodeLineTracker) startLine(off int64) int {
	i := int(min(max(off-t.base, 0), int64(len(t.buf))))
	t.line += bytes.Count(t.buf[:i], []byte{'\n'})
	for ; i < len(t.buf); i++ {
		c := t.buf[i]
		if c == '\n' {
			t.line++
		} else if c != ' ' && c != '\t' && c != '\r' && c != ',' {
			break
		}
	}
	t.base += int64(i)
	t.buf = t.buf[i:]
	return t.line
}

// decodeLines reads NDJSON: one record per non-blank line. When the first
// record is a whole line by itself the input is strict NDJSON and every line
// is one record, so a truncated or malformed line costs exactly that line.
// Otherwise (pretty-printed objects) a record whose brackets are still open
// at the end of a line continues on the next.
func (d *decodeRun) decodeLines() {
	var (
		strict  bool   // the first record was one line: one record per line
		first   = true // no record seen yet
		pending bool   // a multi-line record is being collected
		acc     []byte // its text
		start   int    // its first line
		sc      decodeDepth
		rec     int
	)
	finish := func() { // the collected record is complete (or hopeless)
		rec++
		d.finishRecord(acc, start, rec)
		pending, acc = false, acc[:0]
		sc.reset()
	}
	for {
		raw, err := d.readLine()
		if err != nil && err != io.EOF {
			d.readFailed(err)
			return
		}
		if len(raw) > 0 || err == nil {
			d.line++
			raw = bytes.TrimRight(raw, "\r")
			t := decodeTrimJSONSpace(raw)
			switch {
			case !pending && len(t) == 0:
				// blank line between records
			case !pending && t[0] == '{' && t[len(t)-1] == '}' && d.tryLine(t, rec+1):
				rec++ // the common case: a whole record on its line
				strict = strict || first
				first = false
			case strict:
				rec++
				var line decodeDepth
				line.feed(t)
				switch {
				case line.inString:
					d.fail(d.line, rec, decodeInvalidf(nil, "malformed JSON: string not closed at the end of line %d", d.line))
				case len(line.stack) > 0 && !line.broken:
					d.fail(d.line, rec, decodeInvalidf(io.ErrUnexpectedEOF,
						"malformed JSON: record not closed at the end of line %d (NDJSON has one record per line)", d.line))
				default:
					d.finishRecord(t, d.line, rec)
				}
			case pending && len(sc.stack) == 1 && len(t) > 1 && t[0] == '{' && t[len(t)-1] == '}' && json.Valid(t):
				// A whole object on its own line right inside the pending
				// record's top-level object (not nested in a pretty-printed
				// record's array or object) is a new record: the pending
				// one was cut short.
				finish()
				if d.tryLine(t, rec+1) {
					rec++
				}
			default:
				first = false
				if pending && len(t) > 0 && t[0] == '{' && !sc.canTakeObject() {
					// An object cannot continue the pending record here:
					// that record is broken; the new one starts here.
					finish()
				}
				if !pending {
					pending, start = true, d.line
				}
				acc = append(acc, raw...)
				acc = append(acc, '\n')
				sc.feed(raw)
				switch {
				case sc.inString:
					rec++
					d.fail(start, rec, decodeInvalidf(nil, "malformed JSON: string not closed at the end of line %d", d.line))
					pending, acc = false, acc[:0]
					sc.reset()
				case sc.broken || len(sc.stack) == 0:
					finish()
				}
			}
		}
		if err == io.EOF || d.stop != nil {
			break
		}
	}
	if pending && d.stop == nil {
		rec++
		d.fail(start, rec, decodeInvalidf(io.ErrUnexpectedEOF, "malformed JSON: unexpected end of input (record not closed)"))
	}
}

// tryLine decodes a one-line record. It reports false, recording nothing, if
// the line is not valid JSON by itself (it may start a multi-line record).
func (d *decodeRun) tryLine(t []byte, rec int) bool {
	var f decodeFields
	err := json.Unmarshal(t, &f)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return false
	}
	d.emit(&f, err, d.line, rec)
	return true
}

// finishRecord decodes a collected (possibly multi-line) record.
func (d *decodeRun) finishRecord(acc []byte, start, rec int) {
	var f decodeFields
	err := json.Unmarshal(acc, &f)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Point at the line of the syntax error if it is not the first.
		if off := int(min(max(se.Offset, 0), int64(len(acc)))); off > 0 {
			if n := bytes.Count(acc[:off-1], []byte{'\n'}); n > 0 {
				d.fail(start, rec, decodeInvalidf(err, "malformed JSON at line %d: %v", start+n, se))
				return
			}
		}
	}
	d.emit(&f, err, start, rec)
}

// readLine returns the next line without its '\n'. Lines of any length work.
// The slice is valid until the next call.
func (d *decodeRun) readLine() ([]byte, error) {
	line, err := d.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		d.long = append(d.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = d.br.ReadSlice('\n')
			d.long = append(d.long, line...)
		}
		line = d.long
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	return line, err
}

// decodeTrimJSONSpace trims JSON whitespace from both ends of b.
func decodeTrimJSONSpace(b []byte) []byte {
	return bytes.Trim(b, " \t\r\n")
}

// decodeDepth follows the bracket nesting of JSON text fed to it line by
// line, to tell where a multi-line record ends. It does not validate.
type decodeDepth struct {
	stack    []byte // open '{' and '['
	inString bool
	escape   bool
	broken   bool // a closing bracket did not match
	last     byte // last significant byte outside strings
}

func (s *decodeDepth) reset() {
	*s = decodeDepth{stack: s.stack[:0]}
}

// feed scans one line.
func (s *decodeDepth) feed(line []byte) {
	for _, c := range line {
		if s.inString {
			switch {
			case s.escape:
				s.escape = false
			case c == '\\':
				s.escape = true
			case c == '"':
				s.inString = false
				s.last = c
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			s.inString = true
		case '{', '[':
			s.stack = append(s.stack, c)
		case '}', ']':
			n := len(s.stack)
			if n == 0 || (c == '}') != (s.stack[n-1] == '{') {
				s.broken = true
				return
			}
			s.stack = s.stack[:n-1]
		}
		s.last = c
	}
}

// canTakeObject reports whether an object may start at this point of valid
// JSON: after '[' or ':', or after ',' inside an array.
func (s *decodeDepth) canTakeObject() bool {
	switch s.last {
	case '[', ':':
		return true
	case ',':
		return len(s.stack) > 0 && s.stack[len(s.stack)-1] == '['
	}
	return false
}

// DecodeText reads one article from a .txt/.md file's content: optional YAML
// front matter between a first line `---` and a closing `---` line with keys
// id, title, source, url, published; then the body. Without an id, the id
// comes from name (file base name without extension). Without a title, the
// title is the first Markdown heading ("# Title") if the body starts with one
// (that heading line is then removed from the body). A leading heading that
// repeats the title is removed too.
//
// published is YYYY-MM-DD (midnight UTC) or RFC 3339 (converted to UTC).
// Other front-matter keys are ignored; a known key whose value is a list or
// a mapping is an error. A BOM is stripped, CRLF becomes LF and invalid
// UTF-8 is replaced by U+FFFD. Errors are *RecordError values that name the
// file and, where known, the line; they wrap ErrInvalid (errors reading r are
// returned as they are).
func DecodeText(r io.Reader, name string) (Article, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Article{}, fmt.Errorf("%s: read: %w", name, err)
	}
	text := decodeNewlines(strings.ToValidUTF8(string(data), "\uFFFD"))
	fail := func(line int, err error) (Article, error) {
		return Article{}, &RecordError{Source: name, Line: line, Err: err}
	}

	var f decodeFields
	keyLines := map[string]int{}
	body, bodyLine := text, 1
	if first, rest, _ := strings.Cut(text, "\n"); strings.TrimRight(first, " \t") == "---" {
		fm, after, closeLine, found := decodeCutFrontMatter(rest)
		if !found {
			return fail(1, decodeInvalidf(nil, "front matter opened on line 1 is not closed by a --- line"))
		}
		line, err := decodeFrontMatter(fm, &f, keyLines)
		if err != nil {
			return fail(line, err)
		}
		body, bodyLine = after, closeLine+1
	}

	if strings.TrimSpace(f.ID) == "" {
		base := filepath.Base(name)
		f.ID = strings.TrimSuffix(base, filepath.Ext(base))
		keyLines["id"] = 0
	}
	// A leading heading is the title: taken as the title when there is
	// none, dropped when it repeats the title, so it is not indexed as a
	// paragraph of its own.
	if title, rest, ok := decodeLeadingHeading(body); ok {
		switch {
		case strings.TrimSpace(f.Title) == "":
			f.Title, body = title, rest
		case strings.EqualFold(strings.Join(strings.Fields(title), " "), strings.Join(strings.Fields(f.Title), " ")):
			body = rest
		}
	}
	f.Body = body
	a, probs := f.article()
	if probs != nil {
		line, ok := keyLines[probs[0].field]
		if !ok {
			line = bodyLine
		}
		return fail(line, decodeProblemsError(probs))
	}
	return a, nil
}

// decodeCutFrontMatter splits the text after an opening --- line into the
// front matter and what follows the closing --- line. closeLine is the
// closing line's number in the file.
func decodeCutFrontMatter(rest string) (fm, after string, closeLine int, found bool) {
	line := 1
	for off := 0; off < len(rest); line++ {
		end := strings.IndexByte(rest[off:], '\n')
		next := len(rest)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(rest)
		}
		if strings.TrimRight(rest[off:end], " \t") == "---" {
			return rest[:off], rest[next:], line + 1, true
		}
		off = next
	}
	return "", "", 0, false
}

// decodeYAMLLine finds the line number in a YAML error message.
var decodeYAMLLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// decodeYAMLParserProblems are the messages of the YAML parser (as opposed
// to its scanner), whose errors give 0-based line numbers.
var decodeYAMLParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// decodeFrontMatter parses YAML front matter (which starts on line 2 of the
// file) into f and records the line of each known key. On error it returns
// the line the error is about.
func decodeFrontMatter(fm string, f *decodeFields, keyLines map[string]int) (int, error) {
	var doc yaml.Node
	// The leading newline makes the YAML parser's line numbers the file's.
	if err := decodeYAML("\n"+fm, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 1
		if m := decodeYAMLLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
			if decodeYAMLParserProblems[msg] {
				line++ // the YAML parser counts these from 0
			}
		}
		return line, decodeInvalidf(err, "front matter: %s", strings.ReplaceAll(msg, "\n", " "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return 0, nil // empty front matter
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return 0, nil
	}
	if root.Kind != yaml.MappingNode {
		return root.Line, decodeInvalidf(nil, "front matter: want key: value lines, got %s", decodeYAMLKind(root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var dst *string
		switch k.Value {
		case "id":
			dst = &f.ID
		case "title":
			dst = &f.Title
		case "source":
			dst = &f.Source
		case "url":
			dst = &f.URL
		case "published":
			dst = &f.Published
		default:
			continue // other keys (tags, category, ...) are ignored
		}
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if first, dup := keyLines[k.Value]; dup {
			return k.Line, decodeInvalidf(nil, "front matter: duplicate key %q (first on line %d)", k.Value, first)
		}
		keyLines[k.Value] = k.Line
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		if v.Kind != yaml.ScalarNode {
			return v.Line, decodeInvalidf(nil, "front matter: %s: want a string, got %s", k.Value, decodeYAMLKind(v))
		}
		if v.Tag != "!!null" {
			*dst = v.Value
		}
	}
	return 0, nil
}

// decodeYAML unmarshals YAML into a node, turning a panic of the YAML
// library into an error.
func decodeYAML(src string, doc *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: unreadable (%v)", p)
		}
	}()
	return yaml.Unmarshal([]byte(src), doc)
}

// decodeYAMLKind names a node's kind for an error message.
func decodeYAMLKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "something else"
}

// decodeLeadingHeading reports whether the first non-blank line of body is a
// Markdown ATX heading ("# Title", up to six '#'), and returns its text and
// the body without that line.
func decodeLeadingHeading(body string) (title, rest string, ok bool) {
	off := 0
	for off < len(body) {
		end := strings.IndexByte(body[off:], '\n')
		next := len(body)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(body)
		}
		line := strings.TrimSpace(body[off:end])
		if line != "" {
			text, isHeading := splitHeading(line)
			if !isHeading || text == "" {
				return "", "", false
			}
			return text, body[next:], true
		}
		off = next
	}
	return "", "", false
}

// ReadFile parses one file by extension: .json/.ndjson/.jsonl → Decode;
// .txt/.md/.markdown → DecodeText; else an error wrapping ErrInvalid naming
// the file ("unsupported file type"). The extension is matched without
// regard to case. Errors name the file by path as given; an error opening
// the file is returned as it is (an *fs.PathError, not ErrInvalid).
func ReadFile(path string) ([]Article, []error) {
	var articles []Article
	errs, _ := ReadFileEach(path, func(a Article) error {
		articles = append(articles, a)
		return nil
	})
	return articles, errs
}

// ReadFileEach reads a file as ReadFile does but hands each valid article
// to fn as soon as it is read (see DecodeEach), so memory stays bounded
// however large the file. It returns the file's errors, and stops at the
// first error fn returns, which it returns too.
func ReadFileEach(path string, fn func(Article) error) (errs []error, err error) {
	name := path
	gzipped := strings.EqualFold(filepath.Ext(name), ".gz")
	if gzipped {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".json", ".ndjson", ".jsonl", ".txt", ".md", ".markdown":
	default:
		what := strconv.Quote(ext)
		if ext == "" {
			what = "(no extension)"
		}
		return []error{&RecordError{Source: path, Err: decodeInvalidf(nil,
			"unsupported file type %s: want .json, .ndjson, .jsonl, .txt, .md or .markdown, optionally gzipped (.gz)", what)}}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return []error{err}, nil
	}
	defer f.Close()
	var r io.Reader = f
	if gzipped {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return []error{&RecordError{Source: path, Err: decodeInvalidf(err, "not a gzip file: %v", err)}}, nil
		}
		defer zr.Close()
		r = zr
	}
	if ext == ".json" || ext == ".ndjson" || ext == ".jsonl" {
		return DecodeEach(r, path, func(a Article, _, _ int) error { return fn(a) })
	}
	a, err := DecodeText(r, path)
	if err != nil {
		return []error{err}, nil
	}
	return nil, fn(a)
}
