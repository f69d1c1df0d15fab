#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli_json.sh - test `linmm run --json` (tools/linmm/json.c).
#
#   tests/cli_json.sh LINMM_BINARY
#
# Runs one script twice, as text and as JSON, and checks with jq (an
# independent JSON parser) that:
#   - standard output is one valid JSON document and nothing else;
#   - each `cat` is a snapshot with its line, command and path, whose "text"
#     is exactly what the text run printed for that command;
#   - "fields" of /proc/meminfo hold the numbers of its text (read by awk);
#   - "final" holds the /proc/vmstat counters a last `cat` shows;
#   - "exit_status" is the exit status, also when an expect fails (1).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 LINMM_BINARY" >&2
	exit 2
fi
linmm=$1
if ! command -v jq >/dev/null 2>&1; then
	echo "cli_json.sh: needs jq (scripts/deps.sh installs it)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linmm-json.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {		# check DESCRIPTION JQ-FILTER FILE: the filter must print true
	if [ "$(jq -e "$2" "$3" 2>&1)" != true ]; then
		echo "FAIL: $1 ($2)" >&2
		fail=1
	fi
}

# Everything the JSON run reports must match the text run of the same script.
cat >"$tmp/s.linmm" <<'SCRIPT'
boot mem=128M
cat /proc/meminfo
repeat 3 {
  kmalloc a$i 4K
}
cat /proc/buddyinfo
cat /proc/vmstat
SCRIPT
"$linmm" run "$tmp/s.linmm" >"$tmp/text" 2>&1 || { echo "FAIL: text run" >&2; exit 1; }
"$linmm" run --json "$tmp/s.linmm" >"$tmp/json" 2>"$tmp/stderr"
st=$?
[ $st -eq 0 ] || { echo "FAIL: --json run exit status $st" >&2; fail=1; }
jq -e . "$tmp/json" >/dev/null || { echo "FAIL: not valid JSON" >&2; cat "$tmp/json" >&2; exit 1; }
cmp -s "$tmp/text" "$tmp/stderr" ||
	{ echo "FAIL: the commands' output on stderr differs from the text run" >&2; fail=1; }

check "three snapshots" '.snapshots | length == 3' "$tmp/json"
check "their lines" '[.snapshots[].line] == [2, 6, 7]' "$tmp/json"
check "their paths" '[.snapshots[].path] == ["/proc/meminfo", "/proc/buddyinfo", "/proc/vmstat"]' \
	"$tmp/json"
check "the command" '.snapshots[1].command == "cat /proc/buddyinfo"' "$tmp/json"
check "exit status" '.exit_status == 0' "$tmp/json"
check "buddyinfo has no fields" '.snapshots[1] | has("fields") | not' "$tmp/json"

# The snapshots' text is what the text run printed, in order.
jq -j '.snapshots[].text' "$tmp/json" >"$tmp/snaps"
grep -v '^kmalloc ' "$tmp/text" >"$tmp/cats"
cmp -s "$tmp/snaps" "$tmp/cats" || { echo "FAIL: snapshot texts differ from cat output" >&2; fail=1; }

# meminfo's fields are its numbers, as awk reads them from the text.
memtotal=$(awk '/^MemTotal:/ { print $2; exit }' "$tmp/text")
memfree=$(awk '/^MemFree:/ { print $2; exit }' "$tmp/text")
check "MemTotal" ".snapshots[0].fields.MemTotal == $memtotal" "$tmp/json"
check "MemFree" ".snapshots[0].fields.MemFree == $memfree" "$tmp/json"
nfields=$(jq '.snapshots[0].fields | length' "$tmp/json")
nlines=$(jq -r '.snapshots[0].text' "$tmp/json" | grep -c .)
[ "$nfields" = "$nlines" ] || { echo "FAIL: meminfo: $nfields fields, $nlines lines" >&2; fail=1; }

# The final counters are those of the last cat /proc/vmstat (nothing ran after it).
free=$(awk '$1 == "nr_free_pages" { print $2 }' "$tmp/text")
check "final nr_free_pages" ".final.vmstat.nr_free_pages == $free" "$tmp/json"
check "final MemTotal" ".final.meminfo.MemTotal == $memtotal" "$tmp/json"

# A failed expect: exit status 1, in the document too; the document is still whole.
printf 'boot mem=128M\ncat /proc/meminfo\nexpect /proc/meminfo MemFree > MemTotal\ncat /proc/vmstat\n' |
	"$linmm" run --json - >"$tmp/json2" 2>/dev/null
st=$?
[ $st -eq 1 ] || { echo "FAIL: failed expect: exit status $st, expected 1" >&2; fail=1; }
check "exit status 1" '.exit_status == 1' "$tmp/json2"
check "stopped at the expect" '.snapshots | length == 1' "$tmp/json2"
check "script name" '.script == "<stdin>"' "$tmp/json2"

[ $fail -eq 0 ] && echo "ok cli_json"
exit $fail
