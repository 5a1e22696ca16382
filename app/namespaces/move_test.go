package namespaces_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestMovesAndRenamesMarkTheConfigurationChanged(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		var asked [][2]string
		e.svc.WithMoveChecks(func(_ context.Context, _ db.Store, tree *nstree.Tree, nsID, newParentID string) ([]string, error) {
			asked = append(asked, [2]string{nsID, newParentID})
			if newParentID == fin {
				return []string{`route "a"`, `route "b"`}, nil
			}
			return nil, nil
		})
		acc := e.Resolve(t, root)
		apptest.WantRefused(t, s, apptest.Field("parentId", errs.CodeConflict, `moving here would break route "a"; route "b"`),
			func() (db.Namespace, error) {
				return e.svc.Update(t.Context(), acc, prod, namespaces.UpdateInput{ParentID: new(fin)})
			})

		before := storetest.Capture(t, s)
		if _, err := e.svc.Update(t.Context(), acc, prod, namespaces.UpdateInput{ParentID: new(team)}); err != nil {
			t.Fatal(err)
		}
		if got := storetest.Capture(t, s).Revision; got != before.Revision+1 {
			t.Fatalf("a move must mark the configuration changed: revision %d, want %d", got, before.Revision+1)
		}
		if _, err := e.svc.Update(t.Context(), acc, prod, namespaces.UpdateInput{Name: new("prod")}); err != nil {
			t.Fatal(err)
		}
		if got := storetest.Capture(t, s).Revision; got != before.Revision+2 {
			t.Fatalf("a rename renames the routes' stat names, so it marks the configuration changed: revision %d, want %d", got, before.Revision+2)
		}
		if want := [][2]string{{prod, fin}, {prod, team}}; !slices.Equal(asked, want) {
			t.Fatalf("checks asked %v, want %v (only moves are checked)", asked, want)
		}
	})
}

func TestMoveCheckFailureIsAnError(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	boom := errors.New("boom")
	e.svc.WithMoveChecks(func(context.Context, db.Store, *nstree.Tree, string, string) ([]string, error) { return nil, boom })
	before := storetest.Capture(t, s)
	_, err := e.svc.Update(t.Context(), e.Resolve(t, root), prod, namespaces.UpdateInput{ParentID: new(team)})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the check's error", err)
	}
	before.Unchanged(t, s)
}
