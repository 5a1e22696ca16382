// Package seal encrypts values the console keeps at rest (private keys,
// secrets in settings) with database_encryption_key. A sealed value is a
// self-describing string naming the key it was sealed with, so the key can be
// rotated: the new key seals, older keys passed to New still open. Each value
// is bound to a context string (the table and column it lives in), so a value
// copied elsewhere in the database does not open.
package seal
