#!/usr/bin/env bash
# Two binaries' stage times, alternated: `scripts/ab-stages.sh RUNS CORPUS BINARY_A BINARY_B`.
# Each builds CORPUS (internal profile, --verbose) into an output folder of its own, settled by three
# warm-up builds, then RUNS times each in turn; prints per stage the median wall / CPU ms of each,
# the whole process's wall / CPU (from time(1), to 10 ms) and its minor page faults.
set -euo pipefail
export LC_ALL=C
[ $# -eq 4 ] || { echo "usage: $0 RUNS CORPUS BINARY_A BINARY_B" >&2; exit 2; }
runs=$1 corpus=$2 a=$3 b=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
one() {   # $1: label, $2: binary
  /usr/bin/time -f "TOTAL %e %U %S %R" "$2" build "$corpus" --output "$out/$1" --profile internal --verbose 2>&1 |
    awk -v l="$1" '/^  /{print l, $1, $2, $5} /^TOTAL/{print l, "total", $2*1000, ($3+$4)*1000; print l, "faults", $5, 0}'
}
for _ in 1 2 3; do one A "$a" >/dev/null; one B "$b" >/dev/null; done
for _ in $(seq "$runs"); do one A "$a"; one B "$b"; done | python3 -c '
import collections, statistics, sys
d, order = collections.defaultdict(list), []
for line in sys.stdin:
    label, stage, wall, cpu = line.split()
    d[(label, stage)].append((float(wall), float(cpu)))
    if stage not in order: order.append(stage)
for stage in order:
    print(f"{stage:10}", "  ".join(f"{l}: {statistics.median(w for w, _ in d[(l, stage)]):8.1f} / {statistics.median(c for _, c in d[(l, stage)]):7.1f}" for l in "AB"))
'
