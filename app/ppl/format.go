package ppl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// keyOrder is the order Format writes the keys of an object in; keys not
// listed follow in byte order. Criterion values are maps, so the order
// they were written in is gone; a fixed order makes Format canonical.
var keyOrder = func() map[string]int {
	keys := []string{
		"allow", "deny",
		"and", "or", "not", "nor",
		"type", "field", "days", "timezone", "after", "before", "approved",
		"has", "is", "not", "contains", "starts_with", "ends_with", "in", "not_in", "exclude",
		"fingerprint", "spki_hash", "san_email", "san_dns", "san_uri",
	}
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		if _, dup := m[k]; !dup {
			m[k] = i
		}
	}
	return m
}()

// Format writes p as canonical YAML: a single rule object unless p.List,
// else a list with one rule object per rule. Keys come in a fixed order
// (allow, deny; and, or, not, nor; matcher keys in the order of
// StringOperators/ListOperators); criterion values come from Raw.
// Parse(Format(p)) gives p back for any p that Parse produced.
func Format(p *Policy) ([]byte, error) {
	if p == nil || len(p.Rules) == 0 {
		return nil, errors.New("ppl: format: the policy has no rules")
	}
	var doc any
	if p.List {
		list := make([]any, len(p.Rules))
		for i, r := range p.Rules {
			list[i] = object{ruleMember(r)}
		}
		doc = list
	} else {
		obj := make(object, 0, len(p.Rules))
		for _, r := range p.Rules {
			if _, dup := obj.get(string(r.Action)); dup {
				return nil, fmt.Errorf("ppl: format: a single rule object holds one %s rule; set List to write several", r.Action)
			}
			obj = append(obj, ruleMember(r))
		}
		slices.SortStableFunc(obj, func(a, b member) int { return strings.Compare(a.Key, b.Key) })
		doc = obj
	}
	e := emitter{}
	if err := e.top(doc); err != nil {
		return nil, fmt.Errorf("ppl: format: %w", err)
	}
	return e.b.Bytes(), nil
}

// ruleMember is the `action: body` member of one rule.
func ruleMember(r Rule) member {
	body := make(object, 0, len(r.Groups))
	for _, g := range r.Groups {
		if len(g.Criteria) == 0 {
			continue
		}
		list := make([]any, len(g.Criteria))
		for i, c := range g.Criteria {
			key := c.Name
			if c.SubPath != "" {
				key += "/" + c.SubPath
			}
			list[i] = object{{Key: key, Val: c.Raw}}
		}
		body = append(body, member{Key: string(g.Operator), Val: list})
	}
	return member{Key: string(r.Action), Val: body}
}

// emitter writes block-style YAML. It is hand-rolled rather than
// yaml.Marshal so that quoting is decided here: every string either
// re-reads as the same string or is written JSON-quoted.
type emitter struct {
	b bytes.Buffer
}

func (e *emitter) top(doc any) error {
	switch t := doc.(type) {
	case object:
		return e.members(t, 0, false)
	case []any:
		return e.items(t, 0)
	}
	return fmt.Errorf("unexpected document of type %T", doc)
}

// block writes v after a "key:" or "-" already on the line.
func (e *emitter) block(v any, indent int) error {
	v = sorted(v)
	switch t := v.(type) {
	case object:
		if len(t) == 0 {
			e.b.WriteString(" {}\n")
			return nil
		}
		e.b.WriteByte('\n')
		return e.members(t, indent, false)
	case []any:
		if len(t) == 0 {
			e.b.WriteString(" []\n")
			return nil
		}
		e.b.WriteByte('\n')
		return e.items(t, indent)
	}
	e.b.WriteByte(' ')
	if err := e.scalar(v); err != nil {
		return err
	}
	e.b.WriteByte('\n')
	return nil
}

// members writes the keys of obj at indent; inItem means the first key
// goes on the line of a "- " already written.
func (e *emitter) members(obj object, indent int, inItem bool) error {
	for i, m := range obj {
		if !inItem || i > 0 {
			e.pad(indent)
		}
		e.str(m.Key)
		e.b.WriteByte(':')
		if err := e.block(m.Val, indent+2); err != nil {
			return err
		}
	}
	return nil
}

func (e *emitter) items(list []any, indent int) error {
	for _, v := range list {
		e.pad(indent)
		e.b.WriteByte('-')
		if obj, ok := sorted(v).(object); ok && len(obj) > 0 {
			e.b.WriteByte(' ')
			if err := e.members(obj, indent+2, true); err != nil {
				return err
			}
			continue
		}
		if err := e.block(v, indent+2); err != nil {
			return err
		}
	}
	return nil
}

func (e *emitter) pad(n int) {
	for range n {
		e.b.WriteByte(' ')
	}
}

func (e *emitter) scalar(v any) error {
	switch t := v.(type) {
	case nil:
		e.b.WriteString("null")
	case bool:
		e.b.WriteString(strconv.FormatBool(t))
	case string:
		e.str(t)
	case float64:
		return e.number(t)
	case int:
		return e.number(float64(t))
	case int64:
		return e.number(float64(t))
	default:
		return fmt.Errorf("unsupported value of type %T", v)
	}
	return nil
}

// number writes f so that YAML reads back the same float64; exponents
// get a fractional mantissa ("1.0e+21"), which YAML 1.1 requires.
func (e *emitter) number(f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%v is not a JSON number", f)
	}
	abs := math.Abs(f)
	switch {
	case f == math.Trunc(f) && abs < 1e15:
		e.b.WriteString(strconv.FormatInt(int64(f), 10))
	case abs >= 1e-4 && abs < 1e15:
		e.b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
	default:
		s := strconv.FormatFloat(f, 'e', -1, 64)
		if mant, exp, _ := strings.Cut(s, "e"); !strings.Contains(mant, ".") {
			s = mant + ".0e" + exp
		}
		e.b.WriteString(s)
	}
	return nil
}

// str writes s plain when that is safe, else as a JSON string (which is
// also a valid YAML double-quoted scalar).
func (e *emitter) str(s string) {
	if plainSafe(s) {
		e.b.WriteString(s)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a valid UTF-8 string always encodes
	e.b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// plainSafe reports whether s can be written unquoted: made only of
// characters with no YAML meaning where they stand, and read back as a
// string, also by YAML 1.1 readers (which take yes, on and 17:45 for a
// boolean and a number).
func plainSafe(s string) bool {
	if s == "" || strings.ContainsRune("-:.@,=", rune(s[0])) || s[0] == ' ' ||
		s[len(s)-1] == ' ' || s[len(s)-1] == ':' || strings.Contains(s, ": ") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@./+-:,= ", r)) {
			return false
		}
	}
	if yaml11Words[strings.ToLower(s)] || sexagesimal.MatchString(s) {
		return false
	}
	return (&yaml.Node{Kind: yaml.ScalarNode, Value: s}).ShortTag() == "!!str"
}

// yaml11Words are the booleans of YAML 1.1, strings to yaml.v3.
var yaml11Words = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true}

// sexagesimal matches YAML 1.1 base-60 numbers.
var sexagesimal = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`)

// sorted orders the keys of a Raw map by keyOrder; other values pass
// through.
func sorted(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	obj := make(object, 0, len(m))
	for k, val := range m {
		obj = append(obj, member{Key: k, Val: val})
	}
	slices.SortFunc(obj, func(a, b member) int {
		ra, okA := keyOrder[a.Key]
		rb, okB := keyOrder[b.Key]
		switch {
		case okA && okB:
			return ra - rb
		case okA:
			return -1
		case okB:
			return 1
		}
		return strings.Compare(a.Key, b.Key)
	})
	return obj
}
