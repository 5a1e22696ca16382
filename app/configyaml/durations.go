package configyaml

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// restDuration reads a Go or protojson duration ("1m30s", "90s", "1.5s")
// as the console's REST Duration ("1m30s"), which has no fractions below a
// millisecond.
func restDuration(text string) (string, error) {
	d, err := time.ParseDuration(strings.TrimSpace(text))
	switch {
	case err != nil:
		return "", fmt.Errorf("must be a duration such as 30s, 5m or 1h30m (got %q)", text)
	case d < 0:
		return "", errors.New("must not be negative")
	case d%time.Millisecond != 0:
		return "", fmt.Errorf("%q is finer than a millisecond, which the console does not keep", text)
	}
	return goDuration(d), nil
}

// goDuration writes d with the units h, m, s and ms, e.g. "1h30m", "1s500ms"
// and "0s": both time.ParseDuration and the console's REST Duration read it.
func goDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}} {
		if n := d / u.unit; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			d -= n * u.unit
		}
	}
	return b.String()
}

// protoDuration writes d as protojson does ("90s", "1.5s"): Envoy's
// objects in Core's config (health checks) are read with protojson.
func protoDuration(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}
