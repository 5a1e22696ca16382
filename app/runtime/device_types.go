package runtime

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// DeviceType is a device type of a cluster: a pomerium.device.Type record,
// or one of Core's built-in types when no record has its id.
type DeviceType struct {
	Type *devicepb.Type
	// Builtin is true for Core's own "any" and "enclave_only" while no
	// record overrides them.
	Builtin bool
	// ModifiedAt is when the record was last written (zero for built-ins).
	ModifiedAt time.Time
}

// Ids of Core's built-in device types.
const (
	DeviceTypeAny         = "any"
	DeviceTypeEnclaveOnly = "enclave_only"
)

// COSE algorithms Core's built-in types accept: ES256, RS256, RS1.
var builtinAlgorithms = []int64{-7, -257, -65535}

// builtinTypes are Core's predefined device types (webauthnutil
// predefinedDeviceTypes), used when no Type record has their id.
func builtinTypes() []*devicepb.Type {
	params := func() []*devicepb.WebAuthnOptions_PublicKeyCredentialParameters {
		var out []*devicepb.WebAuthnOptions_PublicKeyCredentialParameters
		for _, alg := range builtinAlgorithms {
			out = append(out, &devicepb.WebAuthnOptions_PublicKeyCredentialParameters{Alg: alg, Type: devicepb.WebAuthnOptions_PUBLIC_KEY})
		}
		return out
	}
	direct := devicepb.WebAuthnOptions_DIRECT
	preferred := devicepb.WebAuthnOptions_USER_VERIFICATION_PREFERRED
	platform := devicepb.WebAuthnOptions_PLATFORM
	resident := true
	return []*devicepb.Type{
		{Id: DeviceTypeAny, Name: "Any", Specifier: &devicepb.Type_Webauthn{Webauthn: &devicepb.Type_WebAuthn{Options: &devicepb.WebAuthnOptions{
			Attestation:            &direct,
			AuthenticatorSelection: &devicepb.WebAuthnOptions_AuthenticatorSelectionCriteria{UserVerification: &preferred},
			PubKeyCredParams:       params(),
		}}}},
		{Id: DeviceTypeEnclaveOnly, Name: "Secure Enclave Only", Specifier: &devicepb.Type_Webauthn{Webauthn: &devicepb.Type_WebAuthn{Options: &devicepb.WebAuthnOptions{
			Attestation: &direct,
			AuthenticatorSelection: &devicepb.WebAuthnOptions_AuthenticatorSelectionCriteria{
				AuthenticatorAttachment: &platform, RequireResidentKey: &resident, UserVerification: &preferred,
			},
			PubKeyCredParams: params(),
		}}}},
	}
}

// deviceTypes reads the Type records and adds the built-ins they leave
// out, ordered by name.
func (s *Service) deviceTypes(ctx context.Context, t target) ([]DeviceType, error) {
	records, err := loadAll(ctx, t.client, DeviceTypeType, "", newDeviceType)
	if err != nil {
		return nil, err
	}
	out := make([]DeviceType, 0, len(records)+2)
	for _, r := range records {
		out = append(out, DeviceType{Type: r.msg, ModifiedAt: r.rec.GetModifiedAt().AsTime()})
	}
	for _, b := range builtinTypes() {
		if !slices.ContainsFunc(out, func(d DeviceType) bool { return d.Type.GetId() == b.GetId() }) {
			out = append(out, DeviceType{Type: b, Builtin: true})
		}
	}
	slices.SortFunc(out, func(a, b DeviceType) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Type.GetName()), strings.ToLower(b.Type.GetName())), cmp.Compare(a.Type.GetId(), b.Type.GetId()))
	})
	return out, nil
}

// lookupType finds id among types; like Core, an unknown id stands for a
// copy of "any" under that id.
func lookupType(types []DeviceType, id string) DeviceType {
	id = cmp.Or(id, DeviceTypeAny)
	if i := slices.IndexFunc(types, func(d DeviceType) bool { return d.Type.GetId() == id }); i >= 0 {
		return types[i]
	}
	anyType := proto.CloneOf(builtinTypes()[0])
	anyType.Id = id
	return DeviceType{Type: anyType, Builtin: true}
}

// ListDeviceTypes lists the cluster's device types, Core's built-ins
// included, for a viewer of its namespace.
func (s *Service) ListDeviceTypes(ctx context.Context, acc *rbac.Access, clusterID string) ([]DeviceType, error) {
	t, err := s.open(ctx, acc, clusterID, rbac.RoleViewer)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	return s.deviceTypes(ctx, t)
}

// Limits of device type fields.
const (
	MaxDeviceTypeIDLength   = 128
	MaxDeviceTypeNameLength = 128
)

// SetDeviceType creates or replaces a device type record; an empty id
// gets a new one, and a type without WebAuthn options gets those of "any".
// It needs the admin role on the cluster's namespace.
func (s *Service) SetDeviceType(ctx context.Context, acc *rbac.Access, clusterID string, in *devicepb.Type) (DeviceType, error) {
	typ := proto.CloneOf(in)
	if typ == nil {
		typ = &devicepb.Type{}
	}
	if typ.GetId() == "" {
		typ.Id = uuid.NewString()
	}
	var v errs.Validator
	switch {
	case utf8.RuneCountInString(typ.GetId()) > MaxDeviceTypeIDLength:
		v.Add("id", errs.CodeTooLong, "must be at most %d characters", MaxDeviceTypeIDLength)
	case strings.TrimSpace(typ.GetId()) != typ.GetId() || strings.ContainsAny(typ.GetId(), "/\x00"):
		v.Add("id", errs.CodeInvalid, "must not contain slashes or start or end with spaces")
	}
	v.Name("name", typ.GetName(), MaxDeviceTypeNameLength)
	if err := v.Err(); err != nil {
		return DeviceType{}, err
	}
	if typ.GetWebauthn().GetOptions() == nil {
		typ.Specifier = proto.CloneOf(builtinTypes()[0]).GetSpecifier()
	}
	t, err := s.open(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return DeviceType{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	old, existed, err := getOne(ctx, t.client, DeviceTypeType, typ.GetId(), newDeviceType)
	if err != nil {
		return DeviceType{}, err
	}
	rec, err := t.client.PutMessage(ctx, typ.GetId(), typ)
	if err != nil {
		return DeviceType{}, brokerError("save device type", err)
	}
	change := activity.Change{
		Type: db.ActivityCreate, EntityType: activity.EntityDeviceType, EntityID: typ.GetId(), EntityName: typ.GetName(),
		After: typeSnapshotOf(typ),
	}
	if existed {
		change.Type, change.Before = db.ActivityUpdate, typeSnapshotOf(old.msg)
	}
	if err := s.logChange(ctx, acc, t.cluster, change); err != nil {
		return DeviceType{}, err
	}
	return DeviceType{Type: typ, ModifiedAt: rec.GetModifiedAt().AsTime()}, nil
}

// DeleteDeviceType removes a device type record (a built-in id then
// reverts to Core's built-in). It needs the admin role on the cluster's
// namespace.
func (s *Service) DeleteDeviceType(ctx context.Context, acc *rbac.Access, clusterID, id string) error {
	if id == "" {
		return errs.Field("type_id", errs.CodeRequired, "enter the id of the device type")
	}
	t, err := s.open(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	rec, err := t.client.Tombstone(ctx, DeviceTypeType, id)
	switch {
	case errors.Is(err, databroker.ErrNotFound):
		if id == DeviceTypeAny || id == DeviceTypeEnclaveOnly {
			return errs.Conflict("%q is one of Pomerium's built-in device types and cannot be deleted", id)
		}
		return errs.NotFound("device type %s does not exist in cluster %q", id, t.cluster.Name)
	case err != nil:
		return brokerError("delete device type", err)
	}
	old, _ := decode(rec, newDeviceType)
	return s.logChange(ctx, acc, t.cluster, activity.Change{
		Type: db.ActivityDelete, EntityType: activity.EntityDeviceType, EntityID: id, EntityName: old.GetName(), Before: typeSnapshotOf(old),
	})
}

// typeSnapshot is a device type as the activity log stores it.
type typeSnapshot struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	WebAuthn json.RawMessage `json:"webauthn,omitempty"`
}

func typeSnapshotOf(t *devicepb.Type) typeSnapshot {
	snap := typeSnapshot{ID: t.GetId(), Name: t.GetName()}
	if o := t.GetWebauthn().GetOptions(); o != nil {
		if b, err := protojson.Marshal(o); err == nil {
			snap.WebAuthn = b
		}
	}
	return snap
}
