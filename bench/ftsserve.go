package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FTSServer answers GET /v1/search from an FTS5 database written by
// IngestFTS, with the parameters of Briefsearch's /v1/search that the query
// mix uses: q, limit, offset, facets, facet_size, country, actor, topic
// (repeated or comma lists; OR within a field, AND across fields) and sort
// (relevance, newest, oldest). Words of q match any-of (OR) and rank by
// FTS5's bm25(); quoted phrases are phrases. Hits carry snippet()
// highlights; facet counts are GROUP BY over the matches, each field's
// counts ignoring its own filter, as Briefsearch counts them. Answers are
// JSON in Briefsearch's shape.
type FTSServer struct {
	db *sql.DB
}

// OpenFTSServer opens the database at path for searching, with a pool of
// connections for concurrent requests.
func OpenFTSServer(path string) (*FTSServer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	n := 2 * runtime.NumCPU()
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	var count int
	if err := db.QueryRow(`SELECT count(*) FROM article`).Scan(&count); err != nil {
		db.Close()
		return nil, fmt.Errorf("open fts5 database %s: %w", path, err)
	}
	return &FTSServer{db: db}, nil
}

// Close closes the database.
func (s *FTSServer) Close() error { return s.db.Close() }

// ftsHit is a hit in Briefsearch's JSON shape.
type ftsHit struct {
	ID         string   `json:"id"`
	ArticleID  string   `json:"article_id"`
	Paragraph  int      `json:"paragraph"`
	Score      float64  `json:"score"`
	Title      string   `json:"title,omitempty"`
	Source     string   `json:"source,omitempty"`
	URL        string   `json:"url,omitempty"`
	Published  string   `json:"published,omitempty"`
	Text       string   `json:"text"`
	Highlights []string `json:"highlights"`
	Country    []string `json:"country"`
	Actor      []string `json:"actor"`
	Topic      []string `json:"topic"`
}

type ftsFacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type ftsResponse struct {
	Query  string                     `json:"query"`
	Total  int                        `json:"total"`
	TookMS float64                    `json:"took_ms"`
	Limit  int                        `json:"limit"`
	Offset int                        `json:"offset"`
	Hits   []ftsHit                   `json:"hits"`
	Facets map[string][]ftsFacetValue `json:"facets,omitempty"`
}

// ftsRequest is a parsed search request.
type ftsRequest struct {
	q             string
	match         string
	limit, offset int
	facetSize     int
	facets        []string
	filters       map[string][]string
	sort          string
}

func parseFTSRequest(r *http.Request) (ftsRequest, error) {
	v := r.URL.Query()
	req := ftsRequest{q: v.Get("q"), limit: 10, facetSize: 10, filters: map[string][]string{}, sort: v.Get("sort")}
	req.match = FTSMatch(req.q)
	for name, dst := range map[string]*int{"limit": &req.limit, "offset": &req.offset, "facet_size": &req.facetSize} {
		if s := v.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 10000 {
				return req, fmt.Errorf("%s: want a number 0..10000", name)
			}
			*dst = n
		}
	}
	for _, f := range strings.Split(v.Get("facets"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !slices.Contains(ftsFacetFields, f) {
			return req, fmt.Errorf("facets: unknown field %q", f)
		}
		req.facets = append(req.facets, f)
	}
	for _, f := range ftsFacetFields {
		for _, val := range v[f] {
			for _, x := range strings.Split(val, ",") {
				if x = strings.TrimSpace(x); x != "" {
					req.filters[f] = append(req.filters[f], x)
				}
			}
		}
	}
	switch req.sort {
	case "", "relevance", "newest", "oldest":
	default:
		return req, fmt.Errorf("sort: want relevance, newest or oldest")
	}
	return req, nil
}

// where returns the conditions on the paragraph rowid col for the filters,
// leaving out the field skip, and their arguments.
func (req ftsRequest) where(skip, col string) (string, []any) {
	var conds []string
	var args []any
	for _, f := range ftsFacetFields {
		vals := req.filters[f]
		if f == skip || len(vals) == 0 {
			continue
		}
		conds = append(conds, col+" IN (SELECT pid FROM f_"+f+" WHERE value IN (?"+strings.Repeat(",?", len(vals)-1)+"))")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	return strings.Join(conds, " AND "), args
}

// ServeHTTP answers /v1/search and /healthz.
func (s *FTSServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz":
		w.WriteHeader(http.StatusOK)
		return
	case "/v1/search":
	default:
		http.NotFound(w, r)
		return
	}
	start := time.Now()
	req, err := parseFTSRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, err := s.search(r.Context(), req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(res)
}

// search runs the two statements of one request: the ranked page of hits,
// then the total and the facet counts.
func (s *FTSServer) search(ctx context.Context, req ftsRequest) (*ftsResponse, error) {
	res := &ftsResponse{Query: req.q, Limit: req.limit, Offset: req.offset, Hits: []ftsHit{}}
	// Hits.
	order := "fts.rank"
	switch req.sort {
	case "newest":
		order = "p.published DESC"
	case "oldest":
		order = "p.published ASC"
	}
	var q string
	var args []any
	if req.match != "" {
		q = `SELECT a.id, p.paragraph, a.title, a.source, a.url, a.published, p.text, p.country, p.actor, p.topic,
		  snippet(fts, 0, '<mark>', '</mark>', '…', 32), bm25(fts)
		  FROM fts JOIN para p ON p.rowid = fts.rowid JOIN article a ON a.rowid = p.art WHERE fts MATCH ?`
		args = []any{req.match}
		if pf, pargs := req.where("", "p.rowid"); pf != "" {
			q += " AND " + pf
			args = append(args, pargs...)
		}
	} else {
		if order == "fts.rank" {
			order = "p.rowid"
		}
		q = `SELECT a.id, p.paragraph, a.title, a.source, a.url, a.published, p.text, p.country, p.actor, p.topic, '', 0
		  FROM para p JOIN article a ON a.rowid = p.art`
		if pf, pargs := req.where("", "p.rowid"); pf != "" {
			q += " WHERE " + pf
			args = append(args, pargs...)
		}
	}
	q += " ORDER BY " + order + " LIMIT ? OFFSET ?"
	args = append(args, req.limit, req.offset)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("hits: %w", err)
	}
	for rows.Next() {
		var h ftsHit
		var country, actor, topic, snippet string
		var title, source, url, published sql.NullString
		if err := rows.Scan(&h.ArticleID, &h.Paragraph, &title, &source, &url, &published, &h.Text,
			&country, &actor, &topic, &snippet, &h.Score); err != nil {
			rows.Close()
			return nil, err
		}
		h.ID = fmt.Sprintf("%s#%d", h.ArticleID, h.Paragraph)
		h.Title, h.Source, h.URL, h.Published = title.String, source.String, url.String, published.String
		h.Score = -h.Score // bm25() is lower for better
		h.Highlights = []string{}
		if snippet != "" {
			h.Highlights = append(h.Highlights, snippet)
		}
		h.Country, h.Actor, h.Topic = splitValues(country), splitValues(actor), splitValues(topic)
		res.Hits = append(res.Hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Total and facet counts in one statement: the matches are found once
	// (a materialised CTE), then counted with each facet's filters.
	var sqlText strings.Builder
	args = nil
	matches := func(col string) string { return "" }
	if req.match != "" {
		sqlText.WriteString("WITH m AS MATERIALIZED (SELECT rowid AS id FROM fts WHERE fts MATCH ?) ")
		args = append(args, req.match)
		matches = func(col string) string { return col + " IN (SELECT id FROM m)" }
	}
	and := func(conds ...string) string {
		var keep []string
		for _, c := range conds {
			if c != "" {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(keep, " AND ")
	}
	tf, ta := req.where("", "rowid")
	sqlText.WriteString("SELECT '' AS f, '' AS value, count(*) AS c FROM para" + and(matches("rowid"), tf))
	args = append(args, ta...)
	for _, f := range req.facets {
		wc, wa := req.where(f, "pid")
		sqlText.WriteString(" UNION ALL SELECT '" + f + "', value, c FROM (SELECT value, count(*) AS c FROM f_" + f +
			and(matches("pid"), wc) + " GROUP BY value ORDER BY c DESC, value LIMIT ?)")
		args = append(append(args, wa...), req.facetSize)
	}
	rows, err = s.db.QueryContext(ctx, sqlText.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("total and facets: %w", err)
	}
	defer rows.Close()
	if len(req.facets) > 0 {
		res.Facets = map[string][]ftsFacetValue{}
		for _, f := range req.facets {
			res.Facets[f] = []ftsFacetValue{}
		}
	}
	for rows.Next() {
		var f string
		var v ftsFacetValue
		if err := rows.Scan(&f, &v.Value, &v.Count); err != nil {
			return nil, err
		}
		if f == "" {
			res.Total = v.Count
			continue
		}
		res.Facets[f] = append(res.Facets[f], v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, values := range res.Facets {
		slices.SortFunc(values, func(a, b ftsFacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
	}
	return res, nil
}

func splitValues(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, valueSep)
}
