package databrokertest

import (
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// patchData returns the data of existing with the masked fields taken from
// update, as Core's storage.PatchRecord does: both payloads are decoded by
// their type URL (so only compiled-in types can be patched), each masked
// field of the stored message is overwritten with update's value, or
// cleared when update leaves it unset.
func patchData(existing, update *pb.Record, mask *fieldmaskpb.FieldMask) (*anypb.Any, error) {
	dst, err := existing.GetData().UnmarshalNew()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "could not unmarshal existing record data: %v", err)
	}
	src, err := update.GetData().UnmarshalNew()
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "could not unmarshal new record data: %v", err)
	}
	if dst.ProtoReflect().Descriptor() != src.ProtoReflect().Descriptor() {
		return nil, status.Errorf(codes.InvalidArgument, "cannot patch a %s with a %s",
			dst.ProtoReflect().Descriptor().FullName(), src.ProtoReflect().Descriptor().FullName())
	}
	for _, path := range mask.GetPaths() {
		if err := overwrite(dst.ProtoReflect(), src.ProtoReflect(), strings.Split(path, ".")); err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "cannot patch record: %v", err)
		}
	}
	out, err := anypb.New(dst)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "could not marshal new record data: %v", err)
	}
	return out, nil
}

// overwrite copies the field at path from src to dst; a dotted path walks
// into message fields, creating them in dst as needed.
func overwrite(dst, src protoreflect.Message, path []string) error {
	fd := dst.Descriptor().Fields().ByName(protoreflect.Name(path[0]))
	if fd == nil {
		return fmt.Errorf("%s has no field %q", dst.Descriptor().FullName(), path[0])
	}
	if len(path) > 1 {
		if fd.Message() == nil || fd.IsList() || fd.IsMap() {
			return fmt.Errorf("field %q of %s is not a message", path[0], dst.Descriptor().FullName())
		}
		if !src.Has(fd) && !dst.Has(fd) {
			return nil
		}
		return overwrite(dst.Mutable(fd).Message(), src.Get(fd).Message(), path[1:])
	}
	if !src.Has(fd) {
		dst.Clear(fd)
		return nil
	}
	// src was decoded from the request's bytes, so dst shares nothing with
	// the caller's message.
	dst.Set(fd, src.Get(fd))
	return nil
}
