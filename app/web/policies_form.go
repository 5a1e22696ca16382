package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	policyview "github.com/pomerium-console-oss/pomerium-console/views/policies"
)

// starterPPL is what a new policy's editor starts with.
const starterPPL = "allow:\n  and:\n    - domain:\n        is: example.com\n"

// requireWriter refuses callers who may not write the namespace's
// policies: the form and the editor's endpoints, which parse and compile
// whatever they are sent, are theirs only.
func requireWriter(c *fiber.Ctx) error {
	st := state(c)
	return st.access.Require(st.namespace.ID, rbac.RoleManager)
}

func (s *server) policiesNew(c *fiber.Ctx) error {
	st := state(c)
	if err := requireWriter(c); err != nil {
		return err
	}
	vm := s.policyForm(c, db.Policy{NamespaceID: st.namespace.ID, PPL: starterPPL}, "")
	return s.page(c, fiber.StatusOK, vm.Title, "policies", policyview.FormPage(vm))
}

func (s *server) policiesCreate(c *fiber.Ctx) error {
	st := state(c)
	in := policyInput(c)
	in.NamespaceID = st.namespace.ID
	p, err := s.Policies.Create(c.UserContext(), st.access, in)
	if err != nil {
		return s.policyFormError(c, db.Policy{NamespaceID: in.NamespaceID, Name: in.Name, Description: in.Description,
			Explanation: in.Explanation, Remediation: in.Remediation, Enforced: in.Enforced, PPL: in.PPL}, "", err)
	}
	st.sess.addFlash("success", "Policy “"+p.Name+"” created.")
	return redirect(c, nsURL(p.NamespaceID, "policies/"+p.ID))
}

func (s *server) policiesEdit(c *fiber.Ctx) error {
	st := state(c)
	p, err := s.Policies.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	if err := st.access.Require(p.NamespaceID, rbac.RoleManager); err != nil {
		return err
	}
	vm := s.policyForm(c, p, p.ID)
	return s.page(c, fiber.StatusOK, vm.Title, "policies", policyview.FormPage(vm))
}

func (s *server) policiesUpdate(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	in := policyInput(c)
	p, err := s.Policies.Update(c.UserContext(), st.access, id, policies.UpdateInput{
		Name: &in.Name, Description: &in.Description, Explanation: &in.Explanation,
		Remediation: &in.Remediation, Enforced: &in.Enforced, PPL: &in.PPL,
	})
	if err != nil {
		old, gerr := s.Policies.Get(c.UserContext(), st.access, id)
		if gerr != nil {
			return gerr
		}
		return s.policyFormError(c, db.Policy{ID: id, NamespaceID: old.NamespaceID, Name: in.Name, Description: in.Description,
			Explanation: in.Explanation, Remediation: in.Remediation, Enforced: in.Enforced, PPL: in.PPL}, id, err)
	}
	st.sess.addFlash("success", "Policy “"+p.Name+"” saved.")
	return redirect(c, nsURL(p.NamespaceID, "policies/"+p.ID))
}

// policiesPreview answers typing in the YAML: builder, problems and Rego.
func (s *server) policiesPreview(c *fiber.Ctx) error {
	if err := requireWriter(c); err != nil {
		return err
	}
	return renderFragment(c, fiber.StatusOK, policyview.Preview(s.editorVM(c, c.FormValue("ppl"), true, builderRules(c)...)))
}

// policiesBuilder applies a builder edit to the YAML and redraws the editor.
func (s *server) policiesBuilder(c *fiber.Ctx) error {
	if err := requireWriter(c); err != nil {
		return err
	}
	src, rows, err := policies.ApplyBuilder(builderRules(c), c.FormValue(policyview.BuilderCommand))
	if err != nil {
		// The rows could not become text (a tampered field); keep the text.
		return renderFragment(c, fiber.StatusOK, policyview.Editor(s.editorVM(c, c.FormValue("ppl"), true, builderRules(c)...), ""))
	}
	return renderFragment(c, fiber.StatusOK, policyview.Editor(s.editorVM(c, src, false, rows...), ""))
}

func policyInput(c *fiber.Ctx) policies.Input {
	return policies.Input{
		Name:        c.FormValue("name"),
		Description: c.FormValue("description"),
		Explanation: c.FormValue("explanation"),
		Remediation: c.FormValue("remediation"),
		Enforced:    c.FormValue("enforced") != "",
		PPL:         c.FormValue("ppl"),
	}
}

// policyFormError re-renders the form with every field error (422), or hands
// any other error to the error page.
func (s *server) policyFormError(c *fiber.Ctx, p db.Policy, editID string, err error) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	vm := s.policyForm(c, p, editID)
	vm.Errors, vm.FormError = fieldMessages(ve), ve.Form
	// The editor lists what is wrong with the text itself; an empty or
	// over-long text keeps the service's own message.
	if fe, bad := ve.Fields["ppl"]; bad && fe.Code == errs.CodeInvalid && len(vm.Editor.Problems) > 0 {
		vm.Errors["ppl"] = "Fix the problems listed under the editor."
	}
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusUnprocessableEntity, policyview.Form(vm))
	}
	return s.page(c, fiber.StatusUnprocessableEntity, vm.Title, "policies", policyview.FormPage(vm))
}

// policyForm builds the create (editID == "") or edit form.
func (s *server) policyForm(c *fiber.Ctx, p db.Policy, editID string) policyview.FormVM {
	st := state(c)
	ns, _ := st.access.Tree().Get(p.NamespaceID)
	vm := policyview.FormVM{
		Title:         "New policy",
		Action:        nsURL(p.NamespaceID, "policies"),
		CancelURL:     nsURL(p.NamespaceID, "policies"),
		CSRFToken:     st.sess.csrfToken(),
		NamespaceName: ns.Name,
		Name:          p.Name, Description: p.Description, Explanation: p.Explanation, Remediation: p.Remediation,
		Enforced: p.Enforced,
		// A re-drawn form keeps the builder's posted shape (none on a GET).
		Editor: s.editorVM(c, p.PPL, true, builderRules(c)...),
	}
	if editID != "" {
		vm.Title, vm.IsEdit = "Edit policy", true
		vm.Action = nsURL(p.NamespaceID, "policies/"+editID)
		vm.CancelURL = nsURL(p.NamespaceID, "policies/"+editID)
	}
	return vm
}
