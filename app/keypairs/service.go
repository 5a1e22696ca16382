package keypairs

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Sealer encrypts private keys at rest; *seal.Sealer is one.
type Sealer interface {
	Seal(plaintext []byte, context string) (string, error)
	Open(sealed, context string) ([]byte, error)
}

// Users names what still uses a key pair (routes, settings), so that it is
// not deleted from under them; it runs in the delete's transaction.
type Users func(ctx context.Context, tx db.Store, keyPairID string) ([]string, error)

// Service changes key pairs. Every mutation needs the manager role on the
// pair's namespace, and writes its activity entry and marks the
// configuration changed in the same transaction.
type Service struct {
	store  db.Store
	sealer Sealer
	now    func() time.Time
	users  []Users
}

// NewService returns a Service over store that seals keys with sealer.
func NewService(store db.Store, sealer Sealer, now func() time.Time, users ...Users) *Service {
	return &Service{store: store, sealer: sealer, now: now, users: users}
}

// SealContext is the context a key pair's private key is sealed for, so a
// sealed key copied onto another row does not open.
func SealContext(id string) string { return "key_pairs/" + id }

// OpenKey returns k's private key as PKCS #8 PEM, for pushing it to
// Pomerium Core; nil when k has no key.
func OpenKey(sealer Sealer, k db.KeyPair) ([]byte, error) {
	if !HasKey(k) {
		return nil, nil
	}
	b, err := sealer.Open(k.SealedKey, SealContext(k.ID))
	if err != nil {
		return nil, fmt.Errorf("keypairs: open key of %s: %w", k.ID, err)
	}
	return b, nil
}

// Create stores an uploaded certificate chain and, optionally, its key.
func (s *Service) Create(ctx context.Context, acc *rbac.Access, in Input) (db.KeyPair, error) {
	if err := acc.Require(in.NamespaceID, rbac.RoleManager); err != nil {
		return db.KeyPair{}, err
	}
	var v errs.Validator
	k := db.KeyPair{NamespaceID: in.NamespaceID, Name: strings.TrimSpace(in.Name)}
	v.Name(FieldName, k.Name, MaxNameLength)
	chain := parseChain(&v, in.Certificate)
	var key crypto.Signer
	if strings.TrimSpace(in.Key) != "" {
		key = parseKey(&v, in.Key, in.Password)
	}
	if chain != nil && key != nil && !samePublicKey(chain[0], key) {
		v.Add(FieldKey, errs.CodeInvalid, "does not belong to this certificate: their public keys differ")
	}
	return s.insert(ctx, acc, k, chain, key, &v)
}

// Generate makes a self-signed certificate (or CA) and its key, and stores
// them. The key is made outside the transaction: an RSA 4096 key takes
// seconds.
func (s *Service) Generate(ctx context.Context, acc *rbac.Access, in GenerateInput) (db.KeyPair, error) {
	if err := acc.Require(in.NamespaceID, rbac.RoleManager); err != nil {
		return db.KeyPair{}, err
	}
	in.CommonName = strings.TrimSpace(in.CommonName)
	var v errs.Validator
	k := db.KeyPair{NamespaceID: in.NamespaceID, Name: strings.TrimSpace(in.Name)}
	v.Name(FieldName, k.Name, MaxNameLength)
	names := checkGenerate(&v, in)
	if !v.Has(FieldName) {
		if err := checkNameFree(ctx, s.store, k, &v); err != nil {
			return db.KeyPair{}, err
		}
	}
	if err := v.Err(); err != nil {
		return db.KeyPair{}, err
	}
	cert, key, err := selfSign(in, names, s.now())
	if err != nil {
		return db.KeyPair{}, err
	}
	return s.insert(ctx, acc, k, []*x509.Certificate{cert}, key, &v)
}

// insert checks k's name is free, fills in the chain's facts, seals key
// and stores the pair, unless v already holds problems.
func (s *Service) insert(ctx context.Context, acc *rbac.Access, k db.KeyPair, chain []*x509.Certificate, key crypto.Signer, v *errs.Validator) (db.KeyPair, error) {
	now := s.now()
	k.ID, k.CreatedAt, k.ModifiedAt = uuid.NewString(), now, now
	err := s.store.InTx(ctx, func(tx db.Store) error {
		if !v.Has(FieldName) {
			if err := checkNameFree(ctx, tx, k, v); err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		k = withFacts(k, chain)
		if err := s.sealInto(&k, key); err != nil {
			return err
		}
		if err := tx.CreateKeyPair(ctx, k); err != nil {
			return nameTaken(err, k.Name)
		}
		return s.logChange(ctx, tx, acc, db.ActivityCreate, nil, &k)
	})
	if err != nil {
		return db.KeyPair{}, err
	}
	return k, nil
}

// sealInto sets k.SealedKey to key sealed for k's row, or clears it.
func (s *Service) sealInto(k *db.KeyPair, key crypto.Signer) error {
	if key == nil {
		k.SealedKey = ""
		return nil
	}
	pemKey, err := encodeKey(key)
	if err != nil {
		return err
	}
	if k.SealedKey, err = s.sealer.Seal(pemKey, SealContext(k.ID)); err != nil {
		return fmt.Errorf("keypairs: seal key: %w", err)
	}
	return nil
}

// Update renames a key pair, replaces its certificate and/or key, or
// clears its key. A kept key must match a new certificate and a new key
// the kept certificate.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, id string, in UpdateInput) (db.KeyPair, error) {
	var updated db.KeyPair
	err := s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		next, key, keyChanged, err := s.prepareUpdate(ctx, tx, old, in)
		if err != nil {
			return err
		}
		if next.Name == old.Name && next.CertificatePEM == old.CertificatePEM && !keyChanged {
			updated = old
			return nil
		}
		if keyChanged {
			if err := s.sealInto(&next, key); err != nil {
				return err
			}
		}
		next.ModifiedAt = s.now()
		if err := tx.UpdateKeyPair(ctx, next); err != nil {
			return nameTaken(err, next.Name)
		}
		updated = next
		return s.logChange(ctx, tx, acc, db.ActivityUpdate, &old, &next)
	})
	if err != nil {
		return db.KeyPair{}, err
	}
	return updated, nil
}

// prepareUpdate validates in against old and returns the pair to store,
// the key to seal and whether the key changes (a nil key then clears it).
func (s *Service) prepareUpdate(ctx context.Context, tx db.Store, old db.KeyPair, in UpdateInput) (db.KeyPair, crypto.Signer, bool, error) {
	next := old
	var v errs.Validator
	if in.Name != nil {
		next.Name = strings.TrimSpace(*in.Name)
	}
	v.Name(FieldName, next.Name, MaxNameLength)
	var chain []*x509.Certificate
	if strings.TrimSpace(in.Certificate) != "" {
		chain = parseChain(&v, in.Certificate)
	}
	var key crypto.Signer
	switch {
	case in.ClearKey && strings.TrimSpace(in.Key) != "":
		v.Add(FieldKey, errs.CodeInvalid, "either replace the private key or clear it, not both")
	case strings.TrimSpace(in.Key) != "":
		key = parseKey(&v, in.Key, in.Password)
	}
	var oldKey crypto.Signer
	if chain != nil || key != nil {
		var err error
		if oldKey, err = s.openStored(old); err != nil {
			return next, nil, false, err
		}
	}
	if err := matchUpdate(&v, old, chain, key, oldKey, in.ClearKey); err != nil {
		return next, nil, false, err
	}
	if !v.Has(FieldName) {
		if err := checkNameFree(ctx, tx, next, &v); err != nil {
			return next, nil, false, err
		}
	}
	if err := v.Err(); err != nil {
		return next, nil, false, err
	}
	if chain != nil {
		next = withFacts(next, chain)
	}
	changed := (in.ClearKey && HasKey(old)) || (key != nil && !sameKey(key, oldKey))
	return next, key, changed, nil
}

// matchUpdate checks that the certificate and key the pair ends up with
// belong together.
func matchUpdate(v *errs.Validator, old db.KeyPair, chain []*x509.Certificate, key, oldKey crypto.Signer, clear bool) error {
	switch {
	case v.Has(FieldCertificate) || v.Has(FieldKey) || v.Has(FieldPassword):
		return nil
	case key != nil:
		leaf := chain
		if leaf == nil {
			var err error
			if leaf, err = parseStoredChain(old.CertificatePEM); err != nil {
				return err
			}
		}
		if !samePublicKey(leaf[0], key) {
			v.Add(FieldKey, errs.CodeInvalid, "does not belong to this certificate: their public keys differ")
		}
	case chain != nil && oldKey != nil && !clear && !samePublicKey(chain[0], oldKey):
		v.Add(FieldCertificate, errs.CodeInvalid, "does not match the stored private key: upload its key too, or clear the key")
	}
	return nil
}

// openStored opens and parses old's private key; nil when it has none.
func (s *Service) openStored(old db.KeyPair) (crypto.Signer, error) {
	pemKey, err := OpenKey(s.sealer, old)
	if err != nil || pemKey == nil {
		return nil, err
	}
	blocks := decodeBlocks(string(pemKey))
	if len(blocks) != 1 {
		return nil, fmt.Errorf("keypairs: stored key of %s is not one PEM block", old.ID)
	}
	key, err := parsePrivateKey(blocks[0].Bytes)
	if err != nil {
		return nil, fmt.Errorf("keypairs: stored key of %s: %w", old.ID, err)
	}
	return key, nil
}

// sameKey reports whether two private keys are the same key.
func sameKey(a, b crypto.Signer) bool {
	if a == nil || b == nil {
		return a == b
	}
	eq, ok := a.(interface{ Equal(crypto.PrivateKey) bool })
	return ok && eq.Equal(b)
}

// Delete removes key pair id unless something still uses it.
func (s *Service) Delete(ctx context.Context, acc *rbac.Access, id string) error {
	return s.store.InTx(ctx, func(tx db.Store) error {
		k, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		using, err := s.usersOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(using) > 0 {
			return errs.Conflict("key pair %q is still used by %s: stop using it there first", k.Name, strings.Join(using, ", "))
		}
		if err := tx.DeleteKeyPair(ctx, id); err != nil {
			return fmt.Errorf("keypairs: delete: %w", err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityDelete, &k, nil)
	})
}

// usersOf asks every Users hook what uses key pair id.
func (s *Service) usersOf(ctx context.Context, tx db.Store, id string) ([]string, error) {
	var using []string
	for _, u := range s.users {
		names, err := u(ctx, tx, id)
		if err != nil {
			return nil, fmt.Errorf("keypairs: find users: %w", err)
		}
		using = append(using, names...)
	}
	return using, nil
}

// getManaged loads key pair id for a caller who must manage its namespace.
func (s *Service) getManaged(ctx context.Context, tx db.Store, acc *rbac.Access, id string) (db.KeyPair, error) {
	k, err := getPair(ctx, tx, id)
	if err != nil {
		return db.KeyPair{}, err
	}
	if err := acc.Require(k.NamespaceID, rbac.RoleManager); err != nil {
		return db.KeyPair{}, err
	}
	return k, nil
}

// getPair loads key pair id, naming it when it does not exist.
func getPair(ctx context.Context, store db.KeyPairStore, id string) (db.KeyPair, error) {
	k, err := store.GetKeyPair(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return db.KeyPair{}, errs.NotFound("key pair %s does not exist", id)
	}
	if err != nil {
		return db.KeyPair{}, fmt.Errorf("keypairs: get: %w", err)
	}
	return k, nil
}

// checkNameFree refuses a name another key pair of the namespace has.
// NB: names are compared here, not with the store's search, which folds
// only ASCII case on SQLite.
func checkNameFree(ctx context.Context, store db.KeyPairStore, k db.KeyPair, v *errs.Validator) error {
	list, err := InNamespace(ctx, store, k.NamespaceID)
	if err != nil {
		return fmt.Errorf("keypairs: check name: %w", err)
	}
	if i := slices.IndexFunc(list, func(o db.KeyPair) bool { return o.ID != k.ID && strings.EqualFold(o.Name, k.Name) }); i >= 0 {
		v.Add(FieldName, errs.CodeConflict, "this namespace already has a key pair named %q", list[i].Name)
	}
	return nil
}

// nameTaken turns a store conflict (a concurrent pair with the same name)
// into the field error the pre-check gives.
func nameTaken(err error, name string) error {
	if errors.Is(err, db.ErrConflict) {
		return errs.Field(FieldName, errs.CodeConflict, "this namespace already has a key pair named %q", name)
	}
	return fmt.Errorf("keypairs: write: %w", err)
}

// logChange writes the activity entry of a mutation and marks the
// configuration pushed to Pomerium as changed.
func (s *Service) logChange(ctx context.Context, tx db.Store, acc *rbac.Access, typ string, before, after *db.KeyPair) error {
	return activity.LogConfigChange(ctx, tx, acc, s.now(), typ, activity.EntityKeyPair, before, after, describe)
}

func describe(k db.KeyPair) activity.Described {
	return activity.Described{ID: k.ID, Name: k.Name, NamespaceID: k.NamespaceID, Snapshot: snapshotOf(k)}
}
