#!/usr/bin/env bash
# Idempotent machine set-up for running and testing pydock: Debian packages, dockerd, local Python images, npm deps.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(docker.io debootstrap chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
  python3-pandas python3-numpy python3-msgpack python3-matplotlib python3-debugpy  # Debian's python3 gets debugpy: the local backend's debugging test
  podman catatonit openssl openssh-server  # Podman as a Docker API engine; TLS and ssh daemons for the remote tests
  docker-registry apache2-utils)  # an image registry (htpasswd: bcrypt passwords) for the pull tests
APT_LOG=/var/log/pydock-apt.log
DOCKERD_LOG=/var/log/pydock-dockerd.log
NPM_LOG=${TMPDIR:-/tmp}/pydock-npm-$(id -u).log

say() { echo "setup: $*"; }
fail() { echo "setup: FAILED: $*" >&2; exit 1; }

exec 9<.
flock 9  # one set-up per checkout at a time (npm); apt and images.sh have locks of their own

missing=()
for package in "${PACKAGES[@]}"; do
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) == installed ]] || missing+=("$package")
done
if (( ${#missing[@]} == 0 )); then
  say "debian packages: present"
elif (( EUID != 0 )); then
  say "debian packages: not root, skipping; missing: ${missing[*]} (run this script as root to install them)"
else
  say "debian packages: installing ${missing[*]}"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 "${missing[@]}"; } >"$APT_LOG" 2>&1 \
    || { tail -20 "$APT_LOG" >&2; fail "apt-get install (log: $APT_LOG); check that the Debian mirror is reachable"; }
fi

if docker info >/dev/null 2>&1; then
  say "docker: running"
elif (( EUID != 0 )); then
  fail "docker: 'docker info' fails as $(id -un); start dockerd as root (or run this script as root) and give this user the docker socket"
else
  command -v dockerd >/dev/null || fail "docker: dockerd is not installed; install docker.io"
  setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null 9<&- &  # detached, and without our lock
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -5 "$DOCKERD_LOG" >&2; fail "docker: dockerd did not answer within 30 s (log: $DOCKERD_LOG)"; }
  say "docker: started dockerd (log: $DOCKERD_LOG)"
fi

bash scripts/images.sh || fail "images: building the local Python images (see above; needs root, docker and the Debian mirror)"

npm_failed() { grep -m 12 '^npm error' "$NPM_LOG" >&2; fail "$1 (log: $NPM_LOG); check that the npm registry is reachable"; }
if [[ node_modules/.package-lock.json -nt package-lock.json ]]; then  # npm writes its hidden lockfile last
  say "npm: node_modules up to date"
else
  say "npm: npm ci (log: $NPM_LOG)"
  if ! npm ci --no-audit --no-fund >"$NPM_LOG" 2>&1; then
    # The registry here lacks other platforms' optional packages (@msgpackr-extract/*-darwin-*), so the lock omits
    # them and npm ci calls it out of sync; npm install accepts that lock and installs the locked versions.
    grep -q 'code EUSAGE' "$NPM_LOG" || npm_failed "npm ci"
    say "npm: npm ci found the lock out of sync (optional packages this registry lacks?); npm install --no-save instead"
    npm install --no-save --no-audit --no-fund >"$NPM_LOG" 2>&1 || npm_failed "npm install"
  fi
fi
