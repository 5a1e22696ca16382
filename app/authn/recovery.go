package authn

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// RecoveryKeyPurpose is the console_keys purpose of the recovery-token signing key.
const RecoveryKeyPurpose = "recovery_signing_key"

// recoveryKeyContext binds the sealed key to its row, so a sealed value
// copied into another column does not open.
const recoveryKeyContext = "console_keys/" + RecoveryKeyPurpose

// recoveryIssuer marks our tokens, so a JWT minted for another purpose with
// the same key would not pass as a recovery token.
const recoveryIssuer = "pomerium-console/recovery"

// RecoveryStore is the slice of db.Store recovery tokens use.
type RecoveryStore interface {
	db.KeyStore
	db.RecoveryTokenStore
	GetNamespace(ctx context.Context, id string) (db.Namespace, error)
}

// Recovery issues and verifies recovery tokens: JWTs signed with a key kept
// sealed in the database, so the CLI on any host with database access and
// the server agree on it.
type Recovery struct {
	store  RecoveryStore
	sealer *seal.Sealer
	now    func() time.Time

	mu  sync.Mutex
	key *ecdsa.PrivateKey
	kid string
}

// NewRecovery returns a Recovery; the signing key is loaded (or created) on first use.
func NewRecovery(store RecoveryStore, sealer *seal.Sealer, now func() time.Time) *Recovery {
	return &Recovery{store: store, sealer: sealer, now: now}
}

type recoveryClaims struct {
	jwt.Claims
	Namespace string `json:"ns"`
}

// Issue mints a token valid for ttl that signs its holder in as an admin of
// namespaceID. A singleUse token works once.
func (r *Recovery) Issue(ctx context.Context, namespaceID string, ttl time.Duration, singleUse bool) (string, db.RecoveryToken, error) {
	if ttl < time.Second {
		return "", db.RecoveryToken{}, errs.Field("ttl", errs.CodeInvalid, "must be at least 1s (got %s)", ttl)
	}
	if _, err := r.store.GetNamespace(ctx, namespaceID); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return "", db.RecoveryToken{}, errs.NotFound("namespace %q", namespaceID)
		}
		return "", db.RecoveryToken{}, fmt.Errorf("authn: recovery token namespace: %w", err)
	}
	key, kid, err := r.signingKey(ctx)
	if err != nil {
		return "", db.RecoveryToken{}, err
	}
	// JWT times are whole seconds; the row keeps the same instants.
	now := time.Unix(r.now().Unix(), 0)
	rec := db.RecoveryToken{
		ID:          uuid.NewString(),
		NamespaceID: namespaceID,
		CreatedAt:   now,
		ExpiresAt:   now.Add(ttl.Truncate(time.Second)),
		SingleUse:   singleUse,
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		return "", db.RecoveryToken{}, fmt.Errorf("authn: recovery signer: %w", err)
	}
	token, err := jwt.Signed(signer).Claims(recoveryClaims{
		Claims: jwt.Claims{
			ID:       rec.ID,
			Issuer:   recoveryIssuer,
			IssuedAt: jwt.NewNumericDate(rec.CreatedAt),
			Expiry:   jwt.NewNumericDate(rec.ExpiresAt),
		},
		Namespace: namespaceID,
	}).Serialize()
	if err != nil {
		return "", db.RecoveryToken{}, fmt.Errorf("authn: sign recovery token: %w", err)
	}
	if err := r.store.InsertRecoveryToken(ctx, rec); err != nil {
		return "", db.RecoveryToken{}, fmt.Errorf("authn: store recovery token: %w", err)
	}
	return token, rec, nil
}

// Verify checks a recovery token and, for a single-use one, consumes it.
// Rejections wrap errs.ErrUnauthenticated; database failures do not.
func (r *Recovery) Verify(ctx context.Context, token string) (Principal, error) {
	key, _, err := r.signingKey(ctx)
	if err != nil {
		return Principal{}, err
	}
	var c recoveryClaims
	if err := verifyES256(token, &key.PublicKey, &c); err != nil {
		return Principal{}, errs.Unauthenticated("recovery token %v", err)
	}
	now := r.now()
	if err := checkTimes(now, c.Claims, 0); err != nil {
		return Principal{}, errs.Unauthenticated("recovery token %v", err)
	}
	if c.Issuer != recoveryIssuer || c.ID == "" || c.Namespace == "" {
		return Principal{}, errs.Unauthenticated("recovery token lacks its issuer, id or namespace")
	}
	rec, err := r.usableRecord(ctx, c, now)
	if err != nil {
		return Principal{}, err
	}
	return Principal{
		Kind:                KindRecovery,
		UserID:              "recovery:" + rec.ID,
		Name:                "Recovery admin",
		RecoveryNamespaceID: rec.NamespaceID,
		ExpiresAt:           c.Expiry.Time(),
	}, nil
}

// usableRecord checks the token's row and marks a single-use token used.
func (r *Recovery) usableRecord(ctx context.Context, c recoveryClaims, now time.Time) (db.RecoveryToken, error) {
	rec, err := r.store.GetRecoveryToken(ctx, c.ID)
	if errors.Is(err, db.ErrNotFound) {
		return rec, errs.Unauthenticated("recovery token %s is not known (revoked, or removed after it expired)", c.ID)
	}
	if err != nil {
		return rec, fmt.Errorf("authn: recovery token record: %w", err)
	}
	switch {
	case rec.NamespaceID != c.Namespace:
		return rec, errs.Unauthenticated("recovery token %s does not match its record", c.ID)
	case now.After(rec.ExpiresAt):
		return rec, errs.Unauthenticated("recovery token expired at %s", rec.ExpiresAt.UTC().Format(time.RFC3339))
	case rec.SingleUse && !rec.UsedAt.IsZero():
		return rec, errs.Unauthenticated("recovery token was already used at %s", rec.UsedAt.UTC().Format(time.RFC3339))
	}
	if _, err := r.store.GetNamespace(ctx, rec.NamespaceID); errors.Is(err, db.ErrNotFound) {
		return rec, errs.Unauthenticated("recovery token's namespace %s no longer exists", rec.NamespaceID)
	} else if err != nil {
		return rec, fmt.Errorf("authn: recovery token namespace: %w", err)
	}
	if rec.SingleUse {
		// The store sets UsedAt at most once, so of two concurrent uses only one passes.
		err := r.store.MarkRecoveryTokenUsed(ctx, rec.ID, now)
		if errors.Is(err, db.ErrConflict) {
			return rec, errs.Unauthenticated("recovery token was already used")
		}
		if err != nil {
			return rec, fmt.Errorf("authn: consume recovery token: %w", err)
		}
	}
	return rec, nil
}

// CheckKey opens (or creates) the signing key, so a database_encryption_key
// that does not match the database is found at start-up.
func (r *Recovery) CheckKey(ctx context.Context) error {
	_, _, err := r.signingKey(ctx)
	return err
}

// signingKey loads the sealed key from the database, creating it on first
// use; InsertKeyIfAbsent makes concurrent first runs agree on one key.
func (r *Recovery) signingKey(ctx context.Context) (*ecdsa.PrivateKey, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.key != nil {
		return r.key, r.kid, nil
	}
	stored, err := r.store.GetKey(ctx, RecoveryKeyPurpose)
	if errors.Is(err, db.ErrNotFound) {
		stored, err = r.createKey(ctx)
	}
	if err != nil {
		return nil, "", fmt.Errorf("authn: recovery signing key: %w", err)
	}
	pemBytes, err := r.sealer.Open(stored.Sealed, recoveryKeyContext)
	if errors.Is(err, seal.ErrUnknownKey) {
		return nil, "", fmt.Errorf("authn: the recovery signing key in the database cannot be opened, the database was set up with another database_encryption_key: %w", err)
	}
	if err != nil {
		return nil, "", fmt.Errorf("authn: open recovery signing key: %w", err)
	}
	key, err := ParseSigningKey(string(pemBytes))
	if err != nil {
		return nil, "", fmt.Errorf("authn: stored recovery signing key %v", err)
	}
	kid, err := keyID(&key.PublicKey)
	if err != nil {
		return nil, "", err
	}
	r.key, r.kid = key, kid
	return key, kid, nil
}

func (r *Recovery) createKey(ctx context.Context) (db.SealedKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return db.SealedKey{}, fmt.Errorf("generate: %w", err)
	}
	pemBytes, err := MarshalSigningKeyPEM(key)
	if err != nil {
		return db.SealedKey{}, err
	}
	sealed, err := r.sealer.Seal(pemBytes, recoveryKeyContext)
	if err != nil {
		return db.SealedKey{}, err
	}
	return r.store.InsertKeyIfAbsent(ctx, db.SealedKey{Purpose: RecoveryKeyPurpose, Sealed: sealed, CreatedAt: r.now()})
}
