#!/bin/bash
# tests/fuzz/run.sh: fuzzing runs of the targets in tests/fuzz.
#
#   run.sh [SECONDS]      long run: configure build-fuzz/ with clang
#                         (-Dfuzz=true, ASan+UBSan), build, fuzz every
#                         target SECONDS (default 600) one after the other
#   run.sh --one EXE CORPUS WORKDIR
#                         one bounded run (what meson's "fuzz" suite calls):
#                         FUZZ_SECONDS (default 60) of EXE on the committed
#                         CORPUS plus new inputs kept in WORKDIR/corpus;
#                         crashes, leaks and sanitizer reports fail it and
#                         leave the input in WORKDIR/artifacts/
#
# The committed corpus is never written to: copy an artifact there by hand
# (with a name saying what it found) as the regression seed of a fix.
set -u

one() {
	local exe=$1 corpus=$2 work=$3 secs=${FUZZ_SECONDS:-60} rc
	mkdir -p "$work/corpus" "$work/artifacts"
	# Leaks, ASan and UBSan reports all end the run with a crash.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:allocator_may_return_null=1 \
	"$exe" -max_total_time="$secs" -max_len=65536 -timeout=20 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$work/artifacts/" \
	    "$work/corpus" "$corpus" >"$work/log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|stat::new_units_added)' \
	    "$work/log"
	echo "$(basename "$exe"): ${secs}s, exit $rc"
	if [ $rc -ne 0 ]; then
		tail -60 "$work/log"
		ls -l "$work/artifacts"
	fi
	return $rc
}

if [ "${1:-}" = --one ]; then
	shift
	one "$@"
	exit $?
fi

src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${FUZZ_BUILDDIR:-$src/build-fuzz}
export FUZZ_SECONDS=${1:-600}
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" "$src" -Dfuzz=true \
	    -Db_sanitize=address,undefined -Db_lundef=false || exit 1
fi
ninja -C "$dir" || exit 1
status=0
for t in srvframe mountreq peer libpuffs ctlreq mntopts; do
	one "$dir/tests/fuzz/fuzz-$t" "$src/tests/fuzz/corpus/$t" \
	    "$dir/tests/fuzz/work-$t" || status=1
done
exit $status
