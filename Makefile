# wafermesh front door. `make help` lists the targets; every target that needs tools first
# runs `deps`, which installs only what is missing.
SHELL      := /bin/bash
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: help deps configure build sim test lint synth waves regress bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

deps: ## install missing Debian/PyPI packages (pinned), quietly when all are present
	@scripts/deps

$(BUILD)/build.ninja: CMakeLists.txt
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null

configure: deps $(BUILD)/build.ninja

build: configure ## build every model, test and tool (incremental)
	@cmake --build $(BUILD) -j $(JOBS)

sim: ## the main job: decode on the default mesh, verified, with the throughput report
	@$(MAKE) --no-print-directory configure
	@cmake --build $(BUILD) -j $(JOBS) --target wafersim
	@scripts/sim

test: build lint ## the suite: lint, then every test (ctest, short seeds)
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE 'bench|regress'

lint: deps ## verilator --lint-only -Wall on every module, zero warnings
	@scripts/lint

synth: deps ## Yosys synth of every RTL module, cell counts, fails on any warning
	@scripts/synth

waves: build ## FSTs of a short default decode and a PE test, and the GTKWave commands
	@scripts/waves/make_waves

REGRESS_SEEDS ?= 2
regress: deps ## nightly: every test over REGRESS_SEEDS seeds, coverage, sanitizers, fuzzing, perf history (build/regress)
	@REGRESS_SEEDS=$(REGRESS_SEEDS) scripts/regress

bench: build ## benchmarks; figures printed and written as JSON under build/bench/
	@set -o pipefail; mkdir -p $(BUILD)/bench && cd $(BUILD) && ctest -L bench -V -j 1 | grep -E '^[0-9]+: ' | sed -E 's/^[0-9]+: //'

clean: ## remove build/
	@rm -rf $(BUILD)
