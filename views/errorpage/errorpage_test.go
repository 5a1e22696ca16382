package errorpage_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
	"github.com/pomerium-console-oss/pomerium-console/views/errorpage"
)

func TestPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		vm        errorpage.ErrorVM
		status    string
		title     string
		reason    string
		backLink  bool
		homeHref  string
		requestID bool
	}{
		{"forbidden with reason", errorpage.ErrorVM{Status: 403, Reason: "You are a viewer in Engineering.", BackURL: "/ns/e/routes"}, "403", "Forbidden", "You are a viewer in Engineering.", true, "/", false},
		{"not found default reason", errorpage.ErrorVM{Status: 404, HomeURL: "/ns/g/routes"}, "404", "Not Found", "The page or item you asked for does not exist, or was deleted.", false, "/ns/g/routes", false},
		{"server error never shows internals", errorpage.ErrorVM{Status: 500, RequestID: "req-1"}, "500", "Internal Server Error", "The console hit an unexpected problem. It has been logged; try again in a moment.", false, "/", true},
		{"custom title", errorpage.ErrorVM{Status: 409, Title: "Already exists", Reason: "A route with this name exists."}, "409", "Already exists", "A route with this name exists.", false, "/", false},
		{"unknown status", errorpage.ErrorVM{Status: 599}, "599", "Something went wrong", "The console hit an unexpected problem. It has been logged; try again in a moment.", false, "/", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, errorpage.Page(tc.vm))
			if got := viewtest.Find(t, doc, "error-status").Text(); got != tc.status {
				t.Fatalf("status = %q", got)
			}
			if got := viewtest.Find(t, doc, "error-title").Text(); got != tc.title {
				t.Fatalf("title = %q", got)
			}
			if got := viewtest.Find(t, doc, "error-reason").Text(); got != tc.reason {
				t.Fatalf("reason = %q", got)
			}
			links := doc.Find("a.btn")
			if (links.Length() == 2) != tc.backLink {
				t.Fatalf("%d links", links.Length())
			}
			if href, _ := links.Last().Attr("href"); href != tc.homeHref {
				t.Fatalf("home href = %q", href)
			}
			if strings.Contains(doc.Text(), "req-1") != tc.requestID {
				t.Fatal("request id mismatch")
			}
		})
	}
}

func TestFragment(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, errorpage.Fragment(errorpage.ErrorVM{Status: 403, Reason: "Managers cannot edit settings."}))
	f := viewtest.Find(t, doc, "error-fragment")
	if r, _ := f.Attr("role"); r != "alert" {
		t.Fatalf("role = %q", r)
	}
	if !strings.Contains(f.Text(), "Forbidden") || !strings.Contains(f.Text(), "Managers cannot edit settings.") {
		t.Fatalf("text = %q", f.Text())
	}
	if doc.Find("h1, html > body > main").Length() != 0 {
		t.Fatal("fragment renders page structure")
	}
}
