package config

import (
	"fmt"
	"strings"
)

// Error lists every problem found while loading or validating a
// configuration; its message has one problem per line.
type Error struct {
	Problems []string
}

// Error returns the single problem, or a count followed by one problem per line.
func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "config: " + e.Problems[0]
	}
	return fmt.Sprintf("config: %d problems:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// problems collects messages; err turns them into an *Error.
type problems []string

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Problems: p}
}
