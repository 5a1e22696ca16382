package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/sessions"
)

const sessionCookie = "_pomerium_console"

// Session value keys. Values are plain strings and int64s so the cookie
// codec needs no gob registration.
const (
	keyCSRF       = "csrf"
	keyKind       = "kind"
	keyUserID     = "uid"
	keySeenAt     = "seen"
	keyRecoveryNS = "rns"
	keyRecoveryID = "rjti"
	keyExpires    = "exp"
	keyFlash      = "flash"
)

// session wraps the request's gorilla session and remembers whether it
// changed, so the cookie is only re-sent when needed.
type session struct {
	s     *sessions.Session
	dirty bool
}

func (s *session) str(key string) string {
	v, _ := s.s.Values[key].(string)
	return v
}

func (s *session) int64(key string) int64 {
	v, _ := s.s.Values[key].(int64)
	return v
}

func (s *session) set(key string, v any) {
	s.s.Values[key] = v
	s.dirty = true
}

// reset drops every value (sign-in, sign-out) and issues a new CSRF token,
// so a session fixed before sign-in is worthless after it.
func (s *session) reset() {
	s.s.Values = map[any]any{}
	s.set(keyCSRF, randomToken())
}

// csrfToken returns the session's CSRF token, creating it on first use.
func (s *session) csrfToken() string {
	if t := s.str(keyCSRF); t != "" {
		return t
	}
	t := randomToken()
	s.set(keyCSRF, t)
	return t
}

// checkCSRF compares a submitted token with the session's in constant time.
func (s *session) checkCSRF(submitted string) bool {
	want := s.str(keyCSRF)
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(submitted)) == 1
}

// addFlash queues a message for the next full page ("success|Saved").
func (s *session) addFlash(kind, msg string) {
	flashes, _ := s.s.Values[keyFlash].([]string)
	s.set(keyFlash, append(flashes, kind+"|"+msg))
}

// popFlashes returns and clears the queued messages.
func (s *session) popFlashes() []string {
	flashes, _ := s.s.Values[keyFlash].([]string)
	if len(flashes) > 0 {
		delete(s.s.Values, keyFlash)
		s.dirty = true
	}
	return flashes
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionStore reads and writes the session cookie on fasthttp requests.
type sessionStore struct {
	cookies *sessions.CookieStore
}

func newSessionStore(hashKey, blockKey []byte, secure bool, maxAge time.Duration) *sessionStore {
	cs := sessions.NewCookieStore(hashKey, blockKey)
	// NB: gorilla's defaults are Secure, SameSite=None, not HttpOnly, 30 days;
	// MaxAge must go through the store so old cookies are refused too.
	cs.Options = &sessions.Options{Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	cs.MaxAge(int(maxAge.Seconds()))
	return &sessionStore{cookies: cs}
}

// load decodes the session cookie; a missing, expired or forged cookie gives
// a new empty session.
func (st *sessionStore) load(c *fiber.Ctx) *session {
	r := &http.Request{Header: http.Header{"Cookie": {string(c.Request().Header.Peek("Cookie"))}}}
	s, err := st.cookies.New(r, sessionCookie)
	if err != nil {
		s = sessions.NewSession(st.cookies, sessionCookie)
		s.Options = st.cookies.Options
		s.IsNew = true
	}
	return &session{s: s}
}

// save writes the cookie onto the response if the session changed.
func (st *sessionStore) save(c *fiber.Ctx, s *session) error {
	if !s.dirty {
		return nil
	}
	w := headerWriter{h: http.Header{}}
	if err := st.cookies.Save(&http.Request{}, w, s.s); err != nil {
		return err
	}
	for _, v := range w.h.Values("Set-Cookie") {
		c.Response().Header.Add("Set-Cookie", v)
	}
	return nil
}

// headerWriter collects the headers gorilla sets; nothing else is written.
type headerWriter struct{ h http.Header }

func (w headerWriter) Header() http.Header         { return w.h }
func (w headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w headerWriter) WriteHeader(int)             {}
