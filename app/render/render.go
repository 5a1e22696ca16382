package render

import (
	"encoding/base64"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
)

// ConfigName is the name of every Config the console renders, so an
// operator reading the databroker sees where a record comes from.
const ConfigName = "pomerium-console"

// renderer renders one model.
type renderer struct {
	m        Model
	open     Opener
	policies map[string]Policy
	keyPairs map[string]KeyPair
}

// Render turns m into the Config Pomerium Core reads. It is a pure function
// of m (and of what open returns): the same model always gives a Config
// that marshals, deterministically, to the same bytes. It fails when m
// names a policy or key pair it does not hold, a stored value does not
// parse, or a sealed secret does not open; the error says which entity.
// The Config shares strings, lists and maps with m: change neither.
func Render(m Model, open Opener) (*configpb.Config, error) {
	r := renderer{m: m, open: open, policies: map[string]Policy{}, keyPairs: map[string]KeyPair{}}
	for _, p := range m.Policies {
		r.policies[p.ID] = p
	}
	for _, k := range m.KeyPairs {
		r.keyPairs[k.ID] = k
	}
	settings, err := r.settings()
	if err != nil {
		return nil, err
	}
	cfg := &configpb.Config{Name: ConfigName, Settings: settings, Routes: make([]*configpb.Route, 0, len(m.Routes))}
	slugs := make(map[*configpb.Route]string, len(m.Routes))
	for _, mr := range m.Routes {
		pr, err := r.route(mr)
		if err != nil {
			return nil, fmt.Errorf("render: route %q (%s): %w", mr.Name, mr.ID, err)
		}
		slugs[pr] = statSlug(mr.NamespacePath, mr.Name)
		cfg.Routes = append(cfg.Routes, pr)
	}
	SortRoutes(cfg.Routes)
	assignStatNames(cfg.Routes, slugs)
	return cfg, nil
}

// keyPair returns the model's key pair id, or an error naming what uses it.
func (r *renderer) keyPair(id, usedAs string) (KeyPair, error) {
	k, ok := r.keyPairs[id]
	if !ok {
		return KeyPair{}, fmt.Errorf("%s: key pair %s is not in the model", usedAs, id)
	}
	return k, nil
}

// certBase64 is key pair id's certificate chain as base64 PEM, the form
// Core's tls_* and certificate authority options take.
func (r *renderer) certBase64(id, usedAs string) (string, error) {
	k, err := r.keyPair(id, usedAs)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString([]byte(k.CertificatePEM)), nil
}

// privateKey opens key pair k's private key (PEM).
func (r *renderer) privateKey(k KeyPair, usedAs string) ([]byte, error) {
	if k.SealedKey == "" {
		return nil, fmt.Errorf("%s: key pair %q has no private key in the model", usedAs, k.Name)
	}
	key, err := r.open.Open(k.SealedKey, keypairs.SealContext(k.ID))
	if err != nil {
		return nil, fmt.Errorf("%s: open the private key of key pair %q: %w", usedAs, k.Name, err)
	}
	return key, nil
}

// secret opens a sealed secret for context; "" stays "".
func (r *renderer) secret(sealed, context, what string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	b, err := r.open.Open(sealed, context)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", what, err)
	}
	return string(b), nil
}

// optional is a pointer to s, or nil for "", for Core's optional strings.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return proto.String(s)
}
