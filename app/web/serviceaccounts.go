package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
	saview "github.com/pomerium-console-oss/pomerium-console/views/serviceaccounts"
)

// serviceAccountsSection is the URL segment and nav key of the page.
const serviceAccountsSection = layout.SectionServiceAccounts

// withChildrenParam lists the accounts of child namespaces too.
const withChildrenParam = "children"

func registerServiceAccounts(r fiber.Router, s *server) {
	r.Get("/"+serviceAccountsSection, s.serviceAccountsList)
	r.Get("/"+serviceAccountsSection+"/new", s.serviceAccountsNew)
	r.Get("/"+serviceAccountsSection+"/lookup", s.serviceAccountsLookup)
	r.Post("/"+serviceAccountsSection, s.serviceAccountsCreate)
	r.Post("/"+serviceAccountsSection+"/:id/revoke", s.serviceAccountsRevoke)
}

func (s *server) serviceAccountsList(c *fiber.Ctx) error {
	vm, err := s.serviceAccountsPage(c, saview.FormVM{})
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "Service Accounts", serviceAccountsSection, saview.Page(vm))
}

// serviceAccountsNew is the page with the add dialog open, for browsers
// without JavaScript (the add button is a link here).
func (s *server) serviceAccountsNew(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, serviceaccounts.RoleForGenerated); err != nil {
		return err
	}
	vm, err := s.serviceAccountsPage(c, saview.FormVM{})
	if err != nil {
		return err
	}
	vm.Dialogs.OpenForm = true
	return s.page(c, fiber.StatusOK, "Add service account", serviceAccountsSection, saview.Page(vm))
}

func (s *server) serviceAccountsRevoke(c *fiber.Ctx) error {
	st := state(c)
	a, err := s.ServiceAccountService.Revoke(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	st.sess.addFlash("success", "Revoked service account “"+a.Name()+"”.")
	return redirect(c, nsURL(st.namespace.ID, serviceAccountsSection))
}

// serviceAccountsLookup suggests known users for the user id field.
func (s *server) serviceAccountsLookup(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, serviceaccounts.RoleForChosenID); err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("user_id"))
	var found []db.User
	if q != "" {
		var err error
		if found, err = s.Store.SearchUsers(c.UserContext(), q, lookupLimit); err != nil {
			return err
		}
	}
	opts := make([]saview.Suggestion, 0, len(found))
	for _, u := range found {
		label := u.Email
		if u.Name != "" {
			label = u.Name + " <" + u.Email + ">"
		}
		opts = append(opts, saview.Suggestion{Value: u.ID, Label: label})
	}
	return renderFragment(c, fiber.StatusOK, saview.Suggestions(opts))
}

// serviceAccountsPage describes the page with form as the add form's
// state.
func (s *server) serviceAccountsPage(c *fiber.Ctx, form saview.FormVM) (saview.PageVM, error) {
	st := state(c)
	list, err := s.serviceAccountsListVM(c)
	if err != nil {
		return saview.PageVM{}, err
	}
	base := nsURL(st.namespace.ID, serviceAccountsSection)
	form.Action, form.LookupURL, form.CSRFToken = base, base+"/lookup", st.sess.csrfToken()
	form.UniqueExample = uniqueExample(st.namespace.ID)
	form.Zone, _ = s.Now().Zone()
	form.CanImpersonate = st.access.Role(st.namespace.ID) >= serviceaccounts.RoleForChosenID
	return saview.PageVM{
		NamespaceName: st.namespace.Name,
		CanManage:     list.CanManage,
		CSRFToken:     st.sess.csrfToken(),
		MembersURL:    nsURL(st.namespace.ID, "members"),
		NewURL:        list.NewURL,
		List:          list,
		Dialogs:       saview.DialogsVM{Form: form},
	}, nil
}

// serviceAccountsListVM reads the accounts the table shows.
func (s *server) serviceAccountsListVM(c *fiber.Ctx) (saview.ListVM, error) {
	st := state(c)
	withChildren := c.Query(withChildrenParam) == "1"
	list, err := s.ServiceAccountService.List(c.UserContext(), st.access, st.namespace.ID, withChildren)
	if err != nil {
		return saview.ListVM{}, err
	}
	base := nsURL(st.namespace.ID, serviceAccountsSection)
	vm := saview.ListVM{
		WithChildren: withChildren, ToggleURL: base + "?" + withChildrenParam + "=1",
		CanManage: st.access.Role(st.namespace.ID) >= serviceaccounts.RoleForGenerated, NewURL: base + "/new", CSRFToken: st.sess.csrfToken(),
	}
	if withChildren {
		vm.ToggleURL = base
	}
	now := s.Now()
	for _, a := range list {
		ns, _ := st.access.Tree().Get(a.NamespaceID)
		row := saview.Row{
			ID: a.ID, UserID: a.UserID, Description: a.Description, NamespaceName: ns.Name,
			Created: formatTime(a.IssuedAt), Expires: formatTime(a.ExpiresAt), LastUsed: formatTime(a.AccessedAt),
			Status: string(a.Status), Sync: string(a.Sync.State),
			CanRevoke: a.Status != serviceaccounts.StatusRevoked && st.access.Role(a.NamespaceID) >= serviceaccounts.RoleForGenerated,
			RevokeURL: base + "/" + a.ID + "/revoke",
		}
		if a.Sync.State == serviceaccounts.SyncFailed {
			row.SyncDetail = a.Sync.LastError + "; retrying " + retryIn(a.Sync.NextAttemptAt, now)
		}
		vm.Rows = append(vm.Rows, row)
	}
	return vm, nil
}

// retryIn words when the next push is due.
func retryIn(at, now time.Time) string {
	if !at.After(now) {
		return "now"
	}
	return "in " + at.Sub(now).Round(time.Second).String()
}

// uniqueExample is the shape of the user id a unique account of nsID gets.
func uniqueExample(nsID string) string {
	if nsID == db.GlobalNamespaceID {
		return "the account's id"
	}
	return "<id>@" + nsID + ".pomerium"
}
