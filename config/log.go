package config

import (
	"io"
	"log/slog"
	"strings"
)

// parseLevel maps a level name (case-insensitive) to its slog level.
func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return slog.LevelInfo, false
}

// SlogLevel returns the slog level for l.Level. An unknown level, which
// [Config.Validate] rejects, yields slog.LevelInfo.
func (l Log) SlogLevel() slog.Level {
	lvl, _ := parseLevel(l.Level)
	return lvl
}

// Logger returns a slog logger that writes to w at l's level, with a JSON
// handler when l.Format is "json" and a text handler otherwise.
func (l Log) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: l.SlogLevel()}
	if strings.EqualFold(strings.TrimSpace(l.Format), "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
