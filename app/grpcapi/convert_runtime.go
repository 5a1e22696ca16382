package grpcapi

import (
	"fmt"
	"maps"
	"math"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
)

// sessionMessage is a Core session as the API shows it: who, when and the
// IdP's claims, never its tokens.
func sessionMessage(x runtime.Session) *pb.PomeriumSession {
	r := x.Record
	out := &pb.PomeriumSession{
		Id:         r.GetId(),
		User:       &pb.PomeriumSession_User{Id: r.GetUserId(), Name: x.User.Name, Email: x.User.Email},
		Issuer:     x.Issuer(),
		AccessedAt: r.GetAccessedAt(),
		IssuedAt:   r.GetIssuedAt(),
		ExpiresAt:  r.GetExpiresAt(),
		Audience:   r.GetAudience(),
	}
	for _, g := range x.Groups {
		out.Groups = append(out.Groups, &pb.PomeriumSession_Group{Id: g.ID, Name: g.Name, Email: g.Email})
	}
	if len(r.GetClaims()) > 0 {
		out.Claims = make(map[string]*structpb.ListValue, len(r.GetClaims()))
		maps.Copy(out.Claims, r.GetClaims())
	}
	return out
}

// userInfoMessage is what the console knows about a user.
func userInfoMessage(u runtime.UserInfo) *pb.UserInfo {
	return &pb.UserInfo{
		Id: u.ID, Name: u.Name, Email: u.Email, Groups: u.Groups, NamespaceRoles: u.NamespaceRoles,
		IsImpersonated: u.IsImpersonated,
	}
}

// pageIn reads the offset and limit of a request whose zero limit means
// the service's default page.
func pageIn(offset, limit int64) (int, int, error) {
	var v errs.Validator
	if offset < 0 || offset > math.MaxInt32 {
		v.Add("offset", errs.CodeInvalid, "must be from 0 to %d (got %d)", math.MaxInt32, offset)
	}
	if limit < 0 || limit > runtime.MaxLimit {
		v.Add("limit", errs.CodeInvalid, "must be from 0 (the default page of %d) to %d (got %d)", runtime.DefaultLimit, runtime.MaxLimit, limit)
	}
	return int(offset), int(limit), v.Err()
}

// deviceMessage is one device of a cluster as ListDevices shows it.
func deviceMessage(d runtime.Device, clusterID string) *pb.ListDevicesResponse_Device {
	out := &pb.ListDevicesResponse_Device{
		Type: deviceTypeMessage(d.Type), Kind: pb.DeviceKind(d.Kind), UserName: d.User.DisplayName(),
	}
	if d.ApprovedBy.ID != "" {
		out.ApprovedByUserName = d.ApprovedBy.DisplayName()
	}
	if c := d.Credential; c != nil {
		out.Credential = &pb.DeviceCredential{
			Id: c.GetId(), ModifiedAt: timestampOrNil(d.CredentialModifiedAt), DeviceTypeId: c.GetTypeId(),
			DeviceEnrollmentId: c.GetEnrollmentId(), UserId: c.GetUserId(), ClusterId: new(clusterID),
		}
		if w := c.GetWebauthn(); w != nil {
			out.Credential.Specifier = &pb.DeviceCredential_Webauthn{Webauthn: &pb.DeviceCredential_WebAuthn{
				Id: w.GetId(), PublicKey: w.GetPublicKey(), RegisterOptions: w.GetRegisterOptions(),
				RegisterResponse: w.GetRegisterResponse(), AuthenticateResponse: w.GetAuthenticateResponse(),
			}}
		}
	}
	if e := d.Enrollment; e != nil {
		out.Enrollment = enrollmentMessage(e, clusterID)
		out.Enrollment.ModifiedAt = timestampOrNil(d.EnrollmentModifiedAt)
	}
	return out
}

// enrollmentMessage is a Core enrollment record in cluster clusterID.
func enrollmentMessage(e *devicepb.Enrollment, clusterID string) *pb.DeviceEnrollment {
	return &pb.DeviceEnrollment{
		Id: e.GetId(), DeviceTypeId: e.GetTypeId(), DeviceCredentialId: e.GetCredentialId(), UserId: e.GetUserId(),
		ApprovedByUserId: e.GetApprovedBy(), EnrolledAt: e.GetEnrolledAt(), UserAgent: e.GetUserAgent(),
		IpAddress: e.GetIpAddress(), ClusterId: new(clusterID),
	}
}

// deviceTypeMessage is a device type (a record or one of Core's built-ins).
func deviceTypeMessage(t runtime.DeviceType) *pb.DeviceType {
	out := &pb.DeviceType{Id: t.Type.GetId(), Name: t.Type.GetName(), ModifiedAt: timestampOrNil(t.ModifiedAt)}
	if o := t.Type.GetWebauthn().GetOptions(); o != nil {
		opts := &pb.WebAuthnOptions{}
		// Both messages are Core's WebAuthnOptions under two packages, with
		// the same field numbers and enum values: the wire form carries over.
		if b, err := proto.Marshal(o); err == nil && proto.Unmarshal(b, opts) == nil {
			out.Specifier = &pb.DeviceType_Webauthn{Webauthn: &pb.DeviceType_WebAuthn{Options: opts}}
		}
	}
	return out
}

// deviceTypeIn is the Core record of m, a SetDeviceType request's type
// (whose enum values strictInterceptor has checked).
func deviceTypeIn(m *pb.DeviceType) (*devicepb.Type, error) {
	out := &devicepb.Type{Id: m.GetId(), Name: m.GetName()}
	o := m.GetWebauthn().GetOptions()
	if o == nil {
		return out, nil
	}
	b, err := proto.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("grpcapi: device type options: %w", err)
	}
	opts := &devicepb.WebAuthnOptions{}
	if err := proto.Unmarshal(b, opts); err != nil {
		return nil, fmt.Errorf("grpcapi: device type options: %w", err)
	}
	out.Specifier = &devicepb.Type_Webauthn{Webauthn: &devicepb.Type_WebAuthn{Options: opts}}
	return out, nil
}

// timestampOrNil leaves a zero time unset. Unlike pbTime it keeps the full
// precision: these times are the databroker's, not the store's.
func timestampOrNil(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}
