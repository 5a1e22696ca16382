package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	kpview "github.com/pomerium-console-oss/pomerium-console/views/keypairs"
)

func (s *server) keyPairsShow(c *fiber.Ctx) error {
	st := state(c)
	k, err := s.KeyPairs.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	chain, err := keypairs.Chain(k)
	if err != nil {
		return err
	}
	usedBy, err := s.KeyPairs.Usage(c.UserContext(), st.access, k.ID)
	if err != nil {
		return err
	}
	ns, _ := st.access.Tree().Get(k.NamespaceID)
	now := s.Now()
	base := keyPairURL(k.NamespaceID, k.ID)
	vm := kpview.DetailVM{
		ID: k.ID, Name: k.Name, NamespaceName: ns.Name, Status: string(keypairs.StatusOf(k, now)),
		ExpiresIn: relativeDays(k.NotAfter, now), HasKey: keypairs.HasKey(k), CertificatePEM: k.CertificatePEM,
		UsedBy:  usedBy,
		Created: formatTime(k.CreatedAt), Modified: formatTime(k.ModifiedAt),
		CanManage: st.access.Role(k.NamespaceID) >= rbac.RoleManager,
		EditURL:   base + "/edit", DeleteURL: base + "/delete", CSRFToken: st.sess.csrfToken(),
		ListURL: keyPairURL(st.namespace.ID, ""),
	}
	for i, info := range chain {
		vm.Chain = append(vm.Chain, certVM(info, chainRole(i, len(chain), info)))
	}
	vm.Leaf = vm.Chain[0]
	return s.page(c, fiber.StatusOK, k.Name, keyPairsSection, kpview.DetailPage(vm))
}

// chainRole names certificate i of a chain of n.
func chainRole(i, n int, info keypairs.CertInfo) string {
	switch {
	case n == 1 && info.SelfSigned:
		return "Self-signed"
	case i == 0:
		return "Leaf"
	case info.SelfSigned:
		return "Root"
	}
	return "Intermediate"
}

func certVM(i keypairs.CertInfo, role string) kpview.CertVM {
	return kpview.CertVM{
		Role: role, Subject: i.Subject, Issuer: i.Issuer, DNSNames: i.DNSNames, IPAddresses: i.IPAddresses,
		Emails: i.Emails, URIs: i.URIs, Serial: i.Serial, NotBefore: certDate(i.NotBefore), NotAfter: certDate(i.NotAfter),
		Fingerprint: i.Fingerprint, IsCA: i.IsCA, KeyType: i.KeyType,
	}
}

// keyPairsDelete deletes a key pair; a refusal (still in use) comes back as
// an error flash naming what uses it.
func (s *server) keyPairsDelete(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	k, err := s.KeyPairs.Get(c.UserContext(), st.access, id)
	if err != nil {
		return err
	}
	err = s.KeyPairs.Delete(c.UserContext(), st.access, id)
	switch {
	case errors.Is(err, errs.ErrConflict):
		st.sess.addFlash("error", errs.Reason(err))
		return redirect(c, keyPairURL(k.NamespaceID, id))
	case err != nil:
		return err
	}
	st.sess.addFlash("success", "Key pair “"+k.Name+"” deleted.")
	return redirect(c, keyPairURL(st.namespace.ID, ""))
}
