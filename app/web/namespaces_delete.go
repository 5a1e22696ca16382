package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// namespacesDelete deletes an empty namespace. A refusal (not empty, Global)
// comes back as an error flash on the list, which names what blocks it.
func (s *server) namespacesDelete(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("id")
	ns, _ := st.access.Tree().Get(id)
	back := nsURL(st.namespace.ID, "namespaces")
	if id == st.namespace.ID && ns.ParentID != "" {
		back = nsURL(ns.ParentID, "namespaces")
	}
	err := s.Namespaces.Delete(c.UserContext(), st.access, id)
	switch {
	case errors.Is(err, errs.ErrConflict):
		st.sess.addFlash("error", errs.Reason(err))
		return redirect(c, nsURL(st.namespace.ID, "namespaces"))
	case err != nil:
		return err
	}
	st.sess.addFlash("success", "Namespace “"+ns.Name+"” deleted.")
	return redirect(c, back)
}
