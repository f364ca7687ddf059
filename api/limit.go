package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// Limits bounds how fast one client may call the API: a token bucket per
// client, where a client is its API key or, without keys, its IP address.
// A zero rate means no limit.
type Limits struct {
	// SearchRate and SearchBurst bound searches and reads (requests per
	// second, and how many may come at once).
	SearchRate  float64
	SearchBurst int
	// IngestRate and IngestBurst bound ingests and deletes.
	IngestRate  float64
	IngestBurst int
}

// limiter holds the buckets of one kind of request.
type limiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	calls   int
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleBucket is how long a client's bucket is kept after its last request.
const idleBucket = 10 * time.Minute

func newLimiter(perSecond float64, burst int) *limiter {
	if perSecond <= 0 {
		return nil
	}
	return &limiter{rate: rate.Limit(perSecond), burst: max(burst, 1), buckets: map[string]*bucket{}}
}

// allow takes a token for client and, if there is none, says how long to
// wait for one.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls++; l.calls%1024 == 0 {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idleBucket {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[client]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[client] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		r.CancelAt(now)
		return false, delay
	}
	return true, 0
}

// limit returns middleware that answers 429 with Retry-After when the
// client has used up its bucket. It runs after authorize, so a client with
// a key is counted by its key.
func (a *API) limit(l *limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if l == nil {
			return
		}
		client := "ip:" + c.ClientIP()
		if id := c.GetString(keyIDKey); id != "" {
			client = "key:" + id
		}
		ok, wait := l.allow(client, time.Now())
		if !ok {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			a.rejected.Add(1)
			a.problem(c, http.StatusTooManyRequests, "too many requests from this client: retry after "+wait.Round(time.Millisecond).String())
		}
	}
}
