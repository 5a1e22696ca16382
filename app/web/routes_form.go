package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	routeview "github.com/pomerium-console-oss/pomerium-console/views/routes"
)

// routeFormMode is what a form page is for.
type routeFormMode struct {
	editID string // the route being edited; "" for a new one
	clone  bool
	// stored is the route being edited, to tell which secrets it holds.
	stored db.Route
}

func (s *server) routesNew(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleManager); err != nil {
		return err
	}
	return s.routeFormPage(c, fiber.StatusOK, st.namespace.ID, routeview.Fields{Action: routeview.ActionTo}, nil, routeFormMode{})
}

func (s *server) routesEdit(c *fiber.Ctx) error {
	st := state(c)
	r, err := s.Routes.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	if err := st.access.Require(r.NamespaceID, rbac.RoleManager); err != nil {
		return err
	}
	return s.routeFormPage(c, fiber.StatusOK, r.NamespaceID, routeFieldsOf(routes.InputOf(r)), nil, routeFormMode{editID: r.ID, stored: r})
}

// routesClone opens the new-route form filled in from a route; nothing is
// stored until it is saved.
func (s *server) routesClone(c *fiber.Ctx) error {
	st := state(c)
	in, err := s.Routes.CloneInput(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	return s.routeFormPage(c, fiber.StatusOK, in.NamespaceID, routeFieldsOf(in), nil, routeFormMode{clone: true})
}

func (s *server) routesCreate(c *fiber.Ctx) error {
	st := state(c)
	mode := routeFormMode{clone: c.FormValue("clone") != ""}
	f := routeFields(c)
	if applyCommand(&f, c.FormValue(routeview.CommandField)) {
		return s.routeFormPage(c, fiber.StatusOK, st.namespace.ID, f, nil, mode)
	}
	in, problems := routeInput(c, f)
	in.NamespaceID = st.namespace.ID
	if len(problems) > 0 {
		return s.routeFormError(c, st.namespace.ID, f, problems, s.Routes.Validate(c.UserContext(), st.access, "", in), mode)
	}
	r, err := s.Routes.Create(c.UserContext(), st.access, in)
	if err != nil {
		return s.routeFormError(c, st.namespace.ID, f, nil, err, mode)
	}
	st.sess.addFlash("success", "Route “"+r.Name+"” created.")
	return redirect(c, nsURL(r.NamespaceID, "routes/"+r.ID))
}

func (s *server) routesUpdate(c *fiber.Ctx) error {
	st := state(c)
	old, err := s.Routes.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	mode := routeFormMode{editID: old.ID, stored: old}
	f := routeFields(c)
	if applyCommand(&f, c.FormValue(routeview.CommandField)) {
		return s.routeFormPage(c, fiber.StatusOK, old.NamespaceID, f, nil, mode)
	}
	in, problems := routeInput(c, f)
	if len(problems) > 0 {
		return s.routeFormError(c, old.NamespaceID, f, problems, s.Routes.Validate(c.UserContext(), st.access, old.ID, in), mode)
	}
	r, err := s.Routes.Update(c.UserContext(), st.access, old.ID, in)
	if err != nil {
		return s.routeFormError(c, old.NamespaceID, f, nil, err, mode)
	}
	st.sess.addFlash("success", "Route “"+r.Name+"” saved.")
	return redirect(c, nsURL(r.NamespaceID, "routes/"+r.ID))
}

// routesValidate checks the form as it is typed and redraws it with its
// errors, leaving out "required" ones: a field not filled in yet is not
// a mistake until the form is submitted.
func (s *server) routesValidate(c *fiber.Ctx) error {
	st := state(c)
	nsID, mode := st.namespace.ID, routeFormMode{clone: c.FormValue("clone") != ""}
	if id := c.Params("id"); id != "" {
		old, err := s.Routes.Get(c.UserContext(), st.access, id)
		if err != nil {
			return err
		}
		nsID, mode = old.NamespaceID, routeFormMode{editID: old.ID, stored: old}
	}
	f := routeFields(c)
	in, problems := routeInput(c, f)
	in.NamespaceID = nsID
	verr := s.Routes.Validate(c.UserContext(), st.access, mode.editID, in)
	messages, err := mergeRouteErrors(problems, verr)
	if err != nil {
		return err
	}
	ve, _ := errs.AsValidation(verr)
	shown := map[string]string{}
	for field, msg := range messages {
		if _, parseProblem := problems[field]; parseProblem || ve == nil || ve.Fields[field].Code != errs.CodeRequired {
			shown[field] = msg
		}
	}
	vm, err := s.routeForm(c, nsID, f, shown, mode)
	if err != nil {
		return err
	}
	vm.Inline = true
	return renderFragment(c, fiber.StatusOK, routeview.Form(vm))
}

// mergeRouteErrors combines what did not parse with the service's field
// errors (parse problems win for their field); any other error comes back.
func mergeRouteErrors(problems map[string]string, err error) (map[string]string, error) {
	out := map[string]string{}
	if err != nil {
		ve, ok := errs.AsValidation(err)
		if !ok {
			return nil, err
		}
		out = fieldMessages(ve)
	}
	for field, msg := range problems {
		out[field] = msg
	}
	return out, nil
}

// routeFormError redraws the form with every problem (422), or hands any
// other error to the error page.
func (s *server) routeFormError(c *fiber.Ctx, nsID string, f routeview.Fields, problems map[string]string, err error, mode routeFormMode) error {
	messages, rest := mergeRouteErrors(problems, err)
	if rest != nil {
		return rest
	}
	formErr := ""
	if ve, ok := errs.AsValidation(err); ok {
		formErr = ve.Form
	}
	vm, ferr := s.routeForm(c, nsID, f, messages, mode)
	if ferr != nil {
		return ferr
	}
	vm.FormError = formErr
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusUnprocessableEntity, routeview.Form(vm))
	}
	return s.page(c, fiber.StatusUnprocessableEntity, vm.Title, "routes", routeview.FormPage(vm))
}

func (s *server) routeFormPage(c *fiber.Ctx, status int, nsID string, f routeview.Fields, messages map[string]string, mode routeFormMode) error {
	vm, err := s.routeForm(c, nsID, f, messages, mode)
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return renderFragment(c, status, routeview.Form(vm))
	}
	return s.page(c, status, vm.Title, "routes", routeview.FormPage(vm))
}

// routeForm builds the form of a route of nsID with the policies and key
// pairs it may use.
func (s *server) routeForm(c *fiber.Ctx, nsID string, f routeview.Fields, messages map[string]string, mode routeFormMode) (routeview.FormVM, error) {
	st := state(c)
	ctx := c.UserContext()
	ns, _ := st.access.Tree().Get(nsID)
	vm := routeview.FormVM{
		Title: "New route", Action: nsURL(nsID, "routes"), ValidateURL: nsURL(nsID, "routes/validate"),
		CancelURL: nsURL(nsID, "routes"), CSRFToken: st.sess.csrfToken(), NamespaceName: ns.Name,
		F: f, Errors: messages, IsClone: mode.clone,
	}
	if mode.clone {
		vm.Title = "Clone route"
	}
	if mode.editID != "" {
		base := nsURL(nsID, "routes/"+mode.editID)
		vm.Title, vm.IsEdit, vm.Action, vm.ValidateURL, vm.CancelURL = "Edit route", true, base, base+"/validate", base
		vm.HasIDPClientSecret, vm.HasKubernetesToken = routes.HasSecret(mode.stored)
	}
	enforced, optional, err := s.Policies.Inherited(ctx, st.access, nsID)
	if err != nil {
		return vm, err
	}
	for _, p := range enforced {
		vm.Enforced = append(vm.Enforced, p.Name)
	}
	for _, p := range optional {
		pns, _ := st.access.Tree().Get(p.NamespaceID)
		vm.Policies = append(vm.Policies, routeview.PolicyOption{ID: p.ID, Name: p.Name, NamespaceName: pns.Name, Description: p.Description})
	}
	pairs, err := s.Routes.KeyPairChoices(ctx, st.access, nsID)
	if err != nil {
		return vm, err
	}
	for _, k := range pairs {
		kns, _ := st.access.Tree().Get(k.NamespaceID)
		vm.KeyPairs = append(vm.KeyPairs, routeview.KeyPairOption{
			ID: k.ID, Name: k.Name, NamespaceName: kns.Name, HasKey: keypairs.HasKey(k), Status: string(s.Routes.KeyPairStatus(k)),
		})
	}
	return vm, nil
}
