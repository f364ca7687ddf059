package enrich

import (
	"bufio"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pariz/gountries"
)

// gazetteerCountry is one country of the gountries gazetteer.
type gazetteerCountry struct {
	code, common, official, capital string
}

var (
	gazOnce sync.Once
	gazList []gazetteerCountry // sorted by code
)

// gazetteer returns the countries of github.com/pariz/gountries, loaded once.
func gazetteer() []gazetteerCountry {
	gazOnce.Do(func() {
		q := gountries.New()
		for code, c := range q.Countries {
			gazList = append(gazList, gazetteerCountry{
				code:     code,
				common:   c.Name.Common,
				official: c.Name.Official,
				capital:  c.Capital,
			})
		}
		sort.Slice(gazList, func(i, j int) bool { return gazList[i].code < gazList[j].code })
	})
	return gazList
}

// phraseEntry is one phrase of a gazetteer on its way into a trie.
type phraseEntry struct {
	toks   []token
	val    int32
	strict *strictRule
	src    string // file:line, for error messages
	seat   bool   // a capital or seat of government (countries only)
}

// phraseSet collects phrases by key so that later sources can override or
// conflict with earlier ones before the trie is built.
type phraseSet struct {
	m     map[string]*phraseEntry
	order []string
}

func newPhraseSet() *phraseSet { return &phraseSet{m: map[string]*phraseEntry{}} }

// tokenizePhrase tokenises a gazetteer phrase with the text tokeniser.
func tokenizePhrase(p string) []token {
	var sc scratch
	toks := tokenize(p, &sc, nil)
	out := make([]token, len(toks))
	copy(out, toks)
	return out
}

// put stores phrase p with value v. It returns the existing entry when the
// phrase is already present with another value (the caller decides).
func (ps *phraseSet) put(p string, v int32, strict *strictRule, src string, override bool) (*phraseEntry, error) {
	toks := tokenizePhrase(p)
	if len(toks) == 0 {
		return nil, fmt.Errorf("%w: %s: phrase %q has no words", ErrData, src, p)
	}
	if len(toks) > maxPhrase {
		return nil, fmt.Errorf("%w: %s: phrase %q has more than %d words", ErrData, src, p, maxPhrase)
	}
	key := phraseKey(toks)
	if old, ok := ps.m[key]; ok && !override && old.val != v {
		return old, nil
	}
	if _, ok := ps.m[key]; !ok {
		ps.order = append(ps.order, key)
	}
	ps.m[key] = &phraseEntry{toks: toks, val: v, strict: strict, src: src}
	return nil, nil
}

// build makes a trie of the set.
func (ps *phraseSet) build() *trie {
	tr := newTrie()
	for _, k := range ps.order {
		e := ps.m[k]
		n := tr.insert(e.toks)
		n.val = e.val
		n.strict = e.strict
		n.seat = e.seat
	}
	return tr
}

// maxPhrase is the longest phrase, in words, of any gazetteer.
const maxPhrase = 12

// countryTable is the country gazetteer: canonical names and phrases.
type countryTable struct {
	names  []string         // canonical names by value
	byCode map[string]int32 // alpha-2 code → value
	byName map[string]int32 // lower-case canonical name → value
	set    *phraseSet       // all phrases
	// metonyms holds the phrase keys of capitals and seats of government:
	// they name a country in prose but are not its names (see Aliases).
	metonyms map[string]bool
	// former holds the phrase keys of a country's parts, former names and
	// predecessor states ("Soviet Union" for Russia): they tag the
	// country but are not searched as its aliases.
	former map[string]bool
	// adjective holds each country's first demonym ("Nigerian"), used to
	// name its institutions; "" when it has none.
	adjective []string
}

// loadCountries builds the country table from gountries and the embedded
// countries.tsv.
func loadCountries() (*countryTable, error) {
	ct := &countryTable{byCode: map[string]int32{}, byName: map[string]int32{}, set: newPhraseSet(), metonyms: map[string]bool{}, former: map[string]bool{}}
	gaz := gazetteer()
	for _, c := range gaz {
		v := int32(len(ct.names))
		ct.names = append(ct.names, c.common)
		ct.byCode[c.code] = v
		ct.byName[strings.ToLower(c.common)] = v
	}
	// Gazetteer names and capitals. A phrase claimed by two countries
	// ("Kingston", "Virgin Islands") is ambiguous and dropped unless the
	// data file assigns it.
	ambiguous := map[string]bool{}
	for _, c := range gaz {
		v := ct.byCode[c.code]
		for i, p := range []string{c.common, c.official, c.capital} {
			// Official names with brackets or commas ("Republic of China
			// (Taiwan)") are not how prose names a country; the common
			// name is always kept ("Cocos (Keeling) Islands").
			if p == "" || i > 0 && strings.ContainsAny(p, "(),") || len(strings.Fields(p)) > maxPhrase {
				continue
			}
			old, err := ct.set.put(p, v, nil, "gountries:"+c.code, false)
			if err != nil {
				return nil, err
			}
			// A capital is a metonym, unless it is also the country's
			// name (Singapore, Monaco, Djibouti): "the Singapore High
			// Court" is the country's court.
			if i == 2 && p != c.common && p != c.official {
				ct.metonyms[phraseKey(tokenizePhrase(p))] = true
			}
			if old != nil {
				ambiguous[phraseKey(old.toks)] = true
			}
		}
	}
	for k := range ambiguous {
		delete(ct.set.m, k)
	}

	const file = "lexicon/countries.tsv"
	ct.adjective = make([]string, len(ct.names), len(ct.names)+8)
	sc := bufio.NewScanner(strings.NewReader(countriesTSV))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		src := fmt.Sprintf("%s:%d", file, line)
		f := strings.Split(text, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%w: %s: want 3 tab-separated fields, got %d", ErrData, src, len(f))
		}
		code, kind, forms := f[0], f[1], f[2]
		v := stopValue
		if kind == "country" {
			// A country the gazetteer lacks ("Kosovo"): its first form is
			// its canonical name.
			if _, ok := ct.byCode[code]; ok {
				return nil, fmt.Errorf("%w: %s: country code %q is already in the gazetteer", ErrData, src, code)
			}
			name := strings.TrimSpace(strings.Split(forms, "|")[0])
			v = int32(len(ct.names))
			ct.names = append(ct.names, name)
			ct.byCode[code] = v
			ct.byName[strings.ToLower(name)] = v
			ct.adjective = append(ct.adjective, "")
		}
		if kind != "stop" {
			var ok bool
			if v, ok = ct.byCode[code]; !ok {
				return nil, fmt.Errorf("%w: %s: unknown country code %q", ErrData, src, code)
			}
		} else if code != "-" {
			return nil, fmt.Errorf("%w: %s: a stop line has code \"-\", not %q", ErrData, src, code)
		}
		var strict *strictRule
		switch kind {
		case "alias", "demonym", "seat", "stop", "former", "part":
		case "country":
		case "strict":
			strict = &strictRule{}
		default:
			return nil, fmt.Errorf("%w: %s: unknown kind %q", ErrData, src, kind)
		}
		for _, p := range strings.Split(forms, "|") {
			p = strings.TrimSpace(p)
			if p == "" {
				return nil, fmt.Errorf("%w: %s: empty form", ErrData, src)
			}
			if kind == "demonym" && ct.adjective[v] == "" {
				ct.adjective[v] = p
			}
			if _, err := ct.set.put(p, v, strict, src, true); err != nil {
				return nil, err
			}
			key := phraseKey(tokenizePhrase(p))
			ct.metonyms[key] = kind == "seat"
			if kind == "former" || kind == "part" {
				ct.former[key] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for k, e := range ct.set.m {
		e.seat = ct.metonyms[k]
	}
	return ct, nil
}

// addAlias adds a user alias for a canonical country name.
func (ct *countryTable) addAlias(alias, canonical, src string) error {
	v, ok := ct.byName[strings.ToLower(strings.TrimSpace(canonical))]
	if !ok {
		return fmt.Errorf("%w: %s: %q is not a country name of the gazetteer", ErrData, src, canonical)
	}
	if strings.TrimSpace(alias) == "" {
		return fmt.Errorf("%w: %s: empty country alias", ErrData, src)
	}
	_, err := ct.set.put(alias, v, nil, src, true)
	return err
}

// notAliases returns the phrase keys that name a country without being
// one of its names: seats of government, former names and constituent
// parts.
func (ct *countryTable) notAliases() map[string]bool {
	out := make(map[string]bool, len(ct.metonyms)+len(ct.former))
	for k, v := range ct.metonyms {
		out[k] = v
	}
	for k := range ct.former {
		out[k] = true
	}
	return out
}
