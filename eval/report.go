package eval

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Report holds the scores of every system on every query of a set.
type Report struct {
	Systems []string
	Queries []Query
	// Scores[q][s] are the scores of system s on query q.
	Scores [][]Scores
	// Runs[q][s] are the ranked ids system s returned for query q.
	Runs [][][]string
}

// Evaluate runs every query of set on every system (top DepthPool) and
// scores the results against the set's judgments.
func Evaluate(ctx context.Context, set *Set, systems []System) (*Report, error) {
	r := &Report{Queries: set.Queries}
	for _, s := range systems {
		r.Systems = append(r.Systems, s.Name())
	}
	for _, q := range set.Queries {
		scores := make([]Scores, len(systems))
		runs := make([][]string, len(systems))
		for i, s := range systems {
			ids, err := s.Search(ctx, q, DepthPool)
			if err != nil {
				return nil, fmt.Errorf("%s on %s %q: %w", s.Name(), q.ID, q.Query, err)
			}
			runs[i] = ids
			scores[i] = Score(ids, set.Judgments[q.ID])
		}
		r.Scores = append(r.Scores, scores)
		r.Runs = append(r.Runs, runs)
	}
	return r, nil
}

// Mean returns the mean scores of system s over all queries.
func (r *Report) Mean(s int) Scores {
	var m Scores
	for _, row := range r.Scores {
		m.NDCG += row[s].NDCG
		m.P5 += row[s].P5
		m.RR += row[s].RR
		m.Unjudged += row[s].Unjudged
	}
	if n := float64(len(r.Scores)); n > 0 {
		m.NDCG /= n
		m.P5 /= n
		m.RR /= n
		m.Unjudged /= n
	}
	return m
}

// WriteTable writes the report as Markdown: nDCG@10 per query and system,
// then the means of every metric per system.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "| query | %s |\n", strings.Join(r.Systems, " | "))
	fmt.Fprintf(w, "|---|%s\n", strings.Repeat("---:|", len(r.Systems)))
	for qi, q := range r.Queries {
		cells := make([]string, len(r.Systems))
		for s := range r.Systems {
			cells[s] = fmt.Sprintf("%.2f", r.Scores[qi][s].NDCG)
		}
		fmt.Fprintf(w, "| %s %s | %s |\n", q.ID, q.Query, strings.Join(cells, " | "))
	}
	fmt.Fprintf(w, "\nMeans over %d queries:\n\n", len(r.Queries))
	fmt.Fprintln(w, "| system | nDCG@10 | P@5 | MRR | unjudged@10 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for s, name := range r.Systems {
		m := r.Mean(s)
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %.1f%% |\n", name, m.NDCG, m.P5, m.RR, 100*m.Unjudged)
	}
}

// Unjudged returns, per query id, the paragraph ids that some system ranked
// in its top DepthPool and that have no judgment yet, each once, in the
// order first seen.
func (r *Report) Unjudged(j Judgments) map[string][]string {
	out := map[string][]string{}
	for qi, q := range r.Queries {
		seen := map[string]bool{}
		for _, run := range r.Runs[qi] {
			for _, id := range run {
				if _, ok := j.Grade(q.ID, id); ok || seen[id] {
					continue
				}
				seen[id] = true
				out[q.ID] = append(out[q.ID], id)
			}
		}
	}
	return out
}
