package bench

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Table formats a markdown table. Columns whose cells (past the first
// column) all look numeric are right-aligned.
func Table(header []string, rows [][]string) string {
	right := make([]bool, len(header))
	for c := 1; c < len(header); c++ {
		right[c] = len(rows) > 0
		for _, r := range rows {
			if c < len(r) && !numeric(r[c]) {
				right[c] = false
			}
		}
	}
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for c := range header {
		if right[c] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		cells := make([]string, len(header))
		copy(cells, r)
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

// numeric reports whether a cell starts like a number ("1,234", "0.41×",
// "12 MB", "—").
func numeric(s string) bool {
	s = strings.TrimLeft(strings.TrimSpace(s), "*")
	if s == "" || s == "—" {
		return true
	}
	return s[0] >= '0' && s[0] <= '9'
}

// Int formats n with thousands separators: 1234567 → "1,234,567".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Num formats a figure with three significant digits at most (two decimals
// below 10), large ones with thousands separators: 0.4567 → "0.46",
// 12.34 → "12.3", 4567.8 → "4,568".
func Num(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case math.Abs(v) >= 1000:
		return Int(int64(math.Round(v)))
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// X formats a ratio: 0.413 → "0.41×".
func X(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "—"
	}
	return Num(r) + "×"
}

// MB formats bytes in megabytes (10^6): "394 MB", "26.1 MB".
func MB(n int64) string { return Num(float64(n)/1e6) + " MB" }

// ms formats milliseconds.
func ms(v float64) string { return Num(v) + " ms" }

// verdict marks a target met or missed.
func verdict(ok bool, target string) string {
	if ok {
		return "met (" + target + ")"
	}
	return "**missed** (" + target + ")"
}

// mode returns the summary's mode with this concurrency (closed loop) or
// the open-loop mode for concurrency 0; nil if absent.
func (s *Summary) mode(concurrency int) *Mode {
	for i := range s.Modes {
		m := &s.Modes[i]
		if (concurrency == 0 && m.Rate > 0) || (concurrency > 0 && m.Concurrency == concurrency) {
			return m
		}
	}
	return nil
}

// Markdown renders the summary: the machine and input, the ratio table
// with targets, per-class latencies and every load mode.
func (s *Summary) Markdown() string {
	var b strings.Builder
	B, F := s.Ingest[Briefsearch], s.Ingest[FTS5]
	fmt.Fprintf(&b, "**%s** — %s. %s articles, %s paragraphs as Briefsearch chunks them (FTS5 peer: %s), %s of JSON Lines.\n\n",
		s.Label, s.Describe, Int(int64(s.Input.Articles)), Int(int64(B.Paragraphs)), Int(int64(F.Paragraphs)), MB(s.Input.Bytes))
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s, %s RAM, %s. Run %s, %.0f s in all; ingest %d run(s) and search %d run(s) per system, "+
		"alternating ABBA, %.0f s per search run. Query mix v%d, seed %d, %d queries, hash %s.\n\n",
		s.Machine.CPU, s.Machine.Cores, s.Machine.Go, s.Machine.Memory, s.Machine.OS, s.Date.Format("2006-01-02 15:04 UTC"),
		s.TotalS, len(B.Runs), s.SearchRuns, s.DurationS, s.MixVersion, s.MixSeed, s.MixSize, s.MixHash)

	rows := [][]string{
		{"ingest paragraphs/s (durable, enrichment on)", Num(B.ParasPerSec), Num(F.ParasPerSec), X(Ratio(B.ParasPerSec, F.ParasPerSec)),
			verdict(B.ParasPerSec >= F.ParasPerSec, "≥ 1.0×")},
		{"ingest MB/s", Num(B.MBPerSec), Num(F.MBPerSec), X(Ratio(B.MBPerSec, F.MBPerSec)), ""},
		{"ingest CPU s per MB", Num(B.CPUSPerMB), Num(F.CPUSPerMB), X(Ratio(B.CPUSPerMB, F.CPUSPerMB)), ""},
		{"ingest peak RSS", MB(B.PeakRSS), MB(F.PeakRSS), X(Ratio(float64(B.PeakRSS), float64(F.PeakRSS))),
			verdict(B.PeakRSS <= F.PeakRSS+100e6, "≤ FTS5 + 100 MB")},
		{"index size", MB(B.IndexBytes), MB(F.IndexBytes), X(Ratio(float64(B.IndexBytes), float64(F.IndexBytes))),
			verdict(float64(B.IndexBytes) <= 1.5*float64(F.IndexBytes), "≤ 1.5×")},
		{"index bytes per input byte", Num(float64(B.IndexBytes) / float64(s.Input.Bytes)), Num(float64(F.IndexBytes) / float64(s.Input.Bytes)), "", ""},
	}
	if m := s.mode(1); m != nil {
		b1, f1 := m.Systems[Briefsearch], m.Systems[FTS5]
		rows = append(rows,
			[]string{"search p50, c=1, whole mix", ms(b1.All.P50), ms(f1.All.P50), X(Ratio(b1.All.P50, f1.All.P50)), verdict(b1.All.P50 <= f1.All.P50/2, "≤ 0.5×")},
			[]string{"search p95, c=1", ms(b1.All.P95), ms(f1.All.P95), X(Ratio(b1.All.P95, f1.All.P95)), ""},
			[]string{"search p99, c=1", ms(b1.All.P99), ms(f1.All.P99), X(Ratio(b1.All.P99, f1.All.P99)), verdict(b1.All.P99 <= 10, "≤ 10 ms")},
		)
		worst, worstClass := 0.0, ""
		for class, l := range b1.ByClass {
			if l.P99 > worst {
				worst, worstClass = l.P99, class
			}
		}
		rows = append(rows, []string{"worst class p99, c=1 (" + worstClass + ")", ms(worst), ms(f1.ByClass[worstClass].P99),
			X(Ratio(worst, f1.ByClass[worstClass].P99)), verdict(worst <= 10, "every class ≤ 10 ms")})
	}
	if m := s.mode(2); m != nil {
		b2, f2 := m.Systems[Briefsearch], m.Systems[FTS5]
		rows = append(rows,
			[]string{"QPS, c=2", Num(b2.QPS), Num(f2.QPS), X(Ratio(b2.QPS, f2.QPS)), verdict(b2.QPS >= 2*f2.QPS, "≥ 2×")},
			[]string{"server CPU ms per query, c=2", Num(b2.CPUMsPerQuery), Num(f2.CPUMsPerQuery), X(Ratio(b2.CPUMsPerQuery, f2.CPUMsPerQuery)), ""},
			[]string{"response bytes (mean, uncompressed)", Int(int64(b2.MeanBytes)), Int(int64(f2.MeanBytes)), X(Ratio(b2.MeanBytes, f2.MeanBytes)), ""},
		)
	}
	if m := s.mode(0); m != nil {
		bo, fo := m.Systems[Briefsearch], m.Systems[FTS5]
		rows = append(rows, []string{fmt.Sprintf("search p99, open loop %.0f/s", m.Rate), ms(bo.All.P99), ms(fo.All.P99), X(Ratio(bo.All.P99, fo.All.P99)), ""})
	}
	rows = append(rows, []string{"serving peak RSS", MB(s.ServeRSS[Briefsearch]), MB(s.ServeRSS[FTS5]),
		X(Ratio(float64(s.ServeRSS[Briefsearch]), float64(s.ServeRSS[FTS5]))), ""})
	b.WriteString(Table([]string{"", "Briefsearch", "FTS5", "Briefsearch/FTS5", "target"}, rows))
	fmt.Fprintf(&b, "\nAn acknowledged ingest (POST of one article, %.1f ms) was found by the next search, %.1f ms after the answer.\n",
		s.AckMS, s.SearchableMS)

	// Per class.
	for _, c := range []int{1, 0} {
		m := s.mode(c)
		if m == nil {
			continue
		}
		bm, fm := m.Systems[Briefsearch], m.Systems[FTS5]
		fmt.Fprintf(&b, "\nPer query class, %s (latency p50 / p95 / p99 in ms; mean hits and zero-hit queries from the checking pass):\n\n", m.Name)
		var rows [][]string
		for _, cs := range ClassShares {
			bl, ok := bm.ByClass[cs.Class]
			if !ok {
				continue
			}
			fl := fm.ByClass[cs.Class]
			rows = append(rows, []string{cs.Class, Int(int64(bl.N)),
				Num(bl.P50) + " / " + Num(bl.P95) + " / " + Num(bl.P99),
				Num(fl.P50) + " / " + Num(fl.P95) + " / " + Num(fl.P99),
				X(Ratio(bl.P50, fl.P50)), X(Ratio(bl.P99, fl.P99)),
				Num(s.Check[Briefsearch].MeanTotal[cs.Class]) + " (" + strconv.Itoa(s.Check[Briefsearch].ZeroHits[cs.Class]) + ")",
				Num(s.Check[FTS5].MeanTotal[cs.Class]) + " (" + strconv.Itoa(s.Check[FTS5].ZeroHits[cs.Class]) + ")",
			})
		}
		b.WriteString(Table([]string{"class", "requests (B)", "Briefsearch", "FTS5", "p50 ratio", "p99 ratio", "B hits (zero)", "FTS5 hits (zero)"}, rows))
	}

	// Modes.
	b.WriteString("\nLoad modes (closed loop: clients send the next request when answered; open loop: fixed schedule, latency from the scheduled time). " +
		"Noise is the spread between a system's own ABBA runs (max/min of run QPS and of run p50):\n\n")
	rows = nil
	for _, m := range s.Modes {
		bm, fm := m.Systems[Briefsearch], m.Systems[FTS5]
		rows = append(rows, []string{m.Name,
			Num(bm.QPS), Num(fm.QPS), X(Ratio(bm.QPS, fm.QPS)),
			Num(bm.All.P50) + " / " + Num(bm.All.P99), Num(fm.All.P50) + " / " + Num(fm.All.P99),
			Num(bm.CPUMsPerQuery), Num(fm.CPUMsPerQuery),
			noise(bm), noise(fm),
			strconv.Itoa(bm.Errors) + " / " + strconv.Itoa(fm.Errors),
		})
	}
	b.WriteString(Table([]string{"mode", "B QPS", "FTS5 QPS", "QPS ratio", "B p50 / p99 ms", "FTS5 p50 / p99 ms",
		"B CPU ms/q", "FTS5 CPU ms/q", "B noise QPS, p50", "FTS5 noise QPS, p50", "errors B / FTS5"}, rows))
	return b.String()
}

// noise is the spread of a system's own runs: max/min of the run QPS and
// of the run p50.
func noise(f *RunFigures) string {
	spread := func(xs []float64) string {
		if len(xs) < 2 {
			return "—"
		}
		lo, hi := xs[0], xs[0]
		for _, x := range xs {
			lo, hi = min(lo, x), max(hi, x)
		}
		return X(Ratio(hi, lo))
	}
	return spread(f.RunQPS) + ", " + spread(f.RunP50)
}

// ScalingMarkdown renders one row per summary: the scaling table.
func ScalingMarkdown(sums []*Summary) string {
	var rows [][]string
	for _, s := range sums {
		B, F := s.Ingest[Briefsearch], s.Ingest[FTS5]
		row := []string{Int(int64(B.Paragraphs)), s.Label, MB(s.Input.Bytes),
			Num(B.ParasPerSec) + " / " + Num(F.ParasPerSec) + " (" + X(Ratio(B.ParasPerSec, F.ParasPerSec)) + ")",
			MB(B.PeakRSS) + " / " + MB(F.PeakRSS),
			MB(B.IndexBytes) + " / " + MB(F.IndexBytes) + " (" + X(Ratio(float64(B.IndexBytes), float64(F.IndexBytes))) + ")"}
		if m := s.mode(1); m != nil {
			bm, fm := m.Systems[Briefsearch], m.Systems[FTS5]
			row = append(row, Num(bm.All.P50)+" / "+Num(bm.All.P99), Num(fm.All.P50)+" / "+Num(fm.All.P99),
				Num(bm.QPS)+" / "+Num(fm.QPS))
		} else {
			row = append(row, "—", "—", "—")
		}
		row = append(row, MB(s.ServeRSS[Briefsearch])+" / "+MB(s.ServeRSS[FTS5]))
		rows = append(rows, row)
	}
	return Table([]string{"paragraphs", "input", "JSON", "ingest paragraphs/s B / FTS5", "ingest peak RSS B / FTS5",
		"index B / FTS5", "B p50 / p99 ms (c=1)", "FTS5 p50 / p99 ms (c=1)", "QPS c=1 B / FTS5", "serving RSS B / FTS5"}, rows)
}

// UpdateSection replaces the text between the markers
// "<!-- bench:NAME -->" and "<!-- /bench:NAME -->" in the file at path with
// content, appending the marked section if the file lacks it (and creating
// the file if needed).
func UpdateSection(path, name, content string) error {
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	doc := string(b)
	open, close := "<!-- bench:"+name+" -->", "<!-- /bench:"+name+" -->"
	section := open + "\n" + strings.TrimSpace(content) + "\n" + close
	i := strings.Index(doc, open)
	j := strings.Index(doc, close)
	if i >= 0 && j > i {
		doc = doc[:i] + section + doc[j+len(close):]
	} else {
		if doc != "" && !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		if doc != "" {
			doc += "\n"
		}
		doc += section + "\n"
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}

// IngestMarkdown renders the ingest figures only (an ingest-only run):
// the ratio rows of Markdown and every run of each system.
func (s *Summary) IngestMarkdown() string {
	var b strings.Builder
	B, F := s.Ingest[Briefsearch], s.Ingest[FTS5]
	fmt.Fprintf(&b, "**%s** ingest only — %s articles, %s paragraphs (FTS5 peer: %s), %s; %d run(s) per system, ABBA.\n\n",
		s.Label, Int(int64(s.Input.Articles)), Int(int64(B.Paragraphs)), Int(int64(F.Paragraphs)), MB(s.Input.Bytes), len(B.Runs))
	rows := [][]string{
		{"ingest paragraphs/s", Num(B.ParasPerSec), Num(F.ParasPerSec), X(Ratio(B.ParasPerSec, F.ParasPerSec))},
		{"ingest CPU s per MB", Num(B.CPUSPerMB), Num(F.CPUSPerMB), X(Ratio(B.CPUSPerMB, F.CPUSPerMB))},
		{"ingest peak RSS", MB(B.PeakRSS), MB(F.PeakRSS), X(Ratio(float64(B.PeakRSS), float64(F.PeakRSS)))},
		{"index size", MB(B.IndexBytes), MB(F.IndexBytes), X(Ratio(float64(B.IndexBytes), float64(F.IndexBytes)))},
	}
	b.WriteString(Table([]string{"", "Briefsearch", "FTS5", "Briefsearch/FTS5"}, rows))
	return b.String()
}
