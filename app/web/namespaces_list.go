package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	nsview "github.com/pomerium-console-oss/pomerium-console/views/namespaces"
)

func registerNamespaces(r fiber.Router, s *server) {
	r.Get("/namespaces", s.namespacesList)
	r.Get("/namespaces/new", s.namespacesNew)
	r.Post("/namespaces", s.namespacesCreate)
	r.Get("/namespaces/:id/edit", s.namespacesEdit)
	r.Post("/namespaces/:id", s.namespacesUpdate)
	r.Post("/namespaces/:id/delete", s.namespacesDelete)
}

// namespacesList shows every namespace the caller can see as a tree; with
// ?q= only the matches and the path down to them.
func (s *server) namespacesList(c *fiber.Ctx) error {
	st := state(c)
	q := strings.TrimSpace(c.Query("q"))
	vm := nsview.ListVM{
		CurrentID: st.namespace.ID,
		Query:     q,
		SearchURL: nsURL(st.namespace.ID, "namespaces"),
		CanCreate: st.access.Role(st.namespace.ID) >= rbac.RoleAdmin,
		NewURL:    nsURL(st.namespace.ID, "namespaces/new"),
		CSRFToken: st.sess.csrfToken(),
		Rows:      namespaceRows(st.access, st.namespace.ID, q),
	}
	if c.Get("HX-Target") == nsview.TreeTargetID {
		return renderFragment(c, fiber.StatusOK, nsview.Tree(vm))
	}
	return s.page(c, fiber.StatusOK, "Namespaces", "namespaces", nsview.ListPage(vm))
}

// namespaceRows lists the visible namespaces in tree order. Invisible
// ancestors of visible ones are kept (greyed) so the tree stays a tree.
func namespaceRows(acc *rbac.Access, current, q string) []nsview.Row {
	tree := acc.Tree()
	keep := visibleWithAncestors(acc, func(n nstree.Node) bool {
		return q == "" || strings.Contains(strings.ToLower(n.Name), strings.ToLower(q))
	})
	var rows []nsview.Row
	for _, n := range tree.All() {
		if !keep[n.ID] {
			continue
		}
		role := acc.Role(n.ID)
		parentRole := acc.Role(n.ParentID)
		rows = append(rows, nsview.Row{
			ID:          n.ID,
			Name:        n.Name,
			Depth:       n.Depth,
			Role:        roleTitle(role),
			Accessible:  role >= rbac.RoleGuest,
			Current:     n.ID == current,
			Children:    len(tree.Children(n.ID)),
			URL:         nsURL(n.ID, "namespaces"),
			MembersURL:  nsURL(n.ID, "members"),
			CanAddChild: role >= rbac.RoleAdmin,
			NewChildURL: nsURL(n.ID, "namespaces/new"),
			CanEdit:     role >= rbac.RoleAdmin && n.ParentID != "",
			EditURL:     nsURL(current, "namespaces/"+n.ID+"/edit"),
			CanDelete:   parentRole >= rbac.RoleAdmin && n.ParentID != "",
			DeleteURL:   nsURL(current, "namespaces/"+n.ID+"/delete"),
		})
	}
	return rows
}

// visibleWithAncestors marks the namespaces the caller can see that match,
// plus every ancestor of those.
func visibleWithAncestors(acc *rbac.Access, match func(nstree.Node) bool) map[string]bool {
	keep := map[string]bool{}
	for _, n := range acc.Tree().All() {
		if !acc.Visible(n.ID) || !match(n) {
			continue
		}
		for _, a := range acc.Tree().Ancestors(n.ID) {
			keep[a.ID] = true
		}
	}
	return keep
}

func roleTitle(r rbac.Role) string {
	if r == rbac.RoleNone {
		return ""
	}
	return r.Title()
}

// nsURL builds a namespace-scoped URL: /ns/{id}/{rest}.
func nsURL(nsID, rest string) string {
	return "/ns/" + nsID + "/" + rest
}
