package showcase

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/assets"
	"github.com/pomerium-console-oss/pomerium-console/views/auth"
	"github.com/pomerium-console-oss/pomerium-console/views/comingsoon"
	c "github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/errorpage"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

const globalID = "9d8dbd2c-8cce-4e66-9c1f-c490b4a07243"

func shell(title, section string, flashes []c.Flash) layout.LayoutVM {
	return layout.LayoutVM{
		Title: title, Section: section, CSRFToken: "csrf",
		User:      &layout.UserVM{Name: "Ada Lovelace", Email: "ada@example.com", Role: "Admin", AuthMethod: "Pomerium", SignOutURL: "/sign-out"},
		Namespace: layout.NamespaceVM{ID: "eng", Name: "Engineering", Path: []layout.Crumb{{Name: "Global", URL: "/ns/" + globalID + "/" + section}}},
		Switcher: []layout.SwitcherItem{
			{ID: globalID, Name: "Global", Accessible: true},
			{ID: "eng", Name: "Engineering", Depth: 1, Accessible: true, Current: true},
			{ID: "plat", Name: "Platform", Depth: 2, Accessible: true},
			{ID: "data", Name: "Data", Depth: 2, Accessible: false},
			{ID: "fin", Name: "Finance", Depth: 1, Accessible: false},
			{ID: "ops", Name: "Operations", Depth: 1, Accessible: true},
		},
		Flashes: flashes, Version: "v0.1.0", DBKind: "SQLite", PendingChanges: 3,
	}
}

func sampleRows() []routeRow {
	apps := []struct{ name, host, up string }{
		{"Grafana", "grafana", "http://grafana.monitoring.svc:3000"},
		{"Kibana", "kibana", "http://kibana.logging.svc:5601"},
		{"Jenkins", "ci", "http://jenkins.ci.svc:8080"},
		{"Argo CD", "argocd", "https://argocd-server.argocd.svc"},
		{"Vault UI", "vault", "https://vault.security.svc:8200"},
		{"Internal wiki", "wiki", "http://outline.tools.svc:3000"},
		{"Prometheus", "prometheus", "http://prometheus.monitoring.svc:9090"},
		{"Admin API", "admin-api", "http://admin.backend.svc:8080"},
		{"Jupyter", "notebooks", "http://jupyterhub.data.svc:8000"},
		{"Sentry", "sentry", "http://sentry.tools.svc:9000"},
		{"Harbor", "registry", "https://harbor.platform.svc"},
		{"Metabase", "bi", "http://metabase.data.svc:3000"},
	}
	statuses := []struct {
		label string
		tone  c.Tone
	}{{"Pushed", c.ToneSuccess}, {"Pending", c.ToneWarning}, {"Failed", c.ToneDanger}, {"Draft", c.ToneNeutral}}
	var rows []routeRow
	for i, a := range apps {
		s := statuses[0]
		if i%5 == 3 {
			s = statuses[1+i%3]
		}
		rows = append(rows, routeRow{
			ID: fmt.Sprintf("r%d", i), Name: a.name, From: "https://" + a.host + ".corp.example.com", To: a.up,
			Policy: []string{"Engineers only", "Everyone in corp", "On-call + managed device"}[i%3],
			Status: s.label, Tone: s.tone, Updated: fmt.Sprintf("%d hours ago", i*3+1),
		})
	}
	return rows
}

const sampleRego = `package pomerium.policy

default allow := [false, set()]
default deny := [false, set()]

allow := [true, {"groups-ok"}] if {
	some group in input.user.groups
	group == "engineering"
	input.device.approved
}
`

type page struct {
	name string
	body templ.Component
	// open is a data-testid whose <details> the screenshot shows expanded.
	open string
}

func pages() []page {
	q := url.Values{"status": {"enforced"}}
	saved := []c.Flash{{Kind: c.FlashSuccess, Message: "Route Grafana saved. It goes live with the next deployment."}}
	return []page{
		{name: "routes-list", body: layout.Page(shell("Routes", layout.SectionRoutes, saved), routesList(sampleRows(), q))},
		{name: "route-form-errors", body: layout.Page(shell("Add route", layout.SectionRoutes, []c.Flash{{Kind: c.FlashError, Message: "The route was not saved."}}), routeForm())},
		{name: "routes-empty", body: layout.Page(shell("Routes", layout.SectionRoutes, nil), emptyRoutes())},
		{name: "policy-detail", body: layout.Page(shell("Engineers only", layout.SectionPolicies, nil), detail(sampleRego))},
		{name: "secret-modal", body: layout.Page(shell("Service accounts", layout.SectionServiceAccounts, nil), secretCreated(sampleRows()[:6], q))},
		{name: "switcher-open", body: layout.Page(shell("Routes", layout.SectionRoutes, nil), routesList(sampleRows()[:8], q)), open: "ns-switcher"},
		{name: "user-menu-open", body: layout.Page(shell("Routes", layout.SectionRoutes, nil), routesList(sampleRows()[:8], q)), open: "user-menu"},
		{name: "coming-soon", body: layout.Page(shell("Sessions", layout.SectionSessions, nil), comingsoon.Page(comingsoon.VM{Section: layout.SectionSessions}))},
		{name: "error-403", body: layout.Page(shell("Forbidden", layout.SectionSettings, nil), errorpage.Page(errorpage.ErrorVM{Status: 403, Reason: "Only administrators of Global can change global settings; you are a manager in Engineering.", BackURL: "/ns/eng/routes"}))},
		{name: "sign-in", body: layout.Bare("Sign in", auth.SignIn(auth.SignInVM{CSRFToken: "csrf"}))},
		{name: "sign-in-error", body: layout.Bare("Sign in", auth.SignIn(auth.SignInVM{CSRFToken: "csrf", Token: "eyJhbGciOiJFUzI1NiJ9.expired", Error: "This recovery token expired 2 hours ago. Generate a new one."}))},
		{name: "signed-out", body: layout.Bare("Signed out", auth.SignedOut(auth.SignedOutVM{}))},
	}
}

// render returns the HTML of every showcase page by URL path.
func render(t *testing.T) map[string][]byte {
	t.Helper()
	html := map[string][]byte{}
	for _, p := range pages() {
		var buf bytes.Buffer
		if err := p.body.Render(context.Background(), &buf); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		b := buf.Bytes()
		if p.open != "" {
			b = bytes.Replace(b, []byte(`data-testid="`+p.open+`"`), []byte(`open data-testid="`+p.open+`"`), 1)
		}
		html["/"+p.name] = b
	}
	return html
}

// serve serves the pages, the embedded assets (through assets.Lookup, as the console does) and
// extra handlers.
func serve(t *testing.T, html map[string][]byte, extra map[string]http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body, ct, ok := assets.Lookup(r.URL.Path); ok {
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write(body)
			return
		}
		if h, ok := extra[r.URL.Path]; ok {
			h(w, r)
			return
		}
		if b, ok := html[r.URL.Path]; ok {
			// The strict policy the console should send: it proves the pages need no inline
			// script or style. ?nojs drops scripts altogether, to see the pages degrade.
			csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
			if r.URL.Query().Has("nojs") {
				csp = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:"
			}
			w.Header().Set("Content-Security-Policy", csp)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(b)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// shot is one screenshot: a page in a variant, made with extra chromium flags (a later
// --window-size wins over the default).
type shot struct {
	page, variant string
	flags         []string
}

// writeAssets copies the assets the pages link to next to them, so that any static file server
// shows the HTML files as the console would.
func writeAssets(t *testing.T, dir string, html map[string][]byte) {
	t.Helper()
	re := regexp.MustCompile(`/assets/[A-Za-z0-9.]+`)
	for _, b := range html {
		for _, u := range re.FindAllString(string(b), -1) {
			body, _, ok := assets.Lookup(u)
			if !ok {
				t.Fatalf("page links to %s, which does not resolve", u)
			}
			dest := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(u, "/")))
			if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dest, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestShowcase renders every pattern of the design system to HTML and, with chromium, to PNG
// screenshots in light and dark mode. It is opt-in because it needs a browser:
//
//	UI_SHOWCASE_DIR=/tmp/ui-shots go test ./views/components/showcase -run TestShowcase -v
func TestShowcase(t *testing.T) {
	dir := os.Getenv("UI_SHOWCASE_DIR")
	if dir == "" {
		t.Skip("set UI_SHOWCASE_DIR to render the showcase and take screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	html := render(t)
	for path, b := range html {
		if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(path, "/")+".html"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeAssets(t, dir, html)
	srv := serve(t, html, nil)
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Logf("no chromium: wrote HTML only to %s", dir)
		return
	}
	var shots []shot
	for _, p := range pages() {
		shots = append(shots, shot{p.name, "light", nil}, shot{p.name, "dark", []string{"--force-dark-mode"}})
	}
	shots = append(shots,
		shot{"routes-list?nojs", "nojs", nil},
		shot{"route-form-errors", "narrow", []string{"--window-size=420,900"}},
	)
	for _, s := range shots {
		args := []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
			"--user-data-dir=" + t.TempDir(), "--window-size=1400,900", "--virtual-time-budget=3000",
			"--screenshot=" + filepath.Join(dir, strings.TrimSuffix(s.page, "?nojs")+"-"+s.variant+".png"),
		}
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		out, err := exec.CommandContext(ctx, browser, append(append(args, s.flags...), srv.URL+"/"+s.page)...).CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", s.page, s.variant, err, strings.TrimSpace(string(out)))
		}
	}
	t.Logf("screenshots in %s", dir)
}
