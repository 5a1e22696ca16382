// Package duration reads the REST reference's Duration format
// (`^([0-9]+(y|w|d|h|m|s|ms))+$`), used by routes and settings alike.
package duration

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"time"
)

// pattern is the REST reference's Duration.
var pattern = regexp.MustCompile(`^([0-9]+(y|w|d|h|m|s|ms))+$`)

// part splits a duration into its number-unit pairs; "ms" is tried before
// "m" so that "1ms" is one millisecond.
var part = regexp.MustCompile(`([0-9]+)(ms|y|w|d|h|m|s)`)

// units are the Duration units; a year is 365 days, as Core counts.
var units = map[string]time.Duration{
	"y": 365 * 24 * time.Hour, "w": 7 * 24 * time.Hour, "d": 24 * time.Hour,
	"h": time.Hour, "m": time.Minute, "s": time.Second, "ms": time.Millisecond,
}

// Errors Parse returns; their text is what a form shows next to the field.
var (
	ErrFormat  = errors.New(`must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`)
	ErrTooLong = errors.New("is too long: at most 292y")
)

// Parse reads a Duration such as "1h30m", "2d" or "500ms". It fails on any
// other text and on a duration too long for time.Duration (about 292 years).
func Parse(s string) (time.Duration, error) {
	if !pattern.MatchString(s) {
		return 0, ErrFormat
	}
	var total time.Duration
	for _, m := range part.FindAllStringSubmatch(s, -1) {
		n, err := strconv.ParseInt(m[1], 10, 64)
		unit := units[m[2]]
		if err != nil || n > int64(math.MaxInt64/unit) || total > math.MaxInt64-time.Duration(n)*unit {
			return 0, ErrTooLong
		}
		total += time.Duration(n) * unit
	}
	return total, nil
}
