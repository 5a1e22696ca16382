package render

import (
	"fmt"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// BenchmarkRender10000Routes renders a model of 10,000 routes with
// policies, headers and a timeout each (the scale).
func BenchmarkRender10000Routes(b *testing.B) {
	m := Model{ClusterID: "default", Policies: []Policy{
		{ID: "p1", Name: "Enforced", PPL: "allow:\n  or:\n    - accept: true\n", Rego: "package pomerium.policy\n\nallow := true\n"},
		{ID: "p2", Name: "Optional", PPL: "allow:\n  or:\n    - accept: true\n", Rego: "package pomerium.policy\n\nallow := true\n"},
	}}
	for i := range 10_000 {
		m.Routes = append(m.Routes, Route{
			ID: fmt.Sprintf("r%05d", i), Name: fmt.Sprintf("app %d", i), NamespacePath: []string{"Global", "Team"},
			From: fmt.Sprintf("https://app%d.example.com", i), To: []string{"http://upstream:8080"}, Prefix: "/",
			EnforcedPolicyIDs: []string{"p1"}, PolicyIDs: []string{"p2"},
			Spec: db.RouteSpec{Timeout: "30s", SetRequestHeaders: map[string]string{"X-App": "app"}},
		})
	}
	sealer := apptest.NewSealer(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(m, sealer); err != nil {
			b.Fatal(err)
		}
	}
}
