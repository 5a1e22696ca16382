package regotest

import (
	"maps"
	"reflect"
	"time"
)

// Record types of Core's protos and of directory data (rego-contract §3.1).
const (
	TypeSession          = "type.googleapis.com/session.Session"
	TypeServiceAccount   = "type.googleapis.com/user.ServiceAccount"
	TypeUser             = "type.googleapis.com/user.User"
	TypeDirectoryUser    = "pomerium.io/DirectoryUser"
	TypeDeviceCredential = "type.googleapis.com/pomerium.device.Credential"
	TypeDeviceEnrollment = "type.googleapis.com/pomerium.device.Enrollment"
)

// The builders below shape data the way Go's encoding/json prints Core's
// protos: snake_case names, zero values left out, oneofs under their Go
// field names, timestamps as {seconds, nanos}.

// Session is a session.Session of user userID.
func Session(id, userID string) Record {
	return newRecord(TypeSession, id).With("user_id", userID)
}

// ServiceAccount is a user.ServiceAccount acting as user userID.
func ServiceAccount(id, userID string) Record {
	return newRecord(TypeServiceAccount, id).With("user_id", userID)
}

// User is a user.User as the identity provider described it.
func User(id, email string) Record {
	return newRecord(TypeUser, id).With("email", email)
}

// DirectoryUser is a directory user (a Struct record), keyed by user id.
func DirectoryUser(id, email string, groupIDs ...string) Record {
	return newRecord(TypeDirectoryUser, id).With("email", email).With("group_ids", groupIDs)
}

// DeviceCredential is a pomerium.device.Credential of an enrollment.
func DeviceCredential(id, enrollmentID string) Record {
	return newRecord(TypeDeviceCredential, id).With("enrollment_id", enrollmentID)
}

// DeviceEnrollment is a pomerium.device.Enrollment; approvedBy "" means
// not approved.
func DeviceEnrollment(id, approvedBy string) Record {
	return newRecord(TypeDeviceEnrollment, id).With("approved_by", approvedBy)
}

// Struct is an external-data record: a google.protobuf.Struct, which Core
// returns as the plain object.
func Struct(recordType, id string, fields map[string]any) Record {
	r := newRecord(recordType, id)
	maps.Copy(r.Data, fields)
	return r
}

func newRecord(recordType, id string) Record {
	return Record{Type: recordType, ID: id, Data: map[string]any{"id": id}}
}

// With returns a copy of r with field set, or removed when value is a zero
// value or empty, as encoding/json's omitempty would.
func (r Record) With(field string, value any) Record {
	r.Data = maps.Clone(r.Data)
	if r.Data == nil {
		r.Data = map[string]any{}
	}
	if omitted(value) {
		delete(r.Data, field)
	} else {
		r.Data[field] = value
	}
	return r
}

func omitted(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map:
		return rv.Len() == 0
	}
	return rv.IsZero()
}

// ExpiresAt sets expires_at; Core's builtin returns null for a session or
// service account past it.
func (r Record) ExpiresAt(t time.Time) Record {
	return r.With("expires_at", Timestamp(t))
}

// Impersonating makes a session act as another session.
func (r Record) Impersonating(sessionID string) Record {
	return r.With("impersonate_session_id", sessionID)
}

// WithClaims sets claims, a map of claim name to its values (Core keeps
// every claim as a list).
func (r Record) WithClaims(claims map[string]any) Record {
	return r.With("claims", claims)
}

// WithDevice adds a device credential reference of type typeID to a
// session, in Core's oneof spelling {"type_id", "Credential": {"Id"}}.
func (r Record) WithDevice(typeID, credentialID string) Record {
	refs, _ := r.Data["device_credentials"].([]any)
	ref := map[string]any{"Credential": map[string]any{"Id": credentialID}}
	if typeID != "" {
		ref["type_id"] = typeID
	}
	return r.With("device_credentials", append(refs[:len(refs):len(refs)], ref))
}

// WithIndex gives a Struct record the `$index` CIDR Core's storage looks
// IP keys up by.
func (r Record) WithIndex(cidr string) Record {
	return r.With("$index", map[string]any{"cidr": cidr})
}

// Timestamp is a google.protobuf.Timestamp as encoding/json prints it.
func Timestamp(t time.Time) map[string]any {
	ts := map[string]any{}
	if s := t.Unix(); s != 0 {
		ts["seconds"] = s
	}
	if n := t.Nanosecond(); n != 0 {
		ts["nanos"] = n
	}
	return ts
}
