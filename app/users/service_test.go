package users_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/users"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// start is the first sign-in; it has sub-millisecond digits the store drops.
var start = time.Date(2026, 3, 1, 9, 0, 0, 123_456_789, time.UTC)

func pomerium(id, email, name string, groups ...string) authn.Principal {
	return authn.Principal{Kind: authn.KindPomerium, UserID: id, Email: email, Name: name, Groups: groups}
}

// TestSeen signs one user in several times, with another user in between,
// and checks what is stored after each sign-in.
func TestSeen(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		now := start
		svc := users.NewService(s, func() time.Time { return now })
		ms := func(d time.Duration) time.Time { return start.Add(d).Truncate(time.Millisecond) }
		steps := []struct {
			name  string
			after time.Duration
			p     authn.Principal
			want  db.User
		}{
			{"first sight creates", 0, pomerium("u1", "ada@example.com", "Ada", "admins", "ops"),
				db.User{ID: "u1", Email: "ada@example.com", Name: "Ada", Groups: []string{"admins", "ops"}, CreatedAt: ms(0), LastSeenAt: ms(0)}},
			{"another user does not touch the first", time.Minute, pomerium("u2", "bob@example.com", "Bob"),
				db.User{ID: "u2", Email: "bob@example.com", Name: "Bob", CreatedAt: ms(time.Minute), LastSeenAt: ms(time.Minute)}},
			{"later sign-in refreshes e-mail, name and groups but keeps CreatedAt", time.Hour,
				pomerium("u1", "Ada.L@Example.com", "Ada Lovelace", "ops"),
				db.User{ID: "u1", Email: "Ada.L@Example.com", Name: "Ada Lovelace", Groups: []string{"ops"}, CreatedAt: ms(0), LastSeenAt: ms(time.Hour)}},
			{"losing every group and the name", 2 * time.Hour, pomerium("u1", "Ada.L@Example.com", ""),
				db.User{ID: "u1", Email: "Ada.L@Example.com", CreatedAt: ms(0), LastSeenAt: ms(2 * time.Hour)}},
		}
		for _, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				now = start.Add(step.after)
				if err := svc.Seen(t.Context(), step.p); err != nil {
					t.Fatal(err)
				}
				got, err := s.GetUser(t.Context(), step.p.UserID)
				if err != nil {
					t.Fatal(err)
				}
				if !got.CreatedAt.Equal(step.want.CreatedAt) || !got.LastSeenAt.Equal(step.want.LastSeenAt) {
					t.Fatalf("times = %v / %v, want %v / %v", got.CreatedAt, got.LastSeenAt, step.want.CreatedAt, step.want.LastSeenAt)
				}
				got.CreatedAt, got.LastSeenAt = step.want.CreatedAt, step.want.LastSeenAt
				if len(got.Groups) == 0 && len(step.want.Groups) == 0 {
					got.Groups = step.want.Groups
				}
				if !reflect.DeepEqual(got, step.want) {
					t.Fatalf("user = %+v, want %+v", got, step.want)
				}
			})
		}
		if all, err := s.SearchUsers(t.Context(), "", 10); err != nil || len(all) != 2 {
			t.Fatalf("users = %+v, %v; want u1 and u2 only", all, err)
		}
	})
}

func TestSeenIgnoresOtherPrincipals(t *testing.T) {
	t.Parallel()
	tests := []authn.Principal{
		{Kind: authn.KindRecovery, UserID: "recovery:t1", Name: "Recovery admin", RecoveryNamespaceID: db.GlobalNamespaceID},
		{Kind: authn.KindServiceAccount, UserID: "sa-1", Email: "robot@example.com", Name: "CI"},
		{Kind: "", UserID: "u-no-kind", Email: "x@example.com"},
	}
	for _, p := range tests {
		t.Run(p.UserID, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				if err := users.NewService(s, time.Now).Seen(t.Context(), p); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetUser(t.Context(), p.UserID); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("GetUser(%s) = %v, want ErrNotFound", p.UserID, err)
				}
				if all, err := s.SearchUsers(t.Context(), "", 10); err != nil || len(all) != 0 {
					t.Fatalf("users = %+v, %v; want none", all, err)
				}
			})
		})
	}
}

// brokenUsers fails every upsert.
type brokenUsers struct{ db.UserStore }

var errDisk = errors.New("disk full")

func (brokenUsers) UpsertUser(context.Context, db.User) error { return errDisk }

func TestSeenStoreError(t *testing.T) {
	t.Parallel()
	err := users.NewService(brokenUsers{}, time.Now).Seen(t.Context(), pomerium("u1", "", ""))
	if !errors.Is(err, errDisk) || err.Error() != "users: record sign-in: disk full" {
		t.Fatalf("err = %v, want the wrapped store error", err)
	}
}
