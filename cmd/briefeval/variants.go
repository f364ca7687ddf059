package main

import (
	"fmt"
	"slices"
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
	return []variant{
		{"default", "Briefsearch", search.Options{}},
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
