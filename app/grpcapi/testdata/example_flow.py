"""The enterprise API docs' example script, run by python_client_test.go.

The channel is set up as enterprise-client-python's Client does it: a
secure channel whose composite credentials carry an AuthMetadataPlugin
sending "authorization: Pomerium <token>". The message classes come from
protoc --python_out over the console's own .proto files.

Usage: example_flow.py GENERATED_DIR TARGET CA_FILE (token on stdin)
"""
import json
import sys

import grpc

sys.path.insert(0, sys.argv[1])
from dashboard import namespaces_pb2, policy_pb2, routes_pb2  # noqa: E402


class AuthMetadataPlugin(grpc.AuthMetadataPlugin):
    def __init__(self, token):
        self.token = token

    def __call__(self, context, callback):
        callback((("authorization", "Pomerium " + self.token),), None)


target, ca_file = sys.argv[2], sys.argv[3]
token = sys.stdin.read().strip()
with open(ca_file, "rb") as f:
    ca = f.read()
channel = grpc.secure_channel(target, grpc.composite_channel_credentials(
    grpc.ssl_channel_credentials(root_certificates=ca),
    grpc.metadata_call_credentials(AuthMetadataPlugin(token))))


def call(service, method, request, response):
    rpc = channel.unary_unary("/pomerium.dashboard.%s/%s" % (service, method),
                              request_serializer=lambda m: m.SerializeToString(),
                              response_deserializer=response.FromString)
    return rpc(request)


# get id for namespace 'Production'
resp = call("NamespaceService", "ListNamespaces", namespaces_pb2.ListNamespacesRequest(),
            namespaces_pb2.ListNamespacesResponse)
ns = [n for n in resp.namespaces if n.name == "Production"][0]

# find policy named 'my policy' in namespace 'Production'
resp = call("PolicyService", "ListPolicies", policy_pb2.ListPoliciesRequest(query="my policy", namespace=ns.id),
            policy_pb2.ListPoliciesResponse)
policy = resp.policies[0]

# set route in namespace 'Production', associated to 'my policy'
route = routes_pb2.Route(**{
    "name": "my route",
    "from": "https://my.example.com",
    "to": ["https://my.internal"],
    "policy_ids": [policy.id],
    "pass_identity_headers": True,
})
resp = call("RouteService", "SetRoute", routes_pb2.SetRouteRequest(route=route), routes_pb2.SetRouteResponse)
out = {"route_namespace": resp.route.namespace_id, "production": ns.id,
       "policies": list(resp.route.policy_names), "pass_identity_headers": resp.route.pass_identity_headers}

try:
    call("RouteService", "SetRoute", routes_pb2.SetRouteRequest(route=routes_pb2.Route(name="x", namespace_id=ns.id)),
         routes_pb2.SetRouteResponse)
except grpc.RpcError as e:
    out["refused"] = [e.code().name, e.details()]
print(json.dumps(out))
