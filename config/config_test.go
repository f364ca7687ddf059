package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/briefsearch/briefsearch/config"
)

// writeFile writes content to name in a fresh temporary directory and
// returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// flagSet returns a flag set with BindFlags' flags (plus extra string flags)
// parsed from args.
func flagSet(t *testing.T, extra []string, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	config.BindFlags(fs)
	for _, name := range extra {
		fs.String(name, "", "")
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

// problemKeys returns the keys of the problems listed in a validation error,
// in order.
func problemKeys(t *testing.T, err error) []string {
	t.Helper()
	msg := err.Error()
	var lines []string
	if head, rest, ok := strings.Cut(msg, "\n"); ok && strings.HasSuffix(head, "problems):") {
		lines = strings.Split(rest, "\n")
	} else {
		prefix := config.ErrInvalid.Error() + ": "
		if !strings.HasPrefix(msg, prefix) {
			t.Fatalf("error %q does not start with %q", msg, prefix)
		}
		lines = []string{strings.TrimPrefix(msg, prefix)}
	}
	keys := make([]string, 0, len(lines))
	for _, l := range lines {
		k, _, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("problem line %q has no key", l)
		}
		keys = append(keys, k)
	}
	return keys
}

func TestDefaultIsValid(t *testing.T) {
	if err := config.Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v, want nil", err)
	}
}

func TestLoad(t *testing.T) {
	const fullYAML = `
index:
  path: /srv/idx.bleve
  batch_size: 500
  max_chunk: 2000
  sample: corpus
server:
  addr: 0.0.0.0:9000
  read_timeout: 5s
  write_timeout: 1m
  idle_timeout: 90s
  shutdown_timeout: 2s
  body_limit: 1048576
  base_path: /api
search:
  default_limit: 20
  max_limit: 200
  facet_size: 5
  max_facet_size: 50
  timeout: 1500ms
log:
  level: debug
  format: json
`
	tests := []struct {
		name    string
		file    string // file name; content below; "" = no file
		content string
		environ []string
		extra   []string // extra string flags to define
		args    []string
		want    func(c *config.Config)
	}{
		{
			name: "defaults with no file, env or flags",
			want: func(*config.Config) {},
		},
		{
			name:    "yaml file sets every section",
			file:    "briefsearch.yaml",
			content: fullYAML,
			want: func(c *config.Config) {
				c.Index = config.Index{Path: "/srv/idx.bleve", BatchSize: 500, MaxChunk: 2000, Sample: "corpus"}
				c.Server = config.Server{
					Addr: "0.0.0.0:9000", ReadTimeout: 5 * time.Second, WriteTimeout: time.Minute,
					IdleTimeout: 90 * time.Second, ShutdownTimeout: 2 * time.Second,
					BodyLimit: 1 << 20, MaxArticles: 100000, BasePath: "/api",
				}
				c.Search = config.Search{DefaultLimit: 20, MaxLimit: 200, FacetSize: 5, MaxFacetSize: 50, MaxQuery: 2000, MaxTerms: 4096, Timeout: 1500 * time.Millisecond}
				c.Log = config.Log{Level: "debug", Format: "json"}
			},
		},
		{
			name:    "file sets some keys, the rest keep defaults",
			file:    "c.yml",
			content: "search:\n  max_limit: 50\n",
			want:    func(c *config.Config) { c.Search.MaxLimit = 50 },
		},
		{
			name:    "empty section and null value keep defaults",
			file:    "c.yaml",
			content: "index:\nserver:\n  addr:\n  base_path: /x\n",
			want:    func(c *config.Config) { c.Server.BasePath = "/x" },
		},
		{
			name:    "json file",
			file:    "c.json",
			content: `{"server": {"addr": ":7000", "body_limit": 2048}, "index": {"batch_size": 7}}`,
			want: func(c *config.Config) {
				c.Server.Addr = ":7000"
				c.Server.BodyLimit = 2048
				c.Index.BatchSize = 7
			},
		},
		{
			name:    "toml file",
			file:    "c.toml",
			content: "[server]\naddr = \":7001\"\nread_timeout = \"3s\"\n",
			want: func(c *config.Config) {
				c.Server.Addr = ":7001"
				c.Server.ReadTimeout = 3 * time.Second
			},
		},
		{
			name:    "file without extension is yaml",
			file:    "briefsearch",
			content: "log:\n  format: json\n",
			want:    func(c *config.Config) { c.Log.Format = "json" },
		},
		{
			name:    "BRIEFSEARCH_CONFIG names the file",
			file:    "via-env.yaml", // passed through the environment, not Options.File
			content: "index:\n  max_chunk: 300\n",
			want:    func(c *config.Config) { c.Index.MaxChunk = 300 },
		},
		{
			name:    "env only",
			environ: []string{"BRIEFSEARCH_INDEX_PATH=/env/idx", "BRIEFSEARCH_SEARCH_DEFAULT_LIMIT=25", "BRIEFSEARCH_LOG_LEVEL=warn"},
			want: func(c *config.Config) {
				c.Index.Path = "/env/idx"
				c.Search.DefaultLimit = 25
				c.Log.Level = "warn"
			},
		},
		{
			name:    "env overrides file",
			file:    "c.yaml",
			content: "server:\n  addr: file:1\n  base_path: /file\nsearch:\n  default_limit: 5\n",
			environ: []string{"BRIEFSEARCH_SERVER_ADDR=env:2", "BRIEFSEARCH_SEARCH_DEFAULT_LIMIT=6"},
			want: func(c *config.Config) {
				c.Server.Addr = "env:2"
				c.Server.BasePath = "/file" // not in env: file value stays
				c.Search.DefaultLimit = 6
			},
		},
		{
			name:    "flags override env and file",
			file:    "c.yaml",
			content: "server:\n  addr: file:1\nlog:\n  level: error\n  format: json\n",
			environ: []string{"BRIEFSEARCH_SERVER_ADDR=env:2", "BRIEFSEARCH_LOG_LEVEL=warn"},
			args:    []string{"--addr", "flag:3", "--log-level=debug"},
			want: func(c *config.Config) {
				c.Server.Addr = "flag:3"
				c.Log.Level = "debug"
				c.Log.Format = "json"
			},
		},
		{
			name:    "unset flags do not override env or file",
			file:    "c.yaml",
			content: "index:\n  path: /file/idx\n",
			environ: []string{"BRIEFSEARCH_SERVER_ADDR=env:2"},
			args:    []string{"--log-format=json"},
			want: func(c *config.Config) {
				c.Index.Path = "/file/idx"
				c.Server.Addr = "env:2"
				c.Log.Format = "json"
			},
		},
		{
			name: "all BindFlags flags",
			args: []string{"--index=/flag/idx", "--addr=:1", "--log-level=error", "--log-format=json", "--gazetteer=" + os.DevNull},
			want: func(c *config.Config) {
				c.Index.Path = "/flag/idx"
				c.Server.Addr = ":1"
				c.Log = config.Log{Level: "error", Format: "json"}
				c.Index.Gazetteer = os.DevNull
			},
		},
		{
			name:    "flag named like a key, with a byte size",
			environ: []string{"BRIEFSEARCH_SERVER_BODY_LIMIT=1KiB"},
			extra:   []string{"server.body_limit", "index.max_chunk"},
			args:    []string{"--server.body_limit=4MiB"},
			want:    func(c *config.Config) { c.Server.BodyLimit = 4 << 20 },
		},
		{
			name:    "duration strings from file and env",
			file:    "c.yaml",
			content: "server:\n  read_timeout: 250ms\n  write_timeout: 2m30s\nsearch:\n  timeout: \"1h\"\n",
			environ: []string{"BRIEFSEARCH_SERVER_IDLE_TIMEOUT=45s", "BRIEFSEARCH_SERVER_SHUTDOWN_TIMEOUT= 3s "},
			want: func(c *config.Config) {
				c.Server.ReadTimeout = 250 * time.Millisecond
				c.Server.WriteTimeout = 150 * time.Second
				c.Server.IdleTimeout = 45 * time.Second
				c.Server.ShutdownTimeout = 3 * time.Second
				c.Search.Timeout = time.Hour
			},
		},
		{
			name:    "body limit 8MiB in file",
			file:    "c.yaml",
			content: "server:\n  body_limit: 8MiB\n",
			want:    func(c *config.Config) { c.Server.BodyLimit = 8 << 20 },
		},
		{
			name:    "body limit decimal unit from env",
			environ: []string{"BRIEFSEARCH_SERVER_BODY_LIMIT=10MB"},
			want:    func(c *config.Config) { c.Server.BodyLimit = 10_000_000 },
		},
		{
			name:    "body limit plain integer string from env",
			environ: []string{"BRIEFSEARCH_SERVER_BODY_LIMIT=4096"},
			want:    func(c *config.Config) { c.Server.BodyLimit = 4096 },
		},
		{
			name:    "empty env var counts as unset",
			file:    "c.yaml",
			content: "server:\n  addr: file:1\n",
			environ: []string{"BRIEFSEARCH_SERVER_ADDR=", "BRIEFSEARCH_INDEX_PATH="},
			want:    func(c *config.Config) { c.Server.Addr = "file:1" },
		},
		{
			name:    "unknown BRIEFSEARCH_ and other variables are ignored",
			environ: []string{"BRIEFSEARCH_NOPE=1", "BRIEFSEARCH_SERVER=x", "PATH=/bin", "briefsearch_server_addr=lower:1", "NOEQUALS"},
			want:    func(*config.Config) {},
		},
		{
			name:    "last duplicate env entry wins",
			environ: []string{"BRIEFSEARCH_SEARCH_MAX_LIMIT=30", "BRIEFSEARCH_SEARCH_MAX_LIMIT=40"},
			want:    func(c *config.Config) { c.Search.MaxLimit = 40 },
		},
		{
			name:    "log level and format are case-insensitive and normalised",
			environ: []string{"BRIEFSEARCH_LOG_LEVEL=WARN", "BRIEFSEARCH_LOG_FORMAT=Json"},
			want:    func(c *config.Config) { c.Log = config.Log{Level: "warn", Format: "json"} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := config.Options{Environ: append([]string{}, tt.environ...)}
			if tt.file != "" {
				path := writeFile(t, tt.file, tt.content)
				if strings.HasPrefix(tt.name, "BRIEFSEARCH_CONFIG") {
					opts.Environ = append(opts.Environ, config.EnvConfigFile+"="+path)
				} else {
					opts.File = path
				}
			}
			if tt.args != nil || tt.extra != nil {
				opts.Flags = flagSet(t, tt.extra, tt.args...)
			}
			got, err := config.Load(opts)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := config.Default()
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string // file name, written with content; "" = none
		content  string
		options  func(t *testing.T, opts *config.Options, dir string)
		environ  []string
		wantIs   error
		wantNot  error    // error the result must not wrap
		wantKeys []string // for ErrInvalid: problem keys in order
		contains []string // substrings of the message
	}{
		{
			name:     "missing explicit file",
			options:  func(t *testing.T, o *config.Options, dir string) { o.File = filepath.Join(dir, "nope.yaml") },
			wantIs:   fs.ErrNotExist,
			wantNot:  config.ErrInvalid,
			contains: []string{"nope.yaml", "does not exist"},
		},
		{
			name: "missing file named by BRIEFSEARCH_CONFIG",
			options: func(t *testing.T, o *config.Options, dir string) {
				o.Environ = []string{"BRIEFSEARCH_CONFIG=" + filepath.Join(dir, "gone.yaml")}
			},
			wantIs:   fs.ErrNotExist,
			contains: []string{"gone.yaml"},
		},
		{
			name:     "config file is a directory",
			options:  func(t *testing.T, o *config.Options, dir string) { o.File = dir },
			contains: []string{"is a directory"},
		},
		{
			name:     "unsupported extension",
			file:     "c.ini",
			content:  "[server]\naddr=:1\n",
			contains: []string{`unsupported extension ".ini"`},
		},
		{
			name:     "malformed yaml",
			file:     "c.yaml",
			content:  "server: [unclosed\n",
			wantIs:   config.ErrInvalid,
			contains: []string{"c.yaml"},
		},
		{
			name:     "unknown keys in file are named",
			file:     "c.yaml",
			content:  "index:\n  path: x\n  colour: red\naddr: \":1\"\nsearch: 5\n",
			wantIs:   config.ErrInvalid,
			wantKeys: []string{"addr", "index.colour", "search"},
			contains: []string{"unknown key in config file", "did you mean server.addr?", "must be a section"},
		},
		{
			name: "invalid values are all reported at once",
			file: "c.yaml",
			content: `
index:
  batch_size: 0
  max_chunk: 50
server:
  addr: localhost
  read_timeout: 5
  body_limit: 8XB
search:
  default_limit: 500
log:
  format: xml
`,
			environ: []string{"BRIEFSEARCH_SEARCH_TIMEOUT=soon", "BRIEFSEARCH_LOG_LEVEL=loud", "BRIEFSEARCH_SEARCH_FACET_SIZE=ten"},
			wantIs:  config.ErrInvalid,
			wantKeys: []string{
				// decoding problems first, by key
				"search.facet_size", "search.timeout", "server.body_limit", "server.read_timeout",
				// then validation problems, in struct order
				"index.batch_size", "index.max_chunk", "server.addr", "search.default_limit", "log.level", "log.format",
			},
			contains: []string{
				"(10 problems)",
				`invalid duration 5: a duration needs a unit`,
				`unknown unit "XB"`,
				`got "ten" (from BRIEFSEARCH_SEARCH_FACET_SIZE)`,
				`invalid duration "soon"`,
				"must not exceed search.max_limit (100), got 500 (from config file",
				`got "loud" (from BRIEFSEARCH_LOG_LEVEL)`,
			},
		},
		{
			name:     "invalid flag value names the flag",
			options:  func(t *testing.T, o *config.Options, _ string) { o.Flags = flagSet(t, nil, "--addr=nope") },
			wantIs:   config.ErrInvalid,
			wantKeys: []string{"server.addr"},
			contains: []string{"(from flag --addr)"},
		},
		{
			name: "missing gazetteer",
			options: func(t *testing.T, o *config.Options, dir string) {
				o.Flags = flagSet(t, nil, "--gazetteer="+filepath.Join(dir, "g.yaml"))
			},
			wantIs:   config.ErrInvalid,
			wantKeys: []string{"index.gazetteer"},
			contains: []string{"g.yaml", "does not exist"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			opts := config.Options{Environ: append([]string{}, tt.environ...)}
			if tt.file != "" {
				opts.File = writeFile(t, tt.file, tt.content)
			}
			if tt.options != nil {
				tt.options(t, &opts, dir)
			}
			got, err := config.Load(opts)
			if err == nil {
				t.Fatalf("Load succeeded with %+v, want error", got)
			}
			if diff := cmp.Diff(config.Config{}, got); diff != "" {
				t.Errorf("Load returned a non-zero Config with its error (-want +got):\n%s", diff)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
			if tt.wantNot != nil && errors.Is(err, tt.wantNot) {
				t.Errorf("errors.Is(%v, %v) = true, want false", err, tt.wantNot)
			}
			if tt.wantKeys != nil {
				if diff := cmp.Diff(tt.wantKeys, problemKeys(t, err)); diff != "" {
					t.Errorf("problem keys (-want +got):\n%s\nerror:\n%v", diff, err)
				}
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error does not contain %q:\n%v", s, err)
				}
			}
		})
	}
}

func TestLoadNilEnvironUsesProcessEnvironment(t *testing.T) {
	t.Setenv("BRIEFSEARCH_SERVER_ADDR", "proc:1")
	t.Setenv("BRIEFSEARCH_CONFIG", "")

	got, err := config.Load(config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Server.Addr != "proc:1" {
		t.Errorf("Server.Addr = %q, want %q", got.Server.Addr, "proc:1")
	}

	// A non-nil Environ replaces the process environment entirely.
	got, err = config.Load(config.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if want := config.Default().Server.Addr; got.Server.Addr != want {
		t.Errorf("with empty Environ Server.Addr = %q, want default %q", got.Server.Addr, want)
	}
}

// TestLoadConcurrent checks that Load keeps no shared state: concurrent
// calls with different inputs do not see each other's values (run with
// -race).
func TestLoadConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			addr := fmt.Sprintf("127.0.0.1:%d", 9000+i)
			got, err := config.Load(config.Options{Environ: []string{"BRIEFSEARCH_SERVER_ADDR=" + addr}})
			switch {
			case err != nil:
				errs <- err
			case got.Server.Addr != addr:
				errs <- fmt.Errorf("goroutine %d: Server.Addr = %q, want %q", i, got.Server.Addr, addr)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestValidate(t *testing.T) {
	gazetteer := writeFile(t, "gazetteer.yaml", "places: []\n")
	tests := []struct {
		name     string
		mutate   func(c *config.Config)
		wantKeys []string // nil = valid
	}{
		{name: "defaults", mutate: func(*config.Config) {}},
		{name: "existing gazetteer", mutate: func(c *config.Config) { c.Index.Gazetteer = gazetteer }},
		{name: "bounds inclusive", mutate: func(c *config.Config) {
			c.Index.BatchSize, c.Index.MaxChunk = 100000, 200
			c.Search.DefaultLimit, c.Search.MaxLimit = 10000, 10000
			c.Search.FacetSize, c.Search.MaxFacetSize = 1000, 1000
		}},
		{name: "empty host and port 0", mutate: func(c *config.Config) { c.Server.Addr = ":0" }},
		{name: "ipv6 address", mutate: func(c *config.Config) { c.Server.Addr = "[::1]:8080" }},
		{name: "base path", mutate: func(c *config.Config) { c.Server.BasePath = "/briefsearch/v1" }},
		{name: "empty index path", mutate: func(c *config.Config) { c.Index.Path = " " }, wantKeys: []string{"index.path"}},
		{name: "batch size too large", mutate: func(c *config.Config) { c.Index.BatchSize = 100001 }, wantKeys: []string{"index.batch_size"}},
		{name: "cors origin with a path", mutate: func(c *config.Config) { c.Server.CORSOrigins = "https://a.example, https://b.example/app" }, wantKeys: []string{"server.cors_origins"}},
		{name: "cors origin without scheme", mutate: func(c *config.Config) { c.Server.CORSOrigins = "app.example.org" }, wantKeys: []string{"server.cors_origins"}},
		{name: "max chunk too small", mutate: func(c *config.Config) { c.Index.MaxChunk = 199 }, wantKeys: []string{"index.max_chunk"}},
		{name: "gazetteer missing", mutate: func(c *config.Config) { c.Index.Gazetteer = gazetteer + ".missing" }, wantKeys: []string{"index.gazetteer"}},
		{name: "gazetteer is a directory", mutate: func(c *config.Config) { c.Index.Gazetteer = filepath.Dir(gazetteer) }, wantKeys: []string{"index.gazetteer"}},
		{name: "addr without port", mutate: func(c *config.Config) { c.Server.Addr = "localhost" }, wantKeys: []string{"server.addr"}},
		{name: "addr with bad port", mutate: func(c *config.Config) { c.Server.Addr = "localhost:http" }, wantKeys: []string{"server.addr"}},
		{name: "addr with port out of range", mutate: func(c *config.Config) { c.Server.Addr = ":65536" }, wantKeys: []string{"server.addr"}},
		{name: "zero and negative durations", mutate: func(c *config.Config) {
			c.Server.ReadTimeout = 0
			c.Server.WriteTimeout = -time.Second
			c.Server.IdleTimeout = 0
			c.Server.ShutdownTimeout = 0
			c.Search.Timeout = 0
		}, wantKeys: []string{"server.read_timeout", "server.write_timeout", "server.idle_timeout", "server.shutdown_timeout", "search.timeout"}},
		{name: "body limit zero", mutate: func(c *config.Config) { c.Server.BodyLimit = 0 }, wantKeys: []string{"server.body_limit"}},
		{name: "base path without slash", mutate: func(c *config.Config) { c.Server.BasePath = "api" }, wantKeys: []string{"server.base_path"}},
		{name: "base path with trailing slash", mutate: func(c *config.Config) { c.Server.BasePath = "/api/" }, wantKeys: []string{"server.base_path"}},
		{name: "base path with query", mutate: func(c *config.Config) { c.Server.BasePath = "/api?x" }, wantKeys: []string{"server.base_path"}},
		{name: "default limit above max limit", mutate: func(c *config.Config) { c.Search.DefaultLimit = 101 }, wantKeys: []string{"search.default_limit"}},
		{name: "limits below one", mutate: func(c *config.Config) { c.Search.DefaultLimit, c.Search.MaxLimit = 0, 0 }, wantKeys: []string{"search.max_limit", "search.default_limit"}},
		{name: "max limit too large", mutate: func(c *config.Config) { c.Search.MaxLimit = 10001 }, wantKeys: []string{"search.max_limit"}},
		{name: "facet size above max facet size", mutate: func(c *config.Config) { c.Search.FacetSize = 101 }, wantKeys: []string{"search.facet_size"}},
		{name: "facet sizes out of range", mutate: func(c *config.Config) { c.Search.FacetSize, c.Search.MaxFacetSize = 0, 1001 }, wantKeys: []string{"search.max_facet_size", "search.facet_size"}},
		{name: "parallel out of range", mutate: func(c *config.Config) { c.Search.Parallel = 65 }, wantKeys: []string{"search.parallel"}},
		{name: "parallel negative", mutate: func(c *config.Config) { c.Search.Parallel = -1 }, wantKeys: []string{"search.parallel"}},
		{name: "bad log level and format", mutate: func(c *config.Config) { c.Log = config.Log{Level: "trace", Format: "xml"} }, wantKeys: []string{"log.level", "log.format"}},
		{name: "everything wrong at once", mutate: func(c *config.Config) { *c = config.Config{} }, wantKeys: []string{
			"index.path", "index.batch_size", "index.max_chunk",
			"server.addr", "server.read_timeout", "server.write_timeout", "server.idle_timeout", "server.shutdown_timeout", "server.body_limit",
			"search.max_limit", "search.default_limit", "search.max_facet_size", "search.facet_size", "search.max_query", "search.max_terms", "search.timeout",
			"log.level", "log.format",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.Default()
			tt.mutate(&c)
			err := c.Validate()
			if tt.wantKeys == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want problems with %v", tt.wantKeys)
			}
			if !errors.Is(err, config.ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
			}
			if diff := cmp.Diff(tt.wantKeys, problemKeys(t, err)); diff != "" {
				t.Errorf("problem keys (-want +got):\n%s\nerror:\n%v", diff, err)
			}
		})
	}
}

// structKeys returns the dotted mapstructure key of every leaf field of t.
func structKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		if f.Type.Kind() == reflect.Struct {
			keys = append(keys, structKeys(f.Type, key)...)
		} else {
			keys = append(keys, key)
		}
	}
	return keys
}

func TestKeysCoverEveryField(t *testing.T) {
	fields := structKeys(reflect.TypeFor[config.Config](), "")
	keys := config.Keys()
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	// Same set in the same (struct) order.
	if diff := cmp.Diff(fields, names); diff != "" {
		t.Errorf("Keys() names differ from Config fields (-fields +keys):\n%s", diff)
	}
	for _, k := range keys {
		if want := "BRIEFSEARCH_" + strings.ToUpper(strings.ReplaceAll(k.Name, ".", "_")); k.Env != want {
			t.Errorf("%s: Env = %q, want %q", k.Name, k.Env, want)
		}
		if strings.TrimSpace(k.Description) == "" {
			t.Errorf("%s: empty Description", k.Name)
		}
	}
}

// TestKeysDefaultsRoundTrip feeds every documented default back through the
// environment: the result must be Default(), so the Default column of the
// documentation is accurate and in a format users can copy.
func TestKeysDefaultsRoundTrip(t *testing.T) {
	var environ []string
	for _, k := range config.Keys() {
		environ = append(environ, k.Env+"="+k.Default)
	}
	got, err := config.Load(config.Options{Environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(config.Default(), got); diff != "" {
		t.Errorf("Load(Keys defaults) != Default() (-want +got):\n%s", diff)
	}

	want := map[string]string{
		"server.body_limit":   "32MiB",
		"server.idle_timeout": "1m",
		"server.read_timeout": "15s",
		"index.batch_size":    "1000",
		"index.gazetteer":     "",
	}
	got2 := map[string]string{}
	for _, k := range config.Keys() {
		if _, ok := want[k.Name]; ok {
			got2[k.Name] = k.Default
		}
	}
	if diff := cmp.Diff(want, got2); diff != "" {
		t.Errorf("Keys defaults (-want +got):\n%s", diff)
	}
}

func TestBindFlags(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	config.BindFlags(fs)
	d := config.Default()
	want := map[string]string{
		"index":      d.Index.Path,
		"addr":       d.Server.Addr,
		"log-level":  d.Log.Level,
		"log-format": d.Log.Format,
		"gazetteer":  d.Index.Gazetteer,
	}
	got := map[string]string{}
	fs.VisitAll(func(f *pflag.Flag) { got[f.Name] = f.DefValue })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flags and defaults (-want +got):\n%s", diff)
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{in: "0", want: 0},
		{in: "1048576", want: 1 << 20},
		{in: "512B", want: 512},
		{in: "512KiB", want: 512 << 10},
		{in: "10MiB", want: 10 << 20},
		{in: "10MB", want: 10_000_000},
		{in: "10mb", want: 10_000_000},
		{in: "1kb", want: 1000},
		{in: "2GiB", want: 2 << 30},
		{in: "3GB", want: 3_000_000_000},
		{in: "1TiB", want: 1 << 40},
		{in: "1TB", want: 1_000_000_000_000},
		{in: " 8 MiB ", want: 8 << 20},
		{in: "8388607TiB", want: 8388607 << 40},
		{in: "", wantErr: "want an integer"},
		{in: "MiB", wantErr: "want an integer"},
		{in: "-1", wantErr: "want an integer"},
		{in: "1.5MiB", wantErr: `unknown unit ".5MiB"`},
		{in: "10XB", wantErr: `unknown unit "XB"`},
		{in: "10 M", wantErr: `unknown unit "M"`},
		{in: "8388608TiB", wantErr: "too large"},
		{in: "99999999999999999999", wantErr: "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := config.ParseByteSize(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseByteSize(%q) = %d, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseByteSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestLogger(t *testing.T) {
	tests := []struct {
		name string
		log  config.Log
		want []string // messages that must appear, in order
		json bool
	}{
		{name: "debug text", log: config.Log{Level: "debug", Format: "text"}, want: []string{"d", "i", "w", "e"}},
		{name: "info text", log: config.Log{Level: "info", Format: "text"}, want: []string{"i", "w", "e"}},
		{name: "warn json", log: config.Log{Level: "warn", Format: "json"}, want: []string{"w", "e"}, json: true},
		{name: "error json upper-case", log: config.Log{Level: "ERROR", Format: "JSON"}, want: []string{"e"}, json: true},
		{name: "unknown level falls back to info", log: config.Log{Level: "loud", Format: "text"}, want: []string{"i", "w", "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := tt.log.Logger(&buf)
			logger.Debug("d")
			logger.Info("i")
			logger.Warn("w")
			logger.Error("e")

			var got []string
			for line := range strings.Lines(strings.TrimSpace(buf.String())) {
				if tt.json {
					var rec struct{ Msg string }
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Fatalf("line %q is not JSON: %v", line, err)
					}
					got = append(got, rec.Msg)
					continue
				}
				_, after, ok := strings.Cut(line, " msg=")
				if !ok {
					t.Fatalf("line %q is not slog text", line)
				}
				got = append(got, strings.Fields(after)[0])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("logged messages (-want +got):\n%s", diff)
			}
		})
	}
}
