package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/briefsearch/briefsearch/search"
)

// variant is a Briefsearch ranking to evaluate.
type variant struct {
	name, label string
	options     search.Options
}

// variants are the rankings -variants can name: the default and ablations
// that switch one signal off, so each signal's effect is measured in the
// same run.
func variants() []variant {
	with := func(change func(*search.Ranking)) search.Options {
		r := search.DefaultRanking()
		change(&r)
		return search.Options{Ranking: &r}
	}
	return []variant{
		{"default", "Briefsearch", search.Options{}},
		{"no-entities", "− entities", with(func(r *search.Ranking) { r.Entity, r.Topic, r.Kind, r.Alias = 0, 0, 0, 0 })},
		{"no-topics", "− topics", with(func(r *search.Ranking) { r.Topic = 0 })},
		{"no-kinds", "− actor kinds", with(func(r *search.Ranking) { r.Kind = 0 })},
		{"no-aliases", "− aliases", with(func(r *search.Ranking) { r.Alias = 0 })},
		{"no-derived", "− derived forms", with(func(r *search.Ranking) { r.Derived = 0 })},
		{"no-sense", "− sense", with(func(r *search.Ranking) { r.Sense = 0 })},
		{"no-othernames", "− other names", with(func(r *search.Ranking) { r.OtherNames = 0 })},
		{"no-title", "− title", with(func(r *search.Ranking) { r.Title = 0 })},
		{"no-proximity", "− proximity", with(func(r *search.Ranking) { r.Proximity = 0 })},
		{"no-allwords", "− all-words", with(func(r *search.Ranking) { r.AllWords = 0 })},
		{"no-short", "− short", with(func(r *search.Ranking) { r.Short = 0 })},
		{"no-brief", "− brief", with(func(r *search.Ranking) { r.Brief = 0 })},
		{"no-compound", "− compound", with(func(r *search.Ranking) { r.Compound = 0 })},
		{"no-facet-cover", "− facet coverage", with(func(r *search.Ranking) { r.FacetCover = 0 })},
		{"no-article", "− article", with(func(r *search.Ranking) { r.Article = 0 })},
		{"previous", "Briefsearch before facet coverage, compound words and article context", with(func(r *search.Ranking) {
			r.FacetCover, r.Compound, r.Article = 0, 0, 0
		})},
		{"bare", "BM25 text only", with(func(r *search.Ranking) { *r = search.Ranking{} })},
	}
}

func variantNames() []string {
	var names []string
	for _, v := range variants() {
		names = append(names, v.name)
	}
	return names
}

func pickVariants(list string) ([]variant, error) {
	all := variants()
	if strings.TrimSpace(list) == "all" {
		return all, nil
	}
	var out []variant
	for _, name := range splitList(list) {
		i := slices.IndexFunc(all, func(v variant) bool { return v.name == name })
		if i < 0 {
			return nil, fmt.Errorf("unknown variant %q (want %s or all)", name, strings.Join(variantNames(), ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// rankingFields maps -ranking keys to the weights they set.
func rankingFields(r *search.Ranking) map[string]*float64 {
	return map[string]*float64{
		"allwords": &r.AllWords, "entity": &r.Entity, "topic": &r.Topic, "alias": &r.Alias, "kind": &r.Kind,
		"title": &r.Title, "proximity": &r.Proximity, "short": &r.Short,
		"compound": &r.Compound, "facetcover": &r.FacetCover, "article": &r.Article, "derived": &r.Derived, "brief": &r.Brief, "othernames": &r.OtherNames, "sense": &r.Sense,
	}
}

func rankingKeys() []string {
	var r search.Ranking
	keys := append(slices.Collect(maps.Keys(rankingFields(&r))), "articledepth", "brieflen")
	slices.Sort(keys)
	return keys
}

// tuneDefault sets weights of the default variant from "key=value,...".
func tuneDefault(vs []variant, spec string) ([]variant, error) {
	r := search.DefaultRanking()
	fields := rankingFields(&r)
	for _, kv := range splitList(spec) {
		k, v, ok := strings.Cut(kv, "=")
		if counts := map[string]*int{"articledepth": &r.ArticleDepth, "brieflen": &r.BriefLen}; counts[strings.TrimSpace(k)] != nil {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("-ranking %q: want a whole number >= 0", kv)
			}
			*counts[strings.TrimSpace(k)] = n
			continue
		}
		dst := fields[strings.TrimSpace(k)]
		if !ok || dst == nil {
			return nil, fmt.Errorf("-ranking %q: want key=value with a key of %s", kv, strings.Join(rankingKeys(), ", "))
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 {
			return nil, fmt.Errorf("-ranking %q: want a number >= 0", kv)
		}
		*dst = f
	}
	out := slices.Clone(vs)
	for i := range out {
		if out[i].name == "default" {
			out[i].label = "Briefsearch " + spec
			out[i].options = search.Options{Ranking: &r}
		}
	}
	return out, nil
}
