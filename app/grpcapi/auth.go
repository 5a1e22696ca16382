package grpcapi

import (
	"context"
	"log/slog"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
)

// Authenticator turns a call's metadata into the caller's access.
type Authenticator struct {
	// ServiceAccounts verifies "authorization: Pomerium <jwt>", the scheme
	// both public clients send.
	ServiceAccounts authn.ServiceAccountVerifier
	// Pomerium verifies X-Pomerium-Jwt-Assertion when the API sits behind a
	// Pomerium route; nil when signing_key is unset.
	Pomerium   *authn.PomeriumVerifier
	Authorizer *rbac.Authorizer
	// Seen records users that call through Pomerium, as a web sign-in does.
	Seen func(context.Context, authn.Principal) error
}

type accessKey struct{}

// access returns the caller's access, set by the auth interceptor.
func access(ctx context.Context) *rbac.Access {
	acc, _ := ctx.Value(accessKey{}).(*rbac.Access)
	return acc
}

// principal authenticates one call. A service-account token wins over an
// assertion: behind Pomerium both may arrive, and the token names the
// account (and so caps its roles to the account's namespace) exactly.
func (a *Authenticator) principal(ctx context.Context) (authn.Principal, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if h := first(md, "authorization"); h != "" {
		token, ok := cutScheme(h, "Pomerium ")
		if !ok {
			return authn.Principal{}, errs.Unauthenticated(`the authorization metadata must be "Pomerium <service account token>"`)
		}
		return a.ServiceAccounts.Verify(ctx, token)
	}
	if assertion := first(md, "x-pomerium-jwt-assertion"); assertion != "" {
		if a.Pomerium == nil {
			return authn.Principal{}, errs.Unauthenticated("X-Pomerium-Jwt-Assertion is not accepted: signing_key is not configured")
		}
		p, err := a.Pomerium.Verify(assertion)
		if err != nil {
			return authn.Principal{}, err
		}
		if p, err = a.ServiceAccounts.FromAssertion(ctx, p); err != nil || p.Kind != authn.KindPomerium {
			return p, err
		}
		if a.Seen != nil {
			if err := a.Seen(ctx, p); err != nil {
				return authn.Principal{}, err
			}
		}
		return p, nil
	}
	return authn.Principal{}, errs.Unauthenticated(`send a service account token as metadata "authorization: Pomerium <token>"`)
}

func first(md metadata.MD, key string) string {
	if v := md.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// cutScheme strips an auth scheme, matched case-insensitively as HTTP does.
func cutScheme(h, scheme string) (string, bool) {
	if len(h) > len(scheme) && strings.EqualFold(h[:len(scheme)], scheme) {
		return strings.TrimSpace(h[len(scheme):]), true
	}
	return "", false
}

// authInterceptor refuses unauthenticated calls and hands handlers the
// caller's resolved roles.
func (a *Authenticator) authInterceptor(logger *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if isPublic(info.FullMethod) {
			return next(ctx, req)
		}
		p, err := a.principal(ctx)
		if err != nil {
			return nil, toStatus(ctx, logger, info.FullMethod, err)
		}
		acc, err := a.Authorizer.Resolve(ctx, p)
		if err != nil {
			return nil, toStatus(ctx, logger, info.FullMethod, err)
		}
		return next(context.WithValue(ctx, accessKey{}, acc), req)
	}
}

// isPublic lists the methods that need no caller: the health check load
// balancers probe and server reflection (which only describes the API).
func isPublic(method string) bool {
	return strings.HasPrefix(method, "/grpc.health.v1.Health/") ||
		strings.HasPrefix(method, "/grpc.reflection.")
}
