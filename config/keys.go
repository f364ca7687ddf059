package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// EnvPrefix is the prefix of every Briefsearch environment variable.
const EnvPrefix = "BRIEFSEARCH"

// EnvConfigFile names the environment variable that points Load at a
// configuration file when Options.File is empty.
const EnvConfigFile = EnvPrefix + "_CONFIG"

// Key documents one configuration key.
type Key struct {
	// Name is the dotted key as used in configuration files, e.g.
	// "server.addr".
	Name string
	// Env is the environment variable, e.g. "BRIEFSEARCH_SERVER_ADDR".
	Env string
	// Default is the default value as it would be written in a file or an
	// environment variable ("" for an empty string).
	Default string
	// Description says what the key does and which values it accepts.
	Description string
}

// Keys returns the documentation of every configuration key, in the order
// of the Config struct. Defaults are taken from [Default], so the table
// (e.g. in the README) always matches the code.
func Keys() []Key {
	docs := []struct{ name, desc string }{
		{"index.path", "Directory of the bleve index."},
		{"index.batch_size", fmt.Sprintf("Chunks per bleve batch when indexing (%d..%d).", minBatchSize, maxBatchSize)},
		{"index.max_chunk", fmt.Sprintf("Maximum characters per chunk (%d..%d).", minMaxChunk, maxMaxChunk)},
		{"index.gazetteer", "Optional YAML file extending the built-in gazetteers and topic rules; must exist if set."},
		{"index.sample", "Directory loaded by `serve --load-sample` (and make run) when the index is empty."},
		{"server.addr", "HTTP listen address, host:port (empty host = all interfaces, port 0 = any free port)."},
		{"server.read_timeout", "HTTP server read timeout (duration, > 0)."},
		{"server.write_timeout", "HTTP server write timeout (duration, > 0)."},
		{"server.idle_timeout", "HTTP keep-alive idle timeout (duration, > 0)."},
		{"server.shutdown_timeout", "Grace period for in-flight requests on shutdown (duration, > 0)."},
		{"server.body_limit", "Maximum request body size: bytes or a size such as 512KiB, 10MiB, 10MB (> 0)."},
		{"server.max_articles", "Most articles one ingest request may hold (0 for no limit); past it the first ones are indexed and the answer is a 413."},
		{"server.base_path", "Path prefix the API is mounted under; empty or starting with \"/\" (no trailing \"/\")."},
		{"server.cors_origins", "Comma-separated web origins allowed to call the API from a browser (CORS), e.g. https://app.example.org; * for any; empty for none."},
		{"server.insecure_public", "Serve on a non-loopback address without API keys (true/false). Without keys and without this, serve refuses a public address."},
		{"auth.admin_keys", fmt.Sprintf("Comma-separated API keys that may do everything: ingest, delete, stats, search, read (at least %d printable characters each).", MinKeyLength)},
		{"auth.search_keys", "Comma-separated API keys that may only search and read articles."},
		{"auth.keys_file", "Optional file of more keys, one per line: `admin KEY` or `search KEY [SCOPE]`, SCOPE fixed filters as a URL query such as `country=Iran&after=2024-01-01` (# comments)."},
		{"limits.search_rate", "Searches and reads per second per client (API key, or IP without one); 0 for no limit. Over it: 429 with Retry-After."},
		{"limits.search_burst", "Searches and reads a client may send at once (≥ 1 when limited)."},
		{"limits.ingest_rate", "Ingests and deletes per second per client; 0 for no limit."},
		{"limits.ingest_burst", "Ingests and deletes a client may send at once (≥ 1 when limited)."},
		{"search.default_limit", "Hits returned when a request gives no limit (1..search.max_limit)."},
		{"search.max_limit", fmt.Sprintf("Largest limit a request may ask for (1..%d).", maxMaxLimit)},
		{"search.facet_size", fmt.Sprintf("Default terms per facet (1..%d, at most search.max_facet_size).", maxFacetSize)},
		{"search.max_facet_size", fmt.Sprintf("Largest facet size a request may ask for (1..%d).", maxFacetSize)},
		{"search.max_query", "Longest query a request may send, in bytes (1..100000); longer is a 400."},
		{"search.max_terms", "Most index terms one search may visit, each expansion of a prefix, fuzzy word or regexp counting one (1..1000000); more is a 400."},
		{"search.parallel", "Most cores one search of a large index (40,000 paragraphs or more) runs on at once, same results (0..64): 0 for half the machine's cores, at most 4 (one on two cores); 1 for one."},
		{"search.synonyms", "Optional file of synonym groups, one per line, comma-separated (`hacking, hackers, cyber-attack`), searched besides the query's words like aliases; must exist if set."},
		{"search.timeout", "Timeout for a single search (duration, > 0)."},
		{"log.level", "Log level: debug, info, warn or error."},
		{"log.format", "Log format: text or json."},
	}
	defaults := map[string]string{}
	for _, l := range leaves(Default()) {
		defaults[l.key] = formatValue(l.value)
	}
	keys := make([]Key, 0, len(docs))
	for _, d := range docs {
		keys = append(keys, Key{
			Name:        d.name,
			Env:         envName(d.name),
			Default:     defaults[d.name],
			Description: d.desc,
		})
	}
	return keys
}

// envName returns the environment variable for a dotted key:
// "server.body_limit" → "BRIEFSEARCH_SERVER_BODY_LIMIT".
func envName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// leaf is one configuration value with its dotted key.
type leaf struct {
	key   string
	value any
}

// leaves flattens c into its leaf values, keyed by the dotted mapstructure
// tag path, in struct order.
func leaves(c Config) []leaf {
	var out []leaf
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
			if !f.IsExported() || tag == "" || tag == "-" {
				continue
			}
			key := tag
			if prefix != "" {
				key = prefix + "." + tag
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.Struct {
				walk(fv, key)
				continue
			}
			out = append(out, leaf{key: key, value: fv.Interface()})
		}
	}
	walk(reflect.ValueOf(c), "")
	return out
}

// formatValue renders a default value the way a user would write it.
func formatValue(v any) string {
	switch x := v.(type) {
	case time.Duration:
		return formatDuration(x)
	case int64:
		// The only plain int64 is a byte size (server.body_limit).
		return formatByteSize(x)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}
