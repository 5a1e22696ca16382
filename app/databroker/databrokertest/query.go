package databrokertest

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// matcher decides whether a record passes a Query filter.
type matcher func(*pb.Record) bool

// compileFilter builds the matcher for a Query filter as Core's
// pkg/storage/filter.go reads it: every key of an object must hold ("$and"
// of its keys); "$and"/"$or" take a list of objects, "$not" one object;
// "id" compares the record id, "$index" finds the record whose $index.cidr
// contains the address (or prefix), and any other key compares that
// top-level field of Struct data. Operator objects ($after, $contains, ...)
// are refused rather than guessed at.
func compileFilter(f *structpb.Struct) (matcher, error) {
	var all []matcher
	for key, v := range f.GetFields() {
		m, err := compileKey(key, v)
		if err != nil {
			return nil, err
		}
		all = append(all, m)
	}
	return func(r *pb.Record) bool {
		for _, m := range all {
			if !m(r) {
				return false
			}
		}
		return true
	}, nil
}

// compileKey compiles one key of a filter object.
func compileKey(key string, v *structpb.Value) (matcher, error) {
	switch key {
	case "$and", "$or":
		list := v.GetListValue()
		if list == nil {
			return nil, fmt.Errorf("%s takes a list of filters", key)
		}
		subs := make([]matcher, 0, len(list.GetValues()))
		for _, item := range list.GetValues() {
			sub, err := compileFilter(item.GetStructValue())
			if err != nil {
				return nil, err
			}
			subs = append(subs, sub)
		}
		if key == "$or" {
			return func(r *pb.Record) bool {
				return slices.ContainsFunc(subs, func(m matcher) bool { return m(r) })
			}, nil
		}
		return func(r *pb.Record) bool {
			return !slices.ContainsFunc(subs, func(m matcher) bool { return !m(r) })
		}, nil
	case "$not":
		sub, err := compileFilter(v.GetStructValue())
		if err != nil {
			return nil, err
		}
		return func(r *pb.Record) bool { return !sub(r) }, nil
	}
	want, ok := v.GetKind().(*structpb.Value_StringValue)
	if !ok {
		return nil, fmt.Errorf("the test databroker supports only string equality for %q", key)
	}
	switch key {
	case "id":
		return func(r *pb.Record) bool { return r.GetId() == want.StringValue }, nil
	case "$index":
		return indexMatcher(want.StringValue), nil
	}
	return func(r *pb.Record) bool {
		f := structData(r).GetFields()[key]
		return f != nil && f.GetStringValue() == want.StringValue
	}, nil
}

// indexMatcher matches records whose Struct data has "$index":{"cidr":…}
// containing x, an address or a prefix; anything else matches nothing.
func indexMatcher(x string) matcher {
	want, err := netip.ParsePrefix(x)
	if err != nil {
		addr, aerr := netip.ParseAddr(x)
		if aerr != nil {
			return func(*pb.Record) bool { return false }
		}
		want = netip.PrefixFrom(addr, addr.BitLen())
	}
	return func(r *pb.Record) bool {
		cidr := structData(r).GetFields()["$index"].GetStructValue().GetFields()["cidr"].GetStringValue()
		have, err := netip.ParsePrefix(cidr)
		return err == nil && have.Bits() <= want.Bits() && have.Contains(want.Addr())
	}
}

// structData returns the record's data as a Struct, or nil when it holds
// another message type.
func structData(r *pb.Record) *structpb.Struct {
	s := &structpb.Struct{}
	if r.GetData().MessageIs(s) && r.GetData().UnmarshalTo(s) == nil {
		return s
	}
	return nil
}

// query answers a QueryRequest from the current records.
func (s *storage) query(req *pb.QueryRequest) (*pb.QueryResponse, error) {
	if req.GetOffset() < 0 || req.GetLimit() < 0 {
		return nil, errors.New("offset and limit must not be negative")
	}
	match := func(*pb.Record) bool { return true }
	if req.GetFilter() != nil {
		var err error
		if match, err = compileFilter(req.GetFilter()); err != nil {
			return nil, err
		}
	}
	all, serverVersion, latest := s.snapshot(req.GetType())
	text := strings.ToLower(req.GetQuery())
	all = slices.DeleteFunc(all, func(r *pb.Record) bool { return !match(r) || (text != "" && !matchText(r, text)) })
	page := all[min(int(req.GetOffset()), len(all)):]
	if req.GetLimit() > 0 {
		page = page[:min(int(req.GetLimit()), len(page))]
	}
	return &pb.QueryResponse{
		Records:       page,
		TotalCount:    int64(len(all)),
		ServerVersion: serverVersion,
		RecordVersion: latest,
	}, nil
}
