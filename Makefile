# The two commands of the README, plus a few conveniences. Every target first
# makes sure the Debian packages are there (scripts/deps.sh, quiet when they are).
.PHONY: run test deps build bench bench-ingress fuzz fuzz-smoke clean

PRESET_TEST  ?= asan
PRESET_RUN   ?= release
FUZZ_SECONDS ?= 30

deps:
	@bash scripts/deps.sh

build: deps
	@cmake --preset $(PRESET_RUN) >/dev/null
	@cmake --build --preset $(PRESET_RUN)

run: build
	@bash scripts/run.sh build/$(PRESET_RUN)/src/caravan

test: deps
	@cmake --preset $(PRESET_TEST) >/dev/null
	@cmake --build --preset $(PRESET_TEST)
	@ctest --preset $(PRESET_TEST)
	@$(MAKE) --no-print-directory fuzz-smoke

bench: build
	@for b in build/$(PRESET_RUN)/bench/*_bench; do echo "== $$b"; $$b; done

# caravan ingress next to HAProxy and nginx on the same backend (bench/ingress/run.sh;
# ROUNDS, SECS, CONNS, IDLE_CONNS, BENCH_THREADS pass through the environment).
bench-ingress: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target caravan
	@bash scripts/deps.sh bench
	@bash bench/ingress/run.sh build/release/src/caravan

# Builds the libFuzzer targets with clang and runs each for FUZZ_SECONDS.
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz
	@bash scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20

clean:
	rm -rf build
