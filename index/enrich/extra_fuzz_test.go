package enrich

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzExtraFile feeds arbitrary content as the user's extra gazetteer
// file: New either works or fails with ErrData, and never panics.
func FuzzExtraFile(f *testing.F) {
	for _, s := range []string{
		"countries:\n  Blighty: United Kingdom\n",
		"actors:\n  - name: Harbour Watch\n    kind: organisation\n    aliases: [HW]\n",
		"topics:\n  cyber:\n    terms:\n      credential stuffing: 2\n",
		"topics:\n  piracy: {}\n",
		"actors: [1, 2]\n",
		"actors:\n  - name: Harbour Watch\n    kind: ngo\n    aliases: [HW]\n    source: local list 2026\n",
		"actors:\n  - name: Harbour Watch\n    kind: military\n    source: [not, a, string]\n",
		"countries: [",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(t.TempDir(), "extra.yaml")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		tg, err := New(Options{ExtraFile: path})
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("New: %v does not wrap ErrData", err)
			}
			return
		}
		_ = tg.Tag("", []string{"HW and Blighty officials discussed credential stuffing."})
	})
}
