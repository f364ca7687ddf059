package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testQueries = `queries:
  - id: q1
    query: Iran plots
    need: Plots backed by Iran.
    relevant: Names an Iran-backed plot.
    partial: Iran and threats, vaguely.
    not_relevant: Iran in another story.
  - id: q2
    query: nerve agent
    need: Nerve agent attacks.
`

func writeSet(t *testing.T, judgments string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, QueriesFile), []byte(testQueries), 0o644); err != nil {
		t.Fatal(err)
	}
	if judgments != "" {
		if err := os.WriteFile(filepath.Join(dir, JudgmentsFile), []byte(judgments), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadSet(t *testing.T) {
	dir := writeSet(t, "# comment\nq1\ta#1\t2\tnames the plot\n\nq2\tb#3\t0\n")
	s, err := LoadSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Queries) != 2 || s.Queries[0].Relevant == "" {
		t.Fatalf("queries = %+v", s.Queries)
	}
	if g, ok := s.Judgments.Grade("q1", "a#1"); !ok || g != 2 {
		t.Errorf("grade q1 a#1 = %d, %v", g, ok)
	}
	if _, ok := s.Judgments.Grade("q1", "b#3"); ok {
		t.Error("b#3 judged for q1, want only for q2")
	}
}

func TestLoadSetErrors(t *testing.T) {
	tests := []struct {
		name, judgments, want string
	}{
		{"grade out of range", "q1\ta#1\t3\n", "want 0, 1 or 2"},
		{"too few fields", "q1 a#1 2\n", "separated by tabs"},
		{"unknown query", "q9\ta#1\t1\n", `unknown query id "q9"`},
		{"contradiction", "q1\ta#1\t1\nq1\ta#1\t2\n", "judged 1 before, now 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSet(writeSet(t, tt.judgments))
			if !errors.Is(err, ErrSet) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadSet: %v, want ErrSet mentioning %q", err, tt.want)
			}
		})
	}
}

func TestAddJudgments(t *testing.T) {
	dir := writeSet(t, "q1\ta#1\t2\n")
	s, err := LoadSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs := []Judgment{{Query: "q2", ID: "c#1", Grade: 1, Note: "two\tlines\nof note"}, {Query: "q1", ID: "a#1", Grade: 2}}
	n, err := s.AddJudgments(recs)
	if err != nil || n != 1 {
		t.Fatalf("AddJudgments = %d, %v; want 1 new", n, err)
	}
	// A contradiction writes nothing.
	if _, err := s.AddJudgments([]Judgment{{Query: "q2", ID: "d#1", Grade: 0}, {Query: "q1", ID: "a#1", Grade: 0}}); !errors.Is(err, ErrSet) {
		t.Fatalf("contradicting AddJudgments: %v, want ErrSet", err)
	}
	again, err := LoadSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := again.Judgments.Grade("q2", "c#1"); !ok || g != 1 {
		t.Errorf("after reload q2 c#1 = %d, %v", g, ok)
	}
	if _, ok := again.Judgments.Grade("q2", "d#1"); ok {
		t.Error("d#1 was written although the batch was refused")
	}
}
