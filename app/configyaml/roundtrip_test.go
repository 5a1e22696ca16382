package configyaml

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/app/render/rendertest"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// exported renders the model of env's store and exports it.
func (env importEnv) exported(t *testing.T) ([]byte, render.Model) {
	t.Helper()
	m, err := render.Load(t.Context(), env.store, env.root.Tree(), settings.DefaultClusterID, db.GlobalNamespaceID)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := render.Render(m, apptest.NewSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Export(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b, m
}

// importInto applies a file into a fresh store's Engineering namespace.
func importInto(t *testing.T, s db.Store, name string, src []byte) importEnv {
	t.Helper()
	env := newEnv(t, s)
	if _, err := env.svc.Apply(t.Context(), env.root, parse(t, name, src), apptest.Eng); err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return env
}

// TestRoundTrip imports oss.yaml, renders and exports it, and imports that
// export into another store: the two models are the same, and so are the
// two exports. The first export is the golden file.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		first, m1 := importInto(t, s, "oss.yaml", readTestdata(t, "oss.yaml")).exported(t)
		golden(t, "oss.export.yaml", first)
		second, m2 := importInto(t, storetest.OpenSQLite(t), "export.yaml", first).exported(t)
		if !bytes.Equal(first, second) {
			t.Errorf("the export of the re-imported export differs:\n%s", second)
		}
		if a, b := comparable(t, m1), comparable(t, m2); !reflect.DeepEqual(a, b) {
			t.Errorf("the models differ:\n%+v\n%+v", a, b)
		}
	})
}

// TestRichModelRoundTrip exports the shared rich example, which sets every
// route field: the console's own services take back every rendered route,
// policy, key pair and setting, and exporting again changes nothing.
func TestRichModelRoundTrip(t *testing.T) {
	t.Parallel()
	f := rendertest.Seed(t, storetest.OpenSQLite(t))
	env := importEnv{store: f.Store, root: f.Access}
	first, _ := env.exported(t)
	fresh := newEnv(t, storetest.OpenSQLite(t))
	preview, err := fresh.svc.Preview(t.Context(), fresh.root, parse(t, "rich.yaml", first), apptest.Eng)
	if err != nil {
		t.Fatal(err)
	}
	if !preview.OK() || preview.Count(KindRoute, StatusCreate) != 8 {
		t.Fatalf("the rendered routes do not pass the console's validation: %v", preview.Problems())
	}
	second, _ := importInto(t, storetest.OpenSQLite(t), "rich.yaml", first).exported(t)
	if !bytes.Equal(first, second) {
		t.Errorf("export → import → export changed the file:\n%s\n---\n%s", first, second)
	}
}

// comparable is a model without what differs between two stores: ids,
// sealed values and names the import chose.
func comparable(t *testing.T, m render.Model) map[string]any {
	t.Helper()
	out := map[string]any{"settings": m.Settings.Values.LogLevel, "secrets": len(m.Settings.Secrets), "certificates": len(m.CertificateIDs)}
	ppl := map[string]string{}
	for _, p := range m.Policies {
		ppl[p.ID] = p.PPL
	}
	for _, r := range m.Routes {
		r.Spec.SealedIdentityProviderClientSecret, r.Spec.SealedKubernetesServiceAccountToken = "", ""
		var rules []string
		for _, id := range append(r.EnforcedPolicyIDs, r.PolicyIDs...) {
			rules = append(rules, ppl[id])
		}
		out[r.From+r.Prefix+r.Path+r.Regex] = []any{r.Name, r.To, r.Spec, rules, r.TLSCustomCAKeyPairID != "", r.TLSClientKeyPairID != ""}
	}
	return out
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readTestdata(t, name); !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking the change):\n%s", path, got)
	}
}
