#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# deps.sh - install what building and testing linmm needs, if it is missing.
#
#   scripts/deps.sh           build + test: cmake, gcc, make, pkg-config, cmocka,
#                             libedit (linmm shell), json-c and jq (linmm run --json),
#                             xmllint (libxml2-utils: the --html report's test),
#                             valgrind (the replay test records a lackey trace)
#   scripts/deps.sh --bench   also the benchmark peers: jemalloc, tcmalloc, mimalloc
#   scripts/deps.sh --fuzz    also clang and its runtime (libFuzzer, ASan, UBSan)
#   scripts/deps.sh --browser also chromium, for the --html report's test in a
#                             real headless browser (skipped without it)
#
# Quiet and quick when everything is present (it only asks dpkg); otherwise
# one `apt-get update && apt-get install -y` of the missing Debian packages,
# through sudo when not run as root.  Idempotent.
set -euo pipefail

packages=(cmake gcc libc6-dev make pkg-config libcmocka-dev libedit-dev libjson-c-dev jq
	  libxml2-utils valgrind)
if [ "${1:-}" = --bench ]; then
	packages+=(libjemalloc-dev libgoogle-perftools-dev libmimalloc-dev)
elif [ "${1:-}" = --fuzz ]; then
	# libclang-rt-dev (libFuzzer, the sanitizer runtimes) is only a
	# recommendation of clang's packages, so it is named here.
	packages+=(clang libclang-rt-dev)
elif [ "${1:-}" = --browser ]; then
	packages+=(chromium)
elif [ $# -gt 0 ]; then
	echo "usage: $0 [--bench | --fuzz | --browser]" >&2
	exit 2
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
	for p in "${packages[@]}"; do
		installed "$p" || missing+=("$p")
	done
else
	# Not a Debian system: check the tools themselves, and say what is needed.
	for t in cmake gcc make pkg-config; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "deps.sh: missing ${missing[*]} (and cmocka's headers); install them with" \
			"your package manager" >&2
		exit 1
	fi
	exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps.sh: missing ${missing[*]}; run as root or install sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
