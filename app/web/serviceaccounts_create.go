package web

import (
	"errors"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	saview "github.com/pomerium-console-oss/pomerium-console/views/serviceaccounts"
)

// datetimeLocal is how a datetime-local input sends its value.
const datetimeLocal = "2006-01-02T15:04"

// serviceAccountsCreate adds an account and shows its token once: in the
// dialogs an htmx form swaps (with the table out of band), or on the
// page itself without JavaScript. The token is never stored or redirected
// through the session.
func (s *server) serviceAccountsCreate(c *fiber.Ctx) error {
	st := state(c)
	// Before reading the form: only those who may add learn what is wrong with it.
	if err := st.access.Require(st.namespace.ID, serviceaccounts.RoleToCreate("")); err != nil {
		return err
	}
	form := saview.FormVM{
		Identity: c.FormValue("identity"), UserID: c.FormValue("user_id"), Description: c.FormValue("description"),
		ExpiresAt: strings.TrimSpace(c.FormValue("expires_at")),
	}
	in, err := s.serviceAccountInput(st.namespace.ID, form)
	if err == nil && st.access.Role(st.namespace.ID) < serviceaccounts.RoleToCreate(in.UserID) {
		// The form a manager sees has no user id field: say it for the form.
		err = &errs.ValidationError{Form: "only admins can make an account that acts as an existing user; managers add accounts with a new unique id"}
	}
	var a serviceaccounts.Account
	var token string
	if err == nil {
		a, token, err = s.ServiceAccountService.Create(c.UserContext(), st.access, in)
	}
	if ve, ok := errs.AsValidation(err); ok {
		form.Errors, form.FormError = fieldMessages(ve), ve.Form
		return s.serviceAccountsFormAgain(c, fiber.StatusUnprocessableEntity, form)
	}
	if errors.Is(err, errs.ErrUnavailable) {
		form.FormError = errs.Reason(err)
		return s.serviceAccountsFormAgain(c, fiber.StatusServiceUnavailable, form)
	}
	if err != nil {
		return err
	}
	vm, err := s.serviceAccountsPage(c, saview.FormVM{})
	if err != nil {
		return err
	}
	vm.Dialogs.Created = &saview.CreatedVM{UserID: a.UserID, Token: token}
	// The answer holds a secret: no cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isHTMX(c) {
		return renderFragment(c, fiber.StatusOK, createdFragment(vm))
	}
	return s.page(c, fiber.StatusOK, "Service Accounts", serviceAccountsSection, saview.Page(vm))
}

// createdFragment is the htmx answer to a create: fresh dialogs with the
// token, the table with the new account, and a toast.
func createdFragment(vm saview.PageVM) templ.Component {
	return templ.Join(
		saview.Dialogs(vm.Dialogs),
		saview.ListOOB(vm.List),
		components.ToastOOB(components.Flash{Kind: components.FlashSuccess, Message: "Service account added."}),
	)
}

// serviceAccountsFormAgain shows the add form again with its problems.
func (s *server) serviceAccountsFormAgain(c *fiber.Ctx, status int, form saview.FormVM) error {
	vm, err := s.serviceAccountsPage(c, form)
	if err != nil {
		return err
	}
	vm.Dialogs.OpenForm = true
	if isHTMX(c) {
		return renderFragment(c, status, saview.Dialogs(vm.Dialogs))
	}
	return s.page(c, status, "Add service account", serviceAccountsSection, saview.Page(vm))
}

// serviceAccountInput reads the add form: the user id counts only for an
// existing user (and is then required), the expiry is local time. Its
// problems come with the service's own, so that every field shows its.
func (s *server) serviceAccountInput(nsID string, form saview.FormVM) (serviceaccounts.Input, error) {
	in := serviceaccounts.Input{NamespaceID: nsID, Description: form.Description}
	var v errs.Validator
	if form.Identity == saview.IdentityUser {
		in.UserID = form.UserID
		if strings.TrimSpace(in.UserID) == "" {
			v.Add(serviceaccounts.FieldUserID, errs.CodeRequired, "enter the user id of the user to act as, or choose a new unique id")
		}
	}
	if form.ExpiresAt != "" {
		t, err := time.ParseInLocation(datetimeLocal, form.ExpiresAt, s.Now().Location())
		if err != nil {
			v.Add(serviceaccounts.FieldExpiresAt, errs.CodeInvalid, "enter a date and time such as 2030-01-31T17:00")
		} else {
			in.ExpiresAt = &t
		}
	}
	if v.Err() == nil {
		return in, nil
	}
	if ve, ok := errs.AsValidation(serviceaccounts.ValidateInput(in, s.Now())); ok {
		for name, fe := range ve.Fields {
			v.Add(name, fe.Code, "%s", fe.Message)
		}
	}
	return in, v.Err()
}
