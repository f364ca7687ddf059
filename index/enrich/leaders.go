package enrich

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Notable people (lexicon/people.yaml) are found by their full name and
// aliases like any actor, and also by their surname alone, which the
// general name rules cannot do ("Putin said", "the Erdoğan government",
// "pro-Maduro forces"). A surname alone is taken only with guards:
//
//   - it is capitalised as written in the data and is not part of a longer
//     capitalised name ("Laura Bush", "Bush Street");
//   - no other person with that surname was named earlier in the article
//     (then the surname is that person);
//   - a title stands before the surname ("President Putin"), or the
//     person's country was named earlier in the article or in the
//     paragraph; a person without a country (a UN Secretary-General) needs
//     a title or the full name earlier in the article;
//   - a surname marked title_only ("Brown", "May", "Major": also common
//     words or names) needs a title, and the person's country named in the
//     article unless it names no country at all ("Mr Howard said" in home
//     news);
//   - a title of the other sex ("Mrs Blair") does not give the person.
//
// A surname shared by two people of the file is taken by neither.

// leader is a notable person whose surname alone may name them.
type leader struct {
	name      string
	country   int32 // country value, or -1
	female    bool
	titleOnly bool
}

// personSpec is one entry of lexicon/people.yaml.
type personSpec struct {
	Name      string   `yaml:"name"`
	Country   string   `yaml:"country"`
	Aliases   []string `yaml:"aliases"`
	Surname   []string `yaml:"surname"`
	Sex       string   `yaml:"sex"`
	TitleOnly bool     `yaml:"title_only"`
	Source    string   `yaml:"source"`
}

// loadPeople reads lexicon/people.yaml: each person becomes an actor of
// kind person, and their surnames are registered in nr.leaders.
func loadPeople(file string, data []byte, ct *countryTable, at *actorTable, nr *nameRules) error {
	root, err := parseYAML(file, data)
	if err != nil {
		return err
	}
	if err := checkKeys(file, root, "people"); err != nil {
		return err
	}
	list := mapValue(root, "people")
	if list == nil {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		return dataErr(file, list, "people must be a list")
	}
	shared := map[string]bool{}
	for _, item := range list.Content {
		if err := checkKeys(file, item, "name", "country", "aliases", "surname", "sex", "title_only", "source"); err != nil {
			return err
		}
		var p personSpec
		if err := item.Decode(&p); err != nil {
			return dataErr(file, item, "%v", err)
		}
		src := srcOf(file, item)
		if err := at.add(actorSpec{Name: p.Name, Kind: "person", Aliases: p.Aliases, Source: p.Source}, src); err != nil {
			return err
		}
		l := &leader{name: strings.TrimSpace(p.Name), country: -1, female: p.Sex == "f", titleOnly: p.TitleOnly}
		switch p.Sex {
		case "", "m", "f":
		default:
			return dataErr(file, item, "sex must be m or f, not %q", p.Sex)
		}
		if p.Country != "" {
			v, ok := ct.byCode[p.Country]
			if !ok {
				return dataErr(file, item, "unknown country code %q", p.Country)
			}
			l.country = v
		}
		surnames := p.Surname
		if surnames == nil { // absent; [] means none
			f := strings.Fields(l.name)
			surnames = f[len(f)-1:]
		}
		for _, s := range surnames {
			s = strings.TrimSpace(s)
			if s == "" || strings.ContainsAny(s, " \t") {
				return dataErr(file, item, "surname %q must be one word (hyphens allowed)", s)
			}
			forms := []string{s}
			if fs, ok := fold(s); ok {
				forms = append(forms, fs)
			}
			for _, f := range forms {
				if old, ok := nr.leaders[f]; ok && old != nil && old.name != l.name || shared[f] {
					shared[f] = true
					nr.leaders[f] = nil
					continue
				}
				nr.leaders[f] = l
			}
			nr.surnameOf[l.name] = append(nr.surnameOf[l.name], forms...)
		}
	}
	for f := range shared {
		delete(nr.leaders, f)
	}
	return nil
}

// leaderAt returns the notable person named by the surname toks[i:end]
// alone, or nil; st is the article state, titled whether a title stands
// right before and female whether that title is a woman's.
func (nr *nameRules) leaderAt(toks []token, i, end int, name string, st *personState, titled, female bool) *leader {
	l := nr.leaders[name]
	if l == nil {
		return nil
	}
	if titled && l.female != female {
		return nil
	}
	// Part of a longer capitalised name: "Laura Bush", "Bush Street".
	if !titled && i > 0 && toks[i].gap == gapSpace && !toks[i].is(fSent) && toks[i-1].nameShaped() {
		return nil
	}
	if end < len(toks) && toks[end].gap == gapSpace && toks[end].nameShaped() && nr.wordFlags(&toks[end])&(nStop|nWeekday|nMonth) == 0 {
		return nil
	}
	if l.titleOnly && !titled {
		return nil
	}
	// A title before a distinctive surname is enough: "President
	// Erdoğan".
	if titled && !l.titleOnly || l.country < 0 && titled {
		return l
	}
	if l.country < 0 {
		return nil
	}
	for _, c := range st.countries {
		if c == l.country {
			return l
		}
	}
	// A title before the surname in an article that names no country
	// (home news: "Mr Howard said").
	if titled && len(st.countries) == 0 {
		return l
	}
	return nil
}

// femaleTitles are the titles that name a woman.
var femaleTitles = map[string]bool{"mrs": true, "ms": true, "miss": true, "lady": true, "dame": true, "madam": true, "madame": true, "queen": true, "princess": true}
