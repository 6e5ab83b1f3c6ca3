#!/usr/bin/env bash
# Installs code-server (a real VS Code for e2e tests) once into a cache dir, offline; prints the binary's path last.
set -euo pipefail

VERSION=4.100.3
RIPGREP_CACHE=${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11  # where @vscode/ripgrep's postinstall looks first
DIR=${PYDOCK_CACHE:-/var/cache/pydock}/code-server
BIN=$DIR/node_modules/.bin/code-server
STAMP=$DIR/.installed-$VERSION
LOG=$DIR.log

say() { echo "code-server: $*" >&2; }
fail() { say "FAILED: $1 (log: $LOG)"; tail -20 "$LOG" >&2; exit 1; }

cached() { [[ -f $STAMP ]] && say "$VERSION cached" && echo "$BIN"; }
cached && exit 0
mkdir -p "$(dirname "$DIR")" && exec 9>"$DIR.lock" \
  || { say "FAILED: cannot write $(dirname "$DIR"): run scripts/setup.sh as root or set PYDOCK_CACHE to a writable folder"; exit 1; }
flock 9  # concurrent test runs wait for one install instead of clobbering it
cached && exit 0

command -v rg >/dev/null || { say "FAILED: ripgrep missing: run scripts/setup.sh as root (or apt-get install ripgrep)"; exit 1; }
# node-gyp cannot download Node's headers here; Debian's nodejs package ships them under /usr.
if [[ -f /usr/include/node/node.h ]]; then export npm_config_nodedir=/usr; fi
say "installing $VERSION into $DIR (about a minute)"
rm -rf "$DIR" && mkdir -p "$DIR" && : >"$LOG"
echo '{"name": "pydock-code-server", "private": true}' >"$DIR/package.json"

# Its ripgrep download is blocked: hand it Debian's rg in the archive it would have downloaded.
mkdir -p "$RIPGREP_CACHE"
tar -C "$(dirname "$(command -v rg)")" -czf "$RIPGREP_CACHE/ripgrep-v13.0.0-10-$(uname -m)-unknown-linux-musl.tar.gz" rg

(cd "$DIR" && npm install --ignore-scripts "code-server@$VERSION") >>"$LOG" 2>&1 \
  || fail "npm install code-server@$VERSION (is the npm registry reachable?)"

(cd "$DIR/node_modules/code-server" \
  && npm_config_yes=true npm_config_user_agent="npm/11 node/$(node -v) linux x64" npm_config_unsafe_perm=true sh ./postinstall.sh) >>"$LOG" 2>&1 \
  || fail "code-server postinstall.sh (needs libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev: run scripts/setup.sh as root)"

# npm skipped argon2's install script; build its native module (a download error comes first, then the build).
ARGON2=$(cd "$DIR/node_modules/code-server" && node -p 'path.dirname(require.resolve("argon2/package.json"))')
(cd "$ARGON2" && node "$(node -p 'require.resolve("@mapbox/node-pre-gyp/bin/node-pre-gyp")')" \
  install --fallback-to-build --build-from-source) >>"$LOG" 2>&1 || fail "building argon2 with node-pre-gyp"
node -e 'require(process.argv[1])' "$ARGON2" >>"$LOG" 2>&1 || fail "argon2 native module does not load"

"$BIN" --version >>"$LOG" 2>&1 || fail "$BIN --version"
touch "$STAMP"
say "installed $VERSION"
echo "$BIN"
