package lang

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// ErrSyntax is wrapped by every *Error.
var ErrSyntax = errors.New("query syntax")

// Error is a syntax error at a character (rune) offset of the query.
type Error struct {
	Pos int
	Msg string
}

// Error returns the message and its position: `unbalanced "(" at 0`.
func (e *Error) Error() string { return fmt.Sprintf("%s at %d", e.Msg, e.Pos) }

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *Error) Unwrap() error { return ErrSyntax }

// Limits on what one query may ask.
const (
	MaxFuzzy = 2   // largest edit distance of a fuzzy word
	MaxSlop  = 50  // largest slop of a proximity phrase
	MaxDepth = 32  // deepest nesting of parentheses
	MaxBoost = 1e6 // largest boost
)

// Options configures Parse.
type Options struct {
	// Fields are the field names a query may use before a colon; nil
	// allows any name made of letters, digits and underscores.
	Fields []string
}

// Parse parses q into a query tree. The result is always a *Bool (empty
// for an empty q). Errors are *Error values that wrap ErrSyntax.
func Parse(q string, opts Options) (*Bool, error) {
	p := &parser{src: []rune(q), opts: opts}
	list, err := p.list("", 0)
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.i < len(p.src) {
		// list stops only at the end or at a ")" it cannot close.
		return nil, p.errAt(p.i, `unbalanced ")"`)
	}
	return list.top(), nil
}

type parser struct {
	src  []rune
	i    int
	opts Options
}

// occur is how a clause takes part in its list.
type occur int

const (
	should occur = iota
	must
	mustNot
)

type clause struct {
	occur occur
	node  Node
}

// list is a sequence of clauses joined by OR or side by side.
type list struct {
	clauses []clause
	at      int
}

// bool returns the list as a Bool.
func (l list) bool() *Bool {
	b := &Bool{At: l.at}
	for _, c := range l.clauses {
		switch c.occur {
		case must:
			b.Must = append(b.Must, c.node)
		case mustNot:
			b.MustNot = append(b.MustNot, c.node)
		default:
			b.Should = append(b.Should, c.node)
		}
	}
	return b
}

// top returns the list as the query's root: a single optional group is
// the root itself.
func (l list) top() *Bool {
	if len(l.clauses) == 1 && l.clauses[0].occur == should {
		if b, ok := l.clauses[0].node.(*Bool); ok && b.Boost == 0 {
			return b
		}
	}
	return l.bool()
}

// group returns the list as the node of a parenthesised group: a single
// optional clause stands for itself.
func (l list) group() Node {
	if len(l.clauses) == 1 && l.clauses[0].occur == should {
		return l.clauses[0].node
	}
	return l.bool()
}

func (p *parser) errAt(pos int, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.i < len(p.src) && unicode.IsSpace(p.src[p.i]) {
		p.i++
	}
}

// operator returns the operator word (AND, OR, NOT) at the current
// position, if one is there.
func (p *parser) operator() string {
	for _, op := range []string{"AND", "OR", "NOT"} {
		end := p.i + len(op)
		if end <= len(p.src) && string(p.src[p.i:end]) == op && (end == len(p.src) || endsWord(p.src[end])) {
			return op
		}
	}
	return ""
}

// endsWord reports whether r ends a word: space, a parenthesis or a quote.
func endsWord(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' || r == '“'
}

// special reports whether r has a meaning in the syntax wherever it is.
func special(r rune) bool {
	switch r {
	case '(', ')', '"', '“', '”', '^', '~', ':', '[', ']', '{', '}', '\\':
		return true
	}
	return unicode.IsSpace(r)
}

// list parses clauses up to the end or a ")": OR-joined or side-by-side
// AND-chains. field is the default field of the group, depth its nesting.
func (p *parser) list(field string, depth int) (list, error) {
	p.skipSpace()
	l := list{at: p.i}
	for {
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] == ')' {
			return l, nil
		}
		if op := p.operator(); op == "AND" || op == "OR" {
			if len(l.clauses) == 0 || op == "AND" {
				// and() takes every AND after a term: this one has none.
				return l, p.errAt(p.i, "expected a term before %s", op)
			}
			p.i += len(op)
			p.skipSpace()
			if err := p.needTerm(op); err != nil {
				return l, err
			}
		}
		c, err := p.and(field, depth)
		if err != nil {
			return l, err
		}
		l.clauses = append(l.clauses, c)
	}
}

// needTerm fails when no term follows the operator op.
func (p *parser) needTerm(op string) error {
	if p.i >= len(p.src) || p.src[p.i] == ')' {
		return p.errAt(p.i, "expected a term after %s", op)
	}
	if next := p.operator(); next == "AND" || next == "OR" {
		return p.errAt(p.i, "expected a term after %s", op)
	}
	return nil
}

// and parses unary clauses joined by AND.
func (p *parser) and(field string, depth int) (clause, error) {
	first, err := p.unary(field, depth)
	if err != nil {
		return clause{}, err
	}
	chain := []clause{first}
	for {
		save := p.i
		p.skipSpace()
		if p.operator() != "AND" {
			p.i = save
			break
		}
		p.i += len("AND")
		p.skipSpace()
		if err := p.needTerm("AND"); err != nil {
			return clause{}, err
		}
		c, err := p.unary(field, depth)
		if err != nil {
			return clause{}, err
		}
		chain = append(chain, c)
	}
	if len(chain) == 1 {
		return first, nil
	}
	b := &Bool{At: first.node.Pos()}
	for _, c := range chain {
		if c.occur == mustNot {
			b.MustNot = append(b.MustNot, c.node)
		} else {
			b.Must = append(b.Must, c.node)
		}
	}
	// Only negations ("NOT a AND NOT b") make a group that excludes both.
	return clause{occur: should, node: b}, nil
}

// unary parses NOT, + and - in front of a primary.
func (p *parser) unary(field string, depth int) (clause, error) {
	p.skipSpace()
	if p.operator() == "NOT" {
		p.i += len("NOT")
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] == ')' || p.operator() == "AND" || p.operator() == "OR" {
			return clause{}, p.errAt(p.i, "expected a term after NOT")
		}
		inner, err := p.unary(field, depth)
		if err != nil {
			return clause{}, err
		}
		if inner.occur == mustNot {
			// NOT NOT a, NOT -a: a.
			return clause{occur: should, node: inner.node}, nil
		}
		return clause{occur: mustNot, node: inner.node}, nil
	}
	if p.i < len(p.src) && (p.src[p.i] == '+' || p.src[p.i] == '-') {
		sign := p.src[p.i]
		p.i++
		if p.i >= len(p.src) || unicode.IsSpace(p.src[p.i]) || p.src[p.i] == ')' {
			return clause{}, p.errAt(p.i, "expected a term after %q", string(sign))
		}
		n, err := p.primary(field, depth)
		if err != nil {
			return clause{}, err
		}
		if sign == '+' {
			return clause{occur: must, node: n}, nil
		}
		return clause{occur: mustNot, node: n}, nil
	}
	n, err := p.primary(field, depth)
	if err != nil {
		return clause{}, err
	}
	return clause{occur: should, node: n}, nil
}

// primary parses a group, word, phrase, regular expression or range, with
// an optional field in front and fuzziness, slop or boost after.
func (p *parser) primary(field string, depth int) (Node, error) {
	start := p.i
	if name, ok := p.fieldPrefix(); ok {
		if p.opts.Fields != nil && !slices.Contains(p.opts.Fields, name) {
			return nil, p.errAt(start, "unknown field %q (fields: %s)", name, strings.Join(p.opts.Fields, ", "))
		}
		field = name
		if p.i >= len(p.src) || unicode.IsSpace(p.src[p.i]) || p.src[p.i] == ')' {
			return nil, p.errAt(p.i, "expected a value after %q", name+":")
		}
	}
	if p.i >= len(p.src) {
		return nil, p.errAt(p.i, "expected a term")
	}
	var n Node
	switch r := p.src[p.i]; {
	case r == '(':
		if depth >= MaxDepth {
			return nil, p.errAt(p.i, "parentheses nested deeper than %d", MaxDepth)
		}
		open := p.i
		p.i++
		l, err := p.list(field, depth+1)
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.src) {
			return nil, p.errAt(open, `unbalanced "("`)
		}
		p.i++ // ")"
		if len(l.clauses) == 0 {
			return nil, p.errAt(p.i-1, "expected a term inside parentheses")
		}
		g := l.group()
		b, err := p.boost()
		if err != nil {
			return nil, err
		}
		if p.i < len(p.src) && p.src[p.i] == '~' {
			return nil, p.errAt(p.i, "fuzziness applies to a word, not a group")
		}
		return applyBoost(g, b), nil
	case r == '"' || r == '“':
		text, err := p.quoted()
		if err != nil {
			return nil, err
		}
		ph := &Phrase{Field: field, Text: text, At: start}
		if p.i < len(p.src) && p.src[p.i] == '~' {
			slop, err := p.tilde(MaxSlop, "slop")
			if err != nil {
				return nil, err
			}
			ph.Slop = slop
		}
		n = ph
	case r == '/':
		pattern, err := p.regexp()
		if err != nil {
			return nil, err
		}
		n = &Regexp{Field: field, Pattern: pattern, At: start}
	case r == '[' || r == '{':
		if field == "" {
			return nil, p.errAt(p.i, "a range needs a field: published:[2024-01-01 TO 2024-06-30]")
		}
		rg, err := p.rangeExpr(field, start)
		if err != nil {
			return nil, err
		}
		n = rg
	case (r == '>' || r == '<') && field != "":
		rg, err := p.compare(field, start)
		if err != nil {
			return nil, err
		}
		n = rg
	case r == ')':
		return nil, p.errAt(p.i, `unbalanced ")"`)
	default:
		t, err := p.word(field, start)
		if err != nil {
			return nil, err
		}
		n = t
	}
	b, err := p.boost()
	if err != nil {
		return nil, err
	}
	return applyBoost(n, b), nil
}

// fieldPrefix consumes "name:" when the current word is a field name
// followed by a colon.
func (p *parser) fieldPrefix() (string, bool) {
	j := p.i
	if j >= len(p.src) || !unicode.IsLetter(p.src[j]) {
		return "", false
	}
	for j < len(p.src) && (p.src[j] == '_' || unicode.IsLetter(p.src[j]) || unicode.IsDigit(p.src[j])) {
		j++
	}
	if j >= len(p.src) || p.src[j] != ':' {
		return "", false
	}
	name := string(p.src[p.i:j])
	if p.opts.Fields != nil && !slices.Contains(p.opts.Fields, name) &&
		(j+1 == len(p.src) || unicode.IsSpace(p.src[j+1])) {
		// "Warning: Iran": a colon ending a word that is not a field.
		return "", false
	}
	p.i = j + 1
	return name, true
}

// word reads a word up to a space or a special character, unescaping it.
func (p *parser) word(field string, start int) (Node, error) {
	var plain, pattern strings.Builder
	wildcard := false
	for p.i < len(p.src) {
		r := p.src[p.i]
		if r == '\\' {
			if p.i+1 >= len(p.src) {
				return nil, p.errAt(p.i, `nothing to escape after "\"`)
			}
			e := p.src[p.i+1]
			plain.WriteRune(e)
			if e == '*' || e == '?' || e == '\\' {
				pattern.WriteRune('\\')
			}
			pattern.WriteRune(e)
			p.i += 2
			continue
		}
		if special(r) {
			if r == ':' {
				// "10:30": a colon inside a word that is not a field.
				plain.WriteRune(r)
				pattern.WriteRune(r)
				p.i++
				continue
			}
			break
		}
		if r == '*' || r == '?' {
			wildcard = true
		}
		plain.WriteRune(r)
		pattern.WriteRune(r)
		p.i++
	}
	if plain.Len() == 0 {
		return nil, p.errAt(p.i, "expected a term")
	}
	t := &Term{Field: field, Text: plain.String(), At: start}
	if wildcard {
		t.Text, t.Wildcard = pattern.String(), true
	}
	if p.i < len(p.src) && p.src[p.i] == '~' {
		if wildcard {
			return nil, p.errAt(p.i, "a word cannot have both a wildcard and a fuzziness")
		}
		f, err := p.tilde(MaxFuzzy, "fuzziness")
		if err != nil {
			return nil, err
		}
		t.Fuzzy = f
	}
	return t, nil
}

// tilde reads "~" and an optional number up to max; a bare "~" is 1.
func (p *parser) tilde(max int, what string) (int, error) {
	at := p.i
	p.i++ // ~
	j := p.i
	for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
		j++
	}
	if j == p.i {
		return 1, nil
	}
	n, err := strconv.Atoi(string(p.src[p.i:j]))
	if err != nil || n > max {
		return 0, p.errAt(at, "%s %s is out of range 0..%d", what, string(p.src[p.i:j]), max)
	}
	p.i = j
	return n, nil
}

// boost reads an optional "^number".
func (p *parser) boost() (float64, error) {
	if p.i >= len(p.src) || p.src[p.i] != '^' {
		return 0, nil
	}
	at := p.i
	p.i++
	j := p.i
	for j < len(p.src) && (p.src[j] == '.' || (p.src[j] >= '0' && p.src[j] <= '9')) {
		j++
	}
	b, err := strconv.ParseFloat(string(p.src[p.i:j]), 64)
	if err != nil || b <= 0 || b > MaxBoost {
		return 0, p.errAt(at, `expected a number above 0 and at most %g after "^"`, float64(MaxBoost))
	}
	p.i = j
	return b, nil
}

// applyBoost multiplies n's boost by b (0: none).
func applyBoost(n Node, b float64) Node {
	if b == 0 {
		return n
	}
	times := func(old float64) float64 {
		if old == 0 {
			return b
		}
		return old * b
	}
	switch x := n.(type) {
	case *Bool:
		x.Boost = times(x.Boost)
	case *Term:
		x.Boost = times(x.Boost)
	case *Phrase:
		x.Boost = times(x.Boost)
	case *Regexp:
		x.Boost = times(x.Boost)
	case *Range:
		x.Boost = times(x.Boost)
	}
	return n
}

// quoted reads a quoted string, unescaping \" and \\.
func (p *parser) quoted() (string, error) {
	at := p.i
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.src) {
		r := p.src[p.i]
		switch {
		case r == '\\' && p.i+1 < len(p.src):
			b.WriteRune(p.src[p.i+1])
			p.i += 2
			continue
		case r == '"' || r == '”' || r == '“':
			p.i++
			return b.String(), nil
		}
		b.WriteRune(r)
		p.i++
	}
	return "", p.errAt(at, "unterminated quote")
}

// regexp reads /pattern/, where \/ is a slash.
func (p *parser) regexp() (string, error) {
	at := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.src) {
		r := p.src[p.i]
		switch {
		case r == '\\' && p.i+1 < len(p.src) && p.src[p.i+1] == '/':
			b.WriteRune('/')
			p.i += 2
			continue
		case r == '/':
			p.i++
			if b.Len() == 0 {
				return "", p.errAt(at, "empty regular expression")
			}
			return b.String(), nil
		}
		b.WriteRune(r)
		p.i++
	}
	return "", p.errAt(at, "unterminated regular expression")
}

// rangeValue reads one end of a range: *, a quoted string or a word.
func (p *parser) rangeValue() (string, error) {
	p.skipSpace()
	if p.i >= len(p.src) {
		return "", p.errAt(p.i, "expected a value in the range")
	}
	if r := p.src[p.i]; r == '"' || r == '“' {
		return p.quoted()
	}
	start := p.i
	for p.i < len(p.src) && !unicode.IsSpace(p.src[p.i]) && !strings.ContainsRune("[]{}()", p.src[p.i]) {
		p.i++
	}
	v := string(p.src[start:p.i])
	if v == "" {
		return "", p.errAt(p.i, "expected a value in the range")
	}
	if v == "*" {
		return "", nil
	}
	return v, nil
}

// rangeExpr reads [from TO to] with [ ] inclusive and { } exclusive ends.
func (p *parser) rangeExpr(field string, start int) (Node, error) {
	open := p.i
	r := &Range{Field: field, IncludeFrom: p.src[p.i] == '[', At: start}
	p.i++
	from, err := p.rangeValue()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i+2 > len(p.src) || string(p.src[p.i:p.i+2]) != "TO" {
		return nil, p.errAt(p.i, "expected TO in the range")
	}
	p.i += 2
	to, err := p.rangeValue()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i >= len(p.src) || (p.src[p.i] != ']' && p.src[p.i] != '}') {
		if p.i >= len(p.src) {
			return nil, p.errAt(open, `unbalanced "%c"`, p.src[open])
		}
		return nil, p.errAt(p.i, `expected "]" or "}" to close the range`)
	}
	r.IncludeTo = p.src[p.i] == ']'
	p.i++
	r.From, r.To = from, to
	return r, nil
}

// compare reads >v, >=v, <v or <=v.
func (p *parser) compare(field string, start int) (Node, error) {
	op := string(p.src[p.i])
	p.i++
	if p.i < len(p.src) && p.src[p.i] == '=' {
		op += "="
		p.i++
	}
	if p.i >= len(p.src) || unicode.IsSpace(p.src[p.i]) {
		return nil, p.errAt(p.i, "expected a value after %q", op)
	}
	var v string
	var err error
	if r := p.src[p.i]; r == '"' || r == '“' {
		v, err = p.quoted()
	} else {
		s := p.i
		for p.i < len(p.src) && !unicode.IsSpace(p.src[p.i]) && p.src[p.i] != ')' && p.src[p.i] != '^' {
			p.i++
		}
		v = string(p.src[s:p.i])
	}
	if err != nil {
		return nil, err
	}
	r := &Range{Field: field, At: start}
	switch op {
	case ">":
		r.From = v
	case ">=":
		r.From, r.IncludeFrom = v, true
	case "<":
		r.To = v
	case "<=":
		r.To, r.IncludeTo = v, true
	}
	return r, nil
}
