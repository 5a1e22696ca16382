#!/usr/bin/env bash
# Builds a static binary and the .deb and .rpm packages into dist/.
# Usage: packaging/build.sh [version]
set -euo pipefail
cd "$(dirname "$0")/.."
export VERSION=${1:-0.1.0}
export ARCH=${ARCH:-amd64}
mkdir -p dist
BINARY=dist/pomerium-console
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.buildVersion=v$VERSION" -o "$BINARY" ./cmd/pomerium-console
for fmt in deb rpm; do
  go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.0 package -f packaging/nfpm.yaml -p "$fmt" -t dist/
done
ls -l dist
