package runtime_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"github.com/mr-tron/base58"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// registerResponse is a WebAuthn registration response whose attestation
// object uses format fmt.
func registerResponse(format string) []byte {
	obj := append([]byte{0xa1, 0x63, 'f', 'm', 't', 0x60 + byte(len(format))}, format...)
	return []byte(`{"id":"x","response":{"attestationObject":"` + base64.RawURLEncoding.EncodeToString(obj) + `"}}`)
}

// seedDevices stores: ada's approved U2F key (c-key/e-key), bob's
// unapproved laptop of type "laptop" (c-mac/e-mac, no attestation, a Mac
// browser), and a pending enrollment for cyd (e-cyd).
func (f fixture) seedDevices(t *testing.T) {
	t.Helper()
	f.people(t)
	f.broker.Seed(t,
		&devicepb.Type{Id: "laptop", Name: "Company laptop"},
		&devicepb.Credential{Id: "c-key", TypeId: "any", EnrollmentId: "e-key", UserId: "ada",
			Specifier: &devicepb.Credential_Webauthn{Webauthn: &devicepb.Credential_WebAuthn{RegisterResponse: registerResponse("fido-u2f")}}},
		&devicepb.Enrollment{Id: "e-key", TypeId: "any", CredentialId: "c-key", UserId: "ada", ApprovedBy: "bob", EnrolledAt: at(-2 * time.Hour)},
		&devicepb.Credential{Id: "c-mac", TypeId: "laptop", EnrollmentId: "e-mac", UserId: "bob"},
		&devicepb.Enrollment{Id: "e-mac", TypeId: "laptop", CredentialId: "c-mac", UserId: "bob", EnrolledAt: at(-time.Hour),
			UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)"},
		&devicepb.Enrollment{Id: "e-cyd", TypeId: "any", UserId: "cyd", ApprovedBy: "u-root"},
	)
	f.broker.Seed(t, &userpb.User{Id: "bob", Name: "Bob", Email: "bob@example.com", DeviceCredentialIds: []string{"c-other", "c-mac"}})
}

func TestListDevices(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedDevices(t)
	viewer := f.as(t, "vic", "", apptest.Roles{apptest.Global: rbac.RoleViewer})
	tests := []struct {
		name string
		f    runtime.DeviceFilter
		want []string
	}{
		{"all, by user", runtime.DeviceFilter{}, []string{"c-key", "c-mac", "e-cyd"}},
		{"by type", runtime.DeviceFilter{TypeID: "laptop"}, []string{"c-mac"}},
		{"by user", runtime.DeviceFilter{UserID: "cyd"}, []string{"e-cyd"}},
		{"by approver", runtime.DeviceFilter{ApprovedBy: "bob"}, []string{"c-key"}},
	}
	for _, tc := range tests {
		list, err := f.svc.ListDevices(t.Context(), viewer, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(list), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids(list), tc.want)
		}
	}
	list, err := f.svc.ListDevices(t.Context(), viewer, runtime.DeviceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	key, mac, pending := list[0], list[1], list[2]
	if key.Kind != runtime.KindFIDOU2F || !key.Approved() || key.ApprovedBy.Name != "Bob" || key.User.Name != "Ada Lovelace" ||
		key.Type.Type.GetName() != "Any" || !key.Type.Builtin || key.Enrollment.GetId() != "e-key" {
		t.Errorf("key %+v", key)
	}
	if mac.Kind != runtime.KindApple || mac.Approved() || mac.Type.Type.GetName() != "Company laptop" || mac.Type.Builtin {
		t.Errorf("mac %+v", mac)
	}
	if !pending.Pending() || pending.Credential != nil || pending.User.Name != "Cyd Charisse" {
		t.Errorf("pending %+v", pending)
	}
	engAdmin := f.as(t, "eve", "", apptest.Roles{apptest.Eng: rbac.RoleAdmin})
	_, err = f.svc.ListDevices(t.Context(), engAdmin, runtime.DeviceFilter{})
	wantErr(t, err, errs.ErrForbidden)
}

func TestApproveDevice(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedDevices(t)
	ctx := t.Context()
	root := f.root(t, "")
	viewer := f.as(t, "vic", "", apptest.Roles{apptest.Global: rbac.RoleViewer})
	wantErr(t, f.svc.ApproveDevice(ctx, viewer, runtime.DeviceRef{CredentialID: "c-mac"}), errs.ErrForbidden)
	wantField(t, f.svc.ApproveDevice(ctx, root, runtime.DeviceRef{}), "id", errs.CodeRequired)
	wantField(t, f.svc.ApproveDevice(ctx, root, runtime.DeviceRef{CredentialID: "c-mac", EnrollmentID: "e-mac"}), "id", errs.CodeRequired)
	wantErr(t, f.svc.ApproveDevice(ctx, root, runtime.DeviceRef{CredentialID: "c-none"}), errs.ErrNotFound)

	if err := f.svc.ApproveDevice(ctx, root, runtime.DeviceRef{CredentialID: "c-mac"}); err != nil {
		t.Fatal(err)
	}
	e := &devicepb.Enrollment{}
	if !f.broker.Message(t, runtime.EnrollmentType, "e-mac", e) || e.GetApprovedBy() != apptest.Root.UserID || e.GetUserAgent() == "" || e.GetCredentialId() != "c-mac" {
		t.Fatalf("enrollment after approval %v", e)
	}
	puts := f.broker.Puts(runtime.EnrollmentType, "e-key")
	if err := f.svc.ApproveDevice(ctx, root, runtime.DeviceRef{EnrollmentID: "e-key"}); err != nil {
		t.Fatal(err)
	}
	if f.broker.Puts(runtime.EnrollmentType, "e-key") != puts || !f.broker.Message(t, runtime.EnrollmentType, "e-key", e) || e.GetApprovedBy() != "bob" {
		t.Errorf("approving an approved device wrote it again: %v", e)
	}
	entries := f.activity(t)
	if len(entries) != 1 || entries[0].EntityType != activity.EntityDevice || entries[0].ActivityType != db.ActivityUpdate ||
		!strings.Contains(entries[0].After, `"approvedBy": "u-root"`) || strings.Contains(entries[0].Before, "approvedBy") {
		t.Errorf("activity %+v", entries)
	}
}

func TestDeleteDevice(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.seedDevices(t)
	ctx := t.Context()
	root := f.root(t, "")
	if err := f.svc.DeleteDevice(ctx, root, runtime.DeviceRef{EnrollmentID: "e-mac"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ typ, id string }{{runtime.CredentialType, "c-mac"}, {runtime.EnrollmentType, "e-mac"}} {
		if f.broker.Record(r.typ, r.id) != nil || f.broker.Tombstone(r.typ, r.id) == nil || f.broker.Tombstone(r.typ, r.id).GetData().GetValue() == nil {
			t.Errorf("%s/%s is not a tombstone with its payload", r.typ, r.id)
		}
	}
	u := &userpb.User{}
	if !f.broker.Message(t, runtime.UserType, "bob", u) || !slices.Equal(u.GetDeviceCredentialIds(), []string{"c-other"}) || u.GetEmail() != "bob@example.com" {
		t.Errorf("bob after the delete: %v", u)
	}
	// A pending enrollment is cancelled by its id.
	if err := f.svc.DeleteDevice(ctx, root, runtime.DeviceRef{EnrollmentID: "e-cyd"}); err != nil {
		t.Fatal(err)
	}
	if f.broker.Record(runtime.EnrollmentType, "e-cyd") != nil {
		t.Error("the pending enrollment is still there")
	}
	wantErr(t, f.svc.DeleteDevice(ctx, root, runtime.DeviceRef{CredentialID: "c-mac"}), errs.ErrNotFound)
	entries := f.activity(t)
	if len(entries) != 2 || entries[0].ActivityType != db.ActivityDelete || entries[0].EntityID != "c-mac" || entries[1].EntityID != "e-cyd" {
		t.Errorf("activity %+v", entries)
	}
}

func TestDeviceTypes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := t.Context()
	root := f.root(t, "")
	list, err := f.svc.ListDeviceTypes(ctx, root, "")
	if err != nil || len(list) != 2 || list[0].Type.GetId() != "any" || list[1].Type.GetId() != "enclave_only" || !list[1].Builtin ||
		!list[1].Type.GetWebauthn().GetOptions().GetAuthenticatorSelection().GetRequireResidentKey() {
		t.Fatalf("built-ins %+v, %v", list, err)
	}
	created, err := f.svc.SetDeviceType(ctx, root, "", &devicepb.Type{Name: "Laptops"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := uuid.Parse(created.Type.GetId()); err != nil || created.Type.GetWebauthn().GetOptions() == nil {
		t.Fatalf("created %v: want a new id and the options of any", created.Type)
	}
	if _, err := f.svc.SetDeviceType(ctx, root, "", &devicepb.Type{Id: "any", Name: "Anything at all"}); err != nil {
		t.Fatal(err)
	}
	list, _ = f.svc.ListDeviceTypes(ctx, root, "")
	if len(list) != 3 || list[0].Type.GetName() != "Anything at all" || list[0].Builtin {
		t.Fatalf("after overriding any: %+v", list)
	}
	_, err = f.svc.SetDeviceType(ctx, root, "", &devicepb.Type{Id: "x/y", Name: strings.Repeat("n", 200)})
	if ve, ok := errs.AsValidation(err); !ok || len(ve.Fields) != 2 {
		t.Fatalf("bad type: %v", err)
	}
	if err := f.svc.DeleteDeviceType(ctx, root, "", "any"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.svc.DeleteDeviceType(ctx, root, "", "any"), errs.ErrConflict)
	wantErr(t, f.svc.DeleteDeviceType(ctx, root, "", "nope"), errs.ErrNotFound)
	viewer := f.as(t, "vic", "", apptest.Roles{apptest.Global: rbac.RoleViewer})
	_, err = f.svc.SetDeviceType(ctx, viewer, "", &devicepb.Type{Name: "X"})
	wantErr(t, err, errs.ErrForbidden)
	if n := len(f.activity(t)); n != 3 {
		t.Errorf("%d activity entries, want create, update and delete", n)
	}
}

// checkSignedURL verifies a WebAuthn link the way Core's
// urlutil.SignedURL.Validate does, independently of the code under test.
func checkSignedURL(t *testing.T, link string, key []byte) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	sig, err := base64.URLEncoding.DecodeString(q.Get("pomerium_signature"))
	if err != nil {
		t.Fatal(err)
	}
	q.Del("pomerium_signature")
	u.RawQuery = q.Encode()
	mac := hmac.New(sha512.New512_256, key)
	mac.Write([]byte(u.String() + q.Get("pomerium_issued") + " " + q.Get("pomerium_expiry")))
	if !hmac.Equal(mac.Sum(nil), sig) {
		t.Fatalf("the signature of %s does not verify", link)
	}
	return q
}

func TestCreateEnrollment(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.people(t)
	ctx := t.Context()
	root := f.root(t, "")
	link, err := f.svc.CreateEnrollment(ctx, root, runtime.EnrollmentInput{UserID: "ada", RouteURL: "https://app.example.com/some/page?x=1"})
	if err != nil {
		t.Fatal(err)
	}
	e := &devicepb.Enrollment{}
	if !f.broker.Message(t, runtime.EnrollmentType, link.Enrollment.GetId(), e) || e.GetTypeId() != "any" || e.GetUserId() != "ada" ||
		e.GetEnrolledAt() != nil || e.GetApprovedBy() != apptest.Root.UserID {
		t.Fatalf("stored enrollment %v", e)
	}
	key, err := databroker.DecodeSharedSecret(f.broker.SharedSecret())
	if err != nil {
		t.Fatal(err)
	}
	q := checkSignedURL(t, link.URL, key)
	if !strings.HasPrefix(link.URL, "https://app.example.com/.pomerium/webauthn?") || q.Get("pomerium_device_type") != "any" ||
		q.Get("pomerium_redirect_uri") != "https://app.example.com/.pomerium/device-enrolled" ||
		q.Get("pomerium_issued") != "1770091506" || q.Get("pomerium_expiry") != "1770091806" || !link.ExpiresAt.Equal(apptest.Now.Add(5*time.Minute)) {
		t.Errorf("link %s", link.URL)
	}
	// The token is Core's SecureToken: enrollment id, expiry, HMAC.
	raw, err := base58.Decode(q.Get("pomerium_enrollment_token"))
	if err != nil {
		t.Fatalf("the enrollment token is not base58: %v", err)
	}
	if len(raw) != 56 || uuid.UUID(raw[:16]).String() != e.GetId() ||
		time.UnixMilli(int64(binary.BigEndian.Uint64(raw[16:24]))).Sub(apptest.Now) != runtime.EnrollmentTokenLifetime {
		t.Fatalf("token bytes %x", raw)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(raw[:24])
	if !hmac.Equal(mac.Sum(nil), raw[24:]) {
		t.Fatal("the token's HMAC does not verify with the shared secret")
	}
	entries := f.activity(t)
	if len(entries) != 1 || entries[0].EntityType != activity.EntityDevice || strings.Contains(entries[0].After, "pomerium_") {
		t.Errorf("activity %+v", entries)
	}

	again, err := f.svc.NewEnrollmentLink(ctx, root, "", e.GetId(), "https://app.example.com", "https://app.example.com/done")
	if err != nil || checkSignedURL(t, again.URL, key).Get("pomerium_redirect_uri") != "https://app.example.com/done" {
		t.Fatalf("new link %v, %v", again, err)
	}

	_, err = f.svc.CreateEnrollment(ctx, root, runtime.EnrollmentInput{RouteURL: "app.example.com", TypeID: "nope"})
	if ve, ok := errs.AsValidation(err); !ok || ve.Fields["user_id"].Code != errs.CodeRequired || ve.Fields["route_url"].Code != errs.CodeInvalid {
		t.Fatalf("bad input: %v", err)
	}
	_, err = f.svc.CreateEnrollment(ctx, root, runtime.EnrollmentInput{UserID: "ada", RouteURL: "https://a.example.com", TypeID: "nope"})
	wantField(t, err, "type_id", errs.CodeNotFound)
	viewer := f.as(t, "vic", "", apptest.Roles{apptest.Global: rbac.RoleViewer})
	_, err = f.svc.CreateEnrollment(ctx, viewer, runtime.EnrollmentInput{UserID: "ada", RouteURL: "https://a.example.com"})
	wantErr(t, err, errs.ErrForbidden)
	if n := len(f.broker.Records(runtime.EnrollmentType)); n != 1 {
		t.Errorf("%d enrollments after refusals", n)
	}
}
