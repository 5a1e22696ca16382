package databrokertest

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// recordKey is what Put upserts by.
type recordKey struct{ typ, id string }

// storage is the databroker's state: current records, the log of every
// change (what Sync replays) and the counters tests assert on. It survives
// Stop/Restart, as Core's persistent backends do; reset is a wipe.
type storage struct {
	mu            sync.Mutex
	serverVersion uint64
	latest        uint64
	lastModified  time.Time
	current       map[recordKey]*pb.Record
	changes       []*pb.Record
	puts          map[recordKey]int
	putCalls      int
	// changed is closed (and replaced) on every change to wake waiting Syncs.
	changed chan struct{}
}

func newStorage() *storage {
	s := &storage{puts: map[recordKey]int{}}
	s.wipe()
	return s
}

// wipe drops every record and change and picks a new server version, as a
// Core whose storage is cleared or lost does; callers hold mu (or own s).
func (s *storage) wipe() (oldVersion, newVersion uint64) {
	oldVersion = s.serverVersion
	for s.serverVersion == oldVersion || s.serverVersion == 0 {
		s.serverVersion = rand.Uint64()
	}
	s.latest = 0
	s.current = map[recordKey]*pb.Record{}
	s.changes = nil
	s.notifyLocked()
	return oldVersion, s.serverVersion
}

// notifyLocked wakes every Sync waiting for a change.
func (s *storage) notifyLocked() {
	if s.changed != nil {
		close(s.changed)
	}
	s.changed = make(chan struct{})
}

// put stores records in order, each with the next version and a modified_at
// later than any before, and returns the stored copies.
func (s *storage) put(records []*pb.Record) []*pb.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putCalls++
	return s.putLocked(records)
}

// putLocked is put for a caller holding mu.
func (s *storage) putLocked(records []*pb.Record) []*pb.Record {
	out := make([]*pb.Record, 0, len(records))
	for _, in := range records {
		rec := proto.CloneOf(in)
		s.latest++
		rec.Version = s.latest
		now := time.Now()
		if !now.After(s.lastModified) {
			now = s.lastModified.Add(time.Microsecond)
		}
		s.lastModified = now
		rec.ModifiedAt = timestamppb.New(now)
		k := recordKey{rec.GetType(), rec.GetId()}
		s.puts[k]++
		if rec.GetDeletedAt() != nil {
			delete(s.current, k)
		} else {
			s.current[k] = rec
		}
		s.changes = append(s.changes, rec)
		out = append(out, proto.CloneOf(rec))
	}
	s.notifyLocked()
	return out
}

// get returns a copy of the current record, or nil.
func (s *storage) get(typ, id string) *pb.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.current[recordKey{typ, id}]; ok {
		return proto.CloneOf(rec)
	}
	return nil
}

// snapshot returns copies of the current records of typ ("" for all),
// ordered by type and id, with the versions they are current at.
func (s *storage) snapshot(typ string) (records []*pb.Record, serverVersion, latest uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, rec := range s.current {
		if typ == "" || k.typ == typ {
			records = append(records, proto.CloneOf(rec))
		}
	}
	slices.SortFunc(records, func(a, b *pb.Record) int {
		return cmp.Or(cmp.Compare(a.GetType(), b.GetType()), cmp.Compare(a.GetId(), b.GetId()))
	})
	return records, s.serverVersion, s.latest
}

// changesAfter returns copies of the changes of typ ("" for all) after
// version, the server version they belong to, and a channel closed at the
// next change.
func (s *storage) changesAfter(typ string, version uint64) (changes []*pb.Record, serverVersion uint64, next <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, _ := slices.BinarySearchFunc(s.changes, version+1, func(r *pb.Record, v uint64) int { return cmp.Compare(r.GetVersion(), v) })
	for _, rec := range s.changes[i:] {
		if typ == "" || rec.GetType() == typ {
			changes = append(changes, proto.CloneOf(rec))
		}
	}
	return changes, s.serverVersion, s.changed
}

// info returns the server version and the range of change versions kept.
func (s *storage) info() (serverVersion, earliest, latest uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.changes) > 0 {
		earliest = s.changes[0].GetVersion()
	}
	return s.serverVersion, earliest, s.latest
}

// types lists the types that have current records, sorted.
func (s *storage) types() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.current {
		out = append(out, k.typ)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// clear wipes the storage under the lock.
func (s *storage) clear() (oldVersion, newVersion uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wipe()
}

// counts returns how many records were put for (typ, id) and how many Put
// calls were made in all.
func (s *storage) counts(typ, id string) (puts, calls int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.puts[recordKey{typ, id}], s.putCalls
}

// patch overwrites the masked fields of each stored record with those of
// the given one, under the lock so no write lands in between, and stores
// the result as a new version. Records that do not exist are skipped, as in
// Core's file backend; a deleted_at on the given record deletes.
func (s *storage) patch(records []*pb.Record, mask *fieldmaskpb.FieldMask) ([]*pb.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var patched []*pb.Record
	for _, in := range records {
		existing, ok := s.current[recordKey{in.GetType(), in.GetId()}]
		if !ok {
			continue
		}
		data, err := patchData(existing, in, mask)
		if err != nil {
			return nil, err
		}
		rec := proto.CloneOf(in)
		rec.Data = data
		patched = append(patched, rec)
	}
	return s.putLocked(patched), nil
}
