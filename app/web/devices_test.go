package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
)

func TestDevicesPage(t *testing.T) {
	t.Parallel()
	f := newRuntimeFixture(t)
	root := atHome(t, f.app, "root")
	res := root.Get(nsURL(global, "devices"))
	wantStatus(t, res, http.StatusOK)
	ada, bob := res.Doc.Find(`[data-testid="device-cred-ada"]`), res.Doc.Find(`[data-testid="device-cred-bob"]`)
	if s, _ := ada.Attr("data-status"); s != "approved" || !strings.Contains(ada.Text(), "by Bob Builder") {
		t.Errorf("ada's key: %s %q", s, ada.Text())
	}
	if s, _ := bob.Attr("data-status"); s != "unapproved" || !strings.Contains(bob.Text(), "Windows") || !res.Has(`[data-testid="approve-cred-bob"]`) {
		t.Errorf("bob's laptop: %s %q", s, bob.Text())
	}
	vic := signedIn(t, f.app, "vic")
	vres := vic.Get(nsURL(global, "devices"))
	wantStatus(t, vres, http.StatusOK)
	if vres.Has(`[data-testid="approve-cred-bob"]`) || vres.Has(`[data-testid="new-enrollment"]`) {
		t.Error("a viewer is offered changes")
	}
	wantStatus(t, vic.PostForm(nsURL(global, "devices/approve"), url.Values{"credential_id": {"cred-bob"}}), http.StatusForbidden)

	wantStatus(t, root.PostForm(nsURL(global, "devices/approve"), url.Values{"credential_id": {"cred-bob"}}), http.StatusSeeOther)
	e := &devicepb.Enrollment{}
	if !f.broker.Message(t, runtime.EnrollmentType, "enr-bob", e) || e.GetApprovedBy() == "" {
		t.Fatalf("not approved: %v", e)
	}
	wantStatus(t, root.PostForm(nsURL(global, "devices/delete"), url.Values{"credential_id": {"cred-bob"}}), http.StatusSeeOther)
	if f.broker.Record(runtime.CredentialType, "cred-bob") != nil || f.broker.Record(runtime.EnrollmentType, "enr-bob") != nil {
		t.Fatal("the device is still there")
	}
	wantStatus(t, root.PostForm(nsURL(global, "devices/delete"), url.Values{}), http.StatusUnprocessableEntity)
}

func TestDevicesEnrollmentLink(t *testing.T) {
	t.Parallel()
	f := newRuntimeFixture(t)
	root := atHome(t, f.app, "root")
	form := root.Get(nsURL(global, "devices/enroll?user=cyd"))
	wantStatus(t, form, http.StatusOK)
	if v, _ := form.Doc.Find(`#f-user_id`).Attr("value"); v != "cyd" || !form.Has(`datalist#known-users option[value="ada"]`) {
		t.Errorf("form prefill %q", v)
	}
	res := root.PostForm(nsURL(global, "devices/enroll"), url.Values{"user_id": {""}, "type_id": {"any"}, "route_url": {"not a url"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantFieldErrors(t, res, map[string]string{"user_id": "enter the id", "route_url": "absolute"})
	if n := len(f.broker.Records(runtime.EnrollmentType)); n != 2 {
		t.Fatalf("%d enrollments after a refused form", n)
	}

	res = root.PostForm(nsURL(global, "devices/enroll"), url.Values{"user_id": {"cyd"}, "type_id": {"any"}, "route_url": {"https://app.example.com"}})
	wantStatus(t, res, http.StatusOK)
	link, _ := res.Doc.Find(`[data-testid="secret-value"]`).Attr("value")
	u, err := url.Parse(link)
	if err != nil || u.Host != "app.example.com" || u.Path != "/.pomerium/webauthn" || u.Query().Get("pomerium_enrollment_token") == "" ||
		u.Query().Get("pomerium_signature") == "" {
		t.Fatalf("link %q", link)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the link may be cached")
	}
	if n := len(f.broker.Records(runtime.EnrollmentType)); n != 3 {
		t.Fatalf("%d enrollments", n)
	}
	list := root.Get(nsURL(global, "devices"))
	if !strings.Contains(list.Text(`[data-testid="device-table"]`), "Cyd Charisse") || strings.Contains(list.Body, link) {
		t.Error("the pending enrollment is not listed, or the link is shown again")
	}
	vic := signedIn(t, f.app, "vic")
	wantStatus(t, vic.Get(nsURL(global, "devices/enroll")), http.StatusForbidden)
}

func TestUsersPage(t *testing.T) {
	t.Parallel()
	f := newRuntimeFixture(t)
	root := atHome(t, f.app, "root")
	res := root.Get(nsURL(global, "users"))
	wantStatus(t, res, http.StatusOK)
	for _, id := range []string{"ada", "bob", "cyd", "root"} {
		if !res.Has(`[data-testid="user-` + id + `"]`) {
			t.Errorf("user %s missing", id)
		}
	}
	if got := res.Text(`[data-testid="user-root"] [data-testid="user-role"]`); !strings.Contains(got, "Global:") || !strings.Contains(got, "admin") {
		t.Errorf("root's roles %q", got)
	}
	if !strings.Contains(res.Text(`[data-testid="user-cyd"]`), "Dancers") && !strings.Contains(res.Text(`[data-testid="user-cyd"]`), "g1") {
		t.Errorf("cyd's groups: %q", res.Text(`[data-testid="user-cyd"]`))
	}
	frag := root.Get(nsURL(global, "users?q=charisse"), "HX-Request", "true", "HX-Target", "user-list")
	wantStatus(t, frag, http.StatusOK)
	if frag.Has(`[data-testid="nav"]`) || !frag.Has(`[data-testid="user-cyd"]`) || frag.Has(`[data-testid="user-ada"]`) {
		t.Errorf("look-ahead search:\n%s", frag.Body)
	}
}
