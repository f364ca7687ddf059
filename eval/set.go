package eval

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrSet is wrapped by every error about a malformed query or judgment file.
var ErrSet = errors.New("eval: bad judged set")

// Query is one judged query: what the analyst typed and the need the
// paragraphs were judged against, written before any result was seen.
type Query struct {
	ID    string `yaml:"id"`
	Query string `yaml:"query"`
	// Need says who asks and what they want to find.
	Need string `yaml:"need"`
	// Relevant, Partial and NotRelevant say what earns grade 2, 1 and 0.
	Relevant    string `yaml:"relevant"`
	Partial     string `yaml:"partial"`
	NotRelevant string `yaml:"not_relevant"`
}

// Judgments maps a query id to the grades of the paragraphs judged for it.
type Judgments map[string]map[string]int

// Grade returns the grade of paragraph id for query qid and whether it was
// judged.
func (j Judgments) Grade(qid, id string) (int, bool) {
	g, ok := j[qid][id]
	return g, ok
}

// Set is a judged set: queries and their judgments.
type Set struct {
	Dir       string
	Queries   []Query
	Judgments Judgments
}

// File names inside a set's directory.
const (
	QueriesFile   = "queries.yaml"
	JudgmentsFile = "judgments.tsv"
)

// LoadSet reads dir/queries.yaml and dir/judgments.tsv (which may be
// missing: nothing judged yet). Errors wrap ErrSet and name file and line.
func LoadSet(dir string) (*Set, error) {
	qs, err := loadQueries(filepath.Join(dir, QueriesFile))
	if err != nil {
		return nil, err
	}
	s := &Set{Dir: dir, Queries: qs, Judgments: Judgments{}}
	f, err := os.Open(filepath.Join(dir, JudgmentsFile))
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := ReadJudgments(f, filepath.Join(dir, JudgmentsFile))
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, q := range qs {
		known[q.ID] = true
	}
	for _, r := range recs {
		if !known[r.Query] {
			return nil, fmt.Errorf("%w: %s:%d: unknown query id %q", ErrSet, JudgmentsFile, r.Line, r.Query)
		}
		if err := s.Judgments.add(r); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func loadQueries(path string) ([]Query, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Queries []Query `yaml:"queries"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSet, path, err)
	}
	seen := map[string]bool{}
	for i, q := range doc.Queries {
		switch {
		case q.ID == "" || strings.ContainsAny(q.ID, " \t"):
			return nil, fmt.Errorf("%w: %s: query %d: missing or malformed id", ErrSet, path, i+1)
		case seen[q.ID]:
			return nil, fmt.Errorf("%w: %s: duplicate query id %q", ErrSet, path, q.ID)
		case strings.TrimSpace(q.Query) == "" || strings.TrimSpace(q.Need) == "":
			return nil, fmt.Errorf("%w: %s: query %s: query and need are required", ErrSet, path, q.ID)
		}
		seen[q.ID] = true
	}
	return doc.Queries, nil
}

// Judgment is one line of a judgments file.
type Judgment struct {
	Query string // query id
	ID    string // paragraph (chunk) id
	Grade int    // 0 not relevant, 1 partially, 2 relevant
	Note  string // optional: the judge's reason
	Line  int    // line in its file, for messages
}

// ReadJudgments parses a judgments TSV: query id, paragraph id, grade and an
// optional note, tab-separated; blank lines and lines starting with # are
// skipped. name is used in error messages.
func ReadJudgments(r io.Reader, name string) ([]Judgment, error) {
	var out []Judgment
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) < 3 {
			return nil, fmt.Errorf("%w: %s:%d: want query id, paragraph id and grade separated by tabs", ErrSet, name, n)
		}
		g, err := strconv.Atoi(strings.TrimSpace(f[2]))
		if err != nil || g < 0 || g > 2 {
			return nil, fmt.Errorf("%w: %s:%d: grade %q: want 0, 1 or 2", ErrSet, name, n, f[2])
		}
		j := Judgment{Query: strings.TrimSpace(f[0]), ID: strings.TrimSpace(f[1]), Grade: g, Line: n}
		if len(f) == 4 {
			j.Note = strings.TrimSpace(f[3])
		}
		if j.Query == "" || j.ID == "" {
			return nil, fmt.Errorf("%w: %s:%d: empty query or paragraph id", ErrSet, name, n)
		}
		out = append(out, j)
	}
	return out, sc.Err()
}

// add records r; judging the same paragraph twice with different grades is
// an error (a judgment is never silently changed).
func (j Judgments) add(r Judgment) error {
	m := j[r.Query]
	if m == nil {
		m = map[string]int{}
		j[r.Query] = m
	}
	if g, ok := m[r.ID]; ok && g != r.Grade {
		return fmt.Errorf("%w: line %d: %s %s judged %d before, now %d", ErrSet, r.Line, r.Query, r.ID, g, r.Grade)
	}
	m[r.ID] = r.Grade
	return nil
}

// AddJudgments appends the judgments in recs that the set does not hold yet
// to dir/judgments.tsv, in a stable order. A record for an unknown query, or
// one that contradicts an existing judgment, is an error and nothing is
// written. It returns how many were added.
func (s *Set) AddJudgments(recs []Judgment) (int, error) {
	known := map[string]bool{}
	for _, q := range s.Queries {
		known[q.ID] = true
	}
	next := Judgments{}
	for q, m := range s.Judgments {
		next[q] = maps.Clone(m)
	}
	var fresh []Judgment
	for _, r := range recs {
		if !known[r.Query] {
			return 0, fmt.Errorf("%w: line %d: unknown query id %q", ErrSet, r.Line, r.Query)
		}
		if _, ok := next.Grade(r.Query, r.ID); !ok {
			fresh = append(fresh, r)
		}
		if err := next.add(r); err != nil {
			return 0, err
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	slices.SortStableFunc(fresh, func(a, b Judgment) int {
		if c := strings.Compare(a.Query, b.Query); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	f, err := os.OpenFile(filepath.Join(s.Dir, JudgmentsFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriter(f)
	for _, r := range fresh {
		note := strings.Join(strings.Fields(r.Note), " ")
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", r.Query, r.ID, r.Grade, note)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	s.Judgments = next
	return len(fresh), nil
}
