package testutil

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Scenario is one declarative HTTP check, pocketbase-style.
type Scenario struct {
	Name     string
	Method   string // defaults to GET
	URL      string
	Form     url.Values
	Headers  []string
	Status   int
	Contains []string
	Absent   []string
	// Location, when set, must equal the redirect target.
	Location string
}

// Run sends the scenario with client and checks the response.
func (sc Scenario) Run(t *testing.T, client *Client) *Response {
	t.Helper()
	var res *Response
	switch sc.Method {
	case "", http.MethodGet:
		res = client.Get(sc.URL, sc.Headers...)
	case http.MethodPost:
		res = client.PostForm(sc.URL, sc.Form, sc.Headers...)
	default:
		res = client.Do(httptest.NewRequest(sc.Method, sc.URL, nil), sc.Headers...)
	}
	if res.Status != sc.Status {
		t.Fatalf("%s %s: status %d, want %d\n%s", sc.Method, sc.URL, res.Status, sc.Status, excerpt(res.Body))
	}
	for _, s := range sc.Contains {
		if !strings.Contains(res.Body, s) {
			t.Errorf("%s %s: body lacks %q\n%s", sc.Method, sc.URL, s, excerpt(res.Body))
		}
	}
	for _, s := range sc.Absent {
		if strings.Contains(res.Body, s) {
			t.Errorf("%s %s: body must not contain %q", sc.Method, sc.URL, s)
		}
	}
	if sc.Location != "" && res.Location() != sc.Location {
		t.Errorf("%s %s: redirect to %q, want %q", sc.Method, sc.URL, res.Location(), sc.Location)
	}
	return res
}

// FieldErrors returns the names of the fields shown with an error, for exact
// set assertions.
func (r *Response) FieldErrors() map[string]string {
	out := map[string]string{}
	if r.Doc == nil {
		return out
	}
	r.Doc.Find(`[data-testid^="field-error-"]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("data-testid")
		out[strings.TrimPrefix(name, "field-error-")] = strings.TrimSpace(s.Text())
	})
	return out
}

func excerpt(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}
