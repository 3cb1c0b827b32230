#!/bin/bash
# tests/run.sh: the whole test suite in one command.
#
# Builds (meson setup + ninja) if needed and runs `meson test` twice: a plain
# build in build/, then the same suite under AddressSanitizer and UBSan in
# build-asan/.  Prints exactly one summary line last, counted from meson's
# testlog.json files: "N passed, N failed" (", N skipped" when some were).
# Exits non-zero if anything failed.  With CI=true, tests that need root or
# /dev/fuse must run (-Drequire_fuse=true) instead of skipping.
#
# Environment: BUILDDIR (default build), ASAN_BUILDDIR (default build-asan),
# NO_ASAN=1 to skip the sanitizer pass; FUZZ=1 to fuzz outside CI,
# FUZZ_BUILDDIR (default build-fuzz), FUZZ_SECONDS per target (default 60).
set -u

src=$(cd "$(dirname "$0")/.." && pwd)
plain=${BUILDDIR:-$src/build}
asan=${ASAN_BUILDDIR:-$src/build-asan}
opts=()
if [ "${CI:-}" = true ]; then
	opts+=(-Drequire_fuse=true)
fi

# Some tests run the built programs as an unprivileged user (nobody):
# puffsctl's permission check, mount.puffs -o setuid=.  The checkout must
# then be reachable by every user.  CI's machine is thrown away after the
# run, so there the directories above the checkout are made searchable
# (o+x, nothing readable); elsewhere the reason is printed.
reachable() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || return 0
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$src" &&
	    return 0
	if [ "${CI:-}" != true ]; then
		echo "run.sh: $src is not reachable by other users; the tests" \
		    "that run programs as nobody will fail" >&2
		return 0
	fi
	local d=$src
	while [ "$d" != / ]; do
		if [ -n "$(find "$d" -maxdepth 0 ! -perm -o=x)" ]; then
			echo "run.sh: chmod o+x $d (CI)" >&2
			chmod o+x "$d"
		fi
		d=$(dirname "$d")
	done
}
reachable

status=0
logs=()
broken=0	# builds that failed: each counts as one failed test

# build DIR [meson options...]: configure if needed, compile.
build() {
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$src" "${opts[@]}" "$@" || return 1
	else
		meson configure "$dir" "${opts[@]}" "$@" >/dev/null || return 1
	fi
	ninja -C "$dir"
}

# suite DIR: run every test; the testlog is what we count.
suite() {
	local dir=$1
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
	logs+=("$dir/meson-logs/testlog.json")
}

if build "$plain"; then
	suite "$plain"
else
	echo "run.sh: build in $plain failed" >&2
	status=1
	broken=$((broken + 1))
fi

if [ "${NO_ASAN:-}" != 1 ]; then
	# A sanitizer finding must fail the test that provoked it.
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	if build "$asan" -Db_sanitize=address,undefined -Db_lundef=false; then
		suite "$asan"
	else
		echo "run.sh: sanitizer build in $asan failed" >&2
		status=1
		broken=$((broken + 1))
	fi
fi

# Fuzzing (CI, or FUZZ=1): the libFuzzer targets of tests/fuzz built with
# clang, FUZZ_SECONDS (default 60) each; a crash, leak or sanitizer report
# fails that target's test.  werror is off here: gcc builds are the
# warning gate, this one only has to run the fuzzers.
if [ "${CI:-}" = true ] || [ "${FUZZ:-}" = 1 ]; then
	fuzzdir=${FUZZ_BUILDDIR:-$src/build-fuzz}
	if CC=clang build "$fuzzdir" -Dfuzz=true -Dwerror=false \
	    -Db_sanitize=address,undefined -Db_lundef=false; then
		rm -f "$fuzzdir/meson-logs/testlog.json"
		meson test -C "$fuzzdir" --suite fuzz --print-errorlogs \
		    --num-processes 2 || status=1
		logs+=("$fuzzdir/meson-logs/testlog.json")
	else
		echo "run.sh: fuzz build in $fuzzdir failed" >&2
		status=1
		broken=$((broken + 1))
	fi
fi

# Count results: OK and EXPECTEDFAIL pass; SKIP is neither.
summary=$(python3 - "$broken" "${logs[@]}" <<'PY'
import json, sys
passed = skipped = 0
failed = int(sys.argv[1])
for path in sys.argv[2:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
out = f"{passed} passed, {failed} failed"
if skipped:
    out += f", {skipped} skipped"
print(out)
PY
)
if [ -z "$summary" ]; then
	summary="0 passed, 1 failed"
	status=1
fi
case $summary in
*" 0 failed"*) ;;
*) status=1 ;;
esac
echo "$summary"
exit $status
