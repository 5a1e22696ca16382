package sqlstore

import (
	"testing"
	"time"
)

func TestMillis(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		ms   int64
		back time.Time
	}{
		{"zero is 0", time.Time{}, 0, time.Time{}},
		{"sub-millisecond digits drop", time.Date(2025, 1, 2, 3, 4, 5, 6_789_999, time.UTC), 1735787045006, time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, time.UTC)},
		{"zones become UTC", time.Date(2025, 1, 2, 5, 4, 5, 0, time.FixedZone("X", 2*3600)), 1735787045000, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := millis(tc.in); got != tc.ms {
				t.Fatalf("millis = %d, want %d", got, tc.ms)
			}
			if got := fromMillis(tc.ms); got != tc.back {
				t.Fatalf("fromMillis = %v, want %v", got, tc.back)
			}
		})
	}
}

func TestContainsPattern(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "%%"},
		{"ada", "%ada%"},
		{"100%", `%100\%%`},
		{"a_b", `%a\_b%`},
		{`c:\x`, `%c:\\x%`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := containsPattern(tc.in); got != tc.want {
				t.Errorf("containsPattern(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	var a args
	first := a.add("x")
	list := a.addAll([]string{"a", "b", "c"})
	if first != "$1" || list != "$2, $3, $4" || len(a) != 4 {
		t.Fatalf("add = %q, addAll = %q, %d args", first, list, len(a))
	}
}
