#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run.sh - run every libFuzzer target of a -DLINMM_FUZZ=ON build for a while
# (what `make fuzz` runs after building).
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [NAME...]
#
# NAME is a target without its "fuzz_" (cmdline, gfp, sysctl, script);
# default: every fuzz_* in BUILD_DIR/tests/fuzz.  Each target fuzz_NAME
# starts from a copy of its seed corpus tests/fuzz/corpus/NAME/ in a
# temporary directory (what it discovers is thrown away with it) and runs
# for SECONDS.  An input that crashes, leaks, trips a sanitizer or a
# FUZZ_CHECK, or takes longer than 10 s is kept as
# BUILD_DIR/fuzz-artifacts/NAME-crash-<sha1> (or leak-, timeout-, oom-),
# and the command that replays it is printed.  Every target runs even if
# one fails; the exit status is non-zero if any failed.  Longer runs that
# keep their corpus: docs/fuzzing.md.
set -uo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS [NAME...]" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for bin in "$build"/tests/fuzz/fuzz_*; do
		[ -x "$bin" ] && targets+=("${bin##*/fuzz_}")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "run.sh: no fuzz targets in $build/tests/fuzz (configure with -DLINMM_FUZZ=ON)" >&2
	exit 2
fi

# Longest input per target (default 4096): a little over the longest
# command line the parser takes (LINMM_CMDLINE_MAX, to reach its length
# check); GFP strings and sysctl lines are short; scripts of a few dozen
# lines.
declare -A max_len=([cmdline]=4200 [gfp]=256 [sysctl]=256 [script]=4096)
# The script interpreter prints what the script does: keep it off the log
# (libFuzzer still reports crashes on its own copy of stderr).
declare -A extra=([script]=-close_fd_mask=3)

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/linmm-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

status=0
for t in "${targets[@]}"; do
	bin=$build/tests/fuzz/fuzz_$t
	if [ ! -x "$bin" ] || [ ! -d "$src/corpus/$t" ]; then
		echo "run.sh: no target fuzz_$t (or no corpus $src/corpus/$t)" >&2
		status=1
		continue
	fi
	mkdir -p "$work/$t"
	cp "$src/corpus/$t"/* "$work/$t/"
	echo "=== fuzz_$t: ${seconds}s from $(ls "$work/$t" | wc -l) seeds"
	log=$work/$t.log
	"$bin" -max_total_time="$seconds" -max_len="${max_len[$t]:-4096}" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$t-" ${extra[$t]:-} \
		"$work/$t" >"$log" 2>&1
	rc=$?
	# The last status line ("#N DONE cov: ... exec/s: ...") and the totals.
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::average_exec_per_sec' \
		"$log" | sed 's/^/    /'
	if [ $rc -ne 0 ]; then
		status=1
		echo "FAIL fuzz_$t (exit $rc):"
		grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$log" | tail -60 | sed 's/^/    /'
		for a in $(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log"); do
			echo "    reproduce: $bin ${extra[$t]:-} $a"
		done
	fi
done
echo "=== fuzz: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
