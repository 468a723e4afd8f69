#!/usr/bin/env bash
# The sample's expected progress.json must be what the independent oracle computes from the sample
# content today: edit the sample, and this tells you to regenerate the fixture (and look at the diff).
set -euo pipefail
fixture=Tests/StudyPortalTests/Fixtures/sample-progress.expected.json
if ! python3 Tests/oracle/progress_oracle.py . | diff -u "$fixture" - ; then
  echo "check-oracle: the sample changed; regenerate with: python3 Tests/oracle/progress_oracle.py . > $fixture" >&2
  exit 1
fi
echo "check-oracle: sample progress fixture is up to date"
