package databroker_test

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
)

// BenchmarkPutMessage measures one push of a ~3 MiB message (about the size
// of a Config of several thousand routes) to the loopback test databroker:
// marshal, sign, send, store.
func BenchmarkPutMessage(b *testing.B) {
	s := databrokertest.Start(b)
	c, err := databroker.Dial(b.Context(), databroker.Options{URL: s.URL(), SharedSecret: s.SharedSecret()})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	fields := map[string]any{}
	for i := range 10_000 {
		fields[fmt.Sprintf("route-%05d", i)] = strings.Repeat("x", 300)
	}
	msg, err := structpb.NewStruct(fields)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(proto.Size(msg)))
	for b.Loop() {
		if _, err := c.PutMessage(b.Context(), "console", msg); err != nil {
			b.Fatal(err)
		}
	}
}
