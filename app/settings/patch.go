package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// patchOp is one RFC 6902 operation. Value stays nil when the member is
// absent and holds "null" for an explicit null.
type patchOp struct {
	Op    string          `json:"op"`
	Path  *string         `json:"path,omitempty"`
	From  *string         `json:"from,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
}

// maxPatchOps bounds one patch; the settings have fewer than 50 keys.
const maxPatchOps = 1000

var patchKinds = []string{"add", "remove", "replace", "move", "copy", "test"}

// applyPatch applies an RFC 6902 patch to doc. Problems are reported on the
// field "patch/<index>" and never quote a value, which may be a secret.
// Operations apply in order and stop at the first that fails, as RFC 6902
// requires; a failed patch changes nothing.
func applyPatch(doc, patch []byte) ([]byte, *errs.Validator) {
	var val errs.Validator
	var ops []patchOp
	dec := json.NewDecoder(bytes.NewReader(patch))
	if err := dec.Decode(&ops); err != nil || ops == nil || dec.More() {
		val.Add("patch", errs.CodeInvalid, "must be a JSON array of operations such as {\"op\": \"replace\", \"path\": \"/logLevel\", \"value\": \"debug\"}")
		return nil, &val
	}
	if len(ops) > maxPatchOps {
		val.Add("patch", errs.CodeTooLong, "must have at most %d operations (got %d)", maxPatchOps, len(ops))
		return nil, &val
	}
	for i, op := range ops {
		if msg := opProblem(op); msg != "" {
			val.Add(opField(i), errs.CodeInvalid, "%s", msg)
		}
	}
	if val.Err() != nil {
		return nil, &val
	}
	for i, op := range ops {
		one, err := json.Marshal([]patchOp{op})
		if err != nil {
			val.Add(opField(i), errs.CodeInvalid, "cannot be encoded")
			return nil, &val
		}
		p, err := jsonpatch.DecodePatch(one)
		if err == nil {
			doc, err = p.Apply(doc)
		}
		if err != nil {
			val.Add(opField(i), errs.CodeInvalid, "%s", failure(op, err))
			return nil, &val
		}
	}
	return doc, nil
}

func opField(i int) string { return fmt.Sprintf("patch/%d", i) }

// opProblem checks the members an operation needs (RFC 6902 section 4).
func opProblem(op patchOp) string {
	switch {
	case !slices.Contains(patchKinds, op.Op):
		return fmt.Sprintf("op must be one of %s", strings.Join(patchKinds, ", "))
	case op.Path == nil:
		return op.Op + " needs a path"
	case !isPointer(*op.Path):
		return fmt.Sprintf("path %q must be a JSON pointer such as /logLevel", *op.Path)
	case (op.Op == "move" || op.Op == "copy") && op.From == nil:
		return op.Op + " needs a from"
	case op.From != nil && !isPointer(*op.From):
		return fmt.Sprintf("from %q must be a JSON pointer such as /logLevel", *op.From)
	case (op.Op == "add" || op.Op == "replace" || op.Op == "test") && op.Value == nil:
		return op.Op + " needs a value"
	}
	return ""
}

// isPointer checks RFC 6901 syntax: "" or "/"-separated tokens.
func isPointer(p string) bool {
	return p == "" || strings.HasPrefix(p, "/")
}

// failure explains why an operation did not apply, naming its paths only.
func failure(op patchOp, err error) string {
	target := *op.Path
	if op.From != nil {
		target = *op.From + " or " + *op.Path
	}
	switch {
	case errors.Is(err, jsonpatch.ErrTestFailed):
		return fmt.Sprintf("test failed: the value at %s is not the one given", *op.Path)
	case errors.Is(err, jsonpatch.ErrInvalidIndex):
		return fmt.Sprintf("%s failed: a list index in %s is out of range", op.Op, target)
	default:
		return fmt.Sprintf("%s failed: %s does not exist, or its parent does not", op.Op, target)
	}
}
