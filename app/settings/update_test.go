package settings_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestGetBeforeAnySave(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		view, err := e.svc.Get(t.Context(), e.Group(t, global, rbac.RoleViewer), cluster)
		if err != nil {
			t.Fatal(err)
		}
		want := settings.View{ClusterID: cluster, SecretsSet: map[settings.Secret]bool{}}
		if !reflect.DeepEqual(view, want) {
			t.Fatalf("Get = %+v, want %+v", view, want)
		}
	})
}

// TestUpdate saves as each kind of Global admin: values are normalized,
// unset ones stay absent, and the change is logged and bumps the revision.
func TestUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(t *testing.T, e *env) *rbac.Access
	}{
		{"configured administrator", func(t *testing.T, e *env) *rbac.Access { return e.admin(t) }},
		{"admin of Global by grant", func(t *testing.T, e *env) *rbac.Access {
			return e.User(t, "u-adm", apptest.Roles{global: rbac.RoleAdmin})
		}},
		{"admin of Global by group", func(t *testing.T, e *env) *rbac.Access { return e.Group(t, global, rbac.RoleAdmin) }},
		{"recovery principal of Global", func(t *testing.T, e *env) *rbac.Access { return e.Resolve(t, apptest.Recovery(global)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := tc.caller(t, e)
				before := storetest.Capture(t, s)

				view, err := e.svc.Update(t.Context(), acc, cluster, settings.Update{Values: settings.Values{
					LogLevel: new(" DEBUG "), DNSLookupFamily: new("v4_only"), CookieSameSite: new("Strict"),
					Address: new(":8443"), CookieName: new("  "), CookieSecure: new(false),
					TracingSampleRate: new(0.5), AccessLogFields: []string{" path ", "", "method"},
					AuthorizeLogFields: []string{" "}, JWTClaimsHeaders: map[string]string{" X-Email ": " email "},
					SetResponseHeaders: map[string]string{},
				}})
				if err != nil {
					t.Fatal(err)
				}
				wantValues := settings.Values{
					LogLevel: new("debug"), DNSLookupFamily: new("V4_ONLY"), CookieSameSite: new("strict"),
					Address: new(":8443"), CookieSecure: new(false), TracingSampleRate: new(0.5),
					AccessLogFields: []string{"path", "method"}, JWTClaimsHeaders: map[string]string{"X-Email": "email"},
				}
				want := settings.View{ClusterID: cluster, Values: wantValues, SecretsSet: map[settings.Secret]bool{},
					CreatedAt: now, ModifiedAt: now}
				if !reflect.DeepEqual(view, want) {
					t.Fatalf("Update =\n%+v, want\n%+v", view, want)
				}
				got, err := e.svc.Get(t.Context(), acc, cluster)
				if err != nil {
					t.Fatal(err)
				}
				want.CreatedAt, want.ModifiedAt = now.Truncate(time.Millisecond), now.Truncate(time.Millisecond)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("Get =\n%+v, want\n%+v", got, want)
				}
				wantKeys := map[string]any{
					"logLevel": "debug", "dnsLookupFamily": "V4_ONLY", "cookieSameSite": "strict", "address": ":8443",
					"cookieSecure": false, "tracingSampleRate": 0.5, "accessLogFields": []any{"path", "method"},
					"jwtClaimsHeaders": map[string]any{"X-Email": "email"},
				}
				if v := values(t, s); !reflect.DeepEqual(v, wantKeys) {
					t.Errorf("stored values %v, want only the set keys %v", v, wantKeys)
				}
				entry := before.Changed(t, s)
				wantEntry := apptest.Actor(acc.Principal, db.ActivityEntry{
					ID: entry.ID, CreatedAt: now.Truncate(time.Millisecond), ActivityType: db.ActivityUpdate,
					NamespaceID: global, NamespaceName: "Global", EntityType: activity.EntitySettings,
					EntityID: cluster, EntityName: "Global settings", Before: entry.Before, After: entry.After,
				})
				if entry != wantEntry {
					t.Errorf("entry =\n%+v, want\n%+v", entry, wantEntry)
				}
				notSet := map[string]any{"cookieSecret": "not set", "identityProviderClientSecret": "not set",
					"databrokerStorageConnection": "not set", "googleCloudServerlessAuthenticationServiceAccount": "not set"}
				if b := decode(t, entry.Before); !reflect.DeepEqual(b, notSet) {
					t.Errorf("before = %v, want %v", b, notSet)
				}
				wantAfter := map[string]any{}
				for k, v := range wantKeys {
					wantAfter[k] = v
				}
				for k, v := range notSet {
					wantAfter[k] = v
				}
				if a := decode(t, entry.After); !reflect.DeepEqual(a, wantAfter) {
					t.Errorf("after = %v, want %v", a, wantAfter)
				}
			})
		})
	}
}

// TestUpdateReplacesEveryValue: a full update drops the values it does not
// set, so they fall back to Core's defaults; created stays.
func TestUpdateReplacesEveryValue(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.update(t, settings.Values{LogLevel: new("debug"), CookieName: new("_sso")}, nil)
		view := e.update(t, settings.Values{CookieName: new("_sso2")}, nil)
		if view.Values.LogLevel != nil || *view.Values.CookieName != "_sso2" {
			t.Fatalf("values %+v", view.Values)
		}
		if v := values(t, s); !reflect.DeepEqual(v, map[string]any{"cookieName": "_sso2"}) {
			t.Errorf("stored %v", v)
		}
	})
}

// TestUpdateWithoutChangeWritesNothing: saving what is stored writes no
// row, no activity entry and no revision.
func TestUpdateWithoutChangeWritesNothing(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		first := e.update(t, settings.Values{LogLevel: new("debug"), JWTClaimsHeaders: map[string]string{"X-Email": "email"}},
			secret(settings.SecretCookie, cookieSecret))
		before := storetest.Capture(t, s)
		again, err := e.svc.Update(t.Context(), e.admin(t), cluster, settings.Update{
			Values: settings.Values{LogLevel: new("DEBUG "), JWTClaimsHeaders: map[string]string{"X-Email": "email"}},
			// The same secret again, and clearing one that is not set.
			Secrets: map[settings.Secret]settings.SecretChange{settings.SecretCookie: {Value: cookieSecret}, settings.SecretDatabrokerStorage: {Clear: true}},
		})
		if err != nil {
			t.Fatal(err)
		}
		before.Unchanged(t, s)
		first.CreatedAt, first.ModifiedAt = first.CreatedAt.Truncate(time.Millisecond), first.ModifiedAt.Truncate(time.Millisecond)
		if !reflect.DeepEqual(again, first) {
			t.Errorf("Update = %+v, want what is stored %+v", again, first)
		}
	})
}

// TestOnlyGlobalAdminsChangeSettings: viewers of Global may read, nobody
// else; only admins of Global write, and a refusal changes nothing.
func TestOnlyGlobalAdminsChangeSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		roles    apptest.Roles
		canRead  bool
		writeMsg string
		readMsg  string
	}{
		{"manager of Global", apptest.Roles{global: rbac.RoleManager}, true, `this needs the admin role on namespace "Global"; you are a manager there`, ""},
		{"viewer of Global", apptest.Roles{global: rbac.RoleViewer}, true, `this needs the admin role on namespace "Global"; you are a viewer there`, ""},
		{"guest of Global", apptest.Roles{global: rbac.RoleGuest}, false, `this needs the admin role on namespace "Global"; you are a guest there`,
			`this needs the viewer role on namespace "Global"; you are a guest there`},
		{"admin of Engineering", apptest.Roles{eng: rbac.RoleAdmin}, false, `you have no role on namespace "Global"; the admin role is needed`,
			`you have no role on namespace "Global"; the viewer role is needed`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.update(t, settings.Values{LogLevel: new("warn")}, nil)
				acc := e.User(t, "u-caller", tc.roles)
				apptest.WantRefused(t, s, apptest.Forbidden(tc.writeMsg), func() (settings.View, error) {
					return e.svc.Update(t.Context(), acc, cluster, settings.Update{Values: settings.Values{LogLevel: new("debug")}})
				})
				apptest.WantRefused(t, s, apptest.Forbidden(tc.writeMsg), func() (settings.View, error) {
					return e.svc.Patch(t.Context(), acc, cluster, []byte(`[{"op":"remove","path":"/logLevel"}]`))
				})
				view, err := e.svc.Get(t.Context(), acc, cluster)
				switch {
				case tc.canRead && (err != nil || *view.Values.LogLevel != "warn"):
					t.Errorf("Get = %+v, %v; want the settings", view, err)
				case !tc.canRead && (!errors.Is(err, errs.ErrForbidden) || err.Error() != "forbidden: "+tc.readMsg):
					t.Errorf("Get err = %v, want forbidden: %s", err, tc.readMsg)
				}
			})
		})
	}
}

func TestUnknownCluster(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		before := storetest.Capture(t, s)
		_, err := e.svc.Update(t.Context(), e.admin(t), "eu-west", settings.Update{Values: settings.Values{LogLevel: new("debug")}})
		apptest.WantErr(t, err, errs.ErrNotFound, `not found: cluster "eu-west" does not exist`)
		_, err = e.svc.Get(t.Context(), e.admin(t), "eu-west")
		apptest.WantErr(t, err, errs.ErrNotFound, `not found: cluster "eu-west" does not exist`)
		before.Unchanged(t, s)
	})
}
