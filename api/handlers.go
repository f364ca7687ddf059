package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/index"
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

func (a *API) ingest(c *gin.Context) {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, a.opts.BodyLimit)
	articles, errs := index.Decode(body, "request body")
	var tooBig *http.MaxBytesError
	for _, err := range errs {
		if errors.As(err, &tooBig) {
			a.problem(c, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body exceeds %d bytes; nothing was indexed", a.opts.BodyLimit))
			return
		}
	}
	if len(articles) == 0 && len(errs) == 0 {
		a.problem(c, http.StatusBadRequest, "request body holds no articles: send a JSON object, a JSON array or NDJSON")
		return
	}
	answer := ingestAnswer{Errors: []recordError{}}
	for _, err := range errs {
		answer.Errors = append(answer.Errors, toRecordError(err))
	}
	stats, err := a.ix.Ingest(c.Request.Context(), articles...)
	answer.IngestStats = stats
	a.metrics.articles.Add(float64(stats.Articles))
	a.metrics.paras.Add(float64(stats.Paragraphs))
	defer func() { a.metrics.rejected.Add(float64(len(answer.Errors))) }()
	if err != nil && !errors.Is(err, index.ErrInvalid) {
		a.fail(c, err)
		return
	}
	for _, ae := range index.Rejected(err) {
		answer.Errors = append(answer.Errors, recordError{Record: ae.Position + 1, ID: ae.ID, Detail: ae.Err.Error()})
	}
	if len(answer.Errors) == 0 {
		c.JSON(http.StatusOK, answer)
		return
	}
	detail := fmt.Sprintf("%d record(s) rejected; %d article(s) with %d paragraph(s) indexed",
		len(answer.Errors), stats.Articles, stats.Paragraphs)
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
