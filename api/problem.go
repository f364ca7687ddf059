package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/index"
	"github.com/briefsearch/briefsearch/search"
)

const problemType = "application/problem+json"

// problem is an RFC 9457 problem details object.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Position is the character (Unicode code point) offset in q of a
	// query's problem, for a 400 about q.
	Position *int `json:"position,omitempty"`
}

func newProblem(status int, detail string) problem {
	return problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// problem writes a problem+json answer and aborts the request.
func (a *API) problem(c *gin.Context, status int, detail string) {
	c.Header("Content-Type", problemType)
	c.AbortWithStatusJSON(status, newProblem(status, detail))
}

// fail maps an error from the index or the searcher to an HTTP status and
// writes it as problem+json. Errors the caller caused are described;
// internal errors are logged with their cause and answered generically.
func (a *API) fail(c *gin.Context, err error) {
	status := statusOf(err)
	detail := err.Error()
	if status >= 500 {
		a.log.Error("request failed", "request_id", c.Writer.Header().Get("X-Request-ID"),
			"method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		detail = "internal error"
		switch status {
		case http.StatusServiceUnavailable:
			detail = "the search did not finish in time or was cancelled"
		case http.StatusInsufficientStorage:
			detail = "the server's disk refused the write (full or read-only): it was not stored; what was acknowledged before is kept and searches go on"
		}
	}
	p := newProblem(status, detail)
	if qe := (*search.QueryError)(nil); errors.As(err, &qe) && status == http.StatusBadRequest {
		p.Position = &qe.Pos
	}
	c.Header("Content-Type", problemType)
	c.AbortWithStatusJSON(status, p)
}

// statusOf is the one place error kinds become HTTP statuses.
func statusOf(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, search.ErrInvalid), errors.Is(err, index.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, index.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, index.ErrExists):
		return http.StatusConflict
	case errors.Is(err, index.ErrStorage):
		return http.StatusInsufficientStorage
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), errors.Is(err, index.ErrClosed):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
