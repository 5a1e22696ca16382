package rego_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

// at parses an RFC 3339 time with optional fraction.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// timeCases evaluates criterion at each instant against an anonymous
// request: true expects pass(ok), false fail(no).
func timeCases(t *testing.T, criterion, ok, no string, instants []struct {
	at   string
	pass bool
}) {
	t.Helper()
	cases := make([]evalCase, len(instants))
	for i, in := range instants {
		want := fail(no)
		if in.pass {
			want = pass(ok)
		}
		cases[i] = evalCase{name: in.at, in: anonymous, now: at(t, in.at), allow: want}
	}
	criterionCases(t, criterion, cases)
}

type instant = struct {
	at   string
	pass bool
}

func TestDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		criterion string
		instants  []instant
	}{
		{`date: {after: "2026-05-11T09:00:00Z", before: "2026-05-12"}`, []instant{
			{"2026-05-11T08:59:59.999999999Z", false},
			{"2026-05-11T09:00:00Z", true}, // exactly at after
			{"2026-05-11T23:59:59.999999999Z", true},
			{"2026-05-12T00:00:00Z", false}, // exactly at before
		}},
		{`date: {after: "2026-05-11T09:00:00+02:00"}`, []instant{
			{"2026-05-11T06:59:59Z", false},
			{"2026-05-11T07:00:00Z", true},
			{"2099-01-01T00:00:00Z", true},
		}},
		{`date: {before: 2026-01-01}`, []instant{
			{"2025-12-31T23:59:59Z", true},
			{"2026-01-01T00:00:00Z", false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.criterion, func(t *testing.T) {
			t.Parallel()
			timeCases(t, tc.criterion, "date-ok", "date-unauthorized", tc.instants)
		})
	}
}

func TestDayOfWeek(t *testing.T) {
	t.Parallel()
	tests := []struct {
		criterion string
		instants  []instant
	}{
		// 2026-05-16 is a Saturday; New York is UTC-4 in May.
		{"day_of_week: {days: mon-fri, timezone: America/New_York}", []instant{
			{"2026-05-16T03:59:59Z", true},  // Friday 23:59:59 in New York
			{"2026-05-16T04:00:00Z", false}, // Saturday 00:00
			{"2026-05-11T03:59:59Z", false}, // Sunday 23:59:59
			{"2026-05-11T04:00:00Z", true},  // Monday 00:00
		}},
		{"day_of_week: {days: sat, timezone: Asia/Tokyo}", []instant{
			{"2026-05-15T14:59:59Z", false}, // Friday 23:59:59 in Tokyo
			{"2026-05-15T15:00:00Z", true},  // Saturday 00:00
		}},
		{`day_of_week: "sat,sun"`, []instant{ // UTC by default
			{"2026-05-15T23:59:59Z", false},
			{"2026-05-16T00:00:00Z", true},
			{"2026-05-17T23:59:59Z", true},
			{"2026-05-18T00:00:00Z", false},
		}},
		{"day_of_week: fri-mon", []instant{ // a range through the weekend
			{"2026-05-17T12:00:00Z", true},  // Sunday
			{"2026-05-12T12:00:00Z", false}, // Tuesday
		}},
	}
	for _, tc := range tests {
		t.Run(tc.criterion, func(t *testing.T) {
			t.Parallel()
			timeCases(t, tc.criterion, "day-of-week-ok", "day-of-week-unauthorized", tc.instants)
		})
	}
}

func TestTimeOfDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, criterion string
		instants        []instant
	}{
		{"New York spring forward", `time_of_day: {timezone: America/New_York, after: "9:00", before: "17:00"}`, []instant{
			// 2026-03-08: EST (UTC-5) until 02:00, EDT (UTC-4) after.
			{"2026-03-08T12:59:59.999999999Z", false}, // 08:59:59.999999999 EDT
			{"2026-03-08T13:00:00Z", true},            // 09:00 EDT, exactly at after
			{"2026-03-08T20:59:59Z", true},
			{"2026-03-08T21:00:00Z", false}, // 17:00 EDT, exactly at before
			{"2026-03-07T13:30:00Z", false}, // 08:30 EST the day before
		}},
		{"New York fall back", `time_of_day: {timezone: America/New_York, after: "9:00 AM", before: "5:00 PM"}`, []instant{
			{"2026-11-01T13:59:59Z", false}, // 08:59:59 EST
			{"2026-11-01T14:00:00Z", true},  // 09:00 EST
			{"2026-11-01T21:59:59Z", true},
			{"2026-11-01T22:00:00Z", false},
		}},
		{"New York repeated hour", `time_of_day: {timezone: America/New_York, after: "1:00", before: "2:00"}`, []instant{
			{"2026-11-01T05:30:00Z", true}, // 01:30 EDT
			{"2026-11-01T06:30:00Z", true}, // 01:30 EST, the second time
			{"2026-11-01T07:00:00Z", false},
		}},
		{"New York skipped hour", `time_of_day: {timezone: America/New_York, after: "2:00", before: "3:00"}`, []instant{
			{"2026-03-08T06:59:59Z", false}, // 01:59:59 EST
			{"2026-03-08T07:00:00Z", false}, // 03:00 EDT: 02:xx never happens
		}},
		{"Berlin spring forward", `time_of_day: {timezone: Europe/Berlin, after: "9:00", before: "17:00"}`, []instant{
			// 2026-03-29: CET (UTC+1) until 02:00, CEST (UTC+2) after.
			{"2026-03-29T06:59:59Z", false},
			{"2026-03-29T07:00:00Z", true},
			{"2026-03-29T15:00:00Z", false},
			{"2026-03-28T07:30:00Z", false}, // 08:30 CET the day before
		}},
		{"Berlin fall back", `time_of_day: {timezone: Europe/Berlin, after: "9:00", before: "17:00"}`, []instant{
			{"2026-10-25T07:59:59Z", false}, // 08:59:59 CET
			{"2026-10-25T08:00:00Z", true},
			{"2026-10-25T15:59:59Z", true},
			{"2026-10-25T16:00:00Z", false},
		}},
		{"wrapping midnight", `time_of_day: {timezone: Europe/Berlin, after: "22:00", before: "06:00"}`, []instant{
			{"2026-05-11T19:59:59Z", false},          // 21:59:59 CEST
			{"2026-05-11T20:00:00Z", true},           // 22:00, exactly at after
			{"2026-05-11T21:59:59Z", true},           // 23:59:59
			{"2026-05-11T22:00:00Z", true},           // 00:00
			{"2026-05-12T03:59:59.999999999Z", true}, // 05:59:59.999999999
			{"2026-05-12T04:00:00Z", false},          // 06:00, exactly at before
			{"2026-05-12T10:00:00Z", false},          // noon
		}},
		{"after only", `time_of_day: {timezone: UTC, after: "12:00"}`, []instant{
			{"2026-05-11T11:59:59Z", false},
			{"2026-05-11T12:00:00Z", true},
			{"2026-05-11T23:59:59.999999999Z", true},
			{"2026-05-12T00:00:00Z", false},
		}},
		{"before only", `time_of_day: {timezone: UTC, before: "12:00"}`, []instant{
			{"2026-05-11T00:00:00Z", true},
			{"2026-05-11T11:59:59Z", true},
			{"2026-05-11T12:00:00Z", false},
		}},
		{"sub-second bound", `time_of_day: {timezone: UTC, after: "09:00:00.5", before: "10:00"}`, []instant{
			{"2026-05-11T09:00:00.499999999Z", false},
			{"2026-05-11T09:00:00.5Z", true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			timeCases(t, tc.criterion, "time-of-day-ok", "time-of-day-unauthorized", tc.instants)
		})
	}
}

func TestRecord(t *testing.T) {
	t.Parallel()
	hr := func(id string, fields map[string]any) regotest.Record {
		return regotest.Struct("example.com/hr", id, fields)
	}
	eng := hr("u1", map[string]any{"department": "engineering", "address": map[string]any{"country": "US"}, "level": 5})
	t.Run("keyed by user id", func(t *testing.T) {
		t.Parallel()
		criterionCases(t, "record: {type: example.com/hr, field: department, is: engineering}", []evalCase{
			{name: "found", in: withS1, records: append(signedIn, eng), allow: pass("record-ok")},
			{name: "other value", in: withS1, records: append(signedIn, hr("u1", map[string]any{"department": "sales"})),
				allow: fail("record-unauthorized")},
			{name: "not found", in: withS1, records: signedIn, allow: fail("record-unauthorized")},
			{name: "other user's record", in: withS1, records: append(signedIn, hr("u2", map[string]any{"department": "engineering"})),
				allow: fail("record-unauthorized")},
			{name: "same id, other type", in: withS1,
				records: append(signedIn, regotest.Struct("example.com/crm", "u1", map[string]any{"department": "engineering"})),
				allow:   fail("record-unauthorized")},
			{name: "field missing", in: withS1, records: append(signedIn, hr("u1", map[string]any{"team": "engineering"})),
				allow: fail("record-unauthorized")},
			{name: "no session", in: anonymous, records: []regotest.Record{eng}, allow: fail("user-unauthenticated")},
		})
	})
	t.Run("nested field", func(t *testing.T) {
		t.Parallel()
		criterionCases(t, "record: {type: example.com/hr, field: address.country, in: [US, CA]}", []evalCase{
			{name: "found", in: withS1, records: append(signedIn, eng), allow: pass("record-ok")},
			{name: "parent is not an object", in: withS1, records: append(signedIn, hr("u1", map[string]any{"address": "US"})),
				allow: fail("record-unauthorized")},
		})
	})
	t.Run("negative operator needs the field", func(t *testing.T) {
		t.Parallel()
		criterionCases(t, "record: {type: example.com/hr, field: department, not: sales}", []evalCase{
			{name: "other value", in: withS1, records: append(signedIn, eng), allow: pass("record-ok")},
			{name: "field missing", in: withS1, records: append(signedIn, hr("u1", map[string]any{})), allow: fail("record-unauthorized")},
			{name: "no record", in: withS1, records: signedIn, allow: fail("record-unauthorized")},
		})
	})
	t.Run("number value", func(t *testing.T) {
		t.Parallel()
		criterionCases(t, "record: {type: example.com/hr, field: level, is: 5}", []evalCase{
			{name: "equal number", in: withS1, records: append(signedIn, eng), allow: pass("record-ok")},
		})
	})
	t.Run("keyed by email", func(t *testing.T) {
		t.Parallel()
		opts := rego.Options{RecordKey: func(string) string { return rego.ForeignKeyUserEmail }}
		criterionCases(t, "record: {type: example.com/hr, field: department, is: engineering}", []evalCase{
			{name: "found", in: withS1, records: append(signedIn, hr("alice@example.com", map[string]any{"department": "engineering"})),
				allow: pass("record-ok")},
			{name: "keyed by id instead", in: withS1, records: append(signedIn, eng), allow: fail("record-unauthorized")},
		}, opts)
	})
	t.Run("keyed by request IP", func(t *testing.T) {
		t.Parallel()
		opts := rego.Options{RecordKey: func(recordType string) string {
			if recordType == "pomerium.io/GeoIP" {
				return rego.ForeignKeyRequestIP
			}
			return ""
		}}
		geo := func(id, cidr, country string) regotest.Record {
			r := regotest.Struct("pomerium.io/GeoIP", id, map[string]any{"country": country})
			if cidr != "" {
				r = r.WithIndex(cidr)
			}
			return r
		}
		records := []regotest.Record{geo("r1", "198.51.100.0/24", "US"), geo("r2", "2001:db8::/32", "DE"), geo("203.0.113.9", "", "US")}
		ip := func(s string) rego.Input { return regotest.NewInput(regotest.WithIP(s)) }
		// A plain rule: no session needed, so no login redirect.
		criterionCases(t, "record: {type: pomerium.io/GeoIP, field: country, is: US}", []evalCase{
			{name: "in indexed range", in: ip("198.51.100.7"), records: records, allow: pass("record-ok")},
			{name: "range of another country", in: ip("2001:db8::1"), records: records, allow: fail("record-unauthorized")},
			{name: "exact id", in: ip("203.0.113.9"), records: records, allow: pass("record-ok")},
			{name: "unknown address", in: ip("192.0.2.200"), records: records, allow: fail("record-unauthorized")},
		}, opts)
	})
}
