package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	policyview "github.com/pomerium-console-oss/pomerium-console/views/policies"
)

func (s *server) policiesShow(c *fiber.Ctx) error {
	st := state(c)
	p, err := s.Policies.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	ns, _ := st.access.Tree().Get(p.NamespaceID)
	base := nsURL(p.NamespaceID, "policies/"+p.ID)
	vm := policyview.DetailVM{
		ID: p.ID, Name: p.Name, NamespaceName: ns.Name, Enforced: p.Enforced, Description: p.Description,
		Explanation: p.Explanation, Remediation: p.Remediation, PPL: p.PPL, Rego: p.Rego,
		Created:   formatTime(p.CreatedAt),
		Modified:  formatTime(p.ModifiedAt),
		CanManage: st.access.Role(p.NamespaceID) >= rbac.RoleManager,
		EditURL:   base + "/edit", CloneURL: base + "/clone", DeleteURL: base + "/delete",
		CSRFToken: st.sess.csrfToken(),
		ListURL:   nsURL(st.namespace.ID, "policies"),
	}
	if vm.Routes, err = s.policyRouteUse(c, p); err != nil {
		return err
	}
	root := -1
	for _, n := range policies.ScopeOf(st.access, p).Namespaces {
		depth := len(st.access.Tree().Ancestors(n.ID))
		if root < 0 {
			root = depth
		}
		vm.Scope = append(vm.Scope, policyview.ScopeItem{Name: n.Name, URL: nsURL(n.ID, "policies"), Depth: depth - root})
	}
	return s.page(c, fiber.StatusOK, p.Name, "policies", policyview.DetailPage(vm))
}

func (s *server) policiesClone(c *fiber.Ctx) error {
	st := state(c)
	p, err := s.Policies.Clone(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	st.sess.addFlash("success", "Policy cloned as “"+p.Name+"”.")
	return redirect(c, nsURL(p.NamespaceID, "policies/"+p.ID+"/edit"))
}

// policiesDelete deletes a policy; a refusal (still in use) comes back as an
// error flash naming what uses it.
func (s *server) policiesDelete(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	p, err := s.Policies.Get(c.UserContext(), st.access, id)
	if err != nil {
		return err
	}
	err = s.Policies.Delete(c.UserContext(), st.access, id)
	switch {
	case errors.Is(err, errs.ErrConflict):
		st.sess.addFlash("error", errs.Reason(err))
		return redirect(c, nsURL(p.NamespaceID, "policies/"+id))
	case err != nil:
		return err
	}
	st.sess.addFlash("success", "Policy “"+p.Name+"” deleted.")
	return redirect(c, nsURL(st.namespace.ID, "policies"))
}

// policyRouteUse lists the routes p applies to, a first page of each kind.
func (s *server) policyRouteUse(c *fiber.Ctx, p db.Policy) (policyview.RouteUse, error) {
	st := state(c)
	attached, enforced, err := s.Routes.UsingPolicy(c.UserContext(), st.access, p, 20)
	if err != nil {
		return policyview.RouteUse{}, err
	}
	use := policyview.RouteUse{
		AttachedTotal: attached.Total, EnforcedTotal: enforced.Total,
		ListURL: nsURL(p.NamespaceID, "routes?descendants=on"),
	}
	for _, l := range []struct {
		src []db.Route
		dst *[]policyview.RouteLink
	}{{attached.Routes, &use.Attached}, {enforced.Routes, &use.Enforced}} {
		for _, r := range l.src {
			ns, _ := st.access.Tree().Get(r.NamespaceID)
			*l.dst = append(*l.dst, policyview.RouteLink{Name: r.Name, URL: nsURL(r.NamespaceID, "routes/"+r.ID), NamespaceName: ns.Name})
		}
	}
	return use, nil
}
