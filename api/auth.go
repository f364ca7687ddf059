package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
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

// apiKey is a configured key, kept only as its SHA-256.
type apiKey struct {
	sum  [sha256.Size]byte
	role Role
	id   string // first 8 hex digits of the hash, for logs
}

// keyring holds the configured keys. An empty keyring allows every request.
type keyring []apiKey

func newKeyring(admin, search []string) keyring {
	var k keyring
	add := func(keys []string, role Role) {
		for _, key := range keys {
			sum := sha256.Sum256([]byte(key))
			k = append(k, apiKey{sum: sum, role: role, id: hex.EncodeToString(sum[:4])})
		}
	}
	add(admin, RoleAdmin)
	add(search, RoleSearch)
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

// keyIDKey is where authorize leaves the key's id for the request log.
const keyIDKey = "briefsearch.key_id"

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
