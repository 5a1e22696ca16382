package layout_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/assets"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

const globalID = "9d8dbd2c-8cce-4e66-9c1f-c490b4a07243"

func sampleVM() layout.LayoutVM {
	return layout.LayoutVM{
		Title:     "Policies",
		Section:   layout.SectionPolicies,
		CSRFToken: "csrf-abc",
		User:      &layout.UserVM{Name: "Ada Lovelace", Email: "ada@example.com", Role: "Admin", AuthMethod: "Pomerium", SignOutURL: "/sign-out"},
		Namespace: layout.NamespaceVM{ID: "eng", Name: "Engineering", Path: []layout.Crumb{{Name: "Global", URL: "/ns/" + globalID + "/policies"}}},
		Switcher: []layout.SwitcherItem{
			{ID: globalID, Name: "Global", Depth: 0, Accessible: true},
			{ID: "eng", Name: "Engineering", Depth: 1, Accessible: true, Current: true},
			{ID: "fin", Name: "Finance", Depth: 1, Accessible: false},
		},
		Flashes:        []layout.Flash{{Kind: "success", Message: "Policy saved."}},
		Version:        "v0.1.0",
		DBKind:         "SQLite",
		PendingChanges: 3,
	}
}

func render(t *testing.T, vm layout.LayoutVM) *goquery.Document {
	t.Helper()
	return viewtest.Render(t, layout.Page(vm, templ.Raw(`<p data-testid="body">page body</p>`)))
}

func TestSectionURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ns, key, want string
	}{
		{globalID, layout.SectionRoutes, "/ns/" + globalID + "/routes"},
		{"eng", layout.SectionServiceAccounts, "/ns/eng/service-accounts"},
		{"a/b c", layout.SectionActivity, "/ns/a%2Fb%20c/activity"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := layout.SectionURL(tc.ns, tc.key); got != tc.want {
				t.Fatalf("SectionURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPageHead(t *testing.T) {
	t.Parallel()
	doc := render(t, sampleVM())
	if got := doc.Find("title").Text(); got != "Policies · Pomerium Console" {
		t.Fatalf("title = %q", got)
	}
	if v, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content"); v != "csrf-abc" {
		t.Fatalf("csrf meta = %q", v)
	}
	if viewtest.Find(t, doc, "body").Text() != "page body" {
		t.Fatal("body not rendered inside the layout")
	}

	hashed := regexp.MustCompile(`^/assets/[a-z.]+\.[0-9a-f]{16}\.(css|js|svg)$`)
	var urls []string
	doc.Find(`link[href], script[src]`).Each(func(_ int, s *goquery.Selection) {
		u, ok := s.Attr("href")
		if !ok {
			u, _ = s.Attr("src")
		}
		urls = append(urls, u)
	})
	if len(urls) != 4 {
		t.Fatalf("want stylesheet, favicon and two scripts, got %v", urls)
	}
	for _, u := range urls {
		if !hashed.MatchString(u) {
			t.Fatalf("asset URL %q is not content-hashed", u)
		}
		if _, _, ok := assets.Lookup(u); !ok {
			t.Fatalf("asset URL %q does not resolve", u)
		}
	}
}

// The htmx config must make htmx swap 422 responses, or forms never show their field errors.
func TestHTMXConfigSwaps422(t *testing.T) {
	t.Parallel()
	doc := render(t, sampleVM())
	raw, _ := doc.Find(`meta[name="htmx-config"]`).Attr("content")
	var cfg struct {
		ResponseHandling []struct {
			Code string `json:"code"`
			Swap bool   `json:"swap"`
		} `json:"responseHandling"`
	}
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatalf("htmx-config is not JSON: %v (%q)", err, raw)
	}
	tests := []struct {
		status string
		swap   bool
	}{
		{"204", false},
		{"200", true},
		{"422", true},
		{"403", true},
		{"500", true},
	}
	for _, tc := range tests {
		t.Run(tc.status, func(t *testing.T) {
			for _, rule := range cfg.ResponseHandling {
				if regexp.MustCompile("^" + rule.Code + "$").MatchString(tc.status) {
					if rule.Swap != tc.swap {
						t.Fatalf("status %s: swap = %v, want %v", tc.status, rule.Swap, tc.swap)
					}
					return
				}
			}
			t.Fatalf("no rule for %s", tc.status)
		})
	}
}

func TestNav(t *testing.T) {
	t.Parallel()
	doc := render(t, sampleVM())
	nav := viewtest.Find(t, doc, "nav")
	if got := nav.Find("a").Length(); got != len(layout.Sections()) {
		t.Fatalf("%d nav links, want %d", got, len(layout.Sections()))
	}
	if got := nav.Find("h2").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, ",") != "Manage,Configure,Monitor" {
		t.Fatalf("nav groups = %v", got)
	}
	for _, s := range layout.Sections() {
		t.Run(s.Key, func(t *testing.T) {
			a := viewtest.Find(t, doc, "nav-"+s.Key)
			if href, _ := a.Attr("href"); href != layout.SectionURL("eng", s.Key) {
				t.Fatalf("href = %q", href)
			}
			_, current := a.Attr("aria-current")
			if current != (s.Key == layout.SectionPolicies) {
				t.Fatalf("aria-current = %v", current)
			}
			if strings.TrimSpace(a.Text()) != s.Title {
				t.Fatalf("label = %q", a.Text())
			}
		})
	}
}

func TestSwitcher(t *testing.T) {
	t.Parallel()
	doc := render(t, sampleVM())
	sw := viewtest.Find(t, doc, "ns-switcher")
	if got := sw.Find(viewtest.TestID("ns-current")).Text(); got != "Engineering" {
		t.Fatalf("switcher shows %q", got)
	}
	tests := []struct {
		id      string
		link    bool
		href    string
		current bool
		depth   string
	}{
		{globalID, true, "/ns/" + globalID + "/policies", false, "0"},
		{"eng", true, "/ns/eng/policies", true, "1"},
		{"fin", false, "", false, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			li := viewtest.Find(t, doc, "ns-item-"+tc.id)
			if d, _ := li.Attr("data-depth"); d != tc.depth {
				t.Fatalf("depth = %q", d)
			}
			a := li.Find("a")
			if (a.Length() == 1) != tc.link {
				t.Fatalf("link present = %v, want %v", a.Length() == 1, tc.link)
			}
			if !tc.link {
				if v, _ := li.Find("span").First().Attr("aria-disabled"); v != "true" {
					t.Fatal("inaccessible namespace is not marked disabled")
				}
				if !strings.Contains(li.Text(), "no access") {
					t.Fatal("inaccessible namespace is greyed without saying why")
				}
				return
			}
			if href, _ := a.Attr("href"); href != tc.href {
				t.Fatalf("href = %q, want %q", href, tc.href)
			}
			if _, cur := a.Attr("aria-current"); cur != tc.current {
				t.Fatalf("aria-current = %v", cur)
			}
		})
	}
	if p := viewtest.Find(t, doc, "ns-path").Find("a"); p.Text() != "Global" {
		t.Fatalf("namespace path = %q", p.Text())
	}
}

func TestSwitcherFallsBackToRoutesOutsideASection(t *testing.T) {
	t.Parallel()
	vm := sampleVM()
	vm.Section = ""
	doc := render(t, vm)
	if href, _ := viewtest.Find(t, doc, "ns-item-eng").Find("a").Attr("href"); href != "/ns/eng/routes" {
		t.Fatalf("href = %q", href)
	}
}

func TestTopBarAndFooter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		mutate      func(*layout.LayoutVM)
		pending     string
		userMenu    bool
		wantFooter  string
		wantToasts  int
		wantRoleTxt string
	}{
		{"signed in with pending changes", func(*layout.LayoutVM) {}, "3 pending changes", true, "Pomerium Console v0.1.0 Database: SQLite", 1, "Admin"},
		{"one pending change", func(vm *layout.LayoutVM) { vm.PendingChanges = 1 }, "1 pending change", true, "", 1, "Admin"},
		{"no pending changes, no flashes", func(vm *layout.LayoutVM) { vm.PendingChanges = 0; vm.Flashes = nil }, "", true, "", 0, "Admin"},
		{"viewer", func(vm *layout.LayoutVM) { vm.User.Role = "Viewer" }, "3 pending changes", true, "", 1, "Viewer"},
		{"signed out", func(vm *layout.LayoutVM) { vm.User = nil }, "3 pending changes", false, "", 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vm := sampleVM()
			u := *vm.User
			vm.User = &u
			tc.mutate(&vm)
			doc := render(t, vm)
			pill := doc.Find(viewtest.TestID("pending-changes"))
			if got := strings.TrimSpace(pill.Text()); got != tc.pending {
				t.Fatalf("pending pill = %q, want %q", got, tc.pending)
			}
			if tc.pending != "" {
				if href, _ := pill.Attr("href"); href != "/ns/eng/deployments" {
					t.Fatalf("pill href = %q", href)
				}
			}
			menu := doc.Find(viewtest.TestID("user-menu"))
			if (menu.Length() == 1) != tc.userMenu {
				t.Fatalf("user menu present = %v", menu.Length() == 1)
			}
			if tc.userMenu {
				if got := strings.TrimSpace(menu.Find(".badge").Text()); got != tc.wantRoleTxt {
					t.Fatalf("role badge = %q", got)
				}
				form := menu.Find(viewtest.TestID("sign-out"))
				if m, _ := form.Attr("method"); m != "post" {
					t.Fatalf("sign-out method = %q", m)
				}
				if a, _ := form.Attr("action"); a != "/sign-out" {
					t.Fatalf("sign-out action = %q", a)
				}
				if v, _ := form.Find(`input[name="_csrf"]`).Attr("value"); v != "csrf-abc" {
					t.Fatalf("sign-out csrf = %q", v)
				}
				if menu.Find(viewtest.TestID("user-auth-method")).Text() != "Pomerium" || menu.Find(viewtest.TestID("user-email")).Text() != "ada@example.com" {
					t.Fatal("user details missing")
				}
			}
			if tc.wantFooter != "" {
				if got := strings.Join(strings.Fields(viewtest.Find(t, doc, "footer").Text()), " "); got != tc.wantFooter {
					t.Fatalf("footer = %q, want %q", got, tc.wantFooter)
				}
			}
			if got := doc.Find(viewtest.TestID("toast")).Length(); got != tc.wantToasts {
				t.Fatalf("toasts = %d, want %d", got, tc.wantToasts)
			}
		})
	}
}

func TestBare(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, layout.Bare("Sign in", templ.Raw(`<p data-testid="body">hi</p>`)))
	if got := doc.Find("title").Text(); got != "Sign in · Pomerium Console" {
		t.Fatalf("title = %q", got)
	}
	if doc.Find(".sidebar, .topbar").Length() != 0 {
		t.Fatal("bare page has the app frame")
	}
	if !strings.Contains(doc.Find(".bare-brand").Text(), "Pomerium Console") {
		t.Fatal("bare page has no product name")
	}
	viewtest.Find(t, doc, "body")
}

// Every nav icon must exist in the sprite, or the sidebar shows blank boxes.
func TestNavIconsExistInSprite(t *testing.T) {
	t.Parallel()
	sprite, _, _ := assets.Lookup(assets.Path("icons.svg"))
	doc := render(t, sampleVM())
	doc.Find("use").Each(func(_ int, u *goquery.Selection) {
		href, _ := u.Attr("href")
		name := href[strings.Index(href, "#")+1:]
		if !strings.Contains(string(sprite), `<symbol id="`+name+`"`) {
			t.Fatalf("icon %q missing from icons.svg", name)
		}
	})
}
