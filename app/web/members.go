package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	memberview "github.com/pomerium-console-oss/pomerium-console/views/members"
)

func registerMembers(r fiber.Router, s *server) {
	r.Get("/members", s.membersList)
	r.Post("/members", s.membersCreate)
	r.Post("/members/:id/delete", s.membersDelete)
	r.Get("/members/lookup", s.membersLookup)
}

func (s *server) membersList(c *fiber.Ctx) error {
	vm, err := s.membersPage(c, members.GrantInput{SubjectType: db.SubjectUser, Role: rbac.RoleViewer.String()})
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "Members", "namespaces", memberview.Page(vm))
}

func (s *server) membersCreate(c *fiber.Ctx) error {
	st := state(c)
	in := members.GrantInput{SubjectType: c.FormValue("subjectType"), SubjectID: c.FormValue("subjectId"), Role: c.FormValue("role")}
	p, err := s.Members.Grant(c.UserContext(), st.access, st.namespace.ID, in)
	if ve, ok := errs.AsValidation(err); ok {
		vm, perr := s.membersPage(c, in)
		if perr != nil {
			return perr
		}
		vm.Form.Errors, vm.Form.FormError = fieldMessages(ve), ve.Form
		if isHTMX(c) {
			return renderFragment(c, fiber.StatusUnprocessableEntity, memberview.GrantForm(vm.Form))
		}
		return s.page(c, fiber.StatusUnprocessableEntity, "Members", "namespaces", memberview.Page(vm))
	}
	if err != nil {
		return err
	}
	st.sess.addFlash("success", "Granted "+p.Role+" on “"+st.namespace.Name+"” to "+p.SubjectType+" "+p.SubjectID+".")
	return redirect(c, nsURL(st.namespace.ID, "members"))
}

func (s *server) membersDelete(c *fiber.Ctx) error {
	st := state(c)
	if err := s.Members.Revoke(c.UserContext(), st.access, st.namespace.ID, c.Params("id")); err != nil {
		return err
	}
	st.sess.addFlash("success", "Access revoked.")
	return redirect(c, nsURL(st.namespace.ID, "members"))
}

// lookupLimit bounds the look-ahead suggestions.
const lookupLimit = 10

// membersLookup suggests known users for the grant form's subject field.
func (s *server) membersLookup(c *fiber.Ctx) error {
	st := state(c)
	if err := st.access.Require(st.namespace.ID, rbac.RoleAdmin); err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("subjectId"))
	var found []db.User
	if q != "" {
		var err error
		if found, err = s.Store.SearchUsers(c.UserContext(), q, lookupLimit); err != nil {
			return err
		}
	}
	opts := make([]memberview.Suggestion, 0, len(found))
	for _, u := range found {
		opts = append(opts, memberview.Suggestion{Value: u.Email, Label: u.Name + " (" + u.ID + ")"})
	}
	return renderFragment(c, fiber.StatusOK, memberview.Suggestions(opts))
}

func (s *server) membersPage(c *fiber.Ctx, in members.GrantInput) (memberview.PageVM, error) {
	st := state(c)
	list, err := s.Members.List(c.UserContext(), st.access, st.namespace.ID)
	if err != nil {
		return memberview.PageVM{}, err
	}
	canManage := st.access.Role(st.namespace.ID) >= rbac.RoleAdmin
	vm := memberview.PageVM{
		NamespaceName: st.namespace.Name,
		CanManage:     canManage,
		CSRFToken:     st.sess.csrfToken(),
		Form: memberview.GrantFormVM{
			Action:      nsURL(st.namespace.ID, "members"),
			LookupURL:   nsURL(st.namespace.ID, "members/lookup"),
			CSRFToken:   st.sess.csrfToken(),
			SubjectType: in.SubjectType,
			SubjectID:   in.SubjectID,
			Role:        in.Role,
		},
	}
	for _, r := range rbac.AssignableRoles {
		vm.Form.Roles = append(vm.Form.Roles, memberview.RoleOption{Value: r.String(), Label: r.Title(), Description: r.Describe()})
	}
	for _, m := range list {
		vm.Members = append(vm.Members, memberview.Row{
			SubjectType:   m.SubjectType,
			SubjectID:     m.SubjectID,
			UserName:      m.UserName,
			UserEmail:     m.UserEmail,
			Role:          roleTitleOf(m.Role),
			InheritedFrom: inheritedFrom(m),
			CanRevoke:     canManage && !m.Inherited,
			RevokeURL:     nsURL(st.namespace.ID, "members/"+m.ID+"/delete"),
		})
	}
	return vm, nil
}

func inheritedFrom(m members.Member) string {
	if m.Inherited {
		return m.NamespaceName
	}
	return ""
}

func roleTitleOf(stored string) string {
	r, err := rbac.ParseRole(stored)
	if err != nil {
		return stored
	}
	return r.Title()
}
