package search

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDerivations(t *testing.T) {
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"terrorism", []string{"terrorist"}},
		{"Extremists", []string{"extremism"}},
		{"piracy", []string{"pirate"}},
		{"hacking", []string{"hacker"}},
		{"smuggling", []string{"smuggler"}},
		{"shootings", []string{"shooter"}},
		{"hackers", nil}, // the agent does not stand for the practice
		{"sing", nil},    // too short
		{"far-right", nil},
		{"Iran", nil},
	} {
		if got := derivations(tc.word); !cmp.Equal(tc.want, got) {
			t.Errorf("derivations(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}
