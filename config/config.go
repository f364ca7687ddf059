package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error that reports an invalid configuration
// value, whether found by [Config.Validate] or while decoding in [Load].
// Test for it with errors.Is.
var ErrInvalid = errors.New("config: invalid configuration")

// Config is the complete Briefsearch configuration. The mapstructure tags
// are the key names used in configuration files; see the package
// documentation for the matching environment variables.
type Config struct {
	Index  Index  `mapstructure:"index"`
	Server Server `mapstructure:"server"`
	Auth   Auth   `mapstructure:"auth"`
	Limits Limits `mapstructure:"limits"`
	Search Search `mapstructure:"search"`
	Log    Log    `mapstructure:"log"`
}

// Index configures the bleve index and document ingestion.
type Index struct {
	// Path is the directory of the bleve index.
	Path string `mapstructure:"path"`
	// BatchSize is the number of chunks per bleve batch (1..100000).
	BatchSize int `mapstructure:"batch_size"`
	// MaxChunk is the maximum number of characters per chunk (200..20000).
	MaxChunk int `mapstructure:"max_chunk"`
	// Gazetteer is an optional YAML file extending the built-in gazetteers
	// and topic rules. Empty means none; if set, the file must exist.
	Gazetteer string `mapstructure:"gazetteer"`
	// Sample is the directory loaded by `serve --load-sample` (and make run)
	// when the index is empty.
	Sample string `mapstructure:"sample"`
}

// Server configures the HTTP API server.
type Server struct {
	// Addr is the listen address in host:port form; the host may be empty
	// and port 0 picks a free port.
	Addr string `mapstructure:"addr"`
	// ReadTimeout is http.Server.ReadTimeout.
	ReadTimeout time.Duration `mapstructure:"read_timeout"`
	// WriteTimeout is http.Server.WriteTimeout.
	WriteTimeout time.Duration `mapstructure:"write_timeout"`
	// IdleTimeout is http.Server.IdleTimeout.
	IdleTimeout time.Duration `mapstructure:"idle_timeout"`
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout"`
	// BodyLimit is the maximum request body size in bytes. In files, flags
	// and environment variables it may be written as a byte size such as
	// "10MiB"; see [ParseByteSize].
	BodyLimit int64 `mapstructure:"body_limit"`
	// MaxArticles bounds the articles of one ingest request (0: none).
	MaxArticles int `mapstructure:"max_articles"`
	// BasePath is the prefix under which the API is mounted. Empty means
	// the root; otherwise it must start with "/" and not end with "/".
	BasePath string `mapstructure:"base_path"`
	// CORSOrigins lists, comma-separated, the web origins
	// ("https://app.example.org") whose pages may call the API from a
	// browser; "*" allows any. Empty disables CORS.
	CORSOrigins string `mapstructure:"cors_origins"`
	// InsecurePublic allows serving on a non-loopback address without any
	// API key configured. Without it, such a server refuses to start.
	InsecurePublic bool `mapstructure:"insecure_public"`
}

// Public reports whether Addr listens beyond the loopback interface: an
// empty host, a non-loopback IP, or a name other than localhost.
func (s Server) Public() bool {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil || host == "" {
		return true
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// Auth configures API keys. With no key at all every request is allowed,
// and the server only listens on loopback (see Server.InsecurePublic).
type Auth struct {
	// AdminKeys are comma-separated keys that may do everything: ingest,
	// delete, stats, search and read.
	AdminKeys string `mapstructure:"admin_keys"`
	// SearchKeys are comma-separated keys that may search and read
	// articles.
	SearchKeys string `mapstructure:"search_keys"`
	// KeysFile names a file of further keys, one per line as "admin KEY"
	// or "search KEY [SCOPE]", where SCOPE restricts a search key to fixed
	// filters written as a URL query ("country=Iran&source=Example+Wire&
	// after=2024-01-01"; names: country, actor, topic, source, after,
	// before). Blank lines and lines starting with # are ignored.
	KeysFile string `mapstructure:"keys_file"`
}

// APIKey is one configured API key.
type APIKey struct {
	Value string
	// Admin keys may do everything; the others only search and read.
	Admin bool
	// Scope holds a search key's fixed filters in URL query form, from
	// the keys file; empty for none.
	Scope string
}

// scopeNames are the parameters a key's scope may set.
var scopeNames = []string{"country", "actor", "topic", "source", "actor_kind", "after", "before"}

// Limits bounds request rates per client (its API key, or its IP address
// without one): token buckets refilled at Rate per second holding at most
// Burst. A zero rate means no limit.
type Limits struct {
	SearchRate  float64 `mapstructure:"search_rate"`
	SearchBurst int     `mapstructure:"search_burst"`
	IngestRate  float64 `mapstructure:"ingest_rate"`
	IngestBurst int     `mapstructure:"ingest_burst"`
}

// MinKeyLength is the shortest API key accepted.
const MinKeyLength = 16

// Keys returns the keys of a, from the settings and the keys file. Errors
// wrap ErrInvalid and name the setting, or the file and line.
func (a Auth) Keys() ([]APIKey, error) {
	keys, probs := a.keys()
	return keys, joinInvalid(probs)
}

// keys reads the keys and lists the problems with them.
func (a Auth) keys() (keys []APIKey, probs []problem) {
	add := func(where string, k APIKey) {
		switch {
		case len(k.Value) < MinKeyLength:
			probs = append(probs, problem{where, fmt.Sprintf("a key must have at least %d characters, got %d", MinKeyLength, len(k.Value))})
		case strings.ContainsFunc(k.Value, func(r rune) bool { return r <= ' ' || r == ',' || r > '~' }):
			probs = append(probs, problem{where, "a key may hold printable ASCII only, without spaces or commas"})
		default:
			keys = append(keys, k)
		}
	}
	for _, k := range splitList(a.AdminKeys) {
		add("auth.admin_keys", APIKey{Value: k, Admin: true})
	}
	for _, k := range splitList(a.SearchKeys) {
		add("auth.search_keys", APIKey{Value: k})
	}
	if a.KeysFile != "" {
		data, rerr := os.ReadFile(a.KeysFile)
		if rerr != nil {
			probs = append(probs, problem{"auth.keys_file", rerr.Error()})
		}
		for n, line := range strings.Split(string(data), "\n") {
			fields := strings.Fields(line)
			if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			where := fmt.Sprintf("auth.keys_file (%s:%d)", a.KeysFile, n+1)
			switch {
			case len(fields) < 2 || len(fields) > 3:
				probs = append(probs, problem{where, `want "admin KEY" or "search KEY [SCOPE]"`})
			case fields[0] == "admin" && len(fields) == 3:
				probs = append(probs, problem{where, "an admin key cannot have a scope"})
			case fields[0] == "admin":
				add(where, APIKey{Value: fields[1], Admin: true})
			case fields[0] == "search":
				k := APIKey{Value: fields[1]}
				if len(fields) == 3 {
					k.Scope = fields[2]
					if msg := checkScope(k.Scope); msg != "" {
						probs = append(probs, problem{where, msg})
						continue
					}
				}
				add(where, k)
			default:
				probs = append(probs, problem{where, fmt.Sprintf("unknown role %q: want admin or search", fields[0])})
			}
		}
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.Value] {
			probs = append(probs, problem{"auth", "a key is listed twice (each key has one role and scope)"})
			break
		}
		seen[k.Value] = true
	}
	return keys, probs
}

// checkScope returns "" if scope is a valid key scope, else the problem.
func checkScope(scope string) string {
	v, err := url.ParseQuery(scope)
	if err != nil {
		return fmt.Sprintf("scope %q is not a URL query: %v", scope, err)
	}
	for name, values := range v {
		if !slices.Contains(scopeNames, name) {
			return fmt.Sprintf("scope %q: unknown filter %q (want %s)", scope, name, strings.Join(scopeNames, ", "))
		}
		if name == "after" || name == "before" {
			for _, d := range values {
				if _, err := time.Parse(time.DateOnly, d); err != nil {
					if _, err := time.Parse(time.RFC3339, d); err != nil {
						return fmt.Sprintf("scope %q: %s %q is not a date (YYYY-MM-DD or RFC 3339)", scope, name, d)
					}
				}
			}
		}
	}
	return ""
}

// splitList splits a comma-separated setting, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Search configures query execution.
type Search struct {
	// DefaultLimit is the number of hits returned when a request gives none.
	// It must not exceed MaxLimit.
	DefaultLimit int `mapstructure:"default_limit"`
	// MaxLimit is the largest number of hits a request may ask for
	// (1..10000).
	MaxLimit int `mapstructure:"max_limit"`
	// FacetSize is the default number of terms per facet (1..1000). It must
	// not exceed MaxFacetSize.
	FacetSize int `mapstructure:"facet_size"`
	// MaxFacetSize is the largest number of terms per facet a request may
	// ask for (1..1000).
	MaxFacetSize int `mapstructure:"max_facet_size"`
	// MaxQuery is the longest query a request may send, in bytes
	// (1..100000).
	MaxQuery int `mapstructure:"max_query"`
	// MaxTerms bounds the index terms one search may visit, counting each
	// expansion of a prefix, fuzzy word or regular expression (1..1000000).
	MaxTerms int `mapstructure:"max_terms"`
	// Parallel is the most cores one search of a large index (40,000
	// paragraphs or more) runs on at once (0..64): 0 for half the
	// machine's cores (at most 4; one on two cores), 1 for one. Results
	// do not depend on it.
	Parallel int `mapstructure:"parallel"`
	// Synonyms names an optional file of synonym groups searched besides
	// the query's words (format in search.ParseSynonyms); must exist if set.
	Synonyms string `mapstructure:"synonyms"`
	// Timeout bounds a single search.
	Timeout time.Duration `mapstructure:"timeout"`
}

// Log configures logging; see [Log.Logger].
type Log struct {
	// Level is one of debug, info, warn, error.
	Level string `mapstructure:"level"`
	// Format is text or json.
	Format string `mapstructure:"format"`
}

// Default returns the default configuration. It is the single place where
// default values are defined; [Load] and [Keys] derive theirs from it.
func Default() Config {
	return Config{
		Index: Index{
			Path:      "./data/briefsearch.bleve",
			BatchSize: 1000,
			MaxChunk:  1500,
			Gazetteer: "",
			Sample:    "testdata/corpus",
		},
		Server: Server{
			Addr:            "127.0.0.1:8080",
			ReadTimeout:     15 * time.Second,
			WriteTimeout:    30 * time.Second,
			IdleTimeout:     60 * time.Second,
			ShutdownTimeout: 10 * time.Second,
			BodyLimit:       32 << 20,
			MaxArticles:     100000,
			BasePath:        "",
			CORSOrigins:     "",
		},
		Limits: Limits{
			SearchRate:  50,
			SearchBurst: 100,
			IngestRate:  10,
			IngestBurst: 50,
		},
		Search: Search{
			DefaultLimit: 10,
			MaxLimit:     100,
			FacetSize:    10,
			MaxFacetSize: 100,
			MaxQuery:     2000,
			MaxTerms:     4096,
			Timeout:      10 * time.Second,
		},
		Log: Log{
			Level:  "info",
			Format: "text",
		},
	}
}

// Validation bounds, kept next to Validate so messages and checks agree.
const (
	minBatchSize = 1
	maxBatchSize = 100000
	minMaxChunk  = 200
	maxMaxChunk  = 20000
	maxMaxLimit  = 10000
	maxFacetSize = 1000
)

// Validate checks every field and returns nil or one error that lists all
// problems, one per line as "key: problem", and wraps [ErrInvalid].
// It checks that index.gazetteer, when set, names an existing file.
func (c Config) Validate() error {
	return joinInvalid(c.problems())
}

// problem is one invalid value: the dotted key and what is wrong with it.
type problem struct {
	key string
	msg string
}

func (p problem) Error() string { return p.key + ": " + p.msg }

// from returns p with the value's source, if known, appended to the message.
func (p problem) from(source string) problem {
	if source != "" {
		p.msg += " (from " + source + ")"
	}
	return p
}

// problems returns every problem of c, in key order.
func (c Config) problems() []problem {
	var errs []problem
	add := func(key, format string, args ...any) {
		errs = append(errs, problem{key: key, msg: fmt.Sprintf(format, args...)})
	}
	between := func(key string, v, lo, hi int) {
		if v < lo || v > hi {
			add(key, "must be between %d and %d, got %d", lo, hi, v)
		}
	}
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			add(key, "must be a positive duration such as \"5s\", got %s", d)
		}
	}

	// index
	if strings.TrimSpace(c.Index.Path) == "" {
		add("index.path", "must not be empty")
	}
	between("index.batch_size", c.Index.BatchSize, minBatchSize, maxBatchSize)
	between("index.max_chunk", c.Index.MaxChunk, minMaxChunk, maxMaxChunk)
	if c.Index.Gazetteer != "" {
		if fi, err := os.Stat(c.Index.Gazetteer); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				add("index.gazetteer", "file %q does not exist", c.Index.Gazetteer)
			} else {
				add("index.gazetteer", "%v", err)
			}
		} else if fi.IsDir() {
			add("index.gazetteer", "%q is a directory, want a YAML file", c.Index.Gazetteer)
		}
	}

	// server
	if msg := checkAddr(c.Server.Addr); msg != "" {
		add("server.addr", "%s", msg)
	}
	positive("server.read_timeout", c.Server.ReadTimeout)
	positive("server.write_timeout", c.Server.WriteTimeout)
	positive("server.idle_timeout", c.Server.IdleTimeout)
	positive("server.shutdown_timeout", c.Server.ShutdownTimeout)
	if c.Server.BodyLimit <= 0 {
		add("server.body_limit", "must be greater than 0 bytes, got %d", c.Server.BodyLimit)
	}
	if c.Server.MaxArticles < 0 {
		add("server.max_articles", "must be 0 (no limit) or more, got %d", c.Server.MaxArticles)
	}
	if msg := checkBasePath(c.Server.BasePath); msg != "" {
		add("server.base_path", "%s", msg)
	}
	for _, o := range c.Server.Origins() {
		if o == "*" {
			continue
		}
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			add("server.cors_origins", "%q is not an origin: want scheme://host[:port], or *", o)
		}
	}

	// auth
	_, keyProbs := c.Auth.keys()
	errs = append(errs, keyProbs...)

	// limits
	for _, l := range []struct {
		name  string
		rate  float64
		burst int
	}{{"search", c.Limits.SearchRate, c.Limits.SearchBurst}, {"ingest", c.Limits.IngestRate, c.Limits.IngestBurst}} {
		if l.rate < 0 {
			add("limits."+l.name+"_rate", "must be 0 (no limit) or more requests per second, got %g", l.rate)
		}
		if l.rate > 0 && l.burst < 1 {
			add("limits."+l.name+"_burst", "must be at least 1 when limits.%s_rate is set, got %d", l.name, l.burst)
		}
	}

	// search
	between("search.max_limit", c.Search.MaxLimit, 1, maxMaxLimit)
	if c.Search.DefaultLimit < 1 {
		add("search.default_limit", "must be at least 1, got %d", c.Search.DefaultLimit)
	} else if c.Search.MaxLimit >= 1 && c.Search.DefaultLimit > c.Search.MaxLimit {
		add("search.default_limit", "must not exceed search.max_limit (%d), got %d", c.Search.MaxLimit, c.Search.DefaultLimit)
	}
	between("search.max_facet_size", c.Search.MaxFacetSize, 1, maxFacetSize)
	if c.Search.FacetSize < 1 || c.Search.FacetSize > maxFacetSize {
		between("search.facet_size", c.Search.FacetSize, 1, maxFacetSize)
	} else if c.Search.MaxFacetSize >= 1 && c.Search.FacetSize > c.Search.MaxFacetSize {
		add("search.facet_size", "must not exceed search.max_facet_size (%d), got %d", c.Search.MaxFacetSize, c.Search.FacetSize)
	}
	between("search.max_query", c.Search.MaxQuery, 1, 100000)
	between("search.max_terms", c.Search.MaxTerms, 1, 1000000)
	between("search.parallel", c.Search.Parallel, 0, 64)
	if c.Search.Synonyms != "" {
		if fi, err := os.Stat(c.Search.Synonyms); err != nil || fi.IsDir() {
			add("search.synonyms", "%q must be a readable file of synonym groups", c.Search.Synonyms)
		}
	}
	positive("search.timeout", c.Search.Timeout)

	// log
	if _, ok := parseLevel(c.Log.Level); !ok {
		add("log.level", "must be one of debug, info, warn, error, got %q", c.Log.Level)
	}
	switch strings.ToLower(strings.TrimSpace(c.Log.Format)) {
	case "text", "json":
	default:
		add("log.format", "must be text or json, got %q", c.Log.Format)
	}
	return errs
}

// joinInvalid returns nil for no errors, otherwise one error wrapping
// ErrInvalid and all of errs, with a count and one problem per line.
func joinInvalid(probs []problem) error {
	errs := make([]error, len(probs))
	for i, p := range probs {
		errs[i] = p
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%w: %w", ErrInvalid, errs[0])
	default:
		return fmt.Errorf("%w (%d problems):\n%w", ErrInvalid, len(errs), errors.Join(errs...))
	}
}

// checkAddr returns "" if addr is a valid host:port listen address, else
// the problem.
func checkAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("must be host:port such as \"127.0.0.1:8080\" or \":8080\", got %q", addr)
	}
	if strings.ContainsAny(host, " \t") {
		return fmt.Sprintf("host must not contain spaces, got %q", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Sprintf("port must be a number between 0 and 65535, got %q", port)
	}
	return ""
}

// Origins returns the CORS origins of CORSOrigins, trimmed, without empty
// entries or a trailing "/".
func (s Server) Origins() []string {
	out := splitList(s.CORSOrigins)
	for i, o := range out {
		out[i] = strings.TrimSuffix(o, "/")
	}
	return slices.DeleteFunc(out, func(o string) bool { return o == "" })
}

// checkBasePath returns "" if p is a valid mount prefix, else the problem.
func checkBasePath(p string) string {
	switch {
	case p == "":
		return ""
	case !strings.HasPrefix(p, "/"):
		return fmt.Sprintf("must start with \"/\", got %q", p)
	case len(p) > 1 && strings.HasSuffix(p, "/"):
		return fmt.Sprintf("must not end with \"/\", got %q", p)
	case strings.ContainsAny(p, "?# \t"):
		return fmt.Sprintf("must be a plain path without '?', '#' or spaces, got %q", p)
	}
	return ""
}
