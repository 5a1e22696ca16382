package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// sections lists the navigation in display order: key and title.
var sections = [][2]string{
	{"routes", "Routes"}, {"policies", "Policies"}, {"certificates", "Certificates"}, {"deployments", "Deployments"},
	{"settings", "Settings"}, {"service-accounts", "Service Accounts"}, {"namespaces", "Namespaces"},
	{"external-data", "External Data"}, {"clusters", "Clusters"},
	{"activity", "Activity Log"}, {"users", "Users"}, {"sessions", "Sessions"}, {"devices", "Devices"},
}

func TestNavigationAndComingSoonPages(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	eng := app.Namespace(t, global, "Eng")
	cl := app.AsRecovery(t, global)
	built := map[string]bool{"namespaces": true, "activity": true, "policies": true, "routes": true, "certificates": true, "settings": true,
		"deployments": true, "clusters": true, "service-accounts": true,
		"users": true, "sessions": true, "devices": true}
	for _, s := range sections {
		key, title := s[0], s[1]
		t.Run(key, func(t *testing.T) {
			res := cl.Get(nsURL(eng, key))
			wantStatus(t, res, http.StatusOK)
			var nav []string
			for _, a := range res.Doc.Find(`[data-testid="nav"] a`).EachIter() {
				href, _ := a.Attr("href")
				nav = append(nav, strings.TrimSpace(a.Text())+"="+href)
			}
			var want []string
			for _, s := range sections {
				want = append(want, s[1]+"="+nsURL(eng, s[0]))
			}
			if !slices.Equal(nav, want) {
				t.Errorf("nav:\n got %q\nwant %q", nav, want)
			}
			if got := res.Text(`[data-testid="nav"] a[aria-current="page"]`); got != title {
				t.Errorf("current nav entry %q, want %q", got, title)
			}
			if got := res.Text(`[data-testid="page-header"] h1`); got != title && got != "Activity log" {
				t.Errorf("page title %q, want %q", got, title)
			}
			if built[key] == res.Has(`[data-testid="coming-soon"]`) {
				t.Fatalf("coming-soon shown=%v for %s", res.Has(`[data-testid="coming-soon"]`), key)
			}
			if !built[key] && !strings.Contains(res.Text(`[data-testid="coming-soon"]`), "This part of the console is not built yet.") {
				t.Errorf("coming-soon page does not say so:\n%s", res.Text(`[data-testid="coming-soon"]`))
			}
		})
	}
}

func TestNamespaceSwitcherAndUserMenu(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	beta := app.Namespace(t, global, "Beta")
	b1 := app.Namespace(t, beta, "b1")
	deep := app.Namespace(t, b1, "deep")
	app.Namespace(t, global, "Sales")
	app.Grant(t, b1, db.SubjectUser, "idp|vic", "viewer")
	vic := app.AsUser(t, testutil.Claims{Subject: "idp|vic", Name: "Vic Viewer", Email: "vic@example.com"})

	res := vic.Get(nsURL(b1, "activity"))
	wantStatus(t, res, http.StatusOK)
	type item struct {
		name, href string
		current    bool
	}
	var got []item
	for _, li := range res.Doc.Find(`#ns-list li[data-testid^="ns-item-"]`).EachIter() {
		href, _ := li.Find("a").Attr("href")
		_, cur := li.Find("a").Attr("aria-current")
		li.Find(".ns-note").Remove()
		got = append(got, item{strings.TrimSpace(li.Text()), href, cur})
	}
	want := []item{
		{"Global", "", false}, // greyed: no access, no link
		{"Beta", "", false},
		{"b1", nsURL(b1, "activity"), true},
		{"deep", nsURL(deep, "activity"), false},
	}
	if !slices.Equal(got, want) {
		t.Errorf("switcher:\n got %+v\nwant %+v", got, want)
	}
	for sel, wantText := range map[string]string{
		`[data-testid="ns-current"]`:       "b1",
		".user-name":                       "Vic Viewer",
		`[data-testid="user-email"]`:       "vic@example.com",
		`[data-testid="user-role"]`:        "Viewer in b1",
		`[data-testid="user-auth-method"]`: "Pomerium",
	} {
		if got := res.Text(sel); got != wantText {
			t.Errorf("%s: %q, want %q", sel, got, wantText)
		}
	}
	// The path leads to the current namespace without links the viewer cannot follow.
	var path []string
	for _, c := range res.Doc.Find(`[data-testid="ns-path"]`).Children().Not(".sep").EachIter() {
		href, _ := c.Attr("href")
		path = append(path, strings.TrimSpace(c.Text())+"="+href)
	}
	if want := []string{"Global=", "Beta="}; !slices.Equal(path, want) {
		t.Errorf("namespace path %q, want %q", path, want)
	}
	admin := app.AsRecovery(t, global).Get(nsURL(deep, "namespaces"))
	path = path[:0]
	for _, a := range admin.Doc.Find(`[data-testid="ns-path"] a`).EachIter() {
		href, _ := a.Attr("href")
		path = append(path, strings.TrimSpace(a.Text())+"="+href)
	}
	if want := []string{"Global=" + nsURL(global, "namespaces"), "Beta=" + nsURL(beta, "namespaces"), "b1=" + nsURL(b1, "namespaces")}; !slices.Equal(path, want) {
		t.Errorf("admin's namespace path %q, want %q", path, want)
	}
}

func TestFlashIsShownOnce(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.AsRecovery(t, global)
	first := cl.Get(nsURL(global, "namespaces"))
	if got := texts(first, `[data-testid="toast"]`); len(got) != 1 || !strings.HasPrefix(got[0], "Signed in with a recovery token") {
		t.Fatalf("toasts after sign-in %q", got)
	}
	res := cl.PostForm(nsURL(global, "namespaces"), url.Values{"name": {"Eng"}, "parentId": {global}})
	wantStatus(t, res, http.StatusSeeOther)
	// an htmx fragment in between must not eat the flash
	cl.Get(nsURL(global, "namespaces?q=e"), testutil.HTMX("ns-tree")...)
	shown := cl.Get(res.Location())
	if got := texts(shown, `[data-testid="toast"]`); !slices.Equal(got, []string{"Namespace “Eng” created."}) {
		t.Fatalf("toasts %q", got)
	}
	if kind, _ := shown.Doc.Find(`[data-testid="toast"]`).Attr("data-kind"); kind != "success" {
		t.Errorf("toast kind %q", kind)
	}
	if again := cl.Get(res.Location()); again.Has(`[data-testid="toast"]`) {
		t.Fatal("the flash is shown twice")
	}
}

func TestHealthEndpoints(t *testing.T) {
	t.Parallel()
	runHealthEndpoints(t, testutil.NewApp)
}

func runHealthEndpoints(t *testing.T, newApp appFactory) {
	app := newApp(t)
	cl := app.NewClient(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		res := cl.Get(path)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, `"status":"ok"`) {
			t.Errorf("%s: %s", path, res.Body)
		}
	}
	if err := app.Store.Close(); err != nil {
		t.Fatal(err)
	}
	res := cl.Get("/readyz")
	wantStatus(t, res, http.StatusServiceUnavailable)
	if !strings.Contains(res.Body, "database is not reachable") {
		t.Errorf("readyz: %s", res.Body)
	}
	wantStatus(t, cl.Get("/healthz"), http.StatusOK)
}

func TestAssets(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.NewClient(t)
	page := cl.Get("/sign-in")
	var urls []string
	for _, n := range page.Doc.Find(`link[href^="/assets/"], script[src^="/assets/"]`).EachIter() {
		u, ok := n.Attr("href")
		if !ok {
			u, _ = n.Attr("src")
		}
		urls = append(urls, u)
	}
	if len(urls) < 3 {
		t.Fatalf("the page links %d assets: %q", len(urls), urls)
	}
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			res := cl.Get(u)
			wantStatus(t, res, http.StatusOK)
			if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", cc)
			}
			if ct := res.Header.Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "text/html") || len(res.Body) == 0 {
				t.Errorf("Content-Type %q, %d bytes", ct, len(res.Body))
			}
		})
	}
	for _, u := range []string{"/assets/app.css", "/assets/app.0000000000000000.css", "/assets/../go.mod", "/assets/"} {
		t.Run("unknown "+u, func(t *testing.T) {
			res := cl.Get(u)
			wantStatus(t, res, http.StatusNotFound)
			if res.Header.Get("Cache-Control") != "" {
				t.Errorf("a 404 is cached: %q", res.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	admin := app.AsRecovery(t, global)
	tests := []struct {
		name   string
		client *testutil.Client
		path   string
	}{
		{"page", admin, nsURL(global, "namespaces")},
		{"sign-in", app.NewClient(t), "/sign-in"},
		{"error page", admin, nsURL("nope", "namespaces")},
		{"api", app.NewClient(t), "/api/v0/routes"},
		{"health", app.NewClient(t), "/healthz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.client.Get(tc.path)
			csp := res.Header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("CSP %q lacks %q", csp, d)
				}
			}
			for h, want := range map[string]string{
				"X-Content-Type-Options":    "nosniff",
				"X-Frame-Options":           "DENY",
				"Referrer-Policy":           "same-origin",
				"Strict-Transport-Security": "", // only over TLS
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s: %q, want %q", h, got, want)
				}
			}
			if res.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
			if res.Doc == nil {
				return
			}
			// The CSP forbids inline script and style, so the pages must not need them.
			for _, s := range res.Doc.Find("script").EachIter() {
				if _, ok := s.Attr("src"); !ok {
					t.Errorf("inline script: %s", s.Text())
				}
			}
			if n := res.Doc.Find("[style], style").Length(); n > 0 {
				t.Errorf("%d inline styles", n)
			}
		})
	}
}
