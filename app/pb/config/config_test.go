package config

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
)

// TestWireNames pins what Core reads on the wire: the package, the Any type
// URL and the numbers of the fields the console writes. The whole file was
// checked against the reference when it was transcribed; this keeps the
// fields the console depends on from drifting.
func TestWireNames(t *testing.T) {
	t.Parallel()
	a, err := anypb.New(&Config{})
	if err != nil {
		t.Fatal(err)
	}
	if a.GetTypeUrl() != "type.googleapis.com/pomerium.config.Config" {
		t.Errorf("type URL = %q", a.GetTypeUrl())
	}
	tests := []struct {
		msg    proto.Message
		fields map[string]protoreflect.FieldNumber
	}{
		{&Config{}, map[string]protoreflect.FieldNumber{"name": 1, "routes": 2, "settings": 3}},
		{&Route{}, map[string]protoreflect.FieldNumber{
			"id": 28, "name": 1, "stat_name": 75, "from": 2, "to": 3, "redirect": 34, "response": 62, "prefix": 7, "path": 8, "regex": 9,
			"timeout": 12, "idle_timeout": 43, "tls_custom_ca": 16, "tls_client_cert": 18, "tls_client_key": 19, "tls_downstream_client_ca": 38,
			"policies": 27, "health_checks": 77, "load_balancing_policy": 78, "jwt_issuer_format": 65, "namespace_id": 80, "namespace_name": 92,
			"kubernetes_service_account_token": 26, "idp_client_secret": 56, "rewrite_response_headers": 40, "regex_priority_order": 61,
		}},
		{&Policy{}, map[string]protoreflect.FieldNumber{"id": 1, "name": 2, "rego": 6, "explanation": 8, "remediation": 9, "source_ppl": 10}},
		{&Settings{}, map[string]protoreflect.FieldNumber{
			"certificates": 9, "cookie_secret": 17, "idp_client_secret": 23, "otel_traces_sampler_arg": 122, "downstream_mtls": 116,
			"databroker_storage_connection_string": 102, "certificate_authority": 34, "scopes": 26, "request_params": 30,
		}},
		{&Settings_Certificate{}, map[string]protoreflect.FieldNumber{"cert_bytes": 3, "key_bytes": 4, "id": 5}},
		{&RouteRedirect{}, map[string]protoreflect.FieldNumber{"https_redirect": 1, "response_code": 7, "strip_query": 8}},
		{&HealthCheck{}, map[string]protoreflect.FieldNumber{"timeout": 1, "http_health_check": 8, "tcp_health_check": 9, "grpc_health_check": 11}},
	}
	for _, tc := range tests {
		md := tc.msg.ProtoReflect().Descriptor()
		t.Run(string(md.FullName()), func(t *testing.T) {
			t.Parallel()
			for name, num := range tc.fields {
				f := md.Fields().ByName(protoreflect.Name(name))
				if f == nil || f.Number() != num {
					t.Errorf("%s.%s: got %v, want number %d", md.FullName(), name, f, num)
				}
			}
		})
	}
	if got := LoadBalancingPolicy_LOAD_BALANCING_POLICY_LEAST_REQUEST.Number(); got != 5 {
		t.Errorf("LEAST_REQUEST = %d", got)
	}
	if got := IssuerFormat_IssuerURI.Number(); got != 1 {
		t.Errorf("IssuerURI = %d", got)
	}
}
