package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

func TestAPIRequiresServiceAccountToken(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithAdministrators("ada@example.com"))
	browser := app.AsRecovery(t, global)
	pomerium := app.AsUser(t, testutil.Claims{Subject: "ada", Email: "ada@example.com"})
	const missing = `send a service account token as "Authorization: Bearer <token>"`
	const malformed = "the service account token is not a well-formed HS256 JWT"
	tests := []struct {
		name   string
		client *testutil.Client
		method string
		path   string
		auth   string
		reason string
	}{
		{"no token", app.NewClient(t), http.MethodGet, "/api/v0/routes", "", missing},
		{"API root", app.NewClient(t), http.MethodGet, "/api", "", missing},
		{"bearer token", app.NewClient(t), http.MethodGet, "/api/v0/routes", "Bearer abc.def.ghi", malformed},
		{"Pomerium scheme", app.NewClient(t), http.MethodGet, "/api/v0/namespaces", "Pomerium abc.def.ghi", malformed},
		{"scheme in lower case", app.NewClient(t), http.MethodPost, "/api/v0/namespaces", "bearer abc", malformed},
		{"basic auth", app.NewClient(t), http.MethodGet, "/api/v0/routes", "Basic YWxpY2U6cHc=", missing},
		{"empty bearer", app.NewClient(t), http.MethodGet, "/api/v0/routes", "Bearer ", missing},
		{"browser session cookie", browser, http.MethodGet, "/api/v0/routes", "", missing},
		{"browser session with POST", browser, http.MethodPost, "/api/v0/namespaces", "", missing},
		{"Pomerium assertion", pomerium, http.MethodGet, "/api/v0/routes", "", missing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Not parallel: the browser clients are shared and keep cookies.
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			res := tc.client.Do(req)
			wantStatus(t, res, http.StatusUnauthorized)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q, want JSON", ct)
			}
			var body struct {
				Error  string `json:"error"`
				Status int    `json:"status"`
			}
			if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
				t.Fatalf("body %q: %v", res.Body, err)
			}
			if body.Error != tc.reason || body.Status != http.StatusUnauthorized {
				t.Fatalf("body %+v, want error %q", body, tc.reason)
			}
		})
	}
}

func TestPathsThatOnlyStartLikeAPIAreNotAPI(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	res := app.NewClient(t).Get("/apix")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/sign-in" {
		t.Fatalf("redirect to %q, want /sign-in", res.Location())
	}
}
