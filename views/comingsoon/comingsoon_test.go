package comingsoon_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/views/comingsoon"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

func TestEverySectionHasAnHonestPlaceholder(t *testing.T) {
	t.Parallel()
	for _, s := range layout.Sections() {
		t.Run(s.Key, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, comingsoon.Page(comingsoon.VM{Section: s.Key}))
			if got := doc.Find("h1").Text(); got != s.Title {
				t.Fatalf("title = %q, want %q", got, s.Title)
			}
			purpose := viewtest.Find(t, doc, "coming-soon-purpose").Text()
			if !strings.HasSuffix(purpose, ".") || len(purpose) < 40 {
				t.Fatalf("purpose is not a sentence: %q", purpose)
			}
			if !strings.Contains(doc.Text(), "This part of the console is not built yet.") {
				t.Fatal("does not say it is not built")
			}
		})
	}
}

func TestUnknownSection(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, comingsoon.Page(comingsoon.VM{Section: "reports"}))
	if doc.Find("h1").Text() != "This page" {
		t.Fatalf("title = %q", doc.Find("h1").Text())
	}
	if doc.Find(viewtest.TestID("coming-soon-purpose")).Length() != 0 {
		t.Fatal("invented a purpose for an unknown section")
	}
}
