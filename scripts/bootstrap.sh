#!/usr/bin/env bash
# Makes sure what the build needs is installed: cmark (Debian's libcmark-dev) and mimalloc (Debian's
# libmimalloc-dev, the command's allocator) always; with `static`
# (`make install`, `make bench`), also libcurl's development files — Swift's runtime linked in brings
# Foundation's networking part (FlyingFox, the preview server's library, has a proxy handler on
# URLSession), whose link needs -lcurl. Installs when we are root, otherwise prints the command to run.
set -euo pipefail
packages=()
if ! pkg-config --exists libcmark 2>/dev/null || [ ! -f /usr/include/cmark.h ]; then packages+=(libcmark-dev pkg-config); fi
if [ ! -f /usr/include/mimalloc.h ]; then packages+=(libmimalloc-dev); fi
if [ "${1:-}" = "static" ] && ! pkg-config --exists libcurl 2>/dev/null; then packages+=(libcurl4-openssl-dev); fi
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing ${packages[*]}…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "studyportal's build needs ${packages[*]}. Install with:" >&2
  echo "    sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
