package testutil

import (
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Client is one browser: it keeps cookies and the CSRF token of the last
// page it loaded, and may carry a Pomerium assertion on every request.
type Client struct {
	t         testing.TB
	app       *App
	cookies   map[string]string
	csrf      string
	Assertion string
}

// Response is a finished request with its parsed HTML.
type Response struct {
	Status int
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

// NewClient returns a browser with no cookies.
func (a *App) NewClient(t testing.TB) *Client {
	return &Client{t: t, app: a, cookies: map[string]string{}}
}

// AsUser returns a browser that Pomerium signs in as c.
func (a *App) AsUser(t testing.TB, c Claims) *Client {
	cl := a.NewClient(t)
	cl.Assertion = a.Assertion(t, c)
	return cl
}

// AsRecovery returns a browser signed in with a recovery token for namespaceID.
func (a *App) AsRecovery(t testing.TB, namespaceID string) *Client {
	t.Helper()
	cl := a.NewClient(t)
	res := cl.SignInRecovery(a.RecoveryToken(t, namespaceID, time.Hour))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("recovery sign-in: status %d, body %s", res.Status, res.Body)
	}
	return cl
}

// SignInRecovery opens the sign-in page and submits token, as a person
// pasting it would.
func (c *Client) SignInRecovery(token string) *Response {
	c.Get("/sign-in")
	return c.PostForm("/sign-in/recovery", url.Values{"token": {token}})
}

// Get loads path.
func (c *Client) Get(path string, headers ...string) *Response {
	return c.Do(httptest.NewRequest(http.MethodGet, path, nil), headers...)
}

// PostForm submits form to path with the CSRF token of the last page
// (unless form has one); form itself is left as it is, so tests may share it.
func (c *Client) PostForm(path string, form url.Values, headers ...string) *Response {
	form = maps.Clone(form)
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	return c.PostFormRaw(path, form, headers...)
}

// PostFormRaw submits form exactly as given, without adding a CSRF token.
func (c *Client) PostFormRaw(path string, form url.Values, headers ...string) *Response {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req, headers...)
}

// CSRFToken is the token of the last page loaded, as htmx would send it in
// the X-CSRF-Token header.
func (c *Client) CSRFToken() string { return c.csrf }

// HTMX lists the headers htmx sends with a request.
func HTMX(target string) []string {
	h := []string{"HX-Request", "true"}
	if target != "" {
		h = append(h, "HX-Target", target)
	}
	return h
}

// Do sends req with the client's cookies, assertion and extra header pairs.
func (c *Client) Do(req *http.Request, headers ...string) *Response {
	c.t.Helper()
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	if c.Assertion != "" {
		req.Header.Set("X-Pomerium-Jwt-Assertion", c.Assertion)
	}
	res, err := c.app.Fiber.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		out.Doc, err = goquery.NewDocumentFromReader(strings.NewReader(out.Body))
		if err != nil {
			c.t.Fatal(err)
		}
		if tok, ok := out.Doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok {
			c.csrf = tok
		} else if tok, ok := out.Doc.Find(`input[name="_csrf"]`).First().Attr("value"); ok {
			c.csrf = tok
		}
	}
	return out
}

// Text returns the trimmed text of the first element matching sel.
func (r *Response) Text(sel string) string {
	if r.Doc == nil {
		return ""
	}
	return strings.TrimSpace(r.Doc.Find(sel).First().Text())
}

// Has reports whether sel matches an element.
func (r *Response) Has(sel string) bool {
	return r.Doc != nil && r.Doc.Find(sel).Length() > 0
}

// Location is the redirect target (Location or HX-Redirect).
func (r *Response) Location() string {
	if l := r.Header.Get("Location"); l != "" {
		return l
	}
	return r.Header.Get("HX-Redirect")
}
