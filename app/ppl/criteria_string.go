package ppl

import (
	"slices"
	"strconv"
	"strings"
)

// recordKeys are the keys of a record value besides its operators.
var recordKeys = []string{"type", "field"}

func parseStringCriterion(c *checker, path string, v any) Data {
	ops, ok := c.matcher(path, v, StringOperators)
	if !ok {
		return nil
	}
	return StringMatcher{Ops: ops}
}

func parseListCriterion(c *checker, path string, v any) Data {
	ops, ok := c.matcher(path, v, ListOperators)
	if !ok {
		return nil
	}
	return ListMatcher{Ops: ops}
}

// matcher reads a string matcher (ops = StringOperators) or a string-list
// matcher (ops = ListOperators): an object of operators, or a bare scalar
// meaning the first operator (is, has).
func (c *checker) matcher(path string, v any, ops []string) ([]StringOp, bool) {
	obj, isObj := v.(object)
	if !isObj {
		if !isScalar(v) {
			c.errorf(path, "expected a string or an object of operators (%s), got %s", strings.Join(ops, ", "), describe(v))
			return nil, false
		}
		op, ok := c.operand(path, ops[0], v)
		return []StringOp{op}, ok
	}
	return c.operators(path, obj, ops, "operator", ops)
}

// operators reads the operator keys of obj. An unknown key is reported
// as an unknown kind, listing known (all the keys the value accepts).
func (c *checker) operators(path string, obj object, ops []string, kind string, known []string) ([]StringOp, bool) {
	if len(obj) == 0 {
		c.errorf(path, "expected at least one operator: %s", strings.Join(ops, ", "))
		return nil, false
	}
	out := make([]StringOp, 0, len(obj))
	ok := true
	for _, m := range obj {
		if !slices.Contains(ops, m.Key) {
			c.errorf(path, "%s", unknown(kind, m.Key, known, true))
			ok = false
			continue
		}
		op, good := c.operand(child(path, m.Key), m.Key, m.Val)
		out = append(out, op)
		ok = ok && good
	}
	// The operators are ANDed, so their order carries no meaning; a fixed
	// order makes equal matchers compare equal.
	slices.SortFunc(out, func(a, b StringOp) int {
		return slices.Index(ops, a.Op) - slices.Index(ops, b.Op)
	})
	return out, ok
}

// operand reads the value of operator op: a list of scalars for in and
// not_in, one scalar otherwise. Numbers and booleans are kept in Raw and
// stringified into Value(s).
func (c *checker) operand(path, op string, v any) (StringOp, bool) {
	out := StringOp{Op: op, Raw: v}
	if op != "in" && op != "not_in" {
		if !isScalar(v) {
			c.errorf(path, "expected a string, got %s", describe(v))
			return out, false
		}
		out.Value = scalarText(v)
		return out, true
	}
	list, isList := v.([]any)
	if !isList {
		c.errorf(path, "expected a list of strings, got %s", describe(v))
		return out, false
	}
	if len(list) == 0 {
		c.errorf(path, "expected at least one value")
		return out, false
	}
	ok := true
	out.Values = make([]string, len(list))
	for i, e := range list {
		if !isScalar(e) {
			c.errorf(index(path, i), "expected a string, got %s", describe(e))
			ok = false
			continue
		}
		out.Values[i] = scalarText(e)
	}
	return out, ok
}

// isScalar reports whether v is a string, number or boolean: the values
// Core compares a string against.
func isScalar(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

// scalarText is the text of a scalar as JSON would print it.
func scalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return formatNumber(t)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// text reads a required non-empty string.
func (c *checker) text(path string, v any, what string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		c.errorf(path, "expected %s, got %s", what, describe(v))
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		c.errorf(path, "expected %s, got an empty string", what)
		return "", false
	}
	return s, true
}

func parseClaimName(c *checker, path string, v any) Data {
	s, ok := c.text(path, v, "a claim name")
	if !ok {
		return nil
	}
	return ClaimName(s)
}

func parseRecord(c *checker, path string, v any) Data {
	obj, ok := c.object(path, v, "type, field and an operator")
	if !ok {
		return nil
	}
	var r Record
	var ops object
	typeOK, fieldOK := false, false
	for _, m := range obj {
		at := child(path, m.Key)
		switch m.Key {
		case "type":
			r.Type, typeOK = c.text(at, m.Val, "a record type such as example.com/devices")
		case "field":
			r.Field, fieldOK = c.text(at, m.Val, "a field path such as owner.email")
			if fieldOK && slices.Contains(strings.Split(r.Field, "."), "") {
				c.errorf(at, "the field path %s has an empty segment", quote(r.Field))
				fieldOK = false
			}
		default:
			ops = append(ops, m)
		}
	}
	matcher, opsOK := c.operators(path, ops, StringOperators, "key", append(slices.Clone(recordKeys), StringOperators...))
	if _, seen := obj.get("type"); !seen {
		c.errorf(path, "type is required (the record type, e.g. example.com/devices)")
	}
	if _, seen := obj.get("field"); !seen {
		c.errorf(path, "field is required (a dotted path in the record)")
	}
	if !typeOK || !fieldOK || !opsOK {
		return nil
	}
	r.Matcher = StringMatcher{Ops: matcher}
	return r
}

// object reads a value that must be an object; what lists its keys.
func (c *checker) object(path string, v any, what string) (object, bool) {
	obj, ok := v.(object)
	if !ok {
		c.errorf(path, "expected an object with %s, got %s", what, describe(v))
	}
	return obj, ok
}

// get returns the value of key and whether it is present.
func (o object) get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Val, true
		}
	}
	return nil, false
}
