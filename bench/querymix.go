package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// MixVersion numbers the query-mix generator: change it whenever
// GenerateMix would produce other queries from the same corpus and seed, so
// that figures from different mixes are never compared.
const MixVersion = 1

// DefaultSeed is the seed `make bench` uses.
const DefaultSeed = 8

// Query classes of the mix.
const (
	ClassTwoWords    = "two-word"
	ClassPhrase      = "phrase"
	ClassFrequent    = "frequent-term"
	ClassThreeFacets = "three-facets"
	ClassFilters     = "facet-filters"
	ClassManyWords   = "3-5-words"
	ClassZeroHit     = "zero-hit"
	ClassLatest      = "latest-by-date"
)

// ClassShares are the classes of the mix and how many queries of each
// GenerateMix makes (1,200 in all).
var ClassShares = []struct {
	Class string
	N     int
}{
	{ClassTwoWords, 250},
	{ClassPhrase, 150},
	{ClassFrequent, 150},
	{ClassThreeFacets, 200},
	{ClassFilters, 200},
	{ClassManyWords, 150},
	{ClassZeroHit, 50},
	{ClassLatest, 50},
}

// Query is one request of the mix, in the HTTP parameters both services
// take.
type Query struct {
	Class   string   `json:"class"`
	Q       string   `json:"q,omitempty"`
	Facets  []string `json:"facets,omitempty"`
	Country []string `json:"country,omitempty"`
	Topic   []string `json:"topic,omitempty"`
	Actor   []string `json:"actor,omitempty"`
	Sort    string   `json:"sort,omitempty"`
}

// Values returns the query's URL parameters, with limit=10.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	v.Set("limit", "10")
	if len(q.Facets) > 0 {
		v.Set("facets", strings.Join(q.Facets, ","))
	}
	for _, c := range q.Country {
		v.Add("country", c)
	}
	for _, t := range q.Topic {
		v.Add("topic", t)
	}
	for _, a := range q.Actor {
		v.Add("actor", a)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	return v
}

// Mix is a versioned, reproducible list of queries.
type Mix struct {
	Version int     `json:"version"`
	Seed    uint64  `json:"seed"`
	Tier    string  `json:"tier"`
	Queries []Query `json:"queries"`
}

// Hash identifies the mix's content (12 hex digits).
func (m Mix) Hash() string {
	b, _ := json.Marshal(m.Queries)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])[:12]
}

// Classes returns the classes present in the mix, in ClassShares order.
func (m Mix) Classes() []string {
	seen := map[string]bool{}
	for _, q := range m.Queries {
		seen[q.Class] = true
	}
	var out []string
	for _, c := range ClassShares {
		if seen[c.Class] {
			out = append(out, c.Class)
		}
	}
	return out
}

// mixSample bounds the paragraphs GenerateMix draws from.
const mixSample = 20000

// stopwords are left out of generated queries, as a user would.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at be because been
	before being below between both but by can could did do does doing down during each few for from further had has have
	having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
	not now of off on once only or other our ours ourselves out over own same she should so some such than that the their
	theirs them themselves then there these they this those through to too under until up very was we were what when
	where which while who whom why will with would you your yours yourself yourselves said says say one two three new
	last year years mr mrs ms also its it's per cent percent may might must shall told first like make made get got
	took take well even back still many much would could should will week`) {
		stopwords[w] = true
	}
}

// words splits text into words of letters (and inner apostrophes dropped).
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) })
}

// content reports whether w (lower case) is a word worth querying.
func content(w string) bool {
	return len(w) >= 3 && !stopwords[w]
}

// para is a paragraph the generator may draw from.
type para struct {
	title string
	text  string
	words []string // lower-cased words of text
	facet enrich.Facets
}

// GenerateMix builds the query mix from articles (in order) with the
// seed: the same articles, seed and MixVersion give the same mix. It draws
// from at most mixSample paragraphs taken at an even stride, and uses the
// tagger for facet-filter values.
func GenerateMix(articles []index.Article, tagger *enrich.Tagger, tier string, seed uint64) (Mix, error) {
	total := 0
	for _, a := range articles {
		total += strings.Count(a.Body, "\n\n") + 1
	}
	stride := max(1, (total+mixSample-1)/mixSample)
	var paras []para
	df := map[string]int{}
	for i, a := range articles {
		if i%stride != 0 {
			continue
		}
		texts := index.Split(a.Body, index.DefaultMaxChunk)
		facets := tagger.Tag(a.Title, texts)
		for j, t := range texts {
			p := para{title: a.Title, text: t, facet: facets[j]}
			seen := map[string]bool{}
			for _, w := range words(t) {
				lw := strings.ToLower(w)
				p.words = append(p.words, lw)
				if !seen[lw] {
					seen[lw] = true
					df[lw]++
				}
			}
			if len(p.words) >= 8 {
				paras = append(paras, p)
			}
		}
	}
	if len(paras) < 100 {
		return Mix{}, fmt.Errorf("query mix: only %d usable paragraphs (need 100)", len(paras))
	}
	// Frequent terms: the 200 content words in most paragraphs (ties by word).
	var vocab []string
	for w := range df {
		if content(w) {
			vocab = append(vocab, w)
		}
	}
	slices.SortFunc(vocab, func(a, b string) int {
		if df[a] != df[b] {
			return df[b] - df[a]
		}
		return strings.Compare(a, b)
	})
	frequent := vocab[:min(200, len(vocab))]
	var countries []string
	seenCountry := map[string]bool{}
	for _, p := range paras {
		for _, c := range p.facet.Country {
			if !seenCountry[c] {
				seenCountry[c] = true
				countries = append(countries, c)
			}
		}
	}

	rng := rand.New(rand.NewPCG(seed, MixVersion))
	pick := func() para { return paras[rng.IntN(len(paras))] }
	// contentWords returns the positions of content words in p.
	contentWords := func(p para) []int {
		var out []int
		for i, w := range p.words {
			if content(w) {
				out = append(out, i)
			}
		}
		return out
	}
	twoWords := func() string {
		for {
			p := pick()
			cw := contentWords(p)
			if len(cw) < 2 {
				continue
			}
			a := cw[rng.IntN(len(cw))]
			b := cw[rng.IntN(len(cw))]
			if p.words[a] == p.words[b] {
				continue
			}
			return p.words[a] + " " + p.words[b]
		}
	}
	mix := Mix{Version: MixVersion, Seed: seed, Tier: tier}
	for _, share := range ClassShares {
		for range share.N {
			q := Query{Class: share.Class}
			switch share.Class {
			case ClassTwoWords:
				q.Q = twoWords()
			case ClassThreeFacets:
				q.Q = twoWords()
				q.Facets = []string{"country", "actor", "topic"}
			case ClassFrequent:
				q.Q = frequent[rng.IntN(len(frequent))]
			case ClassPhrase:
				for q.Q == "" {
					p := pick()
					cw := contentWords(p)
					if len(cw) == 0 {
						continue
					}
					i := cw[rng.IntN(len(cw))]
					n := 2 + rng.IntN(2)
					// Content words at both ends: a stop word there would be
					// dropped by an analyzer and leave a shorter phrase.
					if i+n > len(p.words) || !content(p.words[i+n-1]) {
						continue
					}
					phrase := strings.Join(p.words[i:i+n], " ")
					// Only words adjacent in the text, not across punctuation.
					if !strings.Contains(strings.ToLower(p.text), phrase) {
						continue
					}
					q.Q = `"` + phrase + `"`
				}
			case ClassManyWords:
				for q.Q == "" {
					p := pick()
					cw := contentWords(p)
					n := 3 + rng.IntN(3)
					if len(cw) < n {
						continue
					}
					start := rng.IntN(len(cw) - n + 1)
					var ws []string
					for _, i := range cw[start : start+n] {
						ws = append(ws, p.words[i])
					}
					q.Q = strings.Join(ws, " ")
				}
			case ClassFilters:
				for q.Q == "" {
					p := pick()
					cw := contentWords(p)
					if len(cw) == 0 || len(p.facet.Country)+len(p.facet.Topic) == 0 {
						continue
					}
					q.Q = p.words[cw[rng.IntN(len(cw))]]
					if len(p.facet.Country) > 0 {
						q.Country = []string{p.facet.Country[rng.IntN(len(p.facet.Country))]}
					}
					if len(p.facet.Topic) > 0 && (len(q.Country) == 0 || rng.IntN(2) == 0) {
						q.Topic = []string{p.facet.Topic[rng.IntN(len(p.facet.Topic))]}
					}
					q.Facets = []string{"country", "topic"}
				}
			case ClassZeroHit:
				q.Q = nonsense(rng, df) + " " + nonsense(rng, df)
			case ClassLatest:
				q.Sort = "newest"
				q.Facets = []string{"country"}
				if len(countries) > 0 && rng.IntN(2) == 0 {
					q.Country = []string{countries[rng.IntN(len(countries))]}
				}
			}
			mix.Queries = append(mix.Queries, q)
		}
	}
	// Interleave the classes, as real traffic would be.
	rng.Shuffle(len(mix.Queries), func(i, j int) { mix.Queries[i], mix.Queries[j] = mix.Queries[j], mix.Queries[i] })
	return mix, nil
}

// nonsense returns a word of 9 to 11 rare consonants that the corpus does
// not hold (and that typo tolerance cannot read as one of its words).
func nonsense(rng *rand.Rand, df map[string]int) string {
	const letters = "bcdfghjklmnpqrstvwxz"
	for {
		var b strings.Builder
		b.WriteString("zq")
		for range 7 + rng.IntN(3) {
			b.WriteByte(letters[rng.IntN(len(letters))])
		}
		if df[b.String()] == 0 {
			return b.String()
		}
	}
}

// FTSMatch turns a query of the mix into an FTS5 MATCH expression with the
// same meaning as Briefsearch gives it: quoted phrases stay phrases, other
// words are quoted terms, and the parts are joined by OR (any may match;
// ranking rewards those with more). It returns "" for a query without
// words.
func FTSMatch(q string) string {
	var parts []string
	for i, seg := range strings.Split(q, `"`) {
		ws := strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(ws) == 0 {
			continue
		}
		for j := range ws {
			ws[j] = strings.ToLower(ws[j])
		}
		if i%2 == 1 { // inside quotes
			parts = append(parts, `"`+strings.Join(ws, " ")+`"`)
			continue
		}
		for _, w := range ws {
			parts = append(parts, `"`+w+`"`)
		}
	}
	return strings.Join(parts, " OR ")
}
