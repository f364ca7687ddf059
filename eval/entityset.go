package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefsearch/briefsearch/index"
)

// ErrEntitySet is wrapped by every error about a malformed entity dev set
// file (testdata/entities).
var ErrEntitySet = errors.New("eval: bad entity set")

// EntityRecord is one paragraph of the entity dev set with its gold
// annotations, written by reading the paragraph against
// testdata/entities/GUIDELINES.md. A record as the sampler writes it has
// null Countries, Actors and Topics: not annotated yet.
type EntityRecord struct {
	// ID is the paragraph's chunk id, <article id>#<n> (index.ChunkID): n
	// is the 1-based position among the paragraphs index.Split makes of
	// the article's body.
	ID string `json:"id"`
	// Corpus is the base name of the corpus file the article comes from
	// (such as "bbc_news_2004_2005.jsonl"), or FixtureCorpus.
	Corpus string `json:"corpus"`
	// Stratum says how the paragraph was drawn: StratumSecurity,
	// StratumRandom or StratumFixture.
	Stratum string `json:"stratum,omitempty"`
	// Title is the article's title (the tagger reads it first).
	Title string `json:"title,omitempty"`
	// Text is the paragraph. When the article is available the scorer
	// checks that it is still paragraph n of the article.
	Text string `json:"text"`
	// Countries are the canonical country names the paragraph mentions.
	Countries []string `json:"countries"`
	// Actors are the organisations, groups and people it names.
	Actors []GoldActor `json:"actors"`
	// Topics are topic slugs; nil when topics were not annotated.
	Topics []string `json:"topics"`
	// Notes explain a doubtful decision.
	Notes string `json:"notes,omitempty"`
}

// GoldActor is one annotated actor of a paragraph.
type GoldActor struct {
	// Name is the canonical name under the guidelines: the most common
	// full English name of an organisation, a person's full name without
	// titles.
	Name string `json:"name"`
	// Kind is one of ActorKinds.
	Kind string `json:"kind"`
	// Aliases are other spellings that name the same actor equally well
	// (a transliteration, an official and a common name); a tagged value
	// matching any of them counts.
	Aliases []string `json:"aliases,omitempty"`
}

// Strata of the sample and the corpus name of the fixtures.
const (
	StratumSecurity = "security" // drawn among paragraphs with a security word
	StratumRandom   = "random"   // drawn among all paragraphs
	StratumConflict = "conflict" // drawn among paragraphs with two or more armed-conflict words
	StratumFixture  = "fixture"  // every paragraph of testdata/corpus
	FixtureCorpus   = "fixtures"
)

// ActorKinds are the kinds a gold actor may have (GUIDELINES.md defines
// them).
var ActorKinds = []string{
	"person", "government", "military", "agency", "police", "justice",
	"international", "militant", "extremist", "party", "ngo", "cyber",
	"company", "media", "organisation",
}

// splitChunkID returns the article id and paragraph number of a chunk id.
func splitChunkID(id string) (string, int, error) {
	i := strings.LastIndexByte(id, '#')
	if i <= 0 {
		return "", 0, fmt.Errorf("id %q is not <article id>#<n>", id)
	}
	n, err := strconv.Atoi(id[i+1:])
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("id %q: paragraph number %q is not a positive integer", id, id[i+1:])
	}
	return id[:i], n, nil
}

// LoadEntities reads an entity set file (JSON Lines of EntityRecord) and
// checks it: ids well formed and unique, text present, every record
// annotated (countries and actors present, possibly empty), actor names
// non-empty with a known kind. Errors wrap ErrEntitySet and name the file
// and line.
func LoadEntities(path string) ([]EntityRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open entity set: %w", err)
	}
	defer f.Close()
	recs, err := ReadEntities(f, path)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, r := range recs {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%w: %s:%d: %s", ErrEntitySet, path, i+1, fmt.Sprintf(format, args...))
		}
		if _, _, err := splitChunkID(r.ID); err != nil {
			return nil, bad("%v", err)
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, bad("id %q repeats line %d", r.ID, prev)
		}
		seen[r.ID] = i + 1
		if strings.TrimSpace(r.Text) == "" {
			return nil, bad("%s: no text", r.ID)
		}
		if r.Countries == nil || r.Actors == nil {
			return nil, bad("%s: not annotated (countries and actors must be lists, [] for none)", r.ID)
		}
		for _, c := range r.Countries {
			if strings.TrimSpace(c) == "" {
				return nil, bad("%s: empty country", r.ID)
			}
		}
		for _, a := range r.Actors {
			if strings.TrimSpace(a.Name) == "" {
				return nil, bad("%s: actor without a name", r.ID)
			}
			if !slices.Contains(ActorKinds, a.Kind) {
				return nil, bad("%s: actor %q has kind %q (want one of %s)", r.ID, a.Name, a.Kind, strings.Join(ActorKinds, ", "))
			}
		}
	}
	return recs, nil
}

// ReadEntities decodes JSON Lines of EntityRecord without checking the
// annotations (LoadEntities does). Blank lines are skipped. name is used
// in errors, which wrap ErrEntitySet.
func ReadEntities(r io.Reader, name string) ([]EntityRecord, error) {
	var recs []EntityRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		var rec EntityRecord
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: %w", ErrEntitySet, name, line, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return recs, nil
}

// WriteEntities writes records as JSON Lines, one record a line, in the
// order given.
func WriteEntities(w io.Writer, recs []EntityRecord) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write entity record %s: %w", r.ID, err)
		}
	}
	return bw.Flush()
}

// SampleOptions says how SampleEntities draws paragraphs.
type SampleOptions struct {
	// Files are the corpus files to draw from (each read as briefsearch
	// ingest reads it); each gets PerFile paragraphs.
	Files []string
	// PerFile is the number of paragraphs drawn from each file.
	PerFile int
	// SecurityShare is the share of PerFile drawn among paragraphs with a
	// security word (SecurityWord); the rest is drawn among all
	// paragraphs.
	SecurityShare float64
	// Seed fixes the draw: the same seed and files give the same sample.
	Seed uint64
	// ConflictPerFile more paragraphs are drawn from each file among those
	// with at least two armed-conflict words (ConflictWord), for the actors
	// of armed conflicts (national forces, armed groups, coalitions,
	// missions) that the other strata hold few of. They are drawn after
	// the others, so adding them leaves the other picks unchanged.
	ConflictPerFile int
	// MinChars leaves out paragraphs shorter than this many characters
	// (date lines, headings), and paragraphs less than half letters
	// (tables).
	MinChars int
}

// SampleEntities draws paragraphs for annotation: per file, the
// SecurityShare × PerFile paragraphs with a security word that come first
// in an order fixed by the seed, then the rest from all paragraphs, then
// ConflictPerFile paragraphs with armed-conflict words, at most one per
// article. Paragraphs are made with index.Split at the
// indexer's default chunk size, so their ids are those of the index. The
// order depends only on the seed and the paragraph ids (a hash), not on
// the order of the files, so adding articles to a corpus moves few picks.
// Records come out per file in id order, unannotated.
func SampleEntities(opts SampleOptions) ([]EntityRecord, error) {
	var out []EntityRecord
	for _, file := range opts.Files {
		articles, errs := index.ReadAll(file)
		if len(errs) > 0 {
			return nil, fmt.Errorf("read %s: %w", file, errors.Join(errs...))
		}
		if len(articles) == 0 {
			return nil, fmt.Errorf("read %s: no articles", file)
		}
		type cand struct {
			rec      EntityRecord
			art      string
			hash     uint64
			sec      bool
			conflict bool
		}
		var cands []cand
		for _, a := range articles {
			for i, p := range index.Split(a.Body, index.DefaultMaxChunk) {
				if !samplable(p, opts.MinChars) {
					continue
				}
				id := index.ChunkID(a.ID, i+1)
				cands = append(cands, cand{
					rec:  EntityRecord{ID: id, Corpus: filepath.Base(file), Title: a.Title, Text: p},
					art:  a.ID,
					hash: sampleHash(opts.Seed, id),
					sec:  hasSecurityWord(p),

					conflict: countWords(p, ConflictWord) >= 2,
				})
			}
		}
		slices.SortFunc(cands, func(a, b cand) int {
			if a.hash != b.hash {
				if a.hash < b.hash {
					return -1
				}
				return 1
			}
			return strings.Compare(a.rec.ID, b.rec.ID)
		})
		nSec := int(float64(opts.PerFile)*opts.SecurityShare + 0.5)
		usedArticle := map[string]bool{}
		var picked []EntityRecord
		take := func(stratum string, n int, want func(cand) bool) {
			for _, c := range cands {
				if n == 0 {
					return
				}
				if usedArticle[c.art] || !want(c) {
					continue
				}
				usedArticle[c.art] = true
				c.rec.Stratum = stratum
				picked = append(picked, c.rec)
				n--
			}
		}
		take(StratumSecurity, nSec, func(c cand) bool { return c.sec })
		take(StratumRandom, opts.PerFile-nSec, func(cand) bool { return true })
		take(StratumConflict, opts.ConflictPerFile, func(c cand) bool { return c.conflict })
		slices.SortFunc(picked, func(a, b EntityRecord) int { return compareChunkIDs(a.ID, b.ID) })
		out = append(out, picked...)
	}
	return out, nil
}

// FixtureEntities returns every paragraph of the articles under paths
// (the fixtures, testdata/corpus), article by article in the order read,
// unannotated, with stratum StratumFixture and corpus FixtureCorpus.
func FixtureEntities(paths ...string) ([]EntityRecord, error) {
	articles, errs := index.ReadAll(paths...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("read fixtures: %w", errors.Join(errs...))
	}
	var out []EntityRecord
	for _, a := range articles {
		for i, p := range index.Split(a.Body, index.DefaultMaxChunk) {
			out = append(out, EntityRecord{ID: index.ChunkID(a.ID, i+1), Corpus: FixtureCorpus,
				Stratum: StratumFixture, Title: a.Title, Text: p})
		}
	}
	return out, nil
}

// compareChunkIDs orders chunk ids by article id, then paragraph number.
func compareChunkIDs(a, b string) int {
	aa, an, _ := splitChunkID(a)
	ba, bn, _ := splitChunkID(b)
	if c := strings.Compare(aa, ba); c != 0 {
		return c
	}
	return an - bn
}

func sampleHash(seed uint64, id string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s", seed, id)
	return h.Sum64()
}

// samplable reports whether p is long enough and mostly letters.
func samplable(p string, minChars int) bool {
	n := utf8.RuneCountInString(p)
	if n < minChars {
		return false
	}
	letters := 0
	for _, r := range p {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return 2*letters >= n
}

// securityWords are the words (lower case; a trailing * makes a stem)
// that put a paragraph in the security stratum.
var securityWords = []string{
	"terror*", "militant*", "militia*", "insurgen*", "rebel*", "guerrilla*", "jihad*", "extremis*",
	"spy", "spies", "spying", "espionage", "intelligence", "military", "army", "armies", "troops", "soldier*",
	"navy", "naval", "police", "policing", "arrest*", "bomb*", "explosi*", "attack*", "killed", "weapon*",
	"missile*", "nuclear", "sanction*", "hostage*", "kidnap*", "assassinat*", "war", "wars", "warfare",
	"ceasefire", "peacekeep*", "security", "defence", "defense", "coup", "court", "courts", "prosecut*",
	"convict*", "armed", "invasion", "occupation", "hacker*", "hacking", "cyber*", "sabotage", "conflict*",
}

// SecurityWord reports whether the lower-cased word w is one of the
// sampler's security words (or starts with one of its stems).
func SecurityWord(w string) bool { return matchWord(securityWords, w) }

func matchWord(list []string, w string) bool {
	for _, s := range list {
		if stem, ok := strings.CutSuffix(s, "*"); ok {
			if strings.HasPrefix(w, stem) {
				return true
			}
		} else if w == s {
			return true
		}
	}
	return false
}

func hasSecurityWord(p string) bool { return countWords(p, SecurityWord) > 0 }

// countWords counts the words of p (lower-cased) that match.
func countWords(p string, match func(string) bool) int {
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if match(w) {
			n++
		}
	}
	return n
}

// conflictWords are the words (lower case; a trailing * makes a stem) of
// the conflict stratum.
var conflictWords = []string{
	"troops", "forces", "army", "armies", "soldier*", "militia*", "rebel*", "insurgen*", "militant*",
	"guerrilla*", "paramilitar*", "jihadist*", "peacekeep*", "ceasefire", "coalition", "airstrike*",
	"offensive", "armed", "fighters", "navy", "naval",
}

// ConflictWord reports whether the lower-cased word w is one of the
// conflict stratum's words (or starts with one of its stems).
func ConflictWord(w string) bool { return matchWord(conflictWords, w) }
