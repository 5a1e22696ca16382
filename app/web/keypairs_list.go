package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	kpview "github.com/pomerium-console-oss/pomerium-console/views/keypairs"
)

// keyPairsSection is the URL segment and nav key of the key pair pages.
const keyPairsSection = "certificates"

func registerKeyPairs(r fiber.Router, s *server) {
	r.Get("/certificates", s.keyPairsList)
	r.Get("/certificates/new", s.keyPairsNew)
	r.Post("/certificates", s.keyPairsCreate)
	r.Get("/certificates/generate", s.keyPairsGenerateForm)
	r.Post("/certificates/generate", s.keyPairsGenerate)
	r.Get("/certificates/:id", s.keyPairsShow)
	r.Get("/certificates/:id/edit", s.keyPairsEdit)
	r.Post("/certificates/:id", s.keyPairsUpdate)
	r.Post("/certificates/:id/delete", s.keyPairsDelete)
}

// keyPairsList shows the key pairs of the current namespace; the filters
// live in the query string so a filtered view can be shared.
func (s *server) keyPairsList(c *fiber.Ctx) error {
	st := state(c)
	q := keypairs.Query{
		NamespaceID:        st.namespace.ID,
		IncludeDescendants: c.Query("descendants") == "on",
		Search:             c.Query("q"),
	}
	if e := c.Query("expiry"); e == keypairs.FilterExpiring || e == keypairs.FilterExpired {
		q.Expiry = e
	}
	pageNum := pageNumber(c)
	q.Offset = (pageNum - 1) * keypairs.PageSize
	page, err := s.KeyPairs.List(c.UserContext(), st.access, q)
	if err != nil {
		return err
	}
	base := keyPairURL(st.namespace.ID, "")
	filters := filterValues("q", q.Search, "expiry", q.Expiry, "descendants", checkbox(q.IncludeDescendants))
	vm := kpview.ListVM{
		BaseURL: base, NewURL: base + "/new", GenerateURL: base + "/generate",
		CanCreate: st.access.Role(st.namespace.ID) >= rbac.RoleManager,
		Search:    q.Search, Expiry: q.Expiry, IncludeDescendants: q.IncludeDescendants, Query: filters,
		Pager: components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: keypairs.PageSize, BaseURL: base, Query: filters},
	}
	for _, chip := range []struct{ label, value string }{
		{"All", ""}, {"Expiring or expired", keypairs.FilterExpiring}, {"Expired", keypairs.FilterExpired},
	} {
		vm.Chips = append(vm.Chips, components.Chip{
			Label: chip.label, URL: components.QueryURL(base, filters, "expiry", chip.value), Active: q.Expiry == chip.value,
		})
	}
	now := s.Now()
	for _, k := range page.KeyPairs {
		ns, _ := st.access.Tree().Get(k.NamespaceID)
		vm.Rows = append(vm.Rows, kpview.Row{
			Name: k.Name, URL: keyPairURL(k.NamespaceID, k.ID), NamespaceName: ns.Name, Subject: k.Subject,
			Names: sanSummary(k.DNSNames, k.IPAddresses, k.Emails, k.URIs), KeyType: k.KeyType, IsCA: k.IsCA,
			HasKey: keypairs.HasKey(k), Expires: certDate(k.NotAfter), ExpiresIn: relativeDays(k.NotAfter, now),
			Status: string(keypairs.StatusOf(k, now)),
		})
	}
	if c.Get("HX-Target") == kpview.ListTargetID {
		return renderFragment(c, fiber.StatusOK, kpview.List(vm))
	}
	return s.page(c, fiber.StatusOK, "Certificates", keyPairsSection, kpview.ListPage(vm))
}

// keyPairURL is the list of namespace nsID's key pairs, or one pair's page.
func keyPairURL(nsID, id string) string {
	if id == "" {
		return nsURL(nsID, keyPairsSection)
	}
	return nsURL(nsID, keyPairsSection+"/"+id)
}

// sanSummary lists the first few names of a certificate and how many more.
func sanSummary(lists ...[]string) string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	const shown = 3
	if len(all) <= shown {
		return strings.Join(all, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(all[:shown], ", "), len(all)-shown)
}

// certDate prints a certificate time as certificates state it, in UTC.
func certDate(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// relativeDays says how far t is from now in words: "in 12 days", "3
// months ago".
func relativeDays(t, now time.Time) string {
	d := t.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	days := int(d / (24 * time.Hour))
	var span string
	switch {
	case days == 0:
		span = "less than a day"
	case days < 60:
		span = plural(days, "day", "days")
	case days < 730:
		span = plural(days/30, "month", "months")
	default:
		span = plural(days/365, "year", "years")
	}
	if past {
		return span + " ago"
	}
	return "in " + span
}
