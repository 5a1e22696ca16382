package render

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/render/rendertest"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// fixture is the shared rich example with what the render tests add.
type fixture struct {
	*rendertest.Fixture
}

func seedRich(t *testing.T, s db.Store) *fixture {
	t.Helper()
	return &fixture{rendertest.Seed(t, s)}
}

// load reads the fixture's model for the default cluster at Global.
func (f *fixture) load(t testing.TB) Model {
	t.Helper()
	m, err := Load(t.Context(), f.Store, f.Access.Tree(), settings.DefaultClusterID, db.GlobalNamespaceID)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// testdata is a PEM file of the fixture.
func testdata(t testing.TB, name string) string {
	t.Helper()
	return rendertest.PEM(t, name)
}
