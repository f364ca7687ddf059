package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefsearch/briefsearch/eval"
)

func TestEntitiesOnFixtures(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"entities", "-set", "../../testdata/entities/fixtures.jsonl", "-corpus", "../../testdata/corpus", "-top", "5"}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("entities: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{
		"## ../../testdata/entities/fixtures.jsonl", "242 paragraphs", "| country |", "| actor |",
		"| actor: people |", "| topic |", "| actor kind (gold) |", "Most frequent actor misses",
		"Most frequent country false positives",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "without their article") {
		t.Errorf("fixture paragraphs tagged without their article:\n%s", out.String())
	}
}

func TestEntitiesSample(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "c.jsonl")
	data := `{"id":"c-1","title":"T","body":"Police arrested two men after the bomb attack on the station, officials said on Monday.\n\nShares were little changed in quiet trading on the exchange, dealers said on Monday."}` + "\n"
	if err := os.WriteFile(corpus, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "sample.jsonl")
	fx := filepath.Join(dir, "fixtures.jsonl")
	var stdout bytes.Buffer
	args := []string{"entities-sample", "-corpus", corpus, "-per-file", "1", "-out", out,
		"-fixtures", "../../testdata/corpus", "-fixtures-out", fx}
	if err := run(context.Background(), args, &stdout, &stdout); err != nil {
		t.Fatalf("entities-sample: %v\n%s", err, stdout.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := eval.ReadEntities(f, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ID != "c-1#1" || recs[0].Stratum != eval.StratumSecurity {
		t.Errorf("sample %+v, want c-1#1 from the security stratum", recs)
	}
	if !strings.Contains(stdout.String(), "242 fixture paragraphs") {
		t.Errorf("output %q", stdout.String())
	}
}

func TestEntitiesUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"entities", "extra"},
		{"entities", "-set", ""},
		{"entities-sample"},
		{"entities-sample", "-out", "x", "-security", "2"},
		{"entities", "-nope"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), args, &out, &out)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("run %q: %v, want a usage error", args, err)
		}
	}
}
