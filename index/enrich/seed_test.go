package enrich

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSeedArticle checks the tagger on a real article (read at test time,
// not stored in the repository). Paragraphs are numbered from 1, counting
// non-empty lines.
func TestSeedArticle(t *testing.T) {
	paras, err := readSeed()
	if err != nil {
		t.Skipf("seed article not available: %v", err)
	}
	if len(paras) != 23 {
		t.Fatalf("seed has %d paragraphs, want 23", len(paras))
	}
	out := tagger(t).Tag("", paras)

	tests := []struct {
		name     string
		para     int
		field    string   // "country", "actor" or "topic"
		exact    []string // if non-nil, the field must equal this
		contains []string // the field must contain these
		excludes []string // the field must not contain these
	}{
		{name: "director general and agency", para: 1, field: "actor", contains: []string{"Ken McCallum", "MI5"}},
		{name: "spying for China", para: 1, field: "country", contains: []string{"China"}},
		{name: "espionage topic", para: 1, field: "topic", contains: []string{"espionage"}},
		{name: "UK-China compound", para: 2, field: "country", contains: []string{"United Kingdom", "China"}},
		{name: "China-related compound", para: 3, field: "country", contains: []string{"China"}},
		{name: "full names introduced", para: 4, field: "actor", contains: []string{"Christopher Cash", "Christopher Berry", "Crown Prosecution Service"}},
		{name: "surname resolves", para: 7, field: "actor", contains: []string{"Ken McCallum"}},
		{name: "five people named", para: 8, field: "actor",
			contains: []string{"Christopher Cash", "Christopher Berry", "Tom Tugendhat", "Alicia Kearns", "Cai Qi"},
			excludes: []string{"Alex", "Cash", "Berry"}},
		{name: "China in the spying paragraph", para: 8, field: "country", contains: []string{"China"}},
		{name: "IS as the group", para: 18, field: "actor", contains: []string{"Islamic State"}},
		{name: "Iran and Russia only", para: 21, field: "country", exact: []string{"Iran", "Russia"}},
		{name: "state threats", para: 21, field: "topic", contains: []string{"state-threats"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := out[tc.para-1]
			var got []string
			switch tc.field {
			case "country":
				got = f.Country
			case "actor":
				got = f.Actor
			case "topic":
				got = f.Topic
			default:
				t.Fatalf("bad field %q", tc.field)
			}
			if tc.exact != nil {
				if diff := cmp.Diff(tc.exact, got); diff != "" {
					t.Errorf("paragraph %d %s: got %q, want %q", tc.para, tc.field, got, tc.exact)
				}
			}
			for _, w := range tc.contains {
				if !slices.Contains(got, w) {
					t.Errorf("paragraph %d %s: got %q, want it to contain %q", tc.para, tc.field, got, w)
				}
			}
			for _, w := range tc.excludes {
				if slices.Contains(got, w) {
					t.Errorf("paragraph %d %s: got %q, want it not to contain %q", tc.para, tc.field, got, w)
				}
			}
		})
	}
}
