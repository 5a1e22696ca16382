package routes

import (
	"context"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Effective is every policy that decides who reaches a route.
type Effective struct {
	// Enforced are the enforced policies of the route's namespace and its
	// ancestors, nearest namespace first: they apply without being attached.
	Enforced []db.Policy
	// Attached are the optional policies the route attaches, in its order.
	Attached []db.Policy
}

// Effective lists the policies that apply to r, for a viewer of its namespace.
func (s *Service) Effective(ctx context.Context, acc *rbac.Access, r db.Route) (Effective, error) {
	enforced, _, err := s.policies.Inherited(ctx, acc, r.NamespaceID)
	if err != nil {
		return Effective{}, fmt.Errorf("routes: effective policies: %w", err)
	}
	eff := Effective{Enforced: enforced}
	for _, id := range r.PolicyIDs {
		p, err := s.store.GetPolicy(ctx, id)
		if err != nil {
			return Effective{}, fmt.Errorf("routes: effective policies: %w", err)
		}
		// A policy made enforced after it was attached is among Enforced
		// already (when in reach) and applies once.
		if !p.Enforced {
			eff.Attached = append(eff.Attached, p)
		}
	}
	return eff, nil
}

// Certificates are the key pairs that can serve r's host (the REST
// getRouteCertificates), for a viewer of its namespace.
func (s *Service) Certificates(ctx context.Context, acc *rbac.Access, r db.Route) ([]db.KeyPair, error) {
	if err := acc.Require(r.NamespaceID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	return keypairs.RouteCertificates(ctx, s.store, acc.Tree(), r.NamespaceID, Host(r.From))
}

// KeyPairRef is a key pair a route names in one of its TLS fields.
type KeyPairRef struct {
	// Field is the REST field: tlsCustomCaKeyPairId, tlsClientKeyPairId or
	// tlsDownstreamClientCaKeyPairId.
	Field   string
	KeyPair db.KeyPair
}

// KeyPairs returns the key pairs r uses, in the order of its TLS fields.
func (s *Service) KeyPairs(ctx context.Context, r db.Route) ([]KeyPairRef, error) {
	var out []KeyPairRef
	for _, ref := range []struct{ field, id string }{
		{"tlsCustomCaKeyPairId", r.TLSCustomCAKeyPairID},
		{"tlsClientKeyPairId", r.TLSClientKeyPairID},
		{"tlsDownstreamClientCaKeyPairId", r.TLSDownstreamClientCAKeyPairID},
	} {
		if ref.id == "" {
			continue
		}
		k, err := s.store.GetKeyPair(ctx, ref.id)
		if errors.Is(err, db.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("routes: key pairs: %w", err)
		}
		out = append(out, KeyPairRef{Field: ref.field, KeyPair: k})
	}
	return out, nil
}

// UsingPolicy lists, for a policy's page, the routes that attach it
// (REST "routes") and, when it is enforced, the routes of its namespace
// and below (REST "enforcedRoutes"): a first page of each and its total.
func (s *Service) UsingPolicy(ctx context.Context, acc *rbac.Access, p db.Policy, limit int) (attached, enforced Page, err error) {
	if err := acc.Require(p.NamespaceID, rbac.RoleViewer); err != nil {
		return Page{}, Page{}, err
	}
	visible := acc.SubtreeWith(db.GlobalNamespaceID, rbac.RoleViewer)
	list, total, err := s.store.ListRoutes(ctx, db.RouteFilter{PolicyID: p.ID, NamespaceIDs: visible, Limit: limit})
	if err != nil {
		return Page{}, Page{}, fmt.Errorf("routes: using policy: %w", err)
	}
	attached = Page{Routes: list, Total: total}
	if p.Enforced {
		list, total, err = s.store.ListRoutes(ctx, db.RouteFilter{NamespaceIDs: acc.SubtreeWith(p.NamespaceID, rbac.RoleViewer), Limit: limit})
		if err != nil {
			return Page{}, Page{}, fmt.Errorf("routes: using policy: %w", err)
		}
		enforced = Page{Routes: list, Total: total}
	}
	return attached, enforced, nil
}

// KeyPairStatus flags a key pair against the service's clock.
func (s *Service) KeyPairStatus(k db.KeyPair) keypairs.Status {
	return keypairs.StatusOf(k, s.now())
}

// KeyPairChoices lists the key pairs a route of nsID may use (those of nsID
// and its ancestors, nearest namespace first), for a viewer of nsID.
func (s *Service) KeyPairChoices(ctx context.Context, acc *rbac.Access, nsID string) ([]db.KeyPair, error) {
	if err := acc.Require(nsID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	list, err := keypairs.ReachableFrom(ctx, s.store, acc.Tree(), nsID)
	if err != nil {
		return nil, fmt.Errorf("routes: key pair choices: %w", err)
	}
	return list, nil
}
