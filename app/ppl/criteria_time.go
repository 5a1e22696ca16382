package ppl

import (
	"strings"
	"sync"
	"time"
	// Embeds the IANA database so zones validate (and the compiled
	// policy's zone is known good) on hosts without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Keys of the console-only time criteria.
var (
	dateKeys      = []string{"after", "before"}
	dayOfWeekKeys = []string{"days", "timezone"}
	timeOfDayKeys = []string{"timezone", "after", "before"}
)

// defaultZone is the zone of day_of_week when none is given.
const defaultZone = "UTC"

// dateLayouts are the accepted forms of a date bound; a plain date is
// midnight UTC.
var dateLayouts = []string{time.RFC3339, time.DateOnly}

// clockLayouts are the accepted forms of a time_of_day bound (the
// documented Enterprise list); input is upper-cased first so "pm" works.
var clockLayouts = []string{"3:04 PM", "3:04PM", "3 PM", "3PM", "15:04:05.999999999", "15:04:05", "15:04"}

// weekdays maps full and 3-letter English day names to their weekday.
var weekdays = func() map[string]time.Weekday {
	m := make(map[string]time.Weekday, 14)
	for d := time.Sunday; d <= time.Saturday; d++ {
		full := strings.ToLower(d.String())
		m[full], m[full[:3]] = d, d
	}
	return m
}()

// dayNames lists the 3-letter names for suggestions and messages.
var dayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func parseDate(c *checker, path string, v any) Data {
	obj, ok := c.object(path, v, "after and/or before")
	if !ok {
		return nil
	}
	var r DateRange
	for _, m := range obj {
		at := child(path, m.Key)
		switch m.Key {
		case "after":
			r.After = c.date(at, m.Val)
			ok = ok && r.After != nil
		case "before":
			r.Before = c.date(at, m.Val)
			ok = ok && r.Before != nil
		default:
			c.errorf(path, "%s", unknown("key", m.Key, dateKeys, true))
			ok = false
		}
	}
	if len(obj) == 0 {
		c.errorf(path, "expected after, before or both")
		return nil
	}
	if ok && r.After != nil && r.Before != nil && !r.After.Before(*r.Before) {
		c.errorf(path, "after (%s) must be earlier than before (%s)", r.After.Format(time.RFC3339), r.Before.Format(time.RFC3339))
		return nil
	}
	if !ok {
		return nil
	}
	return r
}

// date reads an RFC 3339 date-time or a plain date, in UTC.
func (c *checker) date(path string, v any) *time.Time {
	s, ok := v.(string)
	if !ok {
		c.errorf(path, "expected a date such as 2025-01-31 or 2025-01-31T09:00:00Z, got %s", describe(v))
		return nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	c.errorf(path, "%s is not a date; expected RFC 3339 (2025-01-31T09:00:00Z) or a plain date (2025-01-31)", quote(s))
	return nil
}

func parseDayOfWeek(c *checker, path string, v any) Data {
	d := DayOfWeek{Zone: defaultZone}
	switch t := v.(type) {
	case string:
		days, ok := c.days(path, t)
		if !ok {
			return nil
		}
		d.Days = days
		return d
	case object:
		ok, seenDays := true, false
		for _, m := range t {
			at := child(path, m.Key)
			switch m.Key {
			case "days":
				seenDays = true
				s, good := c.text(at, m.Val, "days such as mon-fri")
				if good {
					d.Days, good = c.days(at, s)
				}
				ok = ok && good
			case "timezone":
				zone, good := c.zone(at, m.Val)
				d.Zone, ok = zone, ok && good
			default:
				c.errorf(path, "%s", unknown("key", m.Key, dayOfWeekKeys, true))
				ok = false
			}
		}
		if !seenDays {
			c.errorf(path, "days is required, e.g. days: mon-fri")
			return nil
		}
		if !ok {
			return nil
		}
		return d
	default:
		c.errorf(path, "expected days such as mon-fri or an object with days and timezone, got %s", describe(v))
		return nil
	}
}

// days reads `*`, or a comma list of days and dash ranges; a range may
// wrap past the week's end (fri-mon).
func (c *checker) days(path, s string) ([7]bool, bool) {
	var set [7]bool
	ok := true
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "*" {
			set = [7]bool{true, true, true, true, true, true, true}
			continue
		}
		from, to, isRange := strings.Cut(part, "-")
		first, good := c.day(path, from)
		last := first
		if isRange {
			var goodTo bool
			last, goodTo = c.day(path, to)
			good = good && goodTo
		}
		if !good {
			ok = false
			continue
		}
		for d := first; ; d = (d + 1) % 7 {
			set[d] = true
			if d == last {
				break
			}
		}
	}
	return set, ok
}

// day reads one day name, case-insensitively.
func (c *checker) day(path, name string) (time.Weekday, bool) {
	name = strings.TrimSpace(name)
	if d, ok := weekdays[strings.ToLower(name)]; ok {
		return d, true
	}
	if name == "" {
		c.errorf(path, "a day is missing; expected names such as mon, tue or monday joined by , or -")
		return 0, false
	}
	if s := suggest(name, dayNames); s != "" {
		c.errorf(path, "%s is not a day; did you mean %q?", quote(name), s)
	} else {
		c.errorf(path, "%s is not a day; expected mon, tue, wed, thu, fri, sat, sun or the full name", quote(name))
	}
	return 0, false
}

// zone reads an IANA time zone name.
func (c *checker) zone(path string, v any) (string, bool) {
	name, ok := c.text(path, v, "an IANA time zone such as Europe/Paris")
	if !ok {
		return "", false
	}
	if !validZone(name) {
		c.errorf(path, "%s is not an IANA time zone such as Europe/Paris or UTC", quote(name))
		return "", false
	}
	return name, true
}

// knownZones caches the names validZone accepted. Loading a zone reads
// and parses its tz file, a fifth of a parse; only valid names are kept,
// so the cache is bounded by the tz database.
var knownZones sync.Map

// validZone reports whether name is an IANA zone. "Local" is refused: it
// is the server's zone, which would make the policy depend on where it runs.
func validZone(name string) bool {
	if _, ok := knownZones.Load(name); ok {
		return true
	}
	if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		return false
	}
	knownZones.Store(name, struct{}{})
	return true
}

func parseTimeOfDay(c *checker, path string, v any) Data {
	obj, ok := c.object(path, v, "timezone, after and/or before")
	if !ok {
		return nil
	}
	var r TimeOfDay
	for _, m := range obj {
		at := child(path, m.Key)
		switch m.Key {
		case "timezone":
			zone, good := c.zone(at, m.Val)
			r.Zone, ok = zone, ok && good
		case "after":
			r.After = c.clock(at, m.Val)
			ok = ok && r.After != nil
		case "before":
			r.Before = c.clock(at, m.Val)
			ok = ok && r.Before != nil
		default:
			c.errorf(path, "%s", unknown("key", m.Key, timeOfDayKeys, true))
			ok = false
		}
	}
	if _, seen := obj.get("timezone"); !seen {
		c.errorf(path, "timezone is required, e.g. timezone: Europe/Paris")
		ok = false
	}
	_, hasAfter := obj.get("after")
	_, hasBefore := obj.get("before")
	if !hasAfter && !hasBefore {
		c.errorf(path, "expected after, before or both")
		ok = false
	}
	if ok && r.After != nil && r.Before != nil && *r.After == *r.Before {
		c.errorf(path, "after and before are the same time, so the range is empty")
		ok = false
	}
	if !ok {
		return nil
	}
	return r
}

// clock reads a time of day as the duration since midnight.
func (c *checker) clock(path string, v any) *time.Duration {
	s, ok := v.(string)
	if !ok {
		c.errorf(path, "expected a time such as 9:00 AM or 17:30, got %s", describe(v))
		return nil
	}
	upper := strings.ToUpper(strings.TrimSpace(s))
	for _, layout := range clockLayouts {
		if t, err := time.Parse(layout, upper); err == nil {
			d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
				time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
			return &d
		}
	}
	c.errorf(path, "%s is not a time; expected a form such as 3:04 PM, 3PM, 15:04 or 15:04:05", quote(s))
	return nil
}
