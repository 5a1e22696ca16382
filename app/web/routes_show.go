package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	routeview "github.com/pomerium-console-oss/pomerium-console/views/routes"
)

// keyPairUses names a route's TLS fields on its page.
var keyPairUses = map[string]string{
	"tlsCustomCaKeyPairId":           "Upstream CA",
	"tlsClientKeyPairId":             "Client certificate to the upstream",
	"tlsDownstreamClientCaKeyPairId": "CA of people's client certificates",
}

func (s *server) routesShow(c *fiber.Ctx) error {
	st := state(c)
	ctx := c.UserContext()
	r, err := s.Routes.Get(ctx, st.access, c.Params("id"))
	if err != nil {
		return err
	}
	ns, _ := st.access.Tree().Get(r.NamespaceID)
	base := nsURL(r.NamespaceID, "routes/"+r.ID)
	vm := routeview.DetailVM{
		ID: r.ID, Name: r.Name, NamespaceName: ns.Name, From: routeFrom(r),
		Facts: routeFacts(r, ns.Name), Settings: routeSettings(r),
		CanManage: st.access.Role(r.NamespaceID) >= rbac.RoleManager,
		EditURL:   base + "/edit", CloneURL: base + "/clone", DeleteURL: base + "/delete",
		CSRFToken: st.sess.csrfToken(), ListURL: nsURL(st.namespace.ID, "routes"),
	}
	eff, err := s.Routes.Effective(ctx, st.access, r)
	if err != nil {
		return err
	}
	for _, list := range []struct {
		src []db.Policy
		dst *[]routeview.PolicyVM
	}{{eff.Enforced, &vm.Enforced}, {eff.Attached, &vm.Attached}} {
		for _, p := range list.src {
			pns, _ := st.access.Tree().Get(p.NamespaceID)
			*list.dst = append(*list.dst, routeview.PolicyVM{
				ID: p.ID, Name: p.Name, URL: nsURL(p.NamespaceID, "policies/"+p.ID), NamespaceName: pns.Name,
				Description: p.Description, Enforced: p.Enforced, Rego: p.Rego,
			})
		}
	}
	certs, err := s.Routes.Certificates(ctx, st.access, r)
	if err != nil {
		return err
	}
	for _, k := range certs {
		vm.Certificates = append(vm.Certificates, s.certVM(st.access, k, ""))
	}
	refs, err := s.Routes.KeyPairs(ctx, r)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		vm.KeyPairs = append(vm.KeyPairs, s.certVM(st.access, ref.KeyPair, keyPairUses[ref.Field]))
	}
	return s.page(c, fiber.StatusOK, r.Name, "routes", routeview.DetailPage(vm))
}

func (s *server) certVM(acc *rbac.Access, k db.KeyPair, use string) routeview.CertVM {
	kns, _ := acc.Tree().Get(k.NamespaceID)
	return routeview.CertVM{
		Name: k.Name, URL: nsURL(k.NamespaceID, "certificates/"+k.ID), NamespaceName: kns.Name, Use: use,
		Subject: k.Subject, NotAfter: k.NotAfter.Local().Format("2006-01-02"), Status: string(s.Routes.KeyPairStatus(k)),
	}
}

// routesDelete deletes a route and returns to the list.
func (s *server) routesDelete(c *fiber.Ctx) error {
	st := state(c)
	r, err := s.Routes.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	if err := s.Routes.Delete(c.UserContext(), st.access, r.ID); err != nil {
		return err
	}
	st.sess.addFlash("success", "Route “"+r.Name+"” deleted.")
	return redirect(c, nsURL(st.namespace.ID, "routes"))
}
