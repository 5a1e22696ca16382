package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	policyview "github.com/pomerium-console-oss/pomerium-console/views/policies"
)

func registerPolicies(r fiber.Router, s *server) {
	r.Get("/policies", s.policiesList)
	r.Get("/policies/new", s.policiesNew)
	r.Post("/policies", s.policiesCreate)
	r.Post("/policies/preview", s.policiesPreview)
	r.Post("/policies/builder", s.policiesBuilder)
	r.Get("/policies/:id", s.policiesShow)
	r.Get("/policies/:id/edit", s.policiesEdit)
	r.Post("/policies/:id", s.policiesUpdate)
	r.Post("/policies/:id/clone", s.policiesClone)
	r.Post("/policies/:id/delete", s.policiesDelete)
}

// policiesList shows the policies of the current namespace; the filters
// live in the query string so a filtered view can be shared.
func (s *server) policiesList(c *fiber.Ctx) error {
	st := state(c)
	q := policies.Query{
		NamespaceID:        st.namespace.ID,
		IncludeDescendants: c.Query("descendants") == "on",
		Search:             c.Query("q"),
	}
	enforced := c.Query("enforced")
	if b, err := strconv.ParseBool(enforced); err == nil {
		q.Enforced = &b
	} else {
		enforced = ""
	}
	pageNum := pageNumber(c)
	q.Offset = (pageNum - 1) * policies.PageSize
	page, err := s.Policies.List(c.UserContext(), st.access, q)
	if err != nil {
		return err
	}
	base := nsURL(st.namespace.ID, "policies")
	filters := filterValues("q", q.Search, "enforced", enforced, "descendants", checkbox(q.IncludeDescendants))
	vm := policyview.ListVM{
		BaseURL:            base,
		NewURL:             base + "/new",
		CanCreate:          st.access.Role(st.namespace.ID) >= rbac.RoleManager,
		Search:             q.Search,
		Enforced:           enforced,
		IncludeDescendants: q.IncludeDescendants,
		Query:              filters,
		Pager:              components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: policies.PageSize, BaseURL: base, Query: filters},
	}
	for _, p := range page.Policies {
		ns, _ := st.access.Tree().Get(p.NamespaceID)
		vm.Rows = append(vm.Rows, policyview.Row{
			Name: p.Name, URL: nsURL(p.NamespaceID, "policies/"+p.ID), Enforced: p.Enforced,
			NamespaceName: ns.Name, Description: p.Description, Updated: p.ModifiedAt.Local().Format("2006-01-02 15:04"),
		})
	}
	if c.Get("HX-Target") == policyview.ListTargetID {
		return renderFragment(c, fiber.StatusOK, policyview.List(vm))
	}
	return s.page(c, fiber.StatusOK, "Policies", "policies", policyview.ListPage(vm))
}
