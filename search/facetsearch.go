package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/briefsearch/briefsearch/index"
)

// MaxFacetValues bounds FacetValuesRequest.Size.
const MaxFacetValues = 100

// FacetValuesRequest asks for the values of one facet field that start
// with a prefix, counted within a search: the suggestions of an
// autocomplete box.
type FacetValuesRequest struct {
	// Field is a facet field: country, actor, topic or source.
	Field string
	// Prefix is matched against the start of each word of a value,
	// ignoring case and accents ("kha" finds "Ali Khamenei"); "" matches
	// every value.
	Prefix string
	// Size is the most values returned (0: 10; at most MaxFacetValues).
	Size int
	// Search is the search the values are counted in: its query and
	// filters (as for Search, the field's own filter is left out of its
	// counts); its paging, sort and facets are ignored.
	Search Request
}

// FacetValuesResponse lists the matching values, most frequent first.
type FacetValuesResponse struct {
	Field  string       `json:"field"`
	Prefix string       `json:"prefix"`
	Values []FacetValue `json:"values"`
	TookMS float64      `json:"took_ms"`
}

// FacetValues answers a facet value search. Errors wrap ErrInvalid for a
// bad request.
func (s *Searcher) FacetValues(ctx context.Context, fr FacetValuesRequest) (*FacetValuesResponse, error) {
	start := time.Now()
	if !slices.Contains(index.FacetFields, fr.Field) {
		return nil, fmt.Errorf("%w: unknown facet field %q (want one of %s)", ErrInvalid, fr.Field, strings.Join(index.FacetFields, ", "))
	}
	if fr.Size == 0 {
		fr.Size = 10
	}
	if fr.Size < 1 || fr.Size > MaxFacetValues {
		return nil, fmt.Errorf("%w: size %d is out of range 1..%d", ErrInvalid, fr.Size, MaxFacetValues)
	}
	if len(fr.Prefix) > 200 {
		return nil, fmt.Errorf("%w: prefix has %d bytes, at most 200", ErrInvalid, len(fr.Prefix))
	}
	req := fr.Search
	req.Facets, req.FacetSize, req.Limit, req.Offset, req.Group, req.Context = nil, 0, 0, 0, "", 0
	rq, err := s.prepare(&req)
	if err != nil {
		return nil, err
	}
	// Every value is counted (bleve keeps them all until it trims to the
	// size); the prefix picks among them.
	req.Facets, req.FacetSize, req.Limit, req.Sort = []string{fr.Field}, 1<<30, 0, SortRelevance
	res, err := s.run(ctx, req, rq, start, true)
	if err != nil {
		return nil, err
	}
	want := foldValue(strings.TrimSpace(fr.Prefix))
	out := &FacetValuesResponse{Field: fr.Field, Prefix: fr.Prefix, Values: []FacetValue{}}
	for _, v := range res.Facets[fr.Field] {
		if len(out.Values) == fr.Size {
			break
		}
		if wordPrefix(foldValue(v.Value), want) {
			out.Values = append(out.Values, v)
		}
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// wordPrefix reports whether a word of value (or value itself) starts
// with prefix; both are folded.
func wordPrefix(value, prefix string) bool {
	if prefix == "" || strings.HasPrefix(value, prefix) {
		return true
	}
	for i, r := range value {
		if i > 0 && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if strings.HasPrefix(value[i+len(string(r)):], prefix) {
				return true
			}
		}
	}
	return false
}
