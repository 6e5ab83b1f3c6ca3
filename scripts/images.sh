#!/usr/bin/env bash
# Builds the local Python images (no registry needed) with debootstrap + docker import; reuses them when present.
set -euo pipefail

FULL=pydock-local/python:full      # python3 + numpy + pandas + msgpack + matplotlib + ipykernel + pip + jedi + debugpy
BARE=pydock-local/python:bare      # python3 only: the honest "stock image" test
CACHE=${PYDOCK_CACHE:-/var/cache/pydock}

mirror() { awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || echo http://deb.debian.org/debian; }

build() { # build TAG DEBOOTSTRAP_PACKAGES [APT_PACKAGES]
  local tag=$1 packages=$2 extras=${3:-} root="$CACHE/rootfs-${1##*:}" log="$CACHE/build-${1##*:}.log"
  # The image carries its package lists: one built from other lists (an older checkout's) is built again.
  local recipe; recipe=$(printf '%s\n%s' "$packages" "$extras" | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "pydock.recipe"}}' "$tag" 2>/dev/null)" = "$recipe" ]; then
    echo "image $tag: cached"; return
  fi
  echo "image $tag: building from Debian with debootstrap (about a minute)"
  rm -rf "$root" && mkdir -p "$root"
  debootstrap --variant=minbase --include="$packages" bookworm "$root" "$(mirror)" >"$log" 2>&1 \
    || { tail -20 "$log"; echo "debootstrap failed for $tag; the log is $log"; exit 1; }
  if [ -n "$extras" ]; then # apt, unlike debootstrap, resolves virtual packages (python3-zmq needs them)
    chroot "$root" apt-get install -y --no-install-recommends $extras >>"$log" 2>&1 \
      || { tail -20 "$log"; echo "apt-get in the image root failed for $tag; the log is $log"; exit 1; }
  fi
  chroot "$root" apt-get clean
  tar -C "$root" -c . | docker import -c 'CMD ["python3"]' -c "LABEL pydock.recipe=$recipe" - "$tag" >/dev/null
  rm -rf "$root"
  echo "image $tag: built"
}

mkdir -p "$CACHE"
exec 9>"$CACHE/images.lock"
flock 9  # concurrent runs would delete each other's rootfs
build "$BARE" python3
# python3-debugpy's gdb needs a boost package debootstrap does not resolve by itself: name it.
build "$FULL" python3,python3-numpy,python3-pandas,python3-msgpack,python3-debugpy,libboost-regex1.74.0 \
  "python3-matplotlib python3-ipykernel python3-jupyter-client python3-pip python3-setuptools python3-wheel python3-jedi"
