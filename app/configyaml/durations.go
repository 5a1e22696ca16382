package configyaml

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
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
	// The checks above are Format's, with messages naming the input.
	return duration.Format(d)
}

// protoDuration writes d as protojson does ("90s", "1.5s"): Envoy's
// objects in Core's config (health checks) are read with protojson.
func protoDuration(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}
