package ppl

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxQuoted bounds a value echoed in a message, so a pasted certificate or
// key does not turn one error into a wall of text.
const maxQuoted = 60

// quote renders a user value for a message: Go-quoted, shortened.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		s = string([]rune(s)[:maxQuoted-1]) + "…"
	}
	return strconv.Quote(s)
}

// describe names the JSON type of v for "expected X, got Y" messages.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean (" + strconv.FormatBool(t) + ")"
	case float64:
		return "a number (" + formatNumber(t) + ")"
	case string:
		return "a string (" + quote(t) + ")"
	case []any:
		return "a list"
	case object, map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// unknown is the message for a key that is not one of known, with a
// suggestion when the key is a likely typo. listKnown adds the accepted
// keys when there is no suggestion (skipped for long lists).
func unknown(kind, key string, known []string, listKnown bool) string {
	msg := "unknown " + kind + " " + quote(key)
	if s := suggest(key, known); s != "" {
		return msg + "; did you mean " + strconv.Quote(s) + "?"
	}
	if listKnown {
		return msg + "; expected one of " + strings.Join(known, ", ")
	}
	return msg
}

// suggest returns the entry of known closest to s, or "" if none is close
// enough to be a typo: at most two edits and under half the length of s
// (so "has" does not suggest "is"). Ties go to the earlier entry.
func suggest(s string, known []string) string {
	if len(s) > 64 {
		return ""
	}
	s = strings.ToLower(s)
	best, bestDist := "", min(3, (len(s)+1)/2)
	for _, k := range known {
		if d := editDistance(s, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes ("emial"
// is one edit from "email"). Bytes suffice: every known name is ASCII.
func editDistance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}

// formatNumber renders a JSON number the way JSON and Rego print it:
// integers without a fraction, others in the shortest exact form.
func formatNumber(f float64) string {
	if abs := max(f, -f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
