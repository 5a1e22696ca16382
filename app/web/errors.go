package web

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/views/errorpage"
	"github.com/pomerium-console-oss/pomerium-console/views/layout"
)

// handleError is the one place errors become responses: JSON under /api,
// an htmx fragment for htmx requests, else a full page. Internal errors are
// logged and never shown.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	status, reason := s.classify(c, err)
	if isAPIPath(c.Path()) {
		return c.Status(status).JSON(fiber.Map{"error": reason, "status": status})
	}
	vm := errorpage.ErrorVM{Status: status, Reason: reason, RequestID: requestID(c)}
	if status == fiber.StatusUnauthorized {
		vm.HomeURL = "/sign-in"
	}
	if isHTMX(c) {
		return renderFragment(c, status, errorpage.Fragment(vm))
	}
	if state(c).access == nil {
		return renderFragment(c, status, layout.Bare(errorTitle(status), errorpage.Page(vm)))
	}
	return renderFragment(c, status, layout.Page(s.layoutVM(c, errorTitle(status), ""), errorpage.Page(vm)))
}

// classify maps an error to its status and the sentence the user may read.
func (s *server) classify(c *fiber.Ctx, err error) (int, string) {
	var fe *fiber.Error
	if ve, ok := errs.AsValidation(err); ok {
		return fiber.StatusUnprocessableEntity, ve.Error()
	}
	switch {
	case errors.Is(err, errs.ErrUnauthenticated):
		return fiber.StatusUnauthorized, errs.Reason(err)
	case errors.Is(err, errs.ErrForbidden):
		return fiber.StatusForbidden, errs.Reason(err)
	case errors.Is(err, errs.ErrNotFound):
		return fiber.StatusNotFound, errs.Reason(err)
	case errors.Is(err, errs.ErrConflict):
		return fiber.StatusConflict, errs.Reason(err)
	case errors.Is(err, errs.ErrUnavailable):
		return fiber.StatusServiceUnavailable, errs.Reason(err)
	case errors.As(err, &fe) && fe.Code < 500:
		return fe.Code, ""
	}
	s.Logger.Error("request failed", "error", err, "method", c.Method(), "path", c.Path(), "request_id", requestID(c))
	return fiber.StatusInternalServerError, ""
}

func errorTitle(status int) string {
	return http.StatusText(status)
}

// fieldMessages flattens a validation error for the views.
func fieldMessages(ve *errs.ValidationError) map[string]string {
	out := make(map[string]string, len(ve.Fields))
	for name, fe := range ve.Fields {
		out[name] = fe.Message
	}
	return out
}
