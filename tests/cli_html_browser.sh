#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli_html_browser.sh - the --html report in a real browser: headless
# Chromium (Debian's chromium package; scripts/deps.sh --browser installs it).
#
#   tests/cli_html_browser.sh LINMM_BINARY
#
# Writes the report of `linmm tour --html` (every section has something to
# draw: zones, counters, processes) and checks that
#   - the page's script ran to its end without an error: it sets
#     <body data-rendered="ok"> when everything is drawn, and window.onerror
#     sets "error: MESSAGE" (read back with --dump-dom);
#   - it drew: the frame maps hold at least 4 colours (data-map-colours,
#     counted from the canvases' pixels by the page), there is one address
#     space strip per process, and the console logged no uncaught error;
#   - a screenshot is a PNG of the window's size that is not blank: many
#     times the bytes of a screenshot of an empty page of the same size;
#   - the check can fail: a copy of the report with its data block broken
#     reports the error instead of "ok".
# Exits 77 (ctest: skipped) when no chromium is installed.  Chromium runs
# without network, sandbox or GPU, with a fresh profile; each run is limited
# to 60 s (about 2 s each here).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 LINMM_BINARY" >&2
	exit 2
fi
linmm=$1
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser; do
		command -v "$c" >/dev/null 2>&1 && { chromium=$c; break; }
	done
fi
if [ -z "$chromium" ]; then
	echo "cli_html_browser.sh: no chromium (scripts/deps.sh --browser installs it): skipped"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linmm-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
width=1200
height=900

# browser OUT-FILE ARGS... : one headless run with a fresh profile; stderr to OUT-FILE.
browser() {
	local out=$1
	shift
	timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
		--enable-logging=stderr --v=0 --window-size=$width,$height "$@" 2>"$out"
}

"$linmm" tour --html "$tmp/r.html" mem=256M >/dev/null 2>&1 ||
	{ echo "FAIL: linmm tour --html" >&2; exit 1; }

# The page's own verdict, from the DOM after its script ran.
browser "$tmp/dom.err" --dump-dom "file://$tmp/r.html" >"$tmp/dom.html" ||
	{ echo "FAIL: chromium --dump-dom exit status $?" >&2; tail -5 "$tmp/dom.err" >&2; exit 1; }
body=$(grep -o '<body[^>]*>' "$tmp/dom.html" | head -n 1)
attr() { printf '%s\n' "$body" | sed -n "s/.* $1=\"\\([^\"]*\\)\".*/\\1/p"; }
rendered=$(attr data-rendered)
colours=$(attr data-map-colours)
strips=$(attr data-vma-strips)
[ "$rendered" = ok ] || { echo "FAIL: the page did not finish drawing: '$rendered' ($body)" >&2; fail=1; }
[ "${colours:-0}" -ge 4 ] 2>/dev/null ||
	{ echo "FAIL: the frame maps have ${colours:-no} colours, expected at least 4" >&2; fail=1; }
# The tour ends with two processes: demo (its child exited) and the /dev/shm reader.
[ "$strips" = 2 ] || { echo "FAIL: ${strips:-no} address space strips, expected 2" >&2; fail=1; }
if grep -i 'uncaught' "$tmp/dom.err" >&2; then
	echo "FAIL: the console logged an uncaught error (above)" >&2
	fail=1
fi

# A screenshot of the report, and one of an empty page of the same size.
printf '<!DOCTYPE html>\n<html><body></body></html>\n' >"$tmp/empty.html"
browser "$tmp/shot.err" --screenshot="$tmp/shot.png" "file://$tmp/r.html" >/dev/null ||
	{ echo "FAIL: chromium --screenshot exit status $?" >&2; tail -5 "$tmp/shot.err" >&2; exit 1; }
browser "$tmp/empty.err" --screenshot="$tmp/empty.png" "file://$tmp/empty.html" >/dev/null ||
	{ echo "FAIL: chromium --screenshot (empty page)" >&2; exit 1; }
# PNG: the 8-byte signature, then IHDR with width and height, big-endian.
sig=$(od -An -tx1 -N8 "$tmp/shot.png" | tr -d ' \n')
[ "$sig" = 89504e470d0a1a0a ] || { echo "FAIL: the screenshot is not a PNG ($sig)" >&2; fail=1; }
be32() { od -An -tu1 -j"$2" -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }
w=$(be32 "$tmp/shot.png" 16)
h=$(be32 "$tmp/shot.png" 20)
[ "$w" = $width ] && [ "$h" = $height ] ||
	{ echo "FAIL: screenshot is ${w}x$h, expected ${width}x$height" >&2; fail=1; }
size=$(wc -c <"$tmp/shot.png")
empty=$(wc -c <"$tmp/empty.png")
[ "$size" -gt $((10 * empty)) ] ||
	{ echo "FAIL: the screenshot looks blank: $size bytes, an empty page's $empty" >&2; fail=1; }

# A broken report must not say "ok": the data block cut short is a JSON error.
sed 's|^\(<script type="application/json" id="linmm-data">{\)"format"|\1"format|' \
	"$tmp/r.html" >"$tmp/bad.html"
browser "$tmp/bad.err" --dump-dom "file://$tmp/bad.html" >"$tmp/bad_dom.html"
bad=$(grep -o '<body[^>]*>' "$tmp/bad_dom.html" | head -n 1)
case $bad in
*'data-rendered="error: '*) ;;
*) echo "FAIL: a broken report was not reported as an error: $bad" >&2; fail=1 ;;
esac

[ $fail -eq 0 ] && echo "ok cli_html_browser ($rendered, $colours map colours, screenshot $size bytes, empty page $empty)"
exit $fail
