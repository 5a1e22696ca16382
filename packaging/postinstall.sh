#!/bin/sh
# Reloads systemd so the unit is known; the admin enables it after editing
# /etc/pomerium-console/config.yaml.
set -e
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
