package members_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestGrant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		in              members.GrantInput
		subjectType, id string
		role            string
		byRecovery      bool
	}{
		{"user by e-mail is lower-cased", members.GrantInput{SubjectType: "user", SubjectID: " Bob@Example.COM ", Role: "viewer"},
			db.SubjectUser, "bob@example.com", "viewer", false},
		{"user by id keeps its case", members.GrantInput{SubjectType: " user", SubjectID: "U-Alice", Role: " admin "},
			db.SubjectUser, "U-Alice", "admin", false},
		{"group keeps its case", members.GrantInput{SubjectType: "group", SubjectID: "SRE@Example.com", Role: "manager"},
			db.SubjectGroup, "SRE@Example.com", "manager", false},
		{"256 characters", members.GrantInput{SubjectType: "group", SubjectID: strings.Repeat("é", 256), Role: "guest"},
			db.SubjectGroup, strings.Repeat("é", 256), "guest", false},
		{"by a recovery principal", members.GrantInput{SubjectType: "group", SubjectID: "ops", Role: "admin"},
			db.SubjectGroup, "ops", "admin", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				p := root
				if tc.byRecovery {
					p = apptest.Recovery(eng)
				}
				acc := e.Resolve(t, p)
				before := storetest.Capture(t, s)

				got, err := e.svc.Grant(t.Context(), acc, eng, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				want := db.Permission{
					ID: got.ID, NamespaceID: eng, SubjectType: tc.subjectType, SubjectID: tc.id, Role: tc.role,
					CreatedAt: e.now, ModifiedAt: e.now,
				}
				if got != want || got.ID == "" {
					t.Fatalf("Grant = %+v, want %+v", got, want)
				}
				stored, err := s.ListPermissions(t.Context(), eng)
				if err != nil || len(stored) != 1 || stored[0] != want {
					t.Fatalf("stored %+v, %v; want only %+v", stored, err, want)
				}
				e.wantEntry(t, before.OnlyNewActivity(t, s), p, db.ActivityCreate, nil, &want)
			})
		})
	}
}

func TestGrantChangesRole(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Resolve(t, root)
		first := e.grant(t, acc, eng, members.GrantInput{SubjectType: "user", SubjectID: "bob@example.com", Role: "viewer"})
		elsewhere := e.grant(t, acc, fin, members.GrantInput{SubjectType: "user", SubjectID: "bob@example.com", Role: "guest"})
		e.now = e.now.Add(time.Hour)
		before := storetest.Capture(t, s)

		got := e.grant(t, acc, eng, members.GrantInput{SubjectType: "user", SubjectID: "BOB@example.com", Role: "admin"})
		want := first
		want.Role, want.ModifiedAt = "admin", e.now
		if got != want {
			t.Fatalf("re-grant = %+v, want the first grant with the new role: %+v", got, want)
		}
		all, err := s.ListPermissions(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || !slices.Contains(all, want) || !slices.Contains(all, elsewhere) {
			t.Fatalf("grants = %+v, want %+v and the untouched %+v", all, want, elsewhere)
		}
		e.wantEntry(t, before.OnlyNewActivity(t, s), root, db.ActivityUpdate, &first, &want)
	})
}

func TestGrantSameRoleWritesNothing(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Resolve(t, root)
		first := e.grant(t, acc, eng, members.GrantInput{SubjectType: "group", SubjectID: "ops", Role: "viewer"})
		e.now = e.now.Add(time.Hour)
		before := storetest.Capture(t, s)
		again := e.grant(t, acc, eng, members.GrantInput{SubjectType: "group", SubjectID: "ops", Role: "viewer"})
		if again != first {
			t.Fatalf("same grant again = %+v, want the stored %+v untouched", again, first)
		}
		before.Unchanged(t, s)
	})
}

func TestGrantRefused(t *testing.T) {
	t.Parallel()
	badType := errs.FieldError{Code: errs.CodeInvalid, Message: "choose user or group"}
	noID := errs.FieldError{Code: errs.CodeRequired, Message: "enter a user id, an e-mail address or a group id"}
	badRole := func(r string) errs.FieldError {
		return errs.FieldError{Code: errs.CodeInvalid, Message: `unknown role "` + r + `" (expected admin, manager, viewer or guest)`}
	}
	valid := members.GrantInput{SubjectType: "user", SubjectID: "bob@example.com", Role: "viewer"}
	tests := []struct {
		name   string
		caller func(t *testing.T, e *env) *rbac.Access
		in     members.GrantInput
		want   apptest.Refusal
	}{
		{name: "unknown subject type", in: members.GrantInput{SubjectType: "robot", SubjectID: "r2", Role: "viewer"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"subjectType": badType}}},
		{name: "subject type in capitals", in: members.GrantInput{SubjectType: "User", SubjectID: "r2", Role: "viewer"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"subjectType": badType}}},
		{name: "empty subject id", in: members.GrantInput{SubjectType: "group", SubjectID: " \t", Role: "viewer"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"subjectId": noID}}},
		{name: "subject id of 257 characters", in: members.GrantInput{SubjectType: "group", SubjectID: strings.Repeat("é", 257), Role: "viewer"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"subjectId": {Code: errs.CodeTooLong, Message: "must be at most 256 characters"}}}},
		{name: "unknown role", in: members.GrantInput{SubjectType: "group", SubjectID: "ops", Role: "owner"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"role": badRole("owner")}}},
		{name: "no role", in: members.GrantInput{SubjectType: "group", SubjectID: "ops"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"role": badRole("")}}},
		{name: "every field at once", in: members.GrantInput{SubjectType: "robot", Role: "none"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"subjectType": badType, "subjectId": noID, "role": badRole("none")}}},
		{name: "manager of the namespace", caller: role(eng, rbac.RoleManager), in: valid,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`)},
		{name: "viewer of the namespace", caller: role(eng, rbac.RoleViewer), in: valid,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
		{name: "guest of the namespace", caller: role(eng, rbac.RoleGuest), in: valid,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a guest there`)},
		{name: "manager inherited from Global", caller: role(global, rbac.RoleManager), in: valid,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`)},
		{name: "admin of a child", caller: role(prod, rbac.RoleAdmin), in: valid,
			want: apptest.Forbidden(`you have no role on namespace "Engineering"; the admin role is needed`)},
		{name: "authorization comes before validation", caller: role(eng, rbac.RoleViewer), in: members.GrantInput{},
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.caller(t, tc.caller)
				apptest.WantRefused(t, s, tc.want, func() (db.Permission, error) { return e.svc.Grant(t.Context(), acc, eng, tc.in) })
			})
		})
	}
}
