package web

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
	sessview "github.com/pomerium-console-oss/pomerium-console/views/sessions"
)

// sessionsSection is the URL segment and nav key of the sessions page.
const sessionsSection = "sessions"

// sessionsPageSize is how many sessions one page shows.
const sessionsPageSize = 50

func registerSessions(r fiber.Router, s *server) {
	r.Get("/sessions", s.sessionsList)
	r.Post("/sessions/:id/revoke", s.sessionsRevoke)
	r.Post("/sessions/:id/impersonate", s.sessionsImpersonate)
	r.Post("/sessions"+impersonationStopPath, s.sessionsStopImpersonating)
}

// sessionSorts are the sortable columns, as runtime orders them.
var sessionSorts = map[string]bool{
	runtime.OrderIssuedAt: true, runtime.OrderExpiresAt: true, runtime.OrderAccessedAt: true, runtime.OrderUser: true,
}

// runtimeCluster is the cluster serving the current namespace: sessions,
// users and devices belong to the Pomerium it configures.
func (s *server) runtimeCluster(c *fiber.Ctx) (db.Cluster, error) {
	st := state(c)
	return s.Deploy.ClusterOf(c.UserContext(), st.access, st.namespace.ID)
}

// sessionsList shows one page of the sessions of the current namespace's
// cluster; the filters live in the query string so the view can be shared.
func (s *server) sessionsList(c *fiber.Ctx) error {
	st := state(c)
	base := nsURL(st.namespace.ID, sessionsSection)
	vm := sessview.ListVM{BaseURL: base, Search: c.Query("q"), UserID: c.Query("user"), Sort: c.Query(components.SortParam),
		Desc: c.Query(components.DirParam) == "desc", CSRFToken: st.sess.csrfToken()}
	if !sessionSorts[vm.Sort] {
		vm.Sort, vm.Desc = runtime.OrderIssuedAt, true
	}
	vm.Query = filterValues("q", vm.Search, "user", vm.UserID,
		components.SortParam, c.Query(components.SortParam), components.DirParam, c.Query(components.DirParam))
	cl, err := s.runtimeCluster(c)
	if err != nil {
		return err
	}
	vm.ClusterName = cl.Name
	vm.CanManage = st.access.Role(cl.NamespaceID) >= rbac.RoleAdmin
	if vm.CanManage {
		vm.ImpersonateDisabled = impersonateDisabledReason(st.access.Principal)
	}
	pageNum := pageNumber(c)
	order := vm.Sort
	if vm.Desc {
		order = "-" + order
	}
	page, err := s.Runtime.ListSessions(c.UserContext(), st.access, runtime.SessionQuery{
		ClusterID: cl.ID, Query: vm.Search, UserID: vm.UserID, Offset: (pageNum - 1) * sessionsPageSize, Limit: sessionsPageSize, OrderBy: order,
	})
	switch {
	case errors.Is(err, errs.ErrUnavailable):
		vm.Notice = errs.Reason(err)
	case err != nil:
		return err
	}
	vm.Pager = components.PaginationProps{Total: page.Total, Page: pageNum, PerPage: sessionsPageSize, BaseURL: base, Query: vm.Query}
	now := s.Now()
	for _, x := range page.Sessions {
		vm.Rows = append(vm.Rows, sessionRow(x, base, vm.Query, now))
		if vm.UserID != "" && x.User.ID == vm.UserID {
			vm.UserName = x.User.DisplayName()
		}
	}
	if vm.UserName == "" {
		vm.UserName = vm.UserID
	}
	target, err := s.impersonatedSessionID(c, cl.ID)
	if err != nil {
		return err
	}
	markImpersonation(vm.Rows, st.access.Principal.SessionID, target)
	if c.Get("HX-Target") == sessview.ListTargetID {
		return renderFragment(c, fiber.StatusOK, sessview.List(vm))
	}
	if target != "" {
		if vm.Impersonation, err = s.impersonationBanner(c, cl.ID, target, page.Sessions); err != nil {
			return err
		}
	}
	return s.page(c, fiber.StatusOK, "Sessions", sessionsSection, sessview.ListPage(vm))
}

// sessionRow describes one session for the table.
func sessionRow(x runtime.Session, base string, q url.Values, now time.Time) sessview.Row {
	r := x.Record
	var groups []string
	for _, g := range x.Groups {
		groups = append(groups, g.Name)
	}
	return sessview.Row{
		ID: x.ID(), UserID: x.User.ID, UserName: x.User.DisplayName(), UserEmail: x.User.Email,
		UserURL: components.QueryURL(base, q, "user", x.User.ID), Groups: strings.Join(groups, ", "), Issuer: x.Issuer(),
		Issued: formatTime(tsTime(r.GetIssuedAt())), IssuedAgo: relativeTime(tsTime(r.GetIssuedAt()), now),
		Accessed: formatTime(tsTime(r.GetAccessedAt())), AccessedAgo: relativeTime(tsTime(r.GetAccessedAt()), now),
		Expires: formatTime(tsTime(r.GetExpiresAt())), ExpiresIn: relativeTime(tsTime(r.GetExpiresAt()), now),
		Expired:        r.GetExpiresAt() != nil && tsTime(r.GetExpiresAt()).Before(now),
		Impersonating:  r.GetImpersonateSessionId(),
		RevokeURL:      base + "/" + url.PathEscape(x.ID()) + "/revoke",
		ImpersonateURL: impersonateURL(base, x.ID()),
	}
}

// relativeTime says how far t is from now in the largest whole unit:
// "just now", "5 min ago", "in 3 h", "2 days ago"; "" for an unset time.
func relativeTime(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	var amount string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		amount = fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		amount = fmt.Sprintf("%d h", int(d/time.Hour))
	default:
		amount = fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	if past {
		return amount + " ago"
	}
	return "in " + amount
}

// tsTime is a record timestamp as a time, zero when unset.
func tsTime(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}
