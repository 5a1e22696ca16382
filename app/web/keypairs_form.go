package web

import (
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	kpview "github.com/pomerium-console-oss/pomerium-console/views/keypairs"
)

func (s *server) keyPairsNew(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleManager); err != nil {
		return err
	}
	vm := s.keyPairForm(c, db.KeyPair{NamespaceID: st.namespace.ID}, false)
	return s.page(c, fiber.StatusOK, vm.Title, keyPairsSection, kpview.FormPage(vm))
}

func (s *server) keyPairsCreate(c *fiber.Ctx) error {
	st := state(c)
	in := keypairs.Input{NamespaceID: st.namespace.ID, Name: c.FormValue("name"), Password: c.FormValue("password")}
	var err error
	if in.Certificate, err = pemValue(c, "certificate", kpview.CertificateFile, keypairs.MaxCertificateLength); err != nil {
		return err
	}
	if in.Key, err = pemValue(c, "key", kpview.KeyFile, keypairs.MaxKeyLength); err != nil {
		return err
	}
	k, err := s.KeyPairs.Create(c.UserContext(), st.access, in)
	if err != nil {
		vm := s.keyPairForm(c, db.KeyPair{NamespaceID: in.NamespaceID, Name: in.Name}, false)
		vm.Certificate, vm.KeySent = in.Certificate, in.Key != ""
		return s.keyPairFormError(c, vm, err)
	}
	st.sess.addFlash("success", "Key pair “"+k.Name+"” uploaded.")
	return redirect(c, keyPairURL(k.NamespaceID, k.ID))
}

func (s *server) keyPairsEdit(c *fiber.Ctx) error {
	st := state(c)
	k, err := s.KeyPairs.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	if err := st.access.Require(k.NamespaceID, rbac.RoleManager); err != nil {
		return err
	}
	vm := s.keyPairForm(c, k, true)
	return s.page(c, fiber.StatusOK, vm.Title, keyPairsSection, kpview.FormPage(vm))
}

func (s *server) keyPairsUpdate(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	name := c.FormValue("name")
	in := keypairs.UpdateInput{Name: &name, Password: c.FormValue("password"), ClearKey: c.FormValue("clear_key") != ""}
	var err error
	if in.Certificate, err = pemValue(c, "certificate", kpview.CertificateFile, keypairs.MaxCertificateLength); err != nil {
		return err
	}
	if in.Key, err = pemValue(c, "key", kpview.KeyFile, keypairs.MaxKeyLength); err != nil {
		return err
	}
	k, err := s.KeyPairs.Update(c.UserContext(), st.access, id, in)
	if err != nil {
		old, gerr := s.KeyPairs.Get(c.UserContext(), st.access, id)
		if gerr != nil {
			return gerr
		}
		old.Name = name
		vm := s.keyPairForm(c, old, true)
		vm.Certificate, vm.KeySent, vm.ClearKey = in.Certificate, in.Key != "", in.ClearKey
		return s.keyPairFormError(c, vm, err)
	}
	st.sess.addFlash("success", "Key pair “"+k.Name+"” saved.")
	return redirect(c, keyPairURL(k.NamespaceID, k.ID))
}

// pemValue is the PEM of a form field: the chosen file when there is one,
// else the text area. A file is read one byte past limit, so that the
// service reports it as too long.
func pemValue(c *fiber.Ctx, field, file string, limit int) (string, error) {
	fh, err := c.FormFile(file)
	if err != nil || fh.Size == 0 {
		return c.FormValue(field), nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("web: open upload %s: %w", file, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return "", fmt.Errorf("web: read upload %s: %w", file, err)
	}
	return string(b), nil
}

// keyPairFormError re-renders the form with every field error (422), or
// hands any other error to the error page.
func (s *server) keyPairFormError(c *fiber.Ctx, vm kpview.FormVM, err error) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	vm.Errors, vm.FormError = fieldMessages(ve), ve.Form
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusUnprocessableEntity, kpview.Form(vm))
	}
	return s.page(c, fiber.StatusUnprocessableEntity, vm.Title, keyPairsSection, kpview.FormPage(vm))
}

// keyPairForm builds the upload form, or the edit form of k.
func (s *server) keyPairForm(c *fiber.Ctx, k db.KeyPair, edit bool) kpview.FormVM {
	st := state(c)
	ns, _ := st.access.Tree().Get(k.NamespaceID)
	list := keyPairURL(k.NamespaceID, "")
	vm := kpview.FormVM{
		Title: "Upload a key pair", Action: list, CancelURL: list, GenerateURL: list + "/generate",
		CSRFToken: st.sess.csrfToken(), NamespaceName: ns.Name, Name: k.Name,
	}
	if edit {
		vm.Title, vm.IsEdit, vm.HasKey = "Edit key pair", true, keypairs.HasKey(k)
		vm.Action, vm.CancelURL = keyPairURL(k.NamespaceID, k.ID), keyPairURL(k.NamespaceID, k.ID)
		vm.Current = fmt.Sprintf("%s, valid until %s (SHA-256 %.16s…)", k.Subject, certDate(k.NotAfter), k.Fingerprint)
	}
	return vm
}
