package enrich

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// ErrData is wrapped by every error about bad gazetteer or rule data, in the
// embedded files or in an extra file. The message names the file and line.
var ErrData = errors.New("enrich: bad data")

// lexicon/sdn.yaml and lexicon/given.txt are generated; see make gazetteers.
//go:generate go run ./internal/sdngen -data ../../../shared/data/ofac-sdn -lexicon lexicon -out lexicon/sdn.yaml

var (
	//go:embed lexicon/countries.tsv
	countriesTSV string
	//go:embed lexicon/actors.yaml
	actorsYAML []byte
	//go:embed lexicon/topics.yaml
	topicsYAML []byte
	//go:embed lexicon/names.txt
	namesTXT string
	//go:embed lexicon/institutions.yaml
	institutionsYAML []byte
	//go:embed lexicon/people.yaml
	peopleYAML []byte
	//go:embed lexicon/sdn.yaml
	sdnYAML []byte
	//go:embed lexicon/conflicts.yaml
	conflictsYAML []byte
	//go:embed lexicon/organisations.yaml
	organisationsYAML []byte
	//go:embed lexicon/companies.yaml
	companiesYAML []byte
	//go:embed lexicon/given.txt
	givenTXT string
)

// Options configures a Tagger.
type Options struct {
	// ExtraFile names an optional user YAML file that extends the built-in
	// gazetteers and topic rules (see the package documentation for its
	// format). Empty means none.
	ExtraFile string
}

// Facets are the facet values of one paragraph. Each slice is sorted,
// deduplicated and non-nil (empty when there are none).
type Facets struct {
	// Country holds canonical English short country names, as in the
	// gountries gazetteer ("United Kingdom", "China").
	Country []string
	// Actor holds canonical names of organisations, groups and people.
	Actor []string
	// ActorKind holds the kind of each actor, parallel to Actor: "person",
	// "government", "military", "agency", "police", "justice",
	// "international", "militant", "extremist", "party", "ngo", "cyber",
	// "company", "media" or "organisation" (see Kinds).
	ActorKind []string
	// Topic holds slugs of the topic taxonomy (see Topics).
	Topic []string
}

// Tagger tags paragraphs with facet values. It is built once by New and is
// safe for concurrent use by many goroutines.
type Tagger struct {
	countries *trie
	country   []string // canonical country names by value
	actors    *trie
	actor     []string // canonical actor names by value
	kind      []string // actor kinds by value
	isActor   map[string]bool
	kindOf    map[string]string
	inst      *instRules
	// countryForms and actorForms list the phrases of each canonical
	// value (Aliases).
	countryForms, actorForms map[string][]string
	topics                   *topicRules
	names                    *nameRules
	// words numbers the words of the phrases of all tries and rules (see
	// indexWords).
	words *wordTable
	pool  sync.Pool
}

// New builds a Tagger from the embedded data plus opts.ExtraFile. Errors
// about bad data wrap ErrData and name the file and line.
func New(opts Options) (*Tagger, error) {
	ct, err := loadCountries()
	if err != nil {
		return nil, err
	}
	at := newActorTable()
	root, err := parseYAML("lexicon/actors.yaml", actorsYAML)
	if err != nil {
		return nil, err
	}
	if err := at.parseActors("lexicon/actors.yaml", root); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"lexicon/organisations.yaml", organisationsYAML}, {"lexicon/conflicts.yaml", conflictsYAML}, {"lexicon/companies.yaml", companiesYAML}, {"lexicon/sdn.yaml", sdnYAML}} {
		root, err := parseYAML(f.name, f.data)
		if err != nil {
			return nil, err
		}
		if err := at.parseActors(f.name, root); err != nil {
			return nil, err
		}
	}
	tr := newTopicRules()
	root, err = parseYAML("lexicon/topics.yaml", topicsYAML)
	if err != nil {
		return nil, err
	}
	if err := checkKeys("lexicon/topics.yaml", root, "topics"); err != nil {
		return nil, err
	}
	if n := mapValue(root, "topics"); n == nil {
		return nil, fmt.Errorf("%w: lexicon/topics.yaml: no topics", ErrData)
	} else if err := tr.parseTopics("lexicon/topics.yaml", n, true); err != nil {
		return nil, err
	}
	nr, err := loadNames(namesTXT)
	if err != nil {
		return nil, err
	}
	nr.addGiven(givenTXT, ct)
	if err := loadPeople("lexicon/people.yaml", peopleYAML, ct, at, nr); err != nil {
		return nil, err
	}
	ir, err := loadInstitutions("lexicon/institutions.yaml", institutionsYAML, ct, at)
	if err != nil {
		return nil, err
	}
	if opts.ExtraFile != "" {
		if err := loadExtra(opts.ExtraFile, ct, at, tr); err != nil {
			return nil, err
		}
	}
	t := &Tagger{
		countries: ct.set.build(),
		country:   ct.names,
		actors:    at.set.build(),
		actor:     at.names,
		kind:      at.kinds,
		isActor:   map[string]bool{},
		kindOf:    map[string]string{},
		inst:      ir,

		countryForms: ct.set.forms(ct.names, ct.notAliases()),
		actorForms:   at.set.forms(at.names, nil),
		topics:       tr,
		names:        nr,
	}
	for v, a := range at.names {
		t.isActor[a] = true
		t.kindOf[a] = at.kinds[v]
	}
	t.indexWords()
	t.pool.New = func() any { return new(scratch) }
	return t, nil
}

// tries returns all the tries of t: those indexWords indexes (a trie it
// does not index matches nothing).
func (t *Tagger) tries() []*trie {
	return []*trie{t.countries, t.actors, t.inst.after, t.inst.of, t.inst.alone, t.inst.bodies.start, t.inst.bodies.classes}
}

// tokens splits text into tokens (see tokenize) numbered by t.words. The
// returned slice aliases sc.toks.
func (t *Tagger) tokens(text string, sc *scratch) []token {
	return tokenize(text, sc, t.words)
}

// loadExtra reads the user's extra file into the tables.
func loadExtra(file string, ct *countryTable, at *actorTable, tr *topicRules) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("enrich: extra file: %w", err)
	}
	root, err := parseYAML(file, data)
	if err != nil {
		return err
	}
	if err := checkKeys(file, root, "countries", "actors", "topics"); err != nil {
		return err
	}
	if n := mapValue(root, "countries"); n != nil {
		if n.Kind != yaml.MappingNode {
			return dataErr(file, n, "countries must map aliases to canonical country names")
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if err := ct.addAlias(k.Value, v.Value, srcOf(file, k)); err != nil {
				return err
			}
		}
	}
	if n := mapValue(root, "actors"); n != nil {
		if err := at.parseActorList(file, n); err != nil {
			return err
		}
	}
	if n := mapValue(root, "topics"); n != nil {
		if err := tr.parseTopics(file, n, false); err != nil {
			return err
		}
	}
	return nil
}

// Tag tags the paragraphs of one article (title may be ""). Person names are
// resolved across the article: a later surname-only mention resolves to the
// full name introduced earlier in the same article. It returns one Facets
// per paragraph, in order. Tag is safe for concurrent use.
func (t *Tagger) Tag(title string, paragraphs []string) []Facets {
	sc := t.pool.Get().(*scratch)
	defer t.pool.Put(sc)
	var st personState
	if title != "" {
		t.paragraph(title, sc, &st, nil)
	}
	out := make([]Facets, len(paragraphs))
	for i, p := range paragraphs {
		t.paragraph(p, sc, &st, &out[i])
	}
	return out
}

// Owners of tokens that no actor hit has taken: free, or in a stop phrase.
const (
	noOwner   int32 = -1
	stopOwner int32 = -2
)

// actorHit is one actor found in a paragraph; name "" is a hit withdrawn
// by a later rule.
type actorHit struct {
	name, kind string
}

// paragraph tags one text. With f nil only the article state is updated.
func (t *Tagger) paragraph(text string, sc *scratch, st *personState, f *Facets) {
	toks := t.tokens(text, sc)
	used := slices.Grow(sc.used[:0], len(toks))[:len(toks)]
	clear(used)
	sc.used = used
	owner := slices.Grow(sc.owner[:0], len(toks))[:len(toks)]
	for k := range owner {
		owner[k] = noOwner
	}
	sc.owner = owner
	acts := sc.acts[:0]
	spans := sc.spans[:0]
	take := func(name, kind string, i, end int) {
		acts = append(acts, actorHit{name, kind})
		for k := i; k < end; k++ {
			used[k] = true
			owner[k] = int32(len(acts) - 1)
		}
	}

	var countries []string
	// Countries: longest match, left to right. The country and actor
	// gazetteers are independent: "Chinese Communist Party" gives China
	// and the party.
	for i := 0; i < len(toks); {
		if !t.countries.mayStart(&toks[i]) {
			i++
			continue
		}
		end, n := t.countries.longest(toks, i)
		if n == nil {
			i++
			continue
		}
		if n.val >= 0 && (n.strict == nil || strictOK(n.strict, toks, i)) && !t.names.givenNameRun(toks, used, i, end) {
			countries = append(countries, t.country[n.val])
			spans = append(spans, countrySpan{start: i, end: end, val: n.val, seat: n.seat})
			st.sawCountry(n.val)
			for k := i; k < end; k++ {
				used[k] = true
			}
		}
		i = end
	}
	sc.spans = spans
	free := func(k int) bool { return owner[k] == noOwner }
	// The actor gazetteer.
	for i := 0; i < len(toks); {
		if owner[i] != noOwner {
			i++
			continue
		}
		if toks[i].is(fCap) {
			// Sub-national and legislative bodies ("the Texas Supreme
			// Court", "the House Intelligence Committee"), unless a
			// gazetteer phrase is as long.
			if hits, e := t.inst.bodies.match(toks, i, free, sc.body[:0]); e > i {
				sc.body = hits
				if aend, an := t.actors.longest(toks, hits[0].start); an == nil || an.val < 0 || aend < e {
					for _, h := range hits {
						take(h.name, h.kind, h.start, h.end)
					}
					i = e
					continue
				}
			}
		}
		if !t.actors.mayStart(&toks[i]) {
			i++
			continue
		}
		end, n := t.actors.longest(toks, i)
		if n == nil {
			i++
			continue
		}
		if n.val >= 0 && end == i+1 && st.acronyms != nil && t.redefined(st, &toks[i], n.val) {
			// An acronym the article defined for another name ("the
			// Interstate Commerce Commission (ICC)"): the acronym rule
			// binds it.
			i = end
			continue
		}
		if n.val >= 0 && (n.strict == nil || strictOK(n.strict, toks, i)) {
			if w, start, ok := t.inst.retarget(toks, spans, n.val, i); ok {
				take(t.actor[w], t.kind[w], start, end)
				i = end
				continue
			}
			take(t.actor[n.val], t.kind[n.val], i, end)
			if t.kind[n.val] == "person" {
				// A later surname alone is this person.
				t.names.registerPerson(st, toks, i, end, t.actor[n.val])
			}
		} else if n.val == stopValue {
			// A stop phrase ("Met Office") is not a person or an
			// institution either.
			for k := i; k < end; k++ {
				used[k] = true
				owner[k] = stopOwner
			}
		}
		i = end
	}
	// National institutions next to a country word, on words the
	// gazetteer left.
	t.institutions(toks, spans, owner, st, func(v int32, i, end int) {
		take(t.actor[v], t.kind[v], i, end)
	})
	// Acronyms defined in the article: "the Multinational Joint Task Force
	// (MNJTF)", then "MNJTF".
	acts = t.acronyms(toks, owner, used, acts, st)
	t.names.people(text, toks, used, st, func(name string) {
		if f != nil {
			acts = append(acts, actorHit{name, "person"})
		}
	})
	sc.acts = acts
	if f == nil {
		return
	}

	// Topics: each rule counts once per paragraph.
	var score [numTopics]float64
	hits := sc.hits[:0]
	for i := 0; i < len(toks); {
		end, n := t.topics.longest(toks, i)
		if n == nil {
			i++
			continue
		}
		if !slices.Contains(hits, n.id) {
			hits = append(hits, n.id)
			for _, h := range n.hits {
				score[h.topic] += h.w
			}
		}
		i = end
	}
	sc.hits = hits
	topics := []string{}
	for ti, slug := range taxonomy {
		if score[ti] > 0 && score[ti] >= t.topics.threshold[ti]-1e-9 {
			topics = append(topics, slug)
		}
	}
	slices.Sort(topics)
	// A company counts only in a security role (GUIDELINES.md): in a
	// paragraph without a word of such a role it is no actor.
	for k := range acts {
		if acts[k].kind == "company" && !securityRole(toks) {
			for k := range acts {
				if acts[k].kind == "company" {
					acts[k].name = ""
				}
			}
			break
		}
	}
	f.Country = sortedSet(countries)
	f.Actor, f.ActorKind = sortedActors(acts)
	f.Topic = topics
}

// sortedActors returns the names of hits sorted and deduplicated, and
// their kinds in the same order; neither is nil.
func sortedActors(acts []actorHit) (names, kinds []string) {
	s := make([]actorHit, 0, len(acts))
	for _, a := range acts {
		if a.name != "" {
			s = append(s, a)
		}
	}
	slices.SortStableFunc(s, func(a, b actorHit) int { return strings.Compare(a.name, b.name) })
	s = slices.CompactFunc(s, func(a, b actorHit) bool { return a.name == b.name })
	names, kinds = make([]string, len(s)), make([]string, len(s))
	for i, a := range s {
		names[i], kinds[i] = a.name, a.kind
	}
	return names, kinds
}

// Kind returns the kind of an actor value of the gazetteers or of the
// generated national institutions ("militant" for "Islamic State",
// "military" for "French Navy"), and "" for any other value. Values found
// by rules within one article (people's names, organisations defined with
// an acronym) have their kind in Facets.ActorKind only.
func (t *Tagger) Kind(actor string) string {
	return t.kindOf[actor]
}

// Kinds lists the kinds an actor can have, sorted.
func Kinds() []string {
	return slices.Sorted(maps.Keys(actorKinds))
}

// sortedSet sorts and deduplicates s; it never returns nil.
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// roleStems are the beginnings of words that put a company in a security,
// military, justice or sanctions role: sanctioned, hacked, spying, armed,
// indicted, shot down, banned.
var roleStems = []string{
	"sanction", "hack", "breach", "spy", "spied", "spies", "espionage", "surveil", "malware", "ransomware",
	"cyberattack", "attack", "bomb", "shot", "shoot", "downing", "downed", "missile", "weapon", "arms",
	"munition", "defense", "defence", "military", "pentagon", "indict", "prosecut", "criminal", "investigat",
	"banned", "ban", "blacklist", "seize", "raid", "hijack", "terror", "militia", "mercenar", "intelligence",
	"backdoor", "encrypt", "smuggl", "embargo", "stolen", "theft", "heist", "fined", "convicted", "guilty",
}

// securityRole reports whether a paragraph has a word of a security role
// (roleStems).
func securityRole(toks []token) bool {
	for i := range toks {
		w := toks[i].low
		for _, r := range roleStems {
			if strings.HasPrefix(w, r) {
				if r == "ban" && w != "ban" && w != "bans" && w != "banned" {
					continue // "bank", "band"
				}
				if r == "arms" && w != "arms" {
					continue
				}
				if r == "shot" && w != "shot" {
					continue // "shotgun" is fine, "shots" in sport is not
				}
				return true
			}
		}
	}
	return false
}
