package search

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// ErrInvalid marks a request that cannot be run: a malformed query string,
// an unknown field, a limit or offset out of range, a bad date range. Its
// message says what is wrong and is safe to show to the caller.
var ErrInvalid = errors.New("invalid request")

// Sort orders hits.
type Sort string

// The sort orders a Request accepts.
const (
	SortRelevance Sort = "relevance" // best match first (default)
	SortNewest    Sort = "newest"    // most recently published first
	SortOldest    Sort = "oldest"    // least recently published first
)

// MaxWindow bounds Offset+Limit: deep paging past it is refused.
const MaxWindow = 10000

// Request is one search, as the HTTP API, the CLI and embedding programs
// send it. The zero value of every field is valid and means "no
// restriction" or "the default".
type Request struct {
	// Query is in the query language (README, "Query language"): words,
	// "phrases", "near words"~5, AND, OR, NOT, +must, -not, (groups),
	// prefix*, fuzzy~1, /regexp/, field:value (facet values through their
	// aliases, in any case), published:[2024-01 TO 2024-06], boosts ^2.
	// Words without a field search the paragraph text. Empty matches every
	// paragraph.
	Query string
	// Country, Actor, Topic and Source filter on facet values: several
	// values of one field are ORed, fields are ANDed.
	Country, Actor, Topic, Source []string
	// ActorKind filters on the kinds of the actors a paragraph names
	// (militant, military, person, …; enrich.Kinds), ORed like the others.
	ActorKind []string
	// After and Before bound the publication time, both inclusive; the zero
	// time leaves that side open. Paragraphs without a date are excluded
	// when either bound is set.
	After, Before time.Time
	// Facets lists the fields to count values of: country, actor, topic,
	// source. The counts of a field ignore that field's own filter
	// (multi-select faceting), but honour all the others. "published"
	// (FacetPublished) counts the hits by publication date in Interval
	// buckets, within every filter.
	Facets []string
	// FacetCount is what facet values count: CountParagraphs ("" too) or
	// CountArticles, the distinct articles with a matching paragraph that
	// has the value (slower: it visits every match). The published
	// histogram counts paragraphs either way.
	FacetCount string
	// Interval is the bucket of the published histogram: IntervalDay,
	// IntervalWeek, IntervalMonth ("" means month) or IntervalYear.
	Interval string
	// FacetSize is the number of values returned per facet (0: default).
	FacetSize int
	// Limit is the number of hits to return (0: default); Offset skips hits.
	Limit, Offset int
	// Sort orders the hits ("" means SortRelevance).
	Sort Sort
	// Literal turns query understanding off: words match only as written
	// (with stemming), without the facet values and aliases they name.
	Literal bool
	// NoTypos turns typo tolerance off: a word the index does not hold is
	// not read as a near indexed word ("Tehrn" as "Tehran").
	NoTypos bool
	// Context asks for up to this many paragraphs before and after each
	// hit, from its article (0..MaxContext).
	Context int
	// Recency, when positive, is the half-life of a recency boost on
	// relevance-sorted searches: each score is multiplied by
	// 1 + 2^(−age/Recency), age counted from the index's newest paragraph
	// (README, "How ranking works").
	Recency time.Duration
	// Group, when GroupArticle, answers with one result per article
	// (Response.Groups): its best GroupSize paragraphs, the number of its
	// paragraphs that match, ranked by its best paragraph; Limit and Offset
	// then count articles.
	Group string
	// GroupSize is the most paragraphs per article (0: DefaultGroupSize).
	GroupSize int
	// Highlight shapes each hit's highlights (fragments, their size, the
	// tags around matches).
	Highlight HighlightOptions
	// Scope restricts the request to what a scoped API key may see.
	Scope Scope
}

// MaxContext bounds Request.Context.
const MaxContext = 3

// Scope is a fixed view of the index: only paragraphs that pass every one
// of its filters are searched, counted or read, whatever a request asks.
// Its fields mean what the Request's filters mean; unlike those, a scope is
// never left out of facet counts. The zero Scope allows everything.
type Scope struct {
	Country, Actor, Topic, Source, ActorKind []string
	After, Before                            time.Time
}

// IsZero reports whether s allows everything.
func (s Scope) IsZero() bool {
	return len(s.Country)+len(s.Actor)+len(s.Topic)+len(s.Source)+len(s.ActorKind) == 0 && s.After.IsZero() && s.Before.IsZero()
}

// filter returns the scope's values for a facet field.
func (s *Scope) filter(field string) []string {
	switch field {
	case index.FieldCountry:
		return s.Country
	case index.FieldActor:
		return s.Actor
	case index.FieldTopic:
		return s.Topic
	case index.FieldSource:
		return s.Source
	case index.FieldActorKind:
		return s.ActorKind
	}
	return nil
}

// filter returns the request's own filter values for a facet field.
func (r *Request) filter(field string) []string {
	own := Scope{Country: r.Country, Actor: r.Actor, Topic: r.Topic, Source: r.Source, ActorKind: r.ActorKind}
	return own.filter(facetField(field))
}

// normalise applies defaults and checks ranges against opts. It returns an
// error wrapping ErrInvalid that lists every problem.
func (r *Request) normalise(opts Options) error {
	var problems []string
	if len(r.Query) > opts.MaxQuery {
		problems = append(problems, fmt.Sprintf("query has %d bytes, at most %d are allowed", len(r.Query), opts.MaxQuery))
	}
	if r.Context < 0 || r.Context > MaxContext {
		problems = append(problems, fmt.Sprintf("context %d is out of range 0..%d", r.Context, MaxContext))
	}
	if r.Limit == 0 {
		r.Limit = opts.DefaultLimit
	}
	if r.Limit < 1 || r.Limit > opts.MaxLimit {
		problems = append(problems, fmt.Sprintf("limit %d is out of range 1..%d", r.Limit, opts.MaxLimit))
	}
	if r.Offset < 0 {
		problems = append(problems, fmt.Sprintf("offset %d is negative", r.Offset))
	} else if r.Offset+r.Limit > MaxWindow {
		problems = append(problems, fmt.Sprintf("offset+limit %d exceeds %d", r.Offset+r.Limit, MaxWindow))
	}
	if r.Recency < 0 {
		problems = append(problems, fmt.Sprintf("recency %s is negative", r.Recency))
	} else if r.Recency > 0 && r.Sort != SortRelevance && r.Sort != "" {
		problems = append(problems, "recency applies to sort=relevance only")
	}
	switch r.FacetCount {
	case "":
		r.FacetCount = CountParagraphs
	case CountParagraphs, CountArticles:
	default:
		problems = append(problems, fmt.Sprintf("unknown facet_count %q (want paragraphs or articles)", r.FacetCount))
	}
	switch r.Interval {
	case "":
		r.Interval = IntervalMonth
	case IntervalDay, IntervalWeek, IntervalMonth, IntervalYear:
	default:
		problems = append(problems, fmt.Sprintf("unknown interval %q (want day, week, month or year)", r.Interval))
	}
	switch r.Group {
	case "", GroupArticle:
	default:
		problems = append(problems, fmt.Sprintf("unknown group %q (want article)", r.Group))
	}
	if r.GroupSize == 0 {
		r.GroupSize = DefaultGroupSize
	}
	if r.GroupSize < 1 || r.GroupSize > MaxGroupSize {
		problems = append(problems, fmt.Sprintf("group_size %d is out of range 1..%d", r.GroupSize, MaxGroupSize))
	}
	h := &r.Highlight
	if h.Fragments < 0 || h.Fragments > MaxFragments {
		problems = append(problems, fmt.Sprintf("fragments %d is out of range 0..%d", h.Fragments, MaxFragments))
	}
	if h.FragmentSize != 0 && (h.FragmentSize < MinFragmentSize || h.FragmentSize > MaxFragmentSize) {
		problems = append(problems, fmt.Sprintf("fragment_size %d is out of range %d..%d", h.FragmentSize, MinFragmentSize, MaxFragmentSize))
	}
	if len(h.Pre) > MaxTagBytes || len(h.Post) > MaxTagBytes {
		problems = append(problems, fmt.Sprintf("highlight_pre and highlight_post may have at most %d bytes", MaxTagBytes))
	}
	if r.FacetSize == 0 {
		r.FacetSize = opts.FacetSize
	}
	if r.FacetSize < 1 || r.FacetSize > opts.MaxFacetSize {
		problems = append(problems, fmt.Sprintf("facet_size %d is out of range 1..%d", r.FacetSize, opts.MaxFacetSize))
	}
	seen := map[string]bool{}
	facets := r.Facets[:0:0]
	for _, f := range r.Facets {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case !slices.Contains(index.FacetFields, f) && f != FacetPublished && !isActorsOfKind(f):
			problems = append(problems, fmt.Sprintf("unknown facet %q (want one of %s, %s, or actor.<kind> with a kind of %s)",
				f, strings.Join(index.FacetFields, ", "), FacetPublished, strings.Join(enrich.Kinds(), ", ")))
		case !seen[f]:
			seen[f] = true
			facets = append(facets, f)
		}
	}
	r.Facets = facets
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortNewest, SortOldest:
	default:
		problems = append(problems, fmt.Sprintf("unknown sort %q (want relevance, newest or oldest)", r.Sort))
	}
	if !r.After.IsZero() && !r.Before.IsZero() && r.After.After(r.Before) {
		problems = append(problems, fmt.Sprintf("after %s is later than before %s",
			r.After.Format(time.RFC3339), r.Before.Format(time.RFC3339)))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// actorsOfKind is the prefix of a facet that counts the actors of one
// kind: "actor.militant".
const actorsOfKind = index.FieldActor + "."

// isActorsOfKind reports whether f is such a facet with a known kind.
func isActorsOfKind(f string) bool {
	kind, ok := strings.CutPrefix(f, actorsOfKind)
	return ok && slices.Contains(enrich.Kinds(), kind)
}

// facetField returns the filter field of a facet: actor for "actor.<kind>"
// (its counts leave out the actor filter, as the actor facet's do).
func facetField(f string) string {
	if strings.HasPrefix(f, actorsOfKind) {
		return index.FieldActor
	}
	return f
}
