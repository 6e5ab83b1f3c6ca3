#!/usr/bin/env bash
# The README's start command: sets up what it can, builds pydock, and opens code-server with it and the demo workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PYDOCK_PORT:-8123}
STATE=${PYDOCK_CACHE:-/var/cache/pydock}/product
SETTINGS='"pydock.backend": "docker"'  # with the default image, python:3.12-slim

if (( EUID == 0 )); then
  bash scripts/setup.sh
else
  echo "start: not root: skipping Debian packages, dockerd and image builds (run as root once for those)"
  [[ -d node_modules ]] || npm install --no-audit --no-fund
fi

# The demo's cells need numpy, pandas and matplotlib: the image setup.sh builds has them, stock python:3.12-slim not.
if docker info >/dev/null 2>&1 && docker image inspect pydock-local/python:full >/dev/null 2>&1; then
  SETTINGS='"pydock.backend": "docker", "pydock.image": "pydock-local/python:full"'
  echo "start: Docker is running; sessions use pydock-local/python:full (built by scripts/setup.sh)"
elif docker info >/dev/null 2>&1 && docker image inspect python:3.12-slim >/dev/null 2>&1; then
  echo "start: Docker is running; sessions use python:3.12-slim, which lacks pandas and matplotlib for the demo's cells"
else
  PYTHON=$(command -v python3)
  /usr/bin/python3 -c 'import pandas, matplotlib' 2>/dev/null && PYTHON=/usr/bin/python3
  SETTINGS="\"pydock.backend\": \"local\", \"pydock.local.python\": \"$PYTHON\""
  echo "start: no usable Docker image or daemon (run this as root to set them up): using the local backend with $PYTHON (NOT sandboxed)"
fi

echo "start: building pydock"
npm run --silent package >/tmp/pydock-package.log 2>&1 || { cat /tmp/pydock-package.log; echo "start: build FAILED"; exit 1; }
CODE_SERVER=$(bash scripts/code-server.sh | tail -1)

mkdir -p "$STATE/extensions" "$STATE/user-data/User"
"$CODE_SERVER" --extensions-dir "$STATE/extensions" --user-data-dir "$STATE/user-data" \
  --install-extension dist/pydock.vsix --force >/dev/null
cat >"$STATE/user-data/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  $SETTINGS
}
JSON

echo "start: open http://127.0.0.1:$PORT/?folder=$PWD/demo  (Ctrl+C stops it; pydock removes its containers)"
exec "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --extensions-dir "$STATE/extensions" --user-data-dir "$STATE/user-data" "$PWD/demo"
