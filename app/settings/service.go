package settings

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Service reads and changes the global settings. Viewers of Global may read
// them; only admins of Global change them, and every change is validated,
// logged and marks the configuration changed in one transaction.
type Service struct {
	store  db.Store
	sealer *seal.Sealer
	now    func() time.Time
}

// NewService returns a Service over store that seals secrets with sealer.
func NewService(store db.Store, sealer *seal.Sealer, now func() time.Time) *Service {
	return &Service{store: store, sealer: sealer, now: now}
}

// Get returns the settings of clusterID for a viewer of Global.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, clusterID string) (View, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleViewer); err != nil {
		return View{}, err
	}
	if err := s.checkCluster(ctx, clusterID); err != nil {
		return View{}, err
	}
	cur, err := load(ctx, s.store, clusterID)
	if err != nil {
		return View{}, err
	}
	return cur.view(), nil
}

// Update replaces every setting of clusterID with u (secrets absent from
// u.Secrets are kept). It reports every problem at once and then changes
// nothing.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, clusterID string, u Update) (View, error) {
	return s.apply(ctx, acc, clusterID, func(stored) (Update, error) { return u, nil })
}

// Patch applies an RFC 6902 JSON Patch to the settings of clusterID, then
// validates the result as Update does. The patch applies to the JSON object
// of the set values (REST names), where each set secret reads SecretIsSet;
// removing a secret's key clears it and setting it to a string replaces it.
// A patch that does not apply, or whose result is invalid, changes nothing.
func (s *Service) Patch(ctx context.Context, acc *rbac.Access, clusterID string, patch []byte) (View, error) {
	return s.apply(ctx, acc, clusterID, func(cur stored) (Update, error) {
		doc, err := document(cur.values, cur.set())
		if err != nil {
			return Update{}, fmt.Errorf("settings: patch document: %w", err)
		}
		patched, val := applyPatch(doc, patch)
		if val != nil {
			return Update{}, val.Err()
		}
		return fromDocument(patched, cur.set()), nil
	})
}

// OpenSecrets returns the plaintext of every set secret of clusterID, for
// pushing the configuration to Pomerium Core. Never show or log them.
func (s *Service) OpenSecrets(ctx context.Context, clusterID string) (map[Secret]string, error) {
	cur, err := load(ctx, s.store, clusterID)
	if err != nil {
		return nil, err
	}
	out := map[Secret]string{}
	for name, sealed := range cur.row.Secrets {
		plain, err := s.sealer.Open(sealed, SealContext(clusterID, Secret(name)))
		if err != nil {
			return nil, fmt.Errorf("settings: open %s: %w", name, err)
		}
		out[Secret(name)] = string(plain)
	}
	return out, nil
}

// KeyPairChoices lists the key pairs the settings may use: those of Global.
// Only certificate authorities (IsCA) are accepted.
func (s *Service) KeyPairChoices(ctx context.Context, acc *rbac.Access) ([]db.KeyPair, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	list, err := keypairs.InNamespace(ctx, s.store, db.GlobalNamespaceID)
	if err != nil {
		return nil, fmt.Errorf("settings: key pairs: %w", err)
	}
	return list, nil
}

// apply runs one mutation: build the full update from what is stored,
// validate it, and store it with its activity entry and a configuration
// revision, all in one transaction.
func (s *Service) apply(ctx context.Context, acc *rbac.Access, clusterID string, build func(stored) (Update, error)) (View, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return View{}, err
	}
	if err := s.checkCluster(ctx, clusterID); err != nil {
		return View{}, err
	}
	var out View
	err := s.store.InTx(ctx, func(tx db.Store) error {
		cur, err := load(ctx, tx, clusterID)
		if err != nil {
			return err
		}
		u, err := build(cur)
		if err != nil {
			return err
		}
		next, err := s.prepare(ctx, tx, acc, cur, u)
		if err != nil {
			return err
		}
		if next.sameAs(cur) {
			out = cur.view()
			return nil
		}
		now := s.now()
		next.row.ModifiedAt = now
		if cur.row.CreatedAt.IsZero() {
			next.row.CreatedAt = now
		}
		if err := tx.PutSettings(ctx, next.row); err != nil {
			return fmt.Errorf("settings: write: %w", err)
		}
		if _, err := tx.MarkConfigChanged(ctx, now); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		if err := s.logChange(ctx, tx, acc, cur, next); err != nil {
			return err
		}
		out = next.view()
		return nil
	})
	if err != nil {
		return View{}, err
	}
	return out, nil
}

// prepare validates u against what is stored and returns the row to store,
// with new secrets sealed; it reports every problem at once.
func (s *Service) prepare(ctx context.Context, tx db.Store, acc *rbac.Access, cur stored, u Update) (stored, error) {
	var val errs.Validator
	for _, p := range u.problems {
		val.Add(p.field, p.code, "%s", p.msg)
	}
	normalize(&u.Values)
	next := stored{values: u.Values, row: db.Settings{ClusterID: cur.row.ClusterID, CreatedAt: cur.row.CreatedAt, Secrets: map[string]string{}}}
	for name, sealed := range cur.row.Secrets {
		next.row.Secrets[name] = sealed
	}
	// set is which secrets will be set, for the rules that need one.
	set, newSecrets := cur.set(), map[Secret]string{}
	for name, change := range u.Secrets {
		value := strings.TrimSpace(change.Value)
		switch {
		case change.Clear:
			delete(next.row.Secrets, string(name))
			set[name] = false
		case value == "":
		case !IsSecret(string(name)):
			val.Add(string(name), errs.CodeInvalid, "is not a secret the console knows")
		default:
			if err := checkSecret(name, value); err != nil {
				val.Add(string(name), errs.CodeInvalid, "%s", err)
			}
			newSecrets[name], set[name] = value, true
		}
	}
	checkValues(&next.values, set, &val)
	if err := checkKeyPairs(ctx, tx, acc, &next.values, &val); err != nil {
		return stored{}, err
	}
	if err := val.Err(); err != nil {
		return stored{}, err
	}
	if err := s.sealNew(cur, &next, newSecrets); err != nil {
		return stored{}, err
	}
	b, err := marshalValues(next.values)
	if err != nil {
		return stored{}, err
	}
	next.row.Values = b
	return next, nil
}

// sealNew seals the new secrets into next; a secret sent again with the
// value it already has keeps its sealed value, so it counts as unchanged.
func (s *Service) sealNew(cur stored, next *stored, secrets map[Secret]string) error {
	next.replaced = map[Secret]bool{}
	for name, value := range secrets {
		ctx := SealContext(cur.row.ClusterID, name)
		if old, ok := cur.row.Secrets[string(name)]; ok {
			if plain, err := s.sealer.Open(old, ctx); err == nil && string(plain) == value {
				next.row.Secrets[string(name)] = old
				continue
			}
			next.replaced[name] = true
		}
		sealed, err := s.sealer.Seal([]byte(value), ctx)
		if err != nil {
			return fmt.Errorf("settings: seal %s: %w", name, err)
		}
		next.row.Secrets[string(name)] = sealed
	}
	return nil
}

// SealContext binds a sealed secret to its cluster and key, so a sealed
// value copied elsewhere does not open.
func SealContext(clusterID string, name Secret) string {
	return "settings/" + clusterID + "/" + string(name)
}

// checkCluster refuses settings of a cluster that does not exist; every
// cluster has its own settings, rendered into its configuration.
func (s *Service) checkCluster(ctx context.Context, clusterID string) error {
	if clusterID == DefaultClusterID {
		return nil
	}
	_, err := s.store.GetCluster(ctx, clusterID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return errs.NotFound("cluster %q does not exist", clusterID)
	case err != nil:
		return fmt.Errorf("settings: cluster: %w", err)
	}
	return nil
}

// checkKeyPairs checks the key pairs the settings name: they exist, belong
// to Global (the only namespace global settings see) and are certificate
// authorities.
func checkKeyPairs(ctx context.Context, tx db.Store, acc *rbac.Access, v *Values, val *errs.Validator) error {
	for _, ref := range []struct {
		field string
		id    *string
	}{{"certificateAuthorityKeyPairId", v.CertificateAuthorityKeyPairID}, {"downstreamMtlsCaKeyPairId", v.DownstreamMTLSCAKeyPairID}} {
		if ref.id == nil || val.Has(ref.field) {
			continue
		}
		kp, err := tx.GetKeyPair(ctx, *ref.id)
		switch {
		case errors.Is(err, db.ErrNotFound):
			val.Add(ref.field, errs.CodeNotFound, "there is no key pair with id %q", *ref.id)
			continue
		case err != nil:
			return fmt.Errorf("settings: key pair: %w", err)
		}
		if kp.NamespaceID != db.GlobalNamespaceID {
			ns, _ := acc.Tree().Get(kp.NamespaceID)
			val.Add(ref.field, errs.CodeInvalid, "key pair %q belongs to namespace %q: global settings can only use key pairs of Global", kp.Name, ns.Name)
		} else if !kp.IsCA {
			val.Add(ref.field, errs.CodeInvalid, "key pair %q is not a certificate authority: its certificate is not marked as a CA", kp.Name)
		}
	}
	return nil
}
