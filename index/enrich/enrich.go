package enrich

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"go.yaml.in/yaml/v3"
)

// ErrData is wrapped by every error about bad gazetteer or rule data, in the
// embedded files or in an extra file. The message names the file and line.
var ErrData = errors.New("enrich: bad data")

var (
	//go:embed lexicon/countries.tsv
	countriesTSV string
	//go:embed lexicon/actors.yaml
	actorsYAML []byte
	//go:embed lexicon/topics.yaml
	topicsYAML []byte
	//go:embed lexicon/names.txt
	namesTXT string
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
	isActor   map[string]bool
	// countryForms and actorForms list the phrases of each canonical
	// value (Aliases).
	countryForms, actorForms map[string][]string
	topics                   *topicRules
	names                    *nameRules
	pool                     sync.Pool
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
		isActor:   map[string]bool{},

		countryForms: ct.set.forms(ct.names, ct.metonyms),
		actorForms:   at.set.forms(at.names, nil),
		topics:       tr,
		names:        nr,
	}
	for _, a := range at.names {
		t.isActor[a] = true
	}
	t.pool.New = func() any { return new(scratch) }
	return t, nil
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

// paragraph tags one text. With f nil only the name state is updated.
func (t *Tagger) paragraph(text string, sc *scratch, st *personState, f *Facets) {
	toks := tokenize(text, sc)
	used := slices.Grow(sc.used[:0], len(toks))[:len(toks)]
	clear(used)
	sc.used = used

	var countries, actors []string
	// Countries and actors: longest match, left to right. The two
	// gazetteers are independent: "Chinese Communist Party" gives China
	// and the party.
	for i := 0; i < len(toks); {
		end, n := t.countries.longest(toks, i)
		if n == nil {
			i++
			continue
		}
		if n.val >= 0 && (n.strict == nil || strictOK(n.strict, toks, i)) {
			countries = append(countries, t.country[n.val])
			for k := i; k < end; k++ {
				used[k] = true
			}
		}
		i = end
	}
	for i := 0; i < len(toks); {
		end, n := t.actors.longest(toks, i)
		if n == nil {
			i++
			continue
		}
		if n.val >= 0 && (n.strict == nil || strictOK(n.strict, toks, i)) {
			actors = append(actors, t.actor[n.val])
			for k := i; k < end; k++ {
				used[k] = true
			}
		} else if n.val == stopValue {
			// A stop phrase ("Met Office") is not a person either.
			for k := i; k < end; k++ {
				used[k] = true
			}
		}
		i = end
	}
	t.names.people(text, toks, used, st, func(name string) {
		if f != nil {
			actors = append(actors, name)
		}
	})
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
	f.Country = sortedSet(countries)
	f.Actor = sortedSet(actors)
	f.Topic = topics
}

// sortedSet sorts and deduplicates s; it never returns nil.
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	slices.Sort(s)
	return slices.Compact(s)
}
