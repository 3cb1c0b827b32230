#!/bin/bash
# tests/stress/stress.sh: stress on a real mount of memfs through puffsd
# (daemon first), bounded in time:
#   1. fsstress (tests/stress/fsstress.c): STRESS_PROCS processes of random
#      namespace and data operations for STRESS_SECONDS, each checking its
#      subtree against its own record, then a full verification pass;
#   2. stress-ng's filesystem stressors (dir, dentry, link, symlink,
#      rename, hdd, seek), each for a number of operations (about ten
#      seconds here) rather than a time: stress-ng ends a timed run with
#      SIGALRM, and a FUSE request interrupted by a signal fails with
#      EINTR, which stress-ng counts as a failure (interrupts are tested
#      in tests/fault, eintr).  STRESS_NG_OPS scales the counts;
#   3. rm -rf of everything and drop_caches; then puffsctl status must
#      show no request in flight and puffsd's node count back to its
#      value before the run; then an ordinary umount after which puffsd
#      must exit 0.
# Fails on any verification error, stressor failure, leaked node or
# request, or unclean end.
#
# Environment: PUFFSD, MEMFS, FSSTRESS, PUFFSCTL (set by meson); STRESS_SECONDS
# (default 20), STRESS_PROCS (default 4), STRESS_NG_OPS (default 1),
# PUFFS_REQUIRE_FUSE=1 to fail rather than skip (77) without root,
# /dev/fuse or stress-ng.  A long run: STRESS_SECONDS=600 STRESS_NG_OPS=30
# meson test -C build stress --timeout-multiplier 10
set -u

skip() {
	if [ "${PUFFS_REQUIRE_FUSE:-0}" = 1 ]; then
		echo "FAIL: $1 (PUFFS_REQUIRE_FUSE=1)"
		exit 1
	fi
	echo "SKIP: $1"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "not root"
[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v stress-ng >/dev/null || skip "stress-ng not installed"

secs=${STRESS_SECONDS:-20}
procs=${STRESS_PROCS:-4}
ngops=${STRESS_NG_OPS:-1}
work=$(mktemp -d /tmp/puffs-stress.XXXXXX)
mnt=$work/mnt
mkdir "$mnt"
pid=
fail=0

cleanup() {
	if grep -q " $mnt " /proc/self/mounts; then
		umount "$mnt" 2>/dev/null || umount -l "$mnt"
	fi
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

"$PUFFSD" -- "$MEMFS" -s "$mnt" 2>"$work/puffsd.err" &
pid=$!
for _ in $(seq 100); do
	grep -q " $mnt fuse" /proc/self/mounts && break
	sleep 0.1
done
grep -q " $mnt fuse" /proc/self/mounts || {
	echo "FAIL: mount not live"; cat "$work/puffsd.err"; exit 1; }

# status FIELD: one field of puffsctl status.
status() {
	"$PUFFSCTL" status "$mnt" | sed -n "s/^$1: *//p"
}
nodes0=$(status nodes)
echo "stress: puffsd knows $nodes0 node(s) before the run"

t0=$(date +%s.%N)
mkdir "$mnt/fsstress"
if ! "$FSSTRESS" "$mnt/fsstress" "$procs" "$secs"; then
	echo "FAIL: fsstress"
	fail=1
fi

mkdir "$mnt/ng"
# The filesystem class minus stressors that need features a puffs
# server may lack (O_DIRECT, xattrs, locks, fiemap, ioctls).
# The timeout only catches a hang (and would then fail with EINTRs).
if ! stress-ng --temp-path "$mnt/ng" --timeout 600s \
    --dir 2 --dir-ops $((1000 * ngops)) \
    --dentry 2 --dentry-ops $((1000 * ngops)) \
    --link 1 --link-ops "$ngops" --symlink 1 --symlink-ops "$ngops" \
    --rename 1 --rename-ops $((500 * ngops)) \
    --hdd 1 --hdd-bytes 4m --hdd-opts wr-seq,rd-seq \
    --hdd-ops $((5000 * ngops)) \
    --seek 1 --seek-size 4m --seek-ops $((500 * ngops)) \
    --metrics-brief 2>&1; then
	echo "FAIL: stress-ng"
	fail=1
fi

check() {
	if ! eval "$1"; then
		echo "FAIL: $1"
		fail=1
	fi
}
check 'rm -rf "$mnt/fsstress" "$mnt/ng"'
check '[ -z "$(ls -A "$mnt")" ]'
sync
echo 2 >/proc/sys/vm/drop_caches
check 'stat "$mnt" >/dev/null'
# Forgets reach puffsd asynchronously: give them a generous deadline.
for _ in $(seq 100); do
	[ "$(status nodes)" = "$nodes0" ] && break
	sleep 0.1
	echo 2 >/proc/sys/vm/drop_caches
done
nodes1=$(status nodes)
inflight=$(status 'in flight')
echo "stress: after rm -rf and drop_caches: $nodes1 node(s), $inflight in flight"
check '[ "$nodes1" = "$nodes0" ]'
check '[ "$inflight" = 0 ]'
umount "$mnt"
wait "$pid"
rc=$?
pid=
echo "stress: $(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo '?') s in all, puffsd exit status $rc"
if [ $rc -ne 0 ]; then
	echo "FAIL: puffsd exited with $rc"
	cat "$work/puffsd.err"
	fail=1
fi
exit $fail
