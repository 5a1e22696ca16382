package components

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
)

// Query parameters shared by every list page, so links built here and handlers agree.
const (
	PageParam = "page" // 1-based page number; absent means 1
	SortParam = "sort" // column key
	DirParam  = "dir"  // "asc" or "desc"
)

// QueryURL returns base with q, where each key/value pair of kv replaces that parameter (an empty
// value removes it). The page is always reset, because a changed filter or sort starts at page 1.
func QueryURL(base string, q url.Values, kv ...string) string {
	return withParams(base, q, append([]string{PageParam, ""}, kv...)...)
}

// withParams returns base with a copy of q in which each key/value pair of kv replaces that
// parameter, an empty value removing it.
func withParams(base string, q url.Values, kv ...string) string {
	v := url.Values{}
	for k, vals := range q {
		v[k] = append([]string(nil), vals...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// PaginationProps describes the "Showing 1–50 of 312" bar under a list.
type PaginationProps struct {
	Total   int
	Page    int // 1-based; values below 1 mean 1
	PerPage int
	BaseURL string     // the list URL without a query string
	Query   url.Values // the current filters, kept in the prev/next links
}

func (p PaginationProps) page() int {
	if p.Page < 1 {
		return 1
	}
	return p.Page
}

func (p PaginationProps) perPage() int {
	if p.PerPage < 1 {
		return 50
	}
	return p.PerPage
}

// From returns the 1-based index of the first row shown, 0 when there are none.
func (p PaginationProps) From() int {
	if p.Total == 0 {
		return 0
	}
	return min((p.page()-1)*p.perPage()+1, p.Total)
}

// To returns the 1-based index of the last row shown.
func (p PaginationProps) To() int { return min(p.page()*p.perPage(), p.Total) }

// Summary returns the sentence shown to the user, e.g. "Showing 1–50 of 312".
func (p PaginationProps) Summary() string {
	switch {
	case p.Total == 0:
		return "No results"
	case (p.page()-1)*p.perPage() >= p.Total:
		// A stale link (rows were deleted since) points past the last page.
		return fmt.Sprintf("Page %d is past the end: there are %d in all", p.page(), p.Total)
	}
	return fmt.Sprintf("Showing %d–%d of %d", p.From(), p.To(), p.Total)
}

// PrevURL returns the link to the previous page, or "" on the first page.
func (p PaginationProps) PrevURL() string {
	if p.page() <= 1 {
		return ""
	}
	return p.pageURL(p.page() - 1)
}

// NextURL returns the link to the next page, or "" on the last page.
func (p PaginationProps) NextURL() string {
	if p.page()*p.perPage() >= p.Total {
		return ""
	}
	return p.pageURL(p.page() + 1)
}

func (p PaginationProps) pageURL(n int) string {
	page := ""
	if n > 1 {
		page = strconv.Itoa(n)
	}
	return withParams(p.BaseURL, p.Query, PageParam, page)
}

// SortHeaderProps describes a sortable column header.
type SortHeaderProps struct {
	Label   string
	Key     string // the sort parameter value for this column
	Sort    string // the current sort key
	Desc    bool   // the current direction
	BaseURL string
	Query   url.Values
	Class   string // extra class for the <th>, e.g. "num"
}

func (p SortHeaderProps) active() bool { return p.Sort == p.Key }

// URL returns the link that sorts by this column: ascending first, then toggling.
func (p SortHeaderProps) URL() string {
	dir := "asc"
	if p.active() && !p.Desc {
		dir = "desc"
	}
	return QueryURL(p.BaseURL, p.Query, SortParam, p.Key, DirParam, dir)
}

func (p SortHeaderProps) ariaSort() string {
	switch {
	case !p.active():
		return ""
	case p.Desc:
		return "descending"
	default:
		return "ascending"
	}
}

func (p SortHeaderProps) icon() string {
	switch p.ariaSort() {
	case "ascending":
		return "arrow-up"
	case "descending":
		return "arrow-down"
	default:
		return "arrow-up-down"
	}
}

// Chip is one filter chip; URL toggles it (the caller builds it, usually with QueryURL).
type Chip struct {
	Label  string
	URL    string
	Active bool
}

// FilterChipsProps describes a row of filter chips.
type FilterChipsProps struct {
	Label string // accessible name of the group, e.g. "Filter by status"
	Chips []Chip
}

// SearchBoxProps describes the search-as-you-type box of a list page. Without JavaScript it is a
// plain GET form; with htmx it replaces Target as you type and updates the URL.
type SearchBoxProps struct {
	Action      string // the list URL
	Name        string // defaults to "q"
	Value       string
	Label       string // accessible name; defaults to "Search"
	Placeholder string
	Target      string     // CSS selector of the region to swap, e.g. "#results"
	Keep        url.Values // other filters the search keeps, as hidden fields
}

func (p SearchBoxProps) name() string {
	if p.Name == "" {
		return "q"
	}
	return p.Name
}

func (p SearchBoxProps) label() string {
	if p.Label == "" {
		return "Search"
	}
	return p.Label
}

// hidden lists the kept filters in a stable order, without the search itself or the page.
func (p SearchBoxProps) hidden() [][2]string {
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(p.Keep)) {
		if k == p.name() || k == PageParam {
			continue
		}
		for _, v := range p.Keep[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func (p SearchBoxProps) htmxAttrs() templ.Attributes {
	if p.Target == "" {
		return nil
	}
	return templ.Attributes{
		"hx-get":       p.Action,
		"hx-trigger":   "input changed delay:300ms, search",
		"hx-target":    p.Target,
		"hx-select":    p.Target,
		"hx-swap":      "outerHTML",
		"hx-push-url":  "true",
		"hx-include":   "closest form",
		"autocomplete": "off",
	}
}
