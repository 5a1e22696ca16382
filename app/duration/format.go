package duration

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrPrecision is Format's refusal of a duration the format cannot hold.
var ErrPrecision = errors.New("must be a whole number of milliseconds, zero or more")

// Format writes d as a Duration with the units h, m, s and ms ("1h30m",
// "1s500ms", "0s"), which Parse (and time.ParseDuration) read back as d.
// It fails on a negative d or one finer than a millisecond.
func Format(d time.Duration) (string, error) {
	switch {
	case d < 0 || d%time.Millisecond != 0:
		return "", ErrPrecision
	case d == 0:
		return "0s", nil
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
	return b.String(), nil
}
