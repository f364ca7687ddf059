package index

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The test texts are invented briefing-style sentences.

func TestSplitParagraphs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{
			name: "blank lines separate paragraphs",
			body: "The delegation arrived on Monday.\n\nTalks resumed on Tuesday.\n\n\nNo agreement was reached.",
			want: []string{"The delegation arrived on Monday.", "Talks resumed on Tuesday.", "No agreement was reached."},
		},
		{
			name: "hard-wrapped lines are joined",
			body: "The envoy arrived in\nGeneva on Tuesday for a\nsecond round of talks.\n\nA joint statement\nis expected.",
			want: []string{"The envoy arrived in Geneva on Tuesday for a second round of talks.", "A joint statement is expected."},
		},
		{
			name: "blank line with only whitespace separates",
			body: "First block.\n \t \nSecond block.",
			want: []string{"First block.", "Second block."},
		},
		{
			name: "no blank lines: one paragraph per line",
			body: "The ministry confirmed the arrests.\nTwo suspects remain in custody.\nA third was released on bail.",
			want: []string{"The ministry confirmed the arrests.", "Two suspects remain in custody.", "A third was released on bail."},
		},
		{
			// Documented convention: without interior blank lines every line
			// is a paragraph, even if the text was merely hard-wrapped.
			name: "hard-wrapped text without blank lines is one paragraph per line",
			body: "Officials in the capital said the border crossing would stay closed\nuntil further notice while inspectors review security arrangements\nat the main checkpoint",
			want: []string{
				"Officials in the capital said the border crossing would stay closed",
				"until further notice while inspectors review security arrangements",
				"at the main checkpoint",
			},
		},
		{
			name: "leading and trailing blank lines do not count",
			body: "\n\n  \nThe first report came at dawn.\nA second followed at noon.\n\n\n",
			want: []string{"The first report came at dawn.", "A second followed at noon."},
		},
		{
			name: "leading blank line then one paragraph per line, no trailing newline",
			body: "\n“We will not back off,” the chief said.\nThe agency declined to comment further.",
			want: []string{"“We will not back off,” the chief said.", "The agency declined to comment further."},
		},
		{
			name: "CRLF",
			body: "Line one of block one\r\ncontinues here.\r\n\r\nBlock two.\r\n",
			want: []string{"Line one of block one continues here.", "Block two."},
		},
		{
			name: "CRLF one paragraph per line",
			body: "Alpha report.\r\nBravo report.\r\n",
			want: []string{"Alpha report.", "Bravo report."},
		},
		{
			name: "lone CR is a line break",
			body: "Alpha report.\rBravo report.",
			want: []string{"Alpha report.", "Bravo report."},
		},
		{
			name: "whitespace collapses",
			body: "  The   ministry\tsaid \u00a0 nothing\u2003new.  ",
			want: []string{"The ministry said nothing new."},
		},
		{
			name: "headings are paragraphs without the hashes",
			body: "# Threat update\n\nThe agency published\nits annual review.\n## Outlook ##\nMore arrests are expected.\n\n### C#",
			want: []string{"Threat update", "The agency published its annual review.", "Outlook", "More arrests are expected.", "C#"},
		},
		{
			name: "heading in one-paragraph-per-line text",
			body: "# Port closure\nThe port stays shut.",
			want: []string{"Port closure", "The port stays shut."},
		},
		{
			name: "hashtag and seven hashes are not headings",
			body: "#breaking the news\n\n####### not a heading",
			want: []string{"#breaking the news", "####### not a heading"},
		},
		{
			name: "list items are paragraphs",
			body: "Key points:\n- Sanctions were widened\n* Talks stalled\n  after the second day\n+ Markets fell\n• Envoys left\n1. First step\n2) Second step\n\nClosing remarks.",
			want: []string{
				"Key points:",
				"Sanctions were widened",
				"Talks stalled after the second day",
				"Markets fell",
				"Envoys left",
				"1. First step",
				"2) Second step",
				"Closing remarks.",
			},
		},
		{
			name: "a year at the start of a wrapped line is not a list item",
			body: "The treaty was signed in\n1999. It lapsed later.\n\nEnd.",
			want: []string{"The treaty was signed in 1999. It lapsed later.", "End."},
		},
		{
			name: "rules and decoration are dropped",
			body: "Part one.\n\n* * *\n\nPart two.\n\n---\n\n—\n\n...",
			want: []string{"Part one.", "Part two."},
		},
		{
			name: "setext underline ends the heading paragraph",
			body: "Weekly digest\n=============\nThree items this week.\n\nItem one.",
			want: []string{"Weekly digest", "Three items this week.", "Item one."},
		},
		{
			name: "BOM is ignored",
			body: "\uFEFFFirst.\nSecond.",
			want: []string{"First.", "Second."},
		},
		{name: "empty", body: "", want: nil},
		{name: "only whitespace", body: " \n\n\t\r\n", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.body, 0)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split(%q) mismatch (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

func TestSplitLongParagraphs(t *testing.T) {
	const (
		s1 = "The delegation met on Monday."  // 29
		s2 = "Officials declined to comment." // 30
		s3 = "A statement is expected soon."  // 29
	)
	tests := []struct {
		name  string
		body  string
		limit int
		want  []string
	}{
		{
			name:  "fits: not split",
			body:  s1 + " " + s2,
			limit: 60,
			want:  []string{s1 + " " + s2},
		},
		{
			name:  "sentences packed greedily",
			body:  s1 + " " + s2 + " " + s3,
			limit: 70,
			want:  []string{s1 + " " + s2, s3},
		},
		{
			name:  "one sentence per chunk",
			body:  s1 + " " + s2 + " " + s3,
			limit: 30,
			want:  []string{s1, s2, s3},
		},
		{
			name:  "abbreviations and initials do not end sentences",
			body:  "Mr. Okafor briefed Dr. Lindqvist on the U.S. position at 9 a.m. Tuesday. J. R. Hollis then spoke about the Oct. 7 raids. The session ended.",
			limit: 75,
			want: []string{
				"Mr. Okafor briefed Dr. Lindqvist on the U.S. position at 9 a.m. Tuesday.",
				"J. R. Hollis then spoke about the Oct. 7 raids. The session ended.",
			},
		},
		{
			name:  "quoted sentence ends",
			body:  `He said: "We will respond." Officials then left. Was it planned? "No," one aide said.`,
			limit: 30,
			want:  []string{`He said: "We will respond."`, "Officials then left.", "Was it planned?", `"No," one aide said.`},
		},
		{
			name:  "lower case after a period is no boundary",
			body:  "Inflation rose 2.5 per cent. and kept rising through the spring months of the year.",
			limit: 40,
			want:  []string{"Inflation rose 2.5 per cent. and kept", "rising through the spring months of the", "year."},
		},
		{
			name:  "over-long sentence cut at spaces",
			body:  "Sanctions targeting shipping insurers were extended again",
			limit: 20,
			want:  []string{"Sanctions targeting", "shipping insurers", "were extended again"},
		},
		{
			name:  "cut exactly at a space on the bound",
			body:  "aaaa bbbb cccc",
			limit: 4,
			want:  []string{"aaaa", "bbbb", "cccc"},
		},
		{
			name:  "giant single word",
			body:  strings.Repeat("x", 45),
			limit: 20,
			want:  []string{strings.Repeat("x", 20), strings.Repeat("x", 20), strings.Repeat("x", 5)},
		},
		{
			name:  "giant word of multi-byte runes is cut on rune boundaries",
			body:  strings.Repeat("é", 25),
			limit: 10,
			want:  []string{strings.Repeat("é", 10), strings.Repeat("é", 10), strings.Repeat("é", 5)},
		},
		{
			name:  "giant word between sentences",
			body:  "Short one. " + strings.Repeat("y", 25) + " Tail.",
			limit: 10,
			want:  []string{"Short one.", strings.Repeat("y", 10), strings.Repeat("y", 10), "yyyyy", "Tail."},
		},
		{
			name:  "remainder of a cut sentence packs with the next",
			body:  "Alpha bravo charlie delta echo. Fox.",
			limit: 24,
			want:  []string{"Alpha bravo charlie", "delta echo. Fox."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.body, tt.limit)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split(%q, %d) mismatch (-want +got):\n%s", tt.body, tt.limit, diff)
			}
			for i, c := range got {
				if n := utf8.RuneCountInString(c); n > tt.limit {
					t.Errorf("chunk %d has %d runes, want <= %d: %q", i, n, tt.limit, c)
				}
			}
		})
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		p    string
		want []string
	}{
		{
			name: "plain",
			p:    "The talks ended. Both sides left! Will they return? Nobody knows.",
			want: []string{"The talks ended.", "Both sides left!", "Will they return?", "Nobody knows."},
		},
		{
			name: "titles, initials, dotted abbreviations",
			p:    "Gen. Moreau met Sen. Adeyemi and Mrs. Ito. The U.K. and the U.S. agreed, e.g. on Ph.D. exchanges. A. B. Carter wrote it.",
			want: []string{"Gen. Moreau met Sen. Adeyemi and Mrs. Ito.", "The U.K. and the U.S. agreed, e.g. on Ph.D. exchanges.", "A. B. Carter wrote it."},
		},
		{
			name: "numbers",
			p:    "It ended in 2021. 2022 was calmer. No. 10 said nothing. Growth was 3.5. Then it fell.",
			want: []string{"It ended in 2021.", "2022 was calmer.", "No. 10 said nothing.", "Growth was 3.5.", "Then it fell."},
		},
		{
			name: "curly quotes and brackets",
			p:    "“It is over.” The minister left. (A spokesman confirmed it.) “Really?” ‘Yes.’ Done…",
			want: []string{"“It is over.”", "The minister left.", "(A spokesman confirmed it.)", "“Really?”", "‘Yes.’", "Done…"},
		},
		{
			name: "ellipsis",
			p:    "He paused... Then he spoke.",
			want: []string{"He paused...", "Then he spoke."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for i := 0; i < len(tt.p); {
				j := splitSentenceEnd(tt.p, i)
				got = append(got, tt.p[i:j])
				i = j + 1
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sentences of %q mismatch (-want +got):\n%s", tt.p, diff)
			}
		})
	}
}

func TestSplitBoundRespected(t *testing.T) {
	var sb strings.Builder
	for i := 0; i < 300; i++ {
		sb.WriteString(splitTestSentences[i%len(splitTestSentences)])
		sb.WriteByte(' ')
	}
	body := sb.String()
	for _, limit := range []int{1, 2, 7, 40, 80, 200, 1500} {
		got := Split(body, limit)
		if len(got) == 0 {
			t.Fatalf("Split(_, %d) = no chunks", limit)
		}
		for i, c := range got {
			if n := utf8.RuneCountInString(c); n > limit || n == 0 || strings.TrimSpace(c) != c {
				t.Errorf("Split(_, %d) chunk %d: %d runes %q, want 1..%d runes, trimmed", limit, i, n, c, limit)
			}
		}
		if gotW, wantW := strings.Join(strings.Fields(strings.Join(got, " ")), " "), strings.Join(strings.Fields(body), " "); limit >= 40 && gotW != wantW {
			t.Errorf("Split(_, %d) lost or changed words", limit)
		}
	}
}

func TestSplitDefaultBound(t *testing.T) {
	long := strings.Repeat(splitTestSentences[0]+" ", 200)
	for _, limit := range []int{0, -3} {
		got := Split(long, limit)
		if len(got) < 2 {
			t.Fatalf("Split(_, %d) gave %d chunks, want several", limit, len(got))
		}
		for i, c := range got {
			if n := utf8.RuneCountInString(c); n > DefaultMaxChunk {
				t.Errorf("Split(_, %d) chunk %d has %d runes, want <= %d", limit, i, n, DefaultMaxChunk)
			}
		}
		if n := utf8.RuneCountInString(got[0]); n < DefaultMaxChunk-200 {
			t.Errorf("Split(_, %d) first chunk has %d runes, want close to %d", limit, n, DefaultMaxChunk)
		}
	}
}

// TestSplitSeed checks the real article the project started from: one
// paragraph per line after a leading blank line, no trailing newline.
func TestSplitSeed(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "seeds", "000_3e7309714ba7935b.txt")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("seed not available: %v", err)
	}
	got := Split(string(data), 0)
	if len(got) != 23 {
		t.Fatalf("Split(seed) gave %d paragraphs, want 23", len(got))
	}
	var want []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if l := strings.TrimSpace(line); l != "" {
			want = append(want, l)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Split(seed) is not the seed's lines (-want +got):\n%s", diff)
	}
	// Through DecodeText too, as a .txt file without front matter.
	a, err := DecodeText(strings.NewReader(string(data)), path)
	if err != nil {
		t.Fatalf("DecodeText(seed): %v", err)
	}
	if a.ID != "000_3e7309714ba7935b" || a.Title != "" {
		t.Errorf("DecodeText(seed) id, title = %q, %q; want %q, \"\"", a.ID, a.Title, "000_3e7309714ba7935b")
	}
	if n := len(Split(a.Body, 0)); n != 23 {
		t.Errorf("Split(DecodeText(seed).Body) gave %d paragraphs, want 23", n)
	}
}

// splitTestSentences are invented briefing-style sentences for tests and
// benchmarks.
var splitTestSentences = []string{
	"The foreign ministry summoned the ambassador on Thursday after reports of a cyber intrusion at the port authority.",
	"Officials said the suspects, arrested in a dawn raid, had been under surveillance for several months.",
	"Mr. Halvorsen told reporters that the U.S. and its allies would coordinate any response.",
	"“We are not going to speculate about attribution,” a spokesperson said.",
	"Analysts warned that the drone incursions could escalate before the summit in Oct. next year.",
	"Dr. Amani, a former intelligence officer, said the networks were “resilient and well funded”.",
	"Security services reported 43 disrupted plots since 2017, including 12 linked to state actors.",
	"Was the leak deliberate? Investigators have not ruled it out.",
}

func FuzzSplit(f *testing.F) {
	f.Add("The envoy arrived.\n\nTalks began.", 40)
	f.Add("\nOne per line.\nSecond line.", 0)
	f.Add("# Heading\n- item one\n- item two\n\n1. numbered", 10)
	f.Add("Mr. Smith met Dr. Jones. The U.S. said no. “Quoted.” Next.", 12)
	f.Add(strings.Repeat("é", 50), 7)
	f.Add("a\r\nb\rc\u0085d\u2028e", 1)
	f.Add("* * *\n---\n===\n\n#\n", 3)
	f.Fuzz(func(t *testing.T, body string, limit int) {
		if limit > 5000 || limit < -5 {
			limit %= 5000
		}
		eff := limit
		if eff <= 0 {
			eff = DefaultMaxChunk
		}
		got := Split(body, limit)
		for i, c := range got {
			if c == "" || strings.TrimSpace(c) != c {
				t.Fatalf("chunk %d %q is empty or not trimmed", i, c)
			}
			if n := utf8.RuneCountInString(c); n > eff {
				t.Fatalf("chunk %d has %d runes, want <= %d", i, n, eff)
			}
			if utf8.ValidString(body) && !utf8.ValidString(c) {
				t.Fatalf("chunk %d %q is not valid UTF-8 (cut inside a rune)", i, c)
			}
		}
		in := strings.Fields(strings.TrimPrefix(body, "\uFEFF"))
		if eff < utf8.RuneCountInString(body) {
			// Words longer than the bound may be cut: every output word is
			// an input word or a piece of a long one.
			whole := map[string]bool{}
			var long []string
			for _, w := range in {
				whole[w] = true
				if utf8.RuneCountInString(w) > eff {
					long = append(long, w)
				}
			}
			longWords := strings.Join(long, " ")
			for _, c := range got {
				for w := range strings.FieldsSeq(c) {
					if !whole[w] && !strings.Contains(longWords, w) {
						t.Fatalf("output word %q is neither an input word nor a piece of a long one", w)
					}
				}
			}
			return
		}
		// Nothing is cut: the output words are the input words in order,
		// less decorative ones (heading hashes, bullets, rules). Matching
		// greedily is exact here, as equal words are equally droppable.
		k := 0
		for _, c := range got {
			for w := range strings.FieldsSeq(c) {
				for ; k < len(in) && in[k] != w; k++ {
					if splitHasContent(in[k]) {
						t.Fatalf("input word %q was dropped or changed (next output word %q)", in[k], w)
					}
				}
				if k == len(in) {
					t.Fatalf("output word %q is not in the input (or not in order)", w)
				}
				k++
			}
		}
		for ; k < len(in); k++ {
			if splitHasContent(in[k]) {
				t.Fatalf("input word %q was dropped", in[k])
			}
		}
	})
}

func BenchmarkSplit(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 200_000; i++ {
		// Mostly normal paragraphs, every tenth one very long.
		n := 3
		if i%10 == 0 {
			n = 40
		}
		for j := 0; j < n; j++ {
			sb.WriteString(splitTestSentences[(i+j)%len(splitTestSentences)])
			if j%2 == 1 {
				sb.WriteByte('\n')
			} else {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString("\n\n")
	}
	body := sb.String()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Split(body, DefaultMaxChunk)
	}
}
