package enrich

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// actorKinds are the allowed values of an actor's kind.
var actorKinds = map[string]bool{
	"agency": true, "police": true, "justice": true, "government": true,
	"international": true, "militant": true, "extremist": true, "party": true,
	"cyber": true, "person": true, "organisation": true, "military": true,
	"ngo": true, "company": true, "media": true,
}

// actorSpec is one entry of actors.yaml or of an extra file's actors list.
type actorSpec struct {
	Name    string   `yaml:"name"`
	Kind    string   `yaml:"kind"`
	Aliases []string `yaml:"aliases"`
	Strict  []string `yaml:"strict"`
	Context []string `yaml:"context"`
	// Unless lists words that, near a one-word alias in its sentence,
	// show that the alias names something else ("IRA" beside
	// "retirement" or "account" is a savings account).
	Unless []string `yaml:"unless"`
	// Source is the entry's provenance (data set, date, record); it is
	// not used for matching.
	Source string `yaml:"source"`
}

// actorTable is the actor gazetteer.
type actorTable struct {
	names  []string
	kinds  []string
	byName map[string]int32 // canonical name → value
	set    *phraseSet
}

func newActorTable() *actorTable {
	return &actorTable{byName: map[string]int32{}, set: newPhraseSet()}
}

// parseActors reads an actors document (the embedded actors.yaml) from its
// root mapping node.
func (at *actorTable) parseActors(file string, root *yaml.Node) error {
	if err := checkKeys(file, root, "stop", "actors"); err != nil {
		return err
	}
	if n := mapValue(root, "stop"); n != nil {
		if n.Kind != yaml.SequenceNode {
			return dataErr(file, n, "stop must be a list of phrases")
		}
		for _, s := range n.Content {
			if s.Kind != yaml.ScalarNode {
				return dataErr(file, s, "stop phrase must be a string")
			}
			if _, err := at.set.put(s.Value, stopValue, nil, srcOf(file, s), true); err != nil {
				return err
			}
		}
	}
	if n := mapValue(root, "actors"); n != nil {
		return at.parseActorList(file, n)
	}
	return nil
}

// parseActorList reads a YAML sequence of actor entries.
func (at *actorTable) parseActorList(file string, n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return dataErr(file, n, "actors must be a list")
	}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			return dataErr(file, item, "an actor must be a mapping with name, kind and aliases")
		}
		if err := checkKeys(file, item, "name", "kind", "aliases", "strict", "context", "unless", "source"); err != nil {
			return err
		}
		var a actorSpec
		if err := item.Decode(&a); err != nil {
			return dataErr(file, item, "%v", err)
		}
		if err := at.add(a, srcOf(file, item)); err != nil {
			return err
		}
	}
	return nil
}

// add adds an actor, or more aliases to an existing actor of the same name.
func (at *actorTable) add(a actorSpec, src string) error {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		return fmt.Errorf("%w: %s: actor without a name", ErrData, src)
	}
	v, exists := at.byName[a.Name]
	if !exists {
		if !actorKinds[a.Kind] {
			kinds := slices.Sorted(maps.Keys(actorKinds))
			return fmt.Errorf("%w: %s: actor %q has unknown kind %q (want one of %s)", ErrData, src, a.Name, a.Kind, strings.Join(kinds, ", "))
		}
		v = int32(len(at.names))
		at.names = append(at.names, a.Name)
		at.kinds = append(at.kinds, a.Kind)
		at.byName[a.Name] = v
	} else if a.Kind != "" && a.Kind != at.kinds[v] {
		return fmt.Errorf("%w: %s: actor %q is already of kind %q", ErrData, src, a.Name, at.kinds[v])
	}
	var ctx map[string]bool
	if len(a.Context) > 0 {
		ctx = map[string]bool{}
		for _, c := range a.Context {
			ctx[strings.ToLower(strings.TrimSpace(c))] = true
		}
	}
	var unless map[string]bool
	if len(a.Unless) > 0 {
		unless = map[string]bool{}
		for _, u := range a.Unless {
			unless[strings.ToLower(strings.TrimSpace(u))] = true
		}
	}
	put := func(p string, strict *strictRule) error {
		if unless != nil && len(tokenizePhrase(p)) == 1 {
			if strict == nil {
				strict = &strictRule{anyCase: true}
			}
			strict.unless = unless
		}
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("%w: %s: actor %q has an empty alias", ErrData, src, a.Name)
		}
		old, err := at.set.put(p, v, strict, src, false)
		if err != nil {
			return err
		}
		if old != nil && old.val >= 0 {
			return fmt.Errorf("%w: %s: alias %q of %q is already an alias of %q (%s)",
				ErrData, src, p, a.Name, at.names[old.val], old.src)
		}
		if old != nil {
			// A stop phrase: the actor's alias wins.
			if _, err = at.set.put(p, v, strict, src, true); err != nil {
				return err
			}
		}
		// The same alias without diacritics ("Erdogan" for "Erdoğan"),
		// unless it already names something else.
		if fp, ok := fold(p); ok {
			if _, err := at.set.put(fp, v, strict, src, false); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(a.Name, nil); err != nil {
		return err
	}
	for _, p := range a.Aliases {
		if err := put(p, nil); err != nil {
			return err
		}
	}
	for _, p := range a.Strict {
		if toks := tokenizePhrase(p); len(toks) != 1 {
			return fmt.Errorf("%w: %s: strict alias %q of %q must be one word", ErrData, src, p, a.Name)
		}
		if err := put(p, &strictRule{context: ctx}); err != nil {
			return err
		}
	}
	return nil
}

// checkKeys rejects keys of mapping node n that are not in allowed.
func checkKeys(file string, n *yaml.Node, allowed ...string) error {
	if n.Kind != yaml.MappingNode {
		return dataErr(file, n, "expected a mapping")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, a := range allowed {
			if k.Value == a {
				ok = true
				break
			}
		}
		if !ok {
			return dataErr(file, k, "unknown key %q (want one of %s)", k.Value, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// mapValue returns the value node of key in mapping node n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// srcOf names a node's position as "file:line".
func srcOf(file string, n *yaml.Node) string { return fmt.Sprintf("%s:%d", file, n.Line) }

// dataErr makes an ErrData error at node n of file.
func dataErr(file string, n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrData, srcOf(file, n), fmt.Sprintf(format, args...))
}

// parseYAML parses a YAML document and returns its root mapping node.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrData, file, err)
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, dataErr(file, root, "the document must be a mapping")
	}
	return root, nil
}
