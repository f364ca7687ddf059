package api

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/briefsearch/briefsearch/search"
)

func TestParseSearchParams(t *testing.T) {
	day := func(s string) time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return t
	}
	tests := []struct {
		name    string
		query   string
		want    search.Request
		wantErr string // substring of the error; "" means no error
	}{
		{name: "empty", query: "", want: search.Request{}},
		{
			name:  "full",
			query: "q=Iran+plots&country=Iran&country=Russia&actor=MI5&topic=espionage,cyber&source=A,+B&facets=country,topic&facet_size=5&limit=20&offset=40&sort=newest",
			want: search.Request{
				Query: "Iran plots", Country: []string{"Iran", "Russia"}, Actor: []string{"MI5"},
				Topic: []string{"espionage", "cyber"}, Source: []string{"A, B"},
				Facets: []string{"country", "topic"}, FacetSize: 5, Limit: 20, Offset: 40, Sort: search.SortNewest,
			},
		},
		{
			name:  "dates: before a day includes the whole day",
			query: "after=2024-01-01&before=2024-12-31",
			want:  search.Request{After: day("2024-01-01"), Before: search.EndOfDay(day("2024-12-31"))},
		},
		{
			name:  "RFC 3339 kept as given",
			query: "after=2024-01-01T10:00:00%2B02:00",
			want:  search.Request{After: time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)},
		},
		{name: "literal", query: "q=Russian+hacking&literal=true", want: search.Request{Query: "Russian hacking", Literal: true}},
		{name: "literal false", query: "literal=0", want: search.Request{}},
		{name: "context", query: "context=2", want: search.Request{Context: 2}},
		{name: "typos off", query: "typos=false", want: search.Request{NoTypos: true}},
		{name: "typos on", query: "typos=true", want: search.Request{}},
		{name: "context not a number", query: "context=many", wantErr: `context "many": want a number of paragraphs from 0 to 3`},
		{name: "literal not a boolean", query: "literal=yes", wantErr: `literal "yes": want true or false`},
		{name: "cache buster allowed", query: "q=x&_=123", want: search.Request{Query: "x"}},
		{name: "unknown parameter", query: "contry=Iran", wantErr: `unknown parameter "contry"`},
		{name: "limit not a number", query: "limit=ten", wantErr: `limit "ten" is not a whole number`},
		{name: "limit zero", query: "limit=0", wantErr: "limit must be at least 1"},
		{name: "negative offset passes to search", query: "offset=-1", want: search.Request{Offset: -1}},
		{name: "bad date", query: "after=yesterday", wantErr: `after "yesterday" is not a date`},
		{name: "repeated q", query: "q=a&q=b", wantErr: `parameter "q" given 2 times`},
		{name: "several problems at once", query: "limit=x&before=nope", wantErr: "before"},
		{
			name:  "shaping",
			query: "group=article&group_size=2&facets=published&interval=week&recency=30d&fragments=2&fragment_size=80&highlight_pre=%3Cb%3E&highlight_post=%3C/b%3E",
			want: search.Request{
				Group: "article", GroupSize: 2, Facets: []string{"published"}, Interval: "week", Recency: 30 * 24 * time.Hour,
				Highlight: search.HighlightOptions{Fragments: 2, FragmentSize: 80, Pre: "<b>", Post: "</b>"},
			},
		},
		{name: "whole paragraph", query: "fragments=0", want: search.Request{Highlight: search.HighlightOptions{Whole: true}}},
		{name: "bad recency", query: "recency=30", wantErr: `recency "30"`},
		{name: "facet count", query: "facet_count=articles", want: search.Request{FacetCount: "articles"}},
		{name: "pre without post", query: "highlight_pre=x", wantErr: "go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseSearchParams(v)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				if !errors.Is(err, search.ErrInvalid) {
					t.Errorf("error %v does not wrap search.ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseSearchParams(f *testing.F) {
	for _, s := range []string{"q=Iran+plots&facets=country", "limit=-3&after=2024-13-01", "country=,,&q=%22", "before=2024-02-30&sort=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if _, err := ParseSearchParams(v); err != nil && !errors.Is(err, search.ErrInvalid) {
			t.Fatalf("error %v does not wrap search.ErrInvalid", err)
		}
	})
}
