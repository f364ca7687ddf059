package search

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHighlight(t *testing.T) {
	long := strings.Repeat("filler words here ", 30) + "the Iran plot was foiled " + strings.Repeat("more filler text ", 30)
	iranAt := strings.Index(long, "Iran")
	tests := []struct {
		name  string
		text  string
		marks []Span
		want  []string
	}{
		{
			name:  "short text whole",
			text:  "Officials said Iran backed plots.",
			marks: []Span{{15, 19}, {27, 32}},
			want:  []string{"Officials said <mark>Iran</mark> backed <mark>plots</mark>."},
		},
		{
			name:  "escapes everything but marks",
			text:  `A <script>alert("x")</script> tag & AT&T`,
			marks: []Span{{3, 9}},
			want:  []string{`A &lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/script&gt; tag &amp; AT&amp;T`},
		},
		{
			name:  "possessive left outside the mark",
			text:  "Iran's proxies and Tehran’s agents",
			marks: []Span{{0, 6}, {19, 29}},
			want:  []string{"<mark>Iran</mark>&#39;s proxies and <mark>Tehran</mark>’s agents"},
		},
		{
			name: "no marks",
			text: "nothing to see",
			want: []string{},
		},
		{
			name:  "out of range and reversed spans ignored",
			text:  "short",
			marks: []Span{{3, 99}, {4, 2}, {-1, 2}},
			want:  []string{},
		},
		{
			name:  "not on a rune boundary ignored",
			text:  "café society",
			marks: []Span{{4, 5}},
			want:  []string{},
		},
		{
			name:  "long text cut around the match",
			text:  long,
			marks: []Span{{iranAt, iranAt + 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Highlight(tt.text, tt.marks)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Highlight (-want +got):\n%s", diff)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d fragments, want 1: %q", len(got), got)
			}
			f := got[0]
			if !strings.Contains(f, "<mark>Iran</mark>") || !strings.HasPrefix(f, "… ") || !strings.HasSuffix(f, " …") {
				t.Errorf("fragment %q: want a cut fragment around <mark>Iran</mark>", f)
			}
			if len(f) > fragmentSize+60 {
				t.Errorf("fragment is %d bytes, want about %d", len(f), fragmentSize)
			}
		})
	}
}

func TestHighlightManyClustersCapped(t *testing.T) {
	var b strings.Builder
	var marks []Span
	for range 10 {
		b.WriteString(strings.Repeat("padding ", 60))
		marks = append(marks, Span{b.Len(), b.Len() + 3})
		b.WriteString("spy ")
	}
	got := Highlight(b.String(), marks)
	if len(got) != maxFragments {
		t.Fatalf("got %d fragments, want %d", len(got), maxFragments)
	}
	for _, f := range got {
		if strings.Count(f, "<mark>spy</mark>") != 1 {
			t.Errorf("fragment %q: want exactly one mark", f)
		}
	}
}

func FuzzHighlight(f *testing.F) {
	f.Add("Iran backed plots <b>&", 0, 4)
	f.Add("café", 3, 5)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		for _, frag := range Highlight(text, []Span{{start, end}}) {
			rest := strings.ReplaceAll(strings.ReplaceAll(frag, "<mark>", ""), "</mark>", "")
			if strings.ContainsAny(rest, "<>") {
				t.Fatalf("unescaped markup in %q", frag)
			}
		}
	})
}
