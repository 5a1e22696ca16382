#!/bin/sh
# Creates the system user the service runs as.
set -e
if ! getent group pomerium-console >/dev/null; then
  groupadd --system pomerium-console
fi
if ! getent passwd pomerium-console >/dev/null; then
  useradd --system --gid pomerium-console --home-dir /var/lib/pomerium-console \
    --no-create-home --shell /usr/sbin/nologin pomerium-console
fi
