package render

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
)

// SortRoutes puts routes in the ingress controller's deterministic order
// (databroker.md §4): from ascending, then path, regex and prefix
// descending, then id ascending. Core matches routes in list order, so the
// longer paths and prefixes of one host come before the shorter ones.
func SortRoutes(list []*configpb.Route) {
	slices.SortStableFunc(list, func(a, b *configpb.Route) int {
		return cmp.Or(
			cmp.Compare(a.GetFrom(), b.GetFrom()),
			cmp.Compare(b.GetPath(), a.GetPath()),
			cmp.Compare(b.GetRegex(), a.GetRegex()),
			cmp.Compare(b.GetPrefix(), a.GetPrefix()),
			cmp.Compare(a.GetId(), b.GetId()),
		)
	})
}

// statSlug is the stat name a route asks for: its namespace path and name
// in lower case, every run of other characters than letters and digits
// turned into one "-". Envoy prefixes the route's statistics with it.
func statSlug(namespacePath []string, name string) string {
	var b strings.Builder
	dash := false
	for _, part := range append(slices.Clone(namespacePath), name) {
		for _, c := range strings.ToLower(part) {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				if dash && b.Len() > 0 {
					b.WriteByte('-')
				}
				b.WriteRune(c)
				dash = false
			} else {
				dash = true
			}
		}
		dash = true
	}
	if b.Len() == 0 {
		return "route"
	}
	return b.String()
}

// assignStatNames gives every route (already in order) the stat name its
// slug asks for, unique across the Config: a route whose slug an earlier
// one took gets the first eight characters of its id appended, which
// stays the same from one deployment to the next.
func assignStatNames(list []*configpb.Route, slugs map[*configpb.Route]string) {
	taken := make(map[string]bool, len(list))
	for _, r := range list {
		name := slugs[r]
		if taken[name] {
			name += "-" + shortID(r.GetId())
			for base, n := name, 2; taken[name]; n++ {
				name = base + "-" + strconv.Itoa(n)
			}
		}
		taken[name] = true
		r.StatName = &name
	}
}

// shortID is the first eight letters and digits of id.
func shortID(id string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(id) {
		if b.Len() == 8 {
			break
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
