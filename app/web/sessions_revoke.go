package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
)

// sessionsRevoke revokes one session (and with block_user every session
// of its user, adding them to the Blocked users policy), then returns to
// the list with a toast.
func (s *server) sessionsRevoke(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	res, err := s.Runtime.RevokeSession(c.UserContext(), st.access, runtime.RevokeInput{
		ClusterID: cl.ID, ID: c.Params("id"), BlockUser: c.FormValue("block_user") == "on",
	})
	if err != nil {
		return err
	}
	msg := "Session revoked."
	if res.BlockedPolicyID != "" {
		msg = fmt.Sprintf("%d session(s) revoked and the user added to the “%s” policy; deploy the pending change to enforce it.",
			len(res.Revoked), runtime.BlockedUsersPolicy)
	}
	st.sess.addFlash("success", msg)
	return redirect(c, nsURL(st.namespace.ID, sessionsSection))
}
