package serviceaccounts_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestCreate(t *testing.T) {
	t.Parallel()
	expiry := apptest.Now.Add(30 * 24 * time.Hour).Add(500 * time.Millisecond)
	tests := []struct {
		name     string
		in       serviceaccounts.Input
		wantUser func(id string) string
		wantExp  time.Time
	}{
		{
			name:     "a unique account of Global is its own user",
			in:       serviceaccounts.Input{NamespaceID: global},
			wantUser: func(id string) string { return id },
		},
		{
			name:     "a unique account below Global names its namespace in the user id",
			in:       serviceaccounts.Input{NamespaceID: prod, Description: "CI deployer"},
			wantUser: func(id string) string { return id + "@" + prod + ".pomerium" },
		},
		{
			name:     "an impersonating account keeps the user id given, trimmed, and expires",
			in:       serviceaccounts.Input{NamespaceID: eng, UserID: "  alice@example.com ", Description: "as Alice", ExpiresAt: &expiry},
			wantUser: func(string) string { return "alice@example.com" },
			wantExp:  expiry.Truncate(time.Second),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				before := storetest.Capture(t, s)
				a, token := e.create(tc.in)
				if _, err := uuid.Parse(a.ID); err != nil {
					t.Fatalf("id %q is not a uuid: %v", a.ID, err)
				}
				issued := apptest.Now.Truncate(time.Second)
				want := serviceaccounts.Account{
					ID: a.ID, NamespaceID: tc.in.NamespaceID, UserID: tc.wantUser(a.ID), Description: tc.in.Description,
					CreatedBy: apptest.Root.UserID, IssuedAt: issued, ExpiresAt: tc.wantExp, Status: serviceaccounts.StatusActive,
					Sync: serviceaccounts.Sync{State: serviceaccounts.SyncPending},
				}
				if a != want {
					t.Fatalf("created\n got %+v\nwant %+v", a, want)
				}

				// The token is Core's: HS256, jti/sub/iat/nbf (exp only when
				// the account expires), nothing else.
				d := decode(t, token)
				if d.header["alg"] != "HS256" || d.header["typ"] != "JWT" || len(d.header) != 2 {
					t.Fatalf("header %v", d.header)
				}
				wantClaims := map[string]any{
					"jti": a.ID, "sub": want.UserID, "iat": json.Number(itoa(issued.Unix())), "nbf": json.Number(itoa(issued.Unix())),
				}
				if !tc.wantExp.IsZero() {
					wantClaims["exp"] = json.Number(itoa(tc.wantExp.Unix()))
				}
				if !equalJSON(d.claims, wantClaims) {
					t.Fatalf("claims %v, want %v", d.claims, wantClaims)
				}
				p, err := e.svc.Verify(t.Context(), token)
				if err != nil || p.ServiceAccountID != a.ID {
					t.Fatalf("the console refuses its own token: %v", err)
				}

				// The record reached the databroker.
				wantRec := &userpb.ServiceAccount{
					Id: a.ID, NamespaceId: proto.String(tc.in.NamespaceID), UserId: want.UserID,
					IssuedAt: timestamppb.New(issued),
				}
				if tc.in.Description != "" {
					wantRec.Description = proto.String(tc.in.Description)
				}
				if !tc.wantExp.IsZero() {
					wantRec.ExpiresAt = timestamppb.New(tc.wantExp)
				}
				if got := e.record(a.ID); !proto.Equal(got, wantRec) {
					t.Fatalf("record\n got %v\nwant %v", got, wantRec)
				}
				if got := e.get(a.ID); got.Sync.State != serviceaccounts.SyncDone || got.Sync.ClusterID != db.DefaultClusterID {
					t.Fatalf("sync after the push: %+v", got.Sync)
				}

				entry := before.OnlyNewActivity(t, s)
				if strings.Contains(entry.After, token) || strings.Contains(entry.After, strings.Split(token, ".")[2]) {
					t.Fatal("the activity log holds the token")
				}
				ns, _ := e.root.Tree().Get(tc.in.NamespaceID)
				wantEntry := apptest.Actor(apptest.Root, db.ActivityEntry{
					ID: entry.ID, CreatedAt: apptest.Now, ActivityType: db.ActivityCreate, NamespaceID: ns.ID,
					NamespaceName: ns.Name, EntityType: activity.EntityServiceAccount, EntityID: a.ID, EntityName: a.Name(),
					After: entry.After,
				})
				if entry != wantEntry {
					t.Fatalf("entry\n got %+v\nwant %+v", entry, wantEntry)
				}
			})
		})
	}
}

func TestCreateRefused(t *testing.T) {
	t.Parallel()
	past := apptest.Now.Add(-time.Second)
	now := apptest.Now
	tests := []struct {
		name   string
		grants apptest.Roles // nil: root
		in     serviceaccounts.Input
		want   apptest.Refusal
	}{
		{
			name: "every bad field at once",
			in: serviceaccounts.Input{
				NamespaceID: eng, UserID: strings.Repeat("é", 256), Description: strings.Repeat("d", 501), ExpiresAt: &past,
			},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{
				"user_id":     {Code: errs.CodeTooLong, Message: "must be at most 255 characters (got 256)"},
				"description": {Code: errs.CodeTooLong, Message: "must be at most 500 characters (got 501)"},
				"expires_at":  {Code: errs.CodeInvalid, Message: "must be in the future (got 2026-02-03T04:05:05Z)"},
			}},
		},
		{
			name: "a user id with a line break, expiring now",
			in:   serviceaccounts.Input{NamespaceID: eng, UserID: "bob\nadmin", ExpiresAt: &now},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{
				"user_id":    {Code: errs.CodeInvalid, Message: "must not contain control characters such as line breaks"},
				"expires_at": {Code: errs.CodeInvalid, Message: "must be in the future (got 2026-02-03T04:05:06Z)"},
			}},
		},
		{
			name:   "a manager cannot make an account impersonating a user: it would carry their roles",
			grants: apptest.Roles{eng: rbac.RoleManager},
			in:     serviceaccounts.Input{NamespaceID: eng, UserID: "alice@example.com"},
			want:   apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`),
		},
		{
			name:   "an admin of a child cannot make one in the parent",
			grants: apptest.Roles{prod: rbac.RoleAdmin},
			in:     serviceaccounts.Input{NamespaceID: eng},
			want:   apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`),
		},
		{
			name: "an unknown namespace",
			in:   serviceaccounts.Input{NamespaceID: "missing"},
			want: apptest.Forbidden(`you have no role on namespace "missing"; the manager role is needed`),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (string, error) {
					a, token, err := e.svc.Create(context.Background(), acc, tc.in)
					if a != (serviceaccounts.Account{}) {
						t.Errorf("a refused create returned %+v", a)
					}
					return token, err
				})
			})
		})
	}
}

func TestCreateNeedsASharedSecret(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.pointDefaultAt(e.broker.URL(), "")
		apptest.WantRefused(t, s, apptest.Refusal{
			Target: errs.ErrUnavailable,
			Msg: `unavailable: cluster "Default" has no shared secret, which service account tokens are signed with: ` +
				`set shared_secret (or the cluster's shared secret) first`,
		}, func() (string, error) {
			_, token, err := e.svc.Create(context.Background(), e.root, serviceaccounts.Input{NamespaceID: eng})
			return token, err
		})
		// Core takes 16-byte secrets; go-jose refuses to sign with them.
		e.pointDefaultAt(e.broker.URL(), "MDEyMzQ1Njc4OWFiY2RlZg==")
		apptest.WantRefused(t, s, apptest.Refusal{
			Target: errs.ErrUnavailable,
			Msg: `unavailable: the shared secret of cluster "Default" is shorter than 32 bytes, too short to sign ` +
				`service account tokens (generate one with: head -c32 /dev/urandom | base64)`,
		}, func() (string, error) {
			_, token, err := e.svc.Create(context.Background(), e.root, serviceaccounts.Input{NamespaceID: eng})
			return token, err
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func equalJSON(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
