package web

import (
	"errors"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	authview "github.com/pomerium-console-oss/pomerium-console/views/auth"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// signInPage offers recovery sign-in. A ?token= (the first-run link) fills
// the form instead of signing in at once, so a link preview or prefetch can
// never use up a single-use token.
func (s *server) signInPage(c *fiber.Ctx) error {
	st := state(c)
	vm := authview.SignInVM{CSRFToken: st.sess.csrfToken(), Token: c.Query(authview.TokenField)}
	// Flashes queued on the way here (an ended recovery session) say why
	// the user was sent to sign in.
	body := templ.Join(authview.SignIn(vm), components.Toasts(popFlashes(st.sess)))
	return renderFragment(c, fiber.StatusOK, layout.Bare("Sign in", body))
}

func (s *server) signInRecovery(c *fiber.Ctx) error {
	st := state(c)
	token := strings.TrimSpace(c.FormValue(authview.TokenField))
	var p authn.Principal
	err := errs.Unauthenticated("paste the recovery token printed by pomerium-console generate-recovery-token")
	if token != "" {
		p, err = s.Recovery.Verify(c.UserContext(), token)
	}
	if err != nil {
		if !errors.Is(err, errs.ErrUnauthenticated) {
			return err
		}
		s.Logger.Warn("recovery sign-in refused", "reason", errs.Reason(err), "request_id", requestID(c))
		vm := authview.SignInVM{CSRFToken: st.sess.csrfToken(), Token: token, Error: errs.Reason(err)}
		return renderFragment(c, fiber.StatusUnauthorized, layout.Bare("Sign in", authview.SignIn(vm)))
	}
	st.sess.reset()
	st.sess.set(keyKind, authn.KindRecovery)
	st.sess.set(keyRecoveryID, strings.TrimPrefix(p.UserID, "recovery:"))
	st.sess.set(keyRecoveryNS, p.RecoveryNamespaceID)
	st.sess.set(keyExpires, p.ExpiresAt.Unix())
	s.Logger.Info("recovery sign-in", "namespace", p.RecoveryNamespaceID, "expires_at", p.ExpiresAt)
	st.sess.addFlash("info", "Signed in with a recovery token. This session ends at "+p.ExpiresAt.Local().Format("15:04 on Jan 2")+".")
	return redirect(c, nsURL(p.RecoveryNamespaceID, "namespaces"))
}

// signOut ends the console session. Behind Pomerium the identity comes back
// with the next request, so the user is sent to Pomerium's own sign-out.
func (s *server) signOut(c *fiber.Ctx) error {
	st := state(c)
	wasPomerium := st.sess.str(keyKind) == authn.KindPomerium || c.Get(authn.AssertionHeader) != ""
	st.sess.reset()
	if wasPomerium {
		return redirect(c, "/.pomerium/sign_out")
	}
	return redirect(c, "/signed-out")
}

func (s *server) signedOutPage(c *fiber.Ctx) error {
	return renderFragment(c, fiber.StatusOK, layout.Bare("Signed out", authview.SignedOut(authview.SignedOutVM{SignInURL: "/sign-in"})))
}
