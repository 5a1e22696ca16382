package deploy

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
)

func testSealer(t *testing.T) *seal.Sealer {
	t.Helper()
	return apptest.NewSealer(t)
}

func TestDiffModels(t *testing.T) {
	t.Parallel()
	debug := "debug"
	base := render.Model{
		ClusterID: "default",
		Routes:    []render.Route{{ID: "r1", Name: "one", From: "https://one.example.com"}, {ID: "r2", Name: "two", From: "https://two.example.com"}},
		Policies:  []render.Policy{{ID: "p1", Name: "pol", PPL: "allow: {}"}},
		KeyPairs:  []render.KeyPair{{ID: "k1", Name: "cert", CertificatePEM: "pem"}},
	}
	tests := []struct {
		name string
		edit func(m *render.Model)
		want []string
	}{
		{"same", func(*render.Model) {}, nil},
		{"route changed", func(m *render.Model) { m.Routes[0].To = []string{"http://x"} }, []string{"changed route one"}},
		{"route added and removed", func(m *render.Model) {
			m.Routes = []render.Route{m.Routes[0], {ID: "r3", Name: "three"}}
		}, []string{"added route three", "removed route two"}},
		{"settings first, then policies and key pairs", func(m *render.Model) {
			m.Settings.Values = settings.Values{LogLevel: &debug}
			m.Policies[0].PPL = "allow: {or: []}"
			m.KeyPairs[0].Name = "renamed"
		}, []string{"changed settings Global settings", "changed policy pol", "changed key_pair renamed"}},
		{"nil and empty lists are the same", func(m *render.Model) { m.Routes[0].To = []string{} }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			next := clone(t, base)
			tc.edit(&next)
			var got []string
			for _, ch := range Diff(base, next) {
				got = append(got, ch.Kind+" "+ch.Type+" "+ch.Name)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("changes %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("changes %q, want %q", got, tc.want)
				}
			}
			if c := CountOf(Diff(base, next)); c.Total() != len(tc.want) {
				t.Errorf("counts %+v", c)
			}
		})
	}
}

// clone deep-copies m through its stored form.
func clone(t *testing.T, m render.Model) render.Model {
	t.Helper()
	s, err := encodeModel(m)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeModel(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
