package bench

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	got := Table([]string{"", "Briefsearch", "FTS5", "note"}, [][]string{
		{"ingest paragraphs/s", "5,143", "8,200", "durable"},
		{"p50", "1.20 ms", "—", "x"},
	})
	want := "|  | Briefsearch | FTS5 | note |\n" +
		"|---|---:|---:|---|\n" +
		"| ingest paragraphs/s | 5,143 | 8,200 | durable |\n" +
		"| p50 | 1.20 ms | — | x |\n"
	if got != want {
		t.Errorf("Table:\n%s\nwant:\n%s", got, want)
	}
}

func TestTableShortRowsArePadded(t *testing.T) {
	got := Table([]string{"a", "b"}, [][]string{{"x"}})
	if want := "| a | b |\n|---|---:|\n| x |  |\n"; got != want {
		t.Errorf("Table = %q, want %q", got, want)
	}
}

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Int(0), "0"},
		{Int(999), "999"},
		{Int(1000), "1,000"},
		{Int(1234567), "1,234,567"},
		{Int(-45678), "-45,678"},
		{Num(0.4567), "0.46"},
		{Num(9.999), "10.00"},
		{Num(12.34), "12.3"},
		{Num(123.6), "124"},
		{Num(4567.8), "4,568"},
		{Num(math.NaN()), "—"},
		{X(0.413), "0.41×"},
		{X(math.Inf(1)), "—"},
		{MB(394_000_000), "394 MB"},
		{MB(26_100_000), "26.1 MB"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestUpdateSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "RESULTS.md")
	if err := os.WriteFile(path, []byte("# Results\n\nnotes stay\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, section, content, want string
	}{
		{"appended when absent", "a", "first",
			"# Results\n\nnotes stay\n\n<!-- bench:a -->\nfirst\n<!-- /bench:a -->\n"},
		{"replaced in place", "a", "second\n",
			"# Results\n\nnotes stay\n\n<!-- bench:a -->\nsecond\n<!-- /bench:a -->\n"},
		{"another section after it", "b", "other",
			"# Results\n\nnotes stay\n\n<!-- bench:a -->\nsecond\n<!-- /bench:a -->\n\n<!-- bench:b -->\nother\n<!-- /bench:b -->\n"},
		{"the first kept when the second changes", "b", "new",
			"# Results\n\nnotes stay\n\n<!-- bench:a -->\nsecond\n<!-- /bench:a -->\n\n<!-- bench:b -->\nnew\n<!-- /bench:b -->\n"},
	}
	for _, s := range steps {
		if err := UpdateSection(path, s.section, s.content); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != s.want {
			t.Errorf("%s:\n%s\nwant:\n%s", s.name, b, s.want)
		}
	}
}

func TestSummaryMarkdown(t *testing.T) {
	fig := func(p50, qps float64) *RunFigures {
		return &RunFigures{Runs: 2, Requests: 100, QPS: qps, RunQPS: []float64{qps, qps * 1.1}, RunP50: []float64{p50, p50},
			All:     Latency{N: 100, P50: p50, P95: 2 * p50, P99: 3 * p50},
			ByClass: map[string]Latency{ClassTwoWords: {N: 100, P50: p50, P95: 2 * p50, P99: 3 * p50}}}
	}
	s := &Summary{Label: "default", Describe: "tier \"default\"", Input: Input{Articles: 2422, Bytes: 6_600_000},
		Ingest: map[string]Ingest{
			Briefsearch: {ParasPerSec: 5000, PeakRSS: 300e6, IndexBytes: 27e6, Paragraphs: 14587, Runs: []IngestRun{{}}},
			FTS5:        {ParasPerSec: 10000, PeakRSS: 100e6, IndexBytes: 20e6, Paragraphs: 14587},
		},
		Modes: []Mode{
			{Name: "closed c=1", Concurrency: 1, Systems: map[string]*RunFigures{Briefsearch: fig(1, 500), FTS5: fig(4, 200)}},
			{Name: "closed c=2", Concurrency: 2, Systems: map[string]*RunFigures{Briefsearch: fig(1, 900), FTS5: fig(4, 300)}},
		},
		Check: map[string]Check{Briefsearch: {MeanTotal: map[string]float64{ClassTwoWords: 12}}, FTS5: {}},
	}
	md := s.Markdown()
	for _, want := range []string{
		"| ingest paragraphs/s (durable, enrichment on) | 5,000 | 10,000 | 0.50× | **missed** (≥ 1.0×) |",
		"| ingest peak RSS | 300 MB | 100 MB | 3.00× | **missed** (≤ FTS5 + 100 MB) |",
		"| index size | 27.0 MB | 20.0 MB | 1.35× | met (≤ 1.5×) |",
		"| search p50, c=1, whole mix | 1.00 ms | 4.00 ms | 0.25× | met (≤ 0.5×) |",
		"| QPS, c=2 | 900 | 300 | 3.00× | met (≥ 2×) |",
		"| two-word | 100 | 1.00 / 2.00 / 3.00 | 4.00 / 8.00 / 12.0 | 0.25× | 0.25× | 12.0 (0) | 0.00 (0) |",
		"| closed c=1 | 500 | 200 | 2.50× |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
