package index_test

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/briefsearch/briefsearch/index"
)

func TestWalkSkipsAndReadsGzip(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\nid: a\n---\nBody of a.")
	write("README.md", "# Not an article")
	write(".hidden.json", `{"id":"h","body":"x"}`)
	write(".git/b.json", `{"id":"g","body":"x"}`)
	write("notes.csv", "id,body")
	write("sub/c.ndjson", `{"id":"c","body":"Body of c."}`+"\n")

	f, err := os.Create(filepath.Join(dir, "sub", "d.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write([]byte(`{"id":"d","body":"Body of d."}` + "\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	write("broken.json.gz", "not gzip")

	var seen []string
	err = index.Walk([]string{dir}, func(path string, articles []index.Article, errs []error) error {
		rel, _ := filepath.Rel(dir, path)
		seen = append(seen, rel)
		for _, a := range articles {
			seen = append(seen, "  "+a.ID)
		}
		for range errs {
			seen = append(seen, "  error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.md", "  a", "broken.json.gz", "  error", "sub/c.ndjson", "  c", "sub/d.jsonl.gz", "  d"}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
}
