package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestParseLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    slog.Level
		wantErr bool
	}{
		{in: "", want: slog.LevelInfo},
		{in: "DEBUG", want: slog.LevelDebug},
		{in: "info", want: slog.LevelInfo},
		{in: "warn", want: slog.LevelWarn},
		{in: "error", want: slog.LevelError},
		{in: "verbose", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseLevel(tc.in)
			if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
				t.Fatalf("ParseLevel(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
}

// logAll writes one message per level and returns what reached the writer.
func logAll(level string, debug bool) string {
	var buf bytes.Buffer
	l := New(&buf, level, debug)
	l.Debug("m-debug", "k", 1)
	l.Info("m-info", "k", 2)
	l.Warn("m-warn", "k", 3)
	l.Error("m-error", "k", 4)
	return buf.String()
}

func TestJSONLinesAndLevelFiltering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		level string
		want  []string
	}{
		{level: "debug", want: []string{"m-debug", "m-info", "m-warn", "m-error"}},
		{level: "info", want: []string{"m-info", "m-warn", "m-error"}},
		{level: "warn", want: []string{"m-warn", "m-error"}},
		{level: "error", want: []string{"m-error"}},
	}
	for _, tc := range tests {
		t.Run(tc.level, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(logAll(tc.level, false)), "\n") {
				var rec struct {
					Msg   string `json:"msg"`
					Level string `json:"level"`
					K     int    `json:"k"`
				}
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("line %q is not JSON: %v", line, err)
				}
				if rec.Level == "" || rec.K == 0 {
					t.Fatalf("line %q lacks level or attribute", line)
				}
				got = append(got, rec.Msg)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("messages = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDebugIsHumanReadable(t *testing.T) {
	t.Parallel()
	out := logAll("info", true)
	if strings.HasPrefix(out, "{") || !strings.Contains(out, "INF m-info k=2") {
		t.Fatalf("debug output is not tint text: %q", out)
	}
	if strings.Contains(out, "m-debug") {
		t.Fatalf("debug format must not lower the level: %q", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Fatalf("colour escapes written to a non-terminal: %q", out)
	}
}
