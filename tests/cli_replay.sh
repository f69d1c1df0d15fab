#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli_replay.sh - test `linmm replay` and `linmm trace-convert`
# (tools/linmm/replay.c, trace_lackey.c, trace_lmt.c).
#
#   tests/cli_replay.sh LINMM_BINARY
#
# On the real valgrind lackey trace of /bin/true in tests/data (whole, as
# LMT, and its first 3,000 lines as valgrind wrote them), with the expected
# numbers computed by awk from the lackey text alone:
#   - the LMT file decodes to the original trace (its SHA-256,
#     tests/data/README.md); lackey -> LMT -> lackey gives the same access
#     lines, LMT -> lackey -> LMT the same bytes;
#   - accesses by kind, pages touched, page crossings and translations
#     (one per page an access touches) are the trace's;
#   - minor faults = pages touched + pages first read (or fetched) and later
#     written: a read of an untouched anonymous page maps the zero page, the
#     first store to it then faults again to copy it (do_wp_page); a first
#     store allocates at once (do_anonymous_page); a modify is one write;
#   - TLB single-page flushes = those zero-page copies; lookups (hits +
#     misses) = translations + faults (each fault retries its access);
#   - the resident set at the end (last sample, RssAnon) = pages written:
#     the zero page is not counted;
#   - the replay of the lackey text and of the LMT file say the same;
#     two runs are byte-identical; nothing reaches standard error (no
#     progress bar off a terminal);
#   - --html has one step per sample; --trace-events' mm_page_alloc lines of
#     the replay (line > 0) are the pages the report says were allocated;
#   - a trace recorded at test time (valgrind lackey on /bin/true, when
#     valgrind is installed) replays to awk's numbers too, and the task's
#     page tables then map exactly the pages it touched (--html's address
#     space: the written ones anonymous, the others the zero page);
#   - malformed traces: "TRACE:LINE: what was wrong" and exit status 2, for
#     both formats, and for trace-convert too (which leaves no OUT behind).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 LINMM_BINARY" >&2
	exit 2
fi
linmm=$1
case $linmm in /*) ;; *) linmm=$PWD/$linmm ;; esac
data=$(cd "$(dirname "$0")/data" && pwd)
for tool in jq sha256sum; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "cli_replay.sh: needs $tool (scripts/deps.sh installs it)" >&2
		exit 1
	fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linmm-replay.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}
check() {		# check DESCRIPTION JQ-FILTER FILE: the filter must print true
	if [ "$(jq -e "$2" "$3" 2>&1)" != true ]; then
		failed "$1 ($2 in $3)"
	fi
}

# What a trace's lackey text says, by awk alone: "NAME VALUE" lines.
expect_from_text() {
	awk '
	function hex(s,   i, c, v) {
		v = 0
		s = tolower(s)
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	/^==/ { next }
	$1 ~ /^[ILSM]$/ {
		split($2, f, ",")
		addr = hex(f[1]); size = f[2] + 0
		kind[$1]++; total++
		first = int(addr / 4096); last = int((addr + size - 1) / 4096)
		if (last > first) crossings++
		w = ($1 == "S" || $1 == "M")
		for (p = first; p <= last; p++) {
			translations++
			key = sprintf("%.0f", p)
			if (!(key in seen)) {
				seen[key] = w ? 2 : 1; pages++; faults++; written += w
			} else if (w && seen[key] == 1) {
				seen[key] = 2; faults++; written++; cows++
			}
		}
	}
	END {
		printf "total %d\nI %d\nL %d\nS %d\nM %d\n", total, kind["I"], kind["L"], kind["S"], kind["M"]
		printf "pages %d\nfaults %d\nwritten %d\ncows %d\n", pages, faults, written, cows
		printf "crossings %d\ntranslations %d\n", crossings, translations
	}' "$1"
}

# check_replay TEXT JSON: the JSON report of a replay against awk's numbers of TEXT.
check_replay() {
	local text=$1 json=$2 name value
	while read -r name value; do
		case $name in
		total) f=.accesses.total ;;
		I) f=.accesses.instruction_fetches ;;
		L) f=.accesses.loads ;;
		S) f=.accesses.stores ;;
		M) f=.accesses.modifies ;;
		pages) f=.layout.pages_touched ;;
		faults) f=.faults.minor ;;
		written) f='.samples[-1].rss_pages' ;;
		cows) f=.tlb.local_flush_one ;;
		crossings) f=.accesses.page_crossings ;;
		translations) f=.accesses.translations ;;
		esac
		check "$json: $name = $value" "$f == $value" "$json"
		case $name in
		written) check "$json: RssAnon = $value pages" ".status.RssAnon == 4 * $value" "$json" ;;
		esac
	done < <(expect_from_text "$text")
	check "$json: TLB lookups = translations + faults" \
		'.tlb.hits + .tlb.misses == .accesses.translations + .faults.minor' "$json"
	check "$json: no major faults, not killed, exit 0" \
		'.faults.major == 0 and .killed == null and .exit_status == 0' "$json"
	check "$json: one stack VMA, the last" '([.layout.vmas[] | select(.stack)] | length) == 1 and
		.layout.vmas[-1].stack' "$json"
	check "$json: samples end at the last access" '.samples[-1].accesses == .accesses.total' \
		"$json"
}

# ---- the real trace: formats ----
"$linmm" trace-convert "$data/lackey-true.lmt" "$tmp/true.txt" || failed "trace-convert LMT -> text"
sum=$(grep -v '^==' "$tmp/true.txt" | sha256sum | cut -d' ' -f1)
[ "$sum" = 721458c4904cada0fa23390ec8b928dedacc8376cea0bcc9bc5e840282bb69a3 ] ||
	failed "lackey-true.lmt does not decode to the recorded trace (sha256 $sum)"
head -1 "$tmp/true.txt" | grep -qx '==0== Command: /bin/true' || failed "the command is not kept"
"$linmm" trace-convert "$tmp/true.txt" "$tmp/true.lmt" || failed "trace-convert text -> LMT"
cmp -s "$tmp/true.lmt" "$data/lackey-true.lmt" || failed "LMT -> text -> LMT is not byte-identical"
"$linmm" trace-convert "$data/lackey-true-head.txt" "$tmp/head.lmt" || failed "head -> LMT"
"$linmm" trace-convert "$tmp/head.lmt" - >"$tmp/head.back" || failed "head LMT -> stdout"
cmp -s <(grep -v '^==' "$data/lackey-true-head.txt") <(grep -v '^==' "$tmp/head.back") ||
	failed "lackey -> LMT -> lackey changed the access lines"
# LMT is several times smaller than the text.
[ $(($(stat -c %s "$tmp/true.txt") / $(stat -c %s "$data/lackey-true.lmt"))) -ge 5 ] ||
	failed "LMT is not at least 5 times smaller than lackey text"

# ---- the real trace: replay ----
for t in "$data/lackey-true.lmt" "$tmp/true.txt" "$data/lackey-true-head.txt"; do
	b=$(basename "$t")
	"$linmm" replay --json "$t" >"$tmp/$b.json" 2>"$tmp/$b.err"
	st=$?
	[ $st -eq 0 ] || failed "replay --json $b: exit status $st"
	[ -s "$tmp/$b.err" ] && failed "replay --json $b wrote to standard error: $(head -3 "$tmp/$b.err")"
	case $b in
	lackey-true-head.txt) check_replay "$t" "$tmp/$b.json" ;;
	*) check_replay "$tmp/true.txt" "$tmp/$b.json" ;;
	esac
done
check "the trace's command names the task" '.comm == "true" and .command == "/bin/true"' \
	"$tmp/lackey-true.lmt.json"
# The two formats of one trace replay identically.
if ! diff <(jq 'del(.trace, .format)' "$tmp/lackey-true.lmt.json") \
	<(jq 'del(.trace, .format)' "$tmp/true.txt.json") >/dev/null; then
	failed "replaying the LMT and the lackey form of one trace differ"
fi
"$linmm" replay "$data/lackey-true.lmt" >"$tmp/text1" 2>"$tmp/text1.err" || failed "text replay"
"$linmm" replay "$tmp/true.txt" >"$tmp/text2" 2>&1 || failed "text replay of lackey"
"$linmm" replay "$data/lackey-true.lmt" >"$tmp/text3" 2>&1
cmp -s "$tmp/text1" "$tmp/text3" || failed "two replays of one trace differ"
[ -s "$tmp/text1.err" ] && failed "the text replay wrote to standard error"
cmp -s <(tail -n +2 "$tmp/text1") <(tail -n +2 "$tmp/text2") ||
	failed "the text reports of the LMT and lackey forms differ below their first line"
grep -q '^faults: 142 minor, 0 major$' "$tmp/text1" || failed "text report: faults line"
# The text report's numbers are the JSON's.
faults=$(jq .faults.minor "$tmp/lackey-true.lmt.json")
grep -q "^faults: $faults minor" "$tmp/text1" || failed "text and JSON disagree on faults"
# Standard input, and another machine.
"$linmm" replay --json mem=256M cpus=1 - <"$data/lackey-true.lmt" >"$tmp/stdin.json" ||
	failed "replay from standard input"
check "standard input, boot parameters" '.trace == "<stdin>" and .machine == "mem=256M cpus=1"' \
	"$tmp/stdin.json"
check_replay "$tmp/true.txt" "$tmp/stdin.json"
# A 32-bit machine: the 64-bit stack does not fit and moves; the numbers stay.
"$linmm" replay --json arch=x86_32 mem=512M "$data/lackey-true-head.txt" >"$tmp/x86_32.json" ||
	failed "replay on arch=x86_32"
check "x86_32: the stack cluster moved" '.layout.relocated_clusters == 1' "$tmp/x86_32.json"
check_replay "$data/lackey-true-head.txt" "$tmp/x86_32.json"

# --sample-every
"$linmm" replay --json --sample-every 1000 "$data/lackey-true-head.txt" >"$tmp/every.json"
check "--sample-every 1000: 3 samples" '.sample_every == 1000 and (.samples | length) == 3 and
	([.samples[].accesses] == [1000, 2000, 3000])' "$tmp/every.json"
check "RSS never falls, faults never fall" '[.samples[].rss_pages] as $r | [.samples[].minor_faults]
	as $f | ($r == ($r | sort)) and ($f == ($f | sort))' "$tmp/every.json"

# --html: one step per sample; --trace-events: page allocations of the replay.
"$linmm" replay --html "$tmp/r.html" --trace-events "$tmp/ev.jsonl" --events mm_page_alloc \
	--json "$data/lackey-true.lmt" >"$tmp/h.json" || failed "replay --html --trace-events"
sed -n 's|^<script type="application/json" id="linmm-data">\(.*\)</script>$|\1|p' "$tmp/r.html" \
	>"$tmp/html.json"
check "--html: one step per sample" "(.steps | length) == $(jq '.samples | length' "$tmp/h.json") and
	.script == \"$data/lackey-true.lmt\"" "$tmp/html.json"
allocs=$(jq -s '[.[] | select(.event == "mm_page_alloc" and .line > 0) | pow(2; .order)] | add' \
	"$tmp/ev.jsonl")
check "--trace-events: the replay's mm_page_alloc pages = page_alloc.allocated" \
	".page_alloc.allocated == $allocs" "$tmp/h.json"

# ---- a trace recorded now: valgrind lackey on /bin/true, when valgrind is installed ----
# The same awk reference; and the replayed task's page tables at the last sample
# (the --html report's address space: present PTEs, tools/linmm/html.c) map
# exactly the distinct pages the trace touched, the written ones as
# anonymous pages of their own, the others as the zero page.
if command -v valgrind >/dev/null 2>&1; then
	if valgrind --tool=lackey --trace-mem=yes --log-file="$tmp/live.txt" /bin/true \
		>/dev/null 2>&1 && grep -q '^ [LSM] ' "$tmp/live.txt"; then
		"$linmm" replay --json --html "$tmp/live.html" "$tmp/live.txt" >"$tmp/live.json" \
			2>"$tmp/live.err" || failed "replay of the live trace: $(head -3 "$tmp/live.err")"
		check_replay "$tmp/live.txt" "$tmp/live.json"
		sed -n 's|^<script type="application/json" id="linmm-data">\(.*\)</script>$|\1|p' \
			"$tmp/live.html" >"$tmp/live_html.json"
		pages=$(expect_from_text "$tmp/live.txt" | awk '$1 == "pages" { print $2 }')
		written=$(expect_from_text "$tmp/live.txt" | awk '$1 == "written" { print $2 }')
		check "live trace: mapped pages = the $pages distinct pages touched" \
			"[.steps[-1].tasks[0].vmas[].resident[][1]] | add == $pages" "$tmp/live_html.json"
		check "live trace: anonymous pages of its own = the $written pages written" \
			"[.steps[-1].tasks[0].vmas[].resident[] | select(.[2] == \"a\") | .[1]] | add ==
			$written" "$tmp/live_html.json"
		check "live trace: the others map the zero page" \
			"[.steps[-1].tasks[0].vmas[].resident[] | select(.[2] == \"z\") | .[1]] | add ==
			$pages - $written" "$tmp/live_html.json"
		check "live trace: smaps Rss = the pages written" \
			"[.steps[-1].tasks[0].vmas[].rss_kb] | add == 4 * $written" "$tmp/live_html.json"
	else
		failed "valgrind --tool=lackey --trace-mem=yes /bin/true gave no trace"
	fi
else
	echo "cli_replay.sh: no valgrind: the trace recorded at test time is skipped" \
		"(scripts/deps.sh installs it)"
fi

# ---- malformed traces ----
bad() {		# bad NAME WANT: replay and trace-convert of $tmp/NAME fail with WANT on stderr
	local name=$1 want=$2
	(cd "$tmp" && "$linmm" replay "$name") >"$tmp/bad.out" 2>"$tmp/bad.err"
	st=$?
	[ $st -eq 2 ] || failed "replay $name: exit status $st, expected 2"
	[ -s "$tmp/bad.out" ] && failed "replay $name printed a report"
	grep -qFx -- "$want" "$tmp/bad.err" ||
		failed "replay $name: '$(cat "$tmp/bad.err")', expected '$want'"
	(cd "$tmp" && "$linmm" trace-convert "$name" out.conv) 2>"$tmp/bad.err"
	st=$?
	[ $st -eq 2 ] || failed "trace-convert $name: exit status $st, expected 2"
	grep -qFx -- "$want" "$tmp/bad.err" ||
		failed "trace-convert $name: '$(cat "$tmp/bad.err")', expected '$want'"
	[ -e "$tmp/out.conv" ] && failed "trace-convert $name left its output behind"
	rm -f "$tmp/out.conv"
}
printf '==1== Command: x\nI  00401000,4\nX 00401004,4\n' >"$tmp/kind.txt"
bad kind.txt "kind.txt:3: not a lackey line: expected 'I', 'L', 'S' or 'M' and ADDR,SIZE, got 'X 00401004,4'"
printf 'I  00401000,4\n L 7ff000\n' >"$tmp/nosize.txt"
bad nosize.txt "nosize.txt:2: expected ADDR,SIZE after 'L' (ADDR hexadecimal, SIZE decimal)"
printf '\n S 7ff000,0\n' >"$tmp/zero.txt"
bad zero.txt 'zero.txt:2: size 0'
printf 'I  00401000,4 x\n' >"$tmp/junk.txt"
bad junk.txt "junk.txt:1: unexpected 'x' after the size"
printf ' M 12345678901234567,8\n' >"$tmp/long.txt"
bad long.txt 'long.txt:1: address longer than 16 hex digits'
printf ' L ffffffffffffffff,2\n' >"$tmp/wrap.txt"
bad wrap.txt 'wrap.txt:1: access wraps around the end of the address space'
# LMT: the trailer cut off; a load without a size; another version; bytes after the end.
head -c -3 "$data/lackey-true.lmt" >"$tmp/cut.lmt"
bad cut.lmt 'cut.lmt:168516: truncated trailer after the end marker'
head -c -300 "$data/lackey-true.lmt" >"$tmp/cut2.lmt"
grep -q . <(cd "$tmp" && "$linmm" replay cut2.lmt 2>&1 | grep '^cut2.lmt:[0-9]*: truncated') ||
	failed "an LMT file cut in the middle is not reported as truncated"
printf 'LINMMTRC\001\000\000\001' >"$tmp/nosz.lmt"
bad nosz.lmt "nosz.lmt:1: a 'L' record without a size, and no earlier 'L' to take it from"
printf 'LINMMTRC\002\000\000' >"$tmp/v2.lmt"
bad v2.lmt 'v2.lmt:1: LMT version 2, this linmm reads version 1'
printf 'LINMMTRC\001\000\000\030\000\000\001\000' >"$tmp/extra.lmt"
bad extra.lmt 'extra.lmt:2: 1 bytes after the trailer'
printf 'LINMMTRC\001\000\000\030\000\000\002' >"$tmp/count.lmt"
bad count.lmt 'count.lmt:2: the trailer counts 2 records, the file has 1'

# Usage errors.
"$linmm" replay >/dev/null 2>&1
[ $? -eq 2 ] || failed "replay without a TRACE: exit status not 2"
"$linmm" replay --bogus x >/dev/null 2>&1
[ $? -eq 2 ] || failed "replay --bogus: exit status not 2"
"$linmm" replay "$tmp/does-not-exist" 2>"$tmp/nx.err"
[ $? -eq 2 ] && grep -q "cannot open trace" "$tmp/nx.err" || failed "a missing trace"
"$linmm" replay --help | grep -q '^usage: linmm replay' || failed "replay --help"
"$linmm" trace-convert --help | grep -q '^usage: linmm trace-convert' || failed "trace-convert --help"

[ $fail -eq 0 ] && echo "ok cli_replay"
exit $fail
