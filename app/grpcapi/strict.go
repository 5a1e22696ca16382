package grpcapi

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	protov2 "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// Requests are read strictly: a message that does not decode (bad UTF-8, a
// truncated field), a field the schema does not have or sent with the
// wrong wire type, and an enum number the schema does not define are all
// INVALID_ARGUMENT naming the field — never silently dropped, which could
// turn "deny" into "not set".
//
// grpc-go turns any codec error into INTERNAL, so the codec below never
// fails: it parks the error beside the request for the interceptors.

// lenientCodec is the proto codec, except that decode errors wait in
// undecodable for claimDecodeError.
type lenientCodec struct {
	encoding.CodecV2
	undecodable *sync.Map // request pointer → error
}

func newLenientCodec() lenientCodec {
	return lenientCodec{CodecV2: encoding.GetCodecV2(proto.Name), undecodable: &sync.Map{}}
}

func (c lenientCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if err := c.CodecV2.Unmarshal(data, v); err != nil {
		c.undecodable.Store(v, err)
	}
	return nil
}

type decodeErrKey struct{}

// claimDecodeError takes what lenientCodec parked for req, whatever happens
// next (an unauthenticated call must not leave it behind), and hands it on
// in the context.
func (c lenientCodec) claimDecodeError() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if err, ok := c.undecodable.LoadAndDelete(req); ok {
			ctx = context.WithValue(ctx, decodeErrKey{}, err)
		}
		return next(ctx, req)
	}
}

// strictInterceptor refuses a request that did not decode or that the
// schema does not allow. It runs after authentication, so a caller
// without a token learns nothing of the schema.
func strictInterceptor(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	if err, ok := ctx.Value(decodeErrKey{}).(error); ok {
		return nil, invalid("request", "the message does not decode: %v", err)
	}
	if m, ok := req.(protov2.Message); ok {
		var v errs.Validator
		checkMessage(&v, m.ProtoReflect(), "")
		if err := v.Err(); err != nil {
			return nil, err
		}
	}
	return next(ctx, req)
}

// checkMessage adds to v every unknown field and undefined enum number of
// m; path is the field path so far ("" at the top).
func checkMessage(v *errs.Validator, m protoreflect.Message, path string) {
	if raw := m.GetUnknown(); len(raw) > 0 {
		unknownFields(v, m.Descriptor(), raw, path)
	}
	m.Range(func(fd protoreflect.FieldDescriptor, val protoreflect.Value) bool {
		p := join(path, string(fd.Name()))
		switch {
		case fd.IsList():
			l := val.List()
			for i := range l.Len() {
				checkValue(v, fd, l.Get(i), fmt.Sprintf("%s[%d]", p, i))
			}
		case fd.IsMap():
			val.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				checkValue(v, fd.MapValue(), mv, fmt.Sprintf("%s[%q]", p, k.String()))
				return true
			})
		default:
			checkValue(v, fd, val, p)
		}
		return true
	})
}

func checkValue(v *errs.Validator, fd protoreflect.FieldDescriptor, val protoreflect.Value, path string) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		checkMessage(v, val.Message(), path)
	case protoreflect.EnumKind:
		values := fd.Enum().Values()
		if values.ByNumber(val.Enum()) == nil {
			names := make([]string, values.Len())
			for i := range values.Len() {
				names[i] = string(values.Get(i).Name())
			}
			v.Add(path, errs.CodeInvalid, "must be one of %s (got %d)", strings.Join(names, ", "), val.Enum())
		}
	}
}

// unknownFields names the fields in raw, the bytes m's decoder could not
// place: numbers the schema lacks, or known ones in the wrong wire type.
func unknownFields(v *errs.Validator, md protoreflect.MessageDescriptor, raw []byte, path string) {
	at := path
	if at == "" {
		at = "request"
	}
	for len(raw) > 0 {
		num, typ, n := protowire.ConsumeField(raw)
		if n < 0 {
			v.Add(at, errs.CodeInvalid, "holds bytes that are not protobuf fields")
			return
		}
		raw = raw[n:]
		if fd := md.Fields().ByNumber(num); fd != nil {
			v.Add(join(path, string(fd.Name())), errs.CodeInvalid, "field %d is sent with wire type %d, which does not fit %s", num, typ, kindName(fd))
			continue
		}
		v.Add(fmt.Sprintf("%s (field %d)", at, num), errs.CodeInvalid, "is not part of %s", md.FullName())
	}
}

func kindName(fd protoreflect.FieldDescriptor) string {
	if fd.IsList() {
		return "a repeated " + fd.Kind().String()
	}
	return "a " + fd.Kind().String()
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
