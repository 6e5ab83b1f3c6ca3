#!/usr/bin/env bash
# The README's test command: sets the machine up, builds and packages pydock, then runs every suite (one summary at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/code-server.sh >/dev/null  # the e2e suite drives a real VS Code
echo "build: typecheck, bundle and package"
npm run --silent package >/tmp/pydock-package.log 2>&1 || { cat /tmp/pydock-package.log; echo "build: FAILED"; exit 1; }
node scripts/run-tests.mjs
