package deploy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
)

// numbered returns lines "l1".."ln", one per line.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("l%d", i+1)
	}
	return out
}

func text(lines []string) string { return strings.Join(lines, "\n") + "\n" }

func TestDiffText(t *testing.T) {
	t.Parallel()
	base := numbered(20)
	with := func(edit func([]string) []string) string {
		return text(edit(append([]string(nil), base...)))
	}
	tests := []struct {
		name    string
		a, b    string
		unified string
		added   int
		removed int
	}{
		{"identical", text(base), text(base), "--- a\n+++ b\n", 0, 0},
		{"one line changed", text(base), with(func(l []string) []string { l[9] = "ten"; return l }),
			"--- a\n+++ b\n@@ -7,7 +7,7 @@\n l7\n l8\n l9\n-l10\n+ten\n l11\n l12\n l13\n", 1, 1},
		{"added at the end", text(base), with(func(l []string) []string { return append(l, "l21") }),
			"--- a\n+++ b\n@@ -18,3 +18,4 @@\n l18\n l19\n l20\n+l21\n", 1, 0},
		{"removed at the start", text(base), with(func(l []string) []string { return l[1:] }),
			"--- a\n+++ b\n@@ -1,4 +1,3 @@\n-l1\n l2\n l3\n l4\n", 0, 1},
		{"two changes close together share a hunk", text(base), with(func(l []string) []string { l[4], l[9] = "five", "ten"; return l }),
			"--- a\n+++ b\n@@ -2,12 +2,12 @@\n l2\n l3\n l4\n-l5\n+five\n l6\n l7\n l8\n l9\n-l10\n+ten\n l11\n l12\n l13\n", 2, 2},
		{"two changes far apart make two hunks", text(base), with(func(l []string) []string { l[1], l[17] = "two", "eighteen"; return l }),
			"--- a\n+++ b\n@@ -1,5 +1,5 @@\n l1\n-l2\n+two\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+eighteen\n l19\n l20\n", 2, 2},
		{"from nothing", "", "a\nb\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n", 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := deploy.DiffText(tc.a, tc.b)
			if got := d.Unified("a", "b"); got != tc.unified {
				t.Errorf("unified:\n%s\nwant:\n%s", got, tc.unified)
			}
			if d.Added != tc.added || d.Removed != tc.removed || d.Identical() != (tc.added+tc.removed == 0) {
				t.Errorf("+%d -%d identical=%v, want +%d -%d", d.Added, d.Removed, d.Identical(), tc.added, tc.removed)
			}
		})
	}
}

func TestSideBySidePairsDeletionsWithInsertions(t *testing.T) {
	t.Parallel()
	d := deploy.DiffText("a\nb\nc\nd\n", "a\nB\nC\nX\nd\n")
	if len(d.Hunks) != 1 {
		t.Fatalf("%d hunks", len(d.Hunks))
	}
	var got []string
	for _, r := range d.Hunks[0].SideBySide() {
		got = append(got, fmt.Sprintf("%d%c%s|%d%c%s", r.Left.Num, or(r.Left.Op), r.Left.Text, r.Right.Num, or(r.Right.Op), r.Right.Text))
	}
	want := []string{"1 a|1 a", "2-b|2+B", "3-c|3+C", "0_|4+X", "4 d|5 d"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("rows %q, want %q", got, want)
	}
}

func or(op byte) byte {
	if op == 0 {
		return '_'
	}
	return op
}
