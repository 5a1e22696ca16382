package routes_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestMove(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
		in := minimal()
		in.PolicyIDs = []string{polEngOpt}
		old := e.seed(t, in)
		before := storetest.Capture(t, s)
		if err := e.svc.Move(t.Context(), acc, old.ID, prod); err != nil {
			t.Fatal(err)
		}
		want := old
		want.NamespaceID, want.ModifiedAt = prod, atStore(now)
		if got := stored(t, s, old.ID); !equalRoutes(got, want) {
			t.Fatalf("moved\n%+v\nwant\n%+v", got, want)
		}
		entry := wantEntry(t, s, before, acc, db.ActivityUpdate, want, "production")
		if !strings.Contains(entry.Before, `"namespaceId": "eng"`) || !strings.Contains(entry.After, `"namespaceId": "prod"`) {
			t.Errorf("entry does not show the move: %s → %s", entry.Before, entry.After)
		}
		// Moving to where it is changes nothing.
		same := storetest.Capture(t, s)
		if err := e.svc.Move(t.Context(), acc, old.ID, prod); err != nil {
			t.Fatal(err)
		}
		same.Unchanged(t, s)
	})
}

func TestMoveRefusals(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		in := minimal()
		in.PolicyIDs = []string{polEngOpt}
		r := e.seed(t, in)
		clash := minimal()
		clash.NamespaceID, clash.Name, clash.From, clash.PolicyIDs = fin, "APP", "https://other.example.com", nil
		e.seed(t, clash)
		tests := []struct {
			name string
			acc  *rbac.Access
			id   string
			ns   string
			want apptest.Refusal
		}{
			{"unknown target", e.Caller(t, apptest.Roles{eng: rbac.RoleManager}), r.ID, "missing", apptest.Forbidden(
				`you have no role on namespace "missing"; the manager role is needed`)},
			{"viewer of the target", e.Caller(t, apptest.Roles{eng: rbac.RoleManager, fin: rbac.RoleViewer}), r.ID, fin,
				apptest.Forbidden(`this needs the manager role on namespace "Finance"; you are a viewer there`)},
			{"viewer of the source", e.Caller(t, apptest.Roles{eng: rbac.RoleViewer, fin: rbac.RoleManager}), r.ID, fin,
				apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
			{"missing route", e.Caller(t, nil), "nope", fin, apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: route nope does not exist"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := storetest.Capture(t, s)
				tc.want.Check(t, e.svc.Move(t.Context(), tc.acc, tc.id, tc.ns))
				before.Unchanged(t, s)
			})
		}
		// The policy of Engineering is out of reach from Finance, and the
		// name is taken there: both are reported.
		before := storetest.Capture(t, s)
		err := e.svc.Move(t.Context(), e.Caller(t, nil), r.ID, fin)
		before.Unchanged(t, s)
		ve, ok := errs.AsValidation(err)
		if !ok || ve.Fields["name"].Code != errs.CodeConflict || !strings.Contains(ve.Fields["policyIds"].Message, `policy "Eng optional" of namespace "Engineering" is out of reach`) {
			t.Fatalf("err = %v, want the name taken and the policy out of reach", err)
		}
	})
}

func TestDetachPolicy(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a := minimal()
		a.PolicyIDs = []string{polGlobalOpt, polEngOpt}
		ra := e.seed(t, a)
		b := minimal()
		b.NamespaceID, b.Name, b.From, b.PolicyIDs = fin, "B", "https://b.example.com", []string{polGlobalOpt}
		rb := e.seed(t, b)

		// A manager of Engineering only cannot detach it from Finance's
		// route, and nothing is detached.
		engManager := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
		before := storetest.Capture(t, s)
		err := e.svc.DetachPolicy(t.Context(), engManager, polGlobalOpt)
		if !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("err = %v, want forbidden", err)
		}
		before.Unchanged(t, s)

		acc := e.Caller(t, nil)
		before = storetest.Capture(t, s)
		if err := e.svc.DetachPolicy(t.Context(), acc, polGlobalOpt); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, ra.ID).PolicyIDs; !slices.Equal(got, []string{polEngOpt}) {
			t.Errorf("route A attaches %v, want only %s", got, polEngOpt)
		}
		if got := stored(t, s, rb.ID).PolicyIDs; len(got) != 0 {
			t.Errorf("route B attaches %v, want none", got)
		}
		if n := len(before.NewActivity(t, s)); n != 2 {
			t.Errorf("%d activity entries, want one per route", n)
		}
		if _, err := e.pols.Bound(s).Get(t.Context(), acc, polGlobalOpt); err != nil {
			t.Errorf("detaching deleted the policy: %v", err)
		}
	})
}

func TestBoundKeepsOrDropsABatchTogether(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, nil)
		before := storetest.Capture(t, s)
		second := minimal()
		second.Name = "Other name, same URL"
		err := s.InTx(t.Context(), func(tx db.Store) error {
			svc := e.svc.Bound(tx)
			if _, err := svc.Create(t.Context(), acc, minimal()); err != nil {
				return err
			}
			// The second sees the first inside the transaction.
			_, err := svc.Create(t.Context(), acc, second)
			return err
		})
		if ve, ok := errs.AsValidation(err); !ok || ve.Fields["from"].Code != errs.CodeConflict {
			t.Fatalf("err = %v, want the second route's from in conflict with the first", err)
		}
		before.Unchanged(t, s)
	})
}

func TestReplaceMovesAndUpdatesAtOnce(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager, fin: rbac.RoleManager})
		in := minimal()
		in.PolicyIDs = []string{polEngOpt}
		old := e.seed(t, in)
		taken := minimal()
		taken.NamespaceID, taken.From = fin, "https://taken-name.example.com"
		e.seed(t, taken) // Finance has an "App" already
		// Valid only as a whole: renamed, and attaching Finance's policy
		// instead of Engineering's, which Finance cannot reach.
		in.NamespaceID, in.Name, in.PolicyIDs = fin, "Moved", []string{polFinOpt}
		before := storetest.Capture(t, s)
		r, err := e.svc.Replace(t.Context(), acc, old.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		want := old
		want.NamespaceID, want.Name, want.PolicyIDs, want.ModifiedAt = fin, "Moved", []string{polFinOpt}, atStore(now)
		if got := stored(t, s, old.ID); !equalRoutes(got, want) || !equalRoutes(r, want) {
			t.Fatalf("stored\n%+v\nreturned\n%+v\nwant\n%+v", got, r, want)
		}
		wantEntry(t, s, before, acc, db.ActivityUpdate, want, "Finance")
	})
}
