package web

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// reqState is what the middleware learns about a request, for the handlers.
type reqState struct {
	sess      *session
	principal authn.Principal
	access    *rbac.Access
	namespace db.Namespace
}

const stateKey = "console.state"

func state(c *fiber.Ctx) *reqState {
	st, _ := c.Locals(stateKey).(*reqState)
	if st == nil {
		st = &reqState{}
	}
	return st
}

func (s *server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Logger.Error("panic in handler", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = errors.New("internal error")
		}
	}()
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	return c.GetRespHeader(fiber.HeaderXRequestID)
}

// securityHeaders keeps the UI same-origin only: no inline script, no framing,
// and no referrer that could leak a recovery token in a URL.
func securityHeaders(tls bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := &c.Response().Header
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return c.Next()
	}
}

func (s *server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		err = c.App().ErrorHandler(c, err)
	}
	s.Logger.Info("http request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
		"duration_ms", time.Since(start).Milliseconds(), "request_id", requestID(c))
	return err
}

// withSession loads the session cookie and writes it back after the handler
// (and the error page, which may pop flashes) ran.
func (s *server) withSession(c *fiber.Ctx) error {
	st := &reqState{sess: s.sessions.load(c)}
	c.Locals(stateKey, st)
	err := c.Next()
	if err != nil {
		err = c.App().ErrorHandler(c, err)
	}
	if serr := s.sessions.save(c, st.sess); serr != nil {
		s.Logger.Error("save session", "error", serr, "request_id", requestID(c))
	}
	return err
}

// checkCSRF refuses state-changing requests without the session's token, sent
// by htmx as a header or by plain forms as the _csrf field.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	token := c.Get("X-CSRF-Token")
	if token == "" {
		token = c.FormValue("_csrf")
	}
	if !state(c).sess.checkCSRF(token) {
		return errs.Forbidden("this form expired or did not come from this console: reload the page and try again")
	}
	return c.Next()
}

// requireSignIn resolves who is calling and their roles, or sends them to
// the sign-in page.
func (s *server) requireSignIn(c *fiber.Ctx) error {
	st := state(c)
	p, ok, err := s.authenticate(c, st.sess)
	if err != nil {
		return err
	}
	if !ok {
		return redirect(c, "/sign-in")
	}
	acc, err := s.Authorizer.Resolve(c.UserContext(), p)
	if err != nil {
		return err
	}
	st.principal, st.access = p, acc
	return c.Next()
}

// authenticate prefers an explicit recovery session over the Pomerium
// header: behind Pomerium, recovery sign-in would otherwise be useless.
func (s *server) authenticate(c *fiber.Ctx, sess *session) (authn.Principal, bool, error) {
	if p, ok, err := s.recoverySession(c, sess); err != nil || ok {
		return p, ok, err
	}
	assertion := c.Get(authn.AssertionHeader)
	if assertion == "" {
		return authn.Principal{}, false, nil
	}
	if s.Pomerium == nil {
		return authn.Principal{}, false, errs.Unauthenticated("this console has no signing_key configured, so it cannot verify the identity Pomerium asserts")
	}
	p, err := s.Pomerium.Verify(assertion)
	if err != nil {
		return authn.Principal{}, false, err
	}
	if p, err = s.ServiceAccounts.FromAssertion(c.UserContext(), p); err != nil || p.Kind != authn.KindPomerium {
		return p, err == nil, err
	}
	if err := s.rememberUser(c, sess, p); err != nil {
		return authn.Principal{}, false, err
	}
	return p, true, nil
}

// userRefreshInterval limits user-table writes to one per user per interval
// instead of one per request.
const userRefreshInterval = time.Hour

func (s *server) rememberUser(c *fiber.Ctx, sess *session, p authn.Principal) error {
	now := s.Now()
	if sess.str(keyUserID) == p.UserID && now.Unix()-sess.int64(keySeenAt) < int64(userRefreshInterval.Seconds()) {
		return nil
	}
	if sess.str(keyUserID) != p.UserID {
		sess.reset()
	}
	if err := s.Users.Seen(c.UserContext(), p); err != nil {
		return err
	}
	sess.set(keyKind, authn.KindPomerium)
	sess.set(keyUserID, p.UserID)
	sess.set(keySeenAt, now.Unix())
	return nil
}

func (s *server) recoverySession(c *fiber.Ctx, sess *session) (authn.Principal, bool, error) {
	if sess.str(keyKind) != authn.KindRecovery {
		return authn.Principal{}, false, nil
	}
	exp := time.Unix(sess.int64(keyExpires), 0)
	jti := sess.str(keyRecoveryID)
	_, err := s.Store.GetRecoveryToken(c.UserContext(), jti)
	switch {
	case errors.Is(err, db.ErrNotFound) || !s.Now().Before(exp):
		sess.reset()
		sess.addFlash("info", "Your recovery session has ended. Sign in again.")
		return authn.Principal{}, false, nil
	case err != nil:
		return authn.Principal{}, false, err
	}
	return authn.Principal{
		Kind:                authn.KindRecovery,
		UserID:              "recovery:" + jti,
		Name:                "Recovery admin",
		RecoveryNamespaceID: sess.str(keyRecoveryNS),
		ExpiresAt:           exp,
	}, true, nil
}

// withNamespace checks the :ns of the URL exists and is visible to the caller.
func (s *server) withNamespace(c *fiber.Ctx) error {
	st := state(c)
	id := c.Params("ns")
	ns, ok := st.access.Tree().Get(id)
	if !ok {
		return errs.NotFound("namespace %s does not exist", id)
	}
	if !st.access.Visible(id) {
		return st.access.Require(id, rbac.RoleGuest)
	}
	st.namespace = ns
	return c.Next()
}

// requireServiceAccount guards the JSON API: only service-account bearer
// tokens are accepted there, never the browser session.
func (s *server) requireServiceAccount(c *fiber.Ctx) error {
	// NB: a Fiber group matches on a bare string prefix, so "/apix" lands
	// here too; only /api and /api/... are the API.
	if !isAPIPath(c.Path()) {
		return c.Next()
	}
	token := bearerToken(c.Get(fiber.HeaderAuthorization))
	if token == "" {
		return errs.Unauthenticated("send a service account token as \"Authorization: Bearer <token>\"")
	}
	if _, err := s.ServiceAccounts.Verify(c.UserContext(), token); err != nil {
		return err
	}
	return c.Next()
}

func isAPIPath(p string) bool {
	return p == "/api" || strings.HasPrefix(p, "/api/")
}

// bearerToken accepts the standard Bearer scheme and the "Pomerium" scheme
// the enterprise clients send.
func bearerToken(h string) string {
	for _, scheme := range []string{"Bearer ", "Pomerium "} {
		if len(h) > len(scheme) && strings.EqualFold(h[:len(scheme)], scheme) {
			return h[len(scheme):]
		}
	}
	return ""
}

// redirect sends a 303, or HX-Redirect to htmx so it navigates the whole page.
func redirect(c *fiber.Ctx, to string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true"
}
