package web

import (
	"cmp"
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	devview "github.com/pomerium-console-oss/pomerium-console/views/devices"
)

// devicesSection is the URL segment and nav key of the devices page.
const devicesSection = "devices"

func registerDevices(r fiber.Router, s *server) {
	r.Get("/devices", s.devicesList)
	r.Get("/devices/enroll", s.devicesEnrollForm)
	r.Post("/devices/enroll", s.devicesEnroll)
	r.Post("/devices/approve", s.devicesApprove)
	r.Post("/devices/delete", s.devicesDelete)
}

// devicesList shows the devices of the current namespace's cluster.
func (s *server) devicesList(c *fiber.Ctx) error {
	st := state(c)
	base := nsURL(st.namespace.ID, devicesSection)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	vm := devview.ListVM{
		BaseURL: base, EnrollURL: base + "/enroll", ClusterName: cl.Name, CSRFToken: st.sess.csrfToken(),
		CanManage: st.access.Role(cl.NamespaceID) >= rbac.RoleAdmin,
	}
	typeID := c.Query("type")
	list, err := s.Runtime.ListDevices(c.UserContext(), st.access, runtime.DeviceFilter{ClusterID: cl.ID, TypeID: typeID})
	switch {
	case errors.Is(err, errs.ErrUnavailable):
		vm.Notice = errs.Reason(err)
		return s.page(c, fiber.StatusOK, "Devices", devicesSection, devview.ListPage(vm))
	case err != nil:
		return err
	}
	types, err := s.Runtime.ListDeviceTypes(c.UserContext(), st.access, cl.ID)
	if err != nil {
		return err
	}
	vm.Chips = append(vm.Chips, components.Chip{Label: "All types", URL: base, Active: typeID == ""})
	for _, t := range types {
		vm.Chips = append(vm.Chips, components.Chip{
			Label: t.Type.GetName(), URL: components.QueryURL(base, url.Values{}, "type", t.Type.GetId()), Active: typeID == t.Type.GetId(),
		})
	}
	now := s.Now()
	for _, d := range list {
		row := devview.Row{
			ID: d.ID(), UserName: d.User.DisplayName(), UserEmail: d.User.Email, TypeName: cmp.Or(d.Type.Type.GetName(), d.Type.Type.GetId()),
			Kind: d.Kind.String(), Status: devview.StatusUnapproved, UserAgent: d.Enrollment.GetUserAgent(),
			Enrolled: formatTime(tsTime(d.Enrollment.GetEnrolledAt())), EnrolledAgo: relativeTime(tsTime(d.Enrollment.GetEnrolledAt()), now),
			ApproveURL: base + "/approve", DeleteURL: base + "/delete", Field: "credential_id",
		}
		if d.Approved() {
			row.Status, row.ApprovedBy = devview.StatusApproved, d.ApprovedBy.DisplayName()
		}
		if d.Pending() {
			row.Status, row.Field, row.Kind = devview.StatusPending, "enrollment_id", "Enrollment link sent"
		}
		vm.Rows = append(vm.Rows, row)
	}
	return s.page(c, fiber.StatusOK, "Devices", devicesSection, devview.ListPage(vm))
}

// deviceRef reads the credential or enrollment id a device form posts.
func deviceRef(c *fiber.Ctx, clusterID string) runtime.DeviceRef {
	return runtime.DeviceRef{ClusterID: clusterID, CredentialID: c.FormValue("credential_id"), EnrollmentID: c.FormValue("enrollment_id")}
}

func (s *server) devicesApprove(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	if err := s.Runtime.ApproveDevice(c.UserContext(), st.access, deviceRef(c, cl.ID)); err != nil {
		return err
	}
	st.sess.addFlash("success", "Device approved.")
	return redirect(c, nsURL(st.namespace.ID, devicesSection))
}

func (s *server) devicesDelete(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	if err := s.Runtime.DeleteDevice(c.UserContext(), st.access, deviceRef(c, cl.ID)); err != nil {
		return err
	}
	st.sess.addFlash("success", "Device deleted.")
	return redirect(c, nsURL(st.namespace.ID, devicesSection))
}
