#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run_scenario.sh - run one scenario script and compare its output with the
# golden file next to it.
#
#   tests/run_scenario.sh LINMM_BINARY tests/scenarios/NAME.linmm
#
# The script runs as `linmm run NAME.linmm` from its own directory (so error
# messages name it the same way everywhere).  Standard output and standard
# error together are compared with NAME.expected; a difference fails the test
# and is shown as a unified diff.
#
# Header comments (before the first command):
#   # expect-exit: N     the expected exit status (default 0)
#   # args: ARGS...      run `linmm ARGS...` (split at blanks, may be empty)
#                        with the script as standard input, instead of
#                        `linmm run NAME.linmm`: tests the tour, --help and
#                        `run -`
#
# LINMM_UPDATE_GOLDEN=1 rewrites NAME.expected with the actual output instead
# of comparing (the exit status is still checked).  Review the diff with git.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 LINMM_BINARY SCENARIO.linmm" >&2
	exit 2
fi
linmm=$1
scenario=$2
case $linmm in /*) ;; *) linmm=$PWD/$linmm ;; esac
dir=$(cd "$(dirname "$scenario")" && pwd)
base=$(basename "$scenario")
expected=$dir/${base%.linmm}.expected

# The header comments.
want_exit=0
args=(run "$base")
while IFS= read -r line; do
	case $line in
	'#'*expect-exit:*)
		want_exit=$(printf '%s\n' "${line#*expect-exit:}" | tr -d '[:space:]') ;;
	'#'*args:*)
		read -r -a args <<<"${line#*args:}" ;;
	'#'* | '') ;;
	*) break ;;
	esac
done <"$dir/$base"
case $want_exit in
'' | *[!0-9]*)
	echo "$base: bad '# expect-exit:' header (want a number)" >&2
	exit 2 ;;
esac

actual=$(mktemp "${TMPDIR:-/tmp}/linmm-scenario.XXXXXX")
trap 'rm -f "$actual"' EXIT

(cd "$dir" && exec "$linmm" "${args[@]}") >"$actual" 2>&1 <"$dir/$base"
got_exit=$?

status=0
if [ "$got_exit" -ne "$want_exit" ]; then
	echo "FAIL $base: exit status $got_exit, expected $want_exit" >&2
	status=1
fi

if [ "${LINMM_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$actual" "$expected"
	echo "updated $expected"
	exit $status
fi

if [ ! -f "$expected" ]; then
	echo "FAIL $base: no golden file $expected" >&2
	echo "(create it with LINMM_UPDATE_GOLDEN=1, then review it)" >&2
	echo "--- output was:" >&2
	cat "$actual" >&2
	exit 1
fi

if ! diff -u --label "$base.expected" --label "$base (actual)" "$expected" "$actual"; then
	echo "FAIL $base: output differs from the golden file (diff above)" >&2
	echo "(if the change is intended: LINMM_UPDATE_GOLDEN=1 ctest -R scenario_)" >&2
	status=1
fi
[ $status -eq 0 ] && echo "ok $base"
exit $status
