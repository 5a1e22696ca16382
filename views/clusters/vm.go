package clusters

import "github.com/pomerium-console-oss/pomerium-console/views/components"

// Push states, as PushVM.State names them.
const (
	PushConnected     = "connected"
	PushFailing       = "failing"
	PushNotConfigured = "not-configured"
	PushNever         = "never"
)

// PushVM is how pushing to one cluster goes.
type PushVM struct {
	State string
	// LastPushed names the last deployment pushed ("#12"), with its page.
	LastPushed    string
	LastPushedURL string
	LastAttempt   string
	LastSuccess   string
	LastError     string
	NextRetry     string
	ServerVersion string
}

// Badge shows the state in words and colour.
func (p PushVM) Badge() components.BadgeProps {
	switch p.State {
	case PushConnected:
		return components.BadgeProps{Label: "Connected", Tone: components.ToneSuccess, Title: "The last push reached the databroker"}
	case PushFailing:
		return components.BadgeProps{Label: "Push failing", Tone: components.ToneDanger, Title: p.LastError}
	case PushNotConfigured:
		return components.BadgeProps{Label: "Not pushed", Title: "No databroker URL and shared secret: deployments are only rendered"}
	}
	return components.BadgeProps{Label: "Not pushed yet", Tone: components.ToneInfo, Title: "Nothing was deployed to this cluster yet"}
}

// ListVM is every cluster.
type ListVM struct {
	NewURL    string
	CanManage bool
	Rows      []Row
}

// Row is one cluster in the list.
type Row struct {
	ID             string
	Name           string
	URL            string
	IsDefault      bool
	NamespaceName  string
	DatabrokerURL  string
	DeploymentsURL string
	Push           PushVM
}

// DetailVM is a cluster's page.
type DetailVM struct {
	Row
	HasSecret          bool
	HasCA              bool
	OverrideName       string
	InsecureSkipVerify bool
	Created            string
	Modified           string
	CanManage          bool
	EditURL            string
	DeleteURL          string
	PushURL            string
	ListURL            string
	CSRFToken          string
}

// FormVM is the form that adds or edits a cluster.
type FormVM struct {
	Title     string
	Action    string
	CancelURL string
	CSRFToken string
	IsEdit    bool
	// IsDefault locks what the config file decides.
	IsDefault          bool
	Name               string
	NamespaceID        string
	Namespaces         []components.Option
	DatabrokerURL      string
	HasSecret          bool
	ClearSecret        bool
	CAPEM              string
	OverrideName       string
	InsecureSkipVerify bool
	Errors             map[string]string
	FormError          string
}
