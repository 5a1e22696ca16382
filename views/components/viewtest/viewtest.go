package viewtest

import (
	"bytes"
	"context"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// Render renders c and parses the result; the test fails on a render or parse error.
func Render(t testing.TB, c templ.Component) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(HTML(t, c)))
	if err != nil {
		t.Fatalf("viewtest: parse html: %v", err)
	}
	return doc
}

// HTML renders c to bytes; the test fails on a render error.
func HTML(t testing.TB, c templ.Component) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("viewtest: render: %v", err)
	}
	return buf.Bytes()
}

// TestID returns the selector of the element with data-testid id.
func TestID(id string) string { return `[data-testid="` + id + `"]` }

// Find returns the selection of data-testid id and fails the test unless exactly one matches.
func Find(t testing.TB, doc *goquery.Document, id string) *goquery.Selection {
	t.Helper()
	s := doc.Find(TestID(id))
	if s.Length() != 1 {
		t.Fatalf("viewtest: %d elements with data-testid=%q, want 1", s.Length(), id)
	}
	return s
}
