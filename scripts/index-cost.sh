#!/usr/bin/env bash
# make index-cost: what building the search index adds to a build (issue 5's budget: at most 20%),
# measured directly — the installed binary against one compiled without the index
# (-DSTUDYPORTAL_WITHOUT_INDEX: no index written, the Markdown stage measures the bodies instead),
# alternating on the 10,000-material corpus, medians of RUNS after a warm-up.
set -euo pipefail
export LC_ALL=C
RUNS=${RUNS:-9}
CORPUS=${CORPUS:-bench-corpus/m10000}
with=${BIN:-.build-static/release/studyportal}
swift build -c release --product studyportal --static-swift-stdlib --scratch-path .build-noindex -Xswiftc -DSTUDYPORTAL_WITHOUT_INDEX >/dev/null
without=.build-noindex/release/studyportal
[ -x "$with" ] || { echo "index-cost: no $with (make static builds it)" >&2; exit 1; }
[ -d "$CORPUS" ] || { echo "index-cost: no $CORPUS (make bench generates it)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {   # wall and CPU seconds of one build of $2 into $out/$1
  sync
  local t0=$EPOCHREALTIME r
  r=$(/usr/bin/time -f "%U %S" "$2" build "$CORPUS" --output "$out/$1" --profile internal --quiet 2>&1 | tail -1)
  awk -v a="$t0" -v b="$EPOCHREALTIME" -v r="$r" 'BEGIN {split(r, f, " "); printf "%.3f %.2f\n", b - a, f[1] + f[2]}'
}
for _ in 1 2 3; do run with "$with" >/dev/null; run without "$without" >/dev/null; done   # warm, folders settled
: >"$out/times"
for _ in $(seq "$RUNS"); do echo "with $(run with "$with")" >>"$out/times"; echo "without $(run without "$without")" >>"$out/times"; done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ww=$(awk '$1=="with"{print $2}' "$out/times" | median); wc=$(awk '$1=="with"{print $3}' "$out/times" | median)
ow=$(awk '$1=="without"{print $2}' "$out/times" | median); oc=$(awk '$1=="without"{print $3}' "$out/times" | median)
awk -v ww="$ww" -v wc="$wc" -v ow="$ow" -v oc="$oc" -v runs="$RUNS" 'BEGIN {
  printf "with the index %.3f s (CPU %.2f s), without %.3f s (CPU %.2f s), medians of %d: the index adds %.1f%% (CPU %.1f%%)\n", ww, wc, ow, oc, runs, 100 * (ww - ow) / ow, 100 * (wc - oc) / oc }'
