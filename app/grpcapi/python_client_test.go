package grpcapi_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/grpcapi"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
)

// pythonWithGRPC is a Python that has grpcio and protobuf (Debian:
// python3-grpcio, python3-protobuf), or "" when there is none.
func pythonWithGRPC(t *testing.T) string {
	t.Helper()
	for _, py := range []string{os.Getenv("PYTHON_GRPC"), "/usr/bin/python3", "python3"} {
		if py != "" && exec.Command(py, "-c", "import grpc, google.protobuf").Run() == nil {
			return py
		}
	}
	return ""
}

// The docs' Python script, through Python's gRPC (the C core the public
// Python client is built on), against the real server: TLS with the
// generated CA, "Pomerium <token>" metadata, our .proto files.
func TestPythonClientRunsTheExampleFlow(t *testing.T) {
	py := pythonWithGRPC(t)
	if py == "" {
		t.Skip("no Python with grpcio and protobuf (apt-get install python3-grpcio python3-protobuf); .ci/run installs them")
	}
	if _, err := exec.LookPath("protoc"); err != nil {
		t.Skip("protoc not found (apt-get install protobuf-compiler libprotobuf-dev)")
	}
	gen := t.TempDir()
	protos, _ := filepath.Glob("../pb/dashboard/*.proto")
	args := []string{"-I", "../pb", "--python_out=" + gen}
	for _, p := range protos {
		args = append(args, strings.TrimPrefix(p, "../pb/"))
	}
	if out, err := exec.Command("protoc", args...).CombinedOutput(); err != nil {
		t.Fatalf("protoc --python_out: %v\n%s", err, out)
	}

	e := newConfigEnv(t)
	if _, err := pb.NewPolicyServiceClient(e.admin).SetPolicy(t.Context(), &pb.SetPolicyRequest{Policy: &pb.Policy{
		NamespaceId: nsProduction, Name: "my policy", Ppl: "allow:\n  or:\n    - email:\n        is: user@example.com\n",
	}}); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(serviceAccountMD(t, e.app, nsProduction, "manager")["authorization"], "Pomerium ")
	addr, _ := e.app.ServeGRPC(t)
	_, port, _ := strings.Cut(addr, ":")
	cmd := exec.Command(py, "testdata/example_flow.py", gen, "localhost:"+port, filepath.Join(e.app.Config.DataDir, grpcapi.CAFile))
	cmd.Stdin = strings.NewReader(token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	var got struct {
		RouteNamespace      string   `json:"route_namespace"`
		Production          string   `json:"production"`
		Policies            []string `json:"policies"`
		PassIdentityHeaders bool     `json:"pass_identity_headers"`
		Refused             []string `json:"refused"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python printed %q: %v", out, err)
	}
	if got.RouteNamespace != nsProduction || got.Production != nsProduction || len(got.Policies) != 1 ||
		got.Policies[0] != "my policy" || !got.PassIdentityHeaders {
		t.Fatalf("saved route as Python saw it: %+v", got)
	}
	if len(got.Refused) != 2 || got.Refused[0] != "INVALID_ARGUMENT" || !strings.Contains(got.Refused[1], "route.from") {
		t.Fatalf("refusal as Python saw it: %v", got.Refused)
	}
}
