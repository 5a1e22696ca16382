package ppl

import (
	"testing"
	"time"
)

func days(ds ...time.Weekday) [7]bool {
	var set [7]bool
	for _, d := range ds {
		set[d] = true
	}
	return set
}

func clock(h, m, s int, ns time.Duration) *time.Duration {
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second + ns
	return &d
}

func TestDate(t *testing.T) {
	t.Parallel()
	const formats = "RFC 3339 (2025-01-31T09:00:00Z) or a plain date (2025-01-31)"
	runCritCases(t, []critCase{
		{name: "plain date is midnight UTC", src: "date: {after: 2025-01-01}", want: DateRange{After: utc("2025-01-01T00:00:00Z")}},
		{name: "offset converted to UTC", src: `date: {before: "2025-06-30T18:00:00+02:00"}`, want: DateRange{Before: utc("2025-06-30T16:00:00Z")}},
		{name: "fractional seconds", src: `date: {after: "2025-01-01T00:00:00.5Z"}`, want: DateRange{After: ptr(time.Date(2025, 1, 1, 0, 0, 0, 5e8, time.UTC))}},
		{name: "both", src: "date: {after: 2025-01-01, before: 2025-02-01}",
			want: DateRange{After: utc("2025-01-01T00:00:00Z"), Before: utc("2025-02-01T00:00:00Z")}},

		{name: "empty", src: "date: {}", errs: []string{"date: expected after, before or both"}},
		{name: "not an object", src: "date: 2025-01-01", errs: []string{`date: expected an object with after and/or before, got a string ("2025-01-01")`}},
		{name: "typo", src: "date: {afer: 2025-01-01}", errs: []string{`date: unknown key "afer"; did you mean "after"?`}},
		{name: "bad month", src: "date: {after: 2025-13-01}", errs: []string{`date.after: "2025-13-01" is not a date; expected ` + formats}},
		{name: "no zone", src: `date: {after: "2025-01-01T10:00:00"}`, errs: []string{`date.after: "2025-01-01T10:00:00" is not a date; expected ` + formats}},
		{name: "number", src: "date: {before: 2025}", errs: []string{"date.before: expected a date such as 2025-01-31 or 2025-01-31T09:00:00Z, got a number (2025)"}},
		{name: "after not before before", src: "date: {after: 2025-02-01, before: 2025-01-01}",
			errs: []string{"date: after (2025-02-01T00:00:00Z) must be earlier than before (2025-01-01T00:00:00Z)"}},
		{name: "equal bounds", src: "date: {after: 2025-01-01, before: 2025-01-01}",
			errs: []string{"date: after (2025-01-01T00:00:00Z) must be earlier than before (2025-01-01T00:00:00Z)"}},
		{name: "both bad", src: "date: {after: x, before: y}", errs: []string{
			`date.after: "x" is not a date; expected ` + formats,
			`date.before: "y" is not a date; expected ` + formats,
		}},
	})
}

func TestDayOfWeek(t *testing.T) {
	t.Parallel()
	const expectDays = "expected mon, tue, wed, thu, fri, sat, sun or the full name"
	weekdays := days(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
	runCritCases(t, []critCase{
		{name: "star", src: `day_of_week: "*"`, want: DayOfWeek{Zone: "UTC", Days: [7]bool{true, true, true, true, true, true, true}}},
		{name: "range", src: "day_of_week: mon-fri", want: DayOfWeek{Zone: "UTC", Days: weekdays}},
		{name: "full names, any case", src: "day_of_week: Monday-FRIDAY", want: DayOfWeek{Zone: "UTC", Days: weekdays}},
		{name: "list", src: "day_of_week: Mon,wed, FRI", want: DayOfWeek{Zone: "UTC", Days: days(time.Monday, time.Wednesday, time.Friday)}},
		{name: "wrapping range", src: "day_of_week: fri-mon", want: DayOfWeek{Zone: "UTC", Days: days(time.Friday, time.Saturday, time.Sunday, time.Monday)}},
		{name: "single day", src: "day_of_week: sunday", want: DayOfWeek{Zone: "UTC", Days: days(time.Sunday)}},
		{name: "one-day range", src: "day_of_week: tue-tue", want: DayOfWeek{Zone: "UTC", Days: days(time.Tuesday)}},
		{name: "list of ranges", src: "day_of_week: mon-tue, thu-fri", want: DayOfWeek{Zone: "UTC", Days: days(time.Monday, time.Tuesday, time.Thursday, time.Friday)}},
		{name: "object with zone", src: "day_of_week: {days: sat-sun, timezone: Europe/Paris}", want: DayOfWeek{Zone: "Europe/Paris", Days: days(time.Saturday, time.Sunday)}},
		{name: "object without zone", src: "day_of_week: {days: sat}", want: DayOfWeek{Zone: "UTC", Days: days(time.Saturday)}},

		{name: "typo", src: "day_of_week: fry", errs: []string{`day_of_week: "fry" is not a day; did you mean "fri"?`}},
		{name: "unknown", src: "day_of_week: weekend", errs: []string{`day_of_week: "weekend" is not a day; ` + expectDays}},
		{name: "empty", src: `day_of_week: ""`, errs: []string{"day_of_week: a day is missing; expected names such as mon, tue or monday joined by , or -"}},
		{name: "empty item", src: "day_of_week: mon,,tue", errs: []string{"day_of_week: a day is missing; expected names such as mon, tue or monday joined by , or -"}},
		{name: "open range", src: "day_of_week: mon-", errs: []string{"day_of_week: a day is missing; expected names such as mon, tue or monday joined by , or -"}},
		{name: "every bad day", src: "day_of_week: xx-fri, yy", errs: []string{
			`day_of_week: "xx" is not a day; ` + expectDays,
			`day_of_week: "yy" is not a day; ` + expectDays,
		}},
		{name: "number", src: "day_of_week: 1", errs: []string{"day_of_week: expected days such as mon-fri or an object with days and timezone, got a number (1)"}},
		{name: "object without days", src: "day_of_week: {timezone: UTC}", errs: []string{"day_of_week: days is required, e.g. days: mon-fri"}},
		{name: "object with bad days", src: "day_of_week: {days: funday}", errs: []string{`day_of_week.days: "funday" is not a day; ` + expectDays}},
		{name: "days not a string", src: "day_of_week: {days: [mon]}", errs: []string{"day_of_week.days: expected days such as mon-fri, got a list"}},
		{name: "bad zone", src: "day_of_week: {days: mon, timezone: Mars/Olympus}", errs: []string{`day_of_week.timezone: "Mars/Olympus" is not an IANA time zone such as Europe/Paris or UTC`}},
		{name: "Local zone", src: "day_of_week: {days: mon, timezone: Local}", errs: []string{`day_of_week.timezone: "Local" is not an IANA time zone such as Europe/Paris or UTC`}},
		{name: "unknown key", src: "day_of_week: {days: mon, zone: UTC}", errs: []string{`day_of_week: unknown key "zone"; expected one of days, timezone`}},
	})
}

func TestTimeOfDay(t *testing.T) {
	t.Parallel()
	const formats = "expected a form such as 3:04 PM, 3PM, 15:04 or 15:04:05"
	tod := func(after, before *time.Duration) TimeOfDay {
		return TimeOfDay{Zone: "Europe/Paris", After: after, Before: before}
	}
	runCritCases(t, []critCase{
		{name: "3:04 PM", src: `time_of_day: {timezone: Europe/Paris, after: "3:04 PM"}`, want: tod(clock(15, 4, 0, 0), nil)},
		{name: "3:04PM", src: "time_of_day: {timezone: Europe/Paris, after: 3:04PM}", want: tod(clock(15, 4, 0, 0), nil)},
		{name: "3 PM", src: "time_of_day: {timezone: Europe/Paris, before: 3 PM}", want: tod(nil, clock(15, 0, 0, 0))},
		{name: "3PM", src: "time_of_day: {timezone: Europe/Paris, before: 3PM}", want: tod(nil, clock(15, 0, 0, 0))},
		{name: "lower-case am", src: "time_of_day: {timezone: Europe/Paris, after: 9am}", want: tod(clock(9, 0, 0, 0), nil)},
		{name: "12 AM is midnight", src: "time_of_day: {timezone: Europe/Paris, after: 12AM}", want: tod(clock(0, 0, 0, 0), nil)},
		{name: "nanoseconds", src: `time_of_day: {timezone: Europe/Paris, after: "15:04:05.25"}`, want: tod(clock(15, 4, 5, 250*time.Millisecond), nil)},
		{name: "seconds", src: `time_of_day: {timezone: Europe/Paris, after: "15:04:05"}`, want: tod(clock(15, 4, 5, 0), nil)},
		{name: "24-hour", src: `time_of_day: {timezone: Europe/Paris, after: "08:30", before: "17:00"}`, want: tod(clock(8, 30, 0, 0), clock(17, 0, 0, 0))},
		{name: "wraps past midnight", src: `time_of_day: {timezone: Europe/Paris, after: "22:00", before: "06:00"}`, want: tod(clock(22, 0, 0, 0), clock(6, 0, 0, 0))},
		{name: "UTC", src: `time_of_day: {timezone: UTC, after: "9:00"}`, want: TimeOfDay{Zone: "UTC", After: clock(9, 0, 0, 0)}},

		{name: "no zone", src: `time_of_day: {after: "9:00"}`, errs: []string{"time_of_day: timezone is required, e.g. timezone: Europe/Paris"}},
		{name: "no bounds", src: "time_of_day: {timezone: UTC}", errs: []string{"time_of_day: expected after, before or both"}},
		{name: "bad hour", src: `time_of_day: {timezone: UTC, after: "25:00"}`, errs: []string{`time_of_day.after: "25:00" is not a time; ` + formats}},
		{name: "13 PM", src: "time_of_day: {timezone: UTC, after: 13PM}", errs: []string{`time_of_day.after: "13PM" is not a time; ` + formats}},
		{name: "number", src: "time_of_day: {timezone: UTC, before: 17}", errs: []string{"time_of_day.before: expected a time such as 9:00 AM or 17:30, got a number (17)"}},
		{name: "same bounds", src: `time_of_day: {timezone: UTC, after: "9:00", before: 9AM}`, errs: []string{"time_of_day: after and before are the same time, so the range is empty"}},
		{name: "bad zone", src: `time_of_day: {timezone: Paris, after: "9:00"}`, errs: []string{`time_of_day.timezone: "Paris" is not an IANA time zone such as Europe/Paris or UTC`}},
		{name: "zone not a string", src: `time_of_day: {timezone: 1, after: "9:00"}`, errs: []string{"time_of_day.timezone: expected an IANA time zone such as Europe/Paris, got a number (1)"}},
		{name: "unknown key", src: `time_of_day: {timezone: UTC, from: "9:00"}`, errs: []string{
			`time_of_day: unknown key "from"; expected one of timezone, after, before`,
			"time_of_day: expected after, before or both",
		}},
		{name: "not an object", src: "time_of_day: 9-5", errs: []string{`time_of_day: expected an object with timezone, after and/or before, got a string ("9-5")`}},
	})
}
