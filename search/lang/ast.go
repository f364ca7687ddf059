package lang

import (
	"strconv"
	"strings"
)

// Node is one part of a parsed query: a *Bool, *Term, *Phrase, *Regexp or
// *Range. String prints it back in the query language; parsing that text
// gives the same tree (positions aside).
type Node interface {
	// Pos is the character (rune) offset in the query where the node starts.
	Pos() int
	String() string
}

// Bool is a list of clauses: Must clauses are required (AND, +), MustNot
// clauses excluded (NOT, -), and Should clauses optional (OR, or words side
// by side). With no Must clause at least one Should clause must match; a
// Bool of only MustNot clauses matches everything else.
type Bool struct {
	Must, Should, MustNot []Node
	// Boost multiplies the group's score (0 means none given).
	Boost float64
	At    int
}

// Term is a word, optionally in a field ("title:spy"), with a prefix or
// wildcard ("sanction*", "s?nction"), a fuzziness ("mccalum~1") or a boost.
type Term struct {
	Field string
	Text  string // as typed, escapes removed
	// Wildcard is true when Text holds unescaped * or ? wildcards; Text then
	// keeps them and writes literal ones as \* and \?.
	Wildcard bool
	// Fuzzy is the edit distance asked with ~ (1 or 2), or 0.
	Fuzzy int
	Boost float64
	At    int
}

// Phrase is a quoted phrase, optionally in a field, with a slop
// ("iran plot"~5: the words within five positions of each other, in any
// order) or a boost.
type Phrase struct {
	Field string
	Text  string
	Slop  int
	Boost float64
	At    int
}

// Regexp is a regular expression between slashes ("/terror(ism|ist)/"),
// matched against whole index terms.
type Regexp struct {
	Field   string
	Pattern string
	Boost   float64
	At      int
}

// Range is a range of values on a field: published:[2024-01-01 TO
// 2024-06-30], published:{* TO 2024}, published:>=2024-03. An empty From
// or To is open.
type Range struct {
	Field                  string
	From, To               string
	IncludeFrom, IncludeTo bool
	Boost                  float64
	At                     int
}

// Pos implements Node.
func (b *Bool) Pos() int { return b.At }

// Pos implements Node.
func (t *Term) Pos() int { return t.At }

// Pos implements Node.
func (p *Phrase) Pos() int { return p.At }

// Pos implements Node.
func (r *Regexp) Pos() int { return r.At }

// Pos implements Node.
func (r *Range) Pos() int { return r.At }

// String prints the clauses of b: +must, should, -mustnot.
func (b *Bool) String() string {
	var parts []string
	for _, n := range b.Must {
		parts = append(parts, "+"+nested(n))
	}
	for _, n := range b.Should {
		parts = append(parts, nested(n))
	}
	for _, n := range b.MustNot {
		parts = append(parts, "-"+nested(n))
	}
	return strings.Join(parts, " ")
}

// nested prints a clause inside a Bool: a nested Bool in parentheses.
func nested(n Node) string {
	if b, ok := n.(*Bool); ok {
		return "(" + b.String() + ")" + boost(b.Boost)
	}
	return n.String()
}

// String prints t.
func (t *Term) String() string {
	s := field(t.Field) + escapeWord(t.Text, t.Wildcard)
	if t.Fuzzy > 0 {
		s += "~" + strconv.Itoa(t.Fuzzy)
	}
	return s + boost(t.Boost)
}

// String prints p.
func (p *Phrase) String() string {
	s := field(p.Field) + quote(p.Text)
	if p.Slop > 0 {
		s += "~" + strconv.Itoa(p.Slop)
	}
	return s + boost(p.Boost)
}

// String prints r.
func (r *Regexp) String() string {
	return field(r.Field) + "/" + strings.ReplaceAll(r.Pattern, "/", `\/`) + "/" + boost(r.Boost)
}

// String prints r in bracket form.
func (r *Range) String() string {
	open, close := "{", "}"
	if r.IncludeFrom {
		open = "["
	}
	if r.IncludeTo {
		close = "]"
	}
	end := func(v string) string {
		if v == "" {
			return "*"
		}
		return quote(v)
	}
	return field(r.Field) + open + end(r.From) + " TO " + end(r.To) + close + boost(r.Boost)
}

func field(f string) string {
	if f == "" {
		return ""
	}
	return f + ":"
}

func boost(b float64) string {
	if b == 0 {
		return ""
	}
	return "^" + strconv.FormatFloat(b, 'f', -1, 64)
}

// quote prints s as a quoted string, escaping quotes and backslashes.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// escapeWord prints a word so that it reads back as the same word: special
// characters are escaped, and so is a word that would read as an
// operator. In a wildcard word, * and ? are wildcards and the escapes of
// literal ones (\*, \?, \\) are kept as they are.
func escapeWord(s string, wildcard bool) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case wildcard && r == '\\' && i+1 < len(rs):
			b.WriteRune(r)
			i++
			r = rs[i]
		case wildcard && (r == '*' || r == '?'):
		case special(r) || r == '*' || r == '?' || (i == 0 && strings.ContainsRune("+-/<>", r)):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "AND" || out == "OR" || out == "NOT" {
		out = `\` + out
	}
	return out
}
