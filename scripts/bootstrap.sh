#!/usr/bin/env bash
# Makes sure cmark (Debian's libcmark-dev) is installed: installs it when we are root, otherwise
# prints the exact command to run.
set -euo pipefail
if pkg-config --exists libcmark 2>/dev/null && [ -f /usr/include/cmark.h ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing libcmark-dev (cmark, the CommonMark reference library)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmark-dev pkg-config >/dev/null
else
  echo "studyportal needs cmark. Install it with:" >&2
  echo "    sudo apt-get install -y libcmark-dev pkg-config" >&2
  exit 1
fi
