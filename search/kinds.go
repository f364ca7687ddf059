package search

import (
	"slices"
	"strings"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/index/enrich"
)

// kindNames are the everyday names of some kinds of actor the tagger
// gives (enrich.Kinds): a query for "security services" or "rebel groups"
// names a class of actors, not the words, and paragraphs tagged with an
// actor of that kind (MI5, the GRU; the Houthis) are about it whatever
// they call it. Only kinds whose everyday names are unambiguous are
// listed ("rebels" alone are as often a party's as an armed group's);
// plural and singular forms are the same after stemming. Like a topic's,
// the kind's facet clause only adds to paragraphs that match the words.
var kindNames = map[string][]string{
	"agency": {
		"intelligence agency", "intelligence service", "intelligence services", "security service",
		"spy agency", "secret service", "intelligence community",
	},
	"militant": {
		"militants", "militant group", "rebel group", "insurgents", "insurgent group",
		"armed group", "jihadists", "jihadist group", "terrorist group", "terror group",
	},
}

// kindMentions finds the actor kinds the query's one-word clauses name
// (kindNames), skipping words taken by a mention already. It returns
// mentions of index.FieldActorKind with the indexes of their words.
func (s *Searcher) kindMentions(words []string, taken []bool) ([]enrich.Mention, [][]int) {
	if s.analyzer == nil || s.rank.Kind <= 0 {
		return nil, nil
	}
	terms := make([]string, len(words))
	for i, w := range words {
		if !strings.ContainsFunc(w, func(r rune) bool { return r == ' ' }) {
			terms[i] = s.analysed(w)
		}
	}
	var mentions []enrich.Mention
	var owners [][]int
	for i := 0; i < len(words); i++ {
		best, kind := 0, ""
		for k, names := range kindNames {
			for _, name := range names {
				want := strings.Fields(s.analysed(name))
				if len(want) <= best || i+len(want) > len(words) {
					continue
				}
				ok := true
				for j, t := range want {
					if taken[i+j] || terms[i+j] != t {
						ok = false
						break
					}
				}
				if ok {
					best, kind = len(want), k
				}
			}
		}
		if best == 0 {
			continue
		}
		var own []int
		for j := i; j < i+best; j++ {
			own = append(own, j)
		}
		mentions = append(mentions, enrich.Mention{Field: index.FieldActorKind, Value: kind, Words: slices.Clone(words[i : i+best])})
		owners = append(owners, own)
		i += best - 1
	}
	return mentions, owners
}
