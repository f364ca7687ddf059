package lang_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/briefsearch/briefsearch/search/lang"
)

var fields = lang.Options{Fields: []string{"text", "title", "actor", "country", "topic", "source", "published"}}

func TestParse(t *testing.T) {
	tests := []struct{ q, want string }{
		{"", ""},
		{"Iran plots", "Iran plots"},
		{"Iran OR Tehran", "Iran Tehran"},
		{"Iran AND plots", "+Iran +plots"},
		{"(Iran OR Tehran) AND (plot OR plots) NOT nuclear", "(+(Iran Tehran) +(plot plots)) -nuclear"},
		{"Iran and plots or not", "Iran and plots or not"},
		{"a AND b OR c", "(+a +b) c"},
		{"a OR b AND c", "a (+b +c)"},
		{"a AND NOT b", "+a -b"},
		{"NOT a", "-a"},
		{"NOT NOT a", "a"},
		{"+spy -tourist", "+spy -tourist"},
		{"((Iran))", "Iran"},
		{"(a b)^2", "(a b)^2"},
		{`"iran plot"~5`, `"iran plot"~5`},
		{`"nerve agent"`, `"nerve agent"`},
		{"sanction*", "sanction*"},
		{"mccalum~1", "mccalum~1"},
		{"mccalum~", "mccalum~1"},
		{"title:spy^2", "title:spy^2"},
		{`actor:"islamic state"`, `actor:"islamic state"`},
		{"country:(Iran OR Russia)", "country:Iran country:Russia"},
		{"title:(spy -tourist)", "title:spy -title:tourist"},
		{"published:[2024-01-01 TO 2024-06-30]", `published:["2024-01-01" TO "2024-06-30"]`},
		{"published:{* TO 2024}", `published:{* TO "2024"}`},
		{"published:>=2024-03", `published:["2024-03" TO *}`},
		{`published:>"2024-01-01"`, `published:{"2024-01-01" TO *}`},
		{"/terror(ism|ist)/", "/terror(ism|ist)/"},
		{`al\-Qaeda al-Qaeda`, `al-Qaeda al-Qaeda`},
		{`\-5 C\+\+`, `\-5 C++`},
		{`10:30`, `10\:30`},
		{"Warning: Iran", `Warning\: Iran`},
		{`\AND`, `\AND`},
		{"ANDROID ORACLE NOTE", "ANDROID ORACLE NOTE"},
		{`sp\*y*`, `sp\*y*`},
		{"“smart quotes”", `"smart quotes"`},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, err := lang.Parse(tt.q, fields)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			if s := got.String(); s != tt.want {
				t.Fatalf("Parse(%q) prints %q, want %q", tt.q, s, tt.want)
			}
			roundTrip(t, tt.q, got)
		})
	}
}

func TestParseTree(t *testing.T) {
	got, err := lang.Parse("(Iran OR Tehran) AND plots NOT nuclear", fields)
	if err != nil {
		t.Fatal(err)
	}
	want := &lang.Bool{
		Should: []lang.Node{&lang.Bool{
			Must: []lang.Node{
				&lang.Bool{Should: []lang.Node{&lang.Term{Text: "Iran", At: 1}, &lang.Term{Text: "Tehran", At: 9}}, At: 1},
				&lang.Term{Text: "plots", At: 21},
			},
			At: 1,
		}},
		MustNot: []lang.Node{&lang.Term{Text: "nuclear", At: 31}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	w, err := lang.Parse(`sp\*y* title:"a \"b\""~3^2`, fields)
	if err != nil {
		t.Fatal(err)
	}
	term, phrase := w.Should[0].(*lang.Term), w.Should[1].(*lang.Phrase)
	if !term.Wildcard || term.Text != `sp\*y*` || phrase.Text != `a "b"` || phrase.Slop != 3 || phrase.Boost != 2 || phrase.Field != "title" {
		t.Fatalf("got %#v and %#v", term, phrase)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		q    string
		want string
	}{
		{"(Iran plots", `unbalanced "(" at 0`},
		{"Iran (plots OR (plot)", `unbalanced "(" at 5`},
		{"Iran plots)", `unbalanced ")" at 10`},
		{"Iran plots AND", "expected a term after AND at 14"},
		{"Iran plots AND )", "expected a term after AND at 15"},
		{"(Iran AND) plots", "expected a term after AND at 9"},
		{"AND Iran", "expected a term before AND at 0"},
		{"OR Iran", "expected a term before OR at 0"},
		{"Iran OR AND plots", "expected a term after OR at 8"},
		{"Iran OR", "expected a term after OR at 7"},
		{"Iran NOT", "expected a term after NOT at 8"},
		{"Iran +", `expected a term after "+" at 6`},
		{"- Iran", `expected a term after "-" at 1`},
		{`"unbalanced`, "unterminated quote at 0"},
		{`spy "nerve agent`, "unterminated quote at 4"},
		{"colour:red", `unknown field "colour" (fields: text, title, actor, country, topic, source, published) at 0`},
		{"title:", `expected a value after "title:" at 6`},
		{"title: spy", `expected a value after "title:" at 6`},
		{"Iran~5", "fuzziness 5 is out of range 0..2 at 4"},
		{`"a b"~99`, "slop 99 is out of range 0..50 at 5"},
		{"spy^", `expected a number above 0 and at most 1e+06 after "^" at 3`},
		{"spy^0", `expected a number above 0 and at most 1e+06 after "^" at 3`},
		{"/[a-", "unterminated regular expression at 0"},
		{"//", "empty regular expression at 0"},
		{"[a TO b]", "a range needs a field: published:[2024-01-01 TO 2024-06-30] at 0"},
		{"published:[2024 2025]", "expected TO in the range at 16"},
		{"published:[2024 TO 2025", `unbalanced "[" at 10`},
		{"published:[2024 TO 2025)", `expected "]" or "}" to close the range at 23`},
		{"()", "expected a term inside parentheses at 1"},
		{`spy\`, `nothing to escape after "\" at 3`},
		{"spy*~1", "a word cannot have both a wildcard and a fuzziness at 4"},
		{"(a b)~2", "fuzziness applies to a word, not a group at 5"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			_, err := lang.Parse(tt.q, fields)
			var se *lang.Error
			if !errors.As(err, &se) || !errors.Is(err, lang.ErrSyntax) {
				t.Fatalf("Parse(%q) = %v, want a *lang.Error", tt.q, err)
			}
			if err.Error() != tt.want {
				t.Fatalf("Parse(%q) error %q, want %q", tt.q, err, tt.want)
			}
		})
	}
}

func TestParseDepth(t *testing.T) {
	q := ""
	for range lang.MaxDepth + 1 {
		q += "("
	}
	if _, err := lang.Parse(q+"a", fields); err == nil {
		t.Fatal("no error for deep nesting")
	}
}

// roundTrip checks that printing tree and parsing the print gives the
// same tree, positions aside.
func roundTrip(t *testing.T, q string, tree *lang.Bool) {
	t.Helper()
	printed := tree.String()
	again, err := lang.Parse(printed, fields)
	if err != nil {
		t.Fatalf("Parse(%q) prints %q, which does not parse: %v", q, printed, err)
	}
	if a, b := strip(tree), strip(again); !reflect.DeepEqual(a, b) {
		t.Fatalf("Parse(%q) prints %q, which parses to another tree:\n%#v\n%#v", q, printed, a, b)
	}
}

// strip returns a copy of n without positions.
func strip(n lang.Node) lang.Node {
	switch x := n.(type) {
	case *lang.Bool:
		c := &lang.Bool{Boost: x.Boost}
		for _, m := range x.Must {
			c.Must = append(c.Must, strip(m))
		}
		for _, m := range x.Should {
			c.Should = append(c.Should, strip(m))
		}
		for _, m := range x.MustNot {
			c.MustNot = append(c.MustNot, strip(m))
		}
		return c
	case *lang.Term:
		c := *x
		c.At = 0
		return &c
	case *lang.Phrase:
		c := *x
		c.At = 0
		return &c
	case *lang.Regexp:
		c := *x
		c.At = 0
		return &c
	case *lang.Range:
		c := *x
		c.At = 0
		return &c
	}
	return n
}

func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"(Iran OR Tehran) AND (plot OR plots) NOT nuclear", `"iran plot"~5 sanction*`, "mccalum~1 title:spy^2",
		`actor:"islamic state" country:UK`, "published:[2024-01-01 TO 2024-06-30]", "/terror(ism|ist)/",
		`a\-b \AND "x \" y"`, "published:>=2024", "((a))^3 -b +c",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		tree, err := lang.Parse(q, fields)
		if err != nil {
			var se *lang.Error
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): %v is not a *lang.Error", q, err)
			}
			if se.Pos < 0 || se.Pos > len([]rune(q)) {
				t.Fatalf("Parse(%q): position %d outside the query", q, se.Pos)
			}
			return
		}
		roundTrip(t, q, tree)
	})
}
