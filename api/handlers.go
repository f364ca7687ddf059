package api

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

func (a *API) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (a *API) readyz(c *gin.Context) {
	if !a.ready.Load() {
		a.problem(c, http.StatusServiceUnavailable, "the server is shutting down")
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (a *API) search(c *gin.Context) {
	req, err := ParseSearchParams(c.Request.URL.Query())
	if err != nil {
		a.fail(c, err)
		return
	}
	req.Scope = scope(c)
	res, err := a.searcher.Search(c.Request.Context(), req)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.metrics.search.Observe(res.TookMS / 1000)
	a.metrics.phases.WithLabelValues("query").Observe(res.Phases.Query.Seconds())
	a.metrics.phases.WithLabelValues("search").Observe(res.Phases.Search.Seconds())
	a.metrics.phases.WithLabelValues("hits").Observe(res.Phases.Hits.Seconds())
	c.JSON(http.StatusOK, res)
}

// facetValues answers GET /v1/facets/{field}: the field's values that
// start with prefix, counted within the search the other parameters
// describe (for autocomplete).
func (a *API) facetValues(c *gin.Context) {
	v := c.Request.URL.Query()
	fr := search.FacetValuesRequest{Field: c.Param("field"), Prefix: v.Get("prefix")}
	var problems []string
	for _, name := range []string{"prefix", "size"} {
		if len(v[name]) > 1 {
			problems = append(problems, fmt.Sprintf("parameter %q given %d times; give it once", name, len(v[name])))
		}
	}
	if s := strings.TrimSpace(v.Get("size")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			problems = append(problems, fmt.Sprintf("size %q: want a number from 1 to %d", s, search.MaxFacetValues))
		}
		fr.Size = n
	}
	v.Del("prefix")
	v.Del("size")
	for _, name := range []string{"limit", "offset", "sort", "facets", "facet_size", "group", "group_size", "context", "interval"} {
		if v.Has(name) {
			problems = append(problems, fmt.Sprintf("parameter %q does not apply to facet values", name))
		}
	}
	req, err := ParseSearchParams(v)
	if err != nil {
		problems = append(problems, strings.TrimPrefix(err.Error(), search.ErrInvalid.Error()+": "))
	}
	if len(problems) > 0 {
		a.fail(c, fmt.Errorf("%w: %s", search.ErrInvalid, strings.Join(problems, "; ")))
		return
	}
	req.Scope = scope(c)
	fr.Search = req
	res, err := a.searcher.FacetValues(c.Request.Context(), fr)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// similar answers GET /v1/similar/{id}: paragraphs like this one, with the
// search parameters (but q) and same_article=true to keep its own article.
func (a *API) similar(c *gin.Context) {
	v := c.Request.URL.Query()
	if v.Has("q") {
		a.problem(c, http.StatusBadRequest, "similar takes no q: it searches for what the paragraph is about")
		return
	}
	same := false
	switch b := strings.TrimSpace(v.Get("same_article")); b {
	case "", "false", "0":
	case "true", "1":
		same = true
	default:
		a.problem(c, http.StatusBadRequest, fmt.Sprintf("same_article %q: want true or false", b))
		return
	}
	v.Del("same_article")
	req, err := ParseSearchParams(v)
	if err != nil {
		a.fail(c, err)
		return
	}
	req.Scope = scope(c)
	res, err := a.searcher.Similar(c.Request.Context(), articleID(c), req, same)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (a *API) stats(c *gin.Context) {
	st, err := a.ix.Stats(c.Request.Context())
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

func (a *API) article(c *gin.Context) {
	view, err := a.searcher.Article(c.Request.Context(), articleID(c), scope(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

func (a *API) deleteArticle(c *gin.Context) {
	if err := a.ix.Delete(c.Request.Context(), articleID(c)); err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// articleID is the {id} of /v1/articles/{id}, which may contain "/".
func articleID(c *gin.Context) string {
	return strings.TrimPrefix(c.Param("id"), "/")
}

// recordError is one rejected record in an ingest answer.
type recordError struct {
	Record int    `json:"record,omitempty"`
	Line   int    `json:"line,omitempty"`
	ID     string `json:"id,omitempty"`
	Detail string `json:"detail"`
}

// ingestAnswer is the body of POST /v1/articles.
type ingestAnswer struct {
	index.IngestStats
	Errors []recordError `json:"errors"`
}

// ingestBatch is how many articles of a request body are indexed at a time
// as it is read, so a large upload is never held in memory whole.
const ingestBatch = 500

func (a *API) ingest(c *gin.Context) {
	if c.Request.ContentLength > a.opts.BodyLimit {
		a.problem(c, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("request body of %d bytes exceeds %d bytes; nothing was indexed", c.Request.ContentLength, a.opts.BodyLimit))
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, a.opts.BodyLimit)
	answer := ingestAnswer{Errors: []recordError{}}
	var (
		batch   []index.Article
		where   [][2]int // line and record of each article of batch
		seen    int      // articles read
		tooMany = errors.New("too many articles")
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		stats, err := a.ix.Ingest(c.Request.Context(), batch...)
		answer.IngestStats.Add(stats)
		a.metrics.articles.Add(float64(stats.Articles))
		a.metrics.paras.Add(float64(stats.Paragraphs))
		for _, ae := range index.Rejected(err) {
			answer.Errors = append(answer.Errors, recordError{Line: where[ae.Position][0], Record: where[ae.Position][1], ID: ae.ID, Detail: ae.Err.Error()})
		}
		batch, where = batch[:0], where[:0]
		if err != nil && !errors.Is(err, index.ErrInvalid) {
			return err
		}
		return nil
	}
	errs, err := index.DecodeEach(body, "request body", func(art index.Article, line, record int) error {
		if seen++; a.opts.MaxArticles > 0 && seen > a.opts.MaxArticles {
			return tooMany
		}
		batch = append(batch, art)
		where = append(where, [2]int{line, record})
		if len(batch) == ingestBatch {
			return flush()
		}
		return nil
	})
	if err == nil || errors.Is(err, tooMany) {
		// What was read is indexed, up to the cap.
		if ferr := flush(); ferr != nil {
			err = ferr
		}
	}
	defer func() { a.metrics.rejected.Add(float64(len(answer.Errors))) }()
	var tooBig *http.MaxBytesError
	for _, e := range errs {
		if errors.As(e, &tooBig) {
			err = e
		}
	}
	switch {
	case errors.As(err, &tooBig):
		a.problem(c, http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"request body exceeds %d bytes; %d article(s) read before the limit were indexed, the rest was not", a.opts.BodyLimit, answer.Articles))
		return
	case errors.Is(err, index.ErrStorage):
		a.log.Error("ingest refused by the disk", "err", err)
		a.problem(c, http.StatusInsufficientStorage, fmt.Sprintf(
			"the server's disk refused the write (full or read-only); %d article(s) of this request were stored before it, the rest was not; searches go on", answer.Articles))
		return
	case errors.Is(err, tooMany):
		a.problem(c, http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"more than %d articles in one request; the first %d were indexed, send the rest in another request", a.opts.MaxArticles, a.opts.MaxArticles))
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	if seen == 0 && len(errs) == 0 {
		a.problem(c, http.StatusBadRequest, "request body holds no articles: send a JSON object, a JSON array or NDJSON")
		return
	}
	for _, e := range errs {
		answer.Errors = append(answer.Errors, toRecordError(e))
	}
	if len(answer.Errors) == 0 {
		c.JSON(http.StatusOK, answer)
		return
	}
	slices.SortStableFunc(answer.Errors, func(x, y recordError) int { return cmp.Compare(x.Record, y.Record) })
	detail := fmt.Sprintf("%d record(s) rejected; %d article(s) with %d paragraph(s) indexed",
		len(answer.Errors), answer.Articles, answer.Paragraphs)
	c.Header("Content-Type", problemType)
	c.JSON(http.StatusUnprocessableEntity, struct {
		problem
		ingestAnswer
	}{newProblem(http.StatusUnprocessableEntity, detail), answer})
}

// toRecordError describes a parse error of one record.
func toRecordError(err error) recordError {
	var re *index.RecordError
	if errors.As(err, &re) {
		return recordError{Record: re.Record, Line: re.Line, Detail: re.Err.Error()}
	}
	return recordError{Detail: err.Error()}
}

// requestID returns the caller's X-Request-ID if it is a short token, or a
// new random one.
func requestID(given string) string {
	if n := len(given); n > 0 && n <= 64 && strings.Trim(given, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == "" {
		return given
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// logRequests gives each request an X-Request-ID (echoed in the answer)
// and logs one line per request with it.
func (a *API) logRequests(c *gin.Context) {
	start := time.Now()
	id := requestID(c.GetHeader("X-Request-ID"))
	c.Header("X-Request-ID", id)
	c.Next()
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("request_id", id),
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.String("query", c.Request.URL.RawQuery),
		slog.Int("status", c.Writer.Status()),
		slog.Int("bytes", c.Writer.Size()),
		slog.Duration("took", time.Since(start)),
		slog.String("remote", c.ClientIP()),
	}
	if keyID := c.GetString(keyIDKey); keyID != "" {
		attrs = append(attrs, slog.String("key_id", keyID)) // never the key itself
	}
	a.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
	a.metrics.observe(c, time.Since(start))
}

// recover turns a panic into a logged 500 problem.
func (a *API) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("panic", "path", c.Request.URL.Path, "panic", fmt.Sprint(r))
			a.problem(c, http.StatusInternalServerError, "internal error")
			c.Abort()
		}
	}()
	c.Next()
}

// backupRequest is the body of POST /v1/admin/backup.
type backupRequest struct {
	Out string `json:"out"`
}

// backup copies the index to a directory on the server's machine while it
// keeps serving.
func (a *API) backup(c *gin.Context) {
	var req backupRequest
	body := http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || strings.TrimSpace(req.Out) == "" {
		a.problem(c, http.StatusBadRequest, `body must be {"out": "DIR"}: a directory on the server's machine that does not exist or is empty`)
		return
	}
	st, err := a.ix.Backup(c.Request.Context(), req.Out)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.log.Info("backup", "dir", st.Dir, "bytes", st.Bytes, "took", st.Took)
	c.JSON(http.StatusOK, gin.H{"dir": st.Dir, "bytes": st.Bytes, "took_ms": float64(st.Took.Microseconds()) / 1000})
}
