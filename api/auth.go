package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/briefsearch/briefsearch/search"
)

// Role is what an API key may do.
type Role int

// The roles of API keys. An admin key may do everything a search key may.
const (
	RoleSearch Role = iota + 1 // search and read articles
	RoleAdmin                  // also ingest, delete and read stats
)

func (r Role) String() string {
	switch r {
	case RoleSearch:
		return "search"
	case RoleAdmin:
		return "admin"
	}
	return "none"
}

// Key is an API key the server accepts.
type Key struct {
	Value string
	Role  Role
	// Scope, for a search key, fixes filters that every request made with
	// it is ANDed with: its searches, facet counts and article reads see
	// only paragraphs in scope, whatever the request asks.
	Scope search.Scope
}

// apiKey is a configured key, kept only as its SHA-256.
type apiKey struct {
	sum   [sha256.Size]byte
	role  Role
	scope search.Scope
	id    string // first 8 hex digits of the hash, for logs
}

// keyring holds the configured keys. An empty keyring allows every request.
type keyring []apiKey

func newKeyring(keys []Key) keyring {
	k := make(keyring, 0, len(keys))
	for _, key := range keys {
		sum := sha256.Sum256([]byte(key.Value))
		k = append(k, apiKey{sum: sum, role: key.Role, scope: key.Scope, id: hex.EncodeToString(sum[:4])})
	}
	return k
}

// lookup returns the key matching presented, comparing the hashes of all
// keys in constant time so that timing tells nothing about them.
func (k keyring) lookup(presented string) (apiKey, bool) {
	sum := sha256.Sum256([]byte(presented))
	var found apiKey
	ok := 0
	for _, key := range k {
		if subtle.ConstantTimeCompare(sum[:], key.sum[:]) == 1 {
			found, ok = key, 1
		}
	}
	return found, ok == 1
}

// presentedKey returns the key sent as "Authorization: Bearer KEY" or
// "X-API-Key: KEY", or "".
func presentedKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, key, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(key)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("X-API-Key"))
}

// Where authorize leaves the key's id (for the request log and rate
// limits) and its scope (for the handlers).
const (
	keyIDKey    = "briefsearch.key_id"
	keyScopeKey = "briefsearch.key_scope"
)

// scope returns the scope of the request's key (the zero Scope if none).
func scope(c *gin.Context) search.Scope {
	s, _ := c.Get(keyScopeKey)
	sc, _ := s.(search.Scope)
	return sc
}

// ParseScope parses a key's scope written as a URL query:
// country, actor, topic, source and actor_kind (repeated or comma-separated), after
// and before (YYYY-MM-DD, a before date including its whole day, or RFC
// 3339). Errors wrap search.ErrInvalid.
func ParseScope(raw string) (search.Scope, error) {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return search.Scope{}, fmt.Errorf("%w: scope %q: %v", search.ErrInvalid, raw, err)
	}
	for name := range v {
		if !slices.Contains([]string{"country", "actor", "topic", "source", "actor_kind", "after", "before"}, name) {
			return search.Scope{}, fmt.Errorf("%w: scope %q: unknown filter %q", search.ErrInvalid, raw, name)
		}
	}
	req, err := ParseSearchParams(v)
	if err != nil {
		return search.Scope{}, fmt.Errorf("scope %q: %w", raw, err)
	}
	return search.Scope{Country: req.Country, Actor: req.Actor, Topic: req.Topic, Source: req.Source,
		ActorKind: req.ActorKind, After: req.After, Before: req.Before}, nil
}

// authorize returns middleware that lets a request through only with a key
// of at least role: 401 without a known key, 403 with a key of a lesser
// role, both problem+json. With no keys configured it lets everything
// through.
func (a *API) authorize(role Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if len(a.keys) == 0 {
			return
		}
		presented := presentedKey(c.Request)
		if presented == "" {
			c.Header("WWW-Authenticate", `Bearer realm="briefsearch"`)
			a.problem(c, http.StatusUnauthorized, "this endpoint needs an API key: send Authorization: Bearer KEY or X-API-Key: KEY")
			return
		}
		key, ok := a.keys.lookup(presented)
		if !ok {
			c.Header("WWW-Authenticate", `Bearer realm="briefsearch", error="invalid_token"`)
			a.problem(c, http.StatusUnauthorized, "unknown API key")
			return
		}
		c.Set(keyIDKey, key.id)
		c.Set(keyScopeKey, key.scope)
		if key.role < role {
			a.problem(c, http.StatusForbidden, "this endpoint needs an "+role.String()+" key; this is a "+key.role.String()+" key")
		}
	}
}

// secureHeaders sets headers every answer carries: no MIME sniffing, no
// referrer sent on from the search page. (The page's own answers add a
// Content-Security-Policy.)
func secureHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}
