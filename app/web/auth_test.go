package web_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestPomeriumSignInCreatesUserOnFirstSight(t *testing.T) {
	t.Parallel()
	runPomeriumSignInCreatesUserOnFirstSight(t, testutil.NewApp)
}

func runPomeriumSignInCreatesUserOnFirstSight(t *testing.T, newApp appFactory) {
	app := newApp(t, testutil.WithAdministrators("ada@example.com"))
	ada := app.AsUser(t, testutil.Claims{Subject: "idp|ada", Email: "ada@example.com", Name: "Ada Lovelace", Groups: []string{"eng", "ops"}})

	if _, err := app.Store.GetUser(context.Background(), "idp|ada"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("user exists before the first request: %v", err)
	}
	res := ada.Get("/")
	wantStatus(t, res, http.StatusSeeOther)
	if want := nsURL(global, "namespaces"); res.Location() != want {
		t.Fatalf("home redirects to %q, want %q", res.Location(), want)
	}
	page := ada.Get(res.Location())
	wantStatus(t, page, http.StatusOK)
	for sel, want := range map[string]string{
		".user-name":                         "Ada Lovelace",
		`[data-testid="user-email"]`:         "ada@example.com",
		`[data-testid="user-role"]`:          "Admin in Global",
		`[data-testid="user-auth-method"]`:   "Pomerium",
		`[data-testid="ns-current"]`:         "Global",
		`[data-testid="add-namespace"] span`: "Add namespace",
	} {
		if got := page.Text(sel); got != want {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	u, err := app.Store.GetUser(context.Background(), "idp|ada")
	if err != nil {
		t.Fatalf("user not recorded: %v", err)
	}
	if u.Email != "ada@example.com" || u.Name != "Ada Lovelace" || !slices.Equal(u.Groups, []string{"eng", "ops"}) {
		t.Fatalf("recorded user %+v", u)
	}
}

func TestPomeriumAssertionRefused(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithAdministrators("eve@example.com"))
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	eve := testutil.Claims{Subject: "idp|eve", Email: "eve@example.com", Name: "Eve"}
	with := func(f func(*testutil.Claims)) testutil.Claims { c := eve; f(&c); return c }
	now := time.Now()
	tests := []struct {
		name      string
		assertion string
		reason    string
	}{
		{"signed with another key", testutil.SignAssertion(t, otherKey, eve), "pomerium assertion signature is not valid"},
		{"expired", app.Assertion(t, with(func(c *testutil.Claims) { c.IssuedAt, c.Expiry = now.Add(-time.Hour), now.Add(-2*time.Minute) })), "pomerium assertion expired at"},
		{"issued in the future", app.Assertion(t, with(func(c *testutil.Claims) { c.IssuedAt, c.Expiry = now.Add(10*time.Minute), now.Add(time.Hour) })), "pomerium assertion is issued in the future"},
		{"for another audience", app.Assertion(t, with(func(c *testutil.Claims) { c.Audience = []string{"grafana.example.com"} })), `is for "grafana.example.com", not this console's audience`},
		{"without subject", app.Assertion(t, with(func(c *testutil.Claims) { c.Subject = "" })), "pomerium assertion has no subject"},
		{"not a JWT", "not-a-jwt", "pomerium assertion is not an ES256 JWT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cl := app.NewClient(t)
			cl.Assertion = tc.assertion
			res := cl.Get(nsURL(global, "namespaces"))
			wantStatus(t, res, http.StatusUnauthorized)
			if got := res.Text(`[data-testid="error-reason"]`); !strings.Contains(got, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", got, tc.reason)
			}
			if href, _ := res.Doc.Find(`[data-testid="error-page"] a.btn-primary`).Attr("href"); href != "/sign-in" {
				t.Errorf("error page links to %q, want /sign-in", href)
			}
			if res.Has(`[data-testid="nav"]`) {
				t.Error("a refused caller sees the navigation")
			}
			if _, err := app.Store.GetUser(context.Background(), "idp|eve"); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("a refused assertion recorded its user: %v", err)
			}
		})
	}
}

func TestPomeriumGroupsGrantRoles(t *testing.T) {
	t.Parallel()
	runPomeriumGroupsGrantRoles(t, testutil.NewApp)
}

func runPomeriumGroupsGrantRoles(t *testing.T, newApp appFactory) {
	app := newApp(t)
	team := app.Namespace(t, global, "Team")
	app.Grant(t, global, db.SubjectGroup, "eng", "viewer")
	app.Grant(t, team, db.SubjectGroup, "team-admins", "admin")
	app.Grant(t, team, db.SubjectUser, "carol@example.com", "manager")
	tests := []struct {
		name   string
		claims testutil.Claims
		nsID   string
		status int
		role   string
	}{
		{"group viewer on Global", testutil.Claims{Subject: "u1", Groups: []string{"eng"}}, global, http.StatusOK, "Viewer in Global"},
		{"Global viewer inherits into Team", testutil.Claims{Subject: "u1", Groups: []string{"eng"}}, team, http.StatusOK, "Viewer in Team"},
		{"group admin on Team", testutil.Claims{Subject: "u2", Groups: []string{"team-admins"}}, team, http.StatusOK, "Admin in Team"},
		{"Team admin has nothing on Global", testutil.Claims{Subject: "u2", Groups: []string{"team-admins"}}, global, http.StatusForbidden, ""},
		{"strongest of several groups", testutil.Claims{Subject: "u3", Groups: []string{"eng", "team-admins"}}, team, http.StatusOK, "Admin in Team"},
		{"grant to an e-mail, any case", testutil.Claims{Subject: "u4", Email: "Carol@Example.com"}, team, http.StatusOK, "Manager in Team"},
		{"unknown group", testutil.Claims{Subject: "u5", Groups: []string{"sales"}}, team, http.StatusForbidden, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := app.AsUser(t, tc.claims).Get(nsURL(tc.nsID, "namespaces"))
			wantStatus(t, res, tc.status)
			if tc.role != "" {
				if got := res.Text(`[data-testid="user-role"]`); got != tc.role {
					t.Errorf("role %q, want %q", got, tc.role)
				}
			}
		})
	}
	t.Run("no role anywhere", func(t *testing.T) {
		t.Parallel()
		res := app.AsUser(t, testutil.Claims{Subject: "u6", Groups: []string{"sales"}}).Get("/")
		wantStatus(t, res, http.StatusForbidden)
		if got := res.Text(`[data-testid="error-reason"]`); !strings.Contains(got, "you have no role on any namespace yet") {
			t.Errorf("reason %q", got)
		}
	})
}

func TestSignInPage(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	t.Run("blank form", func(t *testing.T) {
		t.Parallel()
		res := app.NewClient(t).Get("/sign-in")
		wantStatus(t, res, http.StatusOK)
		if !res.Has(`[data-testid="recovery-form"][action="/sign-in/recovery"]`) || res.Text("textarea#recovery-token") != "" {
			t.Fatalf("no empty recovery form:\n%s", res.Body)
		}
	})
	t.Run("a token in the link fills the form but does not sign in", func(t *testing.T) {
		t.Parallel()
		tok, rec, err := app.Recovery.Issue(context.Background(), global, time.Hour, true)
		if err != nil {
			t.Fatal(err)
		}
		cl := app.NewClient(t)
		res := cl.Get("/sign-in?token=" + url.QueryEscape(tok))
		wantStatus(t, res, http.StatusOK)
		if got := res.Text("textarea#recovery-token"); got != tok {
			t.Fatalf("textarea holds %q, want the token", got)
		}
		wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusSeeOther)
		stored, err := app.Store.GetRecoveryToken(context.Background(), rec.ID)
		if err != nil || !stored.UsedAt.IsZero() {
			t.Fatalf("opening the link used the single-use token: %+v %v", stored, err)
		}
		wantStatus(t, cl.PostForm("/sign-in/recovery", url.Values{"token": {tok}}), http.StatusSeeOther)
		wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusOK)
	})
}

func TestRecoverySignInIsScopedToItsNamespace(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	alpha := app.Namespace(t, global, "Alpha")
	alphaChild := app.Namespace(t, alpha, "Alpha child")
	beta := app.Namespace(t, global, "Beta")

	cl := app.NewClient(t)
	res := cl.SignInRecovery(app.RecoveryToken(t, alpha, time.Hour))
	wantStatus(t, res, http.StatusSeeOther)
	if want := nsURL(alpha, "namespaces"); res.Location() != want {
		t.Fatalf("signed in to %q, want %q", res.Location(), want)
	}
	page := cl.Get(res.Location())
	wantStatus(t, page, http.StatusOK)
	if got := page.Text(`[data-testid="user-role"]`); got != "Admin in Alpha" {
		t.Errorf("role %q", got)
	}
	if got := page.Text(`[data-testid="toast"]`); !strings.Contains(got, "Signed in with a recovery token") {
		t.Errorf("no sign-in notice, toast %q", got)
	}
	for _, sc := range []testutil.Scenario{
		{Name: "own namespace", URL: nsURL(alpha, "members"), Status: http.StatusOK},
		{Name: "child inherits admin", URL: nsURL(alphaChild, "namespaces/new"), Status: http.StatusOK},
		{Name: "sibling", URL: nsURL(beta, "namespaces"), Status: http.StatusForbidden, Contains: []string{"you have no role on namespace &#34;Beta&#34;"}},
		{Name: "parent", URL: nsURL(global, "namespaces"), Status: http.StatusForbidden},
		{Name: "create in sibling", Method: http.MethodPost, URL: nsURL(beta, "namespaces"), Form: url.Values{"name": {"x"}, "parentId": {beta}}, Status: http.StatusForbidden},
	} {
		t.Run(sc.Name, func(t *testing.T) { sc.Run(t, cl) })
	}
}

func TestRecoverySessionEndsAtTokenExpiry(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	tok, rec, err := app.Recovery.Issue(context.Background(), global, 2*time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	cl := app.NewClient(t)
	wantStatus(t, cl.SignInRecovery(tok), http.StatusSeeOther)
	wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusOK)

	time.Sleep(time.Until(rec.ExpiresAt) + 100*time.Millisecond)
	res := cl.Get(nsURL(global, "namespaces"))
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/sign-in" {
		t.Fatalf("expired session goes to %q, want /sign-in", res.Location())
	}
	signIn := cl.Get("/sign-in")
	if got := signIn.Text(`[data-testid="toast"]`); !strings.Contains(got, "Your recovery session has ended") {
		t.Errorf("sign-in page does not say why: toast %q", got)
	}
}

func TestRecoverySignInRefused(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	ctx := context.Background()
	expired, expiredRec, err := app.Recovery.Issue(ctx, global, time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	// Another console's database holds another signing key: its tokens are forgeries here.
	forged := testutil.NewApp(t).RecoveryToken(t, global, time.Hour)
	time.Sleep(time.Until(expiredRec.ExpiresAt) + 1100*time.Millisecond)
	tests := []struct {
		name, token, reason string
	}{
		{"empty", "", "paste the recovery token printed by pomerium-console generate-recovery-token"},
		{"blank", "  \n ", "paste the recovery token"},
		{"garbage", "hello", "recovery token is not an ES256 JWT"},
		{"signed by another console", forged, "recovery token signature is not valid"},
		{"expired", expired, "recovery token expired at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cl := app.NewClient(t)
			res := cl.SignInRecovery(tc.token)
			wantStatus(t, res, http.StatusUnauthorized)
			wantFieldErrors(t, res, map[string]string{"token": tc.reason})
			if !res.Has(`[data-testid="recovery-form"]`) {
				t.Error("the sign-in form is not shown again")
			}
			wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusSeeOther)
		})
	}
}

func TestSingleUseRecoveryTokenWorksOnce(t *testing.T) {
	t.Parallel()
	runSingleUseRecoveryTokenWorksOnce(t, testutil.NewApp)
}

func runSingleUseRecoveryTokenWorksOnce(t *testing.T, newApp appFactory) {
	app := newApp(t)
	tok, _, err := app.Recovery.Issue(context.Background(), global, time.Hour, true)
	if err != nil {
		t.Fatal(err)
	}
	first := app.NewClient(t)
	wantStatus(t, first.SignInRecovery(tok), http.StatusSeeOther)
	second := app.NewClient(t)
	res := second.SignInRecovery(tok)
	wantStatus(t, res, http.StatusUnauthorized)
	wantFieldErrors(t, res, map[string]string{"token": "recovery token was already used"})
	// The session made with the token's one use stays valid.
	wantStatus(t, first.Get(nsURL(global, "namespaces")), http.StatusOK)
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.NewClient(t)
	res := cl.SignInRecovery(app.RecoveryToken(t, global, time.Hour))
	wantStatus(t, res, http.StatusSeeOther)
	c := sessionCookie(res)
	if c == nil {
		t.Fatalf("sign-in sets no session cookie: %v", res.Header.Values("Set-Cookie"))
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
		t.Fatalf("cookie HttpOnly=%v SameSite=%v Secure=%v Path=%q; want HttpOnly, Lax, not Secure over HTTP, /", c.HttpOnly, c.SameSite, c.Secure, c.Path)
	}
	if c.MaxAge <= 0 || c.MaxAge > int((12*time.Hour).Seconds()) {
		t.Fatalf("cookie Max-Age %d, want at most 12h", c.MaxAge)
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithAdministrators("ada@example.com"))
	t.Run("recovery session", func(t *testing.T) {
		t.Parallel()
		cl := app.AsRecovery(t, global)
		wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusOK)
		res := cl.PostForm("/sign-out", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/signed-out" {
			t.Fatalf("sign-out goes to %q", res.Location())
		}
		out := cl.Get("/signed-out")
		wantStatus(t, out, http.StatusOK)
		if out.Text(`[data-testid="signed-out"]`) != "You are signed out" {
			t.Errorf("signed-out page:\n%s", out.Body)
		}
		after := cl.Get(nsURL(global, "namespaces"))
		wantStatus(t, after, http.StatusSeeOther)
		if after.Location() != "/sign-in" {
			t.Fatalf("after sign-out redirected to %q, want /sign-in", after.Location())
		}
	})
	t.Run("behind Pomerium", func(t *testing.T) {
		t.Parallel()
		cl := app.AsUser(t, testutil.Claims{Subject: "idp|ada", Email: "ada@example.com"})
		wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusOK)
		res := cl.PostForm("/sign-out", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/.pomerium/sign_out" {
			t.Fatalf("sign-out goes to %q, want Pomerium's sign-out", res.Location())
		}
	})
	t.Run("htmx", func(t *testing.T) {
		t.Parallel()
		cl := app.AsRecovery(t, global)
		cl.Get(nsURL(global, "namespaces"))
		res := cl.PostForm("/sign-out", nil, testutil.HTMX("")...)
		if res.Header.Get("HX-Redirect") != "/signed-out" {
			t.Fatalf("htmx sign-out: status %d, HX-Redirect %q", res.Status, res.Header.Get("HX-Redirect"))
		}
	})
}

func TestSessionCookieAloneDoesNotAuthenticate(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithAdministrators("ada@example.com"))
	other := testutil.NewApp(t)

	// A Pomerium user's cookie does not stand in for the assertion: a request
	// that bypasses Pomerium must not get in.
	ada := app.AsUser(t, testutil.Claims{Subject: "idp|ada", Email: "ada@example.com"})
	wantStatus(t, ada.Get(nsURL(global, "namespaces")), http.StatusOK)
	ada.Assertion = ""
	wantStatus(t, ada.Get(nsURL(global, "namespaces")), http.StatusSeeOther)

	signIn := func(a *testutil.App) *http.Cookie {
		cl := a.NewClient(t)
		res := cl.SignInRecovery(a.RecoveryToken(t, global, time.Hour))
		wantStatus(t, res, http.StatusSeeOther)
		return sessionCookie(res)
	}
	good := signIn(app)
	tampered := *good
	tampered.Value = good.Value[:len(good.Value)-4] + "AAAA"
	tests := []struct {
		name   string
		cookie *http.Cookie
		status int
	}{
		{"own recovery session", good, http.StatusOK},
		{"tampered cookie", &tampered, http.StatusSeeOther},
		{"another console's cookie", signIn(other), http.StatusSeeOther},
		{"garbage", &http.Cookie{Name: good.Name, Value: "garbage"}, http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, nsURL(global, "namespaces"), nil)
			req.AddCookie(tc.cookie)
			wantStatus(t, app.NewClient(t).Do(req), tc.status)
		})
	}
}

func TestSignInRotatesCSRFToken(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.NewClient(t)
	cl.Get("/sign-in")
	before := cl.CSRFToken()
	wantStatus(t, cl.PostForm("/sign-in/recovery", url.Values{"token": {app.RecoveryToken(t, global, time.Hour)}}), http.StatusSeeOther)
	cl.Get(nsURL(global, "namespaces"))
	if before == "" || cl.CSRFToken() == "" || cl.CSRFToken() == before {
		t.Fatalf("CSRF token before sign-in %q, after %q: want a new one", before, cl.CSRFToken())
	}
	res := cl.PostForm(nsURL(global, "namespaces"), url.Values{"_csrf": {before}, "name": {"x"}, "parentId": {global}})
	wantStatus(t, res, http.StatusForbidden)
}

func TestSignedOutHTMXRequestIsSentToSignIn(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	res := app.NewClient(t).Get(nsURL(global, "namespaces?q=a"), testutil.HTMX("ns-tree")...)
	wantStatus(t, res, http.StatusNoContent)
	if res.Header.Get("HX-Redirect") != "/sign-in" {
		t.Fatalf("HX-Redirect %q, want /sign-in", res.Header.Get("HX-Redirect"))
	}
}
