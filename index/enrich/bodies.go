package enrich

import (
	"fmt"
	"strings"
)

// Sub-national and legislative bodies are generated, like national
// institutions, from the bodies section of lexicon/institutions.yaml:
//
//   - a US state's name before a state institution form names that state's
//     institution: "the Texas Supreme Court", "the California Department of
//     Justice", "the Ohio National Guard", "the Michigan legislature"
//     (Texas Supreme Court, California Department of Justice, Ohio National
//     Guard, Michigan Legislature); "the Supreme Court of Texas" likewise;
//     "<State> Department of <Capitalised words>" is named as written;
//   - a chamber before a committee names the committee: "the House
//     Intelligence Committee", "the Senate Committee on Foreign Relations",
//     "the Commons Defence Committee" (Defence Committee), and coordinated
//     plurals give one committee each: "the House Judiciary and Intelligence
//     committees" are the House Judiciary Committee and the House
//     Intelligence Committee;
//   - a court named after its place: "Westminster Magistrates' Court",
//     "Birmingham Crown Court", and the US district and bankruptcy courts:
//     "the U.S. District Court for the Southern District of New York".

// Kinds of entries of the bodies trie.
const (
	bodyState   = iota // a state's name; arg: index into bodyRules.states
	bodyStateOf        // a state form before "of <state>"; arg: class
	bodyChamber        // a chamber; arg: index into bodyRules.chambers
	bodyPlace          // a court after its place name ("Crown Court")
	bodyFederal        // "US District Court", "U.S. Bankruptcy Court"
)

// namedAfter is a head that follows the words naming its body: a court
// after its place ("Westminster Magistrates' Court"), a foundation after
// its name ("Doris Day Animal Foundation").
type namedAfter struct {
	Forms []string `yaml:"forms"`
	Name  string   `yaml:"name"`
	Kind  string   `yaml:"kind"`
	Words int      `yaml:"words"` // at most this many words before the head
}

// bodyRules match sub-national and legislative bodies.
type bodyRules struct {
	// start holds every phrase a body starts with; its value is
	// kind<<16 | arg.
	start *trie
	// classes holds the forms that follow a state's name; val = class.
	classes  *trie
	states   []string
	chambers []string     // canonical prefixes of committee names ("House", "")
	named    []namedAfter // heads named after a place or a name
	class    []instClass
	// dept is the value of the "Department of" forms in classes.
	dept int32
}

// bodiesDoc is the bodies section of lexicon/institutions.yaml.
type bodiesDoc struct {
	States   []string          `yaml:"states"`
	Classes  []instClass       `yaml:"state_classes"`
	Chambers map[string]string `yaml:"chambers"`
	Named    []namedAfter      `yaml:"named_after"`
	Federal  []string          `yaml:"federal_courts"`
}

// loadBodies builds the rules of doc and registers the generated state
// institutions in at.
func loadBodies(file string, doc bodiesDoc, at *actorTable) (*bodyRules, error) {
	br := &bodyRules{states: doc.States, class: doc.Classes, dept: -1}
	start, classes := newPhraseSet(), newPhraseSet()
	put := func(ps *phraseSet, p string, v int32, what string) error {
		old, err := ps.put(p, v, nil, file, false)
		if err != nil {
			return err
		}
		if old != nil {
			return fmt.Errorf("%w: %s: bodies: %s %q is already listed", ErrData, file, what, p)
		}
		return nil
	}
	for i, s := range doc.States {
		if err := put(start, s, bodyState<<16|int32(i), "state"); err != nil {
			return nil, err
		}
	}
	for ci, c := range doc.Classes {
		if c.ID == "" || c.Name == "" || !actorKinds[c.Kind] {
			return nil, fmt.Errorf("%w: %s: state class %q needs an id, a name and a known kind", ErrData, file, c.ID)
		}
		for _, f := range c.After {
			if err := put(classes, f, int32(ci), "state form"); err != nil {
				return nil, err
			}
		}
		for _, f := range c.Of {
			if err := put(start, f, bodyStateOf<<16|int32(ci), "state form"); err != nil {
				return nil, err
			}
		}
		if c.ID == "department" {
			br.dept = int32(ci)
		}
	}
	for p, canon := range doc.Chambers {
		br.chambers = append(br.chambers, canon)
		if err := put(start, p, bodyChamber<<16|int32(len(br.chambers)-1), "chamber"); err != nil {
			return nil, err
		}
	}
	for k, na := range doc.Named {
		if na.Name == "" || !actorKinds[na.Kind] || na.Words < 1 {
			return nil, fmt.Errorf("%w: %s: bodies: named_after %q needs a name, a known kind and words", ErrData, file, na.Name)
		}
		for _, f := range na.Forms {
			if err := put(start, f, bodyPlace<<16|int32(k), "head"); err != nil {
				return nil, err
			}
		}
	}
	br.named = doc.Named
	for _, c := range doc.Federal {
		if err := put(start, c, bodyFederal<<16, "court"); err != nil {
			return nil, err
		}
	}
	br.start, br.classes = start.build(), classes.build()
	for _, s := range doc.States {
		for ci, c := range doc.Classes {
			if ci != int(br.dept) {
				at.register(s+" "+c.Name, c.Kind)
			}
		}
	}
	return br, nil
}

// bodyHit is a body found by match.
type bodyHit struct {
	name, kind string
	start, end int
}

// match finds bodies that start (or, for courts named after a place, end)
// at toks[i]. It returns the hits and the index after them, or end i when
// none. free reports whether a token is not yet taken.
func (br *bodyRules) match(toks []token, i int, free func(int) bool, out []bodyHit) ([]bodyHit, int) {
	if !br.start.mayStart(&toks[i]) {
		return out, i
	}
	end, n := br.start.longest(toks, i)
	if n == nil || n.val < 0 {
		return out, i
	}
	arg := int(n.val & 0xffff)
	switch n.val >> 16 {
	case bodyState:
		if end < len(toks) && toks[end].gap == gapSpace {
			if cend, cn := br.classes.longest(toks, end); cn != nil && cn.val >= 0 {
				if cn.val == br.dept {
					if dend := capRun(toks, cend); dend > cend {
						kind := "government"
						switch toks[dend-1].low {
						case "justice":
							kind = "justice"
						case "safety", "police":
							kind = "police"
						}
						return append(out, bodyHit{br.states[arg] + " Department of " + spanText(toks, cend, dend), kind, i, dend}), dend
					}
					return out, i
				}
				c := br.class[cn.val]
				return append(out, bodyHit{br.states[arg] + " " + c.Name, c.Kind, i, cend}), cend
			}
		}
	case bodyStateOf:
		// "the Supreme Court of Texas"
		j := end
		if j+1 < len(toks) && toks[j].low == "of" && toks[j].gap == gapSpace {
			j++
			if toks[j].low == "the" && j+1 < len(toks) {
				j++
			}
			if toks[j].gap == gapSpace {
				if send, sn := br.start.longest(toks, j); sn != nil && sn.val>>16 == bodyState {
					return append(out, bodyHit{br.states[sn.val&0xffff] + " " + br.class[arg].Name, br.class[arg].Kind, i, send}), send
				}
			}
		}
	case bodyChamber:
		return br.committees(toks, i, end, br.chambers[arg], out)
	case bodyPlace:
		// "Westminster Magistrates' Court": capitalised words before the
		// head, not a determiner ("The", "Our").
		na := &br.named[arg]
		s := i
		for k := 0; k < na.Words && s > 0 && toks[s].gap == gapSpace && toks[s-1].nameShaped() && free(s-1) && !determiners[toks[s-1].low]; k++ {
			s--
			if toks[s].is(fSent) {
				break
			}
		}
		if s == i {
			return out, i
		}
		return append(out, bodyHit{spanText(toks, s, i) + " " + na.Name, na.Kind, s, end}), end
	case bodyFederal:
		// "US District Court for the Southern District of New York"
		j := end
		if j+3 < len(toks) && toks[j].low == "for" && toks[j+1].low == "the" {
			j += 2
			if d := toks[j].low; d == "northern" || d == "southern" || d == "eastern" || d == "western" || d == "middle" || d == "central" {
				j++
			}
			if j+2 < len(toks) && toks[j].low == "district" && toks[j+1].low == "of" {
				if send, sn := br.start.longest(toks, j+2); sn != nil && sn.val>>16 == bodyState {
					head := "US " + toks[end-2].surf + " Court"
					return append(out, bodyHit{titleCase(head+" for the "+spanText(toks, end+2, j+2)) + " " + br.states[sn.val&0xffff], "justice", i, send}), send
				}
			}
		}
	}
	return out, i
}

// committees reads the committee names after a chamber at toks[i:end]
// ("House" + "Intelligence Committee"). prefix is the chamber's part of
// the name ("House"; "" for the Commons, whose committees go without it).
func (br *bodyRules) committees(toks []token, i, end int, prefix string, out []bodyHit) ([]bodyHit, int) {
	// Words up to the head: capitalised words and connectors, at most 8;
	// before a lower-case "committee", lower-case words too ("the Commons
	// home affairs committee").
	j := end
	lower := false
	for k := end; k < len(toks) && k < end+5; k++ {
		if toks[k].low == "committee" {
			lower = toks[k].surf == "committee"
			break
		}
	}
	for ; j < len(toks) && j < end+8; j++ {
		t := &toks[j]
		if t.gap != gapSpace && !(t.gap == gapHard && t.is(fComma) && j > end) {
			return out, i
		}
		if t.low == "committee" || t.low == "committees" || t.low == "subcommittee" || t.low == "subcommittees" {
			break
		}
		word := t.is(fCap) && t.is(fLower) || lower && t.flags&(fUpper|fDigit|fCap) == 0 && len(t.low) > 2 && !determiners[t.low]
		if !(word || t.low == "and" || t.low == "&") || br.chamber(t) || dateWords[t.low] {
			return out, i
		}
	}
	if j >= len(toks) || j >= end+8 || j > end && isConnector(toks[j-1].low) || j > end && isConnector(toks[end].low) {
		return out, i
	}
	head := toks[j]
	plural := strings.HasSuffix(head.low, "s")
	name := func(a, b int) string {
		n := spanText(toks, a, b) + " " + strings.TrimSuffix(strings.ToUpper(head.low[:1])+head.low[1:], "s")
		if prefix != "" {
			n = prefix + " " + n
		}
		return n
	}
	if plural {
		// "the House Judiciary and Intelligence committees": one each.
		// With two "and"s the parts are unclear ("the House Ways and
		// Means and Senate Finance committees").
		var parts [][2]int
		a, ands := end, 0
		for k := end; k < j; k++ {
			switch {
			case toks[k].low == "and" || toks[k].low == "&":
				if ands++; ands > 1 {
					return out, i
				}
				parts = append(parts, [2]int{a, k})
				a = k + 1
			case k > a && toks[k].is(fComma):
				parts = append(parts, [2]int{a, k})
				a = k
			}
		}
		parts = append(parts, [2]int{a, j})
		if len(parts) < 2 {
			return out, i
		}
		for _, p := range parts {
			if p[1] <= p[0] {
				return out, i
			}
		}
		for _, p := range parts {
			out = append(out, bodyHit{titleCase(name(p[0], p[1])), "government", i, j + 1})
		}
		return out, j + 1
	}
	e := j + 1
	// "Committee on Foreign Relations", "Committee on the National Security
	// Strategy".
	if (j == end || j == end+1 && toks[end].low == "select") && e+1 < len(toks) && toks[e].low == "on" && toks[e].gap == gapSpace {
		k := e + 1
		if toks[k].low == "the" && k+1 < len(toks) && toks[k+1].gap == gapSpace {
			k++
		}
		if r := capRun(toks, k); r > k {
			e = r
		}
	}
	if j == end && e == j+1 {
		return out, i // "a House committee" is the House
	}
	if prefix == "Joint" && j > end {
		return out, i // only "Joint Committee on ...": other joint committees are not Parliament's
	}
	n := spanText(toks, end, e)
	if prefix == "" {
		// The Commons' select committees go by their subject: "the
		// Commons home affairs select committee" is the Home Affairs
		// Committee.
		n = strings.Replace(n, "elect committee", "elect Committee", 1)
		if n = strings.Replace(strings.Replace(n, "Select Committee", "Committee", 1), "select Committee", "Committee", 1); n == "Committee" {
			return out, i
		}
	}
	if prefix != "" {
		n = prefix + " " + n
	}
	if j == end {
		n = strings.TrimPrefix(n, " ")
	}
	return append(out, bodyHit{titleCase(n), "government", i, e}), e
}

// determiners do not start a name ("The Crown Court").
var determiners = map[string]bool{"the": true, "a": true, "an": true, "this": true, "that": true, "our": true, "its": true, "their": true, "his": true, "her": true, "at": true, "in": true}

// dateWords end a run of capitalised words ("the Senate Agriculture
// Committee on Monday").
var dateWords = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
}

func isConnector(w string) bool {
	return w == "and" || w == "&" || w == "on" || w == "of" || w == "the" || w == "for"
}

// capRun returns the end of a run of capitalised words from toks[i],
// joined by spaces and inner "and", "of", "the", "for", "&" ("Emergency
// Services and Public Protection"), ending on a capitalised word; i when
// there is none.
func capRun(toks []token, i int) int {
	end := i
	for j := i; j < len(toks) && j < i+10; j++ {
		t := &toks[j]
		if t.gap != gapSpace || j > i && t.is(fSent) {
			break
		}
		if t.is(fCap) && !dateWords[t.low] {
			end = j + 1
		} else if !(j > i && (t.low == "and" || t.low == "&" || t.low == "of" || t.low == "for" || t.low == "the" && toks[j-1].low == "of")) {
			break
		}
	}
	return end
}

// titleCase capitalises the words of a generated name except connectors
// ("House intelligence committee" is the House Intelligence Committee).
func titleCase(s string) string {
	w := strings.Fields(s)
	for k, x := range w {
		if k > 0 && isConnector(x) {
			continue
		}
		if x != "" && x[0] >= 'a' && x[0] <= 'z' {
			w[k] = strings.ToUpper(x[:1]) + x[1:]
		}
	}
	return strings.Join(w, " ")
}

// spanText returns the words of toks[i:end] as written, spaced.
func spanText(toks []token, i, end int) string {
	var b strings.Builder
	return joinWords(&b, toks, i, end, false)
}

// chamber reports whether t is a chamber's word ("House", "Senate").
func (br *bodyRules) chamber(t *token) bool {
	_, n := br.start.longest([]token{*t}, 0)
	return n != nil && n.val>>16 == bodyChamber
}
