package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	clview "github.com/pomerium-console-oss/pomerium-console/views/clusters"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

func (s *server) clustersNew(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return err
	}
	vm := s.clusterForm(c, db.Cluster{}, false)
	return s.page(c, fiber.StatusOK, vm.Title, clustersSection, clview.FormPage(vm))
}

func (s *server) clustersCreate(c *fiber.Ctx) error {
	st := state(c)
	in := clusterInput(c)
	cl, err := s.Clusters.Create(c.UserContext(), st.access, in)
	if err != nil {
		return s.clusterFormError(c, db.Cluster{}, in, false, err)
	}
	st.sess.addFlash("success", "Cluster “"+cl.Name+"” added.")
	return redirect(c, clusterURL(st.namespace.ID, cl.ID))
}

func (s *server) clustersEdit(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.Clusters.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	if err := st.access.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return err
	}
	vm := s.clusterForm(c, cl, true)
	return s.page(c, fiber.StatusOK, vm.Title, clustersSection, clview.FormPage(vm))
}

func (s *server) clustersUpdate(c *fiber.Ctx) error {
	st := state(c)
	old, err := s.Clusters.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	in := clusterInput(c)
	if clusters.IsDefault(old) {
		// The form shows only the name of the default cluster; the rest
		// comes from the config file.
		in = clusters.Input{Name: in.Name, NamespaceID: old.NamespaceID, DatabrokerURL: old.DatabrokerURL, CAPEM: old.CAPEM,
			OverrideName: old.OverrideName, InsecureSkipVerify: old.InsecureSkipVerify}
	}
	cl, err := s.Clusters.Update(c.UserContext(), st.access, old.ID, in)
	if err != nil {
		return s.clusterFormError(c, old, in, true, err)
	}
	st.sess.addFlash("success", "Cluster “"+cl.Name+"” saved.")
	return redirect(c, clusterURL(st.namespace.ID, cl.ID))
}

// clusterInput reads the cluster form.
func clusterInput(c *fiber.Ctx) clusters.Input {
	return clusters.Input{
		Name: c.FormValue("name"), NamespaceID: c.FormValue("namespaceId"), DatabrokerURL: c.FormValue("databrokerServiceUrl"),
		SharedSecret: c.FormValue("sharedSecret"), ClearSecret: c.FormValue("clearSecret") != "",
		CAPEM: c.FormValue("certificateAuthority"), OverrideName: c.FormValue("overrideCertificateName"),
		InsecureSkipVerify: c.FormValue("insecureSkipVerify") != "",
	}
}

// clusterFormError re-renders the form with every field error (422), or
// hands any other error to the error page. The secret is never sent back.
func (s *server) clusterFormError(c *fiber.Ctx, old db.Cluster, in clusters.Input, edit bool, err error) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	vm := s.clusterForm(c, old, edit)
	vm.Name, vm.DatabrokerURL, vm.CAPEM, vm.OverrideName = in.Name, in.DatabrokerURL, in.CAPEM, in.OverrideName
	vm.InsecureSkipVerify, vm.ClearSecret = in.InsecureSkipVerify, in.ClearSecret
	vm.Namespaces = s.clusterNamespaces(c, in.NamespaceID)
	vm.Errors, vm.FormError = fieldMessages(ve), ve.Form
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusUnprocessableEntity, clview.Form(vm))
	}
	return s.page(c, fiber.StatusUnprocessableEntity, vm.Title, clustersSection, clview.FormPage(vm))
}

// clusterForm builds the add form, or the edit form of cl.
func (s *server) clusterForm(c *fiber.Ctx, cl db.Cluster, edit bool) clview.FormVM {
	st := state(c)
	list := clusterURL(st.namespace.ID, "")
	vm := clview.FormVM{
		Title: "Add a cluster", Action: list, CancelURL: list, CSRFToken: st.sess.csrfToken(),
		Name: cl.Name, NamespaceID: cl.NamespaceID, Namespaces: s.clusterNamespaces(c, cl.NamespaceID),
		DatabrokerURL: cl.DatabrokerURL, HasSecret: clusters.HasSecret(cl), CAPEM: cl.CAPEM,
		OverrideName: cl.OverrideName, InsecureSkipVerify: cl.InsecureSkipVerify,
	}
	if edit {
		vm.Title, vm.IsEdit, vm.IsDefault = "Edit cluster", true, clusters.IsDefault(cl)
		vm.Action, vm.CancelURL = clusterURL(st.namespace.ID, cl.ID), clusterURL(st.namespace.ID, cl.ID)
	}
	return vm
}

// clusterNamespaces offers every namespace below Global (Global is the
// default cluster's) as the namespace a cluster serves.
func (s *server) clusterNamespaces(c *fiber.Ctx, selected string) []components.Option {
	st := state(c)
	var out []components.Option
	for _, n := range st.access.Tree().All() {
		if n.ID == db.GlobalNamespaceID {
			continue
		}
		out = append(out, components.Option{Value: n.ID, Label: n.Name, Depth: n.Depth - 1, Selected: n.ID == selected})
	}
	return out
}
