# SPDX-License-Identifier: MIT
#
# A thin wrapper over CMake for the README's two commands and friends
# (on a machine without make, run scripts/deps.sh first: it installs make):
#
#   make run      install missing packages, build, run the default tour
#   make check    install missing packages, build, run every test (ctest)
#   make check SANITIZE=address,undefined   the same under ASan + UBSan (build-asan/)
#   make bench    build optimised (build-bench/) and run every bench/*.c
#   make fuzz FUZZ_SECONDS=30   build the libFuzzer targets with clang
#                 (build-fuzz/) and run each for FUZZ_SECONDS
#   make install PREFIX=/usr/local
#   make golden   rewrite the scenario golden files from the current output
#   make clean
#
# The real build is CMakeLists.txt; everything here is a few CMake calls.

MAKEFLAGS += --no-print-directory

SANITIZE ?=
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_TYPE ?= RelWithDebInfo

ifeq ($(SANITIZE),)
BUILD ?= build
else ifneq ($(findstring thread,$(SANITIZE)),)
BUILD ?= build-tsan
else
BUILD ?= build-asan
endif
BENCH_BUILD ?= build-bench
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30

CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DLINMM_SANITIZE=$(SANITIZE) \
	-DCMAKE_INSTALL_PREFIX=$(PREFIX)

.PHONY: all deps configure build run check bench fuzz install golden clean help

all: build

deps:
	@scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/linmm

check: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

golden: build
	cd $(BUILD) && LINMM_UPDATE_GOLDEN=1 ctest -R '^scenario_' -j$(JOBS)

# Benchmarks: an optimised build without CONFIG_DEBUG_VM checks or tests, and
# the peer allocators' packages.
bench:
	@scripts/deps.sh --bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DLINMM_DEBUG_VM=OFF \
		-DLINMM_TESTS=OFF >/dev/null
	cmake --build $(BENCH_BUILD) -j$(JOBS)
	@set -e; for src in bench/*.c; do \
		[ -e "$$src" ] || continue; \
		b=$$(basename "$$src" .c); \
		echo "== $$b"; \
		./$(BENCH_BUILD)/$$b; \
	done

# Fuzzing: clang with libFuzzer, ASan and UBSan over the whole core
# (-DLINMM_FUZZ=ON), then tests/fuzz/run.sh runs every target from a copy of
# its seed corpus; crashes are kept in $(FUZZ_BUILD)/fuzz-artifacts/.
fuzz:
	@scripts/deps.sh --fuzz
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLINMM_FUZZ=ON \
		-DLINMM_TESTS=OFF >/dev/null
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-tsan $(BENCH_BUILD) $(FUZZ_BUILD)

help:
	@sed -n '3,15p' Makefile
