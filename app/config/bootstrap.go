package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
)

// Names of the files Bootstrap keeps in the data dir.
const (
	DatabaseFile      = "console.db"
	EncryptionKeyFile = "database_encryption_key"
	SigningKeyFile    = "signing_key"
	// SharedSecretFile holds the shared_secret generated for Pomerium
	// Core: copy it into Core's configuration so that both agree.
	SharedSecretFile = "shared_secret"
)

const (
	dataDirMode = 0o700
	keyFileMode = 0o600
)

// generatedKey is a key Bootstrap reads from, or creates in, the data dir.
type generatedKey struct {
	target   *string
	file     string
	generate func() (string, error)
	check    func(string) error
}

// Bootstrap fills the keys a zero-configuration run needs: an empty
// database_url becomes <data_dir>/console.db (SQLite), and an empty
// database_encryption_key, signing_key or shared_secret is read from its
// file in data_dir, or generated there once. It returns the files it
// generated. Errors never contain key material.
func Bootstrap(cfg *Config) (generated []string, err error) {
	if cfg.DatabaseURL != "" && cfg.DatabaseEncryptionKey != "" && cfg.SigningKey != "" && cfg.SharedSecret != "" {
		return nil, nil
	}
	keys := []generatedKey{
		{target: &cfg.DatabaseEncryptionKey, file: EncryptionKeyFile, generate: newEncryptionKey, check: func(s string) error {
			_, err := seal.ParseKey(s)
			return err
		}},
		{target: &cfg.SigningKey, file: SigningKeyFile, generate: newSigningKey, check: func(s string) error {
			_, err := authn.ParseSigningKey(s)
			return err
		}},
		{target: &cfg.SharedSecret, file: SharedSecretFile, generate: newSharedSecret, check: checkSharedSecret},
	}
	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir
	}
	if err := os.MkdirAll(cfg.DataDir, dataDirMode); err != nil {
		return nil, fmt.Errorf("config: data_dir: %w", err)
	}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = filepath.Join(cfg.DataDir, DatabaseFile)
	}
	for _, k := range keys {
		if *k.target != "" {
			continue
		}
		path := filepath.Join(cfg.DataDir, k.file)
		v, created, err := readOrCreate(path, k.generate)
		if err != nil {
			return generated, err
		}
		if err := k.check(v); err != nil {
			return generated, fmt.Errorf("config: %s: %v", path, err)
		}
		*k.target = v
		if created {
			generated = append(generated, path)
		}
	}
	return generated, nil
}

func newEncryptionKey() (string, error) {
	key := make([]byte, seal.KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("config: generate database_encryption_key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(key), nil
}

// sharedSecretSize is what Pomerium's docs generate (head -c32
// /dev/urandom | base64), and the least a service account token's HS256
// key may be.
const sharedSecretSize = 32

func newSharedSecret() (string, error) {
	key := make([]byte, sharedSecretSize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("config: generate shared_secret: %w", err)
	}
	return base64.StdEncoding.EncodeToString(key), nil
}

// checkSharedSecret accepts what Core accepts: standard padded base64 of
// a non-empty key.
func checkSharedSecret(s string) error {
	if _, err := databroker.DecodeSharedSecret(s); err != nil {
		return errors.New("must be the base64 of a random key (head -c32 /dev/urandom | base64)")
	}
	return nil
}

func newSigningKey() (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", fmt.Errorf("config: generate signing_key: %w", err)
	}
	return authn.EncodeSigningKey(key)
}

// readOrCreate returns the trimmed content of path, generating and writing
// it first when the file does not exist. created is false when another
// process won the race to create it; its key is then the one returned.
func readOrCreate(path string, generate func() (string, error)) (value string, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("config: %w", err)
	}
	v, err := generate()
	if err != nil {
		return "", false, err
	}
	created, err = writeOnce(path, []byte(v+"\n"))
	if err != nil {
		return "", false, err
	}
	if !created {
		return readOrCreate(path, generate)
	}
	return v, true, nil
}

// writeOnce writes data to path only if path does not exist, atomically: the
// data goes to a synced temp file that is then hard-linked into place, so a
// crash never leaves half a key and two racing processes never overwrite
// each other's key (the loser gets created=false).
func writeOnce(path string, data []byte) (created bool, err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, fmt.Errorf("config: %w", err)
	}
	defer func() {
		if rmErr := os.Remove(tmp.Name()); rmErr != nil && err == nil {
			err = fmt.Errorf("config: %w", rmErr)
		}
	}()
	if err := writeSynced(tmp, data); err != nil {
		return false, fmt.Errorf("config: write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("config: %w", err)
	}
	return true, syncDir(dir)
}

func writeSynced(f *os.File, data []byte) error {
	err := f.Chmod(keyFileMode)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// syncDir makes the new directory entry survive a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("config: sync %s: %w", dir, err)
	}
	return nil
}
