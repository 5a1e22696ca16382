package grpcapi_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// rawCodec sends hand-made bytes as a "proto" message, as a client with a
// different (or broken) schema would.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(v.([]byte))}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return proto.Name }

func TestRequestsAreReadStrictly(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"))
	admin := app.DialGRPC(t, callerMD(t, app, "u1", "admin@example.com"))
	str := func(b []byte, num protowire.Number, s string) []byte {
		return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), s)
	}
	msg := func(b []byte, num protowire.Number, inner []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), inner)
	}
	varint := func(b []byte, num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
	}
	// A namespace that would be created if the bad parts were dropped.
	goodNamespace := str(str(nil, 2, db.GlobalNamespaceID), 6, "Team")
	tests := []struct {
		name, method string
		body         []byte
		msg          string
	}{
		{"a message sent as a number", "/pomerium.dashboard.NamespaceService/SetNamespace",
			varint(nil, 1, 7), "namespace: field 1 is sent with wire type 0, which does not fit a message"},
		{"a string sent as a number", "/pomerium.dashboard.NamespaceService/SetNamespace",
			msg(nil, 1, varint(goodNamespace, 6, 1)), "namespace.name: field 6 is sent with wire type 0, which does not fit a string"},
		{"a field the schema lacks", "/pomerium.dashboard.NamespaceService/SetNamespace",
			msg(nil, 1, str(goodNamespace, 99, "x")), "namespace (field 99): is not part of pomerium.dashboard.Namespace"},
		{"an undefined enum number", "/pomerium.dashboard.RouteService/SetRoute",
			msg(nil, 1, varint(str(nil, 5, "r"), 70, 42)), "route.load_balancing_policy: must be one of"},
		{"a string that is not UTF-8", "/pomerium.dashboard.NamespaceService/SetNamespace",
			msg(nil, 1, str(str(nil, 2, db.GlobalNamespaceID), 6, "\xff\xfe")), "request: the message does not decode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := storetest.Capture(t, app.Store)
			var out []byte
			err := admin.Invoke(context.Background(), tc.method, tc.body, &out, grpc.ForceCodecV2(rawCodec{}))
			if status.Code(err) != codes.InvalidArgument || !strings.Contains(status.Convert(err).Message(), tc.msg) {
				t.Fatalf("err = %v, want InvalidArgument containing %q", err, tc.msg)
			}
			before.Unchanged(t, app.Store)
		})
	}

	// Without a token the caller learns nothing about the schema.
	anonymous := app.DialGRPC(t, nil)
	var out []byte
	err := anonymous.Invoke(context.Background(), "/pomerium.dashboard.NamespaceService/SetNamespace", varint(nil, 1, 7), &out, grpc.ForceCodecV2(rawCodec{}))
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("anonymous malformed call: %v, want Unauthenticated", err)
	}
}
