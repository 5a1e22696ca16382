package configyaml

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	goccy "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"
)

// Option changes how Parse reads a file.
type Option func(*parser)

// WithReadFile lets Parse read the files a config.yaml names (certificate,
// CA and token files), e.g. relative to the file on disk, or inside an
// uploaded archive. Without it, keys naming files are not imported.
func WithReadFile(read func(name string) ([]byte, error)) Option {
	return func(p *parser) { p.readFile = read }
}

// parser turns one file into a Plan, collecting every problem.
type parser struct {
	file     string
	readFile func(name string) ([]byte, error)
	plan     *Plan
	problems Problems
	lines    map[string]int // key path → line
	keyAt    map[int]string // line → the first key path on it
	pairs    map[string]int // certificate+key PEM → index in plan.KeyPairs
	policies map[string]int // canonical PPL → index in plan.Policies
}

// Parse reads an open-source Pomerium config.yaml (file names it in
// messages) into a Plan. It fails with Problems, every one with its file,
// line and key, when the YAML does not parse, a key is not one Core knows,
// a value has the wrong type or does not convert, a route has no from, or
// a policy is not valid PPL. Keys Core knows but the console does not
// manage are listed in Plan.Unsupported instead.
func Parse(file string, data []byte, opts ...Option) (*Plan, error) {
	p := &parser{
		file: file, lines: map[string]int{}, keyAt: map[int]string{}, pairs: map[string]int{}, policies: map[string]int{},
		plan: &Plan{File: file, Settings: SettingsPlan{CertificateAuthority: -1, DownstreamCA: -1}},
	}
	for _, o := range opts {
		o(p)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := syntaxError(data, err)
		return nil, Problems{{File: file, Line: line, Message: msg}}
	}
	if len(doc.Content) == 0 {
		return nil, Problems{{File: file, Message: "the file is empty: expected Pomerium's options, e.g. routes:"}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, Problems{{File: file, Line: root.Line, Message: "expected a mapping of Pomerium's options (key: value lines), e.g. routes:"}}
	}
	p.renameLegacyPolicy(root)
	p.checkKeys(root, reflect.TypeFor[coreConfig](), "", unsupportedSettings)
	var cfg coreConfig
	if err := root.Decode(&cfg); err != nil {
		p.typeErrors(err)
	}
	p.settings(cfg)
	for i, r := range cfg.Routes {
		p.route(i, r)
	}
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return p.plan, nil
}

// legacyRenamed is what a top-level policy beside routes is renamed to, so
// that it is reported once and not read.
const legacyRenamed = "\x00policy"

// renameLegacyPolicy reads the top-level `policy` list, Core's old name
// for routes, as routes.
func (p *parser) renameLegacyPolicy(root *yaml.Node) {
	var legacy, routes *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "policy":
			legacy = root.Content[i]
		case "routes":
			routes = root.Content[i]
		}
	}
	switch {
	case legacy == nil:
	case routes != nil:
		p.fail(legacy.Line, "policy", "list the routes under routes only: policy is Core's old name for the same list")
		legacy.Value = legacyRenamed
	default:
		legacy.Value = "routes"
	}
}

// fail records a problem.
func (p *parser) fail(line int, key, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Key: key, Message: fmt.Sprintf(format, args...)})
}

// failKey records a problem with the key at path.
func (p *parser) failKey(path, format string, args ...any) {
	p.fail(p.lines[path], path, format, args...)
}

// unsupported records a key the console does not import.
func (p *parser) unsupported(line int, key, reason string) {
	p.plan.Unsupported = append(p.plan.Unsupported, Problem{File: p.file, Line: line, Key: key, Message: reason})
}

// checkKeys walks a mapping against the YAML fields of typ, recording the
// line of every key, refusing keys Core does not know and setting aside
// those the console does not import.
func (p *parser) checkKeys(n *yaml.Node, typ reflect.Type, path string, unsupported map[string]string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	fields := yamlFields(typ)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" {
			continue // a YAML merge key: Decode applies it
		}
		key := k.Value
		if path != "" {
			key = path + "." + k.Value
		}
		p.lines[key] = k.Line
		if _, ok := p.keyAt[k.Line]; !ok {
			p.keyAt[k.Line] = key
		}
		ft, known := fields[k.Value]
		switch {
		case known:
			p.descend(v, ft, key, k.Value)
		case unsupported[k.Value] != "":
			p.unsupported(k.Line, key, unsupported[k.Value])
		case k.Value == legacyRenamed:
			// reported by renameLegacyPolicy
		default:
			p.fail(k.Line, key, "is not an option Pomerium Core knows here (check its spelling and indentation)")
		}
	}
}

// descend checks the keys of a nested object or list of objects.
func (p *parser) descend(v *yaml.Node, ft reflect.Type, key, name string) {
	for ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	nested := unsupportedNested[name]
	if name == "routes" {
		nested = unsupportedRoute
	}
	switch {
	case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && v.Kind == yaml.SequenceNode:
		for j, item := range v.Content {
			itemKey := fmt.Sprintf("%s[%d]", key, j)
			p.lines[itemKey] = item.Line
			p.checkKeys(item, ft.Elem(), itemKey, nested)
		}
	case ft.Kind() == reflect.Struct && ft != reflect.TypeFor[yaml.Node]():
		p.checkKeys(v, ft, key, nested)
	}
}

// yamlFields maps the YAML names of typ's fields (inline ones flattened)
// to their types.
func yamlFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name != "" && name != "-" {
			out[name] = f.Type
		}
	}
	return out
}

var (
	lineRE   = regexp.MustCompile(`line (\d+): `)
	typeRE   = regexp.MustCompile("cannot unmarshal !!(\\w+) `?([^`]*)`? into (.+)$")
	prefixRE = regexp.MustCompile(`^yaml: (line \d+: )?`)
)

// syntaxError is the line and message of a YAML syntax error. yaml.v3
// sometimes names the line of the enclosing block, so goccy/go-yaml's
// parser, which names the offending token, is asked first.
func syntaxError(src []byte, err error) (int, string) {
	var ge goccy.Error
	if _, perr := goccyparser.ParseBytes(src, 0); errors.As(perr, &ge) {
		if tk := ge.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line, fmt.Sprintf("is not valid YAML: column %d: %s", tk.Position.Column, ge.GetMessage())
		}
	}
	msg := err.Error()
	line := 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return line, "is not valid YAML: " + prefixRE.ReplaceAllString(msg, "")
}

// typeErrors records each value Decode could not read, at its key.
func (p *parser) typeErrors(err error) {
	te, ok := err.(*yaml.TypeError)
	if !ok {
		line, msg := syntaxError(nil, err)
		p.fail(line, "", "%s", msg)
		return
	}
	for _, e := range te.Errors {
		line := 0
		if m := lineRE.FindStringSubmatch(e); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := lineRE.ReplaceAllString(e, "")
		if m := typeRE.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("must be %s (got %q)", expected(m[3]), m[2])
		}
		p.fail(line, p.keyAt[line], "%s", msg)
	}
}

// expected words a Go type for a message.
func expected(goType string) string {
	switch {
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "configyaml."):
		return "a mapping (key: value lines)"
	}
	return "text"
}
