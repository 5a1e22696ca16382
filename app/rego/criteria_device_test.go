package rego_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"

	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

func TestDevice(t *testing.T) {
	t.Parallel()
	// withDevice is alice with credential c1 of type typ, enrolled as e1.
	withDevice := func(typ, approvedBy string) []regotest.Record {
		return []regotest.Record{
			aliceSession.WithDevice(typ, "c1"), alice,
			regotest.DeviceCredential("c1", "e1"),
			regotest.DeviceEnrollment("e1", approvedBy),
		}
	}
	credentialOnly := []regotest.Record{aliceSession.WithDevice("any", "c1"), alice, regotest.DeviceCredential("c1", "e1")}
	anyType := func(r func(...string) rego.Result, reasons ...string) rego.Result {
		return deviceData(r(reasons...), "any")
	}
	tests := []struct {
		name  string
		data  string
		cases []evalCase
	}{
		{"is", "{is: c1}", []evalCase{
			{name: "no session", in: anonymous, allow: anyType(fail, "user-unauthenticated")},
			{name: "no device reference", in: withS1, records: signedIn, allow: anyType(fail, "device-unauthenticated")},
			{name: "no credential record", in: withS1,
				records: []regotest.Record{aliceSession.WithDevice("any", "c1"), alice}, allow: anyType(fail, "device-unauthenticated")},
			{name: "is needs no enrollment", in: withS1, records: credentialOnly, allow: anyType(pass, "device-ok")},
			{name: "ok", in: withS1, records: withDevice("any", ""), allow: anyType(pass, "device-ok")},
			{name: "first credential of the type counts", in: withS1,
				records: append(withDevice("any", ""), aliceSession.WithDevice("any", "c1").WithDevice("any", "c2")),
				allow:   anyType(pass, "device-ok")},
			{name: "credential of another type", in: withS1, records: withDevice("enclave_only", ""),
				allow: anyType(fail, "device-unauthenticated")},
		}},
		{"wrong is", "{is: c2}", []evalCase{
			{name: "other device", in: withS1, records: withDevice("any", ""), allow: anyType(fail, "device-unauthorized")},
		}},
		{"approved", "{approved: true}", []evalCase{
			{name: "approved", in: withS1, records: withDevice("any", "admin"), allow: anyType(pass, "device-ok")},
			{name: "not approved", in: withS1, records: withDevice("any", ""), allow: anyType(fail, "device-unauthorized")},
			{name: "no device", in: withS1, records: signedIn, allow: anyType(fail, "device-unauthenticated")},
			{name: "no enrollment record", in: withS1, records: credentialOnly, allow: anyType(fail, "device-unauthenticated")},
		}},
		{"not approved", "{approved: false}", []evalCase{
			{name: "not approved", in: withS1, records: withDevice("any", ""), allow: anyType(pass, "device-ok")},
			{name: "approved", in: withS1, records: withDevice("any", "admin"), allow: anyType(fail, "device-unauthorized")},
		}},
		{"type", "{type: enclave_only}", []evalCase{
			{name: "enclave device", in: withS1, records: withDevice("enclave_only", ""),
				allow: deviceData(pass("device-ok"), "enclave_only")},
			{name: "device of type any", in: withS1, records: withDevice("any", ""),
				allow: deviceData(fail("device-unauthenticated"), "enclave_only")},
			{name: "no session", in: anonymous, allow: deviceData(fail("user-unauthenticated"), "enclave_only")},
		}},
		{"explicit type any needs a device", "{type: any}", []evalCase{
			{name: "device", in: withS1, records: withDevice("any", ""), allow: anyType(pass, "device-ok")},
			{name: "no device", in: withS1, records: signedIn, allow: anyType(fail, "device-unauthenticated")},
		}},
		// As in Core: with no condition the shared lookups are the whole
		// body, and they hold without a device (even without a session).
		{"empty", "{}", []evalCase{
			{name: "no device", in: withS1, records: signedIn, allow: anyType(pass, "device-ok")},
			{name: "no session", in: anonymous, allow: anyType(pass, "device-ok")},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			criterionCases(t, "device: "+tc.data, tc.cases)
		})
	}
}
