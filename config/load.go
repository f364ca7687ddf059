package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Options says where [Load] looks for configuration.
type Options struct {
	// File is the configuration file. When empty, the file named by the
	// BRIEFSEARCH_CONFIG environment variable (looked up in Environ) is
	// used, and when that is empty too, no file is read. A named file that
	// does not exist is an error. The format follows the extension: .yaml,
	// .yml or none for YAML, .json for JSON, .toml for TOML.
	File string
	// Environ is the environment in os.Environ form ("KEY=value"). nil means
	// os.Environ(); pass an empty, non-nil slice for no environment at all.
	Environ []string
	// Flags, if not nil, is a parsed flag set. Flags named like a key
	// ("server.body_limit") or like one of the short names registered by
	// [BindFlags] ("addr") override the key, but only if the user set them
	// (pflag.Flag.Changed); flag defaults never override anything.
	Flags *pflag.FlagSet
}

// flagKeys maps the flag names registered by BindFlags to their keys.
func flagKeys() map[string]string {
	return map[string]string{
		"index":      "index.path",
		"addr":       "server.addr",
		"log-level":  "log.level",
		"log-format": "log.format",
		"gazetteer":  "index.gazetteer",
	}
}

// BindFlags registers the common command-line flags on fs: --index
// (index.path), --addr (server.addr), --log-level (log.level), --log-format
// (log.format) and --gazetteer (index.gazetteer). Their defaults, shown in
// the help text, come from [Default]. Pass the same flag set to
// [Options].Flags so that Load applies the flags the user set.
func BindFlags(fs *pflag.FlagSet) {
	d := Default()
	fs.String("index", d.Index.Path, "path of the bleve index directory (index.path, "+envName("index.path")+")")
	fs.String("addr", d.Server.Addr, "HTTP listen address host:port (server.addr, "+envName("server.addr")+")")
	fs.String("log-level", d.Log.Level, "log level: debug, info, warn or error (log.level, "+envName("log.level")+")")
	fs.String("log-format", d.Log.Format, "log format: text or json (log.format, "+envName("log.format")+")")
	fs.String("gazetteer", d.Index.Gazetteer, "optional YAML file extending the built-in gazetteers (index.gazetteer, "+envName("index.gazetteer")+")")
}

// Load builds the configuration from defaults, the configuration file,
// BRIEFSEARCH_* environment variables and flags, in increasing order of
// precedence, and validates it.
//
// A missing named file yields an error wrapping fs.ErrNotExist. Everything
// wrong with the values (unknown keys in the file, values that cannot be
// decoded, values that fail [Config.Validate]) is reported together in one
// error wrapping [ErrInvalid]. On error the returned Config is the zero
// value.
func Load(opts Options) (Config, error) {
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	env := parseEnviron(environ)

	defaults := leaves(Default())
	known := make(map[string]bool, len(defaults))
	for _, l := range defaults {
		known[l.key] = true
	}

	v := viper.New()
	var probs []problem
	// source records where each key's winning value came from, so that
	// problems can say which file, variable or flag to fix.
	source := map[string]string{}

	// Layer 3: the configuration file. It is read first, while viper holds
	// nothing else, so that AllKeys lists exactly the file's keys.
	file := opts.File
	if file == "" {
		file = env[EnvConfigFile]
	}
	if file != "" {
		if err := readFile(v, file); err != nil {
			return Config{}, err
		}
		probs = append(probs, unknownKeys(v, file, known)...)
		for _, k := range v.AllKeys() {
			source[k] = "config file " + file
		}
	}

	// Layer 4: defaults, one per key, so Unmarshal sees every key.
	for _, l := range defaults {
		v.SetDefault(l.key, l.value)
	}

	// Layer 2: the environment, merged over the file's values. viper's
	// AutomaticEnv only reads the process environment, so the variables
	// are looked up in env and merged into the config layer instead.
	envMap := map[string]any{}
	for _, l := range defaults {
		if val := env[envName(l.key)]; val != "" {
			setNested(envMap, l.key, val)
			source[l.key] = envName(l.key)
		}
	}
	if err := v.MergeConfigMap(envMap); err != nil {
		return Config{}, fmt.Errorf("config: applying environment: %w", err)
	}

	// Layer 1: flags the user set. viper ranks bound pflags above the
	// config layer and only uses them when Changed.
	if fset := opts.Flags; fset != nil {
		bind := func(name, key string) error {
			if f := fset.Lookup(name); f != nil && f.Changed {
				source[key] = "flag --" + name
				return v.BindPFlag(key, f)
			}
			return nil
		}
		for name, key := range flagKeys() {
			if err := bind(name, key); err != nil {
				return Config{}, fmt.Errorf("config: flag --%s: %w", name, err)
			}
		}
		// Flags named exactly like a key come last and so win over a short
		// name bound to the same key.
		for _, l := range defaults {
			if err := bind(l.key, l.key); err != nil {
				return Config{}, fmt.Errorf("config: flag --%s: %w", l.key, err)
			}
		}
	}

	// Decode into the defaults, so a value that fails to decode keeps its
	// default and does not cause follow-up validation messages.
	cfg := Default()
	failed := map[string]bool{}
	if err := v.UnmarshalExact(&cfg, viper.DecodeHook(decodeHook())); err != nil {
		// unknownKeys has reported the file's unknown keys and malformed
		// sections already, with full names; drop mapstructure's versions.
		reported := map[string]bool{}
		for _, p := range probs {
			reported[p.key] = true
		}
		for _, p := range decodeProblems(err) {
			if reported[p.key] || (len(reported) > 0 && strings.HasPrefix(p.msg, "has invalid keys")) {
				continue
			}
			failed[p.key] = true
			if val := v.Get(p.key); val != nil && !strings.Contains(p.msg, fmt.Sprint(val)) {
				p.msg += fmt.Sprintf(", got %q", fmt.Sprint(val))
			}
			probs = append(probs, p.from(source[p.key]))
		}
	}
	cfg.Log.Level = strings.ToLower(strings.TrimSpace(cfg.Log.Level))
	cfg.Log.Format = strings.ToLower(strings.TrimSpace(cfg.Log.Format))

	for _, p := range cfg.problems() {
		if !failed[p.key] {
			probs = append(probs, p.from(source[p.key]))
		}
	}
	if err := joinInvalid(probs); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// parseEnviron turns "KEY=value" entries into a map; a later entry for the
// same key wins, as with os/exec.
func parseEnviron(environ []string) map[string]string {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k != "" {
			env[k] = val
		}
	}
	return env
}

// readFile points v at file and reads it.
func readFile(v *viper.Viper, file string) error {
	fi, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("config: config file %q does not exist: %w", file, fs.ErrNotExist)
	case err != nil:
		return fmt.Errorf("config: config file: %w", err)
	case fi.IsDir():
		return fmt.Errorf("config: config file %q is a directory", file)
	}
	var typ string
	switch ext := strings.ToLower(filepath.Ext(file)); ext {
	case "", ".yaml", ".yml":
		typ = "yaml"
	case ".json":
		typ = "json"
	case ".toml":
		typ = "toml"
	default:
		return fmt.Errorf("config: config file %q: unsupported extension %q (use .yaml, .yml, .json or .toml)", file, ext)
	}
	v.SetConfigFile(file)
	v.SetConfigType(typ)
	if err := v.ReadInConfig(); err != nil {
		return fmt.Errorf("%w: config file %q: %w", ErrInvalid, file, err)
	}
	return nil
}

// unknownKeys reports every key in the file that is not a configuration
// key, and every section (such as "index") given a plain value.
func unknownKeys(v *viper.Viper, file string, known map[string]bool) []problem {
	sections := map[string]bool{}
	for k := range known {
		if sec, _, ok := strings.Cut(k, "."); ok {
			sections[sec] = true
		}
	}
	var probs []problem
	keys := v.AllKeys()
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case known[k]:
		case sections[k]:
			// A section left empty ("index:" with everything commented
			// out) is nil and fine.
			if val := v.Get(k); val != nil && !isMap(val) {
				probs = append(probs, problem{key: k, msg: fmt.Sprintf("must be a section with keys such as %s.*, got %v in config file %s", k, v.Get(k), file)})
			}
		default:
			probs = append(probs, problem{key: k, msg: "unknown key in config file " + file + suggest(k, known)})
		}
	}
	return probs
}

// isMap reports whether val is a map, as decoded from any file format.
func isMap(val any) bool {
	switch val.(type) {
	case map[string]any, map[any]any:
		return true
	}
	return false
}

// suggest returns a hint naming the known key with the same last element,
// if there is exactly one, e.g. "addr" → "server.addr".
func suggest(key string, known map[string]bool) string {
	last := key[strings.LastIndex(key, ".")+1:]
	var hits []string
	for k := range known {
		if strings.HasSuffix(k, "."+last) && k != key {
			hits = append(hits, k)
		}
	}
	if len(hits) == 1 {
		return fmt.Sprintf(" (did you mean %s?)", hits[0])
	}
	return ""
}

// setNested stores val in m under the dotted key, creating inner maps.
func setNested(m map[string]any, key string, val any) {
	parts := strings.Split(key, ".")
	for _, p := range parts[:len(parts)-1] {
		inner, ok := m[p].(map[string]any)
		if !ok {
			inner = map[string]any{}
			m[p] = inner
		}
		m = inner
	}
	m[parts[len(parts)-1]] = val
}

// decodeProblems flattens a mapstructure error into one problem per field,
// named by the field's dotted key.
func decodeProblems(err error) []problem {
	var out []problem
	var walk func(err error)
	walk = func(err error) {
		switch e := err.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case *mapstructure.DecodeError:
			inner := e.Unwrap()
			var nested *mapstructure.DecodeError
			_, isJoin := inner.(interface{ Unwrap() []error })
			if isJoin || errors.As(inner, &nested) {
				walk(inner)
				return
			}
			key := e.Name()
			if key == "" {
				key = "config"
			}
			out = append(out, problem{key: key, msg: inner.Error()})
		case interface{ Unwrap() error }:
			if inner := e.Unwrap(); inner != nil {
				walk(inner)
				return
			}
			out = append(out, problem{key: "config", msg: err.Error()})
		default:
			out = append(out, problem{key: "config", msg: err.Error()})
		}
	}
	walk(err)
	slices.SortStableFunc(out, func(a, b problem) int { return strings.Compare(a.key, b.key) })
	return out
}
