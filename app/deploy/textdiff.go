package deploy

import (
	"fmt"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Line operations of a text diff.
const (
	OpEqual  = ' '
	OpDelete = '-'
	OpInsert = '+'
)

// DiffContext is how many unchanged lines a hunk shows around a change.
const DiffContext = 3

// diffTimeout bounds the line diff; past it the diff is still correct,
// only less minimal.
const diffTimeout = 2 * time.Second

// DiffLine is one line of a hunk; Old and New are its line numbers on each
// side (0 on the side it is missing from).
type DiffLine struct {
	Op   byte
	Old  int
	New  int
	Text string
}

// Hunk is a run of changes with their context, as in a unified diff.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []DiffLine
}

// TextDiff is the line diff of two texts.
type TextDiff struct {
	Hunks   []Hunk
	Added   int
	Removed int
}

// Identical reports whether the texts had no differing line.
func (d TextDiff) Identical() bool { return d.Added == 0 && d.Removed == 0 }

// DiffText computes the line diff of a and b with DiffContext lines of
// context.
func DiffText(a, b string) TextDiff {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var all []DiffLine
	oldN, newN := 0, 0
	var d TextDiff
	for _, df := range diffs {
		for _, text := range splitLines(df.Text) {
			l := DiffLine{Text: text}
			switch df.Type {
			case diffmatchpatch.DiffEqual:
				oldN, newN = oldN+1, newN+1
				l.Op, l.Old, l.New = OpEqual, oldN, newN
			case diffmatchpatch.DiffDelete:
				oldN++
				l.Op, l.Old = OpDelete, oldN
				d.Removed++
			case diffmatchpatch.DiffInsert:
				newN++
				l.Op, l.New = OpInsert, newN
				d.Added++
			}
			all = append(all, l)
		}
	}
	d.Hunks = hunks(all, DiffContext)
	return d
}

// splitLines splits text into lines without their line breaks.
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// hunks groups the changed lines of all with up to context unchanged lines
// around them; changes closer than twice that share a hunk.
func hunks(all []DiffLine, context int) []Hunk {
	var out []Hunk
	for i := 0; i < len(all); {
		if all[i].Op == OpEqual {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for end < len(all) {
			if all[end].Op != OpEqual {
				end++
				continue
			}
			run := end
			for run < len(all) && all[run].Op == OpEqual {
				run++
			}
			if run == len(all) || run-end > 2*context {
				end = min(end+context, len(all))
				break
			}
			end = run
		}
		out = append(out, newHunk(all[start:end]))
		i = end
	}
	return out
}

// newHunk sums up lines as a hunk.
func newHunk(lines []DiffLine) Hunk {
	h := Hunk{Lines: lines}
	for _, l := range lines {
		if l.Op != OpInsert {
			if h.OldStart == 0 {
				h.OldStart = l.Old
			}
			h.OldLines++
		}
		if l.Op != OpDelete {
			if h.NewStart == 0 {
				h.NewStart = l.New
			}
			h.NewLines++
		}
	}
	return h
}

// Header is the hunk's unified-diff header ("@@ -1,4 +1,5 @@").
func (h Hunk) Header() string {
	return fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
}

// Unified renders d as a unified diff between files named from and to.
func (d TextDiff) Unified(from, to string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", from, to)
	for _, h := range d.Hunks {
		b.WriteString(h.Header() + "\n")
		for _, l := range h.Lines {
			b.WriteByte(l.Op)
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// Cell is one side of a side-by-side row; Num is 0 for an empty side.
type Cell struct {
	Num  int
	Text string
	Op   byte
}

// Row is one row of a side-by-side diff.
type Row struct {
	Left, Right Cell
}

// SideBySide lays a hunk out in two columns: unchanged lines on both
// sides, and each run of deletions next to the insertions that follow it.
func (h Hunk) SideBySide() []Row {
	var rows []Row
	for i := 0; i < len(h.Lines); {
		l := h.Lines[i]
		if l.Op == OpEqual {
			rows = append(rows, Row{Left: Cell{Num: l.Old, Text: l.Text, Op: OpEqual}, Right: Cell{Num: l.New, Text: l.Text, Op: OpEqual}})
			i++
			continue
		}
		var dels, ins []DiffLine
		for i < len(h.Lines) && h.Lines[i].Op == OpDelete {
			dels = append(dels, h.Lines[i])
			i++
		}
		for i < len(h.Lines) && h.Lines[i].Op == OpInsert {
			ins = append(ins, h.Lines[i])
			i++
		}
		for j := range max(len(dels), len(ins)) {
			var r Row
			if j < len(dels) {
				r.Left = Cell{Num: dels[j].Old, Text: dels[j].Text, Op: OpDelete}
			}
			if j < len(ins) {
				r.Right = Cell{Num: ins[j].New, Text: ins[j].Text, Op: OpInsert}
			}
			rows = append(rows, r)
		}
	}
	return rows
}
