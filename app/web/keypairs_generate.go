package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	kpview "github.com/pomerium-console-oss/pomerium-console/views/keypairs"
)

// defaultValidDays is what the generate form starts with: a year, within
// what browsers accept for a server certificate.
const defaultValidDays = "365"

func (s *server) keyPairsGenerateForm(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleManager); err != nil {
		return err
	}
	vm := s.generateForm(c, keypairs.GenerateInput{KeyType: keypairs.KeyTypes[0].Value})
	vm.ValidDays = defaultValidDays
	return s.page(c, fiber.StatusOK, "Generate a certificate", keyPairsSection, kpview.GeneratePage(vm))
}

func (s *server) keyPairsGenerate(c *fiber.Ctx) error {
	st := state(c)
	days := strings.TrimSpace(c.FormValue("validDays"))
	in := keypairs.GenerateInput{
		NamespaceID: st.namespace.ID, Name: c.FormValue("name"), CommonName: c.FormValue("commonName"),
		SANs: splitNames(c.FormValue("sans")), KeyType: c.FormValue("keyType"), CA: c.FormValue("ca") != "",
	}
	// A number that does not parse stays 0, which the service refuses.
	in.ValidDays, _ = strconv.Atoi(days)
	k, err := s.KeyPairs.Generate(c.UserContext(), st.access, in)
	if err != nil {
		ve, ok := errs.AsValidation(err)
		if !ok {
			return err
		}
		vm := s.generateForm(c, in)
		vm.SANs, vm.ValidDays = c.FormValue("sans"), days
		vm.Errors, vm.FormError = fieldMessages(ve), ve.Form
		if isHTMX(c) {
			return renderFragment(c, fiber.StatusUnprocessableEntity, kpview.GenerateForm(vm))
		}
		return s.page(c, fiber.StatusUnprocessableEntity, "Generate a certificate", keyPairsSection, kpview.GeneratePage(vm))
	}
	what := "Certificate"
	if k.IsCA {
		what = "Certificate authority"
	}
	st.sess.addFlash("success", what+" “"+k.Name+"” generated.")
	return redirect(c, keyPairURL(k.NamespaceID, k.ID))
}

// generateForm builds the generate form holding in.
func (s *server) generateForm(c *fiber.Ctx, in keypairs.GenerateInput) kpview.GenerateVM {
	st := state(c)
	list := keyPairURL(st.namespace.ID, "")
	vm := kpview.GenerateVM{
		Action: list + "/generate", CancelURL: list, UploadURL: list + "/new", CSRFToken: st.sess.csrfToken(),
		NamespaceName: st.namespace.Name, Name: in.Name, CommonName: in.CommonName,
		SANs: strings.Join(in.SANs, "\n"), CA: in.CA,
	}
	for _, k := range keypairs.KeyTypes {
		vm.KeyTypes = append(vm.KeyTypes, components.Option{Value: k.Value, Label: k.Label, Selected: k.Value == in.KeyType})
	}
	return vm
}

// splitNames splits a list typed one per line or comma-separated.
func splitNames(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
