package runtime

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/mr-tron/base58"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Lifetimes of what an enrollment link carries.
const (
	// EnrollmentTokenLifetime bounds how long after the link was made the
	// device may register with the token.
	EnrollmentTokenLifetime = time.Hour
	// SignedURLLifetime is Core's: the WebAuthn page refuses a link signed
	// more than five minutes (plus a minute of leeway) ago.
	SignedURLLifetime = 5 * time.Minute
)

// Paths and query parameters of Core's WebAuthn page (internal/urlutil).
const (
	webauthnPath       = "/.pomerium/webauthn"
	deviceEnrolledPath = "/.pomerium/device-enrolled"
	queryDeviceType    = "pomerium_device_type"
	queryEnrollToken   = "pomerium_enrollment_token"
	queryRedirectURI   = "pomerium_redirect_uri"
	queryIssued        = "pomerium_issued"
	queryExpiry        = "pomerium_expiry"
	querySignature     = "pomerium_signature"
)

// EnrollmentInput is a pre-made enrollment an admin hands to a user.
type EnrollmentInput struct {
	ClusterID string
	// TypeID is the device type; empty means "any".
	TypeID string
	UserID string
	// RouteURL is any URL Pomerium serves in the cluster (a route's
	// from); the link opens Core's WebAuthn page on that host.
	RouteURL string
	// RedirectURL is where the page goes once the device is enrolled;
	// empty means Core's /.pomerium/device-enrolled on the route's host.
	RedirectURL string
}

// EnrollmentLink is a pre-made enrollment and the link that enrolls a device into it.
type EnrollmentLink struct {
	Enrollment *devicepb.Enrollment
	// URL is Core's WebAuthn page, signed with the cluster's shared secret;
	// it works for SignedURLLifetime. It is a credential: show it once.
	URL string
	// ExpiresAt is when the URL stops working.
	ExpiresAt time.Time
}

// CreateEnrollment stores a pre-made enrollment (a new id, the type and
// user, no enrolled_at) and returns the link that registers a device into
// it. Devices enrolled this way carry approved_by = the admin, so they pass
// `device: {approved: true}`. It needs the admin role on the cluster's
// namespace.
func (s *Service) CreateEnrollment(ctx context.Context, acc *rbac.Access, in EnrollmentInput) (EnrollmentLink, error) {
	in.TypeID = cmp.Or(in.TypeID, DeviceTypeAny)
	var v errs.Validator
	if in.UserID == "" {
		v.Add("user_id", errs.CodeRequired, "enter the id of the user who will enroll the device")
	}
	route, redirect := linkURLs(&v, in.RouteURL, in.RedirectURL)
	if err := v.Err(); err != nil {
		return EnrollmentLink{}, err
	}
	t, key, err := s.openForLinks(ctx, acc, in.ClusterID)
	if err != nil {
		return EnrollmentLink{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	types, err := s.deviceTypes(ctx, t)
	if err != nil {
		return EnrollmentLink{}, err
	}
	if lookupType(types, in.TypeID).Builtin && in.TypeID != DeviceTypeAny && in.TypeID != DeviceTypeEnclaveOnly {
		return EnrollmentLink{}, errs.Field("type_id", errs.CodeNotFound, "device type %q does not exist in cluster %q", in.TypeID, t.cluster.Name)
	}
	e := &devicepb.Enrollment{Id: uuid.NewString(), TypeId: in.TypeID, UserId: in.UserID, ApprovedBy: acc.Principal.UserID}
	if _, err := t.client.PutMessage(ctx, e.GetId(), e); err != nil {
		return EnrollmentLink{}, brokerError("create enrollment", err)
	}
	if err := s.logChange(ctx, acc, t.cluster, activity.Change{
		Type: db.ActivityCreate, EntityType: activity.EntityDevice, EntityID: e.GetId(), EntityName: e.GetUserId(),
		After: deviceSnapshotOf(nil, e),
	}); err != nil {
		return EnrollmentLink{}, err
	}
	return enrollmentLink(e, key, route, redirect, s.now())
}

// NewEnrollmentLink signs a fresh link for a pending enrollment, for when
// the first one lapsed (a signed link lasts five minutes). It needs the
// admin role on the cluster's namespace.
func (s *Service) NewEnrollmentLink(ctx context.Context, acc *rbac.Access, clusterID, enrollmentID, routeURL, redirectURL string) (EnrollmentLink, error) {
	var v errs.Validator
	route, redirect := linkURLs(&v, routeURL, redirectURL)
	if err := v.Err(); err != nil {
		return EnrollmentLink{}, err
	}
	t, key, err := s.openForLinks(ctx, acc, clusterID)
	if err != nil {
		return EnrollmentLink{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	e, ok, err := getOne(ctx, t.client, EnrollmentType, enrollmentID, newEnrollment)
	if err != nil {
		return EnrollmentLink{}, err
	}
	if !ok {
		return EnrollmentLink{}, errs.NotFound("device enrollment %s does not exist in cluster %q", enrollmentID, t.cluster.Name)
	}
	if e.msg.GetEnrolledAt() != nil || e.msg.GetCredentialId() != "" {
		return EnrollmentLink{}, errs.Conflict("a device already enrolled with enrollment %s", enrollmentID)
	}
	return enrollmentLink(e.msg, key, route, redirect, s.now())
}

// linkURLs checks and parses the route and redirect URLs of a link into v;
// the redirect defaults to Core's device-enrolled page on the route's host.
func linkURLs(v *errs.Validator, routeURL, redirectURL string) (route, redirect *url.URL) {
	route, err := absoluteURL(routeURL)
	switch {
	case routeURL == "":
		v.Add("route_url", errs.CodeRequired, "enter the URL of a route Pomerium serves in this cluster")
	case err != nil:
		v.Add("route_url", errs.CodeInvalid, "%v", err)
	}
	switch {
	case redirectURL != "":
		if redirect, err = absoluteURL(redirectURL); err != nil {
			v.Add("redirect_url", errs.CodeInvalid, "%v", err)
		}
	case route != nil:
		redirect = route.ResolveReference(&url.URL{Path: deviceEnrolledPath})
	}
	return route, redirect
}

// absoluteURL parses an http(s) URL with a host.
func absoluteURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("must be an absolute http:// or https:// URL, such as https://app.example.com")
	}
	return u, nil
}

// openForLinks opens the cluster for an admin, with the key its links are
// signed with.
func (s *Service) openForLinks(ctx context.Context, acc *rbac.Access, clusterID string) (target, []byte, error) {
	t, err := s.open(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return target{}, nil, err
	}
	key, err := s.sharedKey(t.cluster)
	return t, key, err
}

// sharedKey is the cluster's decoded shared secret.
func (s *Service) sharedKey(c db.Cluster) ([]byte, error) {
	if s.secret == nil {
		return nil, errs.Unavailable("enrollment links need the cluster's shared secret, which this console cannot read")
	}
	secret, err := s.secret(c)
	if err != nil {
		return nil, fmt.Errorf("runtime: %w", err)
	}
	if secret == "" {
		return nil, errs.Unavailable("cluster %q has no shared secret: set it on the cluster's page first", c.Name)
	}
	key, err := databroker.DecodeSharedSecret(secret)
	if err != nil {
		return nil, errs.Unavailable("cluster %q: %v", c.Name, err)
	}
	return key, nil
}

// enrollmentLink builds the signed WebAuthn URL for e.
func enrollmentLink(e *devicepb.Enrollment, key []byte, route, redirect *url.URL, now time.Time) (EnrollmentLink, error) {
	id, err := uuid.Parse(e.GetId())
	if err != nil {
		return EnrollmentLink{}, errs.Conflict("enrollment %s does not have a UUID id, so Pomerium cannot take a token for it", e.GetId())
	}
	page := route.ResolveReference(&url.URL{Path: webauthnPath})
	q := url.Values{}
	q.Set(queryDeviceType, e.GetTypeId())
	q.Set(queryEnrollToken, EnrollmentToken(key, id, now.Add(EnrollmentTokenLifetime)))
	q.Set(queryRedirectURI, redirect.String())
	signed := SignURL(key, page, q, now)
	return EnrollmentLink{Enrollment: e, URL: signed, ExpiresAt: now.Add(SignedURLLifetime)}, nil
}

// EnrollmentToken is Core's enrollment SecureToken for enrollment id:
// base58 of the 16 id bytes, the expiry as 8 big-endian bytes of Unix
// milliseconds, and an HMAC-SHA256 of those 24 bytes keyed with the
// cluster's decoded shared secret.
func EnrollmentToken(key []byte, id uuid.UUID, expiry time.Time) string {
	buf := make([]byte, 0, 16+8+sha256.Size)
	buf = append(buf, id[:]...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(expiry.UnixMilli()))
	mac := hmac.New(sha256.New, key)
	mac.Write(buf)
	return base58.Encode(mac.Sum(buf))
}

// SignURL signs u with the query q the way Core's urlutil.SignedURL does:
// pomerium_issued (now) and pomerium_expiry (now + 5 min) in Unix seconds
// join the query, and pomerium_signature is the base64url HMAC-SHA512/256
// of the resulting URL text followed by the issued time, a space and the
// expiry time.
func SignURL(key []byte, u *url.URL, q url.Values, now time.Time) string {
	signed := *u
	q = maps.Clone(q)
	if q == nil {
		q = url.Values{}
	}
	issued := strconv.FormatInt(now.Unix(), 10)
	expiry := strconv.FormatInt(now.Add(SignedURLLifetime).Unix(), 10)
	q.Set(queryIssued, issued)
	q.Set(queryExpiry, expiry)
	signed.RawQuery = q.Encode()
	mac := hmac.New(sha512.New512_256, key)
	mac.Write([]byte(signed.String() + issued + " " + expiry))
	q.Set(querySignature, base64.URLEncoding.EncodeToString(mac.Sum(nil)))
	signed.RawQuery = q.Encode()
	return signed.String()
}
