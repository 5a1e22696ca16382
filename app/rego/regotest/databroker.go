package regotest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
)

// Record is one databroker record: its type, its id and its data as Core's
// get_databroker_record returns it (already JSON-shaped).
type Record struct {
	Type string
	ID   string
	Data map[string]any
}

// expiring are the record types whose proto has expires_at, which Core's
// builtin honours; a Struct record never expires that way.
var expiring = map[string]bool{
	"type.googleapis.com/session.Session":     true,
	"type.googleapis.com/user.ServiceAccount": true,
}

// Databroker answers get_databroker_record from a fixed set of records.
type Databroker struct {
	records []stored
}

type stored struct {
	Record
	// value is Data after an encoding/json round trip, as Core decodes it.
	value map[string]any
	// index is the record's `$index` CIDR, if any.
	index netip.Prefix
}

// NewDatabroker holds records; a later record with the same type and id
// replaces an earlier one, as a databroker Put would.
func NewDatabroker(records ...Record) (*Databroker, error) {
	db := &Databroker{}
	for _, r := range records {
		s := stored{Record: r}
		raw, err := json.Marshal(r.Data)
		if err != nil {
			return nil, fmt.Errorf("regotest: record %s/%s: %w", r.Type, r.ID, err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&s.value); err != nil {
			return nil, fmt.Errorf("regotest: record %s/%s: %w", r.Type, r.ID, err)
		}
		if idx, ok := s.value["$index"].(map[string]any); ok {
			if cidr, ok := idx["cidr"].(string); ok {
				if s.index, err = netip.ParsePrefix(cidr); err != nil {
					return nil, fmt.Errorf("regotest: record %s/%s: $index: %w", r.Type, r.ID, err)
				}
			}
		}
		db.put(s)
	}
	return db, nil
}

func (db *Databroker) put(s stored) {
	for i, old := range db.records {
		if old.Type == s.Type && old.ID == s.ID {
			db.records[i] = s
			return
		}
	}
	db.records = append(db.records, s)
}

// Get is Core's lookup at time now: the record of recordType whose id is
// key, else the first whose `$index` CIDR contains key (an IP or a
// prefix); nil when there is none or it has expired.
func (db *Databroker) Get(recordType, key string, now time.Time) map[string]any {
	s, ok := db.find(recordType, key)
	if !ok || expiring[recordType] && expired(s.value, now) {
		return nil
	}
	return s.value
}

func (db *Databroker) find(recordType, key string) (stored, bool) {
	for _, s := range db.records {
		if s.Type == recordType && s.ID == key {
			return s, true
		}
	}
	want, err := netip.ParsePrefix(key)
	if err != nil {
		addr, err := netip.ParseAddr(key)
		if err != nil {
			return stored{}, false
		}
		want = netip.PrefixFrom(addr, addr.BitLen())
	}
	for _, s := range db.records {
		if s.Type == recordType && s.index.IsValid() &&
			s.index.Bits() <= want.Bits() && s.index.Contains(want.Addr()) {
			return s, true
		}
	}
	return stored{}, false
}

// expired reports an expires_at ({seconds, nanos}, zero fields omitted)
// before now. A record without one does not expire.
func expired(v map[string]any, now time.Time) bool {
	ts, ok := v["expires_at"].(map[string]any)
	if !ok {
		return false
	}
	return timestampOf(ts).Before(now)
}

func timestampOf(ts map[string]any) time.Time {
	part := func(name string) int64 {
		n, _ := ts[name].(json.Number)
		i, _ := n.Int64()
		return i
	}
	return time.Unix(part("seconds"), part("nanos"))
}

// lookupKey carries the databroker and clock of one evaluation, so one
// prepared module serves every test case.
type lookupKey struct{}

type lookupState struct {
	db  *Databroker
	now time.Time
}

// withLookup returns ctx carrying db and now for contextLookup.
func withLookup(ctx context.Context, db *Databroker, now time.Time) context.Context {
	return context.WithValue(ctx, lookupKey{}, lookupState{db, now})
}

// contextLookup answers get_databroker_record from the databroker in ctx.
func contextLookup(ctx context.Context, recordType, key string) (any, error) {
	st, ok := ctx.Value(lookupKey{}).(lookupState)
	if !ok || st.db == nil {
		return nil, nil
	}
	v := st.db.Get(recordType, key, st.now)
	if v == nil {
		// A nil map in an interface is not nil: it would read as {}.
		return nil, nil
	}
	return v, nil
}

var _ rego.RecordLookup = contextLookup
