package configyaml

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render/rendertest"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestExportCurrentFollowsClusters(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		f := rendertest.Seed(t, s)
		callers := apptest.Callers{Store: s, Admins: []string{apptest.RootEmail}, At: apptest.Created}
		engAdmin := callers.Caller(t, apptest.Roles{apptest.Eng: rbac.RoleAdmin})
		whole, _ := importEnv{store: s, root: f.Access}.exported(t)
		svc := NewService(s, f.Sealer, apptest.Clock, policies.CompilePPL)
		got, err := svc.ExportCurrent(t.Context(), f.Access, db.GlobalNamespaceID)
		if err != nil || !bytes.Equal(got.YAML, whole) {
			t.Fatalf("the default cluster's export differs from the rendered model: %v", err)
		}
		// Engineering is served by the default cluster, bound to Global:
		// its admin may not export Global's secrets.
		if _, err := svc.ExportCurrent(t.Context(), engAdmin, apptest.Eng); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an Engineering admin's export = %v, want forbidden", err)
		}
		if err := s.CreateCluster(t.Context(), db.Cluster{ID: "eng", Name: "Engineering", NamespaceID: apptest.Eng, CreatedAt: apptest.Created, ModifiedAt: apptest.Created}); err != nil {
			t.Fatal(err)
		}
		eng, err := svc.ExportCurrent(t.Context(), engAdmin, apptest.Eng)
		if err != nil {
			t.Fatal(err)
		}
		global, err := svc.ExportCurrent(t.Context(), f.Access, db.GlobalNamespaceID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what string
			yaml []byte
			in   []string
			out  []string
		}{
			{"Engineering's cluster", eng.YAML, []string{"name: Grafana\n", "name: Legacy\n"}, []string{"name: Maintenance\n", "name: Database\n", "cookie_secret"}},
			{"the default cluster", global.YAML, []string{"name: Maintenance\n", "name: Database\n", "cookie_secret"}, []string{"name: Grafana\n", "name: Legacy\n"}},
		} {
			for _, s := range c.in {
				if !strings.Contains(string(c.yaml), s) {
					t.Errorf("%s's export lacks %q", c.what, s)
				}
			}
			for _, s := range c.out {
				if strings.Contains(string(c.yaml), s) {
					t.Errorf("%s's export holds %q", c.what, s)
				}
			}
		}
	})
}
