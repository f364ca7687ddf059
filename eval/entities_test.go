package eval_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/briefsearch/briefsearch/eval"
	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// Floors of TestFixtureEntities: a little under the tagger's figures on the
// fixtures when they were set (README in testdata/entities). Raise them
// when the tagger improves; a drop below them fails make test.
const (
	floorCountryPrecision = 0.97
	floorCountryRecall    = 0.98
	floorActorPrecision   = 0.95
	floorActorRecall      = 0.82
)

// TestFixtureEntities is the quick version of make eval-entities: the
// annotated fixture paragraphs, tagged with their articles from
// testdata/corpus. It fails if country or actor precision or recall falls
// below the floors.
func TestFixtureEntities(t *testing.T) {
	recs, err := eval.LoadEntities("../testdata/entities/fixtures.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	articles, errs := eval.EntityArticles(recs, "../testdata/corpus")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tg, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tagged, missing, err := eval.TagEntities(tg, recs, articles)
	if err != nil {
		t.Fatal(err)
	}
	if missing > 0 {
		t.Errorf("%d fixture paragraphs have no article in testdata/corpus", missing)
	}
	r := eval.ScoreEntities(eval.NewEntityMatcher(tg), recs, tagged)
	var out strings.Builder
	r.Write(&out, 10)
	t.Logf("fixture entities:\n%s", out.String())
	for _, c := range []struct {
		name  string
		got   float64
		floor float64
	}{
		{"country precision", r.Facets[enrich.FieldCountry].Precision(), floorCountryPrecision},
		{"country recall", r.Facets[enrich.FieldCountry].Recall(), floorCountryRecall},
		{"actor precision", r.Facets[enrich.FieldActor].Precision(), floorActorPrecision},
		{"actor recall", r.Facets[enrich.FieldActor].Recall(), floorActorRecall},
	} {
		if c.got < c.floor {
			t.Errorf("%s %.3f < floor %.2f (see the misses and false positives in the log)", c.name, c.got, c.floor)
		}
	}
}

// TestEntitySetsLoad checks that both annotated sets parse and are
// complete.
func TestEntitySetsLoad(t *testing.T) {
	for _, name := range []string{"../testdata/entities/dev.jsonl", "../testdata/entities/fixtures.jsonl"} {
		recs, err := eval.LoadEntities(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) < 240 {
			t.Errorf("%s: %d records, want at least 240", name, len(recs))
		}
		for _, r := range recs {
			if r.Topics == nil {
				t.Errorf("%s: %s has no topics annotated", name, r.ID)
			}
		}
	}
}

func TestFoldName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"António Guterres", "antonio guterres"},
		{"Al-Qaeda's", "al qaedas"},
		{"al Qaeda", "al qaeda"},
		{"U.S. Navy", "us navy"},
		{"Hay'at Tahrir al-Sham", "hayat tahrir al sham"},
		{"  Recep Tayyip  Erdoğan ", "recep tayyip erdogan"},
		{"Säpo", "sapo"},
		{"Straße", "strasse"},
		{"Ålesund–Łódź", "alesund lodz"},
		{"", ""},
	} {
		if got := eval.FoldName(c.in); got != c.want {
			t.Errorf("FoldName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScoreEntities(t *testing.T) {
	rec := func(id, corpus string, countries []string, actors []eval.GoldActor, topics []string) eval.EntityRecord {
		return eval.EntityRecord{ID: id, Corpus: corpus, Text: "text", Countries: countries, Actors: actors, Topics: topics}
	}
	person := func(name string, aliases ...string) eval.GoldActor {
		return eval.GoldActor{Name: name, Kind: "person", Aliases: aliases}
	}
	org := func(name, kind string) eval.GoldActor { return eval.GoldActor{Name: name, Kind: kind} }
	for _, c := range []struct {
		name                  string
		recs                  []eval.EntityRecord
		tagged                []enrich.Facets
		country, actor, topic eval.Counts
		kinds                 map[string]eval.Counts
		topicsAnnotated       bool
	}{
		{
			name: "exact matches",
			recs: []eval.EntityRecord{rec("a#1", "x", []string{"Iran"}, []eval.GoldActor{org("MI5", "agency")}, []string{"espionage"})},
			tagged: []enrich.Facets{{Country: []string{"Iran"}, Actor: []string{"MI5"},
				Topic: []string{"espionage"}}},
			country: eval.Counts{TP: 1}, actor: eval.Counts{TP: 1}, topic: eval.Counts{TP: 1},
			kinds:           map[string]eval.Counts{"agency": {TP: 1}},
			topicsAnnotated: true,
		},
		{
			name:   "case and accents fold",
			recs:   []eval.EntityRecord{rec("a#1", "x", nil, []eval.GoldActor{person("António Guterres")}, []string{})},
			tagged: []enrich.Facets{{Actor: []string{"antonio GUTERRES"}}},
			actor:  eval.Counts{TP: 1}, kinds: map[string]eval.Counts{"person": {TP: 1}},
			topicsAnnotated: true,
		},
		{
			name:   "a gold alias matches",
			recs:   []eval.EntityRecord{rec("a#1", "x", nil, []eval.GoldActor{person("Moamer Kadhafi", "Muammar Gaddafi")}, nil)},
			tagged: []enrich.Facets{{Actor: []string{"Muammar Gaddafi"}}},
			actor:  eval.Counts{TP: 1}, kinds: map[string]eval.Counts{"person": {TP: 1}},
		},
		{
			name: "misses and false positives",
			recs: []eval.EntityRecord{rec("a#1", "x", []string{"Iran", "Iraq"},
				[]eval.GoldActor{org("Hamas", "militant"), person("Ken McCallum")}, []string{"terrorism"})},
			tagged: []enrich.Facets{{Country: []string{"Iran", "Israel"}, Actor: []string{"Ken McCallum", "McCallum"},
				Topic: []string{"politics"}}},
			country: eval.Counts{TP: 1, FP: 1, FN: 1},
			actor:   eval.Counts{TP: 1, FP: 1, FN: 1},
			topic:   eval.Counts{FP: 1, FN: 1},
			kinds:   map[string]eval.Counts{"militant": {FN: 1}, "person": {TP: 1}},

			topicsAnnotated: true,
		},
		{
			name: "micro-averaged over paragraphs; a repeated gold value counts once",
			recs: []eval.EntityRecord{
				rec("a#1", "x", []string{"Iran", "Iran"}, nil, nil),
				rec("b#1", "y", []string{"Russia"}, nil, nil),
				rec("c#1", "y", []string{}, nil, nil),
			},
			tagged: []enrich.Facets{{Country: []string{"Iran"}}, {Country: []string{}},
				{Country: []string{"China"}}},
			country: eval.Counts{TP: 1, FP: 1, FN: 1},
			kinds:   map[string]eval.Counts{},
		},
		{
			name:    "a missing tagging counts as nothing tagged",
			recs:    []eval.EntityRecord{rec("a#1", "x", []string{"Iran"}, nil, nil)},
			tagged:  nil,
			country: eval.Counts{FN: 1},
			kinds:   map[string]eval.Counts{},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := eval.ScoreEntities(eval.NewEntityMatcher(nil), c.recs, c.tagged)
			if diff := cmp.Diff(c.country, r.Facets[enrich.FieldCountry]); diff != "" {
				t.Errorf("country (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.actor, r.Facets[enrich.FieldActor]); diff != "" {
				t.Errorf("actor (-want +got):\n%s", diff)
			}
			if r.TopicsAnnotated != c.topicsAnnotated {
				t.Errorf("TopicsAnnotated = %v, want %v", r.TopicsAnnotated, c.topicsAnnotated)
			}
			if diff := cmp.Diff(c.topic, r.Facets[enrich.FieldTopic]); diff != "" {
				t.Errorf("topic (-want +got):\n%s", diff)
			}
			kinds := c.kinds
			if kinds == nil {
				kinds = map[string]eval.Counts{}
			}
			if diff := cmp.Diff(kinds, r.Kinds); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	for _, c := range []struct {
		c       eval.Counts
		p, r, f float64
	}{
		{eval.Counts{}, 0, 0, 0},
		{eval.Counts{TP: 3, FP: 1}, 0.75, 1, 6.0 / 7},
		{eval.Counts{TP: 1, FN: 3}, 1, 0.25, 0.4},
		{eval.Counts{FP: 2, FN: 2}, 0, 0, 0},
	} {
		if p, r, f := c.c.Precision(), c.c.Recall(), c.c.F1(); !near(p, c.p) || !near(r, c.r) || !near(f, c.f) {
			t.Errorf("%+v: P/R/F1 %.3f/%.3f/%.3f, want %.3f/%.3f/%.3f", c.c, p, r, f, c.p, c.r, c.f)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestScoreEntitiesResolvesAliases checks that gold names go through the
// tagger's gazetteer: a gold "ISIL" is the tagger's "Islamic State", and
// two gold names of one gazetteer entry count once.
func TestScoreEntitiesResolvesAliases(t *testing.T) {
	tg, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := eval.NewEntityMatcher(tg)
	if got := m.Resolve(enrich.FieldActor, "ISIL"); got != "Islamic State" {
		t.Errorf("Resolve(actor, ISIL) = %q, want Islamic State", got)
	}
	if got := m.Resolve(enrich.FieldCountry, "Britain"); got != "United Kingdom" {
		t.Errorf("Resolve(country, Britain) = %q, want United Kingdom", got)
	}
	if got := m.Resolve(enrich.FieldActor, "Royal Navy of Ruritania"); got != "Royal Navy of Ruritania" {
		t.Errorf("an unknown name resolved to %q", got)
	}
	recs := []eval.EntityRecord{{ID: "a#1", Text: "t", Countries: []string{"Britain"},
		Actors: []eval.GoldActor{{Name: "ISIL", Kind: "militant"}, {Name: "Daesh", Kind: "militant"}}}}
	r := eval.ScoreEntities(m, recs, []enrich.Facets{{Country: []string{"United Kingdom"}, Actor: []string{"Islamic State"}}})
	if got := r.Facets[enrich.FieldActor]; got != (eval.Counts{TP: 1}) {
		t.Errorf("actor counts %+v, want one true positive", got)
	}
	if got := r.Facets[enrich.FieldCountry]; got != (eval.Counts{TP: 1}) {
		t.Errorf("country counts %+v, want one true positive", got)
	}
}

func TestReportWrite(t *testing.T) {
	recs := []eval.EntityRecord{
		{ID: "a#1", Corpus: "x", Text: "t", Countries: []string{"Iran"}, Actors: []eval.GoldActor{{Name: "Hamas", Kind: "militant"}}},
		{ID: "b#1", Corpus: "y", Text: "t", Countries: []string{}, Actors: []eval.GoldActor{}},
	}
	r := eval.ScoreEntities(nil, recs, []enrich.Facets{{Country: []string{"Iran"}}, {Actor: []string{"Labour Party"}}})
	var b strings.Builder
	r.Write(&b, 5)
	for _, want := range []string{
		"| country | 1 | 1 | 1.000 | 1.000 | 1.000 |",
		"| actor | 1 | 1 | 0.000 | 0.000 | 0.000 |",
		"| topic | not annotated |",
		"| militant | 1 | 0 | 0.000 |",
		"| 1 | Hamas | militant | a#1 |",
		"| 1 | Labour Party | b#1 |",
		"| x | 1.000 |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestTagEntities(t *testing.T) {
	tg, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := "Ken McCallum, the director general of MI5, spoke in London.\n\nMcCallum said Iran was behind the plots."
	paras := index.Split(body, index.DefaultMaxChunk)
	articles := map[string]index.Article{"a": {ID: "a", Title: "MI5 chief speaks", Body: body}}
	recs := []eval.EntityRecord{{ID: "a#2", Text: paras[1]}}
	tagged, missing, err := eval.TagEntities(tg, recs, articles)
	if err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("missing = %d, want 0", missing)
	}
	// The surname resolves through the first paragraph, as in the index.
	if !strings.Contains(strings.Join(tagged[0].Actor, "|"), "Ken McCallum") {
		t.Errorf("paragraph 2 actors %q, want Ken McCallum resolved from paragraph 1", tagged[0].Actor)
	}

	// Without the article, the paragraph is tagged alone and counted.
	_, missing, err = eval.TagEntities(tg, recs, nil)
	if err != nil || missing != 1 {
		t.Errorf("without articles: missing %d, err %v; want 1, nil", missing, err)
	}

	// A text that is no longer the paragraph is an error.
	stale := []eval.EntityRecord{{ID: "a#2", Text: "something else"}}
	if _, _, err := eval.TagEntities(tg, stale, articles); !errors.Is(err, eval.ErrEntitySet) {
		t.Errorf("stale text: err %v, want ErrEntitySet", err)
	}
	past := []eval.EntityRecord{{ID: "a#3", Text: "x"}}
	if _, _, err := eval.TagEntities(tg, past, articles); !errors.Is(err, eval.ErrEntitySet) {
		t.Errorf("paragraph past the end: err %v, want ErrEntitySet", err)
	}
}

func TestLoadEntitiesErrors(t *testing.T) {
	ok := `{"id":"a#1","corpus":"x","text":"t","countries":[],"actors":[{"name":"MI5","kind":"agency"}],"topics":[]}`
	for _, c := range []struct{ name, data, want string }{
		{"bad json", `{"id":`, "a.jsonl:1"},
		{"unknown field", `{"id":"a#1","text":"t","countries":[],"actors":[],"colour":1}`, "unknown field"},
		{"bad id", strings.Replace(ok, `a#1`, `a`, 1), "is not <article id>#<n>"},
		{"paragraph zero", strings.Replace(ok, `a#1`, `a#0`, 1), "positive integer"},
		{"duplicate", ok + "\n" + ok, "repeats line 1"},
		{"not annotated", `{"id":"a#1","text":"t","countries":null,"actors":[]}`, "not annotated"},
		{"no text", strings.Replace(ok, `"text":"t"`, `"text":" "`, 1), "no text"},
		{"bad kind", strings.Replace(ok, `agency`, `spooks`, 1), `kind "spooks"`},
		{"no name", strings.Replace(ok, `"MI5"`, `""`, 1), "without a name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.jsonl")
			if err := os.WriteFile(path, []byte(c.data+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := eval.LoadEntities(path)
			if !errors.Is(err, eval.ErrEntitySet) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want ErrEntitySet mentioning %q", err, c.want)
			}
		})
	}
}

func TestSampleEntities(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 40 {
		body := "A long enough paragraph about the weather and the markets, nothing more to say here today.\n\n" +
			"Police arrested a man after the bomb attack, a second paragraph long enough to be drawn as well."
		if i%2 == 0 {
			body = "Shares rose on Monday in quiet trading, a paragraph long enough to be sampled by the sampler."
		}
		b.WriteString(`{"id":"art-` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `","title":"T","body":` + quote(body) + "}\n")
	}
	file := filepath.Join(dir, "c.jsonl")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := eval.SampleOptions{Files: []string{file}, PerFile: 10, SecurityShare: 0.6, Seed: 6, MinChars: 80}
	recs, err := eval.SampleEntities(opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 10 {
		t.Fatalf("%d records, want 10", len(recs))
	}
	strata := map[string]int{}
	articles := map[string]bool{}
	for _, r := range recs {
		strata[r.Stratum]++
		aid := r.ID[:strings.LastIndexByte(r.ID, '#')]
		if articles[aid] {
			t.Errorf("two paragraphs of %s", aid)
		}
		articles[aid] = true
		if r.Corpus != "c.jsonl" || r.Countries != nil || r.Actors != nil {
			t.Errorf("record %+v: want corpus c.jsonl and no annotations", r)
		}
		if r.Stratum == eval.StratumSecurity && !strings.Contains(r.Text, "Police") {
			t.Errorf("security stratum without a security word: %q", r.Text)
		}
	}
	if strata[eval.StratumSecurity] != 6 || strata[eval.StratumRandom] != 4 {
		t.Errorf("strata %v, want 6 security and 4 random", strata)
	}
	again, err := eval.SampleEntities(opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recs, again); diff != "" {
		t.Errorf("same seed, different sample:\n%s", diff)
	}
	opts.Seed = 7
	other, err := eval.SampleEntities(opts)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(recs, other) {
		t.Error("another seed gave the same sample")
	}
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, "\n", `\n`) + `"`
}

func TestSecurityWord(t *testing.T) {
	for w, want := range map[string]bool{
		"terrorists": true, "war": true, "warning": false, "spy": true, "spying": true,
		"spyware": false, "arrested": true, "court": true, "courtyard": false, "cyberattack": true,
	} {
		if got := eval.SecurityWord(w); got != want {
			t.Errorf("SecurityWord(%q) = %v, want %v", w, got, want)
		}
	}
}
