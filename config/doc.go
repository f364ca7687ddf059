// Package config defines Briefsearch's typed configuration, its defaults,
// how it is loaded and how it is validated.
//
// # One struct, one set of defaults
//
// [Config] groups the settings by area (index, server, search, log).
// [Default] is the only place where default values are written down; Load
// registers every key of Default() with viper, and [Keys] reads its default
// column from Default() as well, so the documentation cannot drift from the
// code.
//
// # Sources and precedence
//
// [Load] builds the configuration from four layers. A value set in a higher
// layer wins over the same key in a lower one:
//
//  1. command-line flags (only flags the user actually set, see [BindFlags])
//  2. BRIEFSEARCH_* environment variables
//  3. the configuration file, if any
//  4. the defaults from [Default]
//
// # Configuration file
//
// The file is named by [Options].File or, when that is empty, by the
// BRIEFSEARCH_CONFIG environment variable. Without either, no file is read.
// A file that is named but missing is an error (it wraps [fs.ErrNotExist]).
// The format follows the extension: .yaml, .yml or no extension are YAML,
// .json is JSON and .toml is TOML; other extensions are rejected. Keys use
// the same dotted structure as the key names, for example:
//
//	index:
//	  path: /var/lib/briefsearch/index.bleve
//	  batch_size: 500
//	server:
//	  addr: 0.0.0.0:8080
//	  read_timeout: 5s
//	  body_limit: 8MiB
//	log:
//	  level: debug
//
// A key in the file that is not part of the configuration is an error that
// names the key, so typos do not go unnoticed.
//
// Relative paths (index.path, index.gazetteer, index.sample) are relative to
// the working directory of the process, not to the configuration file.
//
// # Environment variables
//
// Every key has an environment variable: "BRIEFSEARCH_" followed by the key
// in upper case with "." replaced by "_". For example
//
//	index.path          BRIEFSEARCH_INDEX_PATH
//	index.batch_size    BRIEFSEARCH_INDEX_BATCH_SIZE
//	server.addr         BRIEFSEARCH_SERVER_ADDR
//	server.body_limit   BRIEFSEARCH_SERVER_BODY_LIMIT
//	search.max_limit    BRIEFSEARCH_SEARCH_MAX_LIMIT
//	log.level           BRIEFSEARCH_LOG_LEVEL
//
// [Keys] lists all of them. Names are case-sensitive. A variable set to the
// empty string counts as unset. Other BRIEFSEARCH_* variables are ignored,
// except BRIEFSEARCH_CONFIG, which names the configuration file. Load reads
// the environment from [Options].Environ (os.Environ form), so tests can pass
// their own; when Environ is nil the process environment is used. If a name
// occurs more than once in Environ the last occurrence wins.
//
// # Value formats
//
// Durations (server.*_timeout, search.timeout) are Go duration strings such
// as "500ms", "15s" or "1m30s". A bare number other than 0 is rejected,
// because it has no unit.
//
// Byte sizes (server.body_limit) are either an integer number of bytes or a
// string of an integer followed by a unit: B, KB, MB, GB, TB (powers of 1000)
// or KiB, MiB, GiB, TiB (powers of 1024). Units are case-insensitive and may
// be separated from the number by spaces: "10MiB" is 10485760 bytes, "10MB"
// is 10000000 bytes. See [ParseByteSize].
//
// Log level and format are matched case-insensitively and stored in lower
// case.
//
// # Validation
//
// [Config.Validate] checks every field and reports all problems in one error
// that wraps [ErrInvalid], one line per problem. Load calls it before it
// returns; values that cannot be decoded at all (a duration without a unit,
// "ten" for an integer, an unknown key in the file) are also reported as
// errors that wrap ErrInvalid.
package config
