package rego

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// stringConds renders a string matcher as one condition per operator, all of
// which must hold. subject must be a variable bound earlier in the body: a
// negated test (`not x in [...]`) on an undefined ref would pass.
func stringConds(subject string, m ppl.StringMatcher) ([]string, error) {
	conds := make([]string, 0, len(m.Ops))
	for _, op := range m.Ops {
		var c string
		switch op.Op {
		case "is":
			c = subject + " == " + operand(op)
		case "not":
			c = subject + " != " + operand(op)
		case "contains":
			c = "contains(" + subject + ", " + lit(op.Value) + ")"
		case "starts_with":
			c = "startswith(" + subject + ", " + lit(op.Value) + ")"
		case "ends_with":
			c = "endswith(" + subject + ", " + lit(op.Value) + ")"
		case "in":
			c = subject + " in " + operands(op)
		case "not_in":
			c = "not " + subject + " in " + operands(op)
		default:
			return nil, fmt.Errorf("unknown string operator %q", op.Op)
		}
		conds = append(conds, c)
	}
	return conds, nil
}

// listConds renders a string-list matcher on the list bound to subject.
func listConds(subject string, m ppl.ListMatcher) ([]string, error) {
	conds := make([]string, 0, len(m.Ops))
	for _, op := range m.Ops {
		var c string
		switch op.Op {
		case "has":
			c = operand(op) + " in " + subject
		case "is":
			c = subject + " == [" + operand(op) + "]"
		case "exclude":
			c = "not " + operand(op) + " in " + subject
		default:
			return nil, fmt.Errorf("unknown list operator %q", op.Op)
		}
		conds = append(conds, c)
	}
	return conds, nil
}

// anyConds renders a string matcher on the elements of the collection
// bound to subject, each condition with its own existential: it holds when
// some element satisfies it, not necessarily the same element for all (how
// Core matches certificate SANs).
func anyConds(prefix, subject string, m ppl.StringMatcher) ([]string, error) {
	var lines []string
	for i, op := range m.Ops {
		elem := fmt.Sprintf("%s_%d", prefix, i)
		conds, err := stringConds(elem, ppl.StringMatcher{Ops: []ppl.StringOp{op}})
		if err != nil {
			return nil, err
		}
		lines = append(lines, "some "+elem+" in "+subject)
		lines = append(lines, conds...)
	}
	return lines, nil
}

// operand renders the value of an equality operator. Core compares the
// JSON value as written, so `claim/admin: true` matches the boolean claim
// true and not the string "true"; the string functions get op.Value.
func operand(op ppl.StringOp) string {
	return scalar(op.Raw, op.Value)
}

// operands renders the list of an in or not_in operator.
func operands(op ppl.StringOp) string {
	raw, _ := op.Raw.([]any)
	out := make([]string, len(op.Values))
	for i, v := range op.Values {
		var r any
		if i < len(raw) {
			r = raw[i]
		}
		out[i] = scalar(r, v)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// scalar is raw as a Rego literal when it is a JSON number or boolean,
// else text as a string.
func scalar(raw any, text string) string {
	switch raw.(type) {
	case bool, float64:
		if b, err := json.Marshal(raw); err == nil {
			return string(b)
		}
	}
	return lit(text)
}
