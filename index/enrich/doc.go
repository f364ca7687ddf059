// Package enrich tags each paragraph of an article with three multi-valued
// keyword facets: the countries it is about, the actors it names
// (organisations, groups and people) and its topics. Values are canonical:
// one spelling per country, actor and topic, whatever the text says.
//
//	tg, err := enrich.New(enrich.Options{ExtraFile: "extra.yaml"})
//	facets := tg.Tag(title, paragraphs) // one Facets per paragraph
//
// A Tagger is built once and is then safe for concurrent use. The first
// New in a process parses the gountries data (a few hundred milliseconds);
// later calls reuse it and take a few milliseconds. Tag does no regular-expression matching: each
// paragraph is split once into word tokens and looked up in token tries
// built by New, so a typical 400-character paragraph costs well under
// 50 µs (see BenchmarkTag).
//
// # Tokens and matching
//
// Text is split into words at spaces and punctuation. Curly and straight
// apostrophes are the same; a possessive "'s" is dropped ("Iran’s" is Iran,
// "McCallum's" is McCallum); hyphens split compounds ("UK-China" is UK +
// China, "Iran-backed" is Iran + backed) but, like spaces, do not break a
// phrase ("al-Qaeda" = "al Qaeda"). Phrases never match across other
// punctuation (commas, quotes, sentence ends) unless written with it.
// Matching is on whole words, so "Iranian" matches but "Miranda" does not,
// and "US" matches but "USB" does not. Case matters: a phrase word in mixed
// case ("China") matches that exact case or ALL CAPS; one in capitals ("US",
// "MI5") only capitals; one in lower case ("the", "al") any case. So "us"
// (the pronoun) is never the United States, and "met" in "we met" is never
// the Metropolitan Police. At each word the longest phrase wins.
//
// # Country
//
// Canonical values are the common English short names of the gazetteer of
// github.com/pariz/gountries ("United Kingdom", "China", "Iran", "Russia",
// "United States", "North Korea", ...), every country and territory it
// lists. Recognised: common and official names and capitals from gountries,
// plus lexicon/countries.tsv for demonyms (singular and plural: "Chinese",
// "Britons", "Afghans"), aliases ("UK", "Britain", "England", "Scotland",
// "Wales" and "Northern Ireland" all give United Kingdom; "US", "USA",
// "America"), and seats of government used as metonyms ("the Kremlin",
// "Downing Street", "Whitehall", "the White House"). Alpha-2 and alpha-3
// codes are not matched wholesale (too many are English words: "IS", "IT",
// "NO", "CAN"); the few that are used in prose are aliases in the data file.
// "US" is a strict alias: it is ignored inside a run of three or more
// ALL-CAPS words, where it may be the pronoun. Stop phrases remove
// ambiguous capitals and names ("Victoria", "Kingston", "Sofia") and
// phrases that contain a country word but mean something else ("New
// Jersey", "Latin America", "Paris Hilton").
//
// # Actor
//
// Every actor has a kind (Facets.ActorKind, parallel to Facets.Actor;
// Tagger.Kind; the list is Kinds): person, government, military, agency,
// police, justice, international, militant, extremist, party, ngo, cyber,
// company, media or organisation, as defined in
// testdata/entities/GUIDELINES.md.
//
// Organisations and groups come from the gazetteers lexicon/actors.yaml
// (the security domain), lexicon/organisations.yaml (international bodies,
// UN agencies and missions, courts, legislatures, US and UK departments and
// forces, coalitions, commands and operations, armed groups of current
// conflicts, NGOs, parties), lexicon/conflicts.yaml (armed groups, state
// forces and bodies, parties, operations and missions of the wars in Syria
// and Iraq and other current conflicts) and lexicon/sdn.yaml (generated from the OFAC
// sanctions list: terrorist organisations, armed groups and state security
// bodies with their transliterations; see make gazetteers): canonical
// name, kind and aliases ("Security Service" is MI5, "Isil" and "Daesh" are
// Islamic State, "al-Qaeda" is al-Qaida, "Tories" is the Conservative
// Party). Every alias also matches without diacritics ("Medecins Sans
// Frontieres"). An alias that is also an English word, like "IS", is
// strict: it is kept only in mixed-case prose or next to a context word
// ("IS fighters", "joined IS", "IS-inspired"), never in an ALL-CAPS run
// and never as "Is".
//
// National institutions are generated, not listed (lexicon/institutions.yaml):
// a country word next to an institution noun names that country's
// institution, with one canonical name per country and class: "Nigerian
// troops" and "Nigeria's armed forces" are the Nigerian Armed Forces, "the
// French navy" the French Navy, "Iraq's defence ministry" the Iraqi Defence
// Ministry, "the Armed Forces of Ukraine" as written, "US troops" the US
// Armed Forces, "British troops" the British Armed Forces, "Israeli forces"
// the IDF, "Soviet troops" the Soviet Armed Forces; "South African police
// and military" gives both. A capitalised standalone form ("the Defence
// Ministry", "Parliament", "its troops") names the institution of the
// paragraph's only country. A capital is a city ("Moscow police" is no
// actor), and people of an institution are not the institution ("Russian
// officials", "Lithuanian prosecutors"). A longer gazetteer phrase wins
// ("Russian military intelligence" is the GRU).
//
// Sub-national and legislative bodies are generated too (the bodies section
// of lexicon/institutions.yaml): a US state's name before an institution form
// ("the Texas Supreme Court", "the California Department of Justice", "the Ohio
// National Guard", "the Michigan legislature"), a chamber before a committee
// ("the House Intelligence Committee", "the Senate Committee on Foreign
// Relations", "the Commons home affairs committee" is the Home Affairs
// Committee; "the House Judiciary and Intelligence committees" gives two), a
// head after the words that name it ("Westminster Magistrates' Court", "the
// Imus Ranch Foundation") and US district courts by district.
//
// Companies (lexicon/companies.yaml and any extra actor of kind company) count
// only in a security role: a company is kept only in a paragraph with a word
// such as "sanctioned", "hacked", "spying", "arms" or "indicted".
//
// An acronym defined on first use binds within the article: "the
// Multinational Joint Task Force (MNJTF)" tags the task force, and a later
// "MNJTF" is the same actor. The bracketed capitals must be the initials of
// the words before the bracket, and the last of those words an
// organisation noun ("Force", "Commission", "Court", "Front", ...), so
// "Improvised Explosive Device (IED)" is no actor; if the words are a
// gazetteer actor, the acronym is bound to it.
//
// People are found by rules over lexicon/names.txt and lexicon/given.txt
// (generated from public first-name lists), without a statistical model:
//
//   - a given name (a list of about ten thousand from many cultures) followed
//     by one or two capitalised words: "Ken McCallum", "Alicia Kearns",
//     with particles, initials and hyphens ("Mohammed bin Salman",
//     "Bashar al-Assad", "Jean-Pierre Dupont");
//   - an East Asian family name followed by one or two capitalised words:
//     "Cai Qi", "Wang Yi";
//   - capitalised words after a title ("Mr", "Dr", "President",
//     "Minister", ...) or after a role noun ("spokesman", "the prime
//     minister,"). After a capitalised title one word is enough: "Mr Cash"
//     gives "Cash" (or the full name if known), "Lord Walney" keeps its
//     title.
//
// A capitalised run is not a name when one of its words is a country, an
// actor, a weekday, a stop word ("The", "But", "Muslim") or a noun that
// makes it an organisation or place ("Victoria Station"). Within one
// article (title first, then the paragraphs in order) a later mention of a
// surname alone ("McCallum", "McCallum's", "Cash, who ...") resolves to the
// full name introduced earlier; East Asian names are recalled by their
// family name. A surname with no earlier full name is not tagged unless a
// title cues it, and neither is a single quoted word (a code name such as
// “Alex”). Only capitalised words resolve, so "cash" never becomes a person.
// The title is read before the paragraphs, so a name it introduces
// resolves later; but a text in Title Case or ALL CAPS that does not end
// like a sentence (a headline) is not searched for names, since its
// capitals say nothing.
//
// # Topic
//
// The taxonomy is fixed; slugs are stable (Topics lists them in order):
//
//	slug            about
//	espionage       spying, agents, official secrets, leaks, defections
//	terrorism       terror attacks and plots, jihadist and extreme-right groups, proscription
//	state-threats   hostile states: interference, sabotage, assassination, transnational repression, proxies
//	prosecution     arrests, charges, trials, courts, convictions, sentences, extradition
//	radicalisation  extremist ideology, online radicalisation, minors, Prevent
//	cyber           hacking, malware and ransomware, cyber-attacks, NCSC
//	politics        government, parliament, parties, ministers, elections, diplomacy
//	surveillance    surveillance, interception, monitoring, facial recognition, reconnaissance
//
// lexicon/topics.yaml gives each topic a threshold and weighted phrases. A
// paragraph gets a topic when the sum of the weights of the phrases it
// contains reaches the threshold. Phrases match case-insensitively on word
// boundaries; a word ending in "*" is a stem ("spy*" matches spy, spying,
// spymaster; "prosecut*" matches prosecution, prosecutors, prosecute).
// Each phrase counts once per paragraph.
//
// Notable people (lexicon/people.yaml: heads of state and government,
// ministers, international officials, militant leaders) are found by their
// full name and aliases, with or without diacritics ("Antonio Guterres" is
// António Guterres), and by their surname alone ("Putin said", "the
// Erdoğan government", "pro-Maduro forces") with guards: a title before it
// or the person's country named in the article; no other person of that
// surname earlier in the article; not part of a longer capitalised name
// ("Laura Bush"); surnames that are common words ("Brown", "May") only
// after a title; a woman's title ("Mrs Blair") never gives a man.
//
// # Embedded data files
//
// The lexicon directory is embedded in the binary. (It is not called
// "data": the repository ignores directories of that name.) Each file
// documents its format in a comment at its top:
//
//	lexicon/countries.tsv      CODE<TAB>KIND<TAB>FORM|FORM|...  with KIND
//	                           country, alias, demonym, seat, strict or stop
//	                           (code "-")
//	lexicon/actors.yaml        stop: [phrases]; actors: [{name, kind, aliases,
//	                           strict, context, source}]
//	lexicon/organisations.yaml as actors.yaml
//	lexicon/conflicts.yaml     as actors.yaml
//	lexicon/sdn.yaml           as actors.yaml; generated (go generate), each
//	                           entry with its OFAC source
//	lexicon/institutions.yaml  historic, adjectives, classes [{id, kind, name,
//	                           after, of, alone}], overrides
//	lexicon/people.yaml        people: [{name, country, aliases, surname, sex,
//	                           title_only}]
//	lexicon/topics.yaml        topics: {slug: {threshold: N, terms: {phrase: weight}}}
//	lexicon/names.txt          [given] [family] [title] [keep] [role] [particle]
//	                           [stop] [nonname] [month] [weekday] word lists
//	lexicon/given.txt          more given names, one a line; generated
//
// Country names that are also given names are not countries when a
// surname follows: "Jordan Henderson" does not give Jordan. Kosovo is a
// country value although the gountries gazetteer lacks it; Czechia,
// Eswatini, North Macedonia and Türkiye are aliases of the gazetteer's
// names, and former states give their successor (Soviet Union: Russia).
//
// # Extra file
//
// Options.ExtraFile names a YAML file that extends the built-in data. All
// three sections are optional; unknown keys are errors:
//
//	countries:                 # alias: canonical gountries common name
//	  Blighty: United Kingdom
//	  Persia: Iran
//	actors:                    # as in lexicon/actors.yaml
//	  - name: Hope not Hate    # an existing actor: the aliases are added
//	    aliases: [HnH]
//	  - name: Online Safety Unit
//	    kind: government       # a new actor needs a kind (see Kinds)
//	    aliases: [OSU]
//	    source: internal list  # optional provenance, not matched
//	topics:                    # existing slugs only
//	  espionage:
//	    terms:
//	      honeytrap*: 2
//	      sleeper agent*: 3
//	  cyber:
//	    threshold: 2.5         # optional: replaces the built-in threshold
//	    terms:
//	      credential stuffing: 2
//
// A country alias must name a canonical country of the gazetteer, a topic
// must be a slug of the taxonomy, and an actor alias must not already
// belong to another actor; otherwise New fails with an error that wraps
// ErrData and names the file and line, such as
//
//	enrich: bad data: extra.yaml:4: "Narnia" is not a country name of the gazetteer
//
// An extra phrase that repeats a built-in one replaces it: a country alias
// is re-pointed, a topic phrase gets the new weight.
//
// # Limitations
//
// The tagger is a gazetteer and rule matcher, not a parser. Sentence-initial capitalised common words that are aliases give
// false positives ("Labour costs rose" gives the Labour Party); people are
// found only by the rules above, so a name whose first word is not a known
// given name and that has no title cue is missed; mononyms and names of four
// or more words (Myanmar, some Arabic names) are cut or missed unless they
// are in the actor gazetteer.
package enrich
