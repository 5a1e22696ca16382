package layout

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/assets"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ProductName is the name shown in titles and on the sign-in page.
const ProductName = "Pomerium Console"

// Section keys: the path segment after /ns/{nsID}/ and the nav entry that is highlighted.
const (
	SectionRoutes          = "routes"
	SectionPolicies        = "policies"
	SectionCertificates    = "certificates"
	SectionDeployments     = "deployments"
	SectionSettings        = "settings"
	SectionServiceAccounts = "service-accounts"
	SectionNamespaces      = "namespaces"
	SectionExternalData    = "external-data"
	SectionClusters        = "clusters"
	SectionActivity        = "activity"
	SectionSessions        = "sessions"
	SectionDevices         = "devices"
	SectionUsers           = "users"
)

// Section is one entry of the sidebar navigation.
type Section struct {
	Key   string
	Title string
	Group string // MANAGE, CONFIGURE or MONITOR, as the product documentation groups them
	Icon  string
}

// The icon of a section has the section's key as its sprite id (see scripts/vendor-assets.sh).
var sections = []Section{
	{SectionRoutes, "Routes", "Manage", SectionRoutes},
	{SectionPolicies, "Policies", "Manage", SectionPolicies},
	{SectionCertificates, "Certificates", "Manage", SectionCertificates},
	{SectionDeployments, "Deployments", "Manage", SectionDeployments},
	{SectionSettings, "Settings", "Configure", SectionSettings},
	{SectionServiceAccounts, "Service Accounts", "Configure", SectionServiceAccounts},
	{SectionNamespaces, "Namespaces", "Configure", SectionNamespaces},
	{SectionExternalData, "External Data", "Configure", SectionExternalData},
	{SectionClusters, "Clusters", "Configure", SectionClusters},
	{SectionActivity, "Activity Log", "Monitor", SectionActivity},
	{SectionUsers, "Users", "Monitor", SectionUsers},
	{SectionSessions, "Sessions", "Monitor", SectionSessions},
	{SectionDevices, "Devices", "Monitor", SectionDevices},
}

// Sections returns the sidebar entries in display order.
func Sections() []Section { return append([]Section(nil), sections...) }

// SectionTitle returns the display title of a section key, or "" for an unknown key.
func SectionTitle(key string) string {
	for _, s := range sections {
		if s.Key == key {
			return s.Title
		}
	}
	return ""
}

// SectionURL returns the URL of a section of a namespace: /ns/{nsID}/{key}.
func SectionURL(nsID, key string) string {
	return "/ns/" + url.PathEscape(nsID) + "/" + key
}

type navGroup struct {
	Heading string
	Items   []Section
}

// navGroups splits sections into their groups, keeping their order.
func navGroups() []navGroup {
	var groups []navGroup
	for _, s := range sections {
		if len(groups) == 0 || groups[len(groups)-1].Heading != s.Group {
			groups = append(groups, navGroup{Heading: s.Group})
		}
		groups[len(groups)-1].Items = append(groups[len(groups)-1].Items, s)
	}
	return groups
}

// LayoutVM is everything the shell around a page shows.
type LayoutVM struct {
	Title          string // page title; the document title is "Title · Pomerium Console"
	Section        string // active nav key
	CSRFToken      string
	User           *UserVM // nil when signed out
	Namespace      NamespaceVM
	Switcher       []SwitcherItem // namespaces for the switcher, in tree order
	Flashes        []Flash
	Version        string
	DBKind         string // "SQLite" or "Postgres"
	PendingChanges int    // shows the "N pending changes" pill when > 0
}

// UserVM is the signed-in user as the top bar shows them.
type UserVM struct {
	Name       string
	Email      string
	Role       string // "Admin", "Manager", "Viewer" or "Guest" in the current namespace
	AuthMethod string // how they signed in, e.g. "Pomerium" or "Recovery token"
	SignOutURL string
}

// NamespaceVM is the namespace the page belongs to; Path lists its ancestors from Global.
type NamespaceVM struct {
	ID   string
	Name string
	Path []Crumb
}

// Crumb is one link of a breadcrumb trail.
type Crumb = components.Crumb

// SwitcherItem is one namespace in the switcher; Accessible=false shows it greyed, not as a link.
type SwitcherItem struct {
	ID         string
	Name       string
	Depth      int
	Accessible bool
	Current    bool
}

// Flash is a one-line notice shown as a toast (Kind: success, error or info).
type Flash = components.Flash

func documentTitle(title string) string {
	if title == "" {
		return ProductName
	}
	return title + " · " + ProductName
}

// switchSection is where the switcher sends you: the same section in the other namespace.
func (vm LayoutVM) switchSection() string {
	if SectionTitle(vm.Section) == "" {
		return SectionRoutes
	}
	return vm.Section
}

func (vm LayoutVM) pendingLabel() string {
	if vm.PendingChanges == 1 {
		return "1 pending change"
	}
	return fmt.Sprintf("%d pending changes", vm.PendingChanges)
}

func (vm LayoutVM) userName() string {
	if vm.User.Name != "" {
		return vm.User.Name
	}
	return vm.User.Email
}

// roleTone colours the role badge; the role's name is always shown as text too.
func roleTone(role string) components.Tone {
	switch role {
	case "Admin":
		return components.ToneAccent
	case "Manager":
		return components.ToneInfo
	default:
		return components.ToneNeutral
	}
}

func filterText(name string) string { return strings.ToLower(name) }

// htmxConfig makes htmx swap validation (422) and error responses, which it ignores by default:
// forms re-render with their field errors, and errors render as an inline alert. The indicator
// styles live in app.css so that no inline <style> is needed.
const htmxConfig = `{"responseHandling":[` +
	`{"code":"204","swap":false},` +
	`{"code":"[23]..","swap":true},` +
	`{"code":"422","swap":true},` +
	`{"code":"[45]..","swap":true,"error":true},` +
	`{"code":"...","swap":false}],` +
	`"includeIndicatorStyles":false}`

var (
	cssURL     = assets.Path("app.css")
	jsURL      = assets.Path("app.js")
	htmxURL    = assets.Path("htmx.min.js")
	faviconURL = assets.Path("favicon.svg")
)

func depthAttr(depth int) string { return strconv.Itoa(max(depth, 0)) }
