#!/usr/bin/env bash
# Screenshots of the sample site for the README, taken with headless Chromium from a local server.
set -euo pipefail
bin=${1:-.build/debug/studyportal}
command -v chromium >/dev/null && command -v pdftoppm >/dev/null || { echo "screenshots: needs chromium and pdftoppm (apt-get install chromium fonts-noto-cjk poppler-utils)" >&2; exit 1; }
work=$(mktemp -d)
"$bin" build . --quiet --output "$work/site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
shot() { # name path height
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,"$3" \
    --screenshot="docs/$1.png" "http://127.0.0.1:$port/$2" 2>/dev/null
}
shot home "" 1500
shot material materials/tuandui-xuexi/ 1300
shot dashboard progress/ 1600
shot group groups/g1/ 1500
shot member members/u002/ 1500
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1100 --virtual-time-budget=5000 \
  --screenshot="docs/search.png" "http://127.0.0.1:$port/search/?q=%E7%BB%88%E8%BA%AB%E5%AD%A6%E4%B9%A0" 2>/dev/null
# A ledger as printed on A4 (print CSS: repeated headers, page numbers), first page.
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$work/ledger.pdf" \
  "http://127.0.0.1:$port/ledgers/2026/members/u002/" 2>/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/ledger.pdf" docs/ledger-print
echo "screenshots: docs/{home,material,dashboard,group,member,search,ledger-print}.png"
