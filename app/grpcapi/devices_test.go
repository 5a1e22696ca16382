package grpcapi_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// seedDevices stores ada's unapproved Windows laptop (c-win/e-win, of type
// "laptop"), and a pending enrollment for bob (e-bob) that root approved.
func (e *runtimeEnv) seedDevices(t *testing.T) {
	t.Helper()
	e.seedPeople(t)
	direct := devicepb.WebAuthnOptions_DIRECT
	e.broker.Seed(t,
		&devicepb.Type{Id: "laptop", Name: "Company laptop", Specifier: &devicepb.Type_Webauthn{Webauthn: &devicepb.Type_WebAuthn{
			Options: &devicepb.WebAuthnOptions{Attestation: &direct, PubKeyCredParams: []*devicepb.WebAuthnOptions_PublicKeyCredentialParameters{{Alg: -7}}},
		}}},
		&devicepb.Credential{Id: "c-win", TypeId: "laptop", EnrollmentId: "e-win", UserId: "ada",
			Specifier: &devicepb.Credential_Webauthn{Webauthn: &devicepb.Credential_WebAuthn{Id: []byte("cred"), PublicKey: []byte("pk")}}},
		&devicepb.Enrollment{Id: "e-win", TypeId: "laptop", CredentialId: "c-win", UserId: "ada", EnrolledAt: ago(time.Hour),
			UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", IpAddress: "192.0.2.7"},
		&devicepb.Enrollment{Id: "e-bob", TypeId: "any", UserId: "bob", ApprovedBy: "admin"},
		&userpb.User{Id: "ada", Name: "Ada Lovelace", Email: "ada@example.com", DeviceCredentialIds: []string{"c-win"}},
	)
}

func deviceKeys(list []*pb.ListDevicesResponse_Device) []string {
	var out []string
	for _, d := range list {
		out = append(out, d.GetCredential().GetId()+"/"+d.GetEnrollment().GetId())
	}
	return out
}

func TestListApproveAndDeleteDevices(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedDevices(t)
	admin := pb.NewDeviceServiceClient(e.admin(t, ""))
	viewer := pb.NewDeviceServiceClient(e.as(t, "vic", db.GlobalNamespaceID, "viewer"))
	ctx := t.Context()

	all, err := viewer.ListDevices(ctx, &pb.ListDevicesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := deviceKeys(all.GetDevices()); !slices.Equal(got, []string{"c-win/e-win", "/e-bob"}) {
		t.Fatalf("devices = %v", got)
	}
	win := all.GetDevices()[0]
	if win.GetKind() != pb.DeviceKind_WINDOWS || win.GetUserName() != "Ada Lovelace" || win.GetApprovedByUserName() != "" {
		t.Errorf("device = %v", win)
	}
	if c := win.GetCredential(); c.GetUserId() != "ada" || c.GetDeviceTypeId() != "laptop" || c.GetDeviceEnrollmentId() != "e-win" ||
		string(c.GetWebauthn().GetPublicKey()) != "pk" || c.GetClusterId() != db.DefaultClusterID {
		t.Errorf("credential = %v", c)
	}
	if en := win.GetEnrollment(); en.GetUserAgent() == "" || en.GetIpAddress() != "192.0.2.7" || en.GetEnrolledAt() == nil ||
		en.GetDeviceCredentialId() != "c-win" || en.GetApprovedByUserId() != "" {
		t.Errorf("enrollment = %v", en)
	}
	if typ := win.GetType(); typ.GetId() != "laptop" || typ.GetName() != "Company laptop" ||
		typ.GetWebauthn().GetOptions().GetAttestation() != pb.WebAuthnOptions_DIRECT ||
		len(typ.GetWebauthn().GetOptions().GetPubKeyCredParams()) != 1 {
		t.Errorf("type = %v", typ)
	}
	if bob := all.GetDevices()[1]; bob.GetApprovedByUserName() == "" || bob.GetType().GetId() != "any" {
		t.Errorf("pending enrollment = %v", bob)
	}
	byType, err := viewer.ListDevices(ctx, &pb.ListDevicesRequest{TypeId: new("laptop")})
	if err != nil || !slices.Equal(deviceKeys(byType.GetDevices()), []string{"c-win/e-win"}) {
		t.Fatalf("by type = %v, %v", byType, err)
	}
	byUser, err := viewer.ListDevices(ctx, &pb.ListDevicesRequest{UserId: new("bob")})
	if err != nil || !slices.Equal(deviceKeys(byUser.GetDevices()), []string{"/e-bob"}) {
		t.Fatalf("by user = %v, %v", byUser, err)
	}

	// A viewer may not approve; nothing changes.
	approveWin := &pb.ApproveDeviceRequest{Id: &pb.ApproveDeviceRequest_CredentialId{CredentialId: "c-win"}}
	_, err = viewer.ApproveDevice(ctx, approveWin)
	expectCode(t, err, codes.PermissionDenied)
	enr := &devicepb.Enrollment{}
	if !e.broker.Message(t, runtime.EnrollmentType, "e-win", enr) || enr.GetApprovedBy() != "" {
		t.Fatalf("a refused approval changed %v", enr)
	}
	if _, err := admin.ApproveDevice(ctx, approveWin); err != nil {
		t.Fatal(err)
	}
	if !e.broker.Message(t, runtime.EnrollmentType, "e-win", enr) || enr.GetApprovedBy() != "admin" {
		t.Fatalf("enrollment after approval = %v", enr)
	}
	approved, err := viewer.ListDevices(ctx, &pb.ListDevicesRequest{ApprovedBy: new("admin")})
	if err != nil || len(approved.GetDevices()) != 2 {
		t.Fatalf("approved by admin = %v, %v", approved, err)
	}
	_, err = admin.ApproveDevice(ctx, &pb.ApproveDeviceRequest{Id: &pb.ApproveDeviceRequest_EnrollmentId{EnrollmentId: "e-none"}})
	expectCode(t, err, codes.NotFound, "e-none")
	_, err = admin.ApproveDevice(ctx, &pb.ApproveDeviceRequest{})
	expectCode(t, err, codes.InvalidArgument, "id")

	if _, err := admin.DeleteDevice(ctx, &pb.DeleteDeviceRequest{Id: &pb.DeleteDeviceRequest_CredentialId{CredentialId: "c-win"}}); err != nil {
		t.Fatal(err)
	}
	for _, rec := range [][2]string{{runtime.CredentialType, "c-win"}, {runtime.EnrollmentType, "e-win"}} {
		if tomb := e.broker.Tombstone(rec[0], rec[1]); tomb == nil {
			t.Errorf("%s was not deleted", rec[1])
		}
	}
	u := &userpb.User{}
	if !e.broker.Message(t, runtime.UserType, "ada", u) || len(u.GetDeviceCredentialIds()) != 0 {
		t.Errorf("the owner still lists the credential: %v", u)
	}
	if _, err := admin.DeleteDevice(ctx, &pb.DeleteDeviceRequest{Id: &pb.DeleteDeviceRequest_EnrollmentId{EnrollmentId: "e-bob"}}); err != nil {
		t.Fatal(err)
	}
	left, err := admin.ListDevices(ctx, &pb.ListDevicesRequest{})
	if err != nil || len(left.GetDevices()) != 0 {
		t.Fatalf("after deleting = %v, %v", left, err)
	}
	if log := e.activity(t, "device"); len(log) != 3 || log[0].ActivityType != db.ActivityDelete || log[2].ActivityType != db.ActivityUpdate {
		t.Fatalf("activity = %+v", log)
	}
}

func TestDeviceTypes(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedDevices(t)
	admin := pb.NewDeviceServiceClient(e.admin(t, ""))
	ctx := t.Context()

	typeIDs := func() []string {
		t.Helper()
		list, err := admin.ListDeviceTypes(ctx, &pb.ListDeviceTypesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, typ := range list.GetTypes() {
			out = append(out, typ.GetId())
		}
		return out
	}
	if got := typeIDs(); !slices.Equal(got, []string{"any", "laptop", "enclave_only"}) {
		t.Fatalf("types = %v", got)
	}

	indirect := pb.WebAuthnOptions_INDIRECT
	required := pb.WebAuthnOptions_USER_VERIFICATION_REQUIRED
	saved, err := admin.SetDeviceType(ctx, &pb.SetDeviceTypeRequest{Type: &pb.DeviceType{
		Name: "Phones", Specifier: &pb.DeviceType_Webauthn{Webauthn: &pb.DeviceType_WebAuthn{Options: &pb.WebAuthnOptions{
			Attestation:            &indirect,
			AuthenticatorSelection: &pb.WebAuthnOptions_AuthenticatorSelectionCriteria{UserVerification: &required},
			PubKeyCredParams:       []*pb.WebAuthnOptions_PublicKeyCredentialParameters{{Alg: -257}},
		}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	id := saved.GetType().GetId()
	stored := &devicepb.Type{}
	if id == "" || !e.broker.Message(t, runtime.DeviceTypeType, id, stored) || stored.GetName() != "Phones" {
		t.Fatalf("stored type = %v (id %q)", stored, id)
	}
	opts := stored.GetWebauthn().GetOptions()
	if opts.GetAttestation() != devicepb.WebAuthnOptions_INDIRECT ||
		opts.GetAuthenticatorSelection().GetUserVerification() != devicepb.WebAuthnOptions_USER_VERIFICATION_REQUIRED ||
		len(opts.GetPubKeyCredParams()) != 1 || opts.GetPubKeyCredParams()[0].GetAlg() != -257 {
		t.Fatalf("stored options = %v", opts)
	}
	if saved.GetType().GetWebauthn().GetOptions().GetAttestation() != pb.WebAuthnOptions_INDIRECT {
		t.Errorf("answered type = %v", saved.GetType())
	}
	if got := typeIDs(); !slices.Equal(got, []string{"any", "laptop", id, "enclave_only"}) {
		t.Fatalf("types after adding = %v", got)
	}

	// Replacing by id renames; a type without options gets those of "any".
	renamed, err := admin.SetDeviceType(ctx, &pb.SetDeviceTypeRequest{Type: &pb.DeviceType{Id: id, Name: "Mobile phones"}})
	if err != nil || renamed.GetType().GetName() != "Mobile phones" || renamed.GetType().GetWebauthn().GetOptions().GetAttestation() != pb.WebAuthnOptions_DIRECT {
		t.Fatalf("renamed = %v, %v", renamed, err)
	}

	bad := pb.WebAuthnOptions_AttestationConveyancePreference(9)
	badAttachment := pb.WebAuthnOptions_AuthenticatorAttachment(1)
	_, err = admin.SetDeviceType(ctx, &pb.SetDeviceTypeRequest{Type: &pb.DeviceType{
		Name: "Broken", Specifier: &pb.DeviceType_Webauthn{Webauthn: &pb.DeviceType_WebAuthn{Options: &pb.WebAuthnOptions{
			Attestation:            &bad,
			AuthenticatorSelection: &pb.WebAuthnOptions_AuthenticatorSelectionCriteria{AuthenticatorAttachment: &badAttachment},
			PubKeyCredParams:       []*pb.WebAuthnOptions_PublicKeyCredentialParameters{{Alg: -7, Type: 4}},
		}}},
	}})
	expectCode(t, err, codes.InvalidArgument, "type.webauthn.options.attestation", "DIRECT",
		"type.webauthn.options.authenticator_selection.authenticator_attachment", "type.webauthn.options.pub_key_cred_params[0].type")
	_, err = admin.SetDeviceType(ctx, &pb.SetDeviceTypeRequest{Type: &pb.DeviceType{Id: "bad/id", Name: strings.Repeat("n", 200)}})
	expectCode(t, err, codes.InvalidArgument, "type.id", "type.name")
	_, err = admin.SetDeviceType(ctx, &pb.SetDeviceTypeRequest{})
	expectCode(t, err, codes.InvalidArgument, "type")
	viewer := pb.NewDeviceServiceClient(e.as(t, "vic", db.GlobalNamespaceID, "viewer"))
	_, err = viewer.SetDeviceType(ctx, &pb.SetDeviceTypeRequest{Type: &pb.DeviceType{Name: "Sneaky"}})
	expectCode(t, err, codes.PermissionDenied)
	if got := typeIDs(); len(got) != 4 {
		t.Fatalf("refused calls changed the types: %v", got)
	}

	if _, err := admin.DeleteDeviceType(ctx, &pb.DeleteDeviceTypeRequest{TypeId: id}); err != nil {
		t.Fatal(err)
	}
	if got := typeIDs(); slices.Contains(got, id) {
		t.Fatalf("types after deleting = %v", got)
	}
	_, err = admin.DeleteDeviceType(ctx, &pb.DeleteDeviceTypeRequest{TypeId: id})
	expectCode(t, err, codes.NotFound, id)
	_, err = admin.DeleteDeviceType(ctx, &pb.DeleteDeviceTypeRequest{TypeId: "any"})
	expectCode(t, err, codes.FailedPrecondition, "built-in")
	_, err = admin.DeleteDeviceType(ctx, &pb.DeleteDeviceTypeRequest{})
	expectCode(t, err, codes.InvalidArgument, "type_id")
	if log := e.activity(t, "device_type"); len(log) != 3 {
		t.Fatalf("activity = %+v", log)
	}
}

func TestCreateDeviceEnrollment(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedDevices(t)
	admin := pb.NewDeviceServiceClient(e.admin(t, ""))
	ctx := t.Context()

	res, err := admin.CreateDeviceEnrollment(ctx, &pb.CreateDeviceEnrollmentRequest{
		Enrollment: &pb.DeviceEnrollment{UserId: "cyd", DeviceTypeId: "laptop"}, RouteUrl: "https://app.example.com/some/page",
	})
	if err != nil {
		t.Fatal(err)
	}
	en := res.GetEnrollment()
	if en.GetId() == "" || en.GetUserId() != "cyd" || en.GetDeviceTypeId() != "laptop" || en.GetApprovedByUserId() != "admin" ||
		en.GetClusterId() != db.DefaultClusterID {
		t.Fatalf("enrollment = %v", en)
	}
	stored := &devicepb.Enrollment{}
	if !e.broker.Message(t, runtime.EnrollmentType, en.GetId(), stored) || stored.GetUserId() != "cyd" || stored.GetEnrolledAt() != nil {
		t.Fatalf("stored enrollment = %v", stored)
	}
	link, err := url.Parse(res.GetEnrollmentUrl())
	if err != nil || link.Host != "app.example.com" || link.Path != "/.pomerium/webauthn" ||
		link.Query().Get("pomerium_device_type") != "laptop" || link.Query().Get("pomerium_signature") == "" ||
		link.Query().Get("pomerium_redirect_uri") != "https://app.example.com/.pomerium/device-enrolled" {
		t.Fatalf("enrollment_url = %q", res.GetEnrollmentUrl())
	}

	before := len(e.broker.Records(runtime.EnrollmentType))
	_, err = admin.CreateDeviceEnrollment(ctx, &pb.CreateDeviceEnrollmentRequest{
		Enrollment: &pb.DeviceEnrollment{DeviceTypeId: "nope"}, RouteUrl: "ftp://x", RedirectUrl: "not a url",
	})
	expectCode(t, err, codes.InvalidArgument, "enrollment.user_id", "route_url", "redirect_url")
	_, err = admin.CreateDeviceEnrollment(ctx, &pb.CreateDeviceEnrollmentRequest{
		Enrollment: &pb.DeviceEnrollment{UserId: "cyd", DeviceTypeId: "nope"}, RouteUrl: "https://app.example.com",
	})
	expectCode(t, err, codes.InvalidArgument, "enrollment.device_type_id", "nope")
	_, err = admin.CreateDeviceEnrollment(ctx, &pb.CreateDeviceEnrollmentRequest{RouteUrl: "https://app.example.com"})
	expectCode(t, err, codes.InvalidArgument, "enrollment")
	viewer := pb.NewDeviceServiceClient(e.as(t, "vic", db.GlobalNamespaceID, "viewer"))
	_, err = viewer.CreateDeviceEnrollment(ctx, &pb.CreateDeviceEnrollmentRequest{
		Enrollment: &pb.DeviceEnrollment{UserId: "cyd"}, RouteUrl: "https://app.example.com",
	})
	expectCode(t, err, codes.PermissionDenied)
	if after := len(e.broker.Records(runtime.EnrollmentType)); after != before {
		t.Fatalf("refused calls stored %d enrollments", after-before)
	}
}
