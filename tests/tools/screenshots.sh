#!/bin/sh
# Screenshots of a built trustdir site in headless Chromium, for a person to
# look at (not a test: nothing here passes or fails on the pictures).
#
#   tests/tools/screenshots.sh OUTDIR SITE_DIR
#
# Serves SITE_DIR with `python3 -m http.server` on a free port of 127.0.0.1
# and writes into OUTDIR, at 1280 and 390 px wide:
#   directory-W.png   the directory (index.html)
#   profile-W.png     vendors/example-networks/, or the first vendor
#   principle-W.png   principles/governance/, or the first principle
# Heights: SHOT_HEIGHT_WIDE (default 2200) and SHOT_HEIGHT_NARROW (default
# 3200) px; the shot shows the top of the page at that window height.
# CHROMIUM names the browser (default: chromium, else chromium-browser).
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 OUTDIR SITE_DIR" >&2
	exit 2
fi
outdir=$1
site=$2
[ -f "$site/index.html" ] || { echo "$0: $site/index.html: no trustdir site there" >&2; exit 2; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser; do
		command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
	done
fi
[ -n "$browser" ] || { echo "$0: no chromium on the PATH (apt-get install chromium)" >&2; exit 3; }

first_dir() {  # first subdirectory (sorted) of $1 that holds an index.html
	for d in "$1"/*/; do
		[ -f "$d/index.html" ] && { basename "$d"; return 0; }
	done
	return 1
}

profile=example-networks
[ -f "$site/vendors/$profile/index.html" ] || profile=$(first_dir "$site/vendors") ||
	{ echo "$0: the site has no vendor pages" >&2; exit 3; }
principle=governance
[ -f "$site/principles/$principle/index.html" ] || principle=$(first_dir "$site/principles") ||
	{ echo "$0: the site has no principle pages" >&2; exit 3; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
		server=""
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 -m http.server --bind 127.0.0.1 --directory "$site" "$port" >"$tmp/server.log" 2>&1 &
server=$!
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || { echo "$0: the HTTP server did not start:" >&2; cat "$tmp/server.log" >&2; exit 3; }
	sleep 0.1
done

shot() {  # name path width height
	file="$outdir/$1-$3.png"
	profile_dir=$(mktemp -d "$tmp/chromium.XXXXXX")
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile_dir" --hide-scrollbars --window-size="$3,$4" \
		--screenshot="$file" "http://127.0.0.1:$port/$2" >"$tmp/chromium.log" 2>&1 ||
		{ echo "$0: chromium failed on /$2:" >&2; cat "$tmp/chromium.log" >&2; exit 3; }
	[ -s "$file" ] || { echo "$0: no screenshot written for /$2" >&2; exit 3; }
	echo "$file  (/$2 at $3x$4)"
}

wide=${SHOT_HEIGHT_WIDE:-2200}
narrow=${SHOT_HEIGHT_NARROW:-3200}
for w in 1280 390; do
	h=$wide
	[ "$w" -ge 800 ] || h=$narrow
	shot directory "" "$w" "$h"
	shot profile "vendors/$profile/" "$w" "$h"
	shot principle "principles/$principle/" "$w" "$h"
done
