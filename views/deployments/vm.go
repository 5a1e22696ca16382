package deployments

import (
	"github.com/pomerium-console-oss/pomerium-console/views/clusters"
	"github.com/pomerium-console-oss/pomerium-console/views/components"
)

// Statuses of a deployment, the REST ChangesetStatus enum.
const (
	StatusApplying = "applying"
	StatusApplied  = "applied"
	StatusFailed   = "failed"
	StatusCurrent  = "current"
	StatusRejected = "rejected"
)

// Kinds of change.
const (
	KindAdded   = "added"
	KindChanged = "changed"
	KindRemoved = "removed"
)

// Diff views of the compare page.
const (
	ViewUnified = "unified"
	ViewSplit   = "split"
)

// ClusterVM is the cluster a page is about.
type ClusterVM struct {
	Name string
	URL  string
	Push clusters.PushVM
	// Others link to the deployments of the other clusters the caller sees.
	Others []Link
}

// Link is a labelled URL.
type Link struct {
	Label   string
	URL     string
	Current bool
}

// ChangeVM is one entity that differs.
type ChangeVM struct {
	Kind          string
	Type          string // "Route", "Policy", "Key pair", "Settings"
	Name          string
	NamespaceName string
	URL           string
}

// PendingVM is the open changeset of the cluster.
type PendingVM struct {
	Count     int
	Added     int
	Changed   int
	Removed   int
	Changes   []ChangeVM
	ReviewURL string
	// ActivityURL lists the activity entries of the changeset.
	ActivityURL string
	CanApply    bool
	ApplyURL    string
	DiscardURL  string
	// FirstDeployment is true before anything was deployed: applying then
	// pushes the whole configuration.
	FirstDeployment bool
	CSRFToken       string
	Message         string
	Errors          map[string]string
	FormError       string
}

// Row is one deployment in a list.
type Row struct {
	ID      string
	Number  string // "#12"
	URL     string
	Status  string
	Message string
	Who     string
	When    string
	WhenISO string
	Changes string // "2 changed, 1 added"
	Source  string // "#9" for a re-deploy
	// CompareURL compares it with the deployment before it.
	CompareURL string
}

// ListVM is the deployments page of a cluster.
type ListVM struct {
	Cluster ClusterVM
	Pending PendingVM
	Rows    []Row
	Pager   components.PaginationProps
	// CompareAction is where the compare form goes; Choices are the
	// deployments it offers.
	CompareAction string
	Choices       []components.Option
	// ExportURL downloads the current configuration as config.yaml.
	ExportURL string
}

// ReviewVM is the review page of the open changeset; Diff is zero (no
// View) before the first deployment, when there is nothing to diff with.
type ReviewVM struct {
	Cluster ClusterVM
	Pending PendingVM
	Diff    DiffVM
	ListURL string
}

// DetailVM is one deployment's page.
type DetailVM struct {
	Cluster        ClusterVM
	Deployment     Row
	Email          string
	Failure        string
	ConfigHash     string
	Revision       string
	SourceURL      string
	Counts         string
	Changes        []ChangeVM
	CompareURL     string
	PendingURL     string
	ActivityURL    string
	DownloadURL    string
	RedeployURL    string
	PushURL        string
	ListURL        string
	CSRFToken      string
	IsLatest       bool
	PreviousNumber string
}

// CompareVM compares two snapshots of one cluster.
type CompareVM struct {
	Cluster ClusterVM
	From    Row
	To      Row
	// Action and the choices let the reader pick two others.
	Action  string
	FromID  string
	ToID    string
	Choices []components.Option
	Changes []ChangeVM
	Diff    DiffVM
	ListURL string
}

// DiffVM is the line diff of two config.yaml files.
type DiffVM struct {
	View       string
	UnifiedURL string
	SplitURL   string
	FromName   string
	ToName     string
	Added      int
	Removed    int
	Hunks      []HunkVM
	// Truncated is set when only the first hunks are shown.
	Truncated int
}

// HunkVM is one hunk in both layouts.
type HunkVM struct {
	Header string
	Lines  []LineVM
	Rows   []SplitRowVM
}

// LineVM is one line of a unified hunk; Op is " ", "-" or "+".
type LineVM struct {
	Op   string
	Old  string
	New  string
	Text string
}

// SplitRowVM is one row of a side-by-side hunk.
type SplitRowVM struct {
	Left  CellVM
	Right CellVM
}

// CellVM is one side of a row; Op is " ", "-", "+" or "" for an empty side.
type CellVM struct {
	Op   string
	Num  string
	Text string
}
