package render

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/render/rendertest"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendered output (run with -update after checking the change):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where want and got part.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + wl + "\n  got  " + gl
		}
	}
	return "(same lines, different bytes)"
}

// contentLabels adds to the id labels the long texts the golden file
// names instead of spelling out: each policy's Rego and each key pair's
// base64 PEM. Only an exact match is replaced, so a Rego or PEM rendered
// wrong still shows in full.
func (f *fixture) contentLabels(t *testing.T, m Model) map[string]string {
	t.Helper()
	labels := maps.Clone(f.Labels)
	for _, p := range m.Policies {
		labels[p.Rego] = "<Rego of " + p.Name + ">"
	}
	for _, k := range []struct{ name, cert, key string }{{"Root CA", "ca.pem", ""}, {"Client", "client.pem", "client.key"}, {"Wildcard", "wildcard.pem", "wildcard.key"}} {
		labels[base64.StdEncoding.EncodeToString([]byte(testdata(t, k.cert)))] = "<base64 certificate of " + k.name + ">"
		if k.key != "" {
			labels[base64.StdEncoding.EncodeToString([]byte(testdata(t, k.key)))] = "<base64 private key of " + k.name + ">"
		}
	}
	return labels
}

// stableJSON is cfg as indented JSON with sorted keys and the fixture's ids
// replaced by their labels, so the golden file does not depend on the
// random ids of one run.
func stableJSON(t *testing.T, cfg *configpb.Config, labels map[string]string) []byte {
	t.Helper()
	raw, err := protojson.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(relabel(doc, labels)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func relabel(v any, labels map[string]string) any {
	switch x := v.(type) {
	case string:
		if l, ok := labels[x]; ok {
			return l
		}
		return x
	case []any:
		for i := range x {
			x[i] = relabel(x[i], labels)
		}
	case map[string]any:
		for k := range x {
			x[k] = relabel(x[k], labels)
		}
	}
	return v
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		f := seedRich(t, s)
		m := f.load(t)
		cfg, err := Render(m, f.Sealer)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "rich.golden.json", stableJSON(t, cfg, f.contentLabels(t, m)))
	})
}

func TestRichFixtureSetsEveryRouteField(t *testing.T) {
	t.Parallel()
	f := seedRich(t, storetest.OpenSQLite(t))
	set := map[string]bool{}
	for _, r := range f.load(t).Routes {
		markSet(set, "", reflect.ValueOf(r))
	}
	for _, name := range fieldNames("", reflect.TypeFor[Route]()) {
		if !set[name] {
			t.Errorf("no route of the rich fixture sets %s", name)
		}
	}
}

// fieldNames lists the leaf fields of a struct type, nested structs by path.
func fieldNames(prefix string, typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Type.Kind() == reflect.Struct {
			out = append(out, fieldNames(prefix+f.Name+".", f.Type)...)
			continue
		}
		out = append(out, prefix+f.Name)
	}
	return out
}

// markSet records which leaf fields of v are not zero.
func markSet(set map[string]bool, prefix string, v reflect.Value) {
	for i := range v.NumField() {
		f, name := v.Field(i), prefix+v.Type().Field(i).Name
		if f.Kind() == reflect.Struct {
			markSet(set, name+".", f)
			continue
		}
		if !f.IsZero() {
			set[name] = true
		}
	}
}

func TestRenderOpensSecrets(t *testing.T) {
	t.Parallel()
	f := seedRich(t, storetest.OpenSQLite(t))
	cfg, err := Render(f.load(t), f.Sealer)
	if err != nil {
		t.Fatal(err)
	}
	st := cfg.GetSettings()
	byName := map[string]*configpb.Route{}
	for _, r := range cfg.GetRoutes() {
		byName[r.GetName()] = r
	}
	for _, c := range []struct{ what, got, want string }{
		{"route idp_client_secret", byName["Grafana"].GetIdpClientSecret(), rendertest.SecretRouteIDP},
		{"route kubernetes_service_account_token", byName["Grafana API"].GetKubernetesServiceAccountToken(), rendertest.SecretRouteToken},
		{"cookie_secret", st.GetCookieSecret(), rendertest.SecretCookie},
		{"idp_client_secret", st.GetIdpClientSecret(), rendertest.SecretIDPClient},
		{"databroker_storage_connection_string", st.GetDatabrokerStorageConnectionString(), rendertest.SecretStorage},
		{"google_cloud_serverless_authentication_service_account", st.GetGoogleCloudServerlessAuthenticationServiceAccount(), rendertest.SecretGCPSAbase64},
		{"tls_client_key", decode(t, byName["Grafana"].GetTlsClientKey()), testdata(t, "client.key")},
		{"certificates[0].key_bytes", string(st.GetCertificates()[0].GetKeyBytes()), testdata(t, "wildcard.key")},
	} {
		if strings.TrimSpace(c.got) != strings.TrimSpace(c.want) {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
}

// marshal is Core's view of cfg: its deterministic wire bytes.
func marshal(t *testing.T, cfg *configpb.Config) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRenderIsDeterministic(t *testing.T) {
	t.Parallel()
	f := seedRich(t, storetest.OpenSQLite(t))
	m := f.load(t)
	first, err := Render(m, f.Sealer)
	if err != nil {
		t.Fatal(err)
	}
	// The same model after a trip through JSON (as a deployment stores it)
	// and with its lists shuffled renders to the same bytes.
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		var again Model
		if err := json.Unmarshal(raw, &again); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		rng.Shuffle(len(again.Routes), func(a, b int) { again.Routes[a], again.Routes[b] = again.Routes[b], again.Routes[a] })
		rng.Shuffle(len(again.Policies), func(a, b int) { again.Policies[a], again.Policies[b] = again.Policies[b], again.Policies[a] })
		rng.Shuffle(len(again.KeyPairs), func(a, b int) { again.KeyPairs[a], again.KeyPairs[b] = again.KeyPairs[b], again.KeyPairs[a] })
		cfg, err := Render(again, f.Sealer)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(marshal(t, first), marshal(t, cfg)) {
			t.Fatalf("render %d differs from the first", i)
		}
	}
}

func decode(t *testing.T, b64 string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("%q is not base64: %v", b64, err)
	}
	return string(b)
}
