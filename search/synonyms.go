package search

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Synonyms are groups of words and phrases that a query's words also
// search for, weighted like aliases (Ranking.Alias) and highlighted: a user's
// own additions to the gazetteers' aliases, for words that are not
// entities ("hacking" ↔ "cyber-attack"). Build them with ParseSynonyms.
type Synonyms struct {
	groups [][]string
}

// ParseSynonyms reads synonym groups: one group per line, its words and
// phrases separated by commas ("hacking, hackers, cyber-attack"); blank
// lines and lines starting with # are skipped. name is used in errors,
// which wrap ErrInvalid and give the line.
func ParseSynonyms(r io.Reader, name string) (Synonyms, error) {
	var s Synonyms
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		for _, p := range strings.Split(line, ",") {
			if p = strings.Join(strings.Fields(p), " "); p != "" {
				group = append(group, p)
			}
		}
		if len(group) < 2 {
			return Synonyms{}, fmt.Errorf("%w: %s:%d: a synonym group needs at least two entries separated by commas", ErrInvalid, name, n)
		}
		s.groups = append(s.groups, group)
	}
	if err := sc.Err(); err != nil {
		return Synonyms{}, fmt.Errorf("read %s: %w", name, err)
	}
	return s, nil
}

// LoadSynonyms reads a synonyms file (see ParseSynonyms).
func LoadSynonyms(path string) (Synonyms, error) {
	f, err := os.Open(path)
	if err != nil {
		return Synonyms{}, err
	}
	defer f.Close()
	return ParseSynonyms(f, path)
}

// index returns the groups keyed by the analysed form of each entry.
func (s Synonyms) index(analysed func(string) string) map[string][]string {
	out := map[string][]string{}
	for _, g := range s.groups {
		for _, e := range g {
			k := analysed(e)
			if k == "" {
				continue
			}
			for _, other := range g {
				if other != e {
					out[k] = append(out[k], other)
				}
			}
		}
	}
	return out
}
