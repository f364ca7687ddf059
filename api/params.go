package api

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/briefsearch/briefsearch/search"
)

// searchParams are the query parameters GET /v1/search accepts.
var searchParams = []string{
	"q", "country", "actor", "topic", "source", "actor_kind", "after", "before",
	"facets", "facet_size", "limit", "offset", "sort", "literal", "context", "typos",
	"fragments", "fragment_size", "highlight_pre", "highlight_post", "group", "group_size", "interval", "recency", "facet_count",
}

// ParseSearchParams turns the query parameters of GET /v1/search into a
// search.Request. Filters (country, actor, topic, source) may repeat and
// may hold comma-separated values; facets is a comma list. Dates are
// YYYY-MM-DD or RFC 3339; a "before" date includes that whole day.
// Unknown parameters are refused (so typos do not silently widen a
// search), except those starting with "_", which clients use to bust
// caches. Errors wrap search.ErrInvalid and name every bad parameter.
func ParseSearchParams(v url.Values) (search.Request, error) {
	var req search.Request
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	for name := range v {
		if !slices.Contains(searchParams, name) && !strings.HasPrefix(name, "_") {
			bad("unknown parameter %q (accepted: %s)", name, strings.Join(searchParams, ", "))
		}
	}
	for _, name := range []string{"q", "after", "before", "facet_size", "limit", "offset", "sort", "literal", "context", "typos",
		"fragments", "fragment_size", "highlight_pre", "highlight_post", "group", "group_size", "interval", "recency", "facet_count"} {
		if len(v[name]) > 1 {
			bad("parameter %q given %d times; give it once", name, len(v[name]))
		}
	}

	req.Query = v.Get("q")
	req.Country = listParam(v["country"])
	req.Actor = listParam(v["actor"])
	req.ActorKind = listParam(v["actor_kind"])
	req.Topic = listParam(v["topic"])
	req.Source = v["source"] // sources may contain commas: repeat the parameter instead
	req.Facets = listParam(v["facets"])
	req.Sort = search.Sort(strings.TrimSpace(v.Get("sort")))

	intParam := func(name string, dst *int) {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad("%s %q is not a whole number", name, s)
			return
		}
		if n <= 0 && name != "offset" {
			bad("%s must be at least 1, got %d", name, n)
			return
		}
		*dst = n
	}
	intParam("limit", &req.Limit)
	intParam("offset", &req.Offset)
	intParam("facet_size", &req.FacetSize)
	if c := strings.TrimSpace(v.Get("context")); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			bad("context %q: want a number of paragraphs from 0 to %d", c, search.MaxContext)
		} else {
			req.Context = n // range checked by the search
		}
	}

	// fragments=0 asks for the whole paragraph.
	if f := strings.TrimSpace(v.Get("fragments")); f != "" {
		n, err := strconv.Atoi(f)
		switch {
		case err != nil || n < 0:
			bad("fragments %q: want a number from 0 (the whole paragraph) to %d", f, search.MaxFragments)
		case n == 0:
			req.Highlight.Whole = true
		default:
			req.Highlight.Fragments = n // range checked by the search
		}
	}
	intParam("fragment_size", &req.Highlight.FragmentSize)
	req.Group = strings.TrimSpace(v.Get("group"))
	req.Interval = strings.TrimSpace(v.Get("interval"))
	req.FacetCount = strings.TrimSpace(v.Get("facet_count"))
	if r := v.Get("recency"); r != "" {
		d, err := search.ParseHalfLife(r)
		if err != nil {
			bad("%s", strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "))
		}
		req.Recency = d
	}
	intParam("group_size", &req.GroupSize)
	req.Highlight.Pre, req.Highlight.Post = v.Get("highlight_pre"), v.Get("highlight_post")
	if _, pre := v["highlight_pre"]; pre != v.Has("highlight_post") {
		bad("highlight_pre and highlight_post go together")
	}

	dateParam := func(name string, dst *time.Time, endOfDay bool) {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return
		}
		t, dateOnly, err := ParseDate(s)
		if err != nil {
			bad("%s %q is not a date: want YYYY-MM-DD or RFC 3339", name, s)
			return
		}
		if dateOnly && endOfDay {
			t = search.EndOfDay(t)
		}
		*dst = t
	}
	boolParam := func(name string, dst *bool, invert bool) {
		switch b := strings.TrimSpace(v.Get(name)); b {
		case "":
		case "true", "1":
			*dst = !invert
		case "false", "0":
			*dst = invert
		default:
			bad("%s %q: want true or false", name, b)
		}
	}
	boolParam("literal", &req.Literal, false)
	boolParam("typos", &req.NoTypos, true)

	dateParam("after", &req.After, false)
	dateParam("before", &req.Before, true)

	if len(problems) > 0 {
		slices.Sort(problems)
		return req, fmt.Errorf("%w: %s", search.ErrInvalid, strings.Join(problems, "; "))
	}
	return req, nil
}

// listParam splits repeated, comma-separated values, dropping empty ones.
func listParam(values []string) []string {
	var out []string
	for _, v := range values {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// ParseDate parses YYYY-MM-DD (dateOnly is then true) or an RFC 3339 time,
// returning UTC.
func ParseDate(s string) (t time.Time, dateOnly bool, err error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), true, nil
	}
	t, err = time.Parse(time.RFC3339, s)
	return t.UTC(), false, err
}
