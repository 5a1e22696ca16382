package configimport

import "github.com/pomerium-console-oss/pomerium-console/views/components"

// Form field names of the upload and confirm forms.
const (
	FieldFile    = "file"
	FieldPasted  = "pasted"
	FieldContent = "content"
	FieldName    = "filename"
)

// UploadVM is the upload form, with the problems of a file that did not
// parse.
type UploadVM struct {
	Action        string
	CancelURL     string
	CSRFToken     string
	NamespaceName string
	// Pasted is the pasted text, kept when the form comes back with problems.
	Pasted    string
	Problems  []Problem
	FormError string
}

// Problem is one problem of a file, or a key the import leaves out.
type Problem struct {
	// Where is "file:line", Key the YAML path.
	Where   string
	Key     string
	Message string
}

// PreviewVM is what importing a file would do.
type PreviewVM struct {
	NamespaceName string
	CSRFToken     string
	ApplyAction   string
	UploadURL     string
	FileName      string
	// Content is the file (base64), posted back when the import is confirmed.
	Content string
	// OK is true when every entity can be imported.
	OK      bool
	Summary string
	Groups  []Group
	// Problems are the conflicts and refusals; Unsupported the keys left out.
	Problems    []Problem
	Unsupported []Problem
}

// Group is the entities of one kind.
type Group struct {
	Title string
	Rows  []Row
}

// Row is one entity and what the import does with it.
type Row struct {
	Name   string
	Status string
	Tone   components.Tone
	Where  string
	Key    string
}
