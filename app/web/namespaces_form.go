package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	nsview "github.com/pomerium-console-oss/pomerium-console/views/namespaces"
)

func (s *server) namespacesNew(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleAdmin); err != nil {
		return err
	}
	vm := s.namespaceForm(c, db.Namespace{ParentID: st.namespace.ID}, "")
	return s.page(c, fiber.StatusOK, vm.Title, "namespaces", nsview.FormPage(vm))
}

func (s *server) namespacesCreate(c *fiber.Ctx) error {
	st := state(c)
	in := namespaces.CreateInput{ParentID: c.FormValue("parentId"), Name: c.FormValue("name")}
	ns, err := s.Namespaces.Create(c.UserContext(), st.access, in)
	if err != nil {
		return s.namespaceFormError(c, db.Namespace{ParentID: in.ParentID, Name: in.Name}, "", err)
	}
	st.sess.addFlash("success", "Namespace “"+ns.Name+"” created.")
	return redirect(c, nsURL(ns.ID, "namespaces"))
}

func (s *server) namespacesEdit(c *fiber.Ctx) error {
	st := state(c)
	ns, ok := st.access.Tree().Get(c.Params("id"))
	if !ok {
		return errs.NotFound("namespace %s does not exist", c.Params("id"))
	}
	if err := st.access.Require(ns.ID, rbac.RoleAdmin); err != nil {
		return err
	}
	if ns.ParentID == "" {
		return namespaces.ErrGlobalFixed
	}
	vm := s.namespaceForm(c, ns, ns.ID)
	return s.page(c, fiber.StatusOK, vm.Title, "namespaces", nsview.FormPage(vm))
}

func (s *server) namespacesUpdate(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	name, parent := c.FormValue("name"), c.FormValue("parentId")
	ns, err := s.Namespaces.Update(c.UserContext(), st.access, id, namespaces.UpdateInput{Name: &name, ParentID: &parent})
	if err != nil {
		return s.namespaceFormError(c, db.Namespace{ID: id, ParentID: parent, Name: name}, id, err)
	}
	st.sess.addFlash("success", "Namespace “"+ns.Name+"” saved.")
	return redirect(c, nsURL(st.namespace.ID, "namespaces"))
}

// namespaceFormError re-renders the form with every field error (422), or
// hands any other error to the error page.
func (s *server) namespaceFormError(c *fiber.Ctx, ns db.Namespace, editID string, err error) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	vm := s.namespaceForm(c, ns, editID)
	vm.Errors = fieldMessages(ve)
	vm.FormError = ve.Form
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusUnprocessableEntity, nsview.Form(vm))
	}
	return s.page(c, fiber.StatusUnprocessableEntity, vm.Title, "namespaces", nsview.FormPage(vm))
}

// namespaceForm builds the create (editID == "") or edit form. The parent
// choices are the namespaces the caller administers, minus the edited
// namespace's own subtree.
func (s *server) namespaceForm(c *fiber.Ctx, ns db.Namespace, editID string) nsview.FormVM {
	st := state(c)
	vm := nsview.FormVM{
		Title:     "New namespace",
		Action:    nsURL(st.namespace.ID, "namespaces"),
		CancelURL: nsURL(st.namespace.ID, "namespaces"),
		CSRFToken: st.sess.csrfToken(),
		Name:      ns.Name,
		ParentID:  ns.ParentID,
	}
	if editID != "" {
		vm.Title = "Edit namespace"
		vm.Action = nsURL(st.namespace.ID, "namespaces/"+editID)
		vm.IsEdit = true
	}
	tree := st.access.Tree()
	for _, n := range tree.All() {
		if editID != "" && tree.IsWithin(n.ID, editID) {
			continue
		}
		vm.Parents = append(vm.Parents, nsview.ParentOption{
			ID: n.ID, Name: n.Name, Depth: n.Depth, Disabled: st.access.Role(n.ID) < rbac.RoleAdmin,
		})
	}
	return vm
}
