package auth_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/views/auth"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		vm      auth.SignInVM
		invalid bool
	}{
		{"fresh", auth.SignInVM{CSRFToken: "tok"}, false},
		{"rejected token is echoed with its error", auth.SignInVM{CSRFToken: "tok", Token: "eyJ.bad", Error: "This recovery token has expired."}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, layout.Bare("Sign in", auth.SignIn(tc.vm)))
			if !strings.Contains(doc.Find(".bare-brand").Text(), layout.ProductName) {
				t.Fatal("no product name")
			}
			if !strings.Contains(doc.Text(), "Normally you reach the console through Pomerium") {
				t.Fatal("no explanation of the normal sign-in")
			}
			form := viewtest.Find(t, doc, "recovery-form")
			if m, _ := form.Attr("method"); m != "post" {
				t.Fatalf("method = %q", m)
			}
			if a, _ := form.Attr("action"); a != auth.RecoverySignInURL {
				t.Fatalf("action = %q", a)
			}
			if v, _ := form.Find(`input[name="_csrf"]`).Attr("value"); v != "tok" {
				t.Fatalf("csrf = %q", v)
			}
			token := form.Find(`textarea[name="token"]`)
			if token.Text() != tc.vm.Token {
				t.Fatalf("token = %q, want %q", token.Text(), tc.vm.Token)
			}
			id, _ := token.Attr("id")
			if l := form.Find(`label[for="` + id + `"]`).Text(); !strings.Contains(l, "Recovery token") {
				t.Fatalf("label = %q", l)
			}
			if !strings.Contains(viewtest.Find(t, doc, "field-token").Text(), "pomerium-console generate-recovery-token") {
				t.Fatal("help does not say how to get a token")
			}
			_, inv := token.Attr("aria-invalid")
			if inv != tc.invalid {
				t.Fatalf("aria-invalid = %v", inv)
			}
			errEl := form.Find(viewtest.TestID("field-error-token"))
			if tc.invalid && strings.TrimSpace(errEl.Text()) != tc.vm.Error {
				t.Fatalf("error = %q", errEl.Text())
			}
			if !tc.invalid && errEl.Length() != 0 {
				t.Fatal("error shown without an error")
			}
			if form.Find(`button[type="submit"]`).Text() != "Sign in" {
				t.Fatal("no sign-in button")
			}
		})
	}
}

func TestSignedOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		vm   auth.SignedOutVM
		href string
	}{
		{"default", auth.SignedOutVM{}, "/"},
		{"custom", auth.SignedOutVM{SignInURL: "/ns/x/routes"}, "/ns/x/routes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, auth.SignedOut(tc.vm))
			if viewtest.Find(t, doc, "signed-out").Text() != "You are signed out" {
				t.Fatal("heading missing")
			}
			if href, _ := doc.Find("a.btn").Attr("href"); href != tc.href {
				t.Fatalf("href = %q, want %q", href, tc.href)
			}
		})
	}
}
