package search_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bquery "github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

// sortedDate returns the publication date a hit was sorted by (its first
// sort key), as RFC 3339, or "" when it has none.
func sortedDate(t *testing.T, h *bsearch.DocumentMatch) string {
	t.Helper()
	n, err := numeric.PrefixCoded(h.Sort[0]).Int64()
	if err != nil || h.Sort[0] == bsearch.HighTerm || h.Sort[0] == bsearch.LowTerm {
		return ""
	}
	return time.Unix(0, n).UTC().Format(time.RFC3339)
}

// rankingCorpus returns a searcher over small articles written to pin one
// ranking behaviour each. filler articles make common words common, as
// they are in a real corpus.
func rankingCorpus(t *testing.T, opts search.Options, articles ...index.Article) *search.Searcher {
	t.Helper()
	ix, err := index.Open(context.Background(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for i := range 30 {
		articles = append(articles, index.Article{
			ID:    fmt.Sprintf("filler-%02d", i),
			Title: fmt.Sprintf("Russian economy report %d", i),
			Body: fmt.Sprintf("The Russian central bank kept its main rate unchanged in month %d, and Russian exporters "+
				"reported steady demand for grain and timber from buyers in Asia and the Gulf.\n\n"+
				"Analysts said the agent for change would be the budget, not the nerve of traders, in quarter %d.", i, i),
		})
	}
	if _, err := ix.Ingest(context.Background(), articles...); err != nil {
		t.Fatal(err)
	}
	return search.New(ix, opts)
}

// rank returns the ids of the hits of q, best first.
func rank(t *testing.T, s *search.Searcher, req search.Request) ([]string, *search.Response) {
	t.Helper()
	if req.Limit == 0 {
		req.Limit = 20
	}
	res, err := s.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, res
}

// before fails unless a ranks above b in ids (both present).
func before(t *testing.T, ids []string, a, b string) {
	t.Helper()
	ia, ib := slices.Index(ids, a), slices.Index(ids, b)
	if ia < 0 || ib >= 0 && ia > ib {
		t.Errorf("want %s above %s, got %v", a, b, ids)
	}
}

// A common query word in an article's title must not lift that article's
// paragraphs above a paragraph with the rarer, more specific word.
func TestRankingTitleIsBounded(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "ballet", Title: "Russian ballet returns to London",
			Body: "The Russian ballet company opened its season with a new production that drew full houses and warm reviews."},
		index.Article{ID: "grid", Title: "Power cut in western Ukraine",
			Body: "Investigators said hacking of the control room software caused the power cut that left thousands of homes dark overnight."},
	)
	ids, _ := rank(t, s, search.Request{Query: "Russian hacking", Literal: true})
	before(t, ids, "grid#1", "ballet#1")

	// Between paragraphs that match equally, the title decides.
	s = rankingCorpus(t, search.Options{},
		index.Article{ID: "a", Title: "Hacking of the grid",
			Body: "Officials described the hacking of the utility as the work of a well-resourced group."},
		index.Article{ID: "b", Title: "Utility results",
			Body: "Officials described the hacking of the utility as the work of a well-resourced group."},
	)
	ids, _ = rank(t, s, search.Request{Query: "hacking"})
	before(t, ids, "a#1", "b#1")
}

// Query words resolve to the enrichment's facet values: a paragraph about
// Russia and cyber attacks ranks well although it says "Moscow" and
// "hackers", and the response says what was understood.
func TestRankingEntities(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "moscow", Title: "Ministry email breach",
			Body: "Officials blamed hacking by groups working for Moscow for the breach of the ministry's email system last spring."},
		index.Article{ID: "bakery", Title: "Bakery website defaced",
			Body: "Police said the hacking of the bakery's website was the work of a teenager who lived nearby and wanted attention."},
	)
	ids, res := rank(t, s, search.Request{Query: "Russian hacking"})
	before(t, ids, "moscow#1", "bakery#1")
	want := &search.Understood{Country: []string{"Russia"}, Topic: []string{"cyber"}, Expansions: []string{"Russia", "Russo"}}
	if diff := cmp.Diff(want, res.Understood); diff != "" {
		t.Errorf("understood (-want +got):\n%s", diff)
	}
	// Lower-case queries are understood too; literal ones are not.
	if _, res := rank(t, s, search.Request{Query: "russian hacking"}); res.Understood == nil || !slices.Contains(res.Understood.Country, "Russia") {
		t.Errorf("lower-case query: understood %+v, want Russia", res.Understood)
	}
	if _, res := rank(t, s, search.Request{Query: "Russian hacking", Literal: true}); res.Understood != nil {
		t.Errorf("literal query: understood %+v, want none", res.Understood)
	}
}

// Aliases from the gazetteers are searched and highlighted: "ISIS" finds
// paragraphs that say "Daesh" or "Islamic State", the typed word first.
func TestRankingAliases(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "daesh", Title: "Court hears recruitment case",
			Body: "The court heard that the defendant had sworn loyalty to Daesh in messages sent from a cafe in the city centre."},
		index.Article{ID: "is", Title: "Camp in the desert",
			Body: "Former fighters of the Islamic State held in the camp were moved to prisons near the border last month."},
		index.Article{ID: "isis", Title: "Court hears recruitment case",
			Body: "The court heard that the defendant had sworn loyalty to ISIS in messages sent from a cafe in the city centre."},
		index.Article{ID: "none", Title: "Cafe opens",
			Body: "A new cafe opened in the city centre, and the owner said messages of support had come from all over town."},
	)
	ids, res := rank(t, s, search.Request{Query: "ISIS"})
	for _, id := range []string{"daesh#1", "is#1", "isis#1"} {
		if !slices.Contains(ids, id) {
			t.Errorf("ISIS: %s not found in %v", id, ids)
		}
	}
	if slices.Contains(ids, "none#1") {
		t.Errorf("ISIS: matched a paragraph with no alias: %v", ids)
	}
	before(t, ids, "isis#1", "daesh#1")
	for _, h := range res.Hits {
		if h.ID == "daesh#1" && !strings.Contains(strings.Join(h.Highlights, " "), "<mark>Daesh</mark>") {
			t.Errorf("the alias is not highlighted: %q", h.Highlights)
		}
	}
	if res.Understood == nil || !slices.Contains(res.Understood.Expansions, "Daesh") {
		t.Errorf("understood %+v, want Daesh among the expansions", res.Understood)
	}
}

// A word for a practice also finds its agent, which the stemmer keeps
// apart ("hacking": "hackers"; "extremism": "extremists"): the form
// matches, covers the concept and is highlighted, weighing less than the
// word itself. literal turns it off, and forms the index lacks are not
// searched.
func TestRankingDerivedForms(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "hackers", Title: "Breach", Body: "Investigators said Russian hackers broke into the ministry's mail servers over the summer."},
		index.Article{ID: "hacking", Title: "Breach", Body: "Investigators said Russian hacking of the ministry's mail servers went on over the summer."},
		index.Article{ID: "russian", Title: "Grain", Body: "Investigators said Russian grain reached the port over the summer despite the storms."},
		index.Article{ID: "extremists", Title: "Report", Body: "The report said violent extremists recruited teenagers through gaming chats and videos."},
		index.Article{ID: "gaming", Title: "Report", Body: "The report said teenagers spent more time in gaming chats and watching videos."},
	)
	for _, tc := range []struct {
		query, better, worse, expansion string
		literal                         bool
	}{
		{query: "Russian hacking", better: "hacking#1", worse: "hackers#1", expansion: "hacker"},
		{query: "Russian hacking", better: "hackers#1", worse: "russian#1", expansion: "hacker"},
		{query: "extremism teenagers", better: "extremists#1", worse: "gaming#1", expansion: "extremist"},
		{query: "Russian hacking", better: "russian#1", worse: "hackers#1", literal: true},
	} {
		t.Run(tc.query+"/"+tc.better, func(t *testing.T) {
			ids, res := rank(t, s, search.Request{Query: tc.query, Literal: tc.literal})
			if tc.literal {
				if slices.Contains(ids, tc.worse) && !slices.Contains(ids, tc.better) {
					t.Errorf("%s literal: %v", tc.query, ids)
				}
				if res.Understood != nil && len(res.Understood.Expansions) > 0 {
					t.Errorf("%s literal: expansions %q", tc.query, res.Understood.Expansions)
				}
				return
			}
			before(t, ids, tc.better, tc.worse)
			if res.Understood == nil || !slices.Contains(res.Understood.Expansions, tc.expansion) {
				t.Errorf("%s: understood %+v, want %q among the expansions", tc.query, res.Understood, tc.expansion)
			}
			for _, h := range res.Hits {
				if h.ID == "hackers#1" && !strings.Contains(strings.Join(h.Highlights, " "), "<mark>hackers</mark>") {
					t.Errorf("the derived form is not highlighted: %q", h.Highlights)
				}
			}
		})
	}
	// "smuggler" is in no paragraph: not searched, not listed.
	if _, res := rank(t, s, search.Request{Query: "smuggling"}); res.Understood != nil && slices.Contains(res.Understood.Expansions, "smuggler") {
		t.Errorf("smuggling: a form the index lacks is listed: %q", res.Understood.Expansions)
	}
}

// The tagger decides the sense of an entity's words: a paragraph that holds
// them without the entity ("IRA" savings accounts, a man called Ira) ranks
// below one that names the group, whatever its title says.
func TestRankingSense(t *testing.T) {
	articles := []index.Article{
		{ID: "group", Title: "Belfast", Body: "Police said the IRA had planted the device outside the barracks before dawn."},
		{ID: "savings", Title: "Bank launches IRA fund", Body: "The bank said the new fund was open to IRA holders and other retirement accounts from April."},
		{ID: "person", Title: "Board", Body: "The board named Ira Cohen, a former banker, as its chairman from April."},
	}
	s := rankingCorpus(t, search.Options{}, articles...)
	ids, _ := rank(t, s, search.Request{Query: "IRA"})
	for _, tc := range []struct{ better, worse string }{
		{"group#1", "savings#1"},
		{"group#1", "person#1"},
	} {
		before(t, ids, tc.better, tc.worse)
	}
	// The factor itself: without it the savings paragraph, with "IRA" in
	// its title, scores closer to the group's.
	ratio := func(sense float64) float64 {
		r := search.DefaultRanking()
		r.Sense = sense
		_, res := rank(t, rankingCorpus(t, search.Options{Ranking: &r}, articles...), search.Request{Query: "IRA"})
		score := map[string]float64{}
		for _, h := range res.Hits {
			score[h.ID] = h.Score
		}
		return score["savings#1"] / score["group#1"]
	}
	if with, without := ratio(search.DefaultRanking().Sense), ratio(0); with > 0.75*without {
		t.Errorf("IRA: the savings paragraph scores %.2f of the group's with the sense factor, %.2f without", with, without)
	}
}

// A paragraph that names the actor only by a name the text search does not
// hold ("the Irish Republican Army" for "IRA", "the Central Intelligence
// Agency" for "CIA") matches through the actor's facet, which alone scores
// far below the typed word: OtherNames lifts it toward the word's
// paragraphs, which still rank first.
func TestRankingOtherNames(t *testing.T) {
	articles := []index.Article{
		{ID: "ira-word", Title: "Belfast", Body: "Police said the IRA had planted the device outside the barracks before dawn."},
		{ID: "ira-name", Title: "Belfast", Body: "Police said the Irish Republican Army had planted the device outside the barracks."},
		{ID: "cia-word", Title: "Hearing", Body: "The senators questioned the CIA about the arms shipments through Europe last year."},
		{ID: "cia-name", Title: "Hearing", Body: "The senators questioned the Central Intelligence Agency about the arms shipments last year."},
	}
	scores := func(other float64, q string) map[string]float64 {
		r := search.DefaultRanking()
		r.OtherNames = other
		_, res := rank(t, rankingCorpus(t, search.Options{Ranking: &r}, articles...), search.Request{Query: q})
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out
	}
	for _, tc := range []struct{ query, word, name string }{
		{"IRA", "ira-word#1", "ira-name#1"},
		{"CIA", "cia-word#1", "cia-name#1"},
	} {
		with, without := scores(search.DefaultRanking().OtherNames, tc.query), scores(0, tc.query)
		if with[tc.name] == 0 || without[tc.name] == 0 {
			t.Fatalf("%s: %s not found: %v, %v", tc.query, tc.name, with, without)
		}
		if lift := (with[tc.name] / with[tc.word]) / (without[tc.name] / without[tc.word]); lift < 2.5 {
			t.Errorf("%s: the paragraph naming the actor otherwise gains %.2f x on the word's, want about 3", tc.query, lift)
		}
		if with[tc.name] >= with[tc.word] {
			t.Errorf("%s: the other name (%.2f) outranks the typed word (%.2f)", tc.query, with[tc.name], with[tc.word])
		}
	}
}

// Only an entity's own names are expanded: "Soviet" (a former state the
// tagger gives its successor) and "Moscow" (a seat of government) do not
// search Russia's names, nor does Russia's facet cover them; and an alias
// the analyser cuts in several terms ("al-Tawhid") is not searched as a
// word query, which would match any of its terms ("al").
func TestRankingOwnNamesOnly(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "soviet", Title: "Marines charged",
			Body: "Two Marines were charged with espionage for the Soviet Union after meeting KGB agents at the embassy."},
		index.Article{ID: "russia", Title: "Prisoner exchange",
			Body: "Russia and Western governments exchanged prisoners, including a reporter convicted of espionage in a closed trial."},
		index.Article{ID: "al", Title: "Recruiting drive",
			Body: "The firm said it was recruiting staff for its back office, including Al Evans as manager, from next month."},
		index.Article{ID: "isis", Title: "Recruiting ground",
			Body: "The region has become a recruiting ground for ISIS, ministers said, and schools must help to counter it."},
	)
	for _, q := range []string{"Soviet espionage", "Moscow espionage"} {
		ids, res := rank(t, s, search.Request{Query: q})
		if res.Understood != nil && len(res.Understood.Expansions) > 0 {
			t.Errorf("%s: expansions %v, want none", q, res.Understood.Expansions)
		}
		if q == "Soviet espionage" {
			before(t, ids, "soviet#1", "russia#1")
		}
	}
	ids, res := rank(t, s, search.Request{Query: "ISIS"})
	if slices.Contains(ids, "al#1") {
		t.Errorf("ISIS: matched %q through a part of an alias: %v (understood %+v)", "Al", ids, res.Understood)
	}
	if res.Understood == nil || slices.ContainsFunc(res.Understood.Expansions, func(e string) bool { return strings.Contains(e, "-") }) {
		t.Errorf("understood %+v, want expansions without words cut in several terms", res.Understood)
	}
}

// Everyday names of a kind of actor resolve to the kind the tagger gives
// ("security services" → agency): a paragraph about MI5 ranks above alarm
// companies with the words in their names.
func TestRankingActorKinds(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "alarm", Title: "Guard firm buys rivals",
			Body: "The guard company said its security service division would install alarm systems for shops and offices next year."},
		index.Article{ID: "mi5", Title: "Threat update",
			Body: "MI5 said its security service officers had disrupted more plots this year and asked ministers for money to recruit staff."},
	)
	ids, res := rank(t, s, search.Request{Query: "security services"})
	before(t, ids, "mi5#1", "alarm#1")
	if res.Understood == nil || !slices.Equal(res.Understood.ActorKind, []string{"agency"}) {
		t.Errorf("understood %+v, want actor kind agency", res.Understood)
	}
	if _, res := rank(t, s, search.Request{Query: "security services", Literal: true}); res.Understood != nil {
		t.Errorf("literal: understood %+v, want none", res.Understood)
	}
}

// Aliases add to a concept without taking from its typed words: bleve's
// disjunction would halve the score of a paragraph that says "Lebanon"
// once aliases are searched beside it, so that one naming the country two
// ways ("Lebanese envoys met in Lebanon") counted twice. Scores of
// different queries differ by bleve's query norm; their ratios do not.
func TestRankingAliasesKeepTheWordsWeight(t *testing.T) {
	articles := []index.Article{
		{ID: "name", Title: "Talks", Body: "Envoys met in Lebanon to discuss the release of the hostages held since the spring."},
		{ID: "both", Title: "Talks", Body: "Lebanese envoys met in Lebanon to discuss the release of the prisoners held since the spring."},
	}
	ratio := func(alias float64) float64 {
		r := search.DefaultRanking()
		r.Alias = alias
		_, res := rank(t, rankingCorpus(t, search.Options{Ranking: &r}, articles...), search.Request{Query: "Lebanon"})
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out["name#1"] / out["both#1"]
	}
	if with, without := ratio(search.DefaultRanking().Alias), ratio(0); with < 0.8*without {
		t.Errorf("Lebanon: the paragraph that says it once scores %.2f of the one naming it twice with aliases, %.2f without", with, without)
	}
}

// The phrase and the words of a concept that names one entity ("Houthi
// rebels") add up. A disjunction of them divided the score of a paragraph
// that names the group by one of the words ("the Houthis") by the number
// of clauses, leaving it a fifth of the phrase's (0.20 on these articles).
func TestRankingConceptWordsAddUp(t *testing.T) {
	articles := []index.Article{
		{ID: "group", Title: "Shipping", Body: "The Houthis fired two missiles at a tanker in the Red Sea overnight, the navy said."},
		{ID: "word", Title: "Shipping", Body: "Rebels fired two missiles at an army post in the hills overnight, the army said, and rebels took the road."},
		{ID: "phrase", Title: "Shipping", Body: "Houthi rebels fired two missiles at a tanker in the Red Sea overnight, the navy said."},
	}
	s := rankingCorpus(t, search.Options{}, articles...)
	for _, tc := range []struct {
		query, better, worse string
		minRatio             float64 // of the better's score to the worse's
	}{
		{"Houthi rebels", "phrase#1", "group#1", 1},
		{"Houthi rebels", "group#1", "phrase#1", 0.3},
		{"houthi rebels", "group#1", "phrase#1", 0.3},
		{"Houthi rebels", "group#1", "word#1", 1},
	} {
		t.Run(tc.query+"/"+tc.better+"/"+tc.worse, func(t *testing.T) {
			_, res := rank(t, s, search.Request{Query: tc.query})
			score := map[string]float64{}
			for _, h := range res.Hits {
				score[h.ID] = h.Score
			}
			if got := score[tc.better] / score[tc.worse]; !(got >= tc.minRatio) {
				t.Errorf("%s: %s scores %.2f x %s, want at least %.2f (%v)", tc.query, tc.better, got, tc.worse, tc.minRatio, score)
			}
		})
	}
}

// A compound of common words ("far-right") lifts paragraphs that hold its
// parts side by side; one that names entities ("Iran-Contra") does not:
// "arms sales to Iran ... the Contras" is the affair too.
func TestRankingCompoundsOfNames(t *testing.T) {
	articles := []index.Article{
		{ID: "together", Title: "Hearings", Body: "The Iran-Contra hearings resumed with testimony from a former adviser on the arms sales."},
		{ID: "apart", Title: "Hearings", Body: "Profits from the arms sales to Iran were diverted to the Contra rebels, the adviser testified."},
		{ID: "farright", Title: "Parties", Body: "Support for far-right parties grew in the regional elections held across the north in May."},
		{ID: "farapart", Title: "Parties", Body: "Support grew far beyond the party's base, and the right to stand was upheld in the north in May."},
	}
	ratio := func(compound float64, q, a, b string) float64 {
		r := search.DefaultRanking()
		r.Compound = compound
		_, res := rank(t, rankingCorpus(t, search.Options{Ranking: &r}, articles...), search.Request{Query: q})
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out[a] / out[b]
	}
	if with, without := ratio(1, "Iran-Contra", "together#1", "apart#1"), ratio(0, "Iran-Contra", "together#1", "apart#1"); with > 1.01*without {
		t.Errorf("Iran-Contra: side by side scores %.2f x apart with the compound factor, %.2f x without", with, without)
	}
	if with, without := ratio(1, "far-right", "farright#1", "farapart#1"), ratio(0, "far-right", "farright#1", "farapart#1"); with < 1.5*without {
		t.Errorf("far-right: side by side scores %.2f x apart with the compound factor, %.2f x without", with, without)
	}
}

// Query words that occur together rank above the same words scattered.
func TestRankingProximity(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "apart", Title: "Embassy statement",
			Body: "The agent told reporters that the long wait had tested the nerve of every family in the embassy queue."},
		index.Article{ID: "together", Title: "Embassy statement",
			Body: "The nerve agent found in the flat had been smuggled in a perfume bottle, the embassy told reporters."},
	)
	ids, _ := rank(t, s, search.Request{Query: "nerve agent"})
	before(t, ids, "together#1", "apart#1")
}

// A heading or a one-line fragment does not outrank a substantive paragraph
// that matches the same words.
func TestRankingShortParagraphs(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "brief", Title: "Threat update",
			Body: "# Iran plots\n\nSecurity officials said plots backed by Iran had targeted journalists and dissidents living abroad, " +
				"and that several were disrupted before any attack took place."},
	)
	ids, _ := rank(t, s, search.Request{Query: "Iran plots"})
	before(t, ids, "brief#2", "brief#1")
}

// Within a page, a paragraph of under ShortTerms terms (a heading) is
// weighed × (1 - Short) and one of under BriefTerms (a sentence naming the
// words in passing) × (1 - Brief), against what the search scored them.
func TestRankingBriefParagraphs(t *testing.T) {
	articles := []index.Article{
		{ID: "heading", Title: "Asylum", Body: "Asylum seekers"},
		{ID: "brief", Title: "Speech", Body: "Some European states unfortunately violate the basic rights of refugees and asylum seekers, the minister told the assembly."},
		{ID: "long", Title: "Policy", Body: "The government said the number of asylum seekers arriving by boat had fallen by a third, " +
			"and that claims would be decided within six months under the new rules announced in parliament on Tuesday."},
	}
	scores := func(short, brief float64) map[string]float64 {
		r := search.DefaultRanking()
		r.Short, r.Brief = short, brief
		_, res := rank(t, rankingCorpus(t, search.Options{Ranking: &r}, articles...), search.Request{Query: "asylum seekers"})
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out
	}
	def := search.DefaultRanking()
	with, without := scores(def.Short, def.Brief), scores(0, 0)
	for _, tc := range []struct {
		id     string
		factor float64
	}{
		{"heading#1", 1 - def.Short},
		{"brief#1", 1 - def.Brief},
		{"long#1", 1},
	} {
		if got := with[tc.id] / without[tc.id]; got < tc.factor-1e-9 || got > tc.factor+1e-9 {
			t.Errorf("%s: scored %.3f of its search score, want %.3f (%v, %v)", tc.id, got, tc.factor, with, without)
		}
	}
}

// A search that would visit too many index terms (wide prefixes, many fuzzy
// words) is refused with ErrInvalid before it reads any postings.
func TestMaxTerms(t *testing.T) {
	s := fixtures(t)
	ix := s.Index()
	small := search.New(ix, search.Options{MaxTerms: 60})
	for _, q := range []string{"th* st* co* pr* re* in*", "sp~2 pl~2 ir~2 ru~2"} {
		_, err := small.Search(context.Background(), search.Request{Query: q})
		if !errors.Is(err, search.ErrInvalid) || !strings.Contains(err.Error(), "more than 60 index terms") {
			t.Errorf("%q: %v, want ErrInvalid naming the limit", q, err)
		}
	}
	if _, err := small.Search(context.Background(), search.Request{Query: "Iran plots"}); err != nil {
		t.Errorf("a plain query under the limit: %v", err)
	}
}

// With filters the latest view pages through the same dates, totals and
// facet counts (multi-select kept) as a full sort of the filtered
// paragraphs.
func TestLatestViewFiltered(t *testing.T) {
	s := fixtures(t)
	ix := s.Index()
	iran := bquery.NewTermQuery("Iran")
	iran.SetField(index.FieldCountry)
	ctx := context.Background()
	facets := []string{"country", "topic"}
	all, err := s.Search(ctx, search.Request{Country: []string{"Iran"}, Facets: facets})
	if err != nil {
		t.Fatal(err)
	}
	// The country counts leave out the country filter: those of the whole
	// index, counted here by the unfiltered search itself.
	unfiltered, err := s.Search(ctx, search.Request{Facets: []string{"country"}})
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(all.Facets["country"], unfiltered.Facets["country"]) {
		t.Errorf("country counts under country=Iran %v, want the whole index's %v", all.Facets["country"], unfiltered.Facets["country"])
	}
	for _, tc := range []struct {
		sort     search.Sort
		bleveKey string
	}{{search.SortNewest, "-published"}, {search.SortOldest, "published"}} {
		for _, offset := range []int{0, 10, 30} {
			req := bleve.NewSearchRequestOptions(iran, 10, offset, false)
			req.SortBy([]string{tc.bleveKey})
			full, err := ix.Bleve().Search(req)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, h := range full.Hits {
				want = append(want, sortedDate(t, h))
			}
			res, err := s.Search(ctx, search.Request{Sort: tc.sort, Offset: offset, Country: []string{"Iran"}, Facets: facets})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				if h.Published == nil {
					got = append(got, "")
				} else {
					got = append(got, h.Published.Format(time.RFC3339))
				}
				if !slices.Contains(h.Country, "Iran") {
					t.Errorf("%s from %d: hit %s is not about Iran", tc.sort, offset, h.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s from %d: dates %v, a full sort gives %v", tc.sort, offset, got, want)
			}
			if res.Total != all.Total || !cmp.Equal(res.Facets, all.Facets) {
				t.Errorf("%s from %d: total %d, facets %v; want %d, %v", tc.sort, offset, res.Total, res.Facets, all.Total, all.Facets)
			}
		}
	}
}

// The latest view (everything by date) reads a window of dates, yet pages
// through the same dates, totals and facet counts as a full sort.
func TestLatestView(t *testing.T) {
	s := fixtures(t)
	ix := s.Index()
	full := func(sort string, offset int) []string {
		req := bleve.NewSearchRequestOptions(bquery.NewMatchAllQuery(), 10, offset, false)
		req.SortBy([]string{sort})
		res, err := ix.Bleve().Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var dates []string
		for _, h := range res.Hits {
			dates = append(dates, sortedDate(t, h))
		}
		return dates
	}
	all, err := s.Search(context.Background(), search.Request{Facets: []string{"country"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sort     search.Sort
		bleveKey string
	}{{search.SortNewest, "-published"}, {search.SortOldest, "published"}} {
		for _, offset := range []int{0, 10, 200, 235} {
			res, err := s.Search(context.Background(), search.Request{Sort: tc.sort, Offset: offset, Facets: []string{"country"}})
			if err != nil {
				t.Fatal(err)
			}
			var dates []string
			for _, h := range res.Hits {
				if h.Published == nil {
					dates = append(dates, "")
				} else {
					dates = append(dates, h.Published.Format(time.RFC3339))
				}
			}
			if want := full(tc.bleveKey, offset); !slices.Equal(dates, want) {
				t.Errorf("%s from %d: dates %v, a full sort gives %v", tc.sort, offset, dates, want)
			}
			if res.Total != all.Total || !cmp.Equal(res.Facets, all.Facets) {
				t.Errorf("%s from %d: total %d, facets %v; want %d, %v", tc.sort, offset, res.Total, res.Facets["country"][:2], all.Total, all.Facets["country"][:2])
			}
		}
	}
}

// A user's synonyms are searched and highlighted like aliases, below the
// typed word; a literal query leaves them out.
func TestRankingSynonyms(t *testing.T) {
	syn, err := search.ParseSynonyms(strings.NewReader("# ours\nhacking, cyber-attack, intrusion\n"), "synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := rankingCorpus(t, search.Options{Synonyms: syn},
		index.Article{ID: "typed", Title: "Utility", Body: "Officials said hacking of the utility cut power to the northern districts."},
		index.Article{ID: "synonym", Title: "Utility", Body: "Officials said an intrusion into the utility cut power to the northern districts."},
	)
	ids, res := rank(t, s, search.Request{Query: "hacking"})
	before(t, ids, "typed#1", "synonym#1")
	for _, h := range res.Hits {
		if h.ID == "synonym#1" && !strings.Contains(strings.Join(h.Highlights, " "), "<mark>intrusion</mark>") {
			t.Errorf("the synonym is not highlighted: %q", h.Highlights)
		}
	}
	if res.Understood == nil || !slices.Contains(res.Understood.Expansions, "intrusion") {
		t.Errorf("understood %+v, want the synonym among the expansions", res.Understood)
	}
	if ids, _ := rank(t, s, search.Request{Query: "hacking", Literal: true}); slices.Contains(ids, "synonym#1") {
		t.Errorf("a literal query matched a synonym: %v", ids)
	}
	if _, err := search.ParseSynonyms(strings.NewReader("lonely\n"), "bad.txt"); !errors.Is(err, search.ErrInvalid) || !strings.Contains(err.Error(), "bad.txt:1") {
		t.Errorf("a one-entry group: %v", err)
	}
}

// context=N returns the hit's neighbouring paragraphs, nearest next to it,
// and only those in the request's scope.
func TestContext(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "ctx", Title: "Trial", Body: "One about Leeds.\n\nTwo about Leeds.\n\nThree mentions the nerve agent.\n\nFour about Leeds.\n\nFive about Iran."},
	)
	_, res := rank(t, s, search.Request{Query: `"nerve agent"`, Context: 2})
	if len(res.Hits) == 0 || res.Hits[0].ID != "ctx#3" {
		t.Fatalf("hits %v", res.Hits)
	}
	h := res.Hits[0]
	if !slices.Equal(h.Before, []string{"One about Leeds.", "Two about Leeds."}) || !slices.Equal(h.After, []string{"Four about Leeds.", "Five about Iran."}) {
		t.Errorf("before %q, after %q", h.Before, h.After)
	}
	_, res = rank(t, s, search.Request{Query: "Five", Context: 3, Scope: search.Scope{Country: []string{"Iran"}}})
	if len(res.Hits) != 1 || res.Hits[0].Before != nil {
		t.Errorf("scoped to Iran: %d hits, before %q; want the Iran paragraph without its Leeds neighbours", len(res.Hits), res.Hits[0].Before)
	}
	_, res = rank(t, s, search.Request{Query: "Five", Context: 1})
	if len(res.Hits) != 1 || !slices.Equal(res.Hits[0].Before, []string{"Four about Leeds."}) || res.Hits[0].After != nil {
		t.Errorf("last paragraph: before %q, after %q", res.Hits[0].Before, res.Hits[0].After)
	}
	if _, err := s.Search(context.Background(), search.Request{Query: "x", Context: 4}); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("context 4: %v, want ErrInvalid", err)
	}
}

// A word the index does not hold is read as the indexed word an edit away,
// and then understood: "Tehrn plots" finds the Iran-backed plots. Words
// the index holds, short words and typos=false are left alone.
func TestTypos(t *testing.T) {
	s := fixtures(t)
	_, res := rank(t, s, search.Request{Query: "Tehrn plots"})
	u := res.Understood
	if u == nil || !slices.Contains(u.Corrections, "Tehrn → Tehran") || !slices.Contains(u.Country, "Iran") {
		t.Fatalf("understood %+v, want Tehrn corrected to Tehran and Iran understood", u)
	}
	if len(res.Hits) == 0 || !slices.Contains(res.Hits[0].Country, "Iran") || !strings.Contains(strings.Join(res.Hits[0].Highlights, " "), "<mark>") {
		t.Errorf("first hit %+v: want a highlighted paragraph about Iran", res.Hits[0])
	}
	for _, q := range []string{"Iran plots", "Irn plots"} {
		if _, res := rank(t, s, search.Request{Query: q}); res.Understood != nil && len(res.Understood.Corrections) > 0 {
			t.Errorf("%q: corrections %v, want none (indexed or short words)", q, res.Understood.Corrections)
		}
	}
	if _, res := rank(t, s, search.Request{Query: "Tehrn plots", NoTypos: true}); res.Understood != nil && len(res.Understood.Corrections) > 0 {
		t.Errorf("typos off: corrections %v", res.Understood.Corrections)
	}
}

// Corrections are remembered only while the index stays as it was: once
// an article holds the word, it is no longer corrected.
func TestTyposFollowTheIndex(t *testing.T) {
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "tehran", Body: "Officials in Tehran denied any role in the plots abroad."})
	for range 2 { // the second answer comes from memory
		if _, res := rank(t, s, search.Request{Query: "Tehrn plots"}); res.Understood == nil || !slices.Contains(res.Understood.Corrections, "Tehrn → Tehran") {
			t.Fatalf("before: understood %+v, want Tehrn → Tehran", res.Understood)
		}
	}
	if _, err := s.Index().Ingest(context.Background(), index.Article{ID: "tehrn", Body: "A village called Tehrn held its fair."}); err != nil {
		t.Fatal(err)
	}
	ids, res := rank(t, s, search.Request{Query: "Tehrn"})
	if res.Understood != nil && len(res.Understood.Corrections) > 0 || !slices.Contains(ids, "tehrn#1") {
		t.Errorf("after Tehrn was indexed: understood %+v, hits %v; want no correction and the village", res.Understood, ids)
	}
}

// recency=half-life lifts newer paragraphs among matches of similar
// relevance, boundedly: a much better old match stays above a weak new one.
func TestRankingRecency(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	body := "Investigators said the sabotage of the rail signalling cable was deliberate and well planned."
	s := rankingCorpus(t, search.Options{},
		index.Article{ID: "old", Title: "Rail cable cut", Published: day("2020-03-01"), Body: body},
		index.Article{ID: "new", Title: "Rail cable cut", Published: day("2024-03-01"), Body: body},
		index.Article{ID: "undated", Title: "Rail cable cut", Body: body},
		index.Article{ID: "strong-old", Title: "Sabotage trial", Published: day("2019-01-01"),
			Body: "The sabotage trial heard how the sabotage cell planned sabotage of rail signalling across the sabotage network."},
		index.Article{ID: "weak-new", Title: "Weather", Published: day("2024-03-02"),
			Body: "Storms delayed trains across the north, and an engineer joked that the weather felt like sabotage of the timetable by the sky itself, all week."},
	)
	plain, _ := rank(t, s, search.Request{Query: "sabotage signalling"})
	recent, res := rank(t, s, search.Request{Query: "sabotage signalling", Recency: 30 * 24 * time.Hour})
	before(t, recent, "new#1", "old#1")
	before(t, recent, "new#1", "undated#1")
	before(t, recent, "strong-old#1", "weak-new#1")
	score := func(id string, hits []search.Hit) float64 {
		for _, h := range hits {
			if h.ID == id {
				return h.Score
			}
		}
		return 0
	}
	_, base := rank(t, s, search.Request{Query: "sabotage signalling"})
	if r := score("new#1", res.Hits) / score("new#1", base.Hits); r < 1.95 || r > 2.0001 {
		t.Errorf("the newest paragraph's score ×%.3f, want ×2 (1 + 2^0; plain order %v)", r, plain)
	}
	if r := score("undated#1", res.Hits) / score("undated#1", base.Hits); r != 1 {
		t.Errorf("undated paragraph ×%.3f, want ×1", r)
	}
	if _, err := s.Search(context.Background(), search.Request{Query: "x", Recency: time.Hour, Sort: search.SortNewest}); err == nil {
		t.Error("recency with sort=newest accepted")
	}
}

func TestParseHalfLife(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "12h": 12 * time.Hour, "2w": 14 * 24 * time.Hour, "1y": 365 * 24 * time.Hour, "1.5d": 36 * time.Hour} {
		if got, err := search.ParseHalfLife(in); err != nil || got != want {
			t.Errorf("ParseHalfLife(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "30", "30m", "-1d", "0d", "NaNd", "1e9y"} {
		if _, err := search.ParseHalfLife(bad); !errors.Is(err, search.ErrInvalid) {
			t.Errorf("ParseHalfLife(%q): %v, want ErrInvalid", bad, err)
		}
	}
}

// Signals that pin one ranking behaviour each: with the default ranking
// the paragraph "want" ranks above "over"; with the signal off (off
// changes the ranking) the order flips, so the signal is what decides.
func TestRankingSignals(t *testing.T) {
	for _, tc := range []struct {
		name     string
		articles []index.Article
		query    string
		want     string // ranks above over by default
		over     string
		off      func(*search.Ranking)
	}{
		{
			// A compound word names one concept: its terms side by side
			// rank above the same (common) words apart.
			name: "compound word",
			articles: []index.Article{
				{ID: "apart", Title: "Marches", Body: "It is far from certain that the right to march will survive, " +
					"and far fewer people now defend the right of a crowd to fill the streets on the right day."},
				{ID: "together", Title: "Schools", Body: "Police said far-right groups had recruited teenagers through gaming chats and short videos."},
			},
			query: "far-right", want: "together#1", over: "apart#1",
			off: func(r *search.Ranking) { r.Compound = 0 },
		},
		{
			// A concept counts as covered through the facet value it names:
			// "Russian" and a cyber-attack cover "Russian hacking" although
			// the paragraph never says "hacking".
			name: "facet coverage",
			articles: []index.Article{
				{ID: "facet", Title: "Ministry servers", Body: "Russian officials denied that a cyber-attack had taken down the ministry's servers and its email for two days."},
				{ID: "word", Title: "Bakery website", Body: "Police said the hacking of the bakery's website was the work of a teenager who lived nearby and wanted attention."},
			},
			query: "Russian hacking", want: "facet#1", over: "word#1",
			off: func(r *search.Ranking) { r.FacetCover = 0 },
		},
		{
			// A paragraph whose article has other paragraphs about the
			// query ranks above a lone mention that matches a little better.
			name: "article context",
			articles: []index.Article{
				{ID: "story", Title: "Rail line", Body: "Investigators said the sabotage of the rail line was planned for weeks by the same small group of activists.\n\n" +
					"The sabotage caused delays for thousands of passengers on the busiest routes into the capital.\n\n" +
					"Ministers promised new patrols to stop any further sabotage of signalling equipment along the line."},
				{ID: "lone", Title: "Rail line", Body: "Investigators said the sabotage of the rail line was planned for weeks by the group's leaders."},
			},
			query: "sabotage", want: "story#1", over: "lone#1",
			off: func(r *search.Ranking) { r.Article = 0 },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, _ := rank(t, rankingCorpus(t, search.Options{}, tc.articles...), search.Request{Query: tc.query})
			before(t, ids, tc.want, tc.over)
			r := search.DefaultRanking()
			tc.off(&r)
			ids, _ = rank(t, rankingCorpus(t, search.Options{Ranking: &r}, tc.articles...), search.Request{Query: tc.query})
			before(t, ids, tc.over, tc.want)
		})
	}
}

// With article context, pages are cut from the same reordered candidates:
// consecutive pages neither repeat nor skip a paragraph, and each page
// holds its hits' fields and highlights.
func TestRankingArticlePages(t *testing.T) {
	s := fixtures(t)
	all, _ := rank(t, s, search.Request{Query: "Iran plots", Limit: 30})
	var paged []string
	for offset := 0; offset < 30; offset += 10 {
		ids, res := rank(t, s, search.Request{Query: "Iran plots", Limit: 10, Offset: offset})
		for _, h := range res.Hits {
			if h.Text == "" || h.ArticleID == "" || len(h.Highlights) == 0 {
				t.Errorf("offset %d: hit %s without its fields or highlights: %+v", offset, h.ID, h)
			}
		}
		paged = append(paged, ids...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("pages of 10:\n%v\nwant the first 30:\n%v", paged, all)
	}
}
