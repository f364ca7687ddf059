package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/config"
)

// TestREADMEConfigTable keeps the README's configuration table true: every
// key has a row with its environment variable and default.
func TestREADMEConfigTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, k := range config.Keys() {
		def := "`" + k.Default + "`"
		if k.Default == "" {
			def = "(empty)"
		}
		row := "| `" + k.Name + "` | `" + k.Env + "` | " + def + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README lacks the row for %s starting %q", k.Name, row)
		}
	}
}
