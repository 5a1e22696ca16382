package databroker

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrNotFound matches (with errors.Is) the error of a call whose record does
// not exist or was deleted.
var ErrNotFound = errors.New("databroker: record not found")

// Error is a failed databroker call: the gRPC code for callers that branch on
// it, and a sentence an administrator can act on.
type Error struct {
	// Op is the call that failed ("put", "get", ...).
	Op string
	// Code is the gRPC status code of the failure.
	Code codes.Code
	// Message says what went wrong, ending with the code in parentheses.
	Message string
	// Err is the underlying error, for logs.
	Err error
}

// Error implements error.
func (e *Error) Error() string { return "databroker: " + e.Op + ": " + e.Message }

// Unwrap gives errors.Is/As the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is makes every NotFound failure match ErrNotFound.
func (e *Error) Is(target error) bool { return target == ErrNotFound && e.Code == codes.NotFound }

// GRPCStatus lets status.Code(err) read the code through the wrapping.
func (e *Error) GRPCStatus() *status.Status { return status.New(e.Code, e.Message) }

// Explain is the sentence to show an administrator for err: the Message of a
// databroker *Error, otherwise the error text.
func Explain(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return err.Error()
}

// causes turn the transport's wording for an unreachable server into a short
// cause; the first match wins, so more specific phrases come first.
var causes = []struct{ phrase, cause string }{
	{"connection refused", "connection refused"},
	{"no such host", "no such host"},
	{"i/o timeout", "connection timed out"},
	{"connection reset", "connection reset"},
	{"network is unreachable", "network is unreachable"},
	{"first record does not look like a TLS handshake", "it does not speak TLS; use an http:// URL"},
	{"server preface", "it did not answer as plaintext HTTP/2; use an https:// URL if it speaks TLS"},
	{"certificate signed by unknown authority", "TLS: certificate signed by an unknown authority; set the CA"},
	{"certificate is valid for", "TLS: the certificate is not valid for this name; set the override name"},
	{"any IP SANs", "TLS: the certificate is not valid for this address; set the override name"},
	{"certificate has expired", "TLS: the certificate has expired"},
	{"x509:", "TLS: the certificate was not accepted"},
	{"tls:", "TLS handshake failed"},
}

// wrap turns a gRPC failure of op into an *Error; nil stays nil.
func (c *Client) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	st, _ := status.FromError(err)
	code, msg := st.Code(), st.Message()
	var sentence string
	switch code {
	case codes.Unauthenticated:
		sentence = "the databroker refused the shared secret"
	case codes.Unavailable:
		sentence = c.unavailable(msg)
	case codes.DeadlineExceeded:
		sentence = fmt.Sprintf("the databroker at %s did not answer in time", c.url)
	case codes.Canceled:
		sentence = "the call to the databroker was cancelled"
	case codes.Unimplemented:
		sentence = fmt.Sprintf("the databroker at %s does not support %s; its Pomerium is probably older", c.url, op)
	case codes.NotFound:
		sentence = "the record does not exist"
	case codes.ResourceExhausted:
		sentence = "the databroker refused a message this large (gRPC servers, Core's included, take 4 MiB per message by default): " + msg
	case codes.Aborted:
		sentence = "the databroker's storage was reset since the last sync; start again from SyncLatest"
	default:
		sentence = "the databroker answered with an error: " + msg
	}
	return &Error{Op: op, Code: code, Message: fmt.Sprintf("%s (%s)", sentence, code), Err: err}
}

// unavailable words an Unavailable failure: Core's own "no shared key"
// answer, or an unreachable server with its cause.
func (c *Client) unavailable(msg string) string {
	if strings.Contains(msg, "no shared key defined") {
		return "the databroker has no shared secret configured; set shared_secret in Pomerium"
	}
	for _, k := range causes {
		if strings.Contains(msg, k.phrase) {
			return fmt.Sprintf("cannot reach the databroker at %s: %s", c.url, k.cause)
		}
	}
	return fmt.Sprintf("cannot reach the databroker at %s", c.url)
}
