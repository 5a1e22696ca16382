package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
	depview "github.com/pomerium-console-oss/pomerium-console/views/deployments"
)

// deploymentsReview shows the open changeset: the changed entities and
// the diff of the rendered configuration, with apply and discard.
func (s *server) deploymentsReview(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.Deploy.ClusterOf(c.UserContext(), st.access, st.namespace.ID)
	if err != nil {
		return err
	}
	p, err := s.Deploy.Pending(c.UserContext(), st.access, cl.ID)
	if err != nil {
		return err
	}
	vm := depview.ReviewVM{Pending: s.pendingVM(c, p), ListURL: deploymentURL(st.namespace.ID, "")}
	if vm.Cluster, err = s.clusterVM(c, cl); err != nil {
		return err
	}
	if p.HasBaseline && len(p.Changes) > 0 {
		cmp, err := s.Deploy.Compare(c.UserContext(), st.access, p.Baseline.ID, deploy.PendingID)
		if err != nil {
			return err
		}
		vm.Diff = diffVM(c, cmp, fmt.Sprintf("#%d", p.Baseline.Number), "pending")
	}
	return s.page(c, fiber.StatusOK, "Pending changes", deploymentsSection, depview.ReviewPage(vm))
}

// deploymentsApply applies the open changeset; a failed push still makes a
// deployment, which its page shows with the reason.
func (s *server) deploymentsApply(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.Deploy.ClusterOf(c.UserContext(), st.access, st.namespace.ID)
	if err != nil {
		return err
	}
	message := c.FormValue("message")
	d, err := s.Deploy.Apply(c.UserContext(), st.access, cl.ID, message)
	if err != nil {
		return s.applyError(c, cl.ID, message, err)
	}
	if d.Status == db.StatusFailed {
		st.sess.addFlash("error", fmt.Sprintf("Deployment #%d was made but its push failed: %s It is retried automatically.", d.Number, d.FailureMessage))
	} else {
		st.sess.addFlash("success", fmt.Sprintf("Deployment #%d applied.", d.Number))
	}
	return redirect(c, deploymentURL(st.namespace.ID, d.ID))
}

// applyError re-renders the apply form with what went wrong: a field
// error (422) or a refusal (409, e.g. nothing to apply, a route that does
// not render); other errors go to the error page.
func (s *server) applyError(c *fiber.Ctx, clusterID, message string, err error) error {
	st := state(c)
	status := fiber.StatusConflict
	var fields map[string]string
	form := errs.Reason(err)
	if ve, ok := errs.AsValidation(err); ok {
		status, fields, form = fiber.StatusUnprocessableEntity, fieldMessages(ve), ve.Form
	} else if !errors.Is(err, errs.ErrConflict) {
		return err
	}
	p, perr := s.Deploy.Pending(c.UserContext(), st.access, clusterID)
	if perr != nil {
		return perr
	}
	vm := s.pendingVM(c, p)
	vm.Message, vm.Errors, vm.FormError = message, fields, form
	if isHTMX(c) {
		return renderFragment(c, status, depview.ApplyForm(vm))
	}
	st.sess.addFlash("error", form)
	return redirect(c, vm.ReviewURL)
}

// deploymentsDiscard throws the open changeset away.
func (s *server) deploymentsDiscard(c *fiber.Ctx) error {
	st := state(c)
	cl, err := s.Deploy.ClusterOf(c.UserContext(), st.access, st.namespace.ID)
	if err != nil {
		return err
	}
	d, err := s.Deploy.Discard(c.UserContext(), st.access, cl.ID)
	switch {
	case errors.Is(err, errs.ErrConflict):
		st.sess.addFlash("error", errs.Reason(err))
		return redirect(c, deploymentURL(st.namespace.ID, "")+"/pending")
	case err != nil:
		return err
	}
	sum := deploy.SummaryOf(d)
	st.sess.addFlash("success", fmt.Sprintf("Discarded %d pending changes: the entities are back to the latest deployment.", sum.Total()))
	return redirect(c, deploymentURL(st.namespace.ID, ""))
}
