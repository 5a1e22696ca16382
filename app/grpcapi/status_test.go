package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

func TestToStatus(t *testing.T) {
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	tests := []struct {
		err  error
		code codes.Code
		msg  string
	}{
		{invalid("route.from", "must be a URL"), codes.InvalidArgument, "route.from: must be a URL"},
		{errs.NotFound("route %q does not exist", "r1"), codes.NotFound, `route "r1" does not exist`},
		// A wrapped store error carries internal detail: only the kind shows.
		{fmt.Errorf("sqlite: get: %w", errs.ErrNotFound), codes.NotFound, "not found"},
		{errs.Forbidden("needs admin"), codes.PermissionDenied, "needs admin"},
		{errs.Unauthenticated("token revoked"), codes.Unauthenticated, "token revoked"},
		{errs.Conflict("still used by route a"), codes.FailedPrecondition, "still used by route a"},
		{errs.Unavailable("no databroker"), codes.FailedPrecondition, "no databroker"},
		{status.Error(codes.OutOfRange, "kept"), codes.OutOfRange, "kept"},
		{context.Canceled, codes.Canceled, "cancelled"},
		{errors.New("disk on fire: secret=abc"), codes.Internal, "internal error"},
	}
	for _, tc := range tests {
		st, _ := status.FromError(toStatus(context.Background(), logger, "/m", tc.err))
		if st.Code() != tc.code || !strings.Contains(st.Message(), tc.msg) {
			t.Errorf("%v: got %v %q, want %v containing %q", tc.err, st.Code(), st.Message(), tc.code, tc.msg)
		}
	}
	if toStatus(context.Background(), logger, "/m", nil) != nil {
		t.Error("nil error became a status")
	}
	// Internal details go to the log, never to the client.
	if !strings.Contains(logged.String(), "disk on fire") {
		t.Error("internal error was not logged")
	}
}

func TestStatusInterceptorRecoversPanics(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	_, err := statusInterceptor(logger)(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/m"},
		func(context.Context, any) (any, error) { panic("boom") })
	if status.Code(err) != codes.Internal {
		t.Fatalf("err = %v, want Internal", err)
	}
}
