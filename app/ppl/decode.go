package ppl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	goccy "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"
)

// maxValues bounds the decoded document: YAML aliases let a few hundred
// bytes expand to millions of values, and a real policy has a few hundred.
const maxValues = 100_000

// msgEmpty is the error of a document with no content at all.
const msgEmpty = "the policy is empty"

// member is one key of a decoded mapping; object keeps the keys in
// document order so errors and rules come out in the order written.
type member struct {
	Key string
	Val any
}

type object []member

// decode reads one YAML (or JSON) document into JSON-shaped values:
// object, []any, string, float64, bool and nil.
//
// It walks yaml.v3's node tree rather than decoding into maps: the tree
// keeps key order, and building it takes under half the time goccy/go-yaml
// (the config loader's library) needs (0.7 ms against 1.7 ms for 50
// rules), which matters for the policy compile budget.
func decode(src []byte) (any, error) {
	if !utf8.Valid(src) {
		return nil, Errors{{Message: "the policy is not valid UTF-8"}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errors{{Message: msgEmpty}}
		}
		return nil, Errors{syntaxError(src, err)}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, Errors{syntaxError(src, err)}
	default:
		return nil, Errors{{Message: "the policy holds more than one YAML document; remove the extra ---"}}
	}
	if len(doc.Content) == 0 {
		return nil, Errors{{Message: msgEmpty}}
	}
	n := normaliser{}
	v := n.value(doc.Content[0])
	if len(n.errs) > 0 {
		return nil, n.errs
	}
	if v == nil {
		return nil, Errors{{Message: msgEmpty}}
	}
	return v, nil
}

// syntaxError explains a document yaml.v3 rejected. goccy/go-yaml's
// parser is asked again for the message because it names the line and
// column of the offending token, where yaml.v3 leaves out the line for
// errors on the first line (one-line JSON) and sometimes names the line
// of the enclosing block. If goccy accepts the text, yaml.v3's own
// message stands.
func syntaxError(src []byte, err error) Error {
	var ye goccy.Error
	if _, perr := parser.ParseBytes(src, 0); errors.As(perr, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return Error{Message: fmt.Sprintf("line %d, column %d: %s", tk.Position.Line, tk.Position.Column, ye.GetMessage())}
		}
	}
	return Error{Message: strings.TrimPrefix(err.Error(), "yaml: ")}
}

// normaliser converts yaml nodes to JSON values, reporting what JSON
// cannot hold. The path is kept as a stack of segments and only joined
// for an error, since errors are rare and values are many.
type normaliser struct {
	count int
	path  []string
	errs  Errors
}

func (n *normaliser) fail(format string, args ...any) any {
	if n.count > maxValues {
		return nil
	}
	n.errs = append(n.errs, Error{
		Path:    strings.Join(n.path, ""),
		Message: fmt.Sprintf(format, args...),
	})
	return nil
}

func (n *normaliser) value(node *yaml.Node) any {
	n.count++
	if n.count > maxValues {
		if n.count == maxValues+1 {
			n.errs = Errors{{Message: fmt.Sprintf("the policy is too large: more than %d values", maxValues)}}
		}
		return nil
	}
	switch node.Kind {
	case yaml.AliasNode:
		return n.value(node.Alias)
	case yaml.MappingNode:
		return n.mapping(node)
	case yaml.SequenceNode:
		list := make([]any, len(node.Content))
		for i, e := range node.Content {
			n.path = append(n.path, "["+strconv.Itoa(i)+"]")
			list[i] = n.value(e)
			n.path = n.path[:len(n.path)-1]
		}
		return list
	}
	return n.scalar(node)
}

func (n *normaliser) mapping(node *yaml.Node) any {
	obj := make(object, 0, len(node.Content)/2)
	lines := make(map[string]int, len(node.Content)/2)
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			n.fail("a key must be a string, got a %s", kindName(k))
			continue
		}
		if first, dup := lines[k.Value]; dup {
			n.fail("duplicate key %s on line %d (first on line %d)", quote(k.Value), k.Line, first)
			continue
		}
		lines[k.Value] = k.Line
		seg := k.Value
		if len(n.path) > 0 {
			seg = "." + seg
		}
		n.path = append(n.path, seg)
		obj = append(obj, member{Key: k.Value, Val: n.value(v)})
		n.path = n.path[:len(n.path)-1]
	}
	return obj
}

// scalar resolves a scalar by its tag. Timestamps stay text: the date
// criterion reads them itself, and JSON has no date type.
func (n *normaliser) scalar(node *yaml.Node) any {
	switch tag := node.ShortTag(); tag {
	case "!!str", "!!timestamp":
		return node.Value
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := node.Decode(&v); err != nil {
			return n.fail("%s is not a valid %s", quote(node.Value), tag[2:])
		}
		var f float64
		switch t := v.(type) {
		case bool:
			return t
		case int:
			f = float64(t)
		case int64:
			f = float64(t)
		case uint64:
			f = float64(t)
		case float64:
			f = t
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return n.fail("%s is not a JSON number", node.Value)
		}
		return f
	default:
		return n.fail("unsupported YAML tag %s; use a string, number, boolean, list or object", tag)
	}
}

func kindName(node *yaml.Node) string {
	if node.Kind == yaml.MappingNode {
		return "mapping"
	}
	return "sequence"
}

// toRaw converts a normalised value to the map-based JSON form stored in
// Criterion.Raw.
func toRaw(v any) any {
	switch t := v.(type) {
	case object:
		m := make(map[string]any, len(t))
		for _, kv := range t {
			m[kv.Key] = toRaw(kv.Val)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = toRaw(e)
		}
		return l
	default:
		return v
	}
}

// child is the path of key under path: `allow` + `and` = `allow.and`.
func child(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index is the path of element i under path: `allow.and[2]`.
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
