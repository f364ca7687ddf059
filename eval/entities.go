package eval

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// TagEntities tags the records' paragraphs as the indexer does: each
// article whole, title first, paragraphs made by index.Split at the
// default chunk size, so that names introduced earlier in the article
// resolve as they would in the index. articles maps article ids to the
// articles (read from the corpora). It returns one Facets per record, in
// order, and how many records were tagged without their article (not in
// articles): those are tagged with their title and the set's paragraphs of
// the same article, in id order.
//
// It returns an error if a record's paragraph number is past the end of
// its article or its text is no longer that paragraph (the corpus or the
// splitter changed: resample).
func TagEntities(tg *enrich.Tagger, recs []EntityRecord, articles map[string]index.Article) ([]enrich.Facets, int, error) {
	out := make([]enrich.Facets, len(recs))
	byArticle := map[string][]int{}
	var order []string
	for i, r := range recs {
		aid, _, err := splitChunkID(r.ID)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %w", ErrEntitySet, err)
		}
		if _, ok := byArticle[aid]; !ok {
			order = append(order, aid)
		}
		byArticle[aid] = append(byArticle[aid], i)
	}
	missing := 0
	for _, aid := range order {
		idx := byArticle[aid]
		a, ok := articles[aid]
		if !ok {
			slices.SortFunc(idx, func(x, y int) int { return compareChunkIDs(recs[x].ID, recs[y].ID) })
			paras := make([]string, len(idx))
			for k, i := range idx {
				paras[k] = recs[i].Text
			}
			facets := tg.Tag(recs[idx[0]].Title, paras)
			for k, i := range idx {
				out[i] = facets[k]
			}
			missing += len(idx)
			continue
		}
		paras := index.Split(a.Body, index.DefaultMaxChunk)
		facets := tg.Tag(a.Title, paras)
		for _, i := range idx {
			_, n, _ := splitChunkID(recs[i].ID)
			if n > len(paras) {
				return nil, 0, fmt.Errorf("%w: %s: article %s has %d paragraphs", ErrEntitySet, recs[i].ID, aid, len(paras))
			}
			if recs[i].Text != "" && recs[i].Text != paras[n-1] {
				return nil, 0, fmt.Errorf("%w: %s: the text is no longer paragraph %d of the article (corpus or splitter changed; resample)", ErrEntitySet, recs[i].ID, n)
			}
			out[i] = facets[n-1]
		}
	}
	return out, missing, nil
}

// EntityArticles reads the articles under paths (as briefsearch ingest
// reads them) and keeps those the records belong to. Files that cannot be
// read, or records in them that are bad, are returned as errors beside the
// articles that could be read; the records of a missing article are then
// tagged without it (see TagEntities).
func EntityArticles(recs []EntityRecord, paths ...string) (map[string]index.Article, []error) {
	want := map[string]bool{}
	for _, r := range recs {
		if aid, _, err := splitChunkID(r.ID); err == nil {
			want[aid] = true
		}
	}
	out := map[string]index.Article{}
	var errs []error
	_ = index.Walk(paths, func(path string, articles []index.Article, e []error) error {
		for _, a := range articles {
			if want[a.ID] {
				out[a.ID] = a
			}
		}
		for _, err := range e {
			errs = append(errs, fmt.Errorf("read articles: %w", err))
		}
		return nil
	})
	return out, errs
}

// Counts are the matches of one facet, summed over paragraphs
// (micro-averaged).
type Counts struct {
	TP, FP, FN int
}

// Precision is TP / (TP + FP), 0 when nothing was tagged.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP / (TP + FN), 0 when there is no gold value.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (c *Counts) add(o Counts) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// EntityError is one gold value the tagger missed or one value it tagged
// that is not gold, with how often and where.
type EntityError struct {
	Value string // the gold name (a miss) or the tagged value (a false positive)
	Kind  string // the gold kind of a missed actor
	Count int
	IDs   []string // the paragraphs, in set order
}

// EntityReport holds the scores of a tagger on an entity set.
type EntityReport struct {
	Paragraphs int
	// WithoutContext counts the paragraphs tagged without their article
	// (see TagEntities).
	WithoutContext int
	// Facets holds the counts per facet: FieldCountry, FieldActor and,
	// when the set annotates topics, FieldTopic.
	Facets map[string]Counts
	// TopicsAnnotated is true when every record has topics.
	TopicsAnnotated bool
	// Kinds holds, per gold actor kind, the gold actors found (TP) and
	// missed (FN); the tagger's false positives have no gold kind.
	Kinds map[string]Counts
	// Topics holds the counts per topic slug.
	Topics map[string]Counts
	// Corpora holds the country and actor counts per corpus.
	Corpora map[string]map[string]Counts
	// Misses and FalsePositives are keyed by facet field, then by
	// normalised value.
	Misses, FalsePositives map[string]map[string]*EntityError
}

// EntityMatcher compares gold names with tagged values: case- and
// accent-insensitively, after resolving gold names through the tagger's
// gazetteers, so that a gold "ISIL" equals a tagged "Islamic State" when
// the gazetteer knows the alias.
type EntityMatcher struct {
	tg *enrich.Tagger
}

// NewEntityMatcher returns a matcher that resolves names with tg's
// gazetteers (nil: no resolution, names compare as written).
func NewEntityMatcher(tg *enrich.Tagger) *EntityMatcher { return &EntityMatcher{tg: tg} }

// Resolve returns the canonical value the tagger's gazetteer gives to the
// whole of name in field (enrich.FieldCountry or enrich.FieldActor), or
// name itself when no single gazetteer entry names all of it.
func (m *EntityMatcher) Resolve(field, name string) string {
	if m == nil || m.tg == nil {
		return name
	}
	want := FoldName(name)
	for _, mt := range m.tg.Mentions(name) {
		if mt.Field == field && FoldName(strings.Join(mt.Words, " ")) == want {
			return mt.Value
		}
	}
	return name
}

// keys returns the folded forms a gold value matches: the name and its
// aliases, each as written and as resolved.
func (m *EntityMatcher) keys(field, name string, aliases []string) []string {
	var ks []string
	for _, n := range append([]string{name}, aliases...) {
		for _, k := range []string{FoldName(n), FoldName(m.Resolve(field, n))} {
			if !slices.Contains(ks, k) {
				ks = append(ks, k)
			}
		}
	}
	return ks
}

// FoldName is the form names are compared in: lower case, accents removed,
// every run of characters other than letters and digits one space, trimmed
// ("Al-Qaeda's" and "al Qaeda’s" fold alike; "António Guterres" is
// "antonio guterres").
func FoldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		var rep string
		switch r = foldRune(r); r {
		case 'ß':
			rep = "ss"
		case 'æ':
			rep = "ae"
		case 'œ':
			rep = "oe"
		case '\'', '’', '.':
			continue // "Hay'at" is "hayat", "U.S." is "us"
		default:
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				space = true
				continue
			}
			rep = string(r)
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(rep)
	}
	return b.String()
}

// foldRune lowers r and removes its diacritics (Latin letters).
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0xC0 {
		return r
	}
	if b, ok := latinBase[r]; ok {
		return b
	}
	return r
}

// latinBase maps accented Latin letters (lower case) to their base letter.
var latinBase = func() map[rune]rune {
	m := map[rune]rune{}
	for base, letters := range map[rune]string{
		'a': "àáâãäåāăąǎạảấầẩẫậắằẳẵặ",
		'c': "çćĉċč",
		'd': "ďđð",
		'e': "èéêëēĕėęěẹẻẽếềểễệ",
		'g': "ĝğġģ",
		'h': "ĥħ",
		'i': "ìíîïĩīĭįıǐỉị",
		'j': "ĵ",
		'k': "ķ",
		'l': "ĺļľŀł",
		'n': "ñńņňŉ",
		'o': "òóôõöøōŏőǒọỏốồổỗộớờởỡợ",
		'r': "ŕŗř",
		's': "śŝşšș",
		't': "ţťŧț",
		'u': "ùúûüũūŭůűųǔụủứừửữự",
		'w': "ŵ",
		'y': "ýÿŷỳỵỷỹ",
		'z': "źżž",
	} {
		for _, l := range letters {
			m[l] = base
		}
	}
	return m
}()

// ScoreEntities scores tagged (one Facets per record, as TagEntities
// returns) against the records' gold annotations. Per paragraph, each
// gold value matches at most one tagged value and the other way round;
// counts are summed over paragraphs (micro-average). Actors match when a
// tagged value folds (FoldName) to the gold name or one of its aliases,
// each also resolved through the tagger's gazetteer (EntityMatcher);
// countries likewise; topics compare as slugs. Topics are scored only when
// every record has them.
func ScoreEntities(m *EntityMatcher, recs []EntityRecord, tagged []enrich.Facets) *EntityReport {
	r := &EntityReport{
		Paragraphs:      len(recs),
		Facets:          map[string]Counts{},
		Kinds:           map[string]Counts{},
		Topics:          map[string]Counts{},
		Corpora:         map[string]map[string]Counts{},
		Misses:          map[string]map[string]*EntityError{},
		FalsePositives:  map[string]map[string]*EntityError{},
		TopicsAnnotated: len(recs) > 0,
	}
	for _, rec := range recs {
		if rec.Topics == nil {
			r.TopicsAnnotated = false
		}
	}
	for i, rec := range recs {
		var got enrich.Facets
		if i < len(tagged) {
			got = tagged[i]
		}
		if r.Corpora[rec.Corpus] == nil {
			r.Corpora[rec.Corpus] = map[string]Counts{}
		}
		// Countries.
		var gc []gold
		for _, c := range dedupe(rec.Countries) {
			gc = append(gc, gold{name: c, keys: m.keys(enrich.FieldCountry, c, nil)})
		}
		c := r.match(enrich.FieldCountry, rec.ID, gc, got.Country)
		r.addFacet(enrich.FieldCountry, rec.Corpus, c)
		// Actors.
		var ga []gold
		seen := map[string]bool{}
		for _, a := range rec.Actors {
			// Two gold names the gazetteer resolves to one value ("Unit
			// 29155" and "GRU") are one actor for the tagger.
			k := FoldName(m.Resolve(enrich.FieldActor, a.Name))
			if seen[k] {
				continue
			}
			seen[k] = true
			keys := m.keys(enrich.FieldActor, a.Name, a.Aliases)
			ga = append(ga, gold{name: a.Name, kind: a.Kind, keys: keys})
		}
		c = r.match(enrich.FieldActor, rec.ID, ga, got.Actor)
		r.addFacet(enrich.FieldActor, rec.Corpus, c)
		// Topics.
		if r.TopicsAnnotated {
			var gt []gold
			for _, t := range dedupe(rec.Topics) {
				gt = append(gt, gold{name: t, kind: t, keys: []string{FoldName(t)}})
			}
			c = r.match(enrich.FieldTopic, rec.ID, gt, got.Topic)
			r.addFacet(enrich.FieldTopic, "", c)
		}
	}
	return r
}

// gold is one gold value of a paragraph with the folded keys it matches.
type gold struct {
	name, kind string
	keys       []string
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if k := FoldName(v); !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// match pairs gold values with tagged values of one paragraph and records
// the misses and false positives.
func (r *EntityReport) match(field, id string, golds []gold, tagged []string) Counts {
	var c Counts
	used := make([]bool, len(tagged))
	folded := make([]string, len(tagged))
	for j, t := range tagged {
		folded[j] = FoldName(t)
	}
	for _, g := range golds {
		hit := -1
		for j := range tagged {
			if !used[j] && slices.Contains(g.keys, folded[j]) {
				hit = j
				break
			}
		}
		perKind := field == enrich.FieldActor
		// tally adds to the per-kind and per-topic counts what add adds.
		tally := func(add func(*Counts)) {
			if perKind {
				k := r.Kinds[g.kind]
				add(&k)
				r.Kinds[g.kind] = k
			}
			if field == enrich.FieldTopic {
				t := r.Topics[g.name]
				add(&t)
				r.Topics[g.name] = t
			}
		}
		if hit >= 0 {
			used[hit] = true
			c.TP++
			tally(func(c *Counts) { c.TP++ })
			continue
		}
		c.FN++
		tally(func(c *Counts) { c.FN++ })
		kind := ""
		if perKind {
			kind = g.kind
		}
		note(r.Misses, field, g.name, kind, id)
	}
	seen := map[string]bool{}
	for j, t := range tagged {
		if used[j] || seen[folded[j]] {
			continue
		}
		seen[folded[j]] = true
		c.FP++
		if field == enrich.FieldTopic {
			tc := r.Topics[t]
			tc.FP++
			r.Topics[t] = tc
		}
		note(r.FalsePositives, field, t, "", id)
	}
	return c
}

func note(m map[string]map[string]*EntityError, field, value, kind, id string) {
	if m[field] == nil {
		m[field] = map[string]*EntityError{}
	}
	k := FoldName(value)
	e := m[field][k]
	if e == nil {
		e = &EntityError{Value: value, Kind: kind}
		m[field][k] = e
	}
	e.Count++
	e.IDs = append(e.IDs, id)
}

func (r *EntityReport) addFacet(field, corpus string, c Counts) {
	f := r.Facets[field]
	f.add(c)
	r.Facets[field] = f
	if corpus != "" {
		pc := r.Corpora[corpus][field]
		pc.add(c)
		r.Corpora[corpus][field] = pc
	}
}

// Top returns the n most frequent errors of a field from m (Misses or
// FalsePositives), most frequent first, then by value.
func Top(m map[string]map[string]*EntityError, field string, n int) []EntityError {
	var out []EntityError
	for _, e := range m[field] {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b EntityError) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// kindGroup sums the counts of the person kind (people) or of every other
// kind (organisations).
func (r *EntityReport) kindGroup(people bool) Counts {
	var c Counts
	for k, kc := range r.Kinds {
		if (k == "person") == people {
			c.add(kc)
		}
	}
	return c
}

// Write writes the report as Markdown: precision, recall and F1 per facet,
// recall per actor kind, scores per corpus (and per topic when topics are
// annotated), then the top most frequent misses and false positives of
// actors and countries.
func (r *EntityReport) Write(w io.Writer, top int) {
	fmt.Fprintf(w, "%d paragraphs", r.Paragraphs)
	if r.WithoutContext > 0 {
		fmt.Fprintf(w, " (%d tagged without their article: not found in the corpus)", r.WithoutContext)
	}
	fmt.Fprintln(w, ", scored per paragraph, micro-averaged.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| facet | gold | tagged | precision | recall | F1 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	row := func(name string, c Counts) {
		fmt.Fprintf(w, "| %s | %d | %d | %.3f | %.3f | %.3f |\n", name, c.TP+c.FN, c.TP+c.FP, c.Precision(), c.Recall(), c.F1())
	}
	row("country", r.Facets[enrich.FieldCountry])
	row("actor", r.Facets[enrich.FieldActor])
	for _, g := range []struct {
		name   string
		people bool
	}{{"actor: organisations", false}, {"actor: people", true}} {
		c := r.kindGroup(g.people)
		fmt.Fprintf(w, "| %s | %d | | | %.3f | |\n", g.name, c.TP+c.FN, c.Recall())
	}
	if r.TopicsAnnotated {
		row("topic", r.Facets[enrich.FieldTopic])
	} else {
		fmt.Fprintln(w, "| topic | not annotated | | | | |")
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "| actor kind (gold) | gold | found | recall |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, k := range slices.Sorted(maps.Keys(r.Kinds)) {
		c := r.Kinds[k]
		fmt.Fprintf(w, "| %s | %d | %d | %.3f |\n", k, c.TP+c.FN, c.TP, c.Recall())
	}

	if len(r.Corpora) > 1 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| corpus | country P | country R | country F1 | actor P | actor R | actor F1 |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
		for _, name := range slices.Sorted(maps.Keys(r.Corpora)) {
			cc, ac := r.Corpora[name][enrich.FieldCountry], r.Corpora[name][enrich.FieldActor]
			fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", name,
				cc.Precision(), cc.Recall(), cc.F1(), ac.Precision(), ac.Recall(), ac.F1())
		}
	}
	if r.TopicsAnnotated {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| topic | gold | tagged | precision | recall | F1 |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
		for _, t := range slices.Sorted(maps.Keys(r.Topics)) {
			row(t, r.Topics[t])
		}
	}

	list := func(title string, m map[string]map[string]*EntityError, field string, withKind bool) {
		errs := Top(m, field, top)
		fmt.Fprintf(w, "\n%s (%d distinct):\n\n", title, len(m[field]))
		if len(errs) == 0 {
			fmt.Fprintln(w, "none")
			return
		}
		if withKind {
			fmt.Fprintln(w, "| n | value | kind | paragraphs |")
			fmt.Fprintln(w, "|---:|---|---|---|")
		} else {
			fmt.Fprintln(w, "| n | value | paragraphs |")
			fmt.Fprintln(w, "|---:|---|---|")
		}
		for _, e := range errs {
			ids := e.IDs
			more := ""
			if len(ids) > 3 {
				ids, more = ids[:3], fmt.Sprintf(" +%d", len(e.IDs)-3)
			}
			if withKind {
				fmt.Fprintf(w, "| %d | %s | %s | %s%s |\n", e.Count, e.Value, e.Kind, strings.Join(ids, " "), more)
			} else {
				fmt.Fprintf(w, "| %d | %s | %s%s |\n", e.Count, e.Value, strings.Join(ids, " "), more)
			}
		}
	}
	list("Most frequent actor misses (gold, not tagged)", r.Misses, enrich.FieldActor, true)
	list("Most frequent actor false positives (tagged, not gold)", r.FalsePositives, enrich.FieldActor, false)
	list("Most frequent country misses", r.Misses, enrich.FieldCountry, false)
	list("Most frequent country false positives", r.FalsePositives, enrich.FieldCountry, false)
}
