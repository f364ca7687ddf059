package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
)

// byteUnit returns the multiplier of a byte-size unit (matched
// case-insensitively) and whether the unit is known.
func byteUnit(unit string) (int64, bool) {
	switch strings.ToLower(unit) {
	case "", "b":
		return 1, true
	case "kb":
		return 1000, true
	case "mb":
		return 1000 * 1000, true
	case "gb":
		return 1000 * 1000 * 1000, true
	case "tb":
		return 1000 * 1000 * 1000 * 1000, true
	case "kib":
		return 1 << 10, true
	case "mib":
		return 1 << 20, true
	case "gib":
		return 1 << 30, true
	case "tib":
		return 1 << 40, true
	}
	return 0, false
}

// ParseByteSize parses a byte size: a non-negative integer optionally
// followed by a unit, e.g. "1048576", "512KiB", "10MiB", "10 MB".
//
// Units are case-insensitive: B; KB, MB, GB, TB are powers of 1000; KiB,
// MiB, GiB, TiB are powers of 1024. So "10MB" is 10000000 and "10MiB" is
// 10485760. Fractions ("1.5MiB"), signs and values above math.MaxInt64 are
// rejected.
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("invalid byte size %q: want an integer optionally followed by a unit, such as \"10MiB\"", s)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid byte size %q: number too large", s)
	}
	unit := strings.TrimSpace(t[i:])
	mult, ok := byteUnit(unit)
	if !ok {
		return 0, fmt.Errorf("invalid byte size %q: unknown unit %q (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)", s, unit)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid byte size %q: too large", s)
	}
	return n * mult, nil
}

// formatByteSize renders n in the largest unit that represents it exactly,
// preferring binary units: 33554432 → "32MiB", 10000000 → "10MB", 1000 →
// "1KB", 1500 → "1500". The result parses back with ParseByteSize.
func formatByteSize(n int64) string {
	if n > 0 {
		for _, u := range []string{"TiB", "TB", "GiB", "GB", "MiB", "MB", "KiB", "KB"} {
			m, _ := byteUnit(u)
			if n%m == 0 {
				return strconv.FormatInt(n/m, 10) + u
			}
		}
	}
	return strconv.FormatInt(n, 10)
}

// formatDuration is time.Duration.String without the trailing zero units:
// 60s → "1m", 1h → "1h", 90s → "1m30s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// decodeHook converts configuration values to the field types of Config:
//
//   - strings to time.Duration with time.ParseDuration; numbers other than
//     0 are rejected for durations because they carry no unit;
//   - strings to plain int64 fields with ParseByteSize. The only such
//     field is Server.BodyLimit (time.Duration is a distinct type and not
//     affected).
func decodeHook() mapstructure.DecodeHookFunc {
	durationType := reflect.TypeFor[time.Duration]()
	int64Type := reflect.TypeFor[int64]()
	return func(from, to reflect.Type, data any) (any, error) {
		if from == to {
			return data, nil
		}
		switch to {
		case durationType:
			switch from.Kind() {
			case reflect.String:
				d, err := time.ParseDuration(strings.TrimSpace(data.(string)))
				if err != nil {
					return nil, fmt.Errorf("invalid duration %q: want a value such as \"500ms\", \"15s\" or \"1m30s\"", data)
				}
				return d, nil
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
				reflect.Float32, reflect.Float64:
				if reflect.ValueOf(data).IsZero() {
					return time.Duration(0), nil
				}
				return nil, fmt.Errorf("invalid duration %v: a duration needs a unit, write for example \"%vs\"", data, data)
			}
		case int64Type:
			if from.Kind() == reflect.String {
				return ParseByteSize(data.(string))
			}
		}
		return data, nil
	}
}
