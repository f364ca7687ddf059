// Command sdngen converts the US Treasury's OFAC SDN list (legacy CSV
// format: sdn.csv and alt.csv) into lexicon/sdn.yaml, the actor gazetteer
// of sanctioned armed groups and state security bodies.
//
// It keeps entities (not individuals, vessels or aircraft) of the
// terrorism programmes (FTO, SDGT) whose names are those of groups, and
// state bodies (ministries, intelligence services, armed forces, police)
// of the country programmes (IRAN, IRGC, SYRIA, DPRK*, RUSSIA-*, UKRAINE-*,
// BELARUS, BURMA-*, VENEZUELA-*). Companies, charities, banks and media
// are left out. Names are recased from OFAC's capitals ("AL-NUSRAH FRONT"
// → "al-Nusrah Front"); aliases come from alt.csv and the "a.k.a." remarks,
// minus those that are too short, generic or listed in reviewDrop, and
// those that two entries share. An entry whose name or alias is already an
// actor of the hand-written lexicon files (-lexicon) adds its remaining
// aliases to that actor instead of making a new one. Each entry records
// its source: the list, its date and the OFAC entity number and programmes.
//
// Usage (from index/enrich, as go generate does):
//
//	go run ./internal/sdngen -data ../../../shared/data/ofac-sdn -out lexicon/sdn.yaml
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// listDate is the date of the snapshot in ../shared/data/ofac-sdn.
const listDate = "2021-07-07"

func main() {
	data := flag.String("data", "../../../shared/data/ofac-sdn", "directory holding sdn.csv and alt.csv")
	out := flag.String("out", "lexicon/sdn.yaml", "output file")
	lex := flag.String("lexicon", "lexicon", "directory of the hand-written actor files (actors.yaml, organisations.yaml, conflicts.yaml)")
	flag.Parse()
	if err := run(*data, *lex, *out); err != nil {
		fmt.Fprintln(os.Stderr, "sdngen:", err)
		os.Exit(1)
	}
}

// entry is one actor of the output.
type entry struct {
	num      string
	name     string // recased
	kind     string // "" for an existing actor
	existing bool
	aliases  []string
	programs []string
}

func run(dataDir, lexDir, out string) error {
	sdn, err := readCSV(filepath.Join(dataDir, "sdn.csv"))
	if err != nil {
		return err
	}
	alt, err := readCSV(filepath.Join(dataDir, "alt.csv"))
	if err != nil {
		return err
	}
	known, err := knownActors(lexDir, "actors.yaml", "organisations.yaml", "conflicts.yaml")
	if err != nil {
		return err
	}
	alts := map[string][]string{}
	for _, r := range alt {
		if len(r) >= 4 && (field(r[2]) == "aka" || field(r[2]) == "fka") {
			alts[field(r[0])] = append(alts[field(r[0])], field(r[3]))
		}
	}
	var entries []*entry
	for _, r := range sdn {
		if len(r) < 12 || field(r[2]) != "" {
			continue // an individual, vessel or aircraft
		}
		progs := strings.Split(field(r[3]), "] [")
		name := field(r[1])
		if reviewDropEntity[name] {
			continue
		}
		kind := classify(name, progs)
		if kind == "" {
			continue
		}
		e := &entry{num: field(r[0]), kind: kind, programs: progs}
		raw := append([]string{name}, alts[e.num]...)
		raw = append(raw, remarkAliases(field(r[11]))...)
		// "ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE": the
		// bracketed part is an alias of the whole only when it is all of
		// the rest; otherwise drop it from the name.
		for i, a := range raw {
			raw[i] = strings.TrimSpace(bracket.ReplaceAllString(a, ""))
		}
		if !keepAlias(raw[0]) && len(strings.FieldsFunc(raw[0], func(r rune) bool { return r == ' ' || r == '-' })) > 10 {
			continue // a name longer than any phrase the gazetteer takes
		}
		e.name = recase(raw[0])
		for _, a := range raw[1:] {
			if keepAlias(a) {
				e.aliases = append(e.aliases, recase(a))
			}
		}
		entries = append(entries, e)
	}

	// Aliases claimed by two entries are ambiguous: neither keeps them.
	count := map[string]int{}
	for _, e := range entries {
		seen := map[string]bool{}
		for _, a := range append([]string{e.name}, e.aliases...) {
			if k := fold(a); !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	for _, e := range entries {
		// An entry the lexicon already has becomes extra aliases of it.
		for _, a := range append([]string{e.name}, e.aliases...) {
			if n, ok := known[fold(a)]; ok {
				e.name, e.kind, e.existing = n, "", true
				break
			}
		}
		var keep []string
		seen := map[string]bool{fold(e.name): true}
		for _, a := range e.aliases {
			k := fold(a)
			if seen[k] || count[k] > 1 {
				continue
			}
			if _, ok := known[k]; ok {
				continue
			}
			seen[k] = true
			keep = append(keep, a)
		}
		e.aliases = keep
	}
	// Two SDN entries mapped to one existing actor, or repeated names:
	// merge.
	byName := map[string]*entry{}
	var merged []*entry
	for _, e := range entries {
		if m, ok := byName[e.name]; ok {
			for _, a := range e.aliases {
				if !slices.Contains(m.aliases, a) {
					m.aliases = append(m.aliases, a)
				}
			}
			m.num += "," + e.num
			continue
		}
		if e.existing && len(e.aliases) == 0 {
			continue // nothing to add
		}
		byName[e.name] = e
		merged = append(merged, e)
	}
	slices.SortFunc(merged, func(a, b *entry) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) })
	return write(out, merged)
}

var (
	bracket    = regexp.MustCompile(`\s*\([^)]*\)`)
	possessive = regexp.MustCompile(`['’][sS]\b`)
)

// readCSV reads an OFAC CSV file (Latin-1) as UTF-8 records.
func readCSV(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var u bytes.Buffer
	for _, c := range b {
		u.WriteRune(rune(c)) // Latin-1 to UTF-8
	}
	r := csv.NewReader(&u)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var recs [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		recs = append(recs, rec)
	}
}

// field trims a CSV field; OFAC writes an empty one as "-0-".
func field(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

var akaRe = regexp.MustCompile(`a\.k\.a\. '([^']+(?:'[A-Z][^']*)?)'`)

// remarkAliases returns the "a.k.a. '…'" aliases of a remarks field.
func remarkAliases(remarks string) []string {
	var out []string
	for _, m := range akaRe.FindAllStringSubmatch(remarks, -1) {
		out = append(out, m[1])
	}
	return out
}

// Programmes of state bodies of sanctioned countries.
var statePrograms = regexp.MustCompile(`^(IRAN|IRGC|SYRIA|DPRK\d?|RUSSIA-EO\d+|UKRAINE-EO\d+|BELARUS|BURMA-EO\d+|VENEZUELA(-EO\d+)?)$`)

var (
	// Words of a company, charity, bank, outlet or other non-group name.
	companyWords = regexp.MustCompile(`\b(LTD|LIMITED|LLC|L\.L\.C|INC|CO|COMPANY|CORP|CORPORATION|TRADING|EXCHANGE|BANK|SHIPPING|AIRLINES?|AIRWAYS|S\.A|SARL|GMBH|ESTABLISHMENT|TRUST|FOUNDATION|CHARIT\w*|RELIEF|WELFARE|AID|SOCIETY|INSTITUTE|UNIVERSITY|SCHOOL|HOSPITAL|CENTER|CENTRE|MEDIA|TV|TELEVISION|RADIO|NEWS|MAGAZINE|PUBLISHING|PRESS|AGENCY FOR|INDUSTR\w*|ENTERPRISES?|HOLDINGS?|GROUP OF COMPANIES|FACTORY|PLANT|OIL|PETRO\w*|GAS|TRAVEL|TOURS?|MARKET|STORE|HOTEL|RESTAURANT|INVESTMENT\w*|FINANCE|FINANCIAL|INSURANCE|CONSTRUCTION|ENGINEERING|ELECTRONICS?|TECHNOLOG\w*|SOLUTIONS|SERVICES|LOGISTICS|IMPORT|EXPORT|COMMERCIAL|MONEY|HAWALA|CURRENCY|JEWEL\w*|GOLD|MINING|FARMS?|AGRICULTUR\w*|EXCHANGE|OFFICE OF)\b`)
	// Words of an armed or terrorist group's name.
	groupWords = regexp.MustCompile(`\b(FRONT|ARMY|BRIGADES?|BATTALIONS?|MOVEMENT|ORGANI[SZ]ATION|JIHAD\w*|MUJAHID\w*|ISIS|ISIL|ISLAMIC STATE|HIZBALLAH|HIZBULLAH|KATA'?IB|JAYSH|JAISH|LASHKAR|HARAKAT|ANSAR\w*|QA'?IDA|TALIBAN|NETWORK|MILITIA|TEHRIK|JAMA'?AT\w*|HAMAS|PARTY|LIBERATION|REVOLUTIONARY|RESISTANCE|MARTYRS|GUARDS?|FORCES?|CORPS|TIGERS|COMMAND|SHABAAB|BOKO|DINE|IRA|PATH|LEGION|GROUP|UNION|SQUAD|COMMITTEE)\b`)
	// Words of a state body's name, by kind.
	stateKinds = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`\b(INTELLIGENCE|SECURITY SERVICE|STATE SECURITY|RECONNAISSANCE|SECURITY DIRECTORATE|COUNTERINTELLIGENCE|FSB|GRU|SVR)\b`), "agency"},
		{regexp.MustCompile(`\b(POLICE|LAW ENFORCEMENT|PROSECUTOR|INVESTIGATIVE COMMITTEE)\b`), "police"},
		{regexp.MustCompile(`\b(ARMY|ARMED FORCES|NAVY|AIR FORCE|GUARD CORPS|BRIGADE|BATTALION|REGIMENT|DIVISION|COMMAND|MILITARY|RESISTANCE FORCE|FORCES?|CORPS)\b`), "military"},
		{regexp.MustCompile(`\b(MINISTRY|MINISTER|DEPARTMENT OF|STATE AFFAIRS COMMISSION|WORKERS' PARTY|GENERAL STAFF)\b`), "government"},
	}
)

// classify returns the kind an entity gets, or "" to leave it out.
func classify(name string, progs []string) string {
	terror, state := false, false
	for _, p := range progs {
		switch {
		case p == "FTO" || p == "SDGT":
			terror = true
		case statePrograms.MatchString(p):
			state = true
		}
	}
	if strings.Contains(name, "IRGC") || strings.Contains(name, "REVOLUTIONARY GUARD") || strings.Contains(name, "BASIJ") || strings.Contains(name, "QODS FORCE") {
		return "military" // the IRGC is a state armed force (GUIDELINES.md)
	}
	if companyWords.MatchString(name) {
		return ""
	}
	if terror && (slices.Contains(progs, "FTO") || groupWords.MatchString(name)) {
		return "militant"
	}
	if state {
		for _, k := range stateKinds {
			if k.re.MatchString(name) {
				return k.kind
			}
		}
	}
	return ""
}

// reviewDrop lists aliases read and rejected: common words and phrases
// that name other things in news text, and acronyms with other common
// meanings.
var reviewDrop = map[string]bool{
	"THE YOUTH": true, "YOUTH WING": true, "THE BASE": true, "SUPPORTERS OF ISLAMIC LAW": true,
	"SUPPORTERS OF JERUSALEM": true, "ANSAR JERUSALEM": true, "THE VICTORY FRONT": true, "THE SENTINELS": true,
	"MASKED MEN BRIGADE": true, "WITNESSES IN BLOOD": true, "DEVOTEES OF ISLAM": true, "FOLLOWERS OF ISLAM IN KURDISTAN": true,
	"AL HAYAT": true, "THE ORGANIZATION": true, "THE MOVEMENT": true, "PARTY OF GOD": true, "ISLAMIC JIHAD": true,
	"REVOLUTIONARY GUARDS": true, "ARMY OF ISLAM": true, "JIHAD": true, "HOLY WARRIORS": true,
	"SL": true, "PCP": true, "EPL": true, "HM": true, "MSC": true, "ADF": true, "IG": true, "GI": true, "JUD": true,
	"MML": true, "CARD": true, "HUA": true, "HUM": true, "CPP": true, "ISP": true, "ISB": true, "JAT": true,
	"HSK": true, "KHK": true, "AAB": true, "LJ": true, "KAS": true, "K.A.S.": true, "IMU": true, "ASG": true,
	"PA": true, "PLF": true, "ELN": true, "PKK": false, "IRA": true, "RIRA": false, "NPA": true, "CIRA": false,
	"OIRA": true, "HQN": false, "SAVAK": false, "VEVAK": false, "MOIS": false,
	"ISLAMIC GROUP": true, "ISLAMIC ARMY": true, "AL-JIHAD": true, "NEW JIHAD": true, "HELPERS OF ISLAM": true,
	"PARTISANS OF ISLAM": true, "SOLDIERS OF ISLAM": true, "DEFENDERS OF ISLAM": true, "DEFENDERS OF THE FAITH": true,
	"ALEPH": true, "EKIN": true, "BATASUNA": true, "HERRI BATASUNA": true, "EUSKAL HERRITARROK": true, "AL-HADID": true,
	"AL-HADITH": true, "AL-FARAN": true, "HESN": true, "HAMMS": true, "HASSAM": true, "HASAM": true, "IRSAD": true,
	"JAMBS": true, "AL-HIJRA": true, "MUSLIM YOUTH CENTER": true, "STUDENTS OF THE ENGINEER": true, "STUDENTS OF AYYASH": true,
	"RED STAR FORCES": true, "RED STAR BATTALIONS": true, "SONS OF ABYAN": true, "SONS OF HADRAMAWT": true,
	"SONS OF HADRAMAWT COMMITTEE": true, "CIVIL COUNCIL OF HADRAMAWT": true, "NATIONAL HADRAMAWT COUNCIL": true,
	"SOLDIERS OF THE SHARIA": true, "PARTISANS OF ISLAMIC LAW": true, "ISLAMIC SALVATION FOUNDATION": true,
	"NATIONAL RESISTANCE MOBILIZATION": true, "XAKI": true, "AL-SABIRIN": true, "SHAM AL-ISLAM": true,
	"EGYPTIAN ISLAMIC JIHAD": false, "ISLAMIC RESISTANCE MOVEMENT": false, "GRAPO": false,
}

// reviewDropEntity lists entities read and rejected although the filters
// keep them: fronts, charities and companies whose names look like groups
// or state bodies, and generic names that would tag any such body.
var reviewDropEntity = map[string]bool{
	"MINISTRY OF LABOR": true, "GLOBAL VISION GROUP": true, "BAHMAN GROUP": true, "TALAQI GROUP": true,
	"BONYAD TAAVON BASIJ": true, "AEOI BASIJ RESISTANCE CENTER": true, "JIHAD AL-BINA": true,
	"IRANIAN COMMITTEE FOR THE RECONSTRUCTION OF LEBANON": true, "RECONSTRUCTION ORGANIZATION OF HOLY SHRINES IN IRAQ": true,
	"WAFA HUMANITARIAN ORGANIZATION": true, "NEW HORIZON ORGANIZATION": true, "TAMILS REHABILITATION ORGANISATION": true,
	"UNION OF GOOD": true, "MEHDI GROUP": true, "ARMY SUPPLY BUREAU": true,
	"FEDERAL STATE AUTONOMOUS INSTITUTION MILITARY INNOVATIVE TECHNOPOLIS ERA": true,
	"MINISTRY OF PEOPLE'S SECURITY CORRECTIONAL BUREAU":                        true, "MINISTRY OF STATE SECURITY PRISONS BUREAU": true,
	"SYRIAN MINISTRY OF TOURISM": true,
}

// keepAlias reports whether an OFAC alias is worth matching.
func keepAlias(a string) bool {
	a = strings.TrimSpace(a)
	if reviewDrop[a] {
		return false
	}
	if companyWords.MatchString(a) && !groupWords.MatchString(a) {
		return false // "al-Nujaba TV", "al-Qayrawan Media Foundation"
	}
	letters := 0
	for _, r := range a {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 || strings.ContainsAny(a, "0123456789/") {
		return false
	}
	// Short acronyms are ambiguous ("IJG", "AQY"): keep four letters
	// or more unless the review says otherwise.
	if !strings.Contains(a, " ") && !strings.Contains(a, "-") && letters <= 3 {
		if v, ok := reviewDrop[a]; ok {
			return !v
		}
		return false
	}
	if strings.HasPrefix(a, "THE ") && len(strings.Fields(a)) <= 3 {
		return false
	}
	// The gazetteer takes phrases of up to 12 words; hyphens split words.
	return len(strings.FieldsFunc(a, func(r rune) bool { return r == ' ' || r == '-' })) <= 10
}

// lowerWords are written in lower case inside a recased name.
var lowerWords = map[string]bool{
	"al": true, "el": true, "ul": true, "wal": true, "bin": true, "ibn": true, "e": true, "i": true,
	"of": true, "the": true, "and": true, "in": true, "for": true, "de": true, "fi": true, "li": true,
	"ad": true, "ash": true, "as": true, "an": true, "ar": true, "at": true, "az": true, "on": true, "to": true,
}

var acronymRe = regexp.MustCompile(`^(IRGC|ISIS|ISIL|IRA|TTP|DPRK|KGB|FSB|GRU|SVR|MOIS|PLO|PFLP|PKK|LTTE|US|UK|EU|UN|NK|RGB|MSS|SBU)$`)

// recase turns OFAC's capitals into the usual mixed case.
func recase(s string) string {
	if strings.ToUpper(s) != s {
		return s // already mixed case
	}
	if !strings.ContainsAny(s, " -'") && len(s) <= 6 {
		return s // a one-word alias this short is an acronym: "PJAK"
	}
	words := strings.Fields(s)
	for i, w := range words {
		parts := strings.Split(w, "-")
		for j, p := range parts {
			low := strings.ToLower(p)
			switch {
			case p == "":
				// "A--B"
			case unicode.IsDigit(rune(p[0])):
				parts[j] = low // "33rd"
			case acronymRe.MatchString(p) || !strings.ContainsAny(p, "AEIOUY") && len(p) > 1:
				// an acronym: kept
			case lowerWords[low] && (i > 0 || j > 0 || len(parts) > 1):
				parts[j] = low
			default:
				r := []rune(low)
				r[0] = unicode.ToUpper(r[0])
				// "Qa'ida", "Kata'ib": the letter after an apostrophe stays lower.
				parts[j] = string(r)
			}
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

// fold is the comparison form of a name: lower case, runs of other
// characters than letters and digits as one space.
func fold(s string) string {
	s = possessive.ReplaceAllString(s, "")
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		if r != '\'' && r != '’' {
			space = true
		}
	}
	return b.String()
}

// knownActors maps the folded names and aliases of the actors of the
// lexicon files to their canonical names.
func knownActors(dir string, files ...string) (map[string]string, error) {
	known := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		var doc struct {
			Actors []struct {
				Name    string   `yaml:"name"`
				Aliases []string `yaml:"aliases"`
				Strict  []string `yaml:"strict"`
			} `yaml:"actors"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, a := range doc.Actors {
			for _, n := range append(append([]string{a.Name}, a.Aliases...), a.Strict...) {
				known[fold(n)] = a.Name
			}
		}
	}
	return known, nil
}

// write writes the gazetteer file.
func write(path string, entries []*entry) error {
	var b strings.Builder
	b.WriteString(`# Generated by go generate (internal/sdngen) from the US Treasury OFAC
# Specially Designated Nationals list, snapshot ` + listDate + ` (public domain;
# ../shared/data/ofac-sdn). Do not edit: change internal/sdngen (its filters
# and reviewDrop list) or the hand-written lexicon files and regenerate.
# Format as in actors.yaml; an entry without a kind adds aliases to an actor
# of actors.yaml, organisations.yaml or conflicts.yaml. source: list, date, OFAC entity
# number(s) and programmes.

actors:
`)
	for _, e := range entries {
		fmt.Fprintf(&b, "  - name: %s\n", quote(e.name))
		if e.kind != "" {
			fmt.Fprintf(&b, "    kind: %s\n", e.kind)
		}
		if len(e.aliases) > 0 {
			q := make([]string, len(e.aliases))
			for i, a := range e.aliases {
				q[i] = quote(a)
			}
			fmt.Fprintf(&b, "    aliases: [%s]\n", strings.Join(q, ", "))
		}
		fmt.Fprintf(&b, "    source: %s\n", quote(fmt.Sprintf("OFAC SDN %s, ent_num %s [%s]", listDate, e.num, strings.Join(e.programs, " "))))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// quote writes s as a YAML scalar, quoted when needed.
func quote(s string) string {
	if strings.ContainsAny(s, ":#,[]{}&*!|>'\"%@`") || strings.HasPrefix(s, "-") {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return s
}
