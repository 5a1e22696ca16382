package runtime

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Device is one enrolled device (a credential and its enrollment) or an
// enrollment still waiting for its device (no credential yet).
type Device struct {
	Type DeviceType
	// Credential is nil for a pending enrollment.
	Credential *devicepb.Credential
	// Enrollment is nil when a credential's enrollment record is gone.
	Enrollment *devicepb.Enrollment
	Kind       Kind
	User       UserRef
	// ApprovedBy names the approver; empty when not approved.
	ApprovedBy UserRef
	// CredentialModifiedAt and EnrollmentModifiedAt are when the
	// databroker last wrote each record.
	CredentialModifiedAt time.Time
	EnrollmentModifiedAt time.Time
}

// ID is the credential id, or the enrollment id of a pending enrollment.
func (d Device) ID() string {
	if d.Credential != nil {
		return d.Credential.GetId()
	}
	return d.Enrollment.GetId()
}

// UserID is the device's owner.
func (d Device) UserID() string {
	if d.Credential != nil {
		return d.Credential.GetUserId()
	}
	return d.Enrollment.GetUserId()
}

// Pending reports an enrollment whose device has not registered yet.
func (d Device) Pending() bool { return d.Credential == nil }

// Approved reports whether the device passes `device: {approved: true}`.
func (d Device) Approved() bool { return d.Enrollment.GetApprovedBy() != "" }

// DeviceFilter selects devices of one cluster; empty fields match all.
type DeviceFilter struct {
	ClusterID  string
	TypeID     string
	UserID     string
	ApprovedBy string
}

// ListDevices lists the devices of the cluster, for a viewer of its
// namespace, ordered by user, then enrollment time (newest first).
func (s *Service) ListDevices(ctx context.Context, acc *rbac.Access, f DeviceFilter) ([]Device, error) {
	t, err := s.open(ctx, acc, f.ClusterID, rbac.RoleViewer)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	creds, err := loadAll(ctx, t.client, CredentialType, "", newCredential)
	if err != nil {
		return nil, err
	}
	enrollments, err := loadAll(ctx, t.client, EnrollmentType, "", newEnrollment)
	if err != nil {
		return nil, err
	}
	types, err := s.deviceTypes(ctx, t)
	if err != nil {
		return nil, err
	}
	dir, err := loadDirectory(ctx, t.client)
	if err != nil {
		return nil, err
	}
	byID := map[string]decoded[*devicepb.Enrollment]{}
	for _, e := range enrollments {
		byID[e.rec.GetId()] = e
	}
	var out []Device
	used := map[string]bool{}
	for _, c := range creds {
		d := Device{Credential: c.msg, CredentialModifiedAt: c.rec.GetModifiedAt().AsTime()}
		if e, ok := byID[c.msg.GetEnrollmentId()]; ok {
			d.Enrollment, d.EnrollmentModifiedAt = e.msg, e.rec.GetModifiedAt().AsTime()
			used[e.rec.GetId()] = true
		}
		out = append(out, d)
	}
	for _, e := range enrollments {
		if !used[e.rec.GetId()] && e.msg.GetCredentialId() == "" {
			out = append(out, Device{Enrollment: e.msg, EnrollmentModifiedAt: e.rec.GetModifiedAt().AsTime()})
		}
	}
	out = slices.DeleteFunc(out, func(d Device) bool {
		typeID := cmp.Or(d.Credential.GetTypeId(), d.Enrollment.GetTypeId())
		return (f.TypeID != "" && typeID != f.TypeID) || (f.UserID != "" && d.UserID() != f.UserID) ||
			(f.ApprovedBy != "" && d.Enrollment.GetApprovedBy() != f.ApprovedBy)
	})
	for i := range out {
		d := &out[i]
		d.Type = lookupType(types, cmp.Or(d.Credential.GetTypeId(), d.Enrollment.GetTypeId()))
		d.User = dir.ref(d.UserID())
		if by := d.Enrollment.GetApprovedBy(); by != "" {
			d.ApprovedBy = dir.ref(by)
		}
		d.Kind = kindOf(d.Credential, d.Enrollment.GetUserAgent())
	}
	slices.SortFunc(out, func(a, b Device) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(a.User.DisplayName()), strings.ToLower(b.User.DisplayName())),
			b.Enrollment.GetEnrolledAt().AsTime().Compare(a.Enrollment.GetEnrolledAt().AsTime()),
			cmp.Compare(a.ID(), b.ID()))
	})
	return out, nil
}

// DeviceRef names a device by its credential id or its enrollment id;
// exactly one is set.
type DeviceRef struct {
	ClusterID    string
	CredentialID string
	EnrollmentID string
}

// check reports a ref that names no device or two.
func (r DeviceRef) check() error {
	if (r.CredentialID == "") == (r.EnrollmentID == "") {
		return errs.Field("id", errs.CodeRequired, "give either a credential id or an enrollment id")
	}
	return nil
}

// resolve reads the credential (may be missing for a pending enrollment)
// and the enrollment (may be missing for an orphaned credential) of r.
func resolve(ctx context.Context, t target, r DeviceRef) (cred decoded[*devicepb.Credential], enr decoded[*devicepb.Enrollment], err error) {
	var hasCred, hasEnr bool
	if r.CredentialID != "" {
		if cred, hasCred, err = getOne(ctx, t.client, CredentialType, r.CredentialID, newCredential); err != nil {
			return cred, enr, err
		}
		if !hasCred {
			return cred, enr, errs.NotFound("device credential %s does not exist in cluster %q", r.CredentialID, t.cluster.Name)
		}
		if id := cred.msg.GetEnrollmentId(); id != "" {
			enr, _, err = getOne(ctx, t.client, EnrollmentType, id, newEnrollment)
		}
		return cred, enr, err
	}
	if enr, hasEnr, err = getOne(ctx, t.client, EnrollmentType, r.EnrollmentID, newEnrollment); err != nil {
		return cred, enr, err
	}
	if !hasEnr {
		return cred, enr, errs.NotFound("device enrollment %s does not exist in cluster %q", r.EnrollmentID, t.cluster.Name)
	}
	if id := enr.msg.GetCredentialId(); id != "" {
		cred, _, err = getOne(ctx, t.client, CredentialType, id, newCredential)
	}
	return cred, enr, err
}

// deviceSnapshot is a device as the activity log stores it.
type deviceSnapshot struct {
	CredentialID string `json:"credentialId,omitempty"`
	EnrollmentID string `json:"enrollmentId,omitempty"`
	TypeID       string `json:"typeId,omitempty"`
	UserID       string `json:"userId"`
	ApprovedBy   string `json:"approvedBy,omitempty"`
}

func deviceSnapshotOf(cred *devicepb.Credential, enr *devicepb.Enrollment) deviceSnapshot {
	return deviceSnapshot{
		CredentialID: cmp.Or(cred.GetId(), enr.GetCredentialId()), EnrollmentID: cmp.Or(enr.GetId(), cred.GetEnrollmentId()),
		TypeID: cmp.Or(cred.GetTypeId(), enr.GetTypeId()), UserID: cmp.Or(cred.GetUserId(), enr.GetUserId()), ApprovedBy: enr.GetApprovedBy(),
	}
}

// ApproveDevice sets the enrollment's approved_by to the caller, which is
// what `device: {approved: true}` checks. It needs the admin role on the
// cluster's namespace; approving an approved device changes nothing.
func (s *Service) ApproveDevice(ctx context.Context, acc *rbac.Access, r DeviceRef) error {
	if err := r.check(); err != nil {
		return err
	}
	t, err := s.open(ctx, acc, r.ClusterID, rbac.RoleAdmin)
	if err != nil {
		return err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	cred, enr, err := resolve(ctx, t, r)
	if err != nil {
		return err
	}
	if enr.msg == nil {
		return errs.Conflict("device %s has no enrollment record to approve; delete it and enroll it again", r.CredentialID)
	}
	if enr.msg.GetApprovedBy() != "" {
		return nil
	}
	before := deviceSnapshotOf(cred.msg, enr.msg)
	enr.msg.ApprovedBy = acc.Principal.UserID
	if _, err := t.client.PutMessage(ctx, enr.rec.GetId(), enr.msg); err != nil {
		return brokerError("approve device", err)
	}
	return s.logChange(ctx, acc, t.cluster, activity.Change{
		Type: db.ActivityUpdate, EntityType: activity.EntityDevice, EntityID: before.EnrollmentID, EntityName: before.UserID,
		Before: before, After: deviceSnapshotOf(cred.msg, enr.msg),
	})
}

// DeleteDevice removes a device the way Core's unregister does: the
// credential and its enrollment are tombstoned (payload kept) and the
// credential id leaves the owner's user.User. Deleting a pending
// enrollment cancels it. It needs the admin role on the cluster's namespace.
func (s *Service) DeleteDevice(ctx context.Context, acc *rbac.Access, r DeviceRef) error {
	if err := r.check(); err != nil {
		return err
	}
	t, err := s.open(ctx, acc, r.ClusterID, rbac.RoleAdmin)
	if err != nil {
		return err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	cred, enr, err := resolve(ctx, t, r)
	if err != nil {
		return err
	}
	before := deviceSnapshotOf(cred.msg, enr.msg)
	for _, rec := range []struct{ typ, id string }{{CredentialType, cred.rec.GetId()}, {EnrollmentType, enr.rec.GetId()}} {
		if rec.id == "" {
			continue
		}
		if _, err := t.client.Tombstone(ctx, rec.typ, rec.id); err != nil && !errors.Is(err, databroker.ErrNotFound) {
			return brokerError("delete device", err)
		}
	}
	if before.CredentialID != "" {
		if err := s.forgetCredential(ctx, t, before.UserID, before.CredentialID); err != nil {
			return err
		}
	}
	return s.logChange(ctx, acc, t.cluster, activity.Change{
		Type: db.ActivityDelete, EntityType: activity.EntityDevice, EntityID: cmp.Or(before.CredentialID, before.EnrollmentID),
		EntityName: before.UserID, Before: before,
	})
}

// forgetCredential removes credID from the user's device_credential_ids
// with a full Put of the user, as Core does.
func (s *Service) forgetCredential(ctx context.Context, t target, userID, credID string) error {
	u, ok, err := getOne(ctx, t.client, UserType, userID, newUser)
	if err != nil || !ok {
		return err
	}
	ids := u.msg.GetDeviceCredentialIds()
	kept := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == credID })
	if len(kept) == len(ids) {
		return nil
	}
	u.msg.DeviceCredentialIds = kept
	if _, err := t.client.PutMessage(ctx, userID, u.msg); err != nil {
		return brokerError("update the device's user", err)
	}
	return nil
}
