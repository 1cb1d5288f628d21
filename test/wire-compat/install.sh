#!/usr/bin/env bash
# Installs the npm packages the wire-compatibility and xDS interop tests need (idempotent):
#   test/wire-compat/node  - @grpc/grpc-js-xds, whose deps/ holds the upstream Envoy/xDS protos
#   test/xds-interop       - the upstream-proto ADS management server (grpc-js, proto-loader, protobufjs)
# Versions are pinned by each folder's package-lock.json; node_modules is not committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install.sh: $tool is required (e.g. apt-get install -y nodejs npm)" >&2
    exit 1
  fi
done
for dir in "$repo/test/wire-compat/node" "$repo/test/xds-interop"; do
  stamp="$dir/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
    echo "install.sh: $dir is up to date"
    continue
  fi
  echo "install.sh: npm ci in $dir"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
done
