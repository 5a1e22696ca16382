package configyaml

import (
	"errors"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// Kinds of imported entities.
const (
	KindKeyPair  = "key pair"
	KindPolicy   = "policy"
	KindRoute    = "route"
	KindSettings = "settings"
)

// Statuses of an imported entity.
const (
	// StatusCreate: the entity is (or would be) created.
	StatusCreate = "create"
	// StatusUpdate: the global settings are (or would be) changed.
	StatusUpdate = "update"
	// StatusConflict: an existing route already answers the same requests
	// or has the same name.
	StatusConflict = "conflict"
	// StatusInvalid: the console refuses the entity as the file has it.
	StatusInvalid = "invalid"
)

// Item is one entity of a plan and what importing it does.
type Item struct {
	Kind string
	Name string
	// NamespaceID is where it goes (Global for the settings' key pairs).
	NamespaceID string
	Line        int
	Key         string
	Status      string
	// Problems say why it conflicts or is invalid, at their keys.
	Problems Problems
	// ID is the created entity's id, once applied.
	ID string
}

// Outcome is a previewed or applied plan: what happens to each entity.
type Outcome struct {
	Plan  *Plan
	Items []Item
	// Applied is true once everything was created.
	Applied bool
}

// OK reports whether every entity can be imported.
func (o *Outcome) OK() bool {
	for _, it := range o.Items {
		if it.Status == StatusConflict || it.Status == StatusInvalid {
			return false
		}
	}
	return true
}

// Problems lists the problems of every entity that cannot be imported.
func (o *Outcome) Problems() Problems {
	var out Problems
	for _, it := range o.Items {
		out = append(out, it.Problems...)
	}
	return out
}

// Count is how many entities of kind have status ("" counts every status).
func (o *Outcome) Count(kind, status string) int {
	n := 0
	for _, it := range o.Items {
		if it.Kind == kind && (status == "" || it.Status == status) {
			n++
		}
	}
	return n
}

// lineOf finds where a service's field error points in the file.
type lineOf func(field string) (line int, key string)

// refusal turns a service's refusal into problems of item; any other
// error is returned, as it means the import itself failed.
func refusal(file string, err error, item *Item, where lineOf) error {
	item.Status = StatusInvalid
	if ve, ok := errs.AsValidation(err); ok {
		if ve.Form != "" {
			item.Problems = append(item.Problems, Problem{File: file, Line: item.Line, Key: item.Key, Message: ve.Form})
		}
		for _, field := range sortedKeys(ve.Fields) {
			fe := ve.Fields[field]
			if fe.Code == errs.CodeConflict && (field == "from" || field == "name") && item.Kind == KindRoute {
				item.Status = StatusConflict
			}
			line, key := where(field)
			item.Problems = append(item.Problems, Problem{File: file, Line: line, Key: key, Message: fe.Message})
		}
		return nil
	}
	if errors.Is(err, errs.ErrForbidden) {
		item.Problems = append(item.Problems, Problem{File: file, Line: item.Line, Key: item.Key, Message: errs.Reason(err)})
		return nil
	}
	return err
}

// blocked marks item as invalid because something it needs was refused.
func blocked(file string, item *Item, what string) {
	item.Status = StatusInvalid
	item.Problems = append(item.Problems, Problem{File: file, Line: item.Line, Key: item.Key,
		Message: "is not imported because its " + what + " cannot be (see that problem)"})
}

// fieldHead is the first part of a dotted field name ("healthChecks.0.timeout" → "healthChecks").
func fieldHead(field string) string {
	head, _, _ := strings.Cut(field, ".")
	return head
}
