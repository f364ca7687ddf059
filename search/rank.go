package search

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// Ranking weighs the signals a relevance search combines (see "How ranking
// works" in the README). DefaultRanking returns the weights measured best on
// the judged development set (make eval); a zero weight switches a signal
// off.
type Ranking struct {
	// AllWords rewards paragraphs whose text covers more of the query's
	// concepts: the score is multiplied by 1 + AllWords × (covered-1)/(n-1),
	// so paragraphs with every concept rank above those with only some.
	AllWords float64
	// Entity weighs the facet clause for the country or actor a concept's
	// words name ("Russian" → country:Russia), relative to the words
	// themselves (1). An actor's facet also matches (a paragraph tagged
	// Islamic State matches "ISIS" whatever it calls the group); a country's
	// only adds to paragraphs that match otherwise, so that a paragraph
	// about Russia that says "Moscow" and "hacking" ranks well for
	// "Russian hacking" without every paragraph about Russia matching.
	Entity float64
	// Topic weighs the facet clause for a topic a word names on its own
	// ("hacking" → topic:cyber); like a country's, it only adds.
	Topic float64
	// Kind weighs the facet clause for a kind of actor the words name
	// ("security services" → actor_kind agency, "rebels" → militant).
	Kind float64
	// Alias weighs, inside a concept, the gazetteers' other one-word names
	// for its entity found in the text ("Daesh" and "Isil" for "ISIS",
	// "Britain" for "UK"); they match and are highlighted.
	Alias float64
	// Title bounds the article title's lift: a paragraph's score is
	// multiplied by 1 + Title × (share of the query's concepts in its
	// title). A title can reorder paragraphs that match about equally
	// well, never lift one that matches only common words above one that
	// matches the rarer ones.
	Title float64
	// Proximity multiplies a paragraph's score by 1 + Proximity ×
	// closeness, where closeness is 1 when the concepts it contains are
	// adjacent and falls with the span of the smallest window holding
	// them all.
	Proximity float64
	// Short weighs down, within a page of hits, paragraphs of fewer than
	// ShortTerms terms (headings, one-line fragments, formulas such as
	// "(spoke in Russian)"): their score is multiplied by 1 - Short before
	// the page is reordered. (Marking them in the index and demoting them
	// in the search itself cost more than the whole search.)
	Short float64
	// Compound multiplies a paragraph's score by 1 + Compound × the share
	// of the query's compound words ("far-right", "Iran-Contra": one word
	// the analyser cuts in several terms) whose terms it holds side by
	// side, in order: "far" and "right" apart are common words, not the
	// concept.
	Compound float64
	// FacetCover weighs, in the coverage factor, a concept a paragraph
	// holds only through the facet value it names (tagged cyber without
	// saying "hacking"), relative to one it names in words (1).
	FacetCover float64
	// Article lifts a paragraph whose article is about the query as a
	// whole: its score is multiplied by 1 + Article × min(1, others/3),
	// where others counts the other paragraphs of its article among the
	// best ArticleDepth candidates. An article with several paragraphs
	// about the query is about it; a passing mention stands alone.
	Article float64
	// ArticleDepth is how many of the best candidates Article looks at.
	ArticleDepth int
	// MaxAliases bounds the aliases searched per entity.
	MaxAliases int
	// Brief weighs down, within a page of hits, brief paragraphs of
	// ShortTerms to BriefTerms terms: one sentence that names the query's
	// words in passing ("…violate the rights of refugees and
	// asylum-seekers."), which BM25's length normalisation rates above the
	// paragraphs that discuss them; their score is multiplied by 1 - Brief
	// before the page is reordered.
	Brief float64
	// BriefLen, when positive, replaces BriefTerms (for measuring).
	BriefLen int
	// OtherNames lifts a paragraph that names a concept's actor only by
	// names the text search does not hold: the tagger found the actor
	// ("the Irish Republican Army", "the so-called Islamic State") where
	// the typed words ("IRA", "ISIS") and one-word aliases are absent, so
	// the paragraph matches through the actor's facet alone, which scores
	// far below the words. Its score is multiplied by 1 + OtherNames ×
	// (such concepts)/(concepts). (Searching the multi-word names as
	// phrases cost 3–7× the search time.)
	OtherNames float64
	// Sense multiplies by 1 - Sense × (share of the concepts) the score of
	// a paragraph that holds the words of a concept naming a country or
	// actor without the tagger having found that entity in it: the words
	// are used in another sense there ("Ira Goldstein", an "IRA" savings
	// account for the Irish Republican Army).
	Sense float64
	// Derived weighs, inside a concept, the other forms of its words for
	// the same practice or its agent that the stemmer keeps apart
	// ("hacker" for "hacking", "extremist" for "extremism", "pirate" for
	// "piracy"; see derivations); like aliases, they match, count as the
	// concept in the factors and are highlighted.
	Derived float64
}

// DefaultRanking returns the weights chosen on the judged development set.
func DefaultRanking() Ranking {
	return Ranking{
		AllWords:     2,
		Entity:       0.5,
		Topic:        0.3,
		Kind:         0.5,
		Alias:        0.1,
		Derived:      0.3,
		Sense:        0.3,
		OtherNames:   2,
		Brief:        0.2,
		Title:        0.4,
		Proximity:    1,
		Short:        0.75,
		Compound:     1,
		FacetCover:   1,
		Article:      0.2,
		ArticleDepth: 50,
		MaxAliases:   6,
	}
}

// Understood is what a search made of its query: the facet values its words
// name and the other names searched for them.
type Understood struct {
	Country []string `json:"country,omitempty"`
	Actor   []string `json:"actor,omitempty"`
	Topic   []string `json:"topic,omitempty"`
	// ActorKind holds the kinds of actor the words name ("security
	// services" → agency).
	ActorKind []string `json:"actor_kind,omitempty"`
	// Expansions are the aliases, synonyms and derived forms ("hacker"
	// for "hacking") searched besides the query's words.
	Expansions []string `json:"expansions,omitempty"`
	// Corrections are the query words read as other words ("Tehrn →
	// Tehran"): words the index does not hold, corrected to indexed words
	// one or two edits away.
	Corrections []string `json:"corrections,omitempty"`
}

func (u *Understood) empty() bool {
	return u == nil || len(u.Country)+len(u.Actor)+len(u.Topic)+len(u.ActorKind)+len(u.Expansions)+len(u.Corrections) == 0
}

// concept is one unit of a query's meaning: a word, a phrase, or the words
// that name one entity ("Islamic State"), with the entities they name.
type concept struct {
	text     []query.Query    // clauses on the paragraph text: words or phrase
	words    []string         // the words as typed
	entities []enrich.Mention // facet values named by the words
}

// relevanceQuery is the scoring query of a search and what the scorer needs
// to read its matches.
type relevanceQuery struct {
	q   query.Query
	all bool // the query matches every paragraph
	// match matches the same paragraphs as q without scoring extras
	// (facet and locator clauses): enough to count facets.
	match      query.Query
	understood *Understood
	// terms maps an analysed text term to the concept it stands for, so
	// the scorer can tell which concepts a paragraph holds and where.
	terms map[string]int
	n     int // number of concepts
	// facets maps a facet clause's field and value (facetKey) to the
	// concept it stands for.
	facets map[string]int
	// compounds are the analysed terms of the query's compound words, in
	// order, with their concept.
	compounds []compound
	// flat is set when the query's words are plain words searched flat
	// (anyWordsQuery), each word a concept, under title marks, facet
	// clauses and NOT only: the search may prune (see pruning).
	flat bool
	// lookup finds terms and facets for the scorer, once they are all in.
	lookup conceptLookup
	// named is the set of concepts whose words name a country or actor
	// (namedBy) with a facet clause.
	named uint64
	// actors is the subset of named whose entity is an actor.
	actors uint64
}

// conceptLookup maps terms and facet keys to their concepts. A query has a
// few of each, and the scorer looks up every term location of every
// match: comparing with a few strings is faster than hashing each one.
type conceptLookup struct{ terms, facets keyLookup }

// keyLookup finds a key's concept among a few keys by comparison, or in
// a map when there are many.
type keyLookup struct {
	keys []string
	of   []int
	m    map[string]int
}

// lookupSlice is the most keys a keyLookup compares one by one.
const lookupSlice = 16

func newConceptLookup(terms, facets map[string]int) conceptLookup {
	return conceptLookup{newKeyLookup(terms), newKeyLookup(facets)}
}

func newKeyLookup(m map[string]int) keyLookup {
	if len(m) > lookupSlice {
		return keyLookup{m: m}
	}
	var l keyLookup
	for k, c := range m {
		l.keys, l.of = append(l.keys, k), append(l.of, c)
	}
	return l
}

func (l *keyLookup) get(key string) (int, bool) {
	if l.m != nil {
		c, ok := l.m[key]
		return c, ok
	}
	for i, k := range l.keys {
		if k == key {
			return l.of[i], true
		}
	}
	return 0, false
}

func (l *conceptLookup) term(t string) (int, bool)  { return l.terms.get(t) }
func (l *conceptLookup) facet(f string) (int, bool) { return l.facets.get(f) }

// compound is a query word the analyser cuts in several terms.
type compound struct {
	concept int
	terms   []string
}

// buildQuery turns the request's query into the scoring query (without
// filters). Plain words and phrases are grouped into concepts and, unless
// literal, resolved to facet values and aliases; other syntax is kept as
// bleve parses it. Returns an error wrapping ErrInvalid for a malformed
// query.
func (s *Searcher) buildQuery(q string, literal, typos bool) (*relevanceQuery, error) {
	if t := strings.TrimSpace(q); t == "" || t == "*" {
		all := query.NewMatchAllQuery()
		return &relevanceQuery{q: all, match: all, all: true}, nil
	}
	parsed, err := compileQuery(s, q)
	if err != nil {
		return nil, err
	}
	rq := &relevanceQuery{terms: map[string]int{}, facets: map[string]int{}}
	plain := parsed.plain
	if plain == nil {
		// Syntax beyond plain words: the query's structure, each positive
		// word or phrase on the text a concept for the scorer's factors.
		leaves := slices.DeleteFunc(parsed.leaves, func(l query.Query) bool { return leafText(l) == "" })
		for i, l := range leaves {
			s.addTerms(rq, i, leafText(l))
			if _, ok := l.(*query.MatchQuery); ok {
				s.addCompound(rq, i, leafText(l))
			}
		}
		rq.n = len(leaves)
		rq.q, rq.match = s.withLocators(parsed.q, leaves), parsed.q
		return rq, nil
	}

	rq.understood = &Understood{}
	if typos {
		rq.understood.Corrections = s.correctTypos(plain)
	}
	concepts := s.concepts(plain, literal)
	rq.n = len(concepts)
	// A paragraph matches through the words of a concept or the aliases of
	// its entity; facet clauses only add to the score of paragraphs that
	// match, so that a query naming a country does not match (and score)
	// every paragraph about that country.
	clauses := make([]query.Query, 0, len(concepts))
	var facets, textLeaves []query.Query
	for i, c := range concepts {
		alts := c.text
		for _, w := range c.words {
			s.addTerms(rq, i, w)
			// A compound that names entities ("Iran-Iraq", "Iran-Contra")
			// is made of names, meaningful apart ("arms sales to Iran ...
			// the Contras"); only one of common words ("far-right") needs
			// its parts side by side.
			if !slices.ContainsFunc(c.entities, func(e enrich.Mention) bool {
				return e.Field == enrich.FieldCountry || e.Field == enrich.FieldActor
			}) {
				s.addCompound(rq, i, w)
			}
		}
		textLeaves = append(textLeaves, c.text...)
		if len(alts) > 1 {
			// Several words of one concept: the phrase, and each word
			// alone for paragraphs that word it differently. They add
			// up: a disjunction would divide the score of a paragraph
			// that names the entity by one of the words ("the Houthis"
			// for "Houthi rebels") by the number of clauses.
			alts = []query.Query{&sumQuery{alts: alts, mark: "\x00words" + strconv.Itoa(i)}}
		}
		// Words that name a country or actor have their aliases instead.
		if !literal && !slices.ContainsFunc(c.entities, func(e enrich.Mention) bool {
			return e.Field == enrich.FieldCountry || e.Field == enrich.FieldActor
		}) {
			if der := s.derivationClauses(rq, i, c.words); len(der) > 0 {
				alts = append(alts, weighted(query.NewDisjunctionQuery(der), s.rank.Derived*float64(len(der))))
			}
		}
		if !literal {
			if syn := s.synonymClauses(rq, i, c.words); len(syn) > 0 {
				alts = append(alts, weighted(query.NewDisjunctionQuery(syn), s.rank.Alias*float64(len(syn))))
			}
		}
		for _, e := range c.entities {
			facet, aliases := s.entityClauses(rq, i, e)
			if e.Field == enrich.FieldActor {
				// An actor's paragraphs are few: they match through the
				// facet too ("Islamic State" for "ISIS").
				alts = append(alts, facet...)
			} else {
				facets = append(facets, facet...)
			}
			if len(aliases) > 0 {
				// A disjunction scales its score by the share of its
				// clauses that match; a paragraph names an entity one
				// way, so scale back.
				alts = append(alts, weighted(query.NewDisjunctionQuery(aliases), s.rank.Alias*float64(len(aliases))))
			}
		}
		if len(alts) == 1 {
			clauses = append(clauses, alts[0])
		} else {
			// The typed words weigh the same with or without aliases, and
			// naming the entity two ways does not count twice.
			clauses = append(clauses, &sumQuery{alts: alts, mark: "\x00alt" + strconv.Itoa(i)})
		}
	}
	if rq.understood.empty() {
		rq.understood = nil
	}
	var main query.Query = query.NewDisjunctionQuery(clauses)
	if len(clauses) == 1 {
		main = clauses[0]
	}
	if aw, ok := s.anyWords(index.FieldText, clauses, main); ok && !s.bleveWords {
		main = aw // the same search, done flat
		rq.flat = true
	}
	if len(parsed.not) > 0 {
		main = query.NewBooleanQuery([]query.Query{main}, nil, parsed.not)
	}
	rq.match = main
	if len(facets) > 0 {
		main = optional(main, facets)
	}
	rq.q = s.withLocators(main, textLeaves)
	return rq, nil
}

// leafText returns the words of a word or phrase clause.
func leafText(q query.Query) string {
	switch x := q.(type) {
	case *query.MatchQuery:
		return x.Match
	case *phraseQuery:
		return x.text
	case *nearQuery:
		return x.text
	}
	return ""
}

// concepts groups plain clauses into concepts: the words of one entity
// mention form one concept; every other word or phrase is its own.
func (s *Searcher) concepts(plain []query.Query, literal bool) []concept {
	words := make([]string, len(plain))
	for i, c := range plain {
		words[i] = leafText(c)
	}
	// owner[i] is the concept of clause i; mentions merge clauses.
	owner := make([]int, len(plain))
	for i := range owner {
		owner[i] = i
	}
	var mentions []enrich.Mention
	var mentionOwners [][]int
	if !literal {
		mentions, mentionOwners = s.queryMentions(words)
		taken := make([]bool, len(words))
		for _, owners := range mentionOwners {
			for _, o := range owners {
				taken[o] = true
			}
		}
		kinds, kindOwners := s.kindMentions(words, taken)
		mentions, mentionOwners = append(mentions, kinds...), append(mentionOwners, kindOwners...)
		for _, owners := range mentionOwners {
			if len(owners) == 0 {
				continue // a mention the query's words do not line up with
			}
			for _, o := range owners[1:] {
				from, to := owner[o], owner[owners[0]]
				for k := range owner {
					if owner[k] == from {
						owner[k] = to
					}
				}
			}
		}
	}
	var out []concept
	pos := map[int]int{} // owner → position in out
	for i, c := range plain {
		k, ok := pos[owner[i]]
		if !ok {
			k = len(out)
			pos[owner[i]] = k
			out = append(out, concept{})
		}
		out[k].text = append(out[k].text, c)
		out[k].words = append(out[k].words, words[i])
	}
	for m, owners := range mentionOwners {
		if len(owners) == 0 {
			continue
		}
		k := pos[owner[owners[0]]]
		if !slices.ContainsFunc(out[k].entities, func(e enrich.Mention) bool {
			return e.Field == mentions[m].Field && e.Value == mentions[m].Value
		}) {
			out[k].entities = append(out[k].entities, mentions[m])
		}
	}
	for k := range out {
		if len(out[k].text) > 1 {
			phrase := newPhrase(strings.Join(out[k].words, " "), index.FieldText)
			out[k].text = append([]query.Query{phrase}, out[k].text...)
		}
		// A topic named by the same words as a country or actor ("ISIS" is
		// also terrorism) is less specific than the entity: drop it.
		if slices.ContainsFunc(out[k].entities, func(e enrich.Mention) bool { return e.Field != enrich.FieldTopic }) {
			out[k].entities = slices.DeleteFunc(out[k].entities, func(e enrich.Mention) bool { return e.Field == enrich.FieldTopic })
		}
	}
	return out
}

// namedBy reports whether a mention's words are one of its entity's own
// names (Aliases): "Russian" and "UK" are; "Soviet" (a former state the
// tagger gives its successor, Russia) and "Tehran" (a seat of government)
// are not. Such words keep the entity's facet clause, a small lift, but
// neither its names nor its facet as coverage: a query for "Soviet
// espionage" is not about the Russia of 2024, and a paragraph tagged
// Russia need not say anything Soviet. Topics have no names and are always
// named.
func (s *Searcher) namedBy(e enrich.Mention) bool {
	if e.Field != enrich.FieldCountry && e.Field != enrich.FieldActor {
		return true
	}
	typed := s.analysed(strings.Join(e.Words, " "))
	return slices.ContainsFunc(s.ix.Tagger().Aliases(e.Field, e.Value), func(a string) bool { return s.analysed(a) == typed })
}

// queryMentions finds the entities the query words name and, for each
// mention, the indexes of the words it covers. A query typed without
// capitals is title-cased first, since the gazetteers match proper names
// by case ("iran" → "Iran"; "us" stays the pronoun: "US" must be capitals).
func (s *Searcher) queryMentions(words []string) ([]enrich.Mention, [][]int) {
	text := strings.Join(words, " ")
	if !strings.ContainsFunc(text, unicode.IsUpper) {
		text = titleCase(text)
	}
	mentions := s.ix.Tagger().Mentions(text)
	// The query's tokens, lower case, with the word each comes from.
	type tok struct {
		low  string
		word int
	}
	var toks []tok
	for i, w := range words {
		for _, t := range strings.FieldsFunc(w, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
		}) {
			t = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(t), "'s"), "’s")
			toks = append(toks, tok{t, i})
		}
	}
	owners := make([][]int, len(mentions))
	for m, men := range mentions {
		for start := 0; start+len(men.Words) <= len(toks); start++ {
			match := true
			for j, w := range men.Words {
				if toks[start+j].low != strings.ToLower(w) {
					match = false
					break
				}
			}
			if match {
				for j := range men.Words {
					if o := toks[start+j].word; !slices.Contains(owners[m], o) {
						owners[m] = append(owners[m], o)
					}
				}
				break
			}
		}
	}
	return mentions, owners
}

// entityClauses returns the clauses that stand for an entity inside its
// concept: the facet term, and its one-word aliases on the text ("Daesh",
// "Britain"; phrases would cost a positional search each and the facet
// term already finds the paragraphs that use them), and records them in
// Understood.
func (s *Searcher) entityClauses(rq *relevanceQuery, concept int, e enrich.Mention) (facet, aliases []query.Query) {
	weight := s.rank.Entity
	u := rq.understood
	switch e.Field {
	case enrich.FieldCountry:
		u.Country = appendNew(u.Country, e.Value)
	case enrich.FieldActor:
		u.Actor = appendNew(u.Actor, e.Value)
	case enrich.FieldTopic:
		u.Topic = appendNew(u.Topic, e.Value)
		weight = s.rank.Topic
	case index.FieldActorKind:
		u.ActorKind = appendNew(u.ActorKind, e.Value)
		weight = s.rank.Kind
	}
	named := s.namedBy(e)
	if weight > 0 {
		t := query.NewTermQuery(e.Value)
		t.SetField(e.Field)
		t.SetBoost(weight)
		key := facetKey(e.Field, e.Value)
		// A paragraph tagged with the entity covers the concept only when
		// the words are one of its names.
		if _, ok := rq.facets[key]; !ok && named {
			rq.facets[key] = concept
		}
		if named && concept < 64 && (e.Field == enrich.FieldCountry || e.Field == enrich.FieldActor) {
			rq.named |= 1 << concept
		}
		if named && concept < 64 && e.Field == enrich.FieldActor {
			rq.actors |= 1 << concept
		}
		facet = append(facet, &markedQuery{t, search.FieldTermLocation{Field: e.Field, Term: key}})
	}
	if s.rank.Alias <= 0 || !named {
		return facet, nil
	}
	// Aliases are compared as the index sees them: "Russians" adds
	// nothing to a typed "Russian".
	seen := map[string]bool{s.analysed(strings.Join(e.Words, " ")): true}
	for _, a := range s.ix.Tagger().Aliases(e.Field, e.Value) {
		words := strings.Fields(a)
		key := s.analysed(a)
		// One word the analyser cuts in several terms ("al-Tawhid",
		// "Congo-Kinshasa") would match any of them ("al") as a word query:
		// left to the facet term.
		if seen[key] || key == "" || len(words) != 1 || len(a) < 2 || strings.Contains(key, " ") {
			continue
		}
		seen[key] = true
		m := query.NewMatchQuery(a)
		m.SetField(index.FieldText)
		aliases = append(aliases, m)
		u.Expansions = append(u.Expansions, a)
		s.addTerms(rq, concept, a)
		if len(aliases) == s.rank.MaxAliases {
			break
		}
	}
	return facet, aliases
}

// synonymClauses returns the text clauses of the user's synonyms of a
// concept's words (the whole concept, or each of its words) and records
// them in Understood.
func (s *Searcher) synonymClauses(rq *relevanceQuery, concept int, words []string) []query.Query {
	if len(s.synonyms) == 0 || s.rank.Alias <= 0 {
		return nil
	}
	keys := []string{s.analysed(strings.Join(words, " "))}
	if len(words) > 1 {
		for _, w := range words {
			keys = append(keys, s.analysed(w))
		}
	}
	var out []query.Query
	for _, k := range keys {
		for _, syn := range s.synonyms[k] {
			var q query.Query
			if strings.Contains(syn, " ") {
				q = newPhrase(syn, index.FieldText)
			} else {
				m := query.NewMatchQuery(syn)
				m.SetField(index.FieldText)
				q = m
			}
			out = append(out, q)
			rq.understood.Expansions = appendNew(rq.understood.Expansions, syn)
			s.addTerms(rq, concept, syn)
		}
	}
	return out
}

// facetKey names a facet value in relevanceQuery.facets and in the term
// locations markedQuery records.
func facetKey(field, value string) string { return field + "\x00" + value }

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// analysed returns the terms the text field indexes for text, joined by
// spaces.
func (s *Searcher) analysed(text string) string {
	toks := s.analyzer.Analyze([]byte(text))
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = string(t.Term)
	}
	return strings.Join(terms, " ")
}

// addTerms maps the analysed terms of text to concept i.
func (s *Searcher) addTerms(rq *relevanceQuery, i int, text string) {
	if s.analyzer == nil {
		return
	}
	for _, tok := range s.analyzer.Analyze([]byte(text)) {
		if _, ok := rq.terms[string(tok.Term)]; !ok {
			rq.terms[string(tok.Term)] = i
		}
	}
}

// addCompound records word as a compound of concept i if the analyser cuts
// it in several terms.
func (s *Searcher) addCompound(rq *relevanceQuery, i int, word string) {
	if s.analyzer == nil || s.rank.Compound <= 0 || strings.ContainsFunc(word, unicode.IsSpace) {
		return // a phrase matches its words side by side anyway
	}
	toks := s.analyzer.Analyze([]byte(word))
	if len(toks) < 2 {
		return
	}
	c := compound{concept: i}
	for _, t := range toks {
		c.terms = append(c.terms, string(t.Term))
	}
	rq.compounds = append(rq.compounds, c)
}

// locatorWeight weighs the clause that exists only so the scorer sees where
// the query matches the title: small enough to leave the score to the text.
const locatorWeight = 1e-6

// withLocators makes q report which of its text leaves a match's title
// holds (for Ranking.Title): the words' terms as title marks (titleQuery),
// a phrase by an optional clause on the title, weighted so that it reports
// locations without scoring.
func (s *Searcher) withLocators(q query.Query, leaves []query.Query) query.Query {
	if s.rank.Title <= 0 {
		return q
	}
	var locators []query.Query
	var terms []string // of the words, marked by titleQuery
	for _, l := range leaves {
		switch x := l.(type) {
		case *query.MatchQuery:
			for _, tok := range s.analyzer.Analyze([]byte(x.Match)) {
				if t := string(tok.Term); !slices.Contains(terms, t) {
					terms = append(terms, t)
				}
			}
		case *phraseQuery:
			locators = append(locators, newPhrase(x.text, index.FieldTitle))
		}
	}
	if len(locators) > 0 {
		q = optional(q, []query.Query{weighted(query.NewDisjunctionQuery(locators), locatorWeight)})
	}
	if len(terms) > 0 {
		q = &titleQuery{q, terms}
	}
	return q
}

// scorer returns the score function of a relevance search: the BM25 score
// of the clauses times the coverage, title and proximity factors.
//
// It returns a constructor: each bleve searcher built from the query gets
// its own function with its own scratch space (the facet searches of one
// request run concurrently).
func (s *Searcher) scorer(rq *relevanceQuery) func() func(*search.DocumentMatch) float64 {
	rank := s.rank
	n := min(rq.n, 64) // concepts beyond 64 are ignored
	rq.lookup = newConceptLookup(rq.terms, rq.facets)
	return func() func(*search.DocumentMatch) float64 {
		var hits []posConcept
		count := make([]int, n)
		return func(d *search.DocumentMatch) float64 {
			if n == 0 {
				return d.Score
			}
			return rank.factors(d, rq, n, &hits, count)
		}
	}
}

// factors returns d's score times the coverage, title, proximity and
// compound factors; hits and count are scratch space. Facet clauses
// (markedQuery) report the facet values d matched as term locations.
func (rank *Ranking) factors(d *search.DocumentMatch, rq *relevanceQuery, n int, scratch *[]posConcept, count []int) float64 {
	lookup := &rq.lookup
	var inTitle, inText, inFacet uint64 // concept bit sets
	hits := (*scratch)[:0]
	for _, ftl := range d.FieldTermLocations {
		if ftl.Field != index.FieldTitle && ftl.Field != index.FieldText {
			if c, ok := lookup.facet(ftl.Term); ok && c < n {
				inFacet |= 1 << c
			}
			continue
		}
		c, ok := lookup.term(ftl.Term)
		if !ok || c >= n {
			continue
		}
		switch ftl.Field {
		case index.FieldTitle:
			inTitle |= 1 << c
		case index.FieldText:
			inText |= 1 << c
			if n > 1 {
				hits = append(hits, posConcept{int(ftl.Location.Pos), c})
			}
		}
	}
	*scratch = hits
	score := d.Score
	covered := bits.OnesCount64(inText)
	// A concept counts as covered through its facet too: a paragraph
	// tagged with topic cyber covers "hacking" whatever it calls it.
	if rank.AllWords > 0 && n > 1 {
		facet := bits.OnesCount64(inFacet &^ inText)
		if got := float64(covered) + rank.FacetCover*float64(facet); got > 1 {
			score *= 1 + rank.AllWords*(got-1)/float64(n-1)
		}
	}
	// The words of an entity in a paragraph the tagger did not give the
	// entity are another sense of them.
	if rank.Sense > 0 {
		if other := bits.OnesCount64(rq.named & inText &^ inFacet); other > 0 {
			score *= 1 - rank.Sense*float64(other)/float64(n)
		}
	}
	// An actor named only by names the text search does not hold.
	if rank.OtherNames > 0 {
		if only := bits.OnesCount64(rq.actors & inFacet &^ inText); only > 0 {
			score *= 1 + rank.OtherNames*float64(only)/float64(n)
		}
	}
	if rank.Title > 0 && inTitle != 0 {
		score *= 1 + rank.Title*float64(bits.OnesCount64(inTitle))/float64(n)
	}
	if rank.Proximity > 0 && n > 1 && covered > 1 {
		score *= 1 + rank.Proximity*closeness(hits, covered, count)*float64(covered-1)/float64(n-1)
	}
	if rank.Compound > 0 && len(rq.compounds) > 0 {
		var together float64
		for _, c := range rq.compounds {
			if adjacent(d.FieldTermLocations, c.terms) {
				together++
			}
		}
		score *= 1 + rank.Compound*together/float64(len(rq.compounds))
	}
	return score
}

// adjacent reports whether the text holds terms side by side, in order.
func adjacent(locs []search.FieldTermLocation, terms []string) bool {
	for _, first := range locs {
		if first.Field != index.FieldText || first.Term != terms[0] {
			continue
		}
		found := true
		for j, t := range terms[1:] {
			if !slices.ContainsFunc(locs, func(l search.FieldTermLocation) bool {
				return l.Field == index.FieldText && l.Term == t && l.Location.Pos == first.Location.Pos+uint64(j+1)
			}) {
				found = false
				break
			}
		}
		if found {
			return true
		}
	}
	return false
}

type posConcept struct{ pos, concept int }

// closeness is (k-1)/span for the smallest window of positions holding all
// k distinct concepts among hits: 1 when they are adjacent. count is
// scratch space, one slot per concept.
func closeness(hits []posConcept, k int, count []int) float64 {
	slices.SortFunc(hits, func(a, b posConcept) int { return a.pos - b.pos })
	clear(count)
	best := -1
	have, lo := 0, 0
	for hi, h := range hits {
		if count[h.concept] == 0 {
			have++
		}
		count[h.concept]++
		for have == k {
			if span := hits[hi].pos - hits[lo].pos; best < 0 || span < best {
				best = span
			}
			count[hits[lo].concept]--
			if count[hits[lo].concept] == 0 {
				have--
			}
			lo++
		}
	}
	if best <= 0 {
		return 0
	}
	return min(1, float64(k-1)/float64(best))
}

// textAnalyzer returns the analyzer of the text field.
func textAnalyzer(ix *index.Index) analysis.Analyzer {
	m := ix.Bleve().Mapping()
	return m.AnalyzerNamed(m.AnalyzerNameForPath(index.FieldText))
}

// bm25Stats returns the collection statistics BM25 scores with: the
// document count and, per field, a total length whose ratio to it is the
// field's average length. bleve would otherwise take the number of
// distinct terms for the total, which makes every paragraph look many
// times longer than average and lets one-line fragments outrank
// substantive paragraphs. nil (bleve's own) while the index cannot say.
func (s *Searcher) bm25Stats() (map[string]any, error) {
	lengths, err := s.ix.Lengths()
	if err != nil || lengths.Text == 0 {
		return nil, err
	}
	n, err := s.ix.Bleve().DocCount()
	if err != nil || n == 0 {
		return nil, err
	}
	card := make(map[string]int, len(queryFields)+2)
	// "*" and "_id" are what bleve names the field of match-all and
	// document id searchers.
	for _, f := range append([]string{"*", "_id"}, queryFields...) {
		card[f] = int(n) // average length 1: one keyword value
	}
	card[index.FieldText] = int(lengths.Text * float64(n))
	card[index.FieldTitle] = int(lengths.Title * float64(n))
	return map[string]any{search.BM25PreSearchDataKey: &search.BM25Stats{DocCount: float64(n), FieldCardinality: card}}, nil
}

// ShortTerms is the length in terms (index.CountTerms) below which a
// paragraph is short for Ranking.Short.
const ShortTerms = 8

// BriefTerms is the length in terms below which a paragraph of at least
// ShortTerms is brief for Ranking.Brief.
const BriefTerms = 16

// demoteShort lowers the score of short paragraphs in a page of hits and
// reorders the page, keeping the order of the others.
func (s *Searcher) demoteShort(hits []Hit) {
	if s.rank.Short <= 0 && s.rank.Brief <= 0 {
		return
	}
	briefTerms := BriefTerms
	if s.rank.BriefLen > 0 {
		briefTerms = s.rank.BriefLen
	}
	demoted := false
	for i := range hits {
		switch n := index.CountTerms(hits[i].Text); {
		case n < ShortTerms && s.rank.Short > 0:
			hits[i].Score *= 1 - s.rank.Short
			demoted = true
		case n < briefTerms && s.rank.Brief > 0:
			hits[i].Score *= 1 - s.rank.Brief
			demoted = true
		}
	}
	if demoted {
		slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	}
}

// articleContext multiplies the score of each hit by the article factor
// (Ranking.Article) and reorders the hits. The hits are the best
// candidates of the search; their ids name their article
// (index.ChunkID), so nothing is read from the index.
func (s *Searcher) articleContext(hits search.DocumentMatchCollection) {
	others := make(map[string]int, len(hits))
	for _, h := range hits {
		others[articleOf(h.ID)]++
	}
	for _, h := range hits {
		h.Score *= 1 + s.rank.Article*min(1, float64(others[articleOf(h.ID)]-1)/3)
	}
	// Equal scores (paragraphs matched through a facet alone score alike)
	// are ordered by id: the candidates' ids are at hand, and the index's
	// natural order depends on how ingest batches were cut.
	slices.SortFunc(hits, func(a, b *search.DocumentMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
}
