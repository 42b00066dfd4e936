# trustdir: `make` builds the program and this repository's directory into
# public/; `make test` runs every test, also under ASan and UBSan.
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps test-deps build site test test-release test-asan clean bench

all: site

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

site: build
	@$(BUILD)/trustdir build --out public

test: test-deps test-release test-asan test-fuzz

test-release: test-deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: test-deps
	@cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTRUSTDIR_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)
	@cd $(BUILD_ASAN) && ctest --output-on-failure -j $(JOBS)

# libFuzzer harnesses (tests/fuzz, clang): `make fuzz FUZZ_SECONDS=300` runs
# each harness that long; `make test` runs each for FUZZ_TEST_SECONDS, so
# that a regression is caught.  Crashing inputs are left in
# $(BUILD_FUZZ)/fuzz/<harness>/.
BUILD_FUZZ        ?= build-fuzz
FUZZ_SECONDS      ?= 60
FUZZ_TEST_SECONDS ?= 20
.PHONY: fuzz fuzz-build test-fuzz

fuzz-build: test-deps
	@cmake -S . -B $(BUILD_FUZZ) -DTRUSTDIR_FUZZ=ON -DCMAKE_C_COMPILER=clang \
		-DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_model fuzz_md fuzz_tmpl fuzz_hcache fuzz_mcache fuzz_frags

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(BUILD_FUZZ)

test-fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_TEST_SECONDS) $(BUILD_FUZZ)

# The benchmark of issue #6 (not a test): bench/README.md. RUNS=3,
# SIZES=1k or BENCH_ARGS='--sizes 1k' choose what it runs.
bench: build
	@TRUSTDIR=$(BUILD)/trustdir bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) public
