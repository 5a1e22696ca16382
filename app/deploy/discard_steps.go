package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// typeSettings is the entity type of a cluster's settings change.
const typeSettings = activity.EntitySettings

// byID indexes a model's entities.
func byID[T any](list []T, id func(T) string) map[string]T {
	out := make(map[string]T, len(list))
	for _, e := range list {
		out[id(e)] = e
	}
	return out
}

// createdSince reports whether an entity was created after the deployment
// the discard goes back to.
func (d *discard) createdSince(t time.Time) bool { return t.After(d.base.CreatedAt) }

// keyPairs restores changed and removed key pairs, with the snapshot's
// certificate and, where it holds one, private key.
func (d *discard) keyPairs(ctx context.Context, changes []Change) error {
	snap := byID(d.snap.KeyPairs, func(k render.KeyPair) string { return k.ID })
	for _, ch := range changes {
		if ch.Type != activity.EntityKeyPair || ch.Kind == KindAdded {
			continue
		}
		k := snap[ch.ID]
		stored, err := d.tx.GetKeyPair(ctx, k.ID)
		missing := errors.Is(err, db.ErrNotFound)
		if err != nil && !missing {
			return fmt.Errorf("deploy: discard: %w", err)
		}
		next, err := keyPairOf(k, stored, d.now)
		if err != nil {
			return restoreFailed(ch, err)
		}
		if !missing && k.SealedKey == "" && stored.SealedKey != "" && stored.CertificatePEM != k.CertificatePEM {
			return errs.Conflict("%s could not be restored: its certificate changed with its private key, and the "+
				"deployment did not keep the old key; upload the old certificate and key instead", describeChange(ch))
		}
		if err := d.write(ctx, ch, activity.EntityKeyPair, keyPairWriter(d.tx, missing, stored, next)); err != nil {
			return err
		}
	}
	return nil
}

// policies restores changed and removed policies and makes policies
// enforced since the deployment optional again (those created since are
// deleted by cleanUp once no route uses them).
func (d *discard) policies(ctx context.Context, changes []Change) error {
	snap := byID(d.snap.Policies, func(p render.Policy) string { return p.ID })
	for _, ch := range changes {
		if ch.Type != activity.EntityPolicy {
			continue
		}
		stored, err := d.tx.GetPolicy(ctx, ch.ID)
		missing := errors.Is(err, db.ErrNotFound)
		if err != nil && !missing {
			return fmt.Errorf("deploy: discard: %w", err)
		}
		next := stored
		switch p, ok := snap[ch.ID]; {
		case !ok && (missing || !stored.Enforced || d.createdSince(stored.CreatedAt)):
			continue // only attached (the routes let go of it), or deleted by cleanUp
		case !ok:
			next.Enforced = false
		default:
			next.ID, next.NamespaceID, next.Name, next.Enforced = p.ID, p.NamespaceID, p.Name, p.Enforced
			next.Explanation, next.Remediation, next.PPL, next.Rego = p.Explanation, p.Remediation, p.PPL, p.Rego
			if missing {
				next.CreatedAt = d.now
			}
		}
		next.ModifiedAt = d.now
		if err := d.write(ctx, ch, activity.EntityPolicy, policyWriter(d.tx, missing, stored, next)); err != nil {
			return err
		}
	}
	return nil
}

// routes restores changed and removed routes (their sealed secrets as the
// snapshot holds them) and deletes added ones.
func (d *discard) routes(ctx context.Context, changes []Change) error {
	snap := byID(d.snap.Routes, func(r render.Route) string { return r.ID })
	for _, ch := range changes {
		if ch.Type != activity.EntityRoute {
			continue
		}
		stored, err := d.tx.GetRoute(ctx, ch.ID)
		missing := errors.Is(err, db.ErrNotFound)
		if err != nil && !missing {
			return fmt.Errorf("deploy: discard: %w", err)
		}
		switch {
		case ch.Kind == KindAdded && !d.createdSince(stored.CreatedAt), ch.Kind == KindRemoved && !missing:
			return errs.Conflict("%s came into or left this cluster's namespaces with a namespace move, "+
				"which a discard does not undo; move the namespace back or apply the changes", describeChange(ch))
		case ch.Kind == KindAdded:
			err = d.write(ctx, ch, activity.EntityRoute, routeWriter(d.tx, false, &stored, nil))
		default:
			next := routeOf(snap[ch.ID], stored, d.now)
			err = d.write(ctx, ch, activity.EntityRoute, routeWriter(d.tx, missing, &stored, &next))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// cleanUp deletes the policies and key pairs created since the deployment;
// one still used elsewhere refuses the whole discard.
func (d *discard) cleanUp(ctx context.Context, changes []Change) error {
	for _, ch := range changes {
		if ch.Kind != KindAdded {
			continue
		}
		switch ch.Type {
		case activity.EntityPolicy:
			p, err := d.tx.GetPolicy(ctx, ch.ID)
			if err == nil && d.createdSince(p.CreatedAt) {
				err = d.write(ctx, ch, ch.Type, policyWriter(d.tx, false, p, db.Policy{}))
			}
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return err
			}
		case activity.EntityKeyPair:
			k, err := d.tx.GetKeyPair(ctx, ch.ID)
			if err == nil && d.createdSince(k.CreatedAt) {
				err = d.write(ctx, ch, ch.Type, keyPairWriter(d.tx, false, k, db.KeyPair{}))
			}
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// settings restores the cluster's settings, sealed secrets included.
func (d *discard) settings(ctx context.Context, changes []Change) error {
	for _, ch := range changes {
		if ch.Type != typeSettings {
			continue
		}
		stored, err := d.tx.GetSettings(ctx, d.c.ID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("deploy: discard: %w", err)
		}
		next, err := settingsOf(d.snap.Settings, d.c.ID, stored, d.now)
		if err != nil {
			return restoreFailed(ch, err)
		}
		write := func(ctx context.Context) error { return d.tx.PutSettings(ctx, next) }
		if err := d.write(ctx, ch, typeSettings, writer{write: write, before: settingsSnapshot(stored), after: settingsSnapshot(next)}); err != nil {
			return err
		}
	}
	return nil
}

// writer is one restoring write with the entity before and after it, as
// the activity log shows them (nil for a side that does not exist).
type writer struct {
	typ    string
	write  func(ctx context.Context) error
	before any
	after  any
}

// write runs w and logs it as a change of ch's entity, which marks the
// configuration changed.
func (d *discard) write(ctx context.Context, ch Change, entityType string, w writer) error {
	if err := w.write(ctx); err != nil {
		switch {
		case errors.Is(err, db.ErrConflict):
			return errs.Conflict("%s could not be restored: another one now has its name or address", describeChange(ch))
		case errors.Is(err, db.ErrReferenced):
			return errs.Conflict("%s could not be removed: something outside this changeset still uses it", describeChange(ch))
		case errors.Is(err, db.ErrNotFound):
			return errs.Conflict("%s could not be restored: something it needs (its namespace, a policy or a key pair) no longer exists", describeChange(ch))
		}
		return fmt.Errorf("deploy: discard %s: %w", describeChange(ch), err)
	}
	typ := w.typ
	if typ == "" {
		typ = db.ActivityUpdate
	}
	described := activity.Described{ID: ch.ID, Name: ch.Name, NamespaceID: ch.NamespaceID}
	if entityType == typeSettings {
		described.NamespaceID = db.GlobalNamespaceID
	}
	return activity.LogConfigChange(ctx, d.tx, d.acc, d.now, typ, entityType, sidePtr(w.before), sidePtr(w.after),
		func(v any) activity.Described { described.Snapshot = v; return described })
}

// sidePtr is the side of a log entry: nil for an entity that does not exist.
func sidePtr(v any) *any {
	if v == nil {
		return nil
	}
	return &v
}

// restoreFailed says which entity could not be restored.
func restoreFailed(ch Change, err error) error {
	return errs.Conflict("%s could not be restored: %v", describeChange(ch), err)
}

// keyPairOf is the stored key pair for snapshot k: its certificate, facts
// parsed from it, and the snapshot's sealed key when it holds one.
func keyPairOf(k render.KeyPair, stored db.KeyPair, now time.Time) (db.KeyPair, error) {
	next := stored
	next.ID, next.NamespaceID, next.Name, next.CertificatePEM, next.ModifiedAt = k.ID, k.NamespaceID, k.Name, k.CertificatePEM, now
	if k.SealedKey != "" {
		next.SealedKey = k.SealedKey
	}
	if next.CreatedAt.IsZero() {
		next.CreatedAt = now
	}
	chain, err := keypairs.Chain(next)
	if err != nil || len(chain) == 0 {
		return db.KeyPair{}, fmt.Errorf("its certificate does not parse: %v", err)
	}
	leaf := chain[0]
	next.Subject, next.Issuer, next.DNSNames, next.IPAddresses = leaf.Subject, leaf.Issuer, leaf.DNSNames, leaf.IPAddresses
	next.Emails, next.URIs, next.Serial, next.NotBefore, next.NotAfter = leaf.Emails, leaf.URIs, leaf.Serial, leaf.NotBefore, leaf.NotAfter
	next.Fingerprint, next.IsCA, next.KeyType = leaf.Fingerprint, leaf.IsCA, leaf.KeyType
	return next, nil
}
