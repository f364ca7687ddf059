package enrich

import (
	"fmt"
	"strings"
)

// National institutions are generated, not listed: a country word (a
// demonym, a name or an alias) next to an institution noun names that
// country's institution ("Nigerian troops", "the French Navy", "Iraq's
// defence ministry", "the Armed Forces of Ukraine"). Each institution class
// has one canonical name per country, "<adjective> <class name>"
// ("Nigerian Armed Forces", "French Navy", "Iraqi Ministry of Defence"),
// unless lexicon/institutions.yaml overrides it for that country ("British
// Army", "Royal Navy", "PLA", "IDF", or "-" for none).

// instClass is one institution class of lexicon/institutions.yaml.
type instClass struct {
	ID    string   `yaml:"id"`
	Kind  string   `yaml:"kind"`
	Name  string   `yaml:"name"`
	After []string `yaml:"after"`
	Of    []string `yaml:"of"`
	Alone []string `yaml:"alone"`
}

// instRules match national institutions.
type instRules struct {
	after *trie // forms after a country word; val = class index
	of    *trie // forms before "of <country>"
	alone *trie // forms resolved to the paragraph's only country
	// actor[country value][class] is the actor value of that country's
	// institution, or -1 for none.
	actor [][]int32
	// historic maps the demonym of a former state ("Soviet") to its row of
	// institutions.
	historic map[string][]int32
	// overridden maps a gazetteer actor that is one country's institution
	// by override ("Ministry of Defence", the UK's defence ministry) to its
	// class, so that "the Russian Ministry of Defence" is Russia's.
	overridden map[int32]int
	// bodies are the sub-national and legislative bodies.
	bodies *bodyRules
}

// loadInstitutions parses lexicon/institutions.yaml and generates the
// canonical institution actors of every country into at.
func loadInstitutions(file string, data []byte, ct *countryTable, at *actorTable) (*instRules, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(file, root, "historic", "adjectives", "classes", "overrides", "bodies"); err != nil {
		return nil, err
	}
	var doc struct {
		Historic   map[string]string            `yaml:"historic"`
		Adjectives map[string]string            `yaml:"adjectives"`
		Classes    []instClass                  `yaml:"classes"`
		Overrides  map[string]map[string]string `yaml:"overrides"`
		Bodies     bodiesDoc                    `yaml:"bodies"`
	}
	if err := root.Decode(&doc); err != nil {
		return nil, dataErr(file, root, "%v", err)
	}
	ir := &instRules{}
	classIdx := map[string]int{}
	afterSet, ofSet, aloneSet := newPhraseSet(), newPhraseSet(), newPhraseSet()
	for i, c := range doc.Classes {
		src := fmt.Sprintf("%s: class %q", file, c.ID)
		if c.ID == "" || c.Name == "" || !actorKinds[c.Kind] {
			return nil, fmt.Errorf("%w: %s: a class needs an id, a name and a known kind", ErrData, src)
		}
		if _, dup := classIdx[c.ID]; dup {
			return nil, fmt.Errorf("%w: %s: repeated class", ErrData, src)
		}
		classIdx[c.ID] = i
		for _, set := range []struct {
			ps    *phraseSet
			forms []string
		}{{afterSet, c.After}, {ofSet, c.Of}, {aloneSet, c.Alone}} {
			for _, f := range set.forms {
				if old, err := set.ps.put(f, int32(i), nil, src, false); err != nil {
					return nil, err
				} else if old != nil {
					return nil, fmt.Errorf("%w: %s: form %q is already a form of class %q", ErrData, src, f, doc.Classes[old.val].ID)
				}
			}
		}
	}
	ir.after, ir.of, ir.alone = afterSet.build(), ofSet.build(), aloneSet.build()

	for code := range doc.Adjectives {
		if _, ok := ct.byCode[code]; !ok {
			return nil, fmt.Errorf("%w: %s: adjectives: unknown country code %q", ErrData, file, code)
		}
	}
	for code, m := range doc.Overrides {
		if _, ok := ct.byCode[code]; !ok {
			return nil, fmt.Errorf("%w: %s: overrides: unknown country code %q", ErrData, file, code)
		}
		for id := range m {
			if _, ok := classIdx[id]; !ok {
				return nil, fmt.Errorf("%w: %s: overrides: %s: unknown class %q", ErrData, file, code, id)
			}
		}
	}
	ir.historic = map[string][]int32{}
	ir.overridden = map[int32]int{}
	for form, adj := range doc.Historic {
		row := make([]int32, len(doc.Classes))
		for ci, c := range doc.Classes {
			row[ci] = at.register(adj+" "+c.Name, c.Kind)
		}
		ir.historic[form] = row
	}
	ir.actor = make([][]int32, len(ct.names))
	codes := make([]string, len(ct.names))
	for code, v := range ct.byCode {
		codes[v] = code
	}
	for v := range ct.names {
		row := make([]int32, len(doc.Classes))
		adj := doc.Adjectives[codes[v]]
		if adj == "" {
			adj = ct.adjective[v]
		}
		if adj == "" {
			adj = ct.names[v]
		}
		for ci, c := range doc.Classes {
			name := adj + " " + c.Name
			kind := c.Kind
			o, over := doc.Overrides[codes[v]][c.ID]
			if over {
				name = strings.TrimSpace(o)
			}
			if name == "-" {
				row[ci] = -1
				continue
			}
			ev, ok := at.byName[name]
			if !ok {
				// An alias of a gazetteer actor ("US Department of
				// Defense" is the Pentagon) is that actor.
				if e := at.set.m[phraseKey(tokenizePhrase(name))]; e != nil && e.val >= 0 {
					ev, ok = e.val, true
				}
			}
			if ok {
				row[ci] = ev
				if over {
					ir.overridden[ev] = ci
				}
				continue
			}
			row[ci] = at.register(name, kind)
		}
		ir.actor[v] = row
	}
	if ir.bodies, err = loadBodies(file, doc.Bodies, at); err != nil {
		return nil, err
	}
	return ir, nil
}

// register adds an actor value without phrases (a generated name) and
// returns its value.
func (at *actorTable) register(name, kind string) int32 {
	if v, ok := at.byName[name]; ok {
		return v
	}
	v := int32(len(at.names))
	at.names = append(at.names, name)
	at.kinds = append(at.kinds, kind)
	at.byName[name] = v
	return v
}

// countrySpan is one country match of a paragraph.
type countrySpan struct {
	start, end int
	val        int32
	seat       bool // a capital or seat of government ("the Kremlin")
}

// institutions finds national institutions next to the country matches of
// a paragraph and standalone forms that refer to its only country. It
// calls emit with the actor value and the token span.
func (t *Tagger) institutions(toks []token, spans []countrySpan, owner []int32, st *personState, emit func(v int32, i, end int)) {
	ir := t.inst
	free := func(i, end int) bool {
		for k := i; k < end; k++ {
			if owner[k] != noOwner {
				return false
			}
		}
		return true
	}
	for _, s := range spans {
		if s.seat {
			continue
		}
		row := ir.row(toks, s)
		// "<country> <institution>": "Nigerian troops", "Iraq's army",
		// "South African police and military".
		if e := s.end; e < len(toks) && toks[e].gap == gapSpace {
			if end, n := ir.after.longest(toks, e); n != nil && n.val >= 0 && free(e, end) {
				// A longer gazetteer phrase at the country word wins
				// ("Russian military intelligence" is the GRU).
				if aend, an := t.actors.longest(toks, s.start); an == nil || aend < end {
					if v := row[n.val]; v >= 0 {
						emit(v, s.start, end)
					}
					if end+1 < len(toks) && toks[end].low == "and" && toks[end].gap == gapSpace && toks[end+1].gap == gapSpace {
						if end2, n2 := ir.after.longest(toks, end+1); n2 != nil && n2.val >= 0 && free(end+1, end2) {
							if v := row[n2.val]; v >= 0 {
								emit(v, end+1, end2)
							}
						}
					}
					continue
				}
			}
		}
		// "<institution> of [the] <country>": "the Armed Forces of Ukraine".
		of := s.start - 1
		if of > 0 && toks[of].low == "the" && toks[of].gap == gapSpace {
			of--
		}
		if of < 1 || toks[of].low != "of" || toks[of].gap != gapSpace || toks[s.start].gap != gapSpace {
			continue
		}
		for j := max(0, of-5); j < of; j++ {
			if end, n := ir.of.longest(toks, j); n != nil && n.val >= 0 && end == of && free(j, end) {
				if v := row[n.val]; v >= 0 {
					emit(v, j, s.end)
				}
				break
			}
		}
	}
	// Standalone forms ("the Defence Ministry") refer to the paragraph's
	// only country, if it names exactly one; in a paragraph that names
	// none, to the article's only country so far.
	sole := int32(-1)
	for _, s := range spans {
		if sole >= 0 && s.val != sole {
			return
		}
		sole = s.val
	}
	if sole < 0 && len(spans) == 0 && len(st.countries) == 1 {
		sole = st.countries[0]
	}
	if sole < 0 {
		return
	}
	for i := 0; i < len(toks); {
		if !ir.alone.mayStart(&toks[i]) {
			i++
			continue
		}
		end, n := ir.alone.longest(toks, i)
		if n == nil || n.val < 0 || !free(i, end) {
			i++
			continue
		}
		if end+1 < len(toks) && toks[end].low == "of" && toks[end].gap == gapSpace && toks[end+1].is(fCap) && !courtOf[toks[end+1].low] {
			// "the Supreme Court of Western Australia" names another
			// body than the country's ("the Supreme Court of Justice"
			// is the country's).
			i = end
			continue
		}
		if v := ir.actor[sole][n.val]; v >= 0 {
			emit(v, i, end)
		}
		i = end
	}
}

// row returns the institutions of the country of s: its own, or those of
// a former state named by its demonym ("Soviet").
func (ir *instRules) row(toks []token, s countrySpan) []int32 {
	if len(ir.historic) > 0 && s.end == s.start+1 {
		if h, ok := ir.historic[toks[s.start].surf]; ok {
			return h
		}
	}
	return ir.actor[s.val]
}

// retarget returns the institution that a gazetteer actor v found at
// toks[i] names when a country word comes right before it: "the Russian
// Ministry of Defence" is Russia's defence ministry, not the UK's
// "Ministry of Defence". It returns the value and the span's start, or
// ok false when v is not an overridden institution or no other country's
// word precedes it.
func (ir *instRules) retarget(toks []token, spans []countrySpan, v int32, i int) (int32, int, bool) {
	ci, over := ir.overridden[v]
	if !over || i == 0 || toks[i].gap != gapSpace {
		return 0, 0, false
	}
	for _, s := range spans {
		if s.end != i || s.seat {
			continue
		}
		if w := ir.row(toks, s)[ci]; w >= 0 && w != v {
			return w, s.start, true
		}
	}
	return 0, 0, false
}

// courtOf are words after "Supreme Court of" that keep it the country's
// court ("Supreme Court of Justice", "Supreme Court of Appeal").
var courtOf = map[string]bool{"justice": true, "appeal": true, "appeals": true, "judicature": true, "cassation": true}
