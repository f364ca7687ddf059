package enrich

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzTag checks that Tag never panics and that its output is well formed:
// one Facets per paragraph, every slice non-nil, sorted and deduplicated,
// and every value canonical.
func FuzzTag(f *testing.F) {
	seeds := [][2]string{
		{"", "The MI5 director general, Ken McCallum, warned of UK-China tensions."},
		{"Spy chief warns", "McCallum’s speech named Iran’s IRGC and IS-inspired plots."},
		{"WHY IS THE US ANGRY", "Is it? “Alex” met Mr Cash in the States."},
		{"", "al-Qaeda Isil Daesh U.S. Sino-British Jean-Pierre Dupont bin al- ’s ’"},
		{"", "\u00a0\u2011-\u2010…“”‘’'\"..,,  \t\n"},
		{"", string([]byte{0xff, 0xfe, 'U', 'S', 0xc3})},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	tg := tagger(f)
	countries := map[string]bool{}
	for _, c := range tg.country {
		countries[c] = true
	}
	topics := map[string]bool{}
	for _, s := range Topics() {
		topics[s] = true
	}
	f.Fuzz(func(t *testing.T, title, para string) {
		paras := []string{para, title, para + " " + para}
		out := tg.Tag(title, paras)
		if len(out) != len(paras) {
			t.Fatalf("Tag returned %d facets for %d paragraphs", len(out), len(paras))
		}
		for i, fc := range out {
			for _, field := range []struct {
				name string
				vals []string
				ok   func(string) bool
			}{
				{"country", fc.Country, func(v string) bool { return countries[v] }},
				{"actor", fc.Actor, func(v string) bool { return tg.isActor[v] || personLike(v) }},
				{"topic", fc.Topic, func(v string) bool { return topics[v] }},
			} {
				if field.vals == nil {
					t.Errorf("paragraph %d: %s is nil", i, field.name)
				}
				if !slices.IsSorted(field.vals) {
					t.Errorf("paragraph %d: %s %q not sorted", i, field.name, field.vals)
				}
				if len(slices.Compact(slices.Clone(field.vals))) != len(field.vals) {
					t.Errorf("paragraph %d: %s %q has duplicates", i, field.name, field.vals)
				}
				for _, v := range field.vals {
					if !field.ok(v) {
						t.Errorf("paragraph %d: %s value %q is not canonical", i, field.name, v)
					}
				}
			}
		}
		// Deterministic.
		if again := tg.Tag(title, paras); !slices.EqualFunc(out, again, facetsEqual) {
			t.Errorf("Tag is not deterministic: %v then %v", out, again)
		}
	})
}

// personLike reports whether v has the shape of a personal name produced by
// the name rules: capitalised, trimmed words separated by single spaces.
func personLike(v string) bool {
	if v == "" || strings.TrimSpace(v) != v || strings.Contains(v, "  ") || !utf8.ValidString(v) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(v)
	return unicode.IsUpper(r)
}

func facetsEqual(a, b Facets) bool {
	return slices.Equal(a.Country, b.Country) && slices.Equal(a.Actor, b.Actor) && slices.Equal(a.Topic, b.Topic)
}
