package index

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The test texts are invented briefing-style sentences.

var parseUpdateGolden = flag.Bool("update-parse-golden", false, "rewrite testdata/parse/golden/*.golden from ReadFile's results")

// parseWantErr describes an expected *RecordError.
type parseWantErr struct {
	line, rec int
	msg       string // the exact Error() text
}

// parseCheckErrs compares errors from Decode/DecodeText/ReadFile with want.
func parseCheckErrs(t *testing.T, got []error, want []parseWantErr) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d errors %q, want %d", len(got), got, len(want))
	}
	for i, err := range got {
		var re *RecordError
		if !errors.As(err, &re) {
			t.Errorf("error %d %q is a %T, want *RecordError", i, err, err)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("error %d %q does not wrap ErrInvalid", i, err)
		}
		if re.Line != want[i].line || re.Record != want[i].rec {
			t.Errorf("error %d %q: line %d record %d, want line %d record %d", i, err, re.Line, re.Record, want[i].line, want[i].rec)
		}
		if !parseMsgMatch(err.Error(), want[i].msg) {
			t.Errorf("error %d:\n got %q\nwant %q", i, err.Error(), want[i].msg)
		}
	}
}

// parseMsgMatch reports whether msg matches want, in which a "*" stands
// for any text (used for encoding/json's own wording of syntax errors).
func parseMsgMatch(msg, want string) bool {
	before, after, wild := strings.Cut(want, "*")
	if !wild {
		return msg == want
	}
	return len(msg) >= len(before)+len(after) && strings.HasPrefix(msg, before) && strings.HasSuffix(msg, after)
}

// parseArt builds an expected article.
func parseArt(id, body string) Article { return Article{ID: id, Body: body} }

func TestDecode(t *testing.T) {
	date := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return tm.UTC()
	}
	full := Article{
		ID: "a1", Title: "Strait closed", Source: "Example Wire", URL: "https://example.org/a1",
		Published: date("2024-03-05T00:00:00Z"), Body: "Shipping was halted.",
	}
	const fullJSON = `{"id":"a1","title":"Strait closed","source":"Example Wire","url":"https://example.org/a1","published":"2024-03-05","body":"Shipping was halted."}`

	tests := []struct {
		name  string
		input string
		want  []Article
		errs  []parseWantErr
	}{
		{name: "one object", input: fullJSON, want: []Article{full}},
		{
			name:  "pretty-printed object",
			input: "{\n  \"id\": \"a1\",\n  \"title\": \"Strait closed\",\n  \"source\": \"Example Wire\",\n  \"url\": \"https://example.org/a1\",\n  \"published\": \"2024-03-05\",\n  \"body\": \"Shipping was halted.\"\n}\n",
			want:  []Article{full},
		},
		{
			name:  "array",
			input: "[" + fullJSON + ",\n" + `{"id":"a2","body":"Second."}` + "]",
			want:  []Article{full, parseArt("a2", "Second.")},
		},
		{name: "empty array", input: " [ ] ", want: nil},
		{
			name:  "NDJSON",
			input: fullJSON + "\n" + `{"id":"a2","body":"Second."}` + "\n" + `{"id":"a3","body":"Third."}`,
			want:  []Article{full, parseArt("a2", "Second."), parseArt("a3", "Third.")},
		},
		{
			name:  "NDJSON with blank lines",
			input: "\n\n" + `{"id":"a2","body":"Second."}` + "\n\n  \t\n" + `{"id":"a3","body":"Third."}` + "\n\n",
			want:  []Article{parseArt("a2", "Second."), parseArt("a3", "Third.")},
		},
		{
			name:  "pretty-printed records followed by one-line ones",
			input: "{\n  \"id\": \"a3\",\n  \"tags\": [\n    {\"k\": 1},\n    {\"k\": 2}\n  ],\n  \"body\": \"Third.\"\n}\n" + `{"id":"a2","body":"Second."}` + "\n" + `{"id":"a4","body":"Fourth."}`,
			want:  []Article{parseArt("a3", "Third."), parseArt("a2", "Second."), parseArt("a4", "Fourth.")},
		},
		{
			name:  "NDJSON: a pretty-printed record after one-line ones is one bad record a line",
			input: `{"id":"a2","body":"Second."}` + "\n{\n  \"id\": \"a3\",\n  \"body\": \"Third.\"\n}\n" + `{"id":"a4","body":"Fourth."}`,
			want:  []Article{parseArt("a2", "Second."), parseArt("a4", "Fourth.")},
			errs: []parseWantErr{
				{2, 2, "in.ndjson: line 2 (record 2): malformed JSON: record not closed at the end of line 2 (NDJSON has one record per line)"},
				{3, 3, "in.ndjson: line 3 (record 3): malformed JSON: *"},
				{4, 4, "in.ndjson: line 4 (record 4): malformed JSON: *"},
				{5, 5, "in.ndjson: line 5 (record 5): malformed JSON: *"},
			},
		},
		{
			name: "bad record in the middle",
			input: `{"id":"a1","body":"First."}` + "\n\n" +
				`{"id":"a2","body": }` + "\n" +
				`{"id":"a3","body":"Third."}` + "\n" +
				`{"id":"a4","body":"unterminated` + "\n" +
				`{"id":"a5","body":"Fifth."}` + "\n" +
				`{"id":"a6","title":"x"` + "\n" +
				`{"id":"a7","body":"Seventh."}`,
			want: []Article{parseArt("a1", "First."), parseArt("a3", "Third."), parseArt("a5", "Fifth."), parseArt("a7", "Seventh.")},
			errs: []parseWantErr{
				{3, 2, "in.ndjson: line 3 (record 2): malformed JSON: *"},
				{5, 4, "in.ndjson: line 5 (record 4): malformed JSON: string not closed at the end of line 5"},
				{7, 6, "in.ndjson: line 7 (record 6): malformed JSON: *"},
			},
		},
		{
			name: "truncated line costs only itself",
			input: `{"id":"a1","body":"First."}` + "\n" +
				`{"id": "b", "title": "Broken", "body": ` + "\n" +
				`{"id":"c","body":"Third."}` + "\n" +
				`{"id": "d", "tags": [` + "\n" +
				`{"id":"e","body":"Fifth."}`,
			want: []Article{parseArt("a1", "First."), parseArt("c", "Third."), parseArt("e", "Fifth.")},
			errs: []parseWantErr{
				{2, 2, "in.ndjson: line 2 (record 2): malformed JSON: record not closed at the end of line 2 (NDJSON has one record per line)"},
				{4, 4, "in.ndjson: line 4 (record 4): malformed JSON: record not closed at the end of line 4 (NDJSON has one record per line)"},
			},
		},
		{
			name:  "truncated first line costs only itself",
			input: `{"id": "b", "title": "Broken", "body": ` + "\n" + `{"id":"c","body":"Second."}` + "\n",
			want:  []Article{parseArt("c", "Second.")},
			errs:  []parseWantErr{{1, 1, "in.ndjson: line 1 (record 1): malformed JSON*"}},
		},
		{
			name:  "unclosed record at the end",
			input: `{"id":"a1","body":"First."}` + "\n" + `{"id":"a2","body":"x",` + "\n",
			want:  []Article{parseArt("a1", "First.")},
			errs:  []parseWantErr{{2, 2, "in.ndjson: line 2 (record 2): malformed JSON: record not closed at the end of line 2 (NDJSON has one record per line)"}},
		},
		{
			name:  "two objects on one line",
			input: `{"id":"a1","body":"First."} {"id":"a2","body":"Second."}`,
			errs:  []parseWantErr{{1, 1, "in.ndjson: line 1 (record 1): malformed JSON: *"}},
		},
		{
			name: "wrong types",
			input: `{"id":"a1","body":42}` + "\n" + `{"id":7,"body":"x"}` + "\n" + `{"id":"a3","title":["a"],"body":"x"}` + "\n" +
				`["a1"]` + "\n" + `"just a string"` + "\n" + `{"id":"a6","published":20240305,"body":"x"}`,
			errs: []parseWantErr{
				{1, 1, "in.ndjson: line 1 (record 1): body: want a string, got number"},
				{2, 2, "in.ndjson: line 2 (record 2): id: want a string, got number"},
				{3, 3, "in.ndjson: line 3 (record 3): title: want a string, got array"},
				{4, 4, "in.ndjson: line 4 (record 4): record is not a JSON object (got array)"},
				{5, 5, "in.ndjson: line 5 (record 5): record is not a JSON object (got string)"},
				{6, 6, "in.ndjson: line 6 (record 6): published: want a string, got number"},
			},
		},
		{
			name:  "unknown keys are ignored, null is absent",
			input: `{"id":"a1","category":"security","region":{"name":"Baltic","ids":[1,2]},"title":null,"body":"Text."}`,
			want:  []Article{parseArt("a1", "Text.")},
		},
		{
			name:  "missing and blank fields",
			input: `{"id":"a1"}` + "\n" + `{"id":"a2","body":"  \n\t "}` + "\n" + `{"body":"x"}` + "\n" + `{"id":"  ","title":"t"}`,
			errs: []parseWantErr{
				{1, 1, "in.ndjson: line 1 (record 1): missing body"},
				{2, 2, "in.ndjson: line 2 (record 2): missing body"},
				{3, 3, "in.ndjson: line 3 (record 3): missing id"},
				{4, 4, "in.ndjson: line 4 (record 4): missing id; missing body"},
			},
		},
		{
			name: "bad ids",
			input: `{"id":"a#1","body":"x"}` + "\n" + `{"id":"a\u00071","body":"x"}` + "\n" +
				`{"id":"` + strings.Repeat("k", 257) + `","body":"x"}` + "\n" + `{"id":"  a4  ","body":"x"}`,
			want: []Article{parseArt("a4", "x")},
			errs: []parseWantErr{
				{1, 1, `in.ndjson: line 1 (record 1): id "a#1": must not contain '#' (it separates chunk ids)`},
				{2, 2, `in.ndjson: line 2 (record 2): id "a\a1": must not contain control characters`},
				{3, 3, `in.ndjson: line 3 (record 3): id "` + strings.Repeat("k", 60) + `"…: longer than 256 bytes (257)`},
			},
		},
		{
			name:  "bad date",
			input: `{"id":"a1","published":"yesterday","body":"x"}` + "\n" + `{"id":"a2","published":"05/03/2024","body":"x"}`,
			errs: []parseWantErr{
				{1, 1, `in.ndjson: line 1 (record 1): published: cannot parse "yesterday": want YYYY-MM-DD or RFC 3339`},
				{2, 2, `in.ndjson: line 2 (record 2): published: cannot parse "05/03/2024": want YYYY-MM-DD or RFC 3339`},
			},
		},
		{
			name: "dates are UTC",
			input: `{"id":"a1","published":"2024-03-05T23:30:00+02:00","body":"x"}` + "\n" +
				`{"id":"a2","published":"2024-03-05T01:02:03.5-07:00","body":"x"}` + "\n" +
				`{"id":"a3","published":" 2024-02-29 ","body":"x"}`,
			want: []Article{
				{ID: "a1", Published: date("2024-03-05T21:30:00Z"), Body: "x"},
				{ID: "a2", Published: date("2024-03-05T08:02:03.5Z"), Body: "x"},
				{ID: "a3", Published: date("2024-02-29T00:00:00Z"), Body: "x"},
			},
		},
		{
			name:  "BOM and CRLF",
			input: "\uFEFF" + `{"id":"a1","body":"Line one.\r\nLine two."}` + "\r\n\r\n" + `{"id":"a2","body":"x"}` + "\r\n",
			want:  []Article{parseArt("a1", "Line one.\nLine two."), parseArt("a2", "x")},
		},
		{
			name:  "BOM before an array",
			input: "\uFEFF\n[" + `{"id":"a1","body":"x"}` + "]",
			want:  []Article{parseArt("a1", "x")},
		},
		{
			name:  "titles and sources become one line",
			input: `{"id":"a1","title":"  Two\nlines  ","source":" Example\tWire ","body":"x"}`,
			want:  []Article{{ID: "a1", Title: "Two lines", Source: "Example Wire", Body: "x"}},
		},
		{
			name:  "array: bad elements are skipped, lines point at them",
			input: "[\n  {\"id\": \"a1\", \"body\": \"x\"},\n  {\n    \"id\": \"a2\",\n    \"body\": 1\n  },\n\n  {\"id\": \"a3\", \"body\": \"\"}\n  , {\"id\": \"a4\", \"body\": \"y\"}, 5\n]",
			want:  []Article{parseArt("a1", "x"), parseArt("a4", "y")},
			errs: []parseWantErr{
				{3, 2, "in.ndjson: line 3 (record 2): body: want a string, got number"},
				{8, 3, "in.ndjson: line 8 (record 3): missing body"},
				{9, 5, "in.ndjson: line 9 (record 5): record is not a JSON object (got number)"},
			},
		},
		{
			name:  "array truncated",
			input: "[\n" + `{"id":"a1","body":"x"},` + "\n" + `{"id":"a2","bo`,
			want:  []Article{parseArt("a1", "x")},
			errs:  []parseWantErr{{3, 2, "in.ndjson: line 3 (record 2): malformed JSON: unexpected end of input; the rest of the input was not read"}},
		},
		{
			name:  "array with a syntax error",
			input: "[" + `{"id":"a1","body":"x"},` + "\n" + `{"id":"a2" "body":"y"}, {"id":"a3","body":"z"}]`,
			want:  []Article{parseArt("a1", "x")},
			errs:  []parseWantErr{{2, 2, "in.ndjson: line 2 (record 2): malformed JSON: *; the rest of the input was not read"}},
		},
		{
			name:  "array missing a comma",
			input: "[" + `{"id":"a1","body":"x"}` + "\n" + `{"id":"a2","body":"y"}]`,
			want:  []Article{parseArt("a1", "x")},
			errs:  []parseWantErr{{2, 2, "in.ndjson: line 2 (record 2): malformed JSON: *; the rest of the input was not read"}},
		},
		{
			name:  "array not closed",
			input: "[" + `{"id":"a1","body":"x"}` + "\n",
			want:  []Article{parseArt("a1", "x")},
			errs:  []parseWantErr{{2, 0, "in.ndjson: line 2: malformed JSON: unexpected end of input: the array is not closed"}},
		},
		{
			name:  "data after the array",
			input: "[" + `{"id":"a1","body":"x"}` + "]\n\n" + `{"id":"a2","body":"y"}`,
			want:  []Article{parseArt("a1", "x")},
			errs:  []parseWantErr{{3, 0, "in.ndjson: line 3: unexpected data after the JSON array"}},
		},
		{name: "empty input", input: "", want: nil},
		{name: "only whitespace", input: "\n \r\n\t\n", want: nil},
		{
			name:  "not JSON",
			input: "this is not json\nnor is this",
			errs: []parseWantErr{
				{1, 1, "in.ndjson: line 1 (record 1): malformed JSON: *"},
				{2, 2, "in.ndjson: line 2 (record 2): malformed JSON: *"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := Decode(strings.NewReader(tt.input), "in.ndjson")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode articles mismatch (-want +got):\n%s", diff)
			}
			parseCheckErrs(t, errs, tt.errs)
			for _, a := range got {
				if a.Published.Location() != time.UTC {
					t.Errorf("article %q: Published %v is not in UTC", a.ID, a.Published)
				}
			}
		})
	}
}

func TestDecodeHugeLine(t *testing.T) {
	var sb strings.Builder
	for sb.Len() < 200_000 {
		sb.WriteString(splitTestSentences[sb.Len()%len(splitTestSentences)])
		sb.WriteString(" ")
	}
	body := strings.TrimSpace(sb.String())
	big, err := json.Marshal(Article{ID: "speech", Title: "General debate address", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		input string
	}{
		{"NDJSON", `{"id":"before","body":"x"}` + "\n" + string(big) + "\n" + `{"id":"after","body":"y"}` + "\n"},
		{"array", "[" + `{"id":"before","body":"x"}` + ",\n" + string(big) + ",\n" + `{"id":"after","body":"y"}` + "]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A reader that returns little at a time, like a network body.
			got, errs := Decode(io.LimitReader(&parseSlowReader{r: strings.NewReader(tt.input)}, 1<<30), "speeches.ndjson")
			if len(errs) != 0 {
				t.Fatalf("Decode: %v", errs)
			}
			if len(got) != 3 || got[0].ID != "before" || got[2].ID != "after" {
				t.Fatalf("Decode gave %d articles, want before, speech, after", len(got))
			}
			if got[1].Body != body {
				t.Errorf("the %d-byte body came back as %d bytes", len(body), len(got[1].Body))
			}
		})
	}
}

// parseSlowReader returns at most 1000 bytes per Read.
type parseSlowReader struct{ r io.Reader }

func (s *parseSlowReader) Read(p []byte) (int, error) {
	if len(p) > 1000 {
		p = p[:1000]
	}
	return s.r.Read(p)
}

// parseFailingReader returns some data, then an error.
type parseFailingReader struct {
	data string
	err  error
}

func (f *parseFailingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestDecodeReadError(t *testing.T) {
	boom := errors.New("connection reset")
	for _, input := range []string{`{"id":"a1","body":"x"}` + "\n" + `{"id":"a2"`, `[{"id":"a1","body":"x"}, {"id":`} {
		got, errs := Decode(&parseFailingReader{data: input, err: boom}, "request body")
		if len(got) != 1 || got[0].ID != "a1" {
			t.Errorf("Decode(%q) articles = %v, want a1", input, got)
		}
		if len(errs) != 1 || !errors.Is(errs[0], boom) || errors.Is(errs[0], ErrInvalid) {
			t.Fatalf("Decode(%q) errors = %v, want one wrapping the read error and not ErrInvalid", input, errs)
		}
		if want := "request body: read: connection reset"; errs[0].Error() != want {
			t.Errorf("error = %q, want %q", errs[0], want)
		}
	}
}

func TestRecordErrorFormat(t *testing.T) {
	e := errors.New("missing body")
	tests := []struct {
		err  *RecordError
		want string
	}{
		{&RecordError{Source: "wire.ndjson", Line: 7, Record: 3, Err: e}, "wire.ndjson: line 7 (record 3): missing body"},
		{&RecordError{Source: "a.md", Line: 2, Err: e}, "a.md: line 2: missing body"},
		{&RecordError{Source: "request body", Record: 4, Err: e}, "request body: record 4: missing body"},
		{&RecordError{Source: "x.csv", Err: e}, "x.csv: missing body"},
		{&RecordError{}, "input: invalid input"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if !errors.Is(&RecordError{Err: e}, e) {
		t.Error("RecordError does not unwrap to its Err")
	}
}

func TestDecodeText(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return tm.UTC()
	}
	tests := []struct {
		name  string
		file  string
		input string
		want  Article
		err   *parseWantErr
	}{
		{
			name: "front matter with all keys",
			file: "notes/brief.md",
			input: "---\nid: brief-2024-017\ntitle: Ceasefire talks resume\nsource: Example Briefings\nurl: https://example.org/b/17\n" +
				"published: 2024-05-01T08:00:00-04:00\ncategory: diplomacy\ntags: [a, b]\n---\n\nMediators met on Wednesday.\n\nA second round\nis planned.\n",
			want: Article{
				ID: "brief-2024-017", Title: "Ceasefire talks resume", Source: "Example Briefings", URL: "https://example.org/b/17",
				Published: at("2024-05-01T12:00:00Z"), Body: "Mediators met on Wednesday.\n\nA second round\nis planned.",
			},
		},
		{
			name:  "no front matter: id from file name, title from heading",
			file:  "corpus/2024/port-closure.md",
			input: "\n# Port closure extended\n\nThe eastern port stays closed.\nInspections continue.",
			want:  Article{ID: "port-closure", Title: "Port closure extended", Body: "The eastern port stays closed.\nInspections continue."},
		},
		{
			name:  "plain text without heading",
			file:  "seed.txt",
			input: "\nFirst line of the report.\nSecond line.",
			want:  Article{ID: "seed", Body: "First line of the report.\nSecond line."},
		},
		{
			name:  "title in front matter keeps the heading in the body",
			file:  "x.md",
			input: "---\ntitle: Given title\n---\n# Heading\nText.",
			want:  Article{ID: "x", Title: "Given title", Body: "# Heading\nText."},
		},
		{
			name:  "front matter without title, heading gives it",
			file:  "y.md",
			input: "---\nid: y-1\npublished: 2024-05-01\n---\n\n## Second-level heading ##\n\nText.",
			want:  Article{ID: "y-1", Title: "Second-level heading", Published: at("2024-05-01T00:00:00Z"), Body: "Text."},
		},
		{
			name:  "empty front matter and null values",
			file:  "z.md",
			input: "---\n---\nText.",
			want:  Article{ID: "z", Body: "Text."},
		},
		{
			name:  "null and quoted values",
			file:  "q.md",
			input: "---\nid: \"0042\"\ntitle: ~\nsource:\nurl: 'https://example.org/q'\n---\nText.",
			want:  Article{ID: "0042", URL: "https://example.org/q", Body: "Text."},
		},
		{
			name:  "numeric id keeps its text",
			file:  "n.md",
			input: "---\nid: 0042\n---\nText.",
			want:  Article{ID: "0042", Body: "Text."},
		},
		{
			name:  "CRLF and BOM",
			file:  "win.md",
			input: "\uFEFF---\r\ntitle: Windows file\r\npublished: 2024-06-10\r\n---\r\nLine one.\r\nLine two.\r\n",
			want:  Article{ID: "win", Title: "Windows file", Published: at("2024-06-10T00:00:00Z"), Body: "Line one.\nLine two."},
		},
		{
			name:  "invalid UTF-8 is replaced",
			file:  "latin1.txt",
			input: "Caf\xe9 talks ended.",
			want:  Article{ID: "latin1", Body: "Caf\uFFFD talks ended."},
		},
		{
			name:  "unclosed front matter",
			file:  "unclosed.md",
			input: "---\ntitle: Never closed\n\nBody text.\n",
			err:   &parseWantErr{1, 0, "unclosed.md: line 1: front matter opened on line 1 is not closed by a --- line"},
		},
		{
			name:  "only an opening line",
			file:  "dash.md",
			input: "---",
			err:   &parseWantErr{1, 0, "dash.md: line 1: front matter opened on line 1 is not closed by a --- line"},
		},
		{
			name:  "bad YAML",
			file:  "bad.md",
			input: "---\ntitle: Bad\nsource: [unclosed\npublished: 2024-05-03\n---\nBody.",
			err:   &parseWantErr{3, 0, "bad.md: line 3: front matter: did not find expected ',' or ']'"},
		},
		{
			name:  "bad YAML indentation",
			file:  "indent.md",
			input: "---\ntitle: A\n  source: B\n---\nBody.",
			err:   &parseWantErr{3, 0, "indent.md: line 3: front matter: mapping values are not allowed in this context"},
		},
		{
			name:  "wrong type in front matter",
			file:  "list.md",
			input: "---\nid: l1\ntitle: [a, b]\n---\nBody.",
			err:   &parseWantErr{3, 0, "list.md: line 3: front matter: title: want a string, got a list"},
		},
		{
			name:  "front matter not a mapping",
			file:  "seq.md",
			input: "---\n- a\n- b\n---\nBody.",
			err:   &parseWantErr{2, 0, "seq.md: line 2: front matter: want key: value lines, got a list"},
		},
		{
			name:  "duplicate key",
			file:  "dup.md",
			input: "---\ntitle: A\nid: d\ntitle: B\n---\nBody.",
			err:   &parseWantErr{4, 0, `dup.md: line 4: front matter: duplicate key "title" (first on line 2)`},
		},
		{
			name:  "bad date points at its line",
			file:  "date.md",
			input: "---\ntitle: Undated\npublished: last Tuesday\n---\nBody.",
			err:   &parseWantErr{3, 0, `date.md: line 3: published: cannot parse "last Tuesday": want YYYY-MM-DD or RFC 3339`},
		},
		{
			name:  "bad id points at its line",
			file:  "id.md",
			input: "---\ntitle: T\nid: brief#2\n---\nBody.",
			err:   &parseWantErr{3, 0, `id.md: line 3: id "brief#2": must not contain '#' (it separates chunk ids)`},
		},
		{
			name:  "bad id from the file name",
			file:  "dir/report #2.md",
			input: "Body.",
			err:   &parseWantErr{0, 0, `dir/report #2.md: id "report #2": must not contain '#' (it separates chunk ids)`},
		},
		{
			name:  "missing body after front matter",
			file:  "empty.md",
			input: "---\ntitle: Nothing here\n---\n\n  \n",
			err:   &parseWantErr{4, 0, "empty.md: line 4: missing body"},
		},
		{
			name:  "heading only",
			file:  "h.md",
			input: "# Just a heading\n",
			err:   &parseWantErr{1, 0, "h.md: line 1: missing body"},
		},
		{
			name:  "empty file",
			file:  "blank.txt",
			input: "",
			err:   &parseWantErr{1, 0, "blank.txt: line 1: missing body"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeText(strings.NewReader(tt.input), tt.file)
			if tt.err != nil {
				if err == nil {
					t.Fatalf("DecodeText = %+v, nil; want error %q", got, tt.err.msg)
				}
				parseCheckErrs(t, []error{err}, []parseWantErr{*tt.err})
				return
			}
			if err != nil {
				t.Fatalf("DecodeText: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DecodeText mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	_, errs := ReadFile(filepath.Join("testdata", "parse", "notes.csv"))
	parseCheckErrs(t, errs, []parseWantErr{{0, 0,
		`testdata/parse/notes.csv: unsupported file type ".csv": want .json, .ndjson, .jsonl, .txt, .md or .markdown, optionally gzipped (.gz)`}})

	_, errs = ReadFile("testdata/parse/README")
	parseCheckErrs(t, errs, []parseWantErr{{0, 0,
		`testdata/parse/README: unsupported file type (no extension): want .json, .ndjson, .jsonl, .txt, .md or .markdown, optionally gzipped (.gz)`}})

	_, errs = ReadFile(filepath.Join("testdata", "parse", "does-not-exist.ndjson"))
	if len(errs) != 1 || !errors.Is(errs[0], fs.ErrNotExist) || errors.Is(errs[0], ErrInvalid) {
		t.Errorf("ReadFile(missing file) errors = %v, want one fs.ErrNotExist", errs)
	}

	// Extensions are matched regardless of case.
	dir := t.TempDir()
	p := filepath.Join(dir, "UPPER.JSONL")
	if err := os.WriteFile(p, []byte(`{"id":"u1","body":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, errs := ReadFile(p); len(errs) != 0 || len(got) != 1 {
		t.Errorf("ReadFile(%s) = %v, %v; want one article", p, got, errs)
	}
}

// TestReadFileGolden reads every file in testdata/parse and compares the
// articles and errors with testdata/parse/golden/<file>.golden. Run with
// -update-parse-golden to rewrite the golden files.
func TestReadFileGolden(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "parse"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			arts, errs := ReadFile(filepath.Join("testdata", "parse", e.Name()))
			got := parseGoldenText(arts, errs)
			golden := filepath.Join("testdata", "parse", "golden", e.Name()+".golden")
			if *parseUpdateGolden {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestReadFileGolden -update-parse-golden to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("ReadFile(%s) differs from %s (-want +got):\n%s", e.Name(), golden, diff)
			}
		})
	}
}

// parseGoldenText renders ReadFile's result for a golden file.
func parseGoldenText(arts []Article, errs []error) []byte {
	var b bytes.Buffer
	for _, a := range arts {
		j, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(&b, "article %s\n", j)
	}
	for _, err := range errs {
		fmt.Fprintf(&b, "error %s (ErrInvalid: %t)\n", err, errors.Is(err, ErrInvalid))
	}
	return b.Bytes()
}

// parseCheckArticle reports what is wrong with an article that a decoder
// returned, or "".
func parseCheckArticle(a Article) string {
	switch {
	case decodeCheckID(a.ID) != "":
		return decodeCheckID(a.ID)
	case strings.TrimSpace(a.ID) != a.ID:
		return "id not trimmed"
	case strings.TrimSpace(a.Body) == "":
		return "blank body"
	case strings.Contains(a.Body, "\r"):
		return "CR in body"
	case !a.Published.IsZero() && a.Published.Location() != time.UTC:
		return "published not UTC"
	}
	return ""
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"id":"a1","title":"T","published":"2024-03-05","body":"Text."}`))
	f.Add([]byte("[{\"id\":\"a1\",\"body\":\"x\"},\n{\"id\":\"a2\",\"body\":\"y\"}]"))
	f.Add([]byte("{\"id\":\"a1\",\"body\":\"x\"}\n\n{\"id\":\"a2\",\n\"body\":\"y\"}\n{\"bad\n"))
	f.Add([]byte("\uFEFF{\n \"id\": \"a\",\n \"tags\": [{\"k\": 1},\n {\"k\": 2}],\n \"body\": \"b\"\n}"))
	f.Add([]byte(`[{"id":"a","body":"x"}, 5, {"id":"b","body":1}`))
	f.Add([]byte(`{"id":"a","published":"2024-03-05T23:30:00+02:00","body":"x\r\ny"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		arts, errs := Decode(bytes.NewReader(data), "fuzz.ndjson")
		for _, a := range arts {
			if msg := parseCheckArticle(a); msg != "" {
				t.Fatalf("article %+v: %s", a, msg)
			}
		}
		for _, err := range errs {
			var re *RecordError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %q (%T) is not a *RecordError wrapping ErrInvalid", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.ndjson: ") || re.Line < 0 || re.Record < 0 {
				t.Fatalf("error %q does not name the input or has a negative position", err)
			}
			if re.Line > bytes.Count(data, []byte{'\n'})+1 {
				t.Fatalf("error %q points past the last line", err)
			}
		}
		if len(arts)+len(errs) > bytes.Count(data, []byte{'\n'})+1 && !bytes.Contains(data, []byte{'['}) {
			t.Fatalf("%d articles and %d errors from %d lines of NDJSON", len(arts), len(errs), bytes.Count(data, []byte{'\n'})+1)
		}
	})
}

func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("---\nid: a\ntitle: T\npublished: 2024-05-01\n---\n\n# Heading\nBody."), "x.md")
	f.Add([]byte("# Title\n\nBody text.\n"), "dir/file.txt")
	f.Add([]byte("---\ntitle: [a\n---\nBody"), "bad.md")
	f.Add([]byte("---\r\n- a\r\n---\r\n"), "seq.md")
	f.Add([]byte("---\na: &x [1, 2]\nb: *x\nid: *x\n---\nB"), "alias.md")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		a, err := DecodeText(bytes.NewReader(data), name)
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %q (%T) is not a *RecordError wrapping ErrInvalid", err, err)
			}
			if re.Source != name {
				t.Fatalf("error %q names %q, want %q", err, re.Source, name)
			}
			return
		}
		if msg := parseCheckArticle(a); msg != "" {
			t.Fatalf("article %+v: %s", a, msg)
		}
		if !utf8.ValidString(a.Body) || !utf8.ValidString(a.Title) {
			t.Fatalf("article %+v has invalid UTF-8", a)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; i < 2000; i++ {
		var body strings.Builder
		for j := 0; j < 12; j++ {
			body.WriteString(splitTestSentences[(i+j)%len(splitTestSentences)])
			if j%4 == 3 {
				body.WriteString("\n\n")
			} else {
				body.WriteByte(' ')
			}
		}
		line, err := json.Marshal(map[string]any{
			"id": fmt.Sprintf("wire-%06d", i), "title": "Security briefing", "source": "Example Wire",
			"url": fmt.Sprintf("https://example.org/wire/%d", i), "published": "2024-03-05T09:00:00+01:00",
			"category": "security", "body": body.String(),
		})
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	ndjson := buf.Bytes()
	array := append([]byte("[\n"), bytes.ReplaceAll(bytes.TrimSpace(ndjson), []byte("}\n{"), []byte("},\n{"))...)
	array = append(array, "\n]\n"...)
	for _, in := range []struct {
		name string
		data []byte
	}{{"NDJSON", ndjson}, {"array", array}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				arts, errs := Decode(bytes.NewReader(in.data), "bench.ndjson")
				if len(arts) != 2000 || len(errs) != 0 {
					b.Fatalf("Decode gave %d articles, %d errors", len(arts), len(errs))
				}
			}
		})
	}
}

// DecodeEach hands over what Decode returns, one article at a time, and
// stops when told to.
func TestDecodeEach(t *testing.T) {
	inputs := []string{
		`{"id":"a1","body":"First."}` + "\n" + `{"id": "b", "body": ` + "\n" + `{"id":"a3","body":"Third."}`,
		`[{"id":"a1","body":"First."}, {"id":"a2"}, {"id":"a3","body":"Third."}]`,
		"{\n  \"id\": \"a1\",\n  \"body\": \"Pretty.\"\n}\n",
	}
	for _, in := range inputs {
		want, wantErrs := Decode(strings.NewReader(in), "in.ndjson")
		var got []Article
		errs, err := DecodeEach(strings.NewReader(in), "in.ndjson", func(a Article, line, record int) error {
			if line < 1 || record < 1 {
				t.Errorf("article %s at line %d, record %d", a.ID, line, record)
			}
			got = append(got, a)
			return nil
		})
		if err != nil || !cmp.Equal(got, want) || len(errs) != len(wantErrs) {
			t.Errorf("DecodeEach(%q) = %v, %d errors, %v; Decode gives %v, %d errors", in, got, len(errs), err, want, len(wantErrs))
		}
	}
	stop := errors.New("enough")
	n := 0
	_, err := DecodeEach(strings.NewReader(`{"id":"a","body":"x"}`+"\n"+`{"id":"b","body":"y"}`+"\n"+`{"id":"c","body":"z"}`), "x",
		func(Article, int, int) error {
			if n++; n == 2 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("stopping: %v after %d articles, want the sink's error after 2", err, n)
	}
}
