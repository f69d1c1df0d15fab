#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli_html.sh - test `linmm run --html FILE` and `linmm tour --html FILE`
# (tools/linmm/html.c, mm/page_state.c).
#
#   tests/cli_html.sh LINMM_BINARY
#
# Runs a small script with --html and checks, with grep and jq only:
#   - the commands' output is the same as without --html;
#   - the file is one HTML document: doctype, <html> ... </html>, the data
#     block and the drawing script, every <script> closed, and xmllint's HTML
#     parser (when installed) finds nothing but HTML5 tags it does not know;
#   - nothing is fetched from elsewhere: no http(s) URL, src=, href=, url(),
#     @import or <link>;
#   - the data block is valid JSON with one step per top-level command (a
#     repeat block is one), line ranges and the script's lines;
#   - at the last step, each zone's "free" counts are /proc/buddyinfo's, and
#     the run-length encoded frame map, decoded by jq, has exactly
#     nr_free[o] * 2^o cells of "free, order o", one cell per frame;
#   - each process's address space at each step: its VMAs as smaps lists
#     them (Rss and Pss the same as `cat /proc/P/smaps`), its resident
#     pages from the page tables by kind (own, shared copy-on-write, zero
#     page), a killed task;
#   - two runs give byte-identical files; a failed expect still writes the
#     report with exit_status 1; --json and --html together; the tour.
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 LINMM_BINARY" >&2
	exit 2
fi
linmm=$1
if ! command -v jq >/dev/null 2>&1; then
	echo "cli_html.sh: needs jq (scripts/deps.sh installs it)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linmm-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {		# check DESCRIPTION JQ-FILTER FILE: the filter must print true
	if [ "$(jq -e "$2" "$3" 2>&1)" != true ]; then
		echo "FAIL: $1 ($2)" >&2
		fail=1
	fi
}
# data HTML JSON: the data block of report HTML into JSON (one line in the page).
data() {
	sed -n 's|^<script type="application/json" id="linmm-data">\(.*\)</script>$|\1|p' "$1" >"$2"
	jq -e . "$2" >/dev/null 2>&1 || { echo "FAIL: $1: no valid JSON data block" >&2; fail=1; }
}

cat >"$tmp/s.linmm" <<'SCRIPT'
boot mem=128M cpus=2
# a comment is a line, not a step
cat /proc/buddyinfo
alloc_pages a order=3
kmalloc k 64
repeat 2 {
  vmalloc v$i 16K
}
free_pages a
drain
cat /proc/buddyinfo
SCRIPT
"$linmm" run "$tmp/s.linmm" >"$tmp/text" 2>&1 || { echo "FAIL: text run" >&2; exit 1; }
"$linmm" run --html "$tmp/r.html" "$tmp/s.linmm" >"$tmp/out" 2>&1
st=$?
[ $st -eq 0 ] || { echo "FAIL: --html run exit status $st" >&2; cat "$tmp/out" >&2; exit 1; }
cmp -s "$tmp/text" "$tmp/out" || { echo "FAIL: --html changed the commands' output" >&2; fail=1; }
[ -s "$tmp/r.html" ] || { echo "FAIL: no report written" >&2; exit 1; }

# One HTML document, everything inline.
h=$tmp/r.html
[ "$(head -n 1 "$h")" = '<!DOCTYPE html>' ] || { echo "FAIL: no doctype" >&2; fail=1; }
[ "$(tail -n 1 "$h")" = '</html>' ] || { echo "FAIL: does not end with </html>" >&2; fail=1; }
for tag in '<html' '<head>' '</head>' '<body>' '</body>' '<canvas' \
	   '<script type="application/json" id="linmm-data">'; do
	grep -qF -- "$tag" "$h" || { echo "FAIL: no $tag" >&2; fail=1; }
done
opens=$(grep -o '<script' "$h" | wc -l)
closes=$(grep -o '</script>' "$h" | wc -l)
[ "$opens" -eq 2 ] && [ "$closes" -eq 2 ] ||
	{ echo "FAIL: $opens <script> and $closes </script>, expected 2 each" >&2; fail=1; }
if grep -Eqi 'https?://|src=|href=|url\(|@import|<link' "$h"; then
	echo "FAIL: the report refers to something outside itself:" >&2
	grep -Eoi '.{20}(https?://|src=|href=|url\(|@import|<link).{20}' "$h" | head -3 >&2
	fail=1
fi
if command -v xmllint >/dev/null 2>&1; then
	# libxml2's HTML 4 parser: only the HTML5 tags it has never heard of may be reported.
	xmllint --html --noout "$h" 2>&1 | grep -v 'Tag canvas invalid\|^<\|^ *^$\|^ *\^' \
		>"$tmp/lint"
	[ -s "$tmp/lint" ] && { echo "FAIL: xmllint --html:" >&2; cat "$tmp/lint" >&2; fail=1; }
fi

data "$h" "$tmp/d.json"
d=$tmp/d.json
check "format" '.format == "linmm-html 1"' "$d"
check "script name" ".script == \"$tmp/s.linmm\"" "$d"
check "machine" '.machine == "mem=128M cpus=2"' "$d"
check "exit status" '.exit_status == 0' "$d"
check "every line" '.lines | length == 11' "$d"
check "the comment line" '.lines[1] == {"line": 2, "text": "# a comment is a line, not a step"}' "$d"
check "one step per command, a repeat block one" '.steps | length == 8' "$d"
check "step commands" '[.steps[].command] == ["boot mem=128M cpus=2", "cat /proc/buddyinfo",
	"alloc_pages a order=3", "kmalloc k 64", "repeat 2 {", "free_pages a", "drain",
	"cat /proc/buddyinfo"]' "$d"
check "the repeat block spans its lines" '.steps[4] | .first_line == 6 and .last_line == 8' "$d"
check "one page per cell" '[.steps[].pages_per_cell] | unique == [1]' "$d"
check "counters" '.steps[-1].meminfo.MemTotal > 0 and .steps[-1].vmstat.nr_free_pages > 0' "$d"
check "kmalloc made a slab frame" '.steps[3].zones | map(.states[4]) | add > 0' "$d"
check "vmalloc frames" '(.steps[4].zones | map(.states[9]) | add) >= 8' "$d"
check "codes" '.codes[0] == {"state": "free", "order": 0} and .codes[-1].state == "hole"' "$d"

# The last step's free counts are the last /proc/buddyinfo, zone by zone.
awk '/^Node/ { z = $2 " " $4; sub(",", "", z); counts = "";
	for (i = 5; i <= NF; i++) counts = counts (i > 5 ? "," : "") $i; last[z] = counts; order[z] = ++n }
     END { for (z in last) print order[z], z, last[z] }' "$tmp/text" | sort -n |
	awk '{ print $2, $3, "[" $4 "]" }' >"$tmp/buddyinfo"
jq -r '.steps[-1].zones[] | "\(.node) \(.zone) \(.free | tojson)"' "$d" >"$tmp/free"
[ -s "$tmp/free" ] && cmp -s "$tmp/buddyinfo" "$tmp/free" ||
	{ echo "FAIL: last step's free counts differ from /proc/buddyinfo:" >&2;
	  diff "$tmp/buddyinfo" "$tmp/free" >&2; fail=1; }

# Decode every zone's map at the last step: runs of (code, 6-bit groups of count).
cat >"$tmp/decode.jq" <<'JQ'
def runs: (@base64d | explode) as $b
  | {i: 0, out: []}
  | until(.i >= ($b | length);
      .i as $s
      | {i: ($s + 1), n: 0, sh: 1, out: .out, code: $b[$s]}
      | until(.i > $s + 1 and $b[.i - 1] < 64; .n += ($b[.i] % 64) * .sh | .sh *= 64 | .i += 1)
      | {i: .i, out: (.out + [[.code, .n]])})
  | .out;
.steps[-1].zones[]
| (.map | runs) as $r
| { zone: .zone,
    cells: ($r | map(.[1]) | add),
    span: (.end_pfn - .start_pfn),
    free_cells: [range(0; 11) as $o | $r | map(select(.[0] == $o) | .[1]) | add // 0],
    buddy: [.free | to_entries[] | .value * pow(2; .key)],
    states_free: .states[1] }
| .cells == .span and .free_cells == .buddy and (.buddy | add) == .states_free
JQ
res=$(jq -f "$tmp/decode.jq" "$d" 2>&1 | sort -u)
[ "$res" = true ] || { echo "FAIL: the decoded maps disagree with buddyinfo ($res)" >&2; fail=1; }

# Determinism: the same script gives the same bytes.
"$linmm" run --html "$tmp/r2.html" "$tmp/s.linmm" >/dev/null 2>&1
cmp -s "$h" "$tmp/r2.html" || { echo "FAIL: two runs gave different reports" >&2; fail=1; }

# A failed expect: exit status 1, and the report of what ran.
printf 'boot mem=128M\nexpect /proc/meminfo MemFree > MemTotal\ncat /proc/vmstat\n' |
	"$linmm" run --html "$tmp/e.html" - >/dev/null 2>&1
st=$?
[ $st -eq 1 ] || { echo "FAIL: failed expect: exit status $st, expected 1" >&2; fail=1; }
data "$tmp/e.html" "$tmp/e.json"
check "failed expect: exit status 1" '.exit_status == 1' "$tmp/e.json"
check "failed expect: its step" '.steps | length == 2 and .[1].status == 1' "$tmp/e.json"
check "failed expect: stdin" '.script == "<stdin>"' "$tmp/e.json"

# --json and --html together: both documents.
"$linmm" run --json --html "$tmp/j.html" "$tmp/s.linmm" >"$tmp/j.json" 2>/dev/null ||
	{ echo "FAIL: --json --html run" >&2; fail=1; }
check "--json beside --html" '.snapshots | length == 2' "$tmp/j.json"
data "$tmp/j.html" "$tmp/j2.json"
check "--html beside --json" '.steps | length == 8' "$tmp/j2.json"

# Each process's address space: VMAs as smaps has them, resident pages from the page tables.
#   0x10000000 a: [a][s][z][z]   page 0 written by both (the child's write copied it),
#                                page 1 written before fork (shared), 2-3 only read
#   0x20000000 b: [ ][ ]         p's, mapped after fork: nothing touched
cat >"$tmp/p.linmm" <<'SCRIPT'
boot mem=128M
spawn p comm=demo
mmap p a 16K addr=0x10000000 flags=private,anonymous,fixed
touch p a read
touch p a 8K write
fork p c
write c a "x"
mmap p b 8K addr=0x20000000 flags=private,anonymous,fixed
cat /proc/p/smaps
cat /proc/c/smaps
write c 0x0 "x"
SCRIPT
"$linmm" run --html "$tmp/p.html" "$tmp/p.linmm" >"$tmp/p.out" 2>&1 ||
	{ echo "FAIL: the process script" >&2; cat "$tmp/p.out" >&2; fail=1; }
data "$tmp/p.html" "$tmp/p.json"
p=$tmp/p.json
check "no task before spawn" '.steps[0].tasks == []' "$p"
check "tasks in pid order" '[.steps[-1].tasks[] | [.pid, .comm]] == [[1, "demo"], [2, "demo"]]' "$p"
check "the child was killed" '[.steps[-1].tasks[].killed] == [null, "SIGSEGV"] and
	.steps[-2].tasks[1].killed == null' "$p"
check "the parent's VMAs" '[.steps[-1].tasks[0].vmas[] | [.start, .end, .perms, .name, .pages]] ==
	[["10000000", "10004000", "rw-p", "", 4], ["20000000", "20002000", "rw-p", "", 2]]' "$p"
check "the child has no b" '[.steps[-1].tasks[1].vmas[].start] == ["10000000"]' "$p"
check "resident pages: own, shared, zero" '[.steps[-1].tasks[] | .vmas[0].resident] ==
	[[[0, 1, "a"], [1, 1, "s"], [2, 2, "z"]], [[0, 1, "a"], [1, 1, "s"], [2, 2, "z"]]]' "$p"
check "nothing resident in b" '.steps[-1].tasks[0].vmas[1].resident == [] and
	(.steps[-1].tasks[0].vmas | map(.truncated) | unique) == [false]' "$p"
check "before fork: two own pages, two zero pages" \
	'.steps[4].command == "touch p a 8K write" and
	.steps[4].tasks[0].vmas[0].resident == [[0, 2, "a"], [2, 2, "z"]]' "$p"
# Rss and Pss per VMA are the ones `cat /proc/P/smaps` printed, in order.
awk '$1 == "Rss:" { r = $2 } $1 == "Pss:" { print r, $2 }' "$tmp/p.out" >"$tmp/p.smaps"
jq -r '.steps[-2].tasks[].vmas[] | "\(.rss_kb) \(.pss_kb)"' "$p" >"$tmp/p.rss"
[ "$(wc -l <"$tmp/p.smaps")" -eq 3 ] && cmp -s "$tmp/p.smaps" "$tmp/p.rss" ||
	{ echo "FAIL: Rss/Pss differ from smaps:" >&2; diff "$tmp/p.smaps" "$tmp/p.rss" >&2; fail=1; }
check "Rss 8 kB, Pss 6 kB" '.steps[-1].tasks[0].vmas[0] | .rss_kb == 8 and .pss_kb == 6' "$p"
grep -qF 'id="tasks"' "$tmp/p.html" || { echo "FAIL: no address space section" >&2; fail=1; }

# The tour, on a small machine.
"$linmm" tour --html "$tmp/t.html" mem=256M >/dev/null 2>&1 || { echo "FAIL: tour --html" >&2; fail=1; }
data "$tmp/t.html" "$tmp/t.json"
check "tour steps" '(.steps | length) > 5 and .steps[0].command == "boot mem=256M"' "$tmp/t.json"
check "tour name" '.script == "linmm tour"' "$tmp/t.json"

[ $fail -eq 0 ] && echo "ok cli_html"
exit $fail
