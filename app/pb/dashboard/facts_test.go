package dashboard

import (
	"bufio"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// apiFile is one "#### <file>.proto" block of testdata/enterprise-api.facts,
// with every type name resolved to its full name so it compares directly with
// a protoreflect descriptor.
type apiFile struct {
	name     string // "routes.proto"
	syntax   string
	pkg      string
	imports  []string
	services []apiService
	messages []string // top-level, declaration order
	enums    []string // top-level, declaration order
}

type apiService struct {
	name string
	rpcs []apiRPC
}

type apiRPC struct{ name, in, out string }

type apiMessage struct {
	name     string // full name
	fields   []apiField
	reserved []int
	nested   []string // full names, declaration order
	enums    []string // full names, declaration order
}

type apiField struct {
	number     int
	name       string
	label      string // "", "repeated", "optional", "oneof:<group>" or "map"
	typ        string // scalar kind, "enum <full name>", message full name or "map<K,V>"
	deprecated bool
}

type apiEnum struct {
	name   string
	values []string // "NAME=number", declaration order
}

// apiFacts is the whole parsed table.
type apiFacts struct {
	files    []*apiFile
	messages map[string]*apiMessage
	enums    map[string]*apiEnum
}

// Imports the reference lists but our files leave out on purpose: PGV's
// options do not touch the wire and validate.proto is not available here.
var skippedImports = map[string]bool{"validate/validate.proto": true}

var (
	reNote    = regexp.MustCompile(`\s+\[[^\[\]]*absent[^\[\]]*\]$`)
	reOpts    = regexp.MustCompile(`\s*\{opts: (.*)\}$`)
	reService = regexp.MustCompile(`^service (\w+)$`)
	reRPC     = regexp.MustCompile(`^  rpc (\w+)\(([\w.]+)\) -> ([\w.]+)$`)
	reEnum    = regexp.MustCompile(`^(\s*)enum ([\w.]+): (.*)$`)
	reMessage = regexp.MustCompile(`^message ([\w.]+)$`)
	reReserve = regexp.MustCompile(`^  reserved (\d+)$`)
	reField   = regexp.MustCompile(`^  (\d+) (\w+) (.*)$`)
	reMap     = regexp.MustCompile(`^map<(\w+),([\w.]+)>$`)
)

var scalarKinds = map[string]bool{
	"double": true, "float": true, "int32": true, "int64": true, "uint32": true, "uint64": true,
	"sint32": true, "sint64": true, "fixed32": true, "fixed64": true, "sfixed32": true, "sfixed64": true,
	"bool": true, "string": true, "bytes": true,
}

// rawField keeps a field's type as written until every file is read, since
// a type may be declared in a later file.
type rawField struct {
	msg    *apiMessage
	idx    int
	pkg    string
	isEnum bool
	typ    string // as written; "map<K,V>" for maps
}

// parseFacts reads the reference notation (see section 5 of
// reference/enterprise-api.md). Unknown lines are errors so that a typo in
// the facts cannot silently drop an element from the comparison.
func parseFacts(text string) (*apiFacts, error) {
	facts := &apiFacts{messages: map[string]*apiMessage{}, enums: map[string]*apiEnum{}}
	var (
		file    *apiFile
		msg     *apiMessage
		svc     *apiService
		pending []rawField
	)
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := reNote.ReplaceAllString(raw, "")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "//") {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("facts line %d %q: %s", n, raw, fmt.Sprintf(format, args...))
		}
		if name, ok := strings.CutPrefix(line, "#### "); ok {
			file = &apiFile{name: strings.TrimSpace(name)}
			facts.files = append(facts.files, file)
			msg, svc = nil, nil
			continue
		}
		if file == nil {
			return nil, fail("outside a #### file block")
		}
		full := func(name string) string { return file.pkg + "." + name }
		if strings.HasPrefix(line, "syntax=") {
			for kv := range strings.FieldsSeq(line) {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "syntax":
					file.syntax = v
				case "package":
					file.pkg = v
				}
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "imports:"); ok {
			for imp := range strings.SplitSeq(rest, ",") {
				if imp = strings.TrimSpace(imp); imp != "" && !skippedImports[imp] {
					file.imports = append(file.imports, imp)
				}
			}
			continue
		}
		if m := reService.FindStringSubmatch(line); m != nil {
			file.services = append(file.services, apiService{name: m[1]})
			svc, msg = &file.services[len(file.services)-1], nil
			continue
		}
		if m := reRPC.FindStringSubmatch(line); m != nil {
			if svc == nil {
				return nil, fail("rpc outside a service")
			}
			svc.rpcs = append(svc.rpcs, apiRPC{name: m[1], in: m[2], out: m[3]})
			continue
		}
		if m := reEnum.FindStringSubmatch(line); m != nil {
			e := &apiEnum{name: full(m[2])}
			for v := range strings.SplitSeq(m[3], ",") {
				e.values = append(e.values, strings.TrimSpace(v))
			}
			if facts.enums[e.name] != nil {
				return nil, fail("enum declared twice")
			}
			facts.enums[e.name] = e
			if m[1] == "" {
				file.enums = append(file.enums, e.name)
				continue
			}
			parent := facts.messages[e.name[:strings.LastIndex(e.name, ".")]]
			if parent == nil || parent != msg {
				return nil, fail("nested enum outside its message block")
			}
			parent.enums = append(parent.enums, e.name)
			continue
		}
		if m := reMessage.FindStringSubmatch(line); m != nil {
			msg, svc = &apiMessage{name: full(m[1])}, nil
			if facts.messages[msg.name] != nil {
				return nil, fail("message declared twice")
			}
			facts.messages[msg.name] = msg
			if outer, _, nested := strings.Cut(m[1], "."); !nested {
				file.messages = append(file.messages, msg.name)
			} else if p := facts.messages[full(m[1][:strings.LastIndex(m[1], ".")])]; p != nil {
				p.nested = append(p.nested, msg.name)
			} else {
				return nil, fail("nested message before its parent %s", outer)
			}
			continue
		}
		if msg == nil {
			return nil, fail("not inside a message")
		}
		if m := reReserve.FindStringSubmatch(line); m != nil {
			num, _ := strconv.Atoi(m[1])
			msg.reserved = append(msg.reserved, num)
			continue
		}
		m := reField.FindStringSubmatch(line)
		if m == nil {
			return nil, fail("not a field, enum, reserved, rpc or header line")
		}
		num, _ := strconv.Atoi(m[1])
		f := apiField{number: num, name: m[2]}
		rest := m[3]
		if o := reOpts.FindStringSubmatchIndex(rest); o != nil {
			// Only deprecated reaches the descriptor; PGV rules are dropped on purpose.
			f.deprecated = strings.Contains(rest[o[2]:o[3]], "deprecated:true")
			rest = rest[:o[0]]
		}
		words := strings.Fields(rest)
		if len(words) > 1 && (words[0] == "repeated" || words[0] == "optional" || strings.HasPrefix(words[0], "oneof:")) {
			f.label, words = words[0], words[1:]
		}
		isEnum := len(words) == 2 && words[0] == "enum"
		if isEnum {
			words = words[1:]
		}
		if len(words) != 1 {
			return nil, fail("cannot read the field's type")
		}
		if reMap.MatchString(words[0]) {
			if f.label != "" {
				return nil, fail("a map field takes no label")
			}
			f.label = "map"
		}
		if slices.ContainsFunc(msg.fields, func(o apiField) bool { return o.number == f.number }) {
			return nil, fail("field number used twice in %s", msg.name)
		}
		msg.fields = append(msg.fields, f)
		pending = append(pending, rawField{msg: msg, idx: len(msg.fields) - 1, pkg: file.pkg, isEnum: isEnum, typ: words[0]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, file := range facts.files {
		for i := range file.services {
			for j := range file.services[i].rpcs {
				r := &file.services[i].rpcs[j]
				r.in, r.out = facts.resolve(file.pkg, r.in), facts.resolve(file.pkg, r.out)
			}
		}
	}
	for _, p := range pending {
		f := &p.msg.fields[p.idx]
		if m := reMap.FindStringSubmatch(p.typ); m != nil {
			f.typ = "map<" + facts.typeName(p.pkg, m[1], false) + "," + facts.typeName(p.pkg, m[2], false) + ">"
			continue
		}
		f.typ = facts.typeName(p.pkg, p.typ, p.isEnum)
	}
	return facts, nil
}

// typeName renders a field type the way describeField does for descriptors.
func (f *apiFacts) typeName(pkg, name string, isEnum bool) string {
	if scalarKinds[name] && !isEnum {
		return name
	}
	full := f.resolve(pkg, name)
	if isEnum || f.enums[full] != nil {
		return "enum " + full
	}
	return full
}

// resolve qualifies a name written relative to the file's package; names the
// table does not declare (google.protobuf.*) are already full.
func (f *apiFacts) resolve(pkg, name string) string {
	if full := pkg + "." + name; f.messages[full] != nil || f.enums[full] != nil {
		return full
	}
	return name
}
