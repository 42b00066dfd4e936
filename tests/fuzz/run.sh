#!/bin/sh
# Runs every libFuzzer harness for SECONDS each:
#   tests/fuzz/run.sh SECONDS [BUILD_DIR] [HARNESS...]
# BUILD_DIR (default build-fuzz) is configured with -DTRUSTDIR_FUZZ=ON and
# clang (see tests/fuzz/CMakeLists.txt).  First every file in
# tests/fuzz/regressions/<harness>/ is replayed (each is an input that once
# crashed or hung), then the harness fuzzes from its seeds in
# tests/fuzz/corpus/<harness>/ plus what earlier runs found, kept in
# BUILD_DIR/fuzz/<harness>/corpus so that the repository is never written.
# A crash, a leak, a sanitizer report or an input slower than 10 s fails
# the run; the input is left in BUILD_DIR/fuzz/<harness>/ to become a
# regression file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [BUILD_DIR] [HARNESS...]}
build=${2:-build-fuzz}
[ $# -ge 2 ] && shift 2 || shift $#
harnesses=${*:-fuzz_model fuzz_md fuzz_tmpl fuzz_hcache fuzz_mcache fuzz_frags}

max_len() {
	case $1 in
	fuzz_model) echo 65536 ;; # several files, each well inside its limits
	fuzz_tmpl) echo 32768 ;;  # the largest theme template and a context
	*) echo 16384 ;;
	esac
}

status=0
for h in $harnesses; do
	bin=$build/tests/fuzz/$h
	work=$build/fuzz/$h
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin is missing; build $build first" >&2
		exit 2
	fi
	mkdir -p "$work/corpus"
	cp "$here/corpus/$h/"* "$work/corpus/"
	if [ -d "$here/regressions/$h" ] &&
		[ -n "$(ls -A "$here/regressions/$h")" ]; then
		echo "== $h: replaying $(ls "$here/regressions/$h" | wc -l) regression inputs"
		if ! "$bin" -timeout=10 -rss_limit_mb=2048 \
			"$here/regressions/$h/"* >"$work/regressions.log" 2>&1; then
			tail -n 40 "$work/regressions.log" >&2
			echo "== $h: a regression input fails again" >&2
			status=1
			continue
		fi
	fi
	echo "== $h: fuzzing for $seconds s"
	if ! "$bin" -max_total_time="$seconds" -max_len="$(max_len "$h")" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/" "$work/corpus" >"$work/fuzz.log" 2>&1; then
		tail -n 60 "$work/fuzz.log" >&2
		echo "== $h: FAILED; the input is in $work/ (crash-*, leak-*, timeout-*, oom-*)" >&2
		status=1
		continue
	fi
	grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" \
		"$work/fuzz.log" | tr '\n' ' ' | sed "s/^/   $h: /"
	echo "corpus $(ls "$work/corpus" | wc -l) inputs"
done
exit $status
