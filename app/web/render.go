package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// renderFragment writes one component without the layout (htmx partials).
func renderFragment(c *fiber.Ctx, status int, comp templ.Component) error {
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return comp.Render(c.UserContext(), c.Response().BodyWriter())
}

// page renders body inside the console layout, or alone for an htmx
// request that targets part of the page.
func (s *server) page(c *fiber.Ctx, status int, title, section string, body templ.Component) error {
	if isHTMX(c) {
		return renderFragment(c, status, body)
	}
	return renderFragment(c, status, layout.Page(s.layoutVM(c, title, section), body))
}

// layoutVM describes the shell around a page for the signed-in caller.
func (s *server) layoutVM(c *fiber.Ctx, title, section string) layout.LayoutVM {
	st := state(c)
	vm := layout.LayoutVM{
		Title:     title,
		Section:   section,
		Version:   s.Version,
		DBKind:    dbKindTitle(s.Store.Kind()),
		CSRFToken: st.sess.csrfToken(),
		Flashes:   popFlashes(st.sess),
	}
	if st.access == nil {
		return vm
	}
	current := st.namespace
	if current.ID == "" {
		current, _ = st.access.Tree().Get(st.access.Home())
	}
	vm.Namespace = layout.NamespaceVM{ID: current.ID, Name: current.Name}
	// The path leads up to the current namespace, which the switcher names;
	// ancestors the caller cannot open are named but not linked.
	if path := st.access.Tree().Ancestors(current.ID); len(path) > 0 {
		for _, a := range path[:len(path)-1] {
			crumb := layout.Crumb{Name: a.Name}
			if st.access.Visible(a.ID) {
				crumb.URL = nsURL(a.ID, section)
			}
			vm.Namespace.Path = append(vm.Namespace.Path, crumb)
		}
	}
	keep := visibleWithAncestors(st.access, func(nstree.Node) bool { return true })
	for _, n := range st.access.Tree().All() {
		if keep[n.ID] {
			vm.Switcher = append(vm.Switcher, layout.SwitcherItem{
				ID: n.ID, Name: n.Name, Depth: n.Depth, Accessible: st.access.Visible(n.ID), Current: n.ID == current.ID,
			})
		}
	}
	vm.User = userVM(st.principal, st.access.Role(current.ID))
	vm.PendingChanges = s.pendingCount(c, current.ID)
	return vm
}

// pendingCount is the size of the open changeset of the cluster serving
// nsID, for the top bar's pill: 0 when the caller may not see it, or when
// it cannot be computed (logged; the page still renders).
func (s *server) pendingCount(c *fiber.Ctx, nsID string) int {
	if s.Deploy == nil {
		return 0
	}
	n, err := s.Deploy.PendingCount(c.UserContext(), state(c).access, nsID)
	if err != nil {
		s.Logger.Warn("count pending changes", "error", err, "request_id", requestID(c))
		return 0
	}
	return n
}

func userVM(p authn.Principal, role rbac.Role) *layout.UserVM {
	u := &layout.UserVM{Name: p.DisplayName(), Email: p.Email, Role: roleTitle(role), SignOutURL: "/sign-out"}
	switch p.Kind {
	case authn.KindRecovery:
		u.AuthMethod = "Recovery token, until " + p.ExpiresAt.Local().Format("Jan 2 15:04")
	case authn.KindPomerium:
		u.AuthMethod = "Pomerium"
	default:
		u.AuthMethod = p.Kind
	}
	return u
}

func popFlashes(sess *session) []layout.Flash {
	var out []layout.Flash
	for _, f := range sess.popFlashes() {
		kind, msg, _ := strings.Cut(f, "|")
		out = append(out, components.Flash{Kind: kind, Message: msg})
	}
	return out
}

// timeFormat is how pages print a moment, in the server's zone.
const timeFormat = "2006-01-02 15:04:05"

// formatTime prints a time in the server's zone, or "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(timeFormat)
}

// plural counts n of something: "1 day", "3 days".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func dbKindTitle(kind string) string {
	if kind == "postgres" {
		return "Postgres"
	}
	return "SQLite"
}
