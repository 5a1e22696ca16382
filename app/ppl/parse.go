package ppl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Parse reads a PPL document, YAML or JSON, holding one rule object or a
// list of them, and validates every criterion. On failure the error is
// Errors with every problem found, in document order.
//
// Structure, as in Core: each rule object maps allow and/or deny to a body
// of and/or/not/nor lists of single-key criteria. An object holding both
// actions gives two rules, allow first (Core sorts them so). Empty lists
// are dropped, and a rule with no criteria is kept: it never matches. The
// body key `action` is accepted as Core does, but must name the same
// action as its rule. A document with no rules at all is an error.
func Parse(src []byte) (*Policy, error) {
	doc, err := decode(src)
	if err != nil {
		return nil, err
	}
	c := &checker{}
	p := &Policy{}
	switch t := doc.(type) {
	case object:
		p.Rules = c.rules(t, "")
	case []any:
		p.List = true
		for i, item := range t {
			path := index("", i)
			obj, ok := item.(object)
			if !ok {
				c.errorf(path, "expected a rule object like {allow: {and: [...]}}, got %s", describe(item))
				continue
			}
			p.Rules = append(p.Rules, c.rules(obj, path)...)
		}
	default:
		c.errorf("", "expected a rule object or a list of them, got %s", describe(doc))
	}
	if len(c.errs) == 0 && len(p.Rules) == 0 {
		c.errorf("", "the policy has no allow or deny rule")
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return p, nil
}

// checker collects every problem of one document.
type checker struct {
	errs Errors
}

func (c *checker) errorf(path, format string, args ...any) {
	c.errs = append(c.errs, Error{Path: path, Message: fmt.Sprintf(format, args...)})
}

// actionNames are the keys of a rule object.
var actionNames = []string{string(Allow), string(Deny)}

// operatorNames are the keys of a rule body, indexed like Operators;
// `action` is tolerated too.
var operatorNames = func() []string {
	names := make([]string, len(Operators))
	for i, op := range Operators {
		names[i] = string(op)
	}
	return names
}()

// rules reads one rule object: a rule per action key, allow before deny.
func (c *checker) rules(obj object, path string) []Rule {
	var out []Rule
	for _, m := range obj {
		if !slices.Contains(actionNames, m.Key) {
			c.errorf(path, "%s", unknown("action", m.Key, actionNames, true))
			continue
		}
		if r, ok := c.rule(Action(m.Key), m.Val, child(path, m.Key)); ok {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Rule) int { return strings.Compare(string(a.Action), string(b.Action)) })
	return out
}

// rule reads the body of one action.
func (c *checker) rule(action Action, v any, path string) (Rule, bool) {
	body, ok := v.(object)
	if !ok {
		c.errorf(path, "expected an object with and, or, not or nor, got %s", describe(v))
		return Rule{}, false
	}
	groups := make([][]Criterion, len(Operators))
	ok = true
	for _, m := range body {
		at := child(path, m.Key)
		if m.Key == "action" {
			// Core ignores this key; a different action would read as the
			// opposite of what the rule does, so it is refused.
			if m.Val != string(action) {
				c.errorf(at, "expected %q (the rule's action), got %s", action, describe(m.Val))
				ok = false
			}
			continue
		}
		i := slices.Index(operatorNames, m.Key)
		if i < 0 {
			c.errorf(path, "%s", unknown("operator", m.Key, operatorNames, true))
			ok = false
			continue
		}
		list, isList := m.Val.([]any)
		if !isList {
			c.errorf(at, "expected a list of criteria, got %s", describe(m.Val))
			ok = false
			continue
		}
		crits, good := c.criteria(list, at)
		groups[i], ok = crits, ok && good
	}
	r := Rule{Action: action}
	for i, crits := range groups {
		if len(crits) > 0 {
			r.Groups = append(r.Groups, Group{Operator: Operators[i], Criteria: crits})
		}
	}
	return r, ok
}

// criteria reads one condition list.
func (c *checker) criteria(list []any, path string) ([]Criterion, bool) {
	out := make([]Criterion, 0, len(list))
	ok := true
	for i, item := range list {
		crit, good := c.criterion(item, index(path, i))
		if good {
			out = append(out, crit)
		}
		ok = ok && good
	}
	return out, ok
}

// criterion reads one single-key criterion object and validates its data.
func (c *checker) criterion(v any, path string) (Criterion, bool) {
	obj, ok := v.(object)
	if !ok {
		c.errorf(path, "expected a criterion object like {email: {is: ...}}, got %s", describe(v))
		return Criterion{}, false
	}
	if len(obj) != 1 {
		keys := make([]string, len(obj))
		for i, m := range obj {
			keys[i] = strconv.Quote(m.Key)
		}
		if len(obj) == 0 {
			c.errorf(path, "a criterion needs exactly one key, got none")
		} else {
			c.errorf(path, "a criterion needs exactly one key, got %d (%s); put each in its own list item", len(obj), strings.Join(keys, ", "))
		}
		return Criterion{}, false
	}
	key, val := obj[0].Key, obj[0].Val
	at := child(path, key)
	name, sub, hasSub := strings.Cut(key, "/")
	spec := lookupCriterion(name)
	if spec == nil {
		c.errorf(at, "%s", unknown("criterion", name, criterionNames, false))
		return Criterion{}, false
	}
	switch {
	case spec.info.SubPath && sub == "":
		c.errorf(at, "%s needs a sub path, e.g. %s/groups", name, name)
		return Criterion{}, false
	case spec.info.SubPath && slices.Contains(strings.Split(sub, "/"), ""):
		c.errorf(at, "the sub path %s has an empty segment", quote(sub))
		return Criterion{}, false
	case !spec.info.SubPath && hasSub:
		c.errorf(at, "%s takes no sub path; remove %s", name, quote("/"+sub))
		return Criterion{}, false
	}
	before := len(c.errs)
	data := spec.parse(c, at, val)
	if len(c.errs) > before || data == nil {
		return Criterion{}, false
	}
	return Criterion{Name: name, SubPath: sub, Raw: toRaw(val), Data: data}, true
}
