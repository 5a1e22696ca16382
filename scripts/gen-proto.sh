#!/usr/bin/env bash
# Regenerates the Go code of every .proto under app/pb (app/pb/doc.go runs it
# through `go generate ./app/pb/...`). Files sit in one folder per proto package,
# app/pb/<dir>/<name>.proto, with go_package
# github.com/pomerium-console-oss/pomerium-console/app/pb/<dir>, and its
# .pb.go (and _grpc.pb.go when it declares services) lands next to it.
#
# Needs protoc with the well-known types (Debian: protobuf-compiler and
# libprotobuf-dev). The two plugins are the versions pinned as tools in go.mod,
# so the output is the same on every machine and CI can check it is committed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

command -v protoc >/dev/null 2>&1 || {
  echo "gen-proto: protoc not found; install it with: apt-get install protobuf-compiler libprotobuf-dev" >&2
  exit 1
}

protos=()
while IFS= read -r f; do protos+=("${f#app/pb/}"); done < <(find app/pb -name '*.proto' | LC_ALL=C sort)
[ ${#protos[@]} -gt 0 ] || { echo "gen-proto: no .proto files under app/pb" >&2; exit 1; }

# Files are named relative to app/pb ("databroker/databroker.proto"), which keeps
# their registered names unique in the binary's protobuf registry.
protoc -I app/pb \
  --plugin=protoc-gen-go="$(go tool -n protoc-gen-go)" \
  --plugin=protoc-gen-go-grpc="$(go tool -n protoc-gen-go-grpc)" \
  --go_out=app/pb --go_opt=paths=source_relative \
  --go-grpc_out=app/pb --go-grpc_opt=paths=source_relative \
  "${protos[@]}"
