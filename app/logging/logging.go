package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/lmittmann/tint"
)

// Levels lists the accepted log_level values, lowest first.
var Levels = []string{"debug", "info", "warn", "error"}

// ParseLevel maps a log_level value (case-insensitive; "" is info) to a slog level.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return slog.LevelInfo, fmt.Errorf("must be one of %s (got %q)", strings.Join(Levels, ", "), s)
}

// New returns a logger writing to w at level (an unknown level means info;
// config validation reports it). With debug it writes human-readable lines,
// coloured when w is a terminal; otherwise one JSON object per line.
func New(w io.Writer, level string, debug bool) *slog.Logger {
	lvl, _ := ParseLevel(level)
	if debug {
		return slog.New(tint.NewHandler(w, &tint.Options{
			Level:      lvl,
			TimeFormat: time.Kitchen,
			NoColor:    !isTerminal(w),
		}))
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl}))
}

// isTerminal keeps colour escapes out of files and journald.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
