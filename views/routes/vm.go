package routes

import (
	"net/url"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ListTargetID is the element a search or filter re-renders.
const ListTargetID = "route-list"

// BodyID is the part of the route form that htmx swaps.
const BodyID = "route-form-body"

// ListVM is one page of routes.
type ListVM struct {
	BaseURL            string
	NewURL             string
	ImportURL          string
	CanCreate          bool
	Search             string
	IncludeDescendants bool
	Sort               string
	Desc               bool
	// Query holds the filters and order, kept by sort and page links.
	Query url.Values
	Rows  []Row
	Pager components.PaginationProps
}

// Row is one route in the list.
type Row struct {
	Name          string
	URL           string
	From          string
	Target        string // upstreams, redirect or direct response, in words
	NamespaceName string
	Policies      int
	Updated       string
}

// DetailVM is a route's page.
type DetailVM struct {
	ID            string
	Name          string
	NamespaceName string
	From          string
	Facts         []Fact
	Settings      []Fact
	Enforced      []PolicyVM
	Attached      []PolicyVM
	Certificates  []CertVM
	KeyPairs      []CertVM
	CanManage     bool
	EditURL       string
	CloneURL      string
	DeleteURL     string
	CSRFToken     string
	ListURL       string
}

// Fact is one term of a definition list; Lines shows one value per line.
type Fact struct {
	Term  string
	Value string
	Lines []string
	Mono  bool
}

// PolicyVM is one policy that applies to a route.
type PolicyVM struct {
	ID            string
	Name          string
	URL           string
	NamespaceName string
	Description   string
	Enforced      bool
	Rego          string
}

// CertVM is a key pair shown on a route: one matching its host, or one it
// names in a TLS field (Use says which).
type CertVM struct {
	Name          string
	URL           string
	NamespaceName string
	Use           string
	Subject       string
	NotAfter      string
	// Status is "ok", "expiring" or "expired".
	Status string
}

// FormVM is the create / edit / clone form.
type FormVM struct {
	Title         string
	Action        string
	ValidateURL   string
	CancelURL     string
	CSRFToken     string
	IsEdit        bool
	IsClone       bool
	NamespaceName string
	F             Fields
	Errors        map[string]string
	FormError     string
	// HasIDPClientSecret and HasKubernetesToken tell whether the stored
	// route holds these secrets; their values are never rendered.
	HasIDPClientSecret bool
	HasKubernetesToken bool
	// Inline is an answer to inline validation: its controls are kept as
	// they are in the page (hx-preserve).
	Inline   bool
	Policies []PolicyOption
	Enforced []string
	KeyPairs []KeyPairOption
}

// PolicyOption is an optional policy a route may attach.
type PolicyOption struct {
	ID            string
	Name          string
	NamespaceName string
	Description   string
}

// KeyPairOption is a key pair a route may use.
type KeyPairOption struct {
	ID            string
	Name          string
	NamespaceName string
	HasKey        bool
	Status        string
}

// Actions a route takes with a request, the values of the "action" field.
const (
	ActionTo       = "to"
	ActionRedirect = "redirect"
	ActionResponse = "response"
)

// Fields are the route form's values as typed, so that a form with errors
// comes back as it was sent. Names follow the REST Route.
type Fields struct {
	Name                             string
	From                             string
	Action                           string
	To                               string // one URL per line
	RedirectHTTPS                    bool
	RedirectScheme                   string
	RedirectHost                     string
	RedirectPort                     string
	RedirectPath                     string
	RedirectPrefix                   string
	RedirectCode                     string
	RedirectStripQuery               bool
	ResponseStatus                   string
	ResponseBody                     string
	Prefix                           string
	Path                             string
	Regex                            string
	RegexPriorityOrder               string
	PrefixRewrite                    string
	RegexRewritePattern              string
	RegexRewriteSubstitution         string
	HostRewrite                      string
	HostRewriteHeader                string
	HostPathRegexRewritePattern      string
	HostPathRegexRewriteSubstitution string
	PreserveHostHeader               bool
	SetRequestHeaders                string // "Name: value" per line
	RemoveRequestHeaders             string // one name per line
	SetResponseHeaders               string
	RewriteResponseHeaders           []RewriteRow
	PassIdentityHeaders              string // "", "true" or "false"
	Timeout                          string
	IdleTimeout                      string
	AllowWebsockets                  bool
	AllowSPDY                        bool
	TLSSkipVerify                    bool
	TLSUpstreamServerName            string
	TLSDownstreamServerName          string
	TLSCustomCAKeyPairID             string
	TLSClientKeyPairID               string
	TLSDownstreamClientCAKeyPairID   string
	TLSUpstreamAllowRenegotiation    bool
	LoadBalancingPolicy              string
	HealthChecks                     []HealthRow
	EnableGoogleCloudServerlessAuth  bool
	JWTIssuerFormat                  string
	ShowErrorDetails                 bool
	IDPClientID                      string
	IDPClientSecretAction            string
	KubernetesTokenAction            string
	PolicyIDs                        []string
}

// RewriteRow is one response header rewrite.
type RewriteRow struct {
	Header string
	Prefix string
	Value  string
}

// HealthRow is one health check; the fields of the kinds not chosen are
// kept so that switching kinds loses nothing.
type HealthRow struct {
	Kind                  string
	Timeout               string
	Interval              string
	InitialJitter         string
	IntervalJitter        string
	IntervalJitterPercent string
	UnhealthyThreshold    string
	HealthyThreshold      string
	HTTPHost              string
	HTTPPath              string
	HTTPExpected          string // "200-300, 404-405"
	HTTPRetriable         string
	HTTPCodec             string
	TCPSend               string
	TCPReceive            string // one hex payload per line
	GRPCServiceName       string
	GRPCAuthority         string
}

// Form commands: buttons that change the form's rows without saving.
const (
	CommandField      = "cmd"
	CmdAddRewrite     = "add-rewrite"
	CmdRemoveRewrite  = "remove-rewrite:"
	CmdAddHealth      = "add-health"
	CmdRemoveHealth   = "remove-health:"
	SecretActionField = ".action"
)
