package components_test

import (
	"context"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/a-h/templ"

	c "github.com/pomerium-console-oss/pomerium-console/views/components"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

func TestPagination(t *testing.T) {
	t.Parallel()
	filters := url.Values{"q": {"api"}, "status": {"enforced"}, "page": {"4"}}
	tests := []struct {
		name     string
		props    c.PaginationProps
		summary  string
		prev     string
		next     string
		rendered bool
	}{
		{
			name:     "first page keeps filters in next",
			props:    c.PaginationProps{Total: 312, Page: 1, PerPage: 50, BaseURL: "/ns/g/routes", Query: filters},
			summary:  "Showing 1–50 of 312",
			next:     "/ns/g/routes?page=2&q=api&status=enforced",
			rendered: true,
		},
		{
			name:     "second page links back without a page parameter",
			props:    c.PaginationProps{Total: 312, Page: 2, PerPage: 50, BaseURL: "/ns/g/routes", Query: filters},
			summary:  "Showing 51–100 of 312",
			prev:     "/ns/g/routes?q=api&status=enforced",
			next:     "/ns/g/routes?page=3&q=api&status=enforced",
			rendered: true,
		},
		{
			name:     "last partial page",
			props:    c.PaginationProps{Total: 312, Page: 7, PerPage: 50, BaseURL: "/ns/g/routes"},
			summary:  "Showing 301–312 of 312",
			prev:     "/ns/g/routes?page=6",
			rendered: true,
		},
		{
			name:     "single page has no links",
			props:    c.PaginationProps{Total: 12, Page: 1, PerPage: 50, BaseURL: "/x"},
			summary:  "Showing 1–12 of 12",
			rendered: true,
		},
		{
			name:     "page zero and no per-page fall back to defaults",
			props:    c.PaginationProps{Total: 60, BaseURL: "/x"},
			summary:  "Showing 1–50 of 60",
			next:     "/x?page=2",
			rendered: true,
		},
		{
			name:     "a stale link past the last page says so and leads back",
			props:    c.PaginationProps{Total: 60, Page: 4, PerPage: 50, BaseURL: "/x"},
			summary:  "Page 4 is past the end: there are 60 in all",
			prev:     "/x?page=3",
			rendered: true,
		},
		{
			name:  "nothing for an empty list",
			props: c.PaginationProps{Total: 0, BaseURL: "/x"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.Pagination(tc.props))
			nav := doc.Find(viewtest.TestID("pagination"))
			if (nav.Length() == 1) != tc.rendered {
				t.Fatalf("rendered = %v, want %v", nav.Length() == 1, tc.rendered)
			}
			if !tc.rendered {
				return
			}
			if got := doc.Find(viewtest.TestID("pagination-summary")).Text(); got != tc.summary {
				t.Fatalf("summary = %q, want %q", got, tc.summary)
			}
			for rel, want := range map[string]string{"prev": tc.prev, "next": tc.next} {
				a := doc.Find(viewtest.TestID("pagination-" + rel))
				got, _ := a.Attr("href")
				if got != want {
					t.Fatalf("%s href = %q, want %q", rel, got, want)
				}
			}
		})
	}
}

func TestQueryURL(t *testing.T) {
	t.Parallel()
	q := url.Values{"q": {"api"}, "page": {"3"}, "status": {"enforced"}}
	tests := []struct {
		name string
		kv   []string
		want string
	}{
		{"resets page and keeps filters", nil, "/r?q=api&status=enforced"},
		{"replaces a filter", []string{"status", "optional"}, "/r?q=api&status=optional"},
		{"removes a filter", []string{"status", ""}, "/r?q=api"},
		{"adds several", []string{"sort", "name", "dir", "desc"}, "/r?dir=desc&q=api&sort=name&status=enforced"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := c.QueryURL("/r", q, tc.kv...); got != tc.want {
				t.Fatalf("QueryURL = %q, want %q", got, tc.want)
			}
		})
	}
	if got := c.QueryURL("/r", nil); got != "/r" {
		t.Fatalf("no query: %q", got)
	}
	if q.Get("page") != "3" {
		t.Fatal("QueryURL modified its input")
	}
}

func TestSortHeader(t *testing.T) {
	t.Parallel()
	base := c.SortHeaderProps{Label: "Name", Key: "name", BaseURL: "/r", Query: url.Values{"q": {"x"}, "page": {"2"}}}
	tests := []struct {
		name     string
		sort     string
		desc     bool
		wantHref string
		wantAria string
	}{
		{"unsorted column sorts ascending", "from", false, "/r?dir=asc&q=x&sort=name", ""},
		{"ascending column toggles to descending", "name", false, "/r?dir=desc&q=x&sort=name", "ascending"},
		{"descending column toggles to ascending", "name", true, "/r?dir=asc&q=x&sort=name", "descending"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := base
			p.Sort, p.Desc = tc.sort, tc.desc
			doc := viewtest.Render(t, inTableHead(c.SortHeader(p)))
			if href, _ := doc.Find("th a").Attr("href"); href != tc.wantHref {
				t.Fatalf("href = %q, want %q", href, tc.wantHref)
			}
			aria, _ := doc.Find("th").Attr("aria-sort")
			if aria != tc.wantAria {
				t.Fatalf("aria-sort = %q, want %q", aria, tc.wantAria)
			}
		})
	}
}

// inTableHead wraps a <th> in a table: an HTML parser drops a <th> found anywhere else.
func inTableHead(th templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if _, err := io.WriteString(w, "<table><thead><tr>"); err != nil {
			return err
		}
		if err := th.Render(ctx, w); err != nil {
			return err
		}
		_, err := io.WriteString(w, "</tr></thead></table>")
		return err
	})
}

func TestFilterChips(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, c.FilterChips(c.FilterChipsProps{Label: "Status", Chips: []c.Chip{
		{Label: "All", URL: "/r"},
		{Label: "Enforced", URL: "/r?status=enforced", Active: true},
	}}))
	chips := doc.Find(viewtest.TestID("filter-chips") + " a")
	if chips.Length() != 2 {
		t.Fatalf("%d chips", chips.Length())
	}
	tests := []struct {
		name   string
		i      int
		active bool
	}{
		{"inactive chip", 0, false},
		{"active chip is marked by more than colour", 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := chips.Eq(tc.i)
			_, cur := ch.Attr("aria-current")
			if cur != tc.active {
				t.Fatalf("aria-current = %v", cur)
			}
			if (ch.Find("svg").Length() == 1) != tc.active {
				t.Fatal("check icon does not match active state")
			}
		})
	}
}

func TestDescriptionListAndTree(t *testing.T) {
	t.Parallel()
	doc := viewtest.Render(t, c.DescriptionList(c.DescriptionListProps{TestID: "facts", Items: []c.DLItem{
		{Term: "From", Value: "https://app.example.com", Mono: true},
		{Term: "Description"},
		{Term: "Status", Content: c.Badge(c.BadgeProps{Label: "Enforced", Tone: c.ToneSuccess})},
	}}))
	dds := viewtest.Find(t, doc, "facts").Find("dd")
	tests := []struct {
		name  string
		i     int
		text  string
		class string
	}{
		{"value in mono", 0, "https://app.example.com", "mono"},
		{"empty value shows a dash", 1, "—", ""},
		{"component content", 2, "Enforced", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dd := dds.Eq(tc.i)
			if got := strings.TrimSpace(dd.Text()); got != tc.text {
				t.Fatalf("text = %q, want %q", got, tc.text)
			}
			if tc.class != "" && !dd.HasClass(tc.class) {
				t.Fatalf("missing class %q", tc.class)
			}
		})
	}

	tree := viewtest.Render(t, c.Tree(c.TreeProps{Label: "Namespaces", TestID: "tree", Nodes: []c.TreeNode{{
		Label: "Global", URL: "/ns/g/namespaces",
		Children: []c.TreeNode{{Label: "Eng", Current: true, URL: "/ns/e/namespaces", Children: []c.TreeNode{{Label: "Team A"}}}, {Label: "Ops"}},
	}}}))
	root := viewtest.Find(t, tree, "tree")
	if got := root.Find("ul ul li").Length(); got != 3 {
		t.Fatalf("descendants below the root = %d, want 3", got)
	}
	if got := root.Children().ChildrenFiltered("ul").ChildrenFiltered("li").Length(); got != 2 {
		t.Fatalf("children of Global = %d, want 2", got)
	}
	if cur := root.Find(`[aria-current="page"]`).Text(); strings.TrimSpace(cur) != "Eng" {
		t.Fatalf("current node = %q", cur)
	}
}

func TestCodeBlock(t *testing.T) {
	t.Parallel()
	code := "package pomerium.policy\nallow if { input.http.method == \"<GET>\" }"
	tests := []struct {
		name        string
		props       c.CodeBlockProps
		collapsible bool
		copyButton  bool
	}{
		{"plain with copy", c.CodeBlockProps{ID: "rego", Code: code, Language: "rego"}, false, true},
		{"collapsible", c.CodeBlockProps{ID: "rego", Code: code, Title: "Compiled Rego", Collapsible: true}, true, true},
		{"no id, no copy", c.CodeBlockProps{Code: code}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := viewtest.Render(t, c.CodeBlock(tc.props))
			if got := doc.Find("pre code").Text(); got != code {
				t.Fatalf("code = %q", got)
			}
			if (doc.Find("details").Length() == 1) != tc.collapsible {
				t.Fatal("collapsible mismatch")
			}
			btn := doc.Find("[data-copy-target]")
			if (btn.Length() == 1) != tc.copyButton {
				t.Fatalf("copy buttons = %d", btn.Length())
			}
			if tc.copyButton {
				target, _ := btn.Attr("data-copy-target")
				if doc.Find("#"+target).Length() != 1 {
					t.Fatalf("copy target %q not found", target)
				}
			}
		})
	}
}
