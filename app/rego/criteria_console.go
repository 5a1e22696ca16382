package rego

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// The console-only criteria. Core has no generator for them, so the
// console emits plain Rego built from standard OPA builtins; the time ones
// read time.now_ns(), which OPA fixes once per evaluation.

// minNanoYear and maxNanoYear bound dates to what fits in int64 nanoseconds, the unit of
// time.now_ns().
const minNanoYear, maxNanoYear = 1678, 2261

// date passes from After (inclusive) until Before (exclusive).
func date(_ *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.DateRange](c)
	if err != nil {
		return nil, err
	}
	if d.After == nil && d.Before == nil {
		return nil, errors.New("date needs after or before")
	}
	body := []string{"now := time.now_ns()"}
	for _, b := range []struct {
		t  *time.Time
		op string
	}{{d.After, ">="}, {d.Before, "<"}} {
		if b.t == nil {
			continue
		}
		if y := b.t.Year(); y < minNanoYear || y > maxNanoYear {
			return nil, fmt.Errorf("date %s is out of range", b.t.Format(time.RFC3339))
		}
		body = append(body, "now "+b.op+" "+strconv.FormatInt(b.t.UnixNano(), 10))
	}
	return plainRule("date-ok", "date-unauthorized", body...), nil
}

// dayOfWeek passes on the allowed weekdays of the current date in Zone.
func dayOfWeek(_ *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.DayOfWeek](c)
	if err != nil {
		return nil, err
	}
	zone, err := zoneName(d.Zone)
	if err != nil {
		return nil, err
	}
	var days []string
	for wd, ok := range d.Days {
		if ok {
			// OPA's time.weekday answers with Go's English day names.
			days = append(days, time.Weekday(wd).String())
		}
	}
	if len(days) == 0 {
		return nil, errors.New("day_of_week allows no day")
	}
	return plainRule("day-of-week-ok", "day-of-week-unauthorized",
		"day := time.weekday([time.now_ns(), "+lit(zone)+"])",
		"day in "+litList(days),
	), nil
}

// timeOfDay passes while the wall clock in Zone is within [After, Before),
// wrapping past midnight when Before < After. Wall-clock time makes a
// 09:00–17:00 window follow daylight saving time.
func timeOfDay(m *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.TimeOfDay](c)
	if err != nil {
		return nil, err
	}
	if d.After == nil && d.Before == nil {
		return nil, errors.New("time_of_day needs after or before")
	}
	zone, err := zoneName(d.Zone)
	if err != nil {
		return nil, err
	}
	after, before := time.Duration(0), 24*time.Hour
	for _, b := range []struct {
		src *time.Duration
		dst *time.Duration
	}{{d.After, &after}, {d.Before, &before}} {
		if b.src == nil {
			continue
		}
		if *b.src < 0 || *b.src > 24*time.Hour {
			return nil, fmt.Errorf("time of day %v is outside one day", *b.src)
		}
		*b.dst = *b.src
	}
	m.helpers.add("within_clock")
	return plainRule("time-of-day-ok", "time-of-day-unauthorized",
		"now := time.now_ns()",
		"clock := time.clock([now, "+lit(zone)+"])",
		// Nanoseconds since local midnight: zone offsets are whole seconds,
		// so the sub-second part is the same in every zone.
		"t := (((((clock[0] * 60) + clock[1]) * 60) + clock[2]) * 1000000000) + (now % 1000000000)",
		fmt.Sprintf("within_clock(t, %d, %d)", after.Nanoseconds(), before.Nanoseconds()),
	), nil
}

// zoneName defaults an empty zone to UTC and refuses one OPA could not load
// either, which would make the criterion fail at every request.
func zoneName(zone string) (string, error) {
	if zone == "" {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(zone); err != nil {
		return "", fmt.Errorf("unknown time zone %q", zone)
	}
	return zone, nil
}

// record matches a field of the external-data record that belongs to the
// request. Keyed by the user it is a session rule; keyed by the client IP
// it is a plain rule, found through the records' `$index` CIDR. A missing
// record or field fails, even for negative operators.
func record(m *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.Record](c)
	if err != nil {
		return nil, err
	}
	if d.Type == "" || d.Field == "" {
		return nil, errors.New("record needs a type and a field")
	}
	conds, err := stringConds("value", d.Matcher)
	if err != nil {
		return nil, err
	}
	key := ForeignKeyUserID
	if m.opts.RecordKey != nil {
		if k := m.opts.RecordKey(d.Type); k != "" {
			key = k
		}
	}
	var lookup []string
	needsSession := true
	switch key {
	case ForeignKeyUserID:
		m.helpers.add("session")
		lookup = []string{"key := session.user_id"}
	case ForeignKeyUserEmail:
		m.helpers.add("user_email")
		lookup = []string{"key := user_email"}
	case ForeignKeyRequestIP:
		lookup, needsSession = []string{"key := input.http.ip"}, false
	default:
		return nil, fmt.Errorf("record type %q: unsupported foreign key %q", d.Type, key)
	}
	m.helpers.add("object_get")
	body := append(lookup,
		"record := get_databroker_record("+lit(d.Type)+", key)",
		"value := object_get(record, "+lit(d.Field)+", null)",
		"value != null",
	)
	body = append(body, conds...)
	if needsSession {
		return m.sessionRule("record-ok", "record-unauthorized", body...), nil
	}
	return plainRule("record-ok", "record-unauthorized", body...), nil
}
