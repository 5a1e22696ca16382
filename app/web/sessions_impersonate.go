package web

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	sessview "github.com/pomerium-console-oss/pomerium-console/views/sessions"
)

// impersonationStopPath is where the banner's "Stop impersonating" posts,
// relative to the sessions page; its two segments cannot be a session's
// "<id>/impersonate" or "<id>/revoke".
const impersonationStopPath = "/impersonation/stop"

// sessionsImpersonate makes the caller's own Pomerium session act as
// session :id. Pomerium then serves every route to the caller as that
// session's user; the console keeps seeing the caller, so nothing else of
// the console changes.
func (s *server) sessionsImpersonate(c *fiber.Ctx) error {
	return s.impersonate(c, c.Params("id"),
		"Impersonation started: Pomerium now treats you as that session's user on every route until you stop.")
}

// sessionsStopImpersonating ends the caller's impersonation.
func (s *server) sessionsStopImpersonating(c *fiber.Ctx) error {
	return s.impersonate(c, "", "Stopped impersonating: Pomerium treats you as yourself again.")
}

// impersonate sets the caller's impersonation to target ("" stops it).
// What the caller can fix (no Pomerium session, a session gone meanwhile)
// comes back as a flash on the sessions page rather than an error page.
func (s *server) impersonate(c *fiber.Ctx, target, done string) error {
	st := state(c)
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	back := nsURL(st.namespace.ID, sessionsSection)
	err = s.Runtime.Impersonate(c.UserContext(), st.access, cl.ID, target)
	if msg := impersonationRefusal(err); msg != "" {
		st.sess.addFlash("error", msg)
		return redirect(c, back)
	}
	if err != nil {
		return err
	}
	st.sess.addFlash("success", done)
	return redirect(c, back)
}

// impersonationRefusal is the sentence for a refusal the caller can act
// on, or "" for success and for errors the error page handles (forbidden,
// internal).
func impersonationRefusal(err error) string {
	var parts []string
	if ve, ok := errs.AsValidation(err); ok {
		if ve.Form != "" {
			parts = append(parts, ve.Form)
		}
		for _, name := range slices.Sorted(maps.Keys(ve.Fields)) {
			parts = append(parts, ve.Fields[name].Message)
		}
	} else if errors.Is(err, errs.ErrUnavailable) {
		parts = append(parts, errs.Reason(err))
	}
	msg := strings.Join(parts, "; ")
	if msg == "" {
		return ""
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}

// impersonateDisabledReason says why p cannot impersonate from this
// sign-in, or "" when it can: impersonation patches the caller's own
// Pomerium session, which only a Pomerium sign-in with a sid has.
func impersonateDisabledReason(p authn.Principal) string {
	switch {
	case p.SessionID != "":
		return ""
	case p.Kind == authn.KindRecovery:
		return "Impersonation changes your own Pomerium session, and a recovery sign-in has none: sign in to the console through Pomerium."
	}
	return "Impersonation changes your own Pomerium session, and Pomerium did not send its id (the sid claim) with this sign-in."
}

// impersonatedSessionID is the session the caller's own session acts as,
// "" when none. The common case (not impersonating) costs one record read;
// only then is the caller's session looked up for its target. Read
// best-effort: a databroker that cannot answer already shows as the
// page's notice.
func (s *server) impersonatedSessionID(c *fiber.Ctx, clusterID string) (string, error) {
	acc := state(c).access
	if acc.Principal.SessionID == "" {
		return "", nil
	}
	info, err := s.Runtime.GetUserInfo(c.UserContext(), acc, clusterID, "")
	if err != nil || !info.IsImpersonated {
		return "", ignoreRuntimeGone(err)
	}
	own, err := s.Runtime.GetSession(c.UserContext(), acc, clusterID, acc.Principal.SessionID)
	if err != nil {
		return "", ignoreRuntimeGone(err)
	}
	return own.Session.Record.GetImpersonateSessionId(), nil
}

// impersonationBanner describes target for the banner, naming its user
// from the page's sessions when it is among them.
func (s *server) impersonationBanner(c *fiber.Ctx, clusterID, target string, onPage []runtime.Session) (*sessview.Impersonation, error) {
	st := state(c)
	b := &sessview.Impersonation{SessionID: target, StopURL: nsURL(st.namespace.ID, sessionsSection) + impersonationStopPath}
	found := false
	for _, x := range onPage {
		if x.ID() == target {
			b.UserName, b.UserEmail, found = x.User.DisplayName(), x.User.Email, true
		}
	}
	if !found {
		d, err := s.Runtime.GetSession(c.UserContext(), st.access, clusterID, target)
		if err != nil {
			return b, ignoreRuntimeGone(err)
		}
		b.UserName, b.UserEmail = d.Session.User.DisplayName(), d.Session.User.Email
	}
	return b, nil
}

// markImpersonation flags the caller's own session and the one it
// impersonates among rows.
func markImpersonation(rows []sessview.Row, own, target string) {
	for i := range rows {
		rows[i].Own = own != "" && rows[i].ID == own
		rows[i].ImpersonatedByYou = target != "" && rows[i].ID == target
	}
}

// impersonateURL is where a row's Impersonate dialog posts.
func impersonateURL(base, id string) string {
	return base + "/" + url.PathEscape(id) + "/impersonate"
}

// ignoreRuntimeGone drops the errors of a record or databroker that is
// not there: the page then simply has nothing to show about it.
func ignoreRuntimeGone(err error) error {
	if errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrUnavailable) {
		return nil
	}
	return err
}
