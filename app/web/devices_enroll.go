package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	devview "github.com/pomerium-console-oss/pomerium-console/views/devices"
)

// enrollSuggestions bounds the known users the form suggests.
const enrollSuggestions = 200

// devicesEnrollForm shows the form that makes an enrollment link.
func (s *server) devicesEnrollForm(c *fiber.Ctx) error {
	vm, err := s.enrollVM(c, runtime.EnrollmentInput{TypeID: runtime.DeviceTypeAny, UserID: c.Query("user")})
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "New enrollment link", devicesSection, devview.EnrollPage(vm))
}

// devicesEnroll creates the enrollment and shows its link once; the link
// is a credential, so it is rendered, never stored or redirected through.
func (s *server) devicesEnroll(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	in := runtime.EnrollmentInput{ClusterID: cl.ID, UserID: c.FormValue("user_id"), TypeID: c.FormValue("type_id"), RouteURL: c.FormValue("route_url")}
	link, err := s.Runtime.CreateEnrollment(c.UserContext(), st.access, in)
	vm, vmErr := s.enrollVM(c, in)
	if vmErr != nil {
		return vmErr
	}
	if err != nil {
		ve, ok := errs.AsValidation(err)
		if !ok {
			return err
		}
		vm.Errors, vm.FormError = fieldMessages(ve), ve.Form
		return s.page(c, fiber.StatusUnprocessableEntity, "New enrollment link", devicesSection, devview.EnrollPage(vm))
	}
	vm.Link, vm.LinkUntil, vm.ForUser = link.URL, formatTime(link.ExpiresAt), link.Enrollment.GetUserId()
	vm.UserID = ""
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.page(c, fiber.StatusOK, "New enrollment link", devicesSection, devview.EnrollPage(vm))
}

// enrollVM fills the enrollment form with in and the cluster's device
// types and known users; it needs the admin role on the cluster.
func (s *server) enrollVM(c *fiber.Ctx, in runtime.EnrollmentInput) (devview.EnrollVM, error) {
	st := state(c)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return devview.EnrollVM{}, err
	}
	if err := st.access.Require(cl.NamespaceID, rbac.RoleAdmin); err != nil {
		return devview.EnrollVM{}, err
	}
	base := nsURL(st.namespace.ID, devicesSection)
	vm := devview.EnrollVM{
		Action: base + "/enroll", CancelURL: base, CSRFToken: st.sess.csrfToken(),
		UserID: in.UserID, TypeID: in.TypeID, RouteURL: in.RouteURL,
	}
	types, err := s.Runtime.ListDeviceTypes(c.UserContext(), st.access, cl.ID)
	if err != nil {
		return devview.EnrollVM{}, err
	}
	for _, t := range types {
		vm.Types = append(vm.Types, components.Option{Value: t.Type.GetId(), Label: t.Type.GetName(), Selected: t.Type.GetId() == in.TypeID})
	}
	users, err := s.Runtime.QueryUsers(c.UserContext(), st.access, runtime.UserQuery{ClusterID: cl.ID, Limit: enrollSuggestions})
	if err != nil {
		return devview.EnrollVM{}, err
	}
	for _, u := range users.Users {
		vm.Users = append(vm.Users, components.Option{Value: u.ID, Label: u.DisplayName()})
	}
	return vm, nil
}
