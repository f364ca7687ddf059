package enrich

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var (
	taggerOnce sync.Once
	taggerVal  *Tagger
	taggerErr  error
)

// tagger returns a Tagger with the built-in data, shared by the tests.
func tagger(t testing.TB) *Tagger {
	t.Helper()
	taggerOnce.Do(func() { taggerVal, taggerErr = New(Options{}) })
	if taggerErr != nil {
		t.Fatalf("New: %v", taggerErr)
	}
	return taggerVal
}

// tagOne tags a one-paragraph article without a title.
func tagOne(t testing.TB, tg *Tagger, p string) Facets {
	t.Helper()
	out := tg.Tag("", []string{p})
	if len(out) != 1 {
		t.Fatalf("Tag returned %d facets for 1 paragraph", len(out))
	}
	return out[0]
}

func TestCountries(t *testing.T) {
	tg := tagger(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"common name", "Officials in Germany said the consignment was seized at the border.", []string{"Germany"}},
		{"official name", "The Russian Federation rejected the findings of the inquiry.", []string{"Russia"}},
		{"official name with article", "A delegation from the Democratic Republic of the Congo arrived.", []string{"DR Congo"}},
		{"multiword name", "Envoys from North Korea and Saudi Arabia attended.", []string{"North Korea", "Saudi Arabia"}},
		{"demonym adjective", "Chinese diplomats were expelled after the inquiry.", []string{"China"}},
		{"plural demonym", "Two Britons were detained alongside Iranians, Afghans and Saudis.", []string{"Afghanistan", "Iran", "Saudi Arabia", "United Kingdom"}},
		{"capital metonym", "Beijing denied the claims, while Tehran and Pyongyang stayed silent.", []string{"China", "Iran", "North Korea"}},
		{"Kremlin", "The Kremlin dismissed the report as fiction.", []string{"Russia"}},
		{"Downing Street and Whitehall", "Downing Street and Whitehall were briefed.", []string{"United Kingdom"}},
		{"White House", "The White House declined to comment.", []string{"United States"}},
		{"alias UK", "The UK has raised the threat level.", []string{"United Kingdom"}},
		{"alias US", "The US has sanctioned the network.", []string{"United States"}},
		{"alias Britain and America", "Britain and America share intelligence.", []string{"United Kingdom", "United States"}},
		{"dotted alias", "The U.S. Treasury froze the assets.", []string{"United States"}},
		{"UK nations", "Police in Scotland, Wales and Northern Ireland joined the search.", []string{"United Kingdom"}},
		{"compound pair", "The UK-China relationship is under strain.", []string{"China", "United Kingdom"}},
		{"compound backed", "An Iran-backed group claimed the attack.", []string{"Iran"}},
		{"compound related", "A China-related plot was disrupted.", []string{"China"}},
		{"compound speaking", "Russian-speaking hackers were blamed.", []string{"Russia"}},
		{"compound led", "The US-led coalition struck overnight.", []string{"United States"}},
		{"possessive straight", "Iran's foreign ministry summoned the envoy.", []string{"Iran"}},
		{"possessive curly", "Iran’s foreign ministry summoned the envoy.", []string{"Iran"}},
		{"plural possessive curly", "The Britons’ lawyers appealed.", []string{"United Kingdom"}},
		{"all caps name", "IRAN WARNS OF RETALIATION", []string{"Iran"}},
		{"pronoun us", "He told us that the rest of us would be safe.", []string{}},
		{"US in all-caps run", "WHY THE US IS ANGRY", []string{}},
		{"substring Miranda", "Miranda said the file was lost.", []string{}},
		{"substring USB", "A USB stick was found in his bag.", []string{}},
		{"lower-case common word", "The turkey and the china were on the table.", []string{}},
		{"stop New Jersey", "He grew up in New Jersey.", []string{}},
		{"stop Latin America", "Cartels across Latin America moved the money.", []string{}},
		{"ambiguous capital", "Victoria said she had not seen the letter.", []string{}},
		{"Indian Ocean is not India", "The ship sank in the Indian Ocean.", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tagOne(t, tg, tc.text).Country
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Country of %q: got %q, want %q (-want +got):\n%s", tc.text, got, tc.want, diff)
			}
		})
	}
}

// A country's names are offered as its aliases in searches; its parts,
// seats of government and former names tag it but are not its names.
func TestCountryAliases(t *testing.T) {
	tg := tagger(t)
	for _, tc := range []struct {
		country     string
		names, not  []string
		partsTagged string
	}{
		{"United Kingdom", []string{"UK", "Britain", "British"}, []string{"Scotland", "Welsh", "Downing Street"}, "Scottish and Welsh ministers met in Cardiff."},
		{"Somalia", []string{"Somali"}, []string{"Somaliland", "Puntland"}, "Fighting resumed in Puntland."},
		{"Russia", []string{"Russian Federation", "Russian"}, []string{"Soviet Union", "Kremlin"}, "The Soviet Union collapsed in 1991."},
	} {
		aliases := tg.Aliases(FieldCountry, tc.country)
		for _, n := range tc.names {
			if !slices.Contains(aliases, n) {
				t.Errorf("aliases of %s %q lack %q", tc.country, aliases, n)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(aliases, n) {
				t.Errorf("aliases of %s %q hold %q, which is not a name of it", tc.country, aliases, n)
			}
		}
		if got := tagOne(t, tg, tc.partsTagged).Country; !slices.Contains(got, tc.country) {
			t.Errorf("Country of %q: %q, want %s", tc.partsTagged, got, tc.country)
		}
	}
}

// An actor's names are offered as its aliases, those guarded only by
// unless words ("IRA") too; strict ones ("IS") are not, since searching
// them would match the common word.
func TestActorAliases(t *testing.T) {
	tg := tagger(t)
	for _, tc := range []struct {
		actor      string
		names, not []string
	}{
		{"IRA", []string{"IRA", "Provisionals", "Irish Republican Army"}, nil},
		{"Islamic State", []string{"ISIS", "Daesh"}, []string{"IS"}},
	} {
		aliases := tg.Aliases(FieldActor, tc.actor)
		for _, n := range tc.names {
			if !slices.Contains(aliases, n) {
				t.Errorf("aliases of %s %q lack %q", tc.actor, aliases, n)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(aliases, n) {
				t.Errorf("aliases of %s %q hold the strict %q", tc.actor, aliases, n)
			}
		}
	}
}

// TestEveryCountryName checks that every country of the gazetteer is found
// by its canonical name.
func TestEveryCountryName(t *testing.T) {
	tg := tagger(t)
	for _, c := range gazetteer() {
		text := "Officials said " + c.common + " had been informed."
		got := tagOne(t, tg, text).Country
		if !slices.Contains(got, c.common) {
			t.Errorf("Country of %q: got %q, want it to contain %q", text, got, c.common)
		}
	}
}

func TestActors(t *testing.T) {
	tg := tagger(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"MI5 by name", "MI5 has tracked the network for a year.", []string{"MI5"}},
		{"MI5 by alias", "The Security Service opened an investigation.", []string{"MI5"}},
		{"FSB not MI5", "Russia's Federal Security Service detained him.", []string{"FSB"}},
		{"MI6 and SIS", "MI6, formally the Secret Intelligence Service or SIS, ran the agent.", []string{"MI6"}},
		{"possessive acronym", "MI5’s mission has changed.", []string{"MI5"}},
		{"Isis Isil Daesh", "Isis, Isil and Daesh are names for one group.", []string{"Islamic State"}},
		{"ISIS upper case", "The ISIS cell was dismantled.", []string{"Islamic State"}},
		{"IS in prose", "He pledged allegiance to IS before the attack.", []string{"Islamic State"}},
		{"IS fighters", "Former IS fighters are held in camps.", []string{"Islamic State"}},
		{"IS-inspired", "It was an IS-inspired plot.", []string{"Islamic State"}},
		{"IS fighters in caps", "BRITISH IS FIGHTERS RETURN", []string{"Islamic State"}},
		{"IS verb in caps", "WHY THE THREAT IS GROWING", []string{}},
		{"Is question", "Is it time to review the law?", []string{}},
		{"IRA the group", "The IRA declared an end to its armed campaign.", []string{"IRA"}},
		{"IRA funds raised", "The IRA raised funds through smuggling.", []string{"IRA"}},
		{"IRA in caps", "IRA BOMB HITS LONDON", []string{"IRA"}},
		{"IRA retirement account", "The bank offers a fund for IRA's and other retirement accounts.", []string{}},
		{"IRA account", "Savers may open an IRA account before April.", []string{}},
		{"IRA next sentence", "He moved his savings. The IRA had bombed the town.", []string{"IRA"}},
		{"al-Qaeda spellings", "Al-Qaeda, al Qaeda and al-Qaida are one group.", []string{"al-Qaida"}},
		{"IRGC", "The Islamic Revolutionary Guard Corps, or IRGC, was sanctioned.", []string{"IRGC"}},
		{"Revolutionary Guards and Quds Force", "Iran's Revolutionary Guards and the Quds Force were named.", []string{"IRGC", "Quds Force"}},
		{"CPS", "The Crown Prosecution Service, or CPS, dropped the case.", []string{"Crown Prosecution Service"}},
		{"parties", "Labour and the Tories clashed, while the Lib Dems abstained.", []string{"Conservative Party", "Labour Party", "Liberal Democrats"}},
		{"Conservative adjective", "A Conservative MP raised the case.", []string{"Conservative Party"}},
		{"the Met", "The Met said Scotland Yard was leading the inquiry.", []string{"Metropolitan Police"}},
		{"met verb", "They met at a cafe.", []string{}},
		{"Met Office stop", "The Met Office issued a warning.", []string{}},
		{"Hezbollah and Hamas", "Hizbollah and Hamas leaders met in Beirut.", []string{"Hamas", "Hezbollah"}},
		{"Houthis", "Ansar Allah, known as the Houthis, attacked a tanker.", []string{"Houthis"}},
		{"cyber groups", "Fancy Bear and Volt Typhoon were blamed.", []string{"APT28", "Volt Typhoon"}},
		{"CCP", "The CCP and the Chinese Communist Party are the same.", []string{"Chinese Communist Party"}},
		{"known person", "Putin met Xi in Moscow.", []string{"Vladimir Putin", "Xi Jinping"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tagOne(t, tg, tc.text).Actor
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Actor of %q: got %q, want %q (-want +got):\n%s", tc.text, got, tc.want, diff)
			}
		})
	}
}

func TestPeople(t *testing.T) {
	tg := tagger(t)
	tests := []struct {
		name  string
		title string
		paras []string
		want  [][]string // actors per paragraph
	}{
		{
			name:  "surname resolves to earlier full name",
			paras: []string{"The director general, Ken McCallum, gave his annual update.", "McCallum said the threat was rising.", "In McCallum's view, it was."},
			want:  [][]string{{"Ken McCallum"}, {"Ken McCallum"}, {"Ken McCallum"}},
		},
		{
			name:  "surname alone without full name",
			paras: []string{"Berry said he was innocent."},
			want:  [][]string{{}},
		},
		{
			name:  "title cue without full name",
			paras: []string{"Mr Cash denied the charges."},
			want:  [][]string{{"Cash"}},
		},
		{
			name:  "title cue with earlier full name",
			paras: []string{"Christopher Cash was a researcher.", "Mr Cash denied the charges."},
			want:  [][]string{{"Christopher Cash"}, {"Christopher Cash"}},
		},
		{
			name:  "lower-case word is not a surname",
			paras: []string{"Christopher Cash was a researcher.", "He was paid in cash."},
			want:  [][]string{{"Christopher Cash"}, {}},
		},
		{
			name:  "sentence-initial surname",
			paras: []string{"Christopher Berry was a teacher.", "Berry, who lived abroad, was charged."},
			want:  [][]string{{"Christopher Berry"}, {"Christopher Berry"}},
		},
		{
			name:  "quoted code name",
			paras: []string{"He met an intelligence officer known as “Alex” in a hotel."},
			want:  [][]string{{}},
		},
		{
			name:  "East Asian family name first",
			paras: []string{"Cai Qi, a member of the politburo, was named.", "Cai did not respond."},
			want:  [][]string{{"Cai Qi"}, {"Cai Qi"}},
		},
		{
			name:  "role cue and appositive",
			paras: []string{"The prime minister, Keir Starmer, chaired the meeting with Home Secretary Shabana Mahmood."},
			want:  [][]string{{"Keir Starmer", "Shabana Mahmood"}},
		},
		{
			name:  "particles and hyphens",
			paras: []string{"Mohammed bin Salman met Bashar al-Assad and Jean-Pierre Dupont."},
			want:  [][]string{{"Bashar al-Assad", "Jean-Pierre Dupont", "Mohammed bin Salman"}},
		},
		{
			name:  "kept title",
			paras: []string{"Lord Walney published his review of political violence."},
			want:  [][]string{{"Lord Walney"}},
		},
		{
			name:  "double-barrelled surname",
			paras: []string{"GCHQ's director, Anne Keast-Butler, spoke first.", "Keast-Butler said the agency was ready."},
			want:  [][]string{{"Anne Keast-Butler", "GCHQ"}, {"Anne Keast-Butler"}},
		},
		{
			name:  "title before a hyphenated name",
			paras: []string{"The judge, Mrs Justice Cheema-Grubb, passed sentence."},
			want:  [][]string{{"Cheema-Grubb"}},
		},
		{
			name:  "month as surname, not before a year",
			paras: []string{"Theresa May said in May 2017 that the law would change."},
			want:  [][]string{{"Theresa May"}},
		},
		{
			name:  "organisation named like a person",
			paras: []string{"Victoria Coates spoke at Victoria Station."},
			want:  [][]string{{"Victoria Coates"}},
		},
		{
			name:  "country in the run",
			paras: []string{"Tom visited China Town."},
			want:  [][]string{{}},
		},
		{
			name:  "title introduces the name",
			title: "Spy chief Ken McCallum warns of rising threat",
			paras: []string{"McCallum said state threats were growing."},
			want:  [][]string{{"Ken McCallum"}},
		},
		{
			name:  "headline-case title is not searched for names",
			title: "Spy Chief Ken McCallum Warns Of Rising Threat",
			paras: []string{"McCallum said state threats were growing."},
			want:  [][]string{{}},
		},
		{
			name:  "names do not leak across articles",
			paras: []string{"McCallum said state threats were growing."},
			want:  [][]string{{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := tg.Tag(tc.title, tc.paras)
			got := make([][]string, len(out))
			for i, f := range out {
				got[i] = f.Actor
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("actors of %q: got %q, want %q (-want +got):\n%s", tc.paras, got, tc.want, diff)
			}
		})
	}
}

func TestTopics(t *testing.T) {
	tg := tagger(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"espionage", "The researcher was accused of spying and passing secrets to a foreign intelligence officer.", []string{"espionage"}},
		{"espionage stems", "Spies and a double agent were exposed.", []string{"espionage"}},
		{"terrorism", "Police foiled a terror plot to bomb a concert.", []string{"terrorism"}},
		{"state-threats", "Officials warned of hostile state activity and foreign interference in elections.", []string{"politics", "state-threats"}},
		{"prosecution", "He was convicted at trial and will be sentenced next month.", []string{"prosecution"}},
		{"prosecution stem", "Prosecutors decided to prosecute.", []string{"prosecution"}},
		{"radicalisation", "The teenager was radicalised after watching extremist videos.", []string{"radicalisation"}},
		{"cyber", "Hackers deployed ransomware against the council's servers.", []string{"cyber"}},
		{"computer virus", "A computer virus is spreading through e-mail attachments.", []string{"cyber"}},
		{"computer worms", "Computer worms copied themselves across the network.", []string{"cyber"}},
		{"biological virus", "The virus spread through the province within weeks.", []string{}},
		{"politics", "Ministers faced questions in parliament from opposition MPs.", []string{"politics"}},
		{"surveillance", "The agency used surveillance and intercepted his phone calls.", []string{"surveillance"}},
		{"weights below threshold", "The secret was kept.", []string{}},
		{"neutral", "The weather was mild and the trains ran on time.", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tagOne(t, tg, tc.text).Topic
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Topic of %q: got %q, want %q (-want +got):\n%s", tc.text, got, tc.want, diff)
			}
		})
	}
}

func TestTopicsList(t *testing.T) {
	want := []string{"espionage", "terrorism", "state-threats", "prosecution", "radicalisation", "cyber", "politics", "surveillance"}
	got := Topics()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Topics() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if Topics()[0] != "espionage" {
		t.Errorf("Topics() returned the package's own slice")
	}
}

func TestEmptyAndShape(t *testing.T) {
	tg := tagger(t)
	if got := tg.Tag("", nil); len(got) != 0 {
		t.Errorf("Tag(nil) = %v, want empty", got)
	}
	out := tg.Tag("", []string{"", "   ", "…"})
	if len(out) != 3 {
		t.Fatalf("Tag returned %d facets, want 3", len(out))
	}
	for i, f := range out {
		if f.Country == nil || f.Actor == nil || f.ActorKind == nil || f.Topic == nil {
			t.Errorf("paragraph %d: nil slice in %+v", i, f)
		}
	}
}

func TestExtraFile(t *testing.T) {
	tg, err := New(Options{ExtraFile: filepath.Join("testdata", "extra.yaml")})
	if err != nil {
		t.Fatalf("New with extra file: %v", err)
	}
	tests := []struct {
		name string
		text string
		want Facets
	}{
		{"country alias", "A sleeper agent was planted in Blighty.", Facets{Country: []string{"United Kingdom"}, Actor: []string{}, Topic: []string{"espionage"}}},
		{"second country alias", "Persia and Airstrip One were mentioned.", Facets{Country: []string{"Iran", "United Kingdom"}, Actor: []string{}, Topic: []string{}}},
		{"new actor", "The NPSA issued guidance.", Facets{Country: []string{}, Actor: []string{"National Protective Security Authority"}, Topic: []string{}}},
		{"alias for built-in actor", "Box 500 and HnH were cited.", Facets{Country: []string{}, Actor: []string{"Hope not Hate", "MI5"}, Topic: []string{}}},
		{"topic phrase", "Officers found a dead drop in the park.", Facets{Country: []string{}, Actor: []string{}, Topic: []string{"espionage"}}},
		{"built-in data still works", "MI5 said China posed a threat.", Facets{Country: []string{"China"}, Actor: []string{"MI5"}, Topic: []string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tagOne(t, tg, tc.text)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Facets{}, "ActorKind")); diff != "" {
				t.Errorf("Tag(%q) = %+v, want %+v (-want +got):\n%s", tc.text, got, tc.want, diff)
			}
			if len(got.ActorKind) != len(got.Actor) {
				t.Errorf("Tag(%q): ActorKind %q is not parallel to Actor %q", tc.text, got.ActorKind, got.Actor)
			}
		})
	}
	// The built-in tagger does not know the extra data.
	if got := tagOne(t, tagger(t), "The NPSA issued guidance in Blighty.").Actor; len(got) != 0 {
		t.Errorf("built-in tagger: Actor = %q, want none", got)
	}
}

func TestBadExtraFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		file    string // path, or content written to a temporary file when body is set
		body    string
		wantErr []string // substrings of the error
		isData  bool
	}{
		{
			name:    "shipped bad file: unknown topic",
			file:    filepath.Join("testdata", "bad_extra.yaml"),
			wantErr: []string{"bad_extra.yaml:5", `unknown topic "piracy"`},
			isData:  true,
		},
		{
			name:    "unknown country",
			body:    "countries:\n  Narnia Land: Narnia\n",
			wantErr: []string{"unknown_country.yaml:2", `"Narnia" is not a country name`},
			isData:  true,
		},
		{
			name:    "alias of another actor",
			body:    "actors:\n  - name: Secret Squirrels\n    kind: agency\n    aliases: [SIS]\n",
			wantErr: []string{"alias_of_another_actor.yaml:2", `alias "SIS"`, `"MI6"`},
			isData:  true,
		},
		{
			name:    "new actor without kind",
			body:    "actors:\n  - name: Secret Squirrels\n",
			wantErr: []string{"new_actor_without_kind.yaml:2", "unknown kind"},
			isData:  true,
		},
		{
			name:    "unknown key",
			body:    "countries: {}\nplaces: {}\n",
			wantErr: []string{"unknown_key.yaml:2", `unknown key "places"`},
			isData:  true,
		},
		{
			name:    "bad weight",
			body:    "topics:\n  cyber:\n    terms:\n      hack*: lots\n",
			wantErr: []string{"bad_weight.yaml:4", "weight"},
			isData:  true,
		},
		{
			name:    "short stem",
			body:    "topics:\n  cyber:\n    terms:\n      ha*: 1\n",
			wantErr: []string{"short_stem.yaml:4", "stem"},
			isData:  true,
		},
		{
			name:    "malformed YAML",
			body:    "countries: [unclosed\n",
			wantErr: []string{"malformed_YAML.yaml"},
			isData:  true,
		},
		{
			name:    "missing file",
			file:    filepath.Join(dir, "nope.yaml"),
			wantErr: []string{"nope.yaml"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if tc.body != "" {
				file = filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
				if err := os.WriteFile(file, []byte(tc.body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tg, err := New(Options{ExtraFile: file})
			if err == nil {
				t.Fatalf("New(%s) = %v, nil; want an error", file, tg)
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q: want it to contain %q", err, s)
				}
			}
			if got := errors.Is(err, ErrData); got != tc.isData {
				t.Errorf("errors.Is(%q, ErrData) = %v, want %v", err, got, tc.isData)
			}
			if !tc.isData && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %q: want it to wrap fs.ErrNotExist", err)
			}
		})
	}
}

// TestConcurrentTag checks that concurrent Tag calls agree with a
// sequential run (run with -race).
func TestConcurrentTag(t *testing.T) {
	tg := tagger(t)
	paras := sampleParagraphs
	if p, err := readSeed(); err == nil {
		paras = p
	}
	want := tg.Tag("Spy chief warns of threats", paras)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				got := tg.Tag("Spy chief warns of threats", paras)
				if diff := cmp.Diff(want, got); diff != "" {
					errs <- diff
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for d := range errs {
		t.Errorf("concurrent Tag differs from sequential (-want +got):\n%s", d)
	}
}
