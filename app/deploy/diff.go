package deploy

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
)

// How an entity differs between two models.
const (
	KindAdded   = "added"
	KindChanged = "changed"
	KindRemoved = "removed"
)

// Change is one entity that differs between two models: a route, policy,
// key pair or the settings (Type is the activity log's entity type).
type Change struct {
	Kind        string
	Type        string
	ID          string
	Name        string
	NamespaceID string
}

// SettingsName is how a change of a cluster's settings is named.
const SettingsName = "Global settings"

// Diff lists the entities that differ from one model to the next: the
// settings first, then policies, key pairs and routes, each by name. Two
// entities are the same when their model forms (what is rendered from
// them) marshal alike.
func Diff(from, to render.Model) []Change {
	var out []Change
	if !sameJSON(from.Settings, to.Settings) {
		out = append(out, Change{Kind: KindChanged, Type: activity.EntitySettings, ID: to.ClusterID, Name: SettingsName})
	}
	out = append(out, diffEntities(activity.EntityPolicy, from.Policies, to.Policies, func(p render.Policy) (string, string, string) {
		return p.ID, p.Name, p.NamespaceID
	})...)
	out = append(out, diffEntities(activity.EntityKeyPair, from.KeyPairs, to.KeyPairs, func(k render.KeyPair) (string, string, string) {
		return k.ID, k.Name, k.NamespaceID
	})...)
	out = append(out, diffEntities(activity.EntityRoute, from.Routes, to.Routes, func(r render.Route) (string, string, string) {
		return r.ID, r.Name, r.NamespaceID
	})...)
	return out
}

// diffEntities compares two lists of one entity type by id.
func diffEntities[T any](typ string, from, to []T, key func(T) (id, name, ns string)) []Change {
	old := make(map[string]T, len(from))
	for _, e := range from {
		id, _, _ := key(e)
		old[id] = e
	}
	var out []Change
	seen := make(map[string]bool, len(to))
	for _, e := range to {
		id, name, ns := key(e)
		seen[id] = true
		prev, ok := old[id]
		switch {
		case !ok:
			out = append(out, Change{Kind: KindAdded, Type: typ, ID: id, Name: name, NamespaceID: ns})
		case !sameJSON(prev, e):
			out = append(out, Change{Kind: KindChanged, Type: typ, ID: id, Name: name, NamespaceID: ns})
		}
	}
	for _, e := range from {
		if id, name, ns := key(e); !seen[id] {
			out = append(out, Change{Kind: KindRemoved, Type: typ, ID: id, Name: name, NamespaceID: ns})
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// sameJSON reports whether a and b marshal to the same JSON; a value that
// does not marshal counts as changed.
func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

// Counts sums changes by kind, for lists.
type Counts struct {
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
}

// Total is the number of changed entities.
func (c Counts) Total() int { return c.Added + c.Changed + c.Removed }

// CountOf counts changes by kind.
func CountOf(changes []Change) Counts {
	var c Counts
	for _, ch := range changes {
		switch ch.Kind {
		case KindAdded:
			c.Added++
		case KindChanged:
			c.Changed++
		case KindRemoved:
			c.Removed++
		}
	}
	return c
}
