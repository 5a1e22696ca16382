package grpcapi

import (
	"context"
	"errors"
	"log/slog"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// toStatus maps a domain error to the gRPC status a client acts on. Only
// the domain's own messages (which name fields and namespaces, never
// secrets) reach the client; anything else is an internal error, logged.
func toStatus(ctx context.Context, logger *slog.Logger, method string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		// Handlers that build their own status (e.g. a missing message)
		// already chose the code.
		return err
	}
	if ve, ok := errs.AsValidation(err); ok {
		return status.Error(codes.InvalidArgument, ve.Error())
	}
	for _, m := range []struct {
		kind error
		code codes.Code
	}{
		{errs.ErrUnauthenticated, codes.Unauthenticated},
		{errs.ErrForbidden, codes.PermissionDenied},
		{errs.ErrNotFound, codes.NotFound},
		{errs.ErrConflict, codes.FailedPrecondition},
		{errs.ErrUnavailable, codes.FailedPrecondition},
	} {
		if errors.Is(err, m.kind) {
			msg := errs.Reason(err)
			if msg == "" {
				// Wrapped store errors keep their detail to the log.
				msg = m.kind.Error()
			}
			return status.Error(m.code, msg)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "the call was cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "the call ran out of time")
	}
	logger.ErrorContext(ctx, "grpc call failed", "method", method, "error", err)
	return status.Error(codes.Internal, "internal error; the console log has the details")
}

// invalid is the InvalidArgument error of one request field, for checks the
// handlers make before reaching a domain service (e.g. a missing message).
func invalid(field, format string, args ...any) error {
	return errs.Field(field, errs.CodeInvalid, format, args...)
}

// statusInterceptor turns the errors handlers return into statuses and
// keeps a panicking handler from taking the server down.
func statusInterceptor(logger *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				logger.ErrorContext(ctx, "grpc handler panicked", "method", info.FullMethod, "panic", r)
				resp, err = nil, status.Error(codes.Internal, "internal error; the console log has the details")
			}
		}()
		resp, err = next(ctx, req)
		return resp, toStatus(ctx, logger, info.FullMethod, err)
	}
}
