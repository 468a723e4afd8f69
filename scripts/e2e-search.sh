#!/usr/bin/env bash
# End to end, as a person sees it: the sample site built under /portal/, served on 127.0.0.1, the search
# page loaded in headless Chromium with ?q=…, the DOM read after the script ran.
set -euo pipefail
bin=${1:-.build/debug/studyportal}
command -v chromium >/dev/null || { echo "e2e-search: needs chromium (apt-get install chromium)" >&2; exit 1; }
work=$(mktemp -d)
mkdir -p "$work/www"
"$bin" build . --quiet --output "$work/www/portal" --base-url /portal/
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/portal/" && break; sleep 0.1; done
dom() { chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=8000 --dump-dom "http://127.0.0.1:$port/portal/search/?q=$1" 2>/dev/null; }
fail=0
check() { # name, DOM, expected substring
  if grep -qF -- "$3" <<<"$2"; then echo "e2e-search: ok   $1"; else echo "e2e-search: FAIL $1: no \"$3\"" >&2; fail=1; fi
}
d=$(dom "%E7%BB%88%E8%BA%AB%E5%AD%A6%E4%B9%A0")   # 终身学习
first=$(grep -o '<li class="search-hit"><h2 class="item-title"><a href="[^"]*"' <<<"$d" | head -1)
check "终身学习: the material ranks first" "$first" 'href="/portal/materials/zhongshen-xuexi/"'
check "终身学习: count shown" "$d" '条结果'
check "终身学习: highlighted" "$d" '<mark>终身学习</mark>'
d=$(dom "%E5%9B%A2%E9%98%9F%E5%AD%A6%E4%B9%A0")   # 团队学习, inside sentences too
check "团队学习 found" "$d" 'href="/portal/materials/tuandui-xuexi/"'
d=$(dom "%EF%BC%B0%EF%BC%A4%EF%BC%A3%EF%BC%A1")   # ＰＤＣＡ, full-width
check "full-width PDCA folds" "$d" 'href="/portal/materials/xuexi-fangfa/"'
d=$(dom "%E5%AD%A6")   # 学, one character
check "one-character query" "$d" 'class="search-hit"'
d=$(dom "qqqxyz")
check "nothing matched says so" "$d" '没有找到与“qqqxyz”相关的内容'
exit $fail
