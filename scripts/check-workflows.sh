#!/usr/bin/env bash
# Every GitHub workflow we ship — this repo's and the ones `studyportal init` writes — must validate
# against GitHub's workflow schema (check-jsonschema from PyPI).
set -euo pipefail
command -v check-jsonschema >/dev/null || { echo "check-workflows: pip install check-jsonschema" >&2; exit 1; }
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml starter/dot-github/workflows/*.yml
