package deploy

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"google.golang.org/protobuf/proto"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
)

// Sealer seals and opens values at rest; *seal.Sealer is one.
type Sealer interface {
	Seal(plaintext []byte, context string) (string, error)
	Open(sealed, context string) ([]byte, error)
}

// A deployment's model is kept as base64 of gzipped JSON: it holds only
// sealed secrets, and thousands of routes compress well; so is its
// config.yaml with the secrets redacted, which diffs read instead of
// exporting the configuration again. The rendered Config holds opened
// secrets (private keys, client secrets), so it is gzipped and then
// sealed for the deployment.

// encodeModel is the stored form of m.
func encodeModel(m render.Model) (string, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("deploy: encode model: %w", err)
	}
	packed, err := pack(raw)
	if err != nil {
		return "", fmt.Errorf("deploy: encode model: %w", err)
	}
	return packed, nil
}

// decodeModel is the inverse of encodeModel; an empty string is an empty model.
func decodeModel(s string) (render.Model, error) {
	var m render.Model
	if s == "" {
		return m, nil
	}
	raw, err := unpack(s)
	if err != nil {
		return m, fmt.Errorf("deploy: decode model: %w", err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("deploy: decode model: %w", err)
	}
	return m, nil
}

// pack is the stored form of bytes without secrets: gzip, then base64.
func pack(b []byte) (string, error) {
	z, err := gzipBytes(b)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(z), nil
}

// unpack is the inverse of pack.
func unpack(s string) ([]byte, error) {
	z, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	return gunzip(z)
}

// marshalConfig is cfg's deterministic wire form and its hash, which two
// equal configurations share.
func marshalConfig(cfg *configpb.Config) ([]byte, string, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("deploy: marshal config: %w", err)
	}
	sum := sha256.Sum256(b)
	return b, "sha256:" + hex.EncodeToString(sum[:]), nil
}

// sealConfig is the stored form of a deployment's configuration.
func sealConfig(sealer Sealer, deploymentID string, wire []byte) (string, error) {
	z, err := gzipBytes(wire)
	if err != nil {
		return "", fmt.Errorf("deploy: seal config: %w", err)
	}
	sealed, err := sealer.Seal(z, configContext(deploymentID))
	if err != nil {
		return "", fmt.Errorf("deploy: seal config: %w", err)
	}
	return sealed, nil
}

// openConfig is the inverse of sealConfig.
func openConfig(sealer Sealer, deploymentID, sealed string) (*configpb.Config, error) {
	z, err := sealer.Open(sealed, configContext(deploymentID))
	if err != nil {
		return nil, fmt.Errorf("deploy: open config: %w", err)
	}
	wire, err := gunzip(z)
	if err != nil {
		return nil, fmt.Errorf("deploy: open config: %w", err)
	}
	cfg := &configpb.Config{}
	if err := proto.Unmarshal(wire, cfg); err != nil {
		return nil, fmt.Errorf("deploy: open config: %w", err)
	}
	return cfg, nil
}

// configContext binds a sealed configuration to its deployment.
func configContext(deploymentID string) string { return "deployments/" + deploymentID + "/config" }

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer func() { _ = r.Close() }()
	return io.ReadAll(r)
}
