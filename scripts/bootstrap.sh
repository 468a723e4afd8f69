#!/usr/bin/env bash
# Makes sure what the build needs is installed: cmark (Debian's libcmark-dev) and mimalloc (Debian's
# libmimalloc-dev, the command's allocator). (The static build, `make install` and `make bench`, needed
# libcurl's development files too while the preview server was FlyingFox, which brought in Foundation's
# networking part; `static` is still accepted.) Installs when we are root, otherwise prints the command
# to run.
set -euo pipefail
packages=()
if ! pkg-config --exists libcmark 2>/dev/null || [ ! -f /usr/include/cmark.h ]; then packages+=(libcmark-dev pkg-config); fi
if [ ! -f /usr/include/mimalloc.h ]; then packages+=(libmimalloc-dev); fi
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
