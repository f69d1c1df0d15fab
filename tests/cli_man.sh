#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli_man.sh - the man page docs/linmm.1 and the subcommands' --help.
#
#   tests/cli_man.sh LINMM_BINARY CMAKE_COMMAND BUILD_DIR
#
# Checks that
#   - groff renders the page without a single warning (-ww), and man(1)
#     does too when it is installed; the page has every section a man page
#     of a command has (NAME ... SEE ALSO) and its version is the binary's;
#   - every subcommand (tour, run, shell, replay, trace-convert) answers
#     `linmm SUBCOMMAND --help` with its usage and exit status 0, and is
#     described under COMMANDS; every option the subcommands' --help texts
#     name is described under OPTIONS;
#   - `cmake --install` puts the page in share/man/man1.
# Exits 77 (ctest: skipped) without groff.
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 LINMM_BINARY CMAKE_COMMAND BUILD_DIR" >&2
	exit 2
fi
linmm=$1
cmake=$2
build=$3
page=$(cd "$(dirname "$0")/../docs" && pwd)/linmm.1
if ! command -v groff >/dev/null 2>&1; then
	echo "cli_man.sh: no groff: skipped"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linmm-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
failed() {
	echo "FAIL: $*" >&2
	fail=1
}
export LC_ALL=C.UTF-8

# Rendering: no warnings at all.
groff -man -Tutf8 -ww -P-c -P-b -P-u "$page" >"$tmp/page.txt" 2>"$tmp/groff.err"
[ $? -eq 0 ] || failed "groff exit status"
[ -s "$tmp/groff.err" ] && failed "groff warnings: $(head -5 "$tmp/groff.err")"
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$page" >/dev/null 2>"$tmp/man.err" || failed "man -l exit status"
	[ -s "$tmp/man.err" ] && failed "man --warnings: $(head -5 "$tmp/man.err")"
fi

# The sections, and the version.
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'SCRIPT LANGUAGE' FILES 'EXIT STATUS' \
	EXAMPLES 'SEE ALSO'; do
	grep -qx "$s" "$tmp/page.txt" || failed "no section $s"
done
version=$("$linmm" --version)
grep -q "^\.TH LINMM 1 [^ ]* \"$version\"" "$page" ||
	failed "the page's .TH does not name '$version'"

# section NAME: the text of one section of the rendered page.
section() { awk -v s="$1" '/^[A-Z][A-Z ]*$/ { on = ($0 == s); next } on' "$tmp/page.txt"; }
section COMMANDS >"$tmp/commands"
section OPTIONS >"$tmp/options"

for sub in tour run shell replay trace-convert; do
	"$linmm" "$sub" --help >"$tmp/help" 2>&1
	st=$?
	[ $st -eq 0 ] || failed "linmm $sub --help: exit status $st"
	head -n 1 "$tmp/help" | grep -q "^usage: linmm $sub" ||
		failed "linmm $sub --help does not start with its usage: $(head -n 1 "$tmp/help")"
	grep -q "^       $sub" "$tmp/commands" || failed "COMMANDS does not describe $sub"
	# Every --option of the help text is under OPTIONS (valgrind's, quoted in
	# replay's, are valgrind's).
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u |
		grep -vx -e --tool -e --trace-mem -e --log-file); do
		grep -q -- "^       $opt\\b" "$tmp/options" ||
			failed "OPTIONS does not describe $opt (from linmm $sub --help)"
	done
done
"$linmm" --help | grep -q '^usage: linmm' || failed "linmm --help"

# make install: share/man/man1/linmm.1 (its own component, so this needs no other target built).
"$cmake" --install "$build" --component man --prefix "$tmp/prefix" >/dev/null 2>&1 ||
	failed "cmake --install --component man"
cmp -s "$page" "$tmp/prefix/share/man/man1/linmm.1" ||
	failed "cmake --install did not install share/man/man1/linmm.1"

[ $fail -eq 0 ] && echo "ok cli_man"
exit $fail
