package dashboard

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	// Registers recording/recording_data.proto, the table's section 7.
	_ "github.com/pomerium-console-oss/pomerium-console/app/pb/recording"
)

// The proto packages the table covers, and the totals it states in section 1.
var apiPackages = []protoreflect.FullName{"pomerium.dashboard", "recording"}

const (
	wantFiles    = 15
	wantServices = 15
	wantRPCs     = 74
	wantMessages = 213
	wantEnums    = 17
)

func loadFacts(t *testing.T) *apiFacts {
	t.Helper()
	b, err := os.ReadFile("testdata/enterprise-api.facts")
	if err != nil {
		t.Fatal(err)
	}
	facts, err := parseFacts(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return facts
}

// TestDescriptorsMatchReference checks every file, service, RPC, message,
// field, enum and enum value of our compiled .proto files against the
// reference table, so the upstream clients' wire format and server
// reflection see exactly upstream's API.
func TestDescriptorsMatchReference(t *testing.T) {
	t.Parallel()
	facts := loadFacts(t)
	for _, d := range compareAPI(facts, protoregistry.GlobalFiles) {
		t.Error(d)
	}
}

// TestReferenceTotals pins the counts section 1 states, on both sides, so a
// block dropped from the facts file cannot shrink the comparison unnoticed.
func TestReferenceTotals(t *testing.T) {
	t.Parallel()
	facts := loadFacts(t)
	var services, rpcs int
	for _, f := range facts.files {
		services += len(f.services)
		for _, s := range f.services {
			rpcs += len(s.rpcs)
		}
	}
	got := [5]int{len(facts.files), services, rpcs, len(facts.messages), len(facts.enums)}
	want := [5]int{wantFiles, wantServices, wantRPCs, wantMessages, wantEnums}
	if got != want {
		t.Errorf("facts totals (files, services, rpcs, messages, enums) = %v, want %v", got, want)
	}

	got = [5]int{}
	for _, pkg := range apiPackages {
		protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
			got[0]++
			got[1] += fd.Services().Len()
			for i := range fd.Services().Len() {
				got[2] += fd.Services().Get(i).Methods().Len()
			}
			walkMessages(fd.Messages(), func(md protoreflect.MessageDescriptor) {
				got[3]++
				got[4] += md.Enums().Len()
			})
			got[4] += fd.Enums().Len()
			return true
		})
	}
	if got != want {
		t.Errorf("descriptor totals (files, services, rpcs, messages, enums) = %v, want %v", got, want)
	}
}

// TestCompareAPIReportsDifferences shows the comparison fails, naming the
// element, when the table and the descriptors disagree.
func TestCompareAPIReportsDifferences(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/enterprise-api.facts")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"label", "  28 policy_ids repeated string\n", "  28 policy_ids optional string\n",
			"pomerium.dashboard.Route field 28 policy_ids: label got repeated want optional"},
		{"number", "  2 JWT string\n", "  3 JWT string\n",
			"pomerium.dashboard.AddPomeriumServiceAccountResponse field 3 JWT: missing"},
		{"type", "  13 db_version uint64\n", "  13 db_version int64\n",
			"pomerium.dashboard.ActivityLogEntry field 13 db_version: type got uint64 want int64"},
		{"enum value", "ED25519=4", "ED25519=5",
			"pomerium.dashboard.PublicKeyAlgorithm values: got"},
		{"deprecated", "  8 has_private_key bool {opts: deprecated:true}\n", "  8 has_private_key bool\n",
			"pomerium.dashboard.KeyPairRecord field 8 has_private_key: deprecated got true want false"},
		{"rpc", "rpc GetBrandingSettings(GetSettingsRequest)", "rpc GetBrandingSettings(GetConsoleSettingsRequest)",
			"pomerium.dashboard.SettingsService rpcs: got"},
		{"reserved", "  reserved 85\n", "  reserved 84\n", "pomerium.dashboard.Settings reserved: got"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			text := string(b)
			if strings.Count(text, tc.old) != 1 {
				t.Fatalf("facts hold %q %d times, want once", tc.old, strings.Count(text, tc.old))
			}
			facts, err := parseFacts(strings.Replace(text, tc.old, tc.new, 1))
			if err != nil {
				t.Fatal(err)
			}
			diffs := compareAPI(facts, protoregistry.GlobalFiles)
			if !slices.ContainsFunc(diffs, func(d string) bool { return strings.HasPrefix(d, tc.want) }) {
				t.Errorf("diffs %q lack %q", diffs, tc.want)
			}
		})
	}
}

// compareAPI lists every difference between the facts and the registered
// descriptors, one message per element.
func compareAPI(facts *apiFacts, files *protoregistry.Files) []string {
	var diffs []string
	errf := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	seen := map[string]bool{}
	for _, f := range facts.files {
		// Our files sit in a folder named after the proto package's last part.
		dir := f.pkg[strings.LastIndex(f.pkg, ".")+1:]
		seen[dir+"/"+f.name] = true
		fd, err := files.FindFileByPath(dir + "/" + f.name)
		if err != nil {
			errf("%s: not registered: %v", f.name, err)
			continue
		}
		compareFile(f, fd, facts, errf)
	}
	for _, pkg := range apiPackages {
		files.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
			if !seen[fd.Path()] {
				errf("%s: registered in package %s but not in the reference", fd.Path(), pkg)
			}
			return true
		})
	}
	return diffs
}

func compareFile(f *apiFile, fd protoreflect.FileDescriptor, facts *apiFacts, errf func(string, ...any)) {
	if got := fd.Syntax().String(); got != f.syntax {
		errf("%s: syntax got %s want %s", f.name, got, f.syntax)
	}
	if got := string(fd.Package()); got != f.pkg {
		errf("%s: package got %s want %s", f.name, got, f.pkg)
	}
	var imports []string
	for i := range fd.Imports().Len() {
		p := fd.Imports().Get(i).Path()
		if !strings.HasPrefix(p, "google/") {
			p = path.Base(p)
		}
		imports = append(imports, p)
	}
	compareList(f.name+" imports", imports, f.imports, errf)

	var services []string
	for i := range fd.Services().Len() {
		services = append(services, string(fd.Services().Get(i).Name()))
	}
	var wantServices []string
	for _, s := range f.services {
		wantServices = append(wantServices, s.name)
		sd := fd.Services().ByName(protoreflect.Name(s.name))
		if sd == nil {
			continue
		}
		var got, want []string
		for i := range sd.Methods().Len() {
			m := sd.Methods().Get(i)
			got = append(got, fmt.Sprintf("%s(%s)->%s", m.Name(), m.Input().FullName(), m.Output().FullName()))
			if m.IsStreamingClient() || m.IsStreamingServer() {
				errf("%s: streams; every RPC of the public API is unary", m.FullName())
			}
		}
		for _, r := range s.rpcs {
			want = append(want, fmt.Sprintf("%s(%s)->%s", r.name, r.in, r.out))
		}
		compareList(string(sd.FullName())+" rpcs", got, want, errf)
	}
	compareList(f.name+" services", services, wantServices, errf)

	compareList(f.name+" messages", names(fd.Messages()), f.messages, errf)
	compareList(f.name+" enums", names(fd.Enums()), f.enums, errf)
	for _, name := range f.enums {
		if ed := fd.Enums().ByName(shortName(name)); ed != nil {
			compareEnum(facts.enums[name], ed, errf)
		}
	}
	for _, name := range f.messages {
		if md := fd.Messages().ByName(shortName(name)); md != nil {
			compareMessage(facts.messages[name], md, facts, errf)
		}
	}
}

func compareMessage(m *apiMessage, md protoreflect.MessageDescriptor, facts *apiFacts, errf func(string, ...any)) {
	want := map[int]apiField{}
	var wantOrder []string
	for _, f := range m.fields {
		want[f.number] = f
		wantOrder = append(wantOrder, fmt.Sprintf("%d %s", f.number, f.name))
	}
	var gotOrder []string
	for i := range md.Fields().Len() {
		got := describeField(md.Fields().Get(i))
		gotOrder = append(gotOrder, fmt.Sprintf("%d %s", got.number, got.name))
		w, ok := want[got.number]
		if !ok {
			errf("%s field %d %s: not in the reference", m.name, got.number, got.name)
			continue
		}
		delete(want, got.number)
		prefix := fmt.Sprintf("%s field %d %s:", m.name, w.number, w.name)
		if got.name != w.name {
			errf("%s name got %s want %s", prefix, got.name, w.name)
		}
		if got.label != w.label {
			errf("%s label got %s want %s", prefix, orNone(got.label), orNone(w.label))
		}
		if got.typ != w.typ {
			errf("%s type got %s want %s", prefix, got.typ, w.typ)
		}
		if got.deprecated != w.deprecated {
			errf("%s deprecated got %t want %t", prefix, got.deprecated, w.deprecated)
		}
	}
	for _, f := range m.fields {
		if _, missing := want[f.number]; missing {
			errf("%s field %d %s: missing", m.name, f.number, f.name)
		}
	}
	if len(want) == 0 && len(gotOrder) == len(wantOrder) {
		// Only worth saying when the same fields are merely declared in another order.
		compareList(m.name+" field order", gotOrder, wantOrder, errf)
	}

	var reserved []string
	for i := range md.ReservedRanges().Len() {
		r := md.ReservedRanges().Get(i)
		for n := r[0]; n < r[1]; n++ {
			reserved = append(reserved, fmt.Sprint(n))
		}
	}
	var wantReserved []string
	for _, n := range m.reserved {
		wantReserved = append(wantReserved, fmt.Sprint(n))
	}
	compareList(m.name+" reserved", reserved, wantReserved, errf)
	if md.ReservedNames().Len() > 0 {
		errf("%s: reserves field names; the reference reserves only numbers", m.name)
	}

	var nested []protoreflect.MessageDescriptor
	for i := range md.Messages().Len() {
		if n := md.Messages().Get(i); !n.IsMapEntry() {
			nested = append(nested, n)
		}
	}
	var nestedNames []string
	for _, n := range nested {
		nestedNames = append(nestedNames, string(n.FullName()))
	}
	compareList(m.name+" nested messages", nestedNames, m.nested, errf)
	compareList(m.name+" nested enums", names(md.Enums()), m.enums, errf)
	for _, name := range m.enums {
		if ed := md.Enums().ByName(shortName(name)); ed != nil {
			compareEnum(facts.enums[name], ed, errf)
		}
	}
	for _, name := range m.nested {
		if n := md.Messages().ByName(shortName(name)); n != nil {
			compareMessage(facts.messages[name], n, facts, errf)
		}
	}
}

func compareEnum(e *apiEnum, ed protoreflect.EnumDescriptor, errf func(string, ...any)) {
	var got []string
	for i := range ed.Values().Len() {
		v := ed.Values().Get(i)
		got = append(got, fmt.Sprintf("%s=%d", v.Name(), v.Number()))
	}
	compareList(e.name+" values", got, e.values, errf)
}

// describeField renders a descriptor field in the facts' terms.
func describeField(fd protoreflect.FieldDescriptor) apiField {
	f := apiField{number: int(fd.Number()), name: string(fd.Name()), typ: kindName(fd)}
	switch o := fd.ContainingOneof(); {
	case fd.IsMap():
		f.label = "map"
		f.typ = "map<" + kindName(fd.MapKey()) + "," + kindName(fd.MapValue()) + ">"
	case fd.Cardinality() == protoreflect.Repeated:
		f.label = "repeated"
	case fd.HasOptionalKeyword():
		f.label = "optional"
	case o != nil && !o.IsSynthetic():
		f.label = "oneof:" + string(o.Name())
	}
	if opts, ok := fd.Options().(*descriptorpb.FieldOptions); ok {
		f.deprecated = opts.GetDeprecated()
	}
	return f
}

func kindName(fd protoreflect.FieldDescriptor) string {
	switch fd.Kind() {
	case protoreflect.EnumKind:
		return "enum " + string(fd.Enum().FullName())
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return string(fd.Message().FullName())
	}
	return fd.Kind().String()
}

// walkMessages visits every message, nested ones included, skipping the
// synthetic map-entry types the table does not count.
func walkMessages(mds protoreflect.MessageDescriptors, fn func(protoreflect.MessageDescriptor)) {
	for i := range mds.Len() {
		md := mds.Get(i)
		if md.IsMapEntry() {
			continue
		}
		fn(md)
		walkMessages(md.Messages(), fn)
	}
}

func names[T protoreflect.Descriptor](list interface {
	Len() int
	Get(int) T
}) []string {
	var out []string
	for i := range list.Len() {
		out = append(out, string(list.Get(i).FullName()))
	}
	return out
}

func compareList(what string, got, want []string, errf func(string, ...any)) {
	if !slices.Equal(got, want) {
		errf("%s: got %v want %v", what, got, want)
	}
}

func shortName(full string) protoreflect.Name {
	return protoreflect.Name(full[strings.LastIndex(full, ".")+1:])
}

func orNone(label string) string {
	if label == "" {
		return "(none)"
	}
	return label
}
