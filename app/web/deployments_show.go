package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	depview "github.com/pomerium-console-oss/pomerium-console/views/deployments"
)

// deploymentsShow shows one deployment with what it changed.
func (s *server) deploymentsShow(c *fiber.Ctx) error {
	st := state(c)
	d, cl, err := s.Deploy.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	base := deploymentURL(st.namespace.ID, d.ID)
	vm := depview.DetailVM{
		Deployment: deploymentRow(st.namespace.ID, d), Email: d.UserEmail, ConfigHash: d.ConfigHash,
		Revision: strconv.FormatInt(d.ConfigRevision, 10), Counts: changesLabel(deploy.SummaryOf(d)),
		ListURL: deploymentURL(st.namespace.ID, ""), CSRFToken: st.sess.csrfToken(),
		ActivityURL: changesetActivityURL(st.namespace.ID, d.ID),
	}
	if d.Status == db.StatusFailed {
		vm.Failure = d.FailureMessage
	}
	if vm.Cluster, err = s.clusterVM(c, cl); err != nil {
		return err
	}
	prev, hasPrev, err := s.Deploy.Previous(c.UserContext(), st.access, d)
	if err != nil {
		return err
	}
	if hasPrev {
		cmp, err := s.Deploy.Compare(c.UserContext(), st.access, prev.ID, d.ID)
		if err != nil {
			return err
		}
		vm.Changes = changeVMs(c, cmp.Changes)
		vm.CompareURL, vm.PreviousNumber = compareURL(st.namespace.ID, prev.ID, d.ID), fmt.Sprintf("#%d", prev.Number)
	}
	if d.SourceID != "" {
		if src, _, err := s.Deploy.Get(c.UserContext(), st.access, d.SourceID); err == nil {
			vm.SourceURL, vm.Deployment.Source = deploymentURL(st.namespace.ID, src.ID), fmt.Sprintf("#%d", src.Number)
		}
	}
	vm.PendingURL = compareURL(st.namespace.ID, d.ID, deploy.PendingID)
	if st.access.Role(cl.NamespaceID) >= rbac.RoleAdmin {
		s.deploymentActions(c, &vm, d, base)
	}
	return s.page(c, fiber.StatusOK, "Deployment "+vm.Deployment.Number, deploymentsSection, depview.DetailPage(vm))
}

// deploymentActions offers an admin what can be done with d: download its
// config.yaml (for a discarded changeset, what it would have pushed),
// retry its failed push, re-deploy it unless it is the latest.
func (s *server) deploymentActions(c *fiber.Ctx, vm *depview.DetailVM, d db.Deployment, base string) {
	st := state(c)
	vm.DownloadURL = base + "/config.yaml"
	latest, err := s.Deploy.List(c.UserContext(), st.access, d.ClusterID, 0)
	isLatest := err == nil && len(latest.Deployments) > 0 && latest.Deployments[0].ID == d.ID
	vm.IsLatest = isLatest
	if d.Status == db.StatusFailed && isLatest {
		vm.PushURL = base + "/push"
	}
	if !isLatest && d.Status != db.StatusCurrent {
		vm.RedeployURL = base + "/redeploy"
	}
}

// deploymentsRedeploy makes a new deployment from an older one's snapshot.
func (s *server) deploymentsRedeploy(c *fiber.Ctx) error {
	st := state(c)
	d, err := s.Deploy.Redeploy(c.UserContext(), st.access, c.Params("id"), c.FormValue("message"))
	if err != nil {
		return err
	}
	if d.Status == db.StatusFailed {
		st.sess.addFlash("error", fmt.Sprintf("Deployment #%d was made but its push failed: %s", d.Number, d.FailureMessage))
	} else {
		st.sess.addFlash("success", fmt.Sprintf("Re-deployed as deployment #%d.", d.Number))
	}
	return redirect(c, deploymentURL(st.namespace.ID, d.ID))
}

// deploymentsPush retries the push of a failed deployment now.
func (s *server) deploymentsPush(c *fiber.Ctx) error {
	st := state(c)
	d, cl, err := s.Deploy.Get(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	if err := s.Deploy.PushNow(c.UserContext(), st.access, cl.ID); err != nil {
		return err
	}
	d, _, err = s.Deploy.Get(c.UserContext(), st.access, d.ID)
	if err != nil {
		return err
	}
	if d.Status == db.StatusFailed {
		st.sess.addFlash("error", "The push failed again: "+d.FailureMessage)
	} else {
		st.sess.addFlash("success", fmt.Sprintf("Deployment #%d pushed.", d.Number))
	}
	return redirect(c, deploymentURL(st.namespace.ID, d.ID))
}

// deploymentsDownload sends a deployment's config.yaml, secrets included,
// to an admin: the file alone, or a zip with the certificate files it
// names when there are several certificates.
func (s *server) deploymentsDownload(c *fiber.Ctx) error {
	st := state(c)
	cfg, d, err := s.Deploy.Config(c.UserContext(), st.access, c.Params("id"))
	if err != nil {
		return err
	}
	b, err := configyaml.ExportBundle(cfg)
	if err != nil {
		return err
	}
	return sendBundle(c, b, fmt.Sprintf("config-%d", d.Number))
}

// sendBundle sends an export as name.yaml, or as name.zip when it has
// certificate files; the export holds secrets, so nothing caches it.
func sendBundle(c *fiber.Ctx, b configyaml.Bundle, name string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if len(b.Files) == 0 {
		c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.yaml"`)
		return c.Send(b.YAML)
	}
	archive, err := b.Zip()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.zip"`)
	return c.Send(archive)
}
