package rego

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/open-policy-agent/opa/ast"
	opa "github.com/open-policy-agent/opa/rego"
	"github.com/open-policy-agent/opa/types"
	"golang.org/x/crypto/ssh"
)

// RecordLookup answers get_databroker_record the way Core's databroker
// query does: the first record of recordType whose id equals key or whose
// `$index` CIDR contains it, as the JSON-shaped Go value Core decodes it to
// (encoding/json of the proto: snake_case keys, zero values omitted). It
// returns untyped nil (not a nil map) for no record, an expired session or
// service account, or a payload Core could not unpack; an error is logged
// and read as null, as Core does.
type RecordLookup func(ctx context.Context, recordType, key string) (any, error)

// stringObject is Core's declared result of its record and header builtins,
// object[string: string]. It is narrower than what the record builtin really
// returns, and the type checker holds modules to it: a ref two levels into
// a record does not compile.
var stringObject = types.NewObject(nil, types.NewDynamicProperty(types.S, types.S))

// builtins returns Core's three custom builtins with Core's exact
// declarations; lookup backs get_databroker_record (nil: no records).
func builtins(lookup RecordLookup) []func(*opa.Rego) {
	return []func(*opa.Rego){
		opa.Function2(&opa.Function{
			Name: "get_databroker_record",
			Decl: types.NewFunction(types.Args(types.S, types.S), stringObject),
		}, databrokerRecord(lookup)),
		opa.Function2(&opa.Function{
			Name: "get_google_cloud_serverless_headers",
			Decl: types.NewFunction(types.Args(types.S, types.S), stringObject),
		}, googleCloudServerlessHeaders),
		opa.Function3(&opa.Function{
			Name: "ssh_verify_user_cert",
			Decl: types.NewFunction(types.Args(types.S, types.S, types.NewArray(nil, types.S)), types.B),
		}, sshVerifyUserCert),
	}
}

// databrokerRecord returns null rather than undefined when nothing is found,
// as Core does: generated Rego tests `!= null`, and an undefined term would
// behave differently.
func databrokerRecord(lookup RecordLookup) opa.Builtin2 {
	return func(bctx opa.BuiltinContext, recordType, key *ast.Term) (*ast.Term, error) {
		t, ok1 := recordType.Value.(ast.String)
		k, ok2 := key.Value.(ast.String)
		if !ok1 || !ok2 {
			return nil, errors.New("get_databroker_record: arguments must be strings")
		}
		if lookup == nil {
			return ast.NullTerm(), nil
		}
		v, err := lookup(bctx.Context, string(t), string(k))
		if err != nil {
			// Core logs a failed query and carries on with null.
			slog.Warn("rego: get_databroker_record failed", "type", string(t), "err", err)
			return ast.NullTerm(), nil
		}
		if v == nil {
			return ast.NullTerm(), nil
		}
		val, err := ast.InterfaceToValue(v)
		if err != nil {
			return nil, fmt.Errorf("get_databroker_record: %w", err)
		}
		return ast.NewTerm(val), nil
	}
}

// googleCloudServerlessHeaders exists so modules calling it compile as in
// Core; the console cannot mint Google ID tokens, so evaluating it fails
// (which makes the calling expression undefined).
func googleCloudServerlessHeaders(opa.BuiltinContext, *ast.Term, *ast.Term) (*ast.Term, error) {
	return nil, errors.New("get_google_cloud_serverless_headers: not available outside Pomerium Core")
}

// sshVerifyUserCert reports whether certB64 (SSH wire format, base64) is a
// user certificate for principal signed by one of the CAs, valid at the
// evaluation time. A plain key is false; undecodable input is an error.
func sshVerifyUserCert(bctx opa.BuiltinContext, principal, certB64, caKeys *ast.Term) (*ast.Term, error) {
	p, ok1 := principal.Value.(ast.String)
	c, ok2 := certB64.Value.(ast.String)
	arr, ok3 := caKeys.Value.(*ast.Array)
	if !ok1 || !ok2 || !ok3 {
		return nil, errors.New("ssh_verify_user_cert: want (string, string, array of strings)")
	}
	key, err := parseSSHKey(string(c))
	if err != nil {
		return nil, fmt.Errorf("ssh_verify_user_cert: %w", err)
	}
	cert, ok := key.(*ssh.Certificate)
	if !ok {
		return ast.BooleanTerm(false), nil
	}
	var cas []ssh.PublicKey
	for i := range arr.Len() {
		s, ok := arr.Elem(i).Value.(ast.String)
		if !ok {
			return nil, errors.New("ssh_verify_user_cert: CA keys must be strings")
		}
		ca, err := parseSSHKey(string(s))
		if err != nil {
			return nil, fmt.Errorf("ssh_verify_user_cert: CA %d: %w", i, err)
		}
		cas = append(cas, ca)
	}
	checker := ssh.CertChecker{
		IsUserAuthority: func(auth ssh.PublicKey) bool {
			for _, ca := range cas {
				if bytes.Equal(ca.Marshal(), auth.Marshal()) {
					return true
				}
			}
			return false
		},
		Clock: func() time.Time { return evalTime(bctx) },
	}
	_, err = checker.Authenticate(loginName(p), cert)
	return ast.BooleanTerm(err == nil), nil
}

func parseSSHKey(b64 string) (ssh.PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	return ssh.ParsePublicKey(raw)
}

// evalTime is the evaluation's fixed clock (rego.EvalTime), so certificate
// validity follows the same time as time.now_ns().
func evalTime(bctx opa.BuiltinContext) time.Time {
	if bctx.Time != nil {
		if n, ok := bctx.Time.Value.(ast.Number); ok {
			if ns, ok := n.Int64(); ok {
				return time.Unix(0, ns)
			}
		}
	}
	return time.Now()
}

// loginName is the connection metadata CertChecker.Authenticate needs; it
// reads only the user name.
type loginName string

func (l loginName) User() string        { return string(l) }
func (loginName) SessionID() []byte     { return nil }
func (loginName) ClientVersion() []byte { return nil }
func (loginName) ServerVersion() []byte { return nil }
func (loginName) RemoteAddr() net.Addr  { return nil }
func (loginName) LocalAddr() net.Addr   { return nil }
