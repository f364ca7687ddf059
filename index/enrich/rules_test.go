package enrich

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ruleCase is one text (an article: title "" and paragraphs) and what the
// last paragraph must and must not give.
type ruleCase struct {
	name     string
	paras    []string
	actors   []string // the last paragraph's actors must contain these
	noActors []string // and must not contain these
	country  []string // its countries must contain these
	noCtry   []string // and must not contain these
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	tg := tagger(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := tg.Tag("", tc.paras)
			f := out[len(out)-1]
			for _, w := range tc.actors {
				if !slices.Contains(f.Actor, w) {
					t.Errorf("actors = %q, want %q", f.Actor, w)
				}
			}
			for _, w := range tc.noActors {
				if slices.Contains(f.Actor, w) {
					t.Errorf("actors = %q, want no %q", f.Actor, w)
				}
			}
			for _, w := range tc.country {
				if !slices.Contains(f.Country, w) {
					t.Errorf("countries = %q, want %q", f.Country, w)
				}
			}
			for _, w := range tc.noCtry {
				if slices.Contains(f.Country, w) {
					t.Errorf("countries = %q, want no %q", f.Country, w)
				}
			}
			if len(f.ActorKind) != len(f.Actor) {
				t.Errorf("ActorKind %q is not parallel to Actor %q", f.ActorKind, f.Actor)
			}
		})
	}
}

func TestInstitutions(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "demonym and troops", paras: []string{"Nigerian troops clashed with militants."}, actors: []string{"Nigerian Armed Forces"}, country: []string{"Nigeria"}},
		{name: "service", paras: []string{"The French navy sent a frigate."}, actors: []string{"French Navy"}},
		{name: "possessive country name", paras: []string{"Iraq's defence ministry denied it."}, actors: []string{"Iraqi Defence Ministry"}},
		{name: "official name as written", paras: []string{"The Afghan National Army took the town."}, actors: []string{"Afghan National Army"}, country: []string{"Afghanistan"}},
		{name: "of form", paras: []string{"The Armed Forces of Ukraine said the attack failed."}, actors: []string{"Armed Forces of Ukraine"}},
		{name: "UK override", paras: []string{"British troops and the British army trained together."}, actors: []string{"British Armed Forces", "British Army"}},
		{name: "US override to a gazetteer actor", paras: []string{"The US defense ministry was not named, but American destroyers sailed."}, actors: []string{"Pentagon", "US Navy"}},
		{name: "Israel to the IDF", paras: []string{"Israeli forces entered the camp."}, actors: []string{"IDF"}},
		{name: "coordination", paras: []string{"Sales to the South African police and military were banned."}, actors: []string{"South African Police", "South African Armed Forces"}},
		{name: "former state", paras: []string{"Soviet troops left Afghanistan in 1989."}, actors: []string{"Soviet Armed Forces"}, country: []string{"Russia", "Afghanistan"}},
		{name: "alone form with one country", paras: []string{"In Egypt the Foreign Ministry summoned the envoy."}, actors: []string{"Egyptian Foreign Ministry"}},
		{name: "its troops", paras: []string{"Iraq said today its troops had advanced."}, actors: []string{"Iraqi Armed Forces"}},
		{name: "alone form with two countries", paras: []string{"France and Germany: the Foreign Ministry said no."}, noActors: []string{"French Foreign Ministry", "German Foreign Ministry"}},
		{name: "gazetteer phrase wins", paras: []string{"Russian military intelligence officers were named."}, actors: []string{"GRU"}, noActors: []string{"Russian Armed Forces"}},
		{name: "people of an institution are not it", paras: []string{"Russian officials and Lithuanian prosecutors met."}, noActors: []string{"Russian Armed Forces"}},
		{name: "a capital is a city", paras: []string{"Moscow police detained protesters."}, noActors: []string{"Russian Police"}},
		{name: "demonym alone is a country", paras: []string{"Russian attacks continued."}, country: []string{"Russia"}, noActors: []string{"Russian Armed Forces"}},
		{name: "a country before the UK's name of an institution", paras: []string{"The Russian Ministry of Defence said the Syrian Ministry of Justice had agreed; the British Ministry of Defence did not."}, actors: []string{"Russian Defence Ministry", "Syrian Justice Ministry", "Ministry of Defence"}},
		{name: "UK name alone stays the UK's", paras: []string{"The Ministry of Defence in Russia said nothing."}, actors: []string{"Ministry of Defence"}},
		{name: "federal police", paras: []string{"The Iraqi federal police and the Turkish gendarmerie were deployed."}, actors: []string{"Iraqi Federal Police", "Turkish Gendarmerie"}},
		{name: "military police", paras: []string{"Russian military police patrolled the road."}, actors: []string{"Russian Military Police"}, noActors: []string{"Russian Armed Forces"}},
		{name: "treasury bonds are not the Treasury", paras: []string{"US Treasury bonds rallied."}, noActors: []string{"US Treasury"}},
	})
}

func TestAcronyms(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "defined and used", paras: []string{"The Multinational Joint Task Force (MNJTF) said it had repelled an attack."}, actors: []string{"Multinational Joint Task Force"}},
		{name: "later paragraph", paras: []string{"The Lake Chad Basin Commission (LCBC) met.", "Later the LCBC said more."}, actors: []string{"Lake Chad Basin Commission"}},
		{name: "bound to a gazetteer actor", paras: []string{"The Islamic Revolutionary Guard Corps (IRGCs) was named.", "Then the IRGCs replied."}, actors: []string{"IRGC"}},
		{name: "not an organisation", paras: []string{"An Improvised Explosive Device (IED) was found.", "The IED was defused."}, noActors: []string{"Improvised Explosive Device", "IED"}},
		{name: "initials must match", paras: []string{"The Joint Task Force (XYZ) said.", "XYZ added."}, noActors: []string{"Joint Task Force"}},
		{name: "undefined acronym", paras: []string{"LCBC said nothing."}, noActors: []string{"Lake Chad Basin Commission"}},
		{name: "gazetteer acronym defined for another gazetteer name", paras: []string{"The railway asked the Interstate Commerce Commission (ICC) to act.", "The ICC refused."}, actors: []string{"Interstate Commerce Commission"}, noActors: []string{"International Criminal Court"}},
		{name: "gazetteer acronym alone", paras: []string{"The ICC issued a warrant."}, actors: []string{"International Criminal Court"}},
		{name: "acronym of the end of a longer name", paras: []string{"The Council of the European Union (EU) met."}, actors: []string{"Council of the European Union"}},
	})
}

func TestLeaders(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "surname with country", paras: []string{"Putin said Russia would respond."}, actors: []string{"Vladimir Putin"}},
		{name: "country earlier in the article", paras: []string{"Venezuela held elections.", "Pro-Maduro forces patrolled."}, actors: []string{"Nicolás Maduro"}},
		{name: "title", paras: []string{"President Erdoğan spoke."}, actors: []string{"Recep Tayyip Erdoğan"}},
		{name: "without diacritics", paras: []string{"President Erdogan spoke."}, actors: []string{"Recep Tayyip Erdoğan"}},
		{name: "accented full name", paras: []string{"Antonio Guterres spoke at the UN."}, actors: []string{"António Guterres"}},
		{name: "no guard", paras: []string{"Maduro said nothing new."}, noActors: []string{"Nicolás Maduro"}},
		{name: "title-only surname needs a title", paras: []string{"Brown said the UK would act."}, noActors: []string{"Gordon Brown"}},
		{name: "title-only surname with title", paras: []string{"Mr Brown said the UK would act."}, actors: []string{"Gordon Brown"}},
		{name: "woman's title", paras: []string{"Mrs Blair said Britain would act."}, noActors: []string{"Tony Blair"}},
		{name: "part of a longer name", paras: []string{"Laura Bush visited the United States."}, actors: []string{"Laura Bush"}, noActors: []string{"George W. Bush"}},
		{name: "earlier full name wins", paras: []string{"Kate Bush sang in the US.", "Bush smiled."}, actors: []string{"Kate Bush"}, noActors: []string{"George W. Bush"}},
		{name: "no surname for shared family names", paras: []string{"Castro spoke in Cuba."}, noActors: []string{"Fidel Castro", "Raúl Castro"}},
	})
}

func TestCountryEdges(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "Czechia", paras: []string{"Czechia expelled diplomats."}, country: []string{"Czech Republic"}},
		{name: "Eswatini", paras: []string{"Eswatini held elections."}, country: []string{"Swaziland"}},
		{name: "North Macedonia", paras: []string{"North Macedonia joined NATO."}, country: []string{"Macedonia"}},
		{name: "Türkiye", paras: []string{"Türkiye and Turkiye are one."}, country: []string{"Turkey"}},
		{name: "Kosovo", paras: []string{"Kosovo and Kosovar officials met in Pristina."}, country: []string{"Kosovo"}},
		{name: "given name is not a country", paras: []string{"Jordan Smith was charged."}, actors: []string{"Jordan Smith"}, noCtry: []string{"Jordan"}},
		{name: "country before a place noun", paras: []string{"Jordan Valley farmers protested."}, country: []string{"Jordan"}},
		{name: "country at sentence end", paras: []string{"He flew to Jordan."}, country: []string{"Jordan"}},
	})
}

func TestPeopleNames(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "hyphenated surname after two names", paras: []string{"The court heard from Sarah Jane Hollis-Barrow on Monday."},
			actors: []string{"Sarah Jane Hollis-Barrow"}, noActors: []string{"Sarah Jane Hollis"}},
		{name: "hyphenated surname", paras: []string{"Peter Lloyd-Webb was arrested."}, actors: []string{"Peter Lloyd-Webb"}},
	})
}

func TestKinds(t *testing.T) {
	tg := tagger(t)
	for _, tc := range []struct{ actor, kind string }{
		{"Islamic State", "militant"}, {"MI5", "agency"}, {"IRGC", "military"}, {"Amnesty International", "ngo"},
		{"International Court of Justice", "justice"}, {"French Navy", "military"}, {"Nigerian Armed Forces", "military"},
		{"Vladimir Putin", "person"}, {"Hizballah", ""}, {"nobody", ""},
	} {
		if got := tg.Kind(tc.actor); got != tc.kind {
			t.Errorf("Kind(%q) = %q, want %q", tc.actor, got, tc.kind)
		}
	}
	kinds := Kinds()
	for _, k := range []string{"person", "military", "militant", "ngo", "company", "media"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("Kinds() = %q, want %q in it", kinds, k)
		}
	}
	if !slices.IsSorted(kinds) {
		t.Errorf("Kinds() = %q, not sorted", kinds)
	}
	f := tagOne(t, tg, "MI5 and Hamas were named by Ken McCallum.")
	want := map[string]string{"MI5": "agency", "Hamas": "militant", "Ken McCallum": "person"}
	for i, a := range f.Actor {
		if want[a] != f.ActorKind[i] {
			t.Errorf("kind of %q = %q, want %q", a, f.ActorKind[i], want[a])
		}
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		changed  bool
	}{
		{"António Guterres", "Antonio Guterres", true},
		{"Erdoğan", "Erdogan", true},
		{"Łukasz Żółć", "Lukasz Zolc", true},
		{"Straße", "Strasse", true},
		{"plain", "plain", false},
		{"日本", "日本", false},
	} {
		got, changed := fold(tc.in)
		if got != tc.want || changed != tc.changed {
			t.Errorf("fold(%q) = %q, %v; want %q, %v", tc.in, got, changed, tc.want, tc.changed)
		}
	}
}

// TestGeneratedProvenance checks that every entry of the generated OFAC
// gazetteer says where it comes from.
func TestGeneratedProvenance(t *testing.T) {
	var doc struct {
		Actors []struct {
			Name   string `yaml:"name"`
			Source string `yaml:"source"`
		} `yaml:"actors"`
	}
	b, err := os.ReadFile("lexicon/sdn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Actors) < 50 {
		t.Fatalf("lexicon/sdn.yaml has %d entries, want at least 50", len(doc.Actors))
	}
	for _, a := range doc.Actors {
		if a.Source == "" {
			t.Errorf("sdn.yaml: %q has no source", a.Name)
		}
	}
}

// An acronym defined for a stop phrase ("the Met Office (MO)") binds to
// nothing; it once indexed the actor list with the stop marker.
func TestAcronymOfStopPhrase(t *testing.T) {
	tg, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := tg.Tag("", []string{"Forecasters at the Met Office (MO) said the storm would pass.", "The MO later revised it."})
	for _, f := range got {
		if slices.Contains(f.Actor, "MO") || slices.Contains(f.Actor, "Met Office") {
			t.Errorf("actors %v: want no actor for a stop phrase or its acronym", f.Actor)
		}
	}
}

func TestBodies(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "state court", paras: []string{"The Texas Supreme Court upheld the verdict."}, actors: []string{"Texas Supreme Court"}, noCtry: []string{"United States"}},
		{name: "state court of", paras: []string{"He appealed to the Supreme Court of Indiana."}, actors: []string{"Indiana Supreme Court"}},
		{name: "state department of justice", paras: []string{"The California Department of Justice opened an inquiry."}, actors: []string{"California Department of Justice"}, noActors: []string{"US Department of Justice"}},
		{name: "state department as written", paras: []string{"The Connecticut Department of Emergency Services and Public Protection said."}, actors: []string{"Connecticut Department of Emergency Services and Public Protection"}},
		{name: "state office and guard", paras: []string{"The Ohio attorney general's office asked for the Ohio National Guard."}, actors: []string{"Ohio Attorney General's Office", "Ohio National Guard"}, noActors: []string{"National Guard"}},
		{name: "state legislature", paras: []string{"The Michigan legislature passed the bill."}, actors: []string{"Michigan Legislature"}},
		{name: "committee", paras: []string{"The House Intelligence Committee met."}, actors: []string{"House Intelligence Committee"}, noActors: []string{"US House of Representatives"}},
		{name: "committee with and", paras: []string{"She chaired the House Oversight and Reform Committee."}, actors: []string{"House Oversight and Reform Committee"}},
		{name: "coordinated committees", paras: []string{"The House Judiciary and Intelligence committees met."}, actors: []string{"House Judiciary Committee", "House Intelligence Committee"}},
		{name: "committee on", paras: []string{"The Senate Committee on Foreign Relations met on Monday."}, actors: []string{"Senate Committee on Foreign Relations"}},
		{name: "committee not a date", paras: []string{"The Senate Agriculture Committee on Monday voted."}, actors: []string{"Senate Agriculture Committee"}},
		{name: "two ands unclear", paras: []string{"The House Ways and Means and Senate Finance committees met."}, noActors: []string{"House Ways Committee"}},
		{name: "a House committee is the House", paras: []string{"A House committee met."}, actors: []string{"US House of Representatives"}},
		{name: "commons committee", paras: []string{"The Commons Home Affairs Committee said."}, actors: []string{"Home Affairs Committee"}},
		{name: "joint committee on", paras: []string{"The Joint Committee on the National Security Strategy reported."}, actors: []string{"Joint Committee on the National Security Strategy"}},
		{name: "place court", paras: []string{"He appeared at Westminster Magistrates' Court."}, actors: []string{"Westminster Magistrates' Court"}},
		{name: "crown court", paras: []string{"He was jailed at Birmingham Crown Court."}, actors: []string{"Birmingham Crown Court"}},
		{name: "federal district court", paras: []string{"A hearing in the U.S. Bankruptcy Court for the Southern District of Texas."}, actors: []string{"US Bankruptcy Court for the Southern District of Texas"}},
		{name: "prosecutor general", paras: []string{"The Russian Prosecutor General's Office opened a case."}, actors: []string{"Russian Prosecutor General's Office"}},
		{name: "federal prosecutor", paras: []string{"Germany's federal prosecutor's office charged him."}, actors: []string{"German Federal Prosecutor's Office"}},
		{name: "judiciary", paras: []string{"The Iranian judiciary sentenced him."}, actors: []string{"Iranian Judiciary"}},
		{name: "lower-case ministry of the only country", paras: []string{"In Serbia, the interior ministry banned the march."}, actors: []string{"Serbian Interior Ministry"}},
		{name: "sole country supreme court", paras: []string{"In Pakistan, the Supreme Court ruled."}, actors: []string{"Pakistani Supreme Court"}},
		{name: "city-state is a country", paras: []string{"The Singapore High Court adjourned."}, actors: []string{"Singapore High Court"}},
		{name: "alone form of another body", paras: []string{"The Supreme Court of Western Australia heard it."}, noActors: []string{"Australian Supreme Court"}},
	})
}

func TestCompanies(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "security role", paras: []string{"The US sanctioned Rosneft over the oil shipments."}, actors: []string{"Rosneft"}},
		{name: "hacked", paras: []string{"Hackers stole funds from Bybit."}, actors: []string{"Bybit"}},
		{name: "business story", paras: []string{"Boeing reported higher profits on strong demand."}, noActors: []string{"Boeing"}},
		{name: "platform as medium", paras: []string{"The minister wrote on Twitter that the attack was cowardly."}, noActors: []string{"Twitter"}},
	})
}

func TestNamedAfter(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "foundation", paras: []string{"Donations went to the Imus Ranch Foundation."}, actors: []string{"Imus Ranch Foundation"}},
		{name: "no determiner", paras: []string{"The Foundation said."}, noActors: []string{"The Foundation"}},
		{name: "ngo list", paras: []string{"B'Tselem and the HALO Trust said."}, actors: []string{"B'Tselem", "HALO Trust"}},
		{name: "initiative is no ngo", paras: []string{"The New York Declaration on Action against Hunger and Poverty."}, noActors: []string{"Action Against Hunger"}},
		{name: "uk select committee", paras: []string{"The Home Affairs Select Committee reported."}, actors: []string{"Home Affairs Committee"}},
	})
}
