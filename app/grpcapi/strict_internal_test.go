package grpcapi

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/grpc"
)

// A refused call (e.g. no token) must not leave its decode error behind:
// the map would grow with every malformed anonymous call.
func TestDecodeErrorsAreClaimedWhateverHappensNext(t *testing.T) {
	codec := newLenientCodec()
	req := new(int)
	codec.undecodable.Store(req, errors.New("bad utf-8"))
	var seen error
	_, _ = codec.claimDecodeError()(context.Background(), req, &grpc.UnaryServerInfo{}, func(ctx context.Context, _ any) (any, error) {
		seen, _ = ctx.Value(decodeErrKey{}).(error)
		return nil, errors.New("unauthenticated")
	})
	if seen == nil {
		t.Fatal("the decode error was not handed on")
	}
	if _, left := codec.undecodable.Load(req); left {
		t.Fatal("the decode error stayed in the map")
	}
}
