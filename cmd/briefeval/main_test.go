package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunOnFixtures(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"run", "-set", "../../testdata/relevance/fixtures", "-corpus", "../../testdata/corpus", "-cache", "", "-variants", "default,bare"}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"| f01 Iranian proxies |", "| Briefsearch |", "| BM25 text only |", "| FTS5 any word |", "| FTS5 all words |", "× FTS5"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestPoolAndAdd(t *testing.T) {
	dir := t.TempDir()
	queries, err := os.ReadFile("../../testdata/relevance/fixtures/queries.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "queries.yaml"), queries, 0o644); err != nil {
		t.Fatal(err)
	}
	pool := filepath.Join(dir, "pool.jsonl")
	var out bytes.Buffer
	err = run(context.Background(), []string{"pool", "-set", dir, "-corpus", "../../testdata/corpus", "-cache", "", "-queries", "f04", "-out", pool}, &out, &out)
	if err != nil {
		t.Fatalf("pool: %v\n%s", err, out.String())
	}
	data, err := os.ReadFile(pool)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var rec poolRecord
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec.Query != "f04" || rec.Paragraph == "" || rec.Need == "" {
		t.Fatalf("first pool record %+v (%v)", rec, err)
	}
	// Judge every pooled paragraph 1 and add the judgments.
	var tsv strings.Builder
	for _, l := range lines {
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		tsv.WriteString(rec.Query + "\t" + rec.ID + "\t1\ttest\n")
	}
	judged := filepath.Join(dir, "judged.tsv")
	if err := os.WriteFile(judged, []byte(tsv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"add", "-set", dir, judged}, &out, &out); err != nil {
		t.Fatalf("add: %v", err)
	}
	if !strings.Contains(out.String(), "new judgments added") {
		t.Errorf("add output %q", out.String())
	}
	// Everything pooled is judged now: a second pool is empty.
	out.Reset()
	var logs bytes.Buffer
	if err := run(context.Background(), []string{"pool", "-set", dir, "-corpus", "../../testdata/corpus", "-cache", "", "-queries", "f04", "-out", pool}, &out, &logs); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "0 unjudged") {
		t.Errorf("second pool: %q, want 0 unjudged", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"judge"},
		{"run", "-variants", "nope"},
		{"run", "-ranking", "speed=2"},
		{"run", "-bm25", "1.2"},
		{"pool"},
		{"add"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append(args, "-set", "../../testdata/relevance/fixtures"), &out, &out)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("run %q: %v, want a usage error", args, err)
		}
	}
}
