package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const keyPairColumns = `id, namespace_id, name, certificate_pem, sealed_key, subject, issuer, dns_names,
	ip_addresses, emails, uris, serial, not_before, not_after, fingerprint, is_ca, key_type, created_at, modified_at`

// scanKeyPair reads one row of keyPairColumns.
func scanKeyPair(row scanner) (db.KeyPair, error) {
	var (
		k                                      db.KeyPair
		dns, ips, emails, uris                 string
		notBefore, notAfter, created, modified int64
	)
	err := row.Scan(&k.ID, &k.NamespaceID, &k.Name, &k.CertificatePEM, &k.SealedKey, &k.Subject, &k.Issuer,
		&dns, &ips, &emails, &uris, &k.Serial, &notBefore, &notAfter, &k.Fingerprint, &k.IsCA, &k.KeyType,
		&created, &modified)
	if err != nil {
		return db.KeyPair{}, err
	}
	for _, f := range []struct {
		src string
		dst *[]string
	}{{dns, &k.DNSNames}, {ips, &k.IPAddresses}, {emails, &k.Emails}, {uris, &k.URIs}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return db.KeyPair{}, err
		}
	}
	k.NotBefore, k.NotAfter = fromMillis(notBefore), fromMillis(notAfter)
	k.CreatedAt, k.ModifiedAt = fromMillis(created), fromMillis(modified)
	return k, nil
}

// keyPairArgs are the values of keyPairColumns for k, lists as JSON arrays.
func keyPairArgs(k db.KeyPair) ([]any, error) {
	lists := make([]any, 0, 4)
	for _, l := range [][]string{k.DNSNames, k.IPAddresses, k.Emails, k.URIs} {
		if l == nil {
			l = []string{}
		}
		b, err := json.Marshal(l)
		if err != nil {
			return nil, err
		}
		lists = append(lists, string(b))
	}
	return []any{k.ID, k.NamespaceID, k.Name, k.CertificatePEM, k.SealedKey, k.Subject, k.Issuer,
		lists[0], lists[1], lists[2], lists[3], k.Serial, millis(k.NotBefore), millis(k.NotAfter), k.Fingerprint,
		k.IsCA, k.KeyType, millis(k.CreatedAt), millis(k.ModifiedAt)}, nil
}

// ListKeyPairs returns one page of matching key pairs ordered by name and
// the number of all matching ones.
func (s *Store) ListKeyPairs(ctx context.Context, f db.KeyPairFilter) ([]db.KeyPair, int, error) {
	if f.NamespaceIDs != nil && len(f.NamespaceIDs) == 0 {
		return nil, 0, nil
	}
	var (
		a     args
		where []string
	)
	if len(f.NamespaceIDs) > 0 {
		where = append(where, `namespace_id IN (`+a.addAll(f.NamespaceIDs)+`)`)
	}
	if f.Query != "" {
		pattern := a.add(containsPattern(f.Query))
		where = append(where, `(`+s.matches("name", pattern)+` OR `+s.matches("subject", pattern)+
			` OR `+s.matches("dns_names", pattern)+`)`)
	}
	if !f.ExpiresBefore.IsZero() {
		where = append(where, `not_after < `+a.add(millis(f.ExpiresBefore)))
	}
	return listPage(ctx, s, page{
		what: "key pairs", table: "key_pairs", columns: keyPairColumns, where: where, args: a,
		order: `lower(name), name, id`, limit: f.Limit, offset: f.Offset,
	}, scanKeyPair)
}

// GetKeyPair returns one key pair or db.ErrNotFound.
func (s *Store) GetKeyPair(ctx context.Context, id string) (db.KeyPair, error) {
	const q = `SELECT ` + keyPairColumns + ` FROM key_pairs WHERE id = $1`
	k, err := scanKeyPair(s.reader().QueryRowContext(ctx, q, id))
	return k, s.fail("get key pair", err)
}

// CreateKeyPair inserts k; db.ErrConflict for a taken id or name in the
// namespace, db.ErrNotFound when the namespace does not exist.
func (s *Store) CreateKeyPair(ctx context.Context, k db.KeyPair) error {
	const q = `INSERT INTO key_pairs (` + keyPairColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16, $17, $18, $19)`
	vals, err := keyPairArgs(k)
	if err != nil {
		return s.fail("create key pair", err)
	}
	_, err = s.writer().ExecContext(ctx, q, vals...)
	return s.fail("create key pair", err)
}

// UpdateKeyPair writes everything but id, namespace and creation time.
func (s *Store) UpdateKeyPair(ctx context.Context, k db.KeyPair) error {
	const q = `UPDATE key_pairs SET name = $3, certificate_pem = $4, sealed_key = $5, subject = $6, issuer = $7,
		dns_names = $8, ip_addresses = $9, emails = $10, uris = $11, serial = $12, not_before = $13,
		not_after = $14, fingerprint = $15, is_ca = $16, key_type = $17, modified_at = $18
		WHERE id = $1 AND namespace_id = $2`
	vals, err := keyPairArgs(k)
	if err != nil {
		return s.fail("update key pair", err)
	}
	vals = append(vals[:17], vals[18]) // created_at stays as it is
	res, err := s.writer().ExecContext(ctx, q, vals...)
	return s.mustAffect("update key pair", res, err, db.ErrNotFound)
}

// DeleteKeyPair removes one key pair; db.ErrNotFound when there is none.
func (s *Store) DeleteKeyPair(ctx context.Context, id string) error {
	res, err := s.writer().ExecContext(ctx, `DELETE FROM key_pairs WHERE id = $1`, id)
	return s.mustAffect("delete key pair", res, err, db.ErrReferenced)
}
