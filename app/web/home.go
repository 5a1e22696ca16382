package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/views/comingsoon"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// home sends the caller to the namespaces of their home namespace.
func (s *server) home(c *fiber.Ctx) error {
	st := state(c)
	home := st.access.Home()
	if home == "" {
		return errs.Forbidden("you have no role on any namespace yet; ask an admin of the console to grant you one")
	}
	return redirect(c, nsURL(home, "namespaces"))
}

func (s *server) namespaceHome(c *fiber.Ctx) error {
	return redirect(c, nsURL(state(c).namespace.ID, "namespaces"))
}

// comingSoonSections are in the navigation but not built yet.
var comingSoonSections = []string{
	layout.SectionExternalData,
}

func registerComingSoon(r fiber.Router, s *server) {
	for _, key := range comingSoonSections {
		r.Get("/"+key, s.comingSoon(key))
	}
}

// comingSoon answers honestly for sections that do not exist yet; like the
// real pages they need the viewer role.
func (s *server) comingSoon(key string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st := state(c)
		if err := st.access.Require(st.namespace.ID, rbac.RoleViewer); err != nil {
			return err
		}
		return s.page(c, fiber.StatusOK, layout.SectionTitle(key), key, comingsoon.Page(comingsoon.VM{Section: key}))
	}
}
