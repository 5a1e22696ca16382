package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
	settingsview "github.com/pomerium-console-oss/pomerium-console/views/settings"
)

// settingsSaved is the toast of a successful save.
const settingsSaved = "Settings saved."

// settingsUpdate saves the whole form. An htmx save answers with the form
// as stored and a toast, so the admin keeps their place on the long page.
func (s *server) settingsUpdate(c *fiber.Ctx) error {
	st := state(c)
	view, err := s.Settings.Update(c.UserContext(), st.access, settings.DefaultClusterID, settings.ParseForm(func(name string) string { return c.FormValue(name) }))
	if err != nil {
		return s.settingsFormError(c, err)
	}
	if !isHTMX(c) {
		st.sess.addFlash(components.FlashSuccess, settingsSaved)
		return redirect(c, nsURL(st.namespace.ID, "settings"))
	}
	vm, err := s.settingsPage(c, view, settings.FormText(view.Values), nil)
	if err != nil {
		return err
	}
	if err := renderFragment(c, fiber.StatusOK, settingsview.Form(vm)); err != nil {
		return err
	}
	return components.ToastOOB(components.Flash{Kind: components.FlashSuccess, Message: settingsSaved}).
		Render(c.UserContext(), c.Response().BodyWriter())
}

// settingsFormError re-renders the form as submitted with every field
// error (422); typed secrets are not sent back. Other errors go to the
// error page.
func (s *server) settingsFormError(c *fiber.Ctx, err error) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	view, err := s.Settings.Get(c.UserContext(), state(c).access, settings.DefaultClusterID)
	if err != nil {
		return err
	}
	submitted := map[string]string{}
	for _, name := range settings.FieldNames() {
		submitted[name] = c.FormValue(name)
	}
	vm, err := s.settingsPage(c, view, submitted, fieldMessages(ve))
	if err != nil {
		return err
	}
	vm.FormError = ve.Form
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusUnprocessableEntity, settingsview.Form(vm))
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "Settings", layout.SectionSettings, settingsview.Page(vm))
}
