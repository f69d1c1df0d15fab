#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli_trace_events.sh - test `linmm run --trace-events FILE [--events LIST]`
# (tools/linmm/trace_events.c, kernel/trace/trace_events.c).
#
#   tests/cli_trace_events.sh LINMM_BINARY
#
# Runs one script with every kmem event traced and checks with jq (an
# independent JSON parser) that:
#   - FILE is JSON lines: one object per line, each with event, system,
#     cpu, line and text;
#   - the kmalloc / kmem_cache_alloc / kfree events carry the pointers,
#     sizes and caches that the commands themselves printed, on the script
#     line of the command;
#   - alloc_pages / free_pages give mm_page_alloc / mm_page_free with the
#     pfn the command printed, and "text" is the kernel's TP_printk line;
#   - --events keeps only the events named; an unknown name is an error
#     (exit status 2) that names the known events;
#   - two runs give byte-identical files (determinism).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 LINMM_BINARY" >&2
	exit 2
fi
linmm=$1
if ! command -v jq >/dev/null 2>&1; then
	echo "cli_trace_events.sh: needs jq (scripts/deps.sh installs it)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linmm-trace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {		# check DESCRIPTION JQ-FILTER FILE: the filter (over all lines) must print true
	if [ "$(jq -s -e "$2" "$3" 2>&1)" != true ]; then
		echo "FAIL: $1 ($2)" >&2
		fail=1
	fi
}

cat >"$tmp/s.linmm" <<'SCRIPT'
boot mem=128M
kmalloc a 115
kmem_cache_create foo 100
kmem_cache_alloc b foo
kmem_cache_free b
kfree a
alloc_pages p order=2
free_pages p
SCRIPT
if ! "$linmm" run --trace-events "$tmp/t.jsonl" "$tmp/s.linmm" >"$tmp/out" 2>&1; then
	echo "FAIL: the run failed" >&2
	cat "$tmp/out" >&2
	exit 1
fi
ptr_a=$(sed -n 's/^kmalloc a: ptr=\(0x[0-9a-f]*\) .*/\1/p' "$tmp/out")
ptr_b=$(sed -n 's/^kmem_cache_alloc b: ptr=\(0x[0-9a-f]*\) .*/\1/p' "$tmp/out")
pfn_p=$(sed -n 's/^alloc_pages p: pfn=\(0x[0-9a-f]*\) .*/\1/p' "$tmp/out")
if [ -z "$ptr_a" ] || [ -z "$ptr_b" ] || [ -z "$pfn_p" ]; then
	echo "FAIL: the commands did not print their results" >&2
	cat "$tmp/out" >&2
	exit 1
fi
pfn_dec=$((pfn_p))

check "every line is an event object" \
	'length > 0 and all(.[]; (.event|type) == "string" and .system == "kmem" and
	 (.cpu|type) == "number" and (.line|type) == "number" and (.text|type) == "string")' \
	"$tmp/t.jsonl"
check "kmalloc a: its pointer, sizes, cache and line" \
	"[.[] | select(.event == \"kmalloc\")] | length == 1 and .[0].ptr == \"$ptr_a\" and
	 .[0].bytes_req == 115 and .[0].bytes_alloc == 128 and .[0].cache == \"kmalloc-128\" and
	 .[0].line == 2 and .[0].node == -1 and .[0].gfp_flags == \"GFP_KERNEL\"" "$tmp/t.jsonl"
check "kmem_cache_alloc b: cache foo, name= in the text" \
	"[.[] | select(.event == \"kmem_cache_alloc\")] | length == 1 and .[0].ptr == \"$ptr_b\" and
	 .[0].cache == \"foo\" and .[0].bytes_req == 100 and .[0].line == 4 and
	 (.[0].text | test(\"^call_site=[^ ]+ ptr=[0-9a-f]{16} name=foo bytes_req=100 \"))" \
	"$tmp/t.jsonl"
check "kmem_cache_free b and kfree a, in order" \
	"[.[] | select(.event == \"kmem_cache_free\" or .event == \"kfree\") | [.event, .ptr, .line]] ==
	 [[\"kmem_cache_free\", \"$ptr_b\", 5], [\"kfree\", \"$ptr_a\", 6]]" "$tmp/t.jsonl"
check "alloc_pages p: mm_page_alloc with its pfn, the kernel's text" \
	"[.[] | select(.event == \"mm_page_alloc\" and .line == 7)] | length == 1 and
	 .[0].pfn == $pfn_dec and .[0].order == 2 and
	 (.[0].text | test(\"^page=ffffea[0-9a-f]{10} pfn=$pfn_p order=2 migratetype=0 gfp_flags=GFP_KERNEL$\"))" \
	"$tmp/t.jsonl"
check "free_pages p: mm_page_free" \
	"[.[] | select(.event == \"mm_page_free\" and .line == 8)] | length == 1 and
	 .[0].pfn == $pfn_dec and .[0].order == 2" "$tmp/t.jsonl"
check "no event from boot or shutdown" 'all(.[]; .line >= 2 and .line <= 8)' "$tmp/t.jsonl"

# --events: only those.
"$linmm" run --trace-events "$tmp/k.jsonl" --events kmalloc,kmem:kfree "$tmp/s.linmm" \
	>/dev/null 2>&1 || { echo "FAIL: run --events" >&2; fail=1; }
check "--events kmalloc,kmem:kfree" '[.[].event] == ["kmalloc", "kfree"]' "$tmp/k.jsonl"

# A bad event name: status 2 and the list of events.
"$linmm" run --trace-events "$tmp/x.jsonl" --events kmalloc,nosuch "$tmp/s.linmm" \
	>"$tmp/err" 2>&1
st=$?
if [ $st -ne 2 ] || ! grep -q "no event 'nosuch' (events: mm_page_alloc, " "$tmp/err"; then
	echo "FAIL: --events nosuch: status $st, said: $(cat "$tmp/err")" >&2
	fail=1
fi

# Determinism.
"$linmm" run --trace-events "$tmp/t2.jsonl" "$tmp/s.linmm" >/dev/null 2>&1
if ! cmp -s "$tmp/t.jsonl" "$tmp/t2.jsonl"; then
	echo "FAIL: two runs traced differently" >&2
	fail=1
fi

[ $fail = 0 ] && echo "cli_trace_events: ok"
exit $fail
