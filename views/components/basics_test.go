package components_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/pomerium-console-oss/pomerium-console/assets"
	c "github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

func TestButton(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props c.ButtonProps
		tag   string
		attrs map[string]string
		class string
	}{
		{"default submit", c.ButtonProps{Label: "Save"}, "button", map[string]string{"type": "submit"}, "btn"},
		{"primary link", c.ButtonProps{Label: "Add route", Href: "/ns/g/routes/new", Variant: c.VariantPrimary}, "a", map[string]string{"href": "/ns/g/routes/new"}, "btn btn-primary"},
		{"modal opener", c.ButtonProps{Label: "Delete", ModalID: "del", Variant: c.VariantDanger}, "button", map[string]string{"type": "button", "data-modal-open": "del", "commandfor": "del", "command": "show-modal"}, "btn btn-danger"},
		{"icon only keeps an accessible name", c.ButtonProps{Label: "Edit", Icon: "edit", IconOnly: true, Small: true, Variant: c.VariantGhost}, "button", map[string]string{"aria-label": "Edit", "title": "Edit"}, "btn btn-ghost btn-sm btn-icon"},
		{"name and value", c.ButtonProps{Label: "Go", Name: "action", Value: "apply", Type: "submit"}, "button", map[string]string{"name": "action", "value": "apply"}, "btn"},
		{"unsafe href is neutralised", c.ButtonProps{Label: "x", Href: "javascript:alert(1)"}, "a", map[string]string{"href": "about:invalid#TemplFailedSanitizationURL"}, "btn"},
		{"extra attributes", c.ButtonProps{Label: "x", Attrs: templ.Attributes{"hx-post": "/p"}}, "button", map[string]string{"hx-post": "/p"}, "btn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.Button(tc.props))
			el := doc.Find("body").Children().First()
			if tag := el.Nodes[0].Data; tag != tc.tag {
				t.Fatalf("tag = %q, want %q", tag, tc.tag)
			}
			for k, want := range tc.attrs {
				if got, _ := el.Attr(k); got != want {
					t.Fatalf("%s = %q, want %q", k, got, want)
				}
			}
			if cl, _ := el.Attr("class"); cl != tc.class {
				t.Fatalf("class = %q, want %q", cl, tc.class)
			}
			label := strings.TrimSpace(el.Text())
			if tc.props.IconOnly && label != "" {
				t.Fatalf("icon-only button shows text %q", label)
			}
			if !tc.props.IconOnly && label != tc.props.Label {
				t.Fatalf("label = %q", label)
			}
		})
	}
}

func TestBadge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tone  c.Tone
		class string
	}{
		{c.ToneNeutral, "badge"},
		{c.ToneSuccess, "badge badge-success"},
		{c.ToneWarning, "badge badge-warning"},
		{c.ToneDanger, "badge badge-danger"},
		{c.ToneInfo, "badge badge-info"},
	}
	for _, tc := range tests {
		t.Run(tc.class, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.Badge(c.BadgeProps{Label: "Expired", Tone: tc.tone}))
			s := doc.Find("span")
			if cl, _ := s.Attr("class"); cl != tc.class {
				t.Fatalf("class = %q, want %q", cl, tc.class)
			}
			if s.Text() != "Expired" {
				t.Fatalf("text = %q", s.Text())
			}
		})
	}
}

func TestPageHeaderAndBreadcrumbs(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, c.PageHeader(c.PageHeaderProps{
		Title:    "Routes",
		Subtitle: "Requests from an external address to an upstream service.",
		Crumbs:   []c.Crumb{{Name: "Global", URL: "/ns/g/routes"}, {Name: "Routes"}},
		Actions:  []c.ButtonProps{{Label: "Add route", Href: "/ns/g/routes/new", Variant: c.VariantPrimary, Icon: "plus"}},
	}))
	h := viewtest.Find(t, doc, "page-header")
	tests := []struct {
		name, sel, want string
	}{
		{"title", "h1", "Routes"},
		{"subtitle", "p", "Requests from an external address to an upstream service."},
		{"link crumb", "nav a", "Global"},
		{"current crumb", `[aria-current="page"]`, "Routes"},
		{"action", ".page-actions a.btn-primary", "Add route"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.TrimSpace(h.Find(tc.sel).First().Text()); got != tc.want {
				t.Fatalf("%s = %q, want %q", tc.sel, got, tc.want)
			}
		})
	}
	if viewtest.Render(t, c.Breadcrumbs(nil)).Find("nav").Length() != 0 {
		t.Fatal("empty breadcrumbs rendered a nav")
	}
}

func TestCardAndEmptyState(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, c.Card(c.CardProps{Title: "Basic settings", TestID: "card"}))
	card := viewtest.Find(t, doc, "card")
	labelled, _ := card.Attr("aria-labelledby")
	if card.Find("h2#"+labelled).Text() != "Basic settings" {
		t.Fatalf("card aria-labelledby %q does not name its heading", labelled)
	}

	tests := []struct {
		name   string
		props  c.EmptyStateProps
		action bool
	}{
		{"with action", c.EmptyStateProps{Icon: "routes", Title: "No routes yet", Text: "Routes send requests upstream.", Action: &c.ButtonProps{Label: "Add route", Href: "/new"}}, true},
		{"without action", c.EmptyStateProps{Title: "No results", Text: "Nothing matches."}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := viewtest.Render(t, c.EmptyState(tc.props))
			e := viewtest.Find(t, doc, "empty-state")
			if e.Find("h2").Text() != tc.props.Title || e.Find("p").Text() != tc.props.Text {
				t.Fatalf("empty state text = %q", e.Text())
			}
			if (e.Find("a").Length() == 1) != tc.action {
				t.Fatal("action mismatch")
			}
		})
	}
}

func TestToasts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flash       c.Flash
		role        string
		autodismiss bool
	}{
		{c.Flash{Kind: c.FlashSuccess, Message: "Route saved."}, "status", true},
		{c.Flash{Kind: c.FlashInfo, Message: "Nothing to deploy."}, "status", true},
		{c.Flash{Kind: c.FlashError, Message: "Push failed."}, "alert", false},
	}
	for _, tc := range tests {
		t.Run(tc.flash.Kind, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.Toasts([]c.Flash{tc.flash}))
			toast := viewtest.Find(t, doc, "toasts").Find(viewtest.TestID("toast"))
			if r, _ := toast.Attr("role"); r != tc.role {
				t.Fatalf("role = %q, want %q", r, tc.role)
			}
			if _, ok := toast.Attr("data-autodismiss"); ok != tc.autodismiss {
				t.Fatalf("autodismiss = %v", ok)
			}
			if strings.TrimSpace(toast.Find(".toast-body").Text()) != tc.flash.Message {
				t.Fatalf("message = %q", toast.Text())
			}
		})
	}
	oob := viewtest.Render(t, c.ToastOOB(c.Flash{Kind: c.FlashSuccess, Message: "ok"}))
	if v, _ := oob.Find("[hx-swap-oob]").Attr("hx-swap-oob"); v != "beforeend:#toasts" {
		t.Fatalf("hx-swap-oob = %q", v)
	}
}

func TestConfirmModal(t *testing.T) {
	t.Parallel()
	base := c.ConfirmProps{
		ID: "delete-route", Trigger: c.ButtonProps{Label: "Delete", Variant: c.VariantDanger},
		Title: "Delete route?", Message: "The route app.example.com stops working at the next deployment.",
		Action: "/ns/g/routes/r1/delete", ConfirmLabel: "Delete route", Danger: true, CSRFToken: "tok",
		Fields: []c.HiddenField{{Name: "version", Value: "7"}},
	}
	withHX := base
	withHX.HXTarget, withHX.HXSwap = "#row-r1", "outerHTML"
	tests := []struct {
		name  string
		props c.ConfirmProps
		hx    bool
	}{
		{"plain post", base, false},
		{"htmx post", withHX, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.ConfirmModal(tc.props))
			trigger := doc.Find("[data-modal-open]")
			if v, _ := trigger.Attr("data-modal-open"); v != "delete-route" {
				t.Fatalf("trigger opens %q", v)
			}
			dlg := viewtest.Find(t, doc, "delete-route")
			if tag := dlg.Nodes[0].Data; tag != "dialog" {
				t.Fatalf("modal is a <%s>", tag)
			}
			if !strings.Contains(dlg.Text(), tc.props.Message) {
				t.Fatal("dialog does not say what will happen")
			}
			form := dlg.Find(`form[method="post"]`)
			if a, _ := form.Attr("action"); a != tc.props.Action {
				t.Fatalf("action = %q", a)
			}
			if v, _ := form.Find(`input[name="_csrf"]`).Attr("value"); v != "tok" {
				t.Fatalf("csrf = %q", v)
			}
			if v, _ := form.Find(`input[name="version"]`).Attr("value"); v != "7" {
				t.Fatalf("hidden field = %q", v)
			}
			confirm := viewtest.Find(t, doc, "delete-route-confirm")
			if cl, _ := confirm.Attr("class"); cl != "btn btn-danger" || strings.TrimSpace(confirm.Text()) != "Delete route" {
				t.Fatalf("confirm button %q %q", cl, confirm.Text())
			}
			hx, ok := form.Attr("hx-post")
			if ok != tc.hx || (ok && hx != tc.props.Action) {
				t.Fatalf("hx-post = %q (present %v)", hx, ok)
			}
			if dlg.Find(`form[method="dialog"]`).Length() < 1 {
				t.Fatal("no way to cancel without JavaScript")
			}
		})
	}
}

func TestSecretModal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		open bool
	}{
		{"open on load", true},
		{"closed", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.SecretModal(c.SecretProps{ID: "sa-token", Title: "Service account created", Label: "Token", Value: "eyJ.secret", Open: tc.open}))
			dlg := viewtest.Find(t, doc, "sa-token")
			if _, ok := dlg.Attr("open"); ok != tc.open {
				t.Fatalf("open = %v", ok)
			}
			in := viewtest.Find(t, doc, "secret-value")
			if v, _ := in.Attr("value"); v != "eyJ.secret" {
				t.Fatalf("value = %q", v)
			}
			if _, ro := in.Attr("readonly"); !ro {
				t.Fatal("secret field is editable")
			}
			id, _ := in.Attr("id")
			if target, _ := dlg.Find("[data-copy-target]").Attr("data-copy-target"); target != id {
				t.Fatalf("copy targets %q, field is %q", target, id)
			}
			if !strings.Contains(dlg.Text(), "you will not see this again") {
				t.Fatal("no one-time warning")
			}
		})
	}
}

// Every icon a component draws must exist in the embedded sprite, or it renders as a blank box.
func TestIconsExistInSprite(t *testing.T) {
	t.Parallel()
	sprite, _, ok := assets.Lookup(assets.Path("icons.svg"))
	if !ok {
		t.Fatal("sprite not embedded")
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`<symbol id="([^"]+)"`).FindAllStringSubmatch(string(sprite), -1) {
		ids[m[1]] = true
	}
	all := []templ.Component{
		c.Toasts([]c.Flash{{Kind: c.FlashSuccess}, {Kind: c.FlashError}, {Kind: c.FlashInfo}}),
		c.TextField(c.FieldProps{Name: "n", Error: "e"}),
		c.SearchBox(c.SearchBoxProps{Action: "/"}),
		c.SecretModal(c.SecretProps{ID: "s"}),
		c.ConfirmModal(c.ConfirmProps{ID: "m"}),
		c.Pagination(c.PaginationProps{Total: 200, Page: 2, BaseURL: "/"}),
		inTableHead(c.SortHeader(c.SortHeaderProps{Key: "a", Sort: "a"})),
		inTableHead(c.SortHeader(c.SortHeaderProps{Key: "a", Sort: "a", Desc: true})),
		inTableHead(c.SortHeader(c.SortHeaderProps{Key: "a"})),
		c.FilterChips(c.FilterChipsProps{Chips: []c.Chip{{Active: true}}}),
		c.CodeBlock(c.CodeBlockProps{ID: "c"}),
		c.FormError("x"),
	}
	for i, comp := range all {
		doc := viewtest.Render(t, comp)
		doc.Find("use").Each(func(_ int, u *goquery.Selection) {
			href, _ := u.Attr("href")
			if !strings.HasPrefix(href, assets.Path("icons.svg")+"#") {
				t.Fatalf("component %d: icon href %q is not the hashed sprite", i, href)
			}
			if name := href[strings.Index(href, "#")+1:]; !ids[name] {
				t.Fatalf("component %d: icon %q missing from icons.svg", i, name)
			}
		})
	}
}
