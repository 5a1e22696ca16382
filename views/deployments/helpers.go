package deployments

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// StatusBadge shows a deployment's status in words and colour.
func StatusBadge(status string) components.BadgeProps {
	switch status {
	case StatusCurrent:
		return components.BadgeProps{Label: "Current", Tone: components.ToneSuccess, Title: "What the cluster runs now"}
	case StatusApplied:
		return components.BadgeProps{Label: "Applied", Title: "Ran on the cluster; a later deployment replaced it"}
	case StatusFailed:
		return components.BadgeProps{Label: "Failed", Tone: components.ToneDanger, Title: "The push failed; it is retried until it succeeds"}
	case StatusApplying:
		return components.BadgeProps{Label: "Applying", Tone: components.ToneInfo, Title: "Being pushed"}
	case StatusRejected:
		return components.BadgeProps{Label: "Discarded", Tone: components.ToneWarning, Title: "These changes were discarded (rejected), never deployed"}
	}
	return components.BadgeProps{Label: status}
}

func kindBadge(kind string) components.BadgeProps {
	switch kind {
	case KindAdded:
		return components.BadgeProps{Label: "Added", Tone: components.ToneSuccess}
	case KindRemoved:
		return components.BadgeProps{Label: "Removed", Tone: components.ToneDanger}
	}
	return components.BadgeProps{Label: "Changed", Tone: components.ToneInfo}
}

func pendingLabel(n int) string {
	if n == 1 {
		return "1 pending change"
	}
	return strconv.Itoa(n) + " pending changes"
}

func reviewLabel(p PendingVM) string {
	if p.CanApply {
		return "Review & apply"
	}
	return "Review"
}

// countsLabel words the counts: "2 changed, 1 added".
func countsLabel(added, changed, removed int) string {
	var parts []string
	for _, c := range []struct {
		n    int
		word string
	}{{changed, "changed"}, {added, "added"}, {removed, "removed"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.word))
		}
	}
	return strings.Join(parts, ", ")
}

func opClass(op string) string {
	switch op {
	case "+":
		return "diff-ins"
	case "-":
		return "diff-rem"
	case "":
		return "diff-none"
	}
	return "diff-eq"
}

func itoa(n int) string { return strconv.Itoa(n) }

// testID names a row by its number: "deployment-12".
func (r Row) testID() string { return "deployment-" + strings.TrimPrefix(r.Number, "#") }
