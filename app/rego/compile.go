package rego

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// Foreign keys a data source can declare: the value its records are stored
// under, and so the key the record criterion looks them up by. The spelling
// is the Enterprise console's (ExternalDataSource.foreign_key).
const (
	ForeignKeyUserID    = "user.id"
	ForeignKeyUserEmail = "user.email"
	ForeignKeyRequestIP = "request.ip"
)

// Options tunes what Compile emits for criteria whose meaning depends on
// console state rather than on the policy text.
type Options struct {
	// RecordKey returns the foreign key of the data source that feeds
	// recordType: ForeignKeyUserID, ForeignKeyUserEmail or
	// ForeignKeyRequestIP. A nil func or an empty answer means
	// ForeignKeyUserID, Enterprise's default. Records keyed by the user are
	// session criteria (no session → user-unauthenticated); records keyed by
	// the request IP are found through their `$index` CIDR and need no login.
	RecordKey func(recordType string) string
}

// ErrCompile marks every error Compile returns, so callers can tell a policy
// the compiler refuses from an infrastructure failure.
var ErrCompile = errors.New("rego: compile")

// Compile turns one PPL policy into one Rego module for a route's
// policies[].rego. The module is deterministic: the same policy and options
// always give the same text.
func Compile(p *ppl.Policy, opts Options) (string, error) {
	if p == nil {
		return "", fmt.Errorf("%w: nil policy", ErrCompile)
	}
	m := newModule(opts)
	var errs []error
	for i, rule := range p.Rules {
		if err := m.addRule(rule); err != nil {
			errs = append(errs, fmt.Errorf("%w: rule %d: %w", ErrCompile, i, err))
		}
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	return m.String(), nil
}

// module accumulates the parts of one Rego module in output order.
type module struct {
	opts Options
	// counters numbers rules per name across the module, as Core does, so
	// `email_0` and `email_1` can coexist with `and_0`.
	counters map[string]int
	allow    []string
	deny     []string
	rules    strings.Builder
	helpers  helperSet
}

func newModule(opts Options) *module {
	return &module{opts: opts, counters: map[string]int{}, helpers: helperSet{}}
}

// name returns the next free rule name for base.
func (m *module) name(base string) string {
	n := m.counters[base]
	m.counters[base] = n + 1
	return fmt.Sprintf("%s_%d", base, n)
}

func (m *module) addRule(rule ppl.Rule) error {
	var target *[]string
	switch rule.Action {
	case ppl.Allow:
		target = &m.allow
	case ppl.Deny:
		target = &m.deny
	default:
		return fmt.Errorf("unknown action %q", rule.Action)
	}
	var errs []error
	for _, g := range rule.Groups {
		if len(g.Criteria) == 0 {
			continue
		}
		name, err := m.addGroup(g)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.%s: %w", rule.Action, g.Operator, err))
			continue
		}
		*target = append(*target, name)
		m.helpers.add("merge_with_or")
	}
	return errors.Join(errs...)
}

// addGroup emits the criterion rules of g and its combiner, returning the
// combiner's name. not and nor invert each result but keep its reasons, so a
// passing `not: [email: x]` still says email-unauthorized.
func (m *module) addGroup(g ppl.Group) (string, error) {
	var merge string
	invert := false
	switch g.Operator {
	case ppl.And:
		merge = "merge_with_and"
	case ppl.Or:
		merge = "merge_with_or"
	case ppl.Not:
		merge, invert = "merge_with_and", true
	case ppl.Nor:
		merge, invert = "merge_with_or", true
	default:
		return "", fmt.Errorf("unknown operator %q", g.Operator)
	}
	names := make([]string, 0, len(g.Criteria))
	var errs []error
	for i, c := range g.Criteria {
		name, err := m.addCriterion(c)
		if err != nil {
			errs = append(errs, fmt.Errorf("[%d] %s: %w", i, c.Name, err))
			continue
		}
		if invert {
			name = "invert_criterion_result(" + name + ")"
		}
		names = append(names, name)
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	m.helpers.add(merge)
	if invert {
		m.helpers.add("invert_criterion_result")
	}
	name := m.name(string(g.Operator))
	fmt.Fprintf(&m.rules, "\n%s := %s([%s])\n", name, merge, strings.Join(names, ", "))
	return name, nil
}

// addCriterion emits the rule for one criterion and returns its name.
func (m *module) addCriterion(c ppl.Criterion) (string, error) {
	r, err := m.criterion(c)
	if err != nil {
		return "", err
	}
	// c.Name is a known criterion, hence a valid Rego identifier.
	name := m.name(c.Name)
	m.rules.WriteString("\n")
	r.write(&m.rules, name)
	return name, nil
}

// String renders the module: header, decisions, combiners and criteria in
// document order, then the shared rules and functions they use.
func (m *module) String() string {
	var b strings.Builder
	b.WriteString("package pomerium.policy\n\nimport rego.v1\n\n")
	b.WriteString("default allow := [false, set()]\n\ndefault deny := [false, set()]\n")
	for _, d := range []struct {
		name  string
		terms []string
	}{{"allow", m.allow}, {"deny", m.deny}} {
		if len(d.terms) > 0 {
			fmt.Fprintf(&b, "\n%s := merge_with_or([%s])\n", d.name, strings.Join(d.terms, ", "))
		}
	}
	b.WriteString(m.rules.String())
	m.helpers.write(&b)
	return b.String()
}
