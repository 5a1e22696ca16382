package activity_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestRecord(t *testing.T) {
	t.Parallel()
	type thing struct {
		Name string `json:"name"`
	}
	tests := []struct {
		name                  string
		p                     authn.Principal
		before, after         any
		wantUser              string
		wantBefore, wantAfter string
	}{
		{
			name: "a create by a named user", p: root, after: thing{"b"}, wantUser: "Root",
			wantAfter: "{\n  \"name\": \"b\"\n}",
		},
		{
			name:   "an update by a user known only by e-mail",
			p:      authn.Principal{Kind: authn.KindPomerium, UserID: "u9", Email: "nine@example.com"},
			before: thing{"a"}, after: map[string]int{"n": 1}, wantUser: "nine@example.com",
			wantBefore: "{\n  \"name\": \"a\"\n}", wantAfter: "{\n  \"n\": 1\n}",
		},
		{
			name: "a delete by a principal known only by id", p: authn.Principal{Kind: authn.KindServiceAccount, UserID: "sa-1"},
			before: []string{"x"}, wantUser: "sa-1", wantBefore: "[\n  \"x\"\n]",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				at := base.Add(1234567 * time.Microsecond)
				err := activity.Record(t.Context(), s, tc.p, at, activity.Change{
					Type: db.ActivityUpdate, EntityType: activity.EntityNamespace, EntityID: "e1", EntityName: "E one",
					NamespaceID: eng, NamespaceName: "Engineering", Before: tc.before, After: tc.after,
				})
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := s.ListActivity(t.Context(), db.ActivityFilter{})
				if err != nil || len(got) != 1 {
					t.Fatalf("log = %+v, %v; want one entry", got, err)
				}
				want := db.ActivityEntry{
					ID: got[0].ID, CreatedAt: at.Truncate(time.Millisecond), ActivityType: db.ActivityUpdate,
					NamespaceID: eng, NamespaceName: "Engineering",
					UserID: tc.p.UserID, UserName: tc.wantUser, UserEmail: tc.p.Email, AuthMethod: tc.p.Kind,
					EntityType: activity.EntityNamespace, EntityID: "e1", EntityName: "E one",
					Before: tc.wantBefore, After: tc.wantAfter,
				}
				if got[0].ID == "" || !got[0].CreatedAt.Equal(want.CreatedAt) {
					t.Fatalf("id %q, time %v; want an id and %v", got[0].ID, got[0].CreatedAt, want.CreatedAt)
				}
				got[0].CreatedAt = want.CreatedAt
				if got[0] != want {
					t.Fatalf("entry =\n%+v, want\n%+v", got[0], want)
				}
			})
		})
	}
}

func TestEntriesOfOneMillisecondStayInOrder(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		var written []string
		for i := range 30 {
			c := activity.Change{Type: db.ActivityCreate, EntityType: activity.EntityNamespace, EntityID: fmt.Sprint(i), NamespaceID: global}
			if err := activity.Record(t.Context(), s, root, base, c); err != nil {
				t.Fatal(err)
			}
			written = append(written, fmt.Sprint(i))
		}
		list, _, err := s.ListActivity(t.Context(), db.ActivityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range list {
			if want := written[len(written)-1-i]; e.EntityID != want {
				t.Fatalf("entry %d is %s, want %s: same-millisecond entries must list newest first", i, e.EntityID, want)
			}
		}
	})
}

func TestRecordUnmarshallable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change activity.Change
		want   string
	}{
		{"before", activity.Change{Type: db.ActivityDelete, Before: make(chan int)}, "activity: before: "},
		{"after", activity.Change{Type: db.ActivityCreate, After: func() {}}, "activity: after: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				err := activity.Record(t.Context(), s, root, base, tc.change)
				var unsupported *json.UnsupportedTypeError
				if !errors.As(err, &unsupported) || !strings.HasPrefix(err.Error(), tc.want) {
					t.Fatalf("err = %v, want a JSON error prefixed %q", err, tc.want)
				}
				if _, total, err := s.ListActivity(t.Context(), db.ActivityFilter{}); err != nil || total != 0 {
					t.Fatalf("%d entries written (%v), want none", total, err)
				}
			})
		})
	}
}

// errLog is what the failing activity log returns.
var errLog = errors.New("log unavailable")

// failingLog is a store whose activity inserts fail, inside transactions too,
// after every other write of the mutation has gone through.
type failingLog struct{ db.Store }

func (f failingLog) InTx(ctx context.Context, fn func(tx db.Store) error) error {
	return f.Store.InTx(ctx, func(tx db.Store) error { return fn(failingLog{tx}) })
}

func (failingLog) InsertActivity(context.Context, db.ActivityEntry) error { return errLog }

// TestMutationsRollBackWithTheirEntry makes the activity insert of every
// mutation fail and checks that its other writes are rolled back with it.
func TestMutationsRollBackWithTheirEntry(t *testing.T) {
	t.Parallel()
	clock := func() time.Time { return base.Add(time.Hour) }
	grant := func(subject, role string) members.GrantInput {
		return members.GrantInput{SubjectType: db.SubjectUser, SubjectID: subject, Role: role}
	}
	tests := []struct {
		name   string
		mutate func(ctx context.Context, s db.Store, acc *rbac.Access) error
	}{
		{"create a namespace", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			_, err := namespaces.NewService(s, clock).Create(ctx, acc, namespaces.CreateInput{ParentID: eng, Name: "New"})
			return err
		}},
		{"rename a namespace", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			_, err := namespaces.NewService(s, clock).Update(ctx, acc, dev, namespaces.UpdateInput{Name: new("Renamed")})
			return err
		}},
		{"move a namespace", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			_, err := namespaces.NewService(s, clock).Update(ctx, acc, dev, namespaces.UpdateInput{ParentID: new(fin)})
			return err
		}},
		{"delete a namespace and its grants", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			return namespaces.NewService(s, clock).Delete(ctx, acc, prod)
		}},
		{"grant a role", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			return noGrant(members.NewService(s, clock).Grant(ctx, acc, eng, grant("new@example.com", "viewer")))
		}},
		{"change a role", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			return noGrant(members.NewService(s, clock).Grant(ctx, acc, prod, grant("bob@example.com", "admin")))
		}},
		{"revoke a role", func(ctx context.Context, s db.Store, acc *rbac.Access) error {
			return members.NewService(s, clock).Revoke(ctx, acc, prod, "bob-on-prod")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				apptest.SeedTree(t, s, base)
				callers(s).Put(t,
					db.Permission{ID: "bob-on-prod", NamespaceID: prod, SubjectType: db.SubjectUser, SubjectID: "bob@example.com", Role: "viewer"},
					db.Permission{ID: "ops-on-prod", NamespaceID: prod, SubjectType: db.SubjectGroup, SubjectID: "ops", Role: "manager"},
				)
				before := storetest.Capture(t, s)
				err := tc.mutate(t.Context(), failingLog{s}, asRoot(t, s))
				if !errors.Is(err, errLog) || err.Error() != "activity: log unavailable" {
					t.Fatalf("err = %v, want the activity insert's error", err)
				}
				before.Unchanged(t, s)
			})
		})
	}
}

// noGrant passes err on, unless Grant also returned a grant, which the
// rollback undid and the caller must not be shown.
func noGrant(p db.Permission, err error) error {
	if p != (db.Permission{}) {
		return fmt.Errorf("grant %+v returned with error %w", p, err)
	}
	return err
}
