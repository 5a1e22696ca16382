package keypairs

import (
	"net/url"

	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// ListTargetID is the element a search or filter re-renders.
const ListTargetID = "key-pair-list"

// Status values of a key pair, as keypairs.Status names them.
const (
	StatusOK       = "ok"
	StatusExpiring = "expiring"
	StatusExpired  = "expired"
)

// ListVM is one page of key pairs.
type ListVM struct {
	BaseURL            string
	NewURL             string
	GenerateURL        string
	CanCreate          bool
	Search             string
	Expiry             string // "", "expiring" or "expired"
	IncludeDescendants bool
	Query              url.Values
	Chips              []components.Chip
	Rows               []Row
	Pager              components.PaginationProps
}

// Row is one key pair in the list.
type Row struct {
	Name          string
	URL           string
	NamespaceName string
	Subject       string
	Names         string // the SANs, shortened
	KeyType       string
	IsCA          bool
	HasKey        bool
	Expires       string // the date
	ExpiresIn     string // "in 12 days", "3 days ago"
	Status        string
}

// DetailVM is a key pair's page.
type DetailVM struct {
	ID             string
	Name           string
	NamespaceName  string
	Status         string
	ExpiresIn      string
	HasKey         bool
	Leaf           CertVM
	Chain          []CertVM
	CertificatePEM string
	UsedBy         []string
	Created        string
	Modified       string
	CanManage      bool
	EditURL        string
	DeleteURL      string
	CSRFToken      string
	ListURL        string
}

// CertVM is one certificate of a chain.
type CertVM struct {
	Role        string // "Leaf", "Intermediate", "Root" or "Self-signed"
	Subject     string
	Issuer      string
	DNSNames    []string
	IPAddresses []string
	Emails      []string
	URIs        []string
	Serial      string
	NotBefore   string
	NotAfter    string
	Fingerprint string
	IsCA        bool
	KeyType     string
}

// FormVM is the upload form, or the edit form of an existing pair.
type FormVM struct {
	Title         string
	Action        string
	CancelURL     string
	GenerateURL   string
	CSRFToken     string
	IsEdit        bool
	NamespaceName string
	Name          string
	Certificate   string
	// Current describes the stored certificate (edit only).
	Current string
	HasKey  bool
	// KeySent is true when the rejected submission held a key, which is
	// never sent back: the form asks for it again.
	KeySent   bool
	ClearKey  bool
	Errors    map[string]string
	FormError string
}

// GenerateVM is the form that makes a self-signed certificate or a CA.
type GenerateVM struct {
	Action        string
	CancelURL     string
	UploadURL     string
	CSRFToken     string
	NamespaceName string
	Name          string
	CommonName    string
	SANs          string
	ValidDays     string
	KeyTypes      []components.Option
	CA            bool
	Errors        map[string]string
	FormError     string
}
