#!/bin/bash
# tests/valgrind/memcheck.sh: one daemon-first mount with puffsd and the
# memfs server each under valgrind's memcheck, a representative workload
# through real system calls (create, write, read back, mkdir, readdir,
# rename, link, symlink, truncate, unlink, rmdir), then an ordinary
# umount.  Fails on any invalid access, use of uninitialised memory, or
# definitely/indirectly lost block in either process (--error-exitcode),
# and on a wrong result of the workload.
#
# Environment: PUFFSD, MEMFS (set by meson), PUFFS_REQUIRE_FUSE=1 to fail
# rather than skip (exit 77) without root, /dev/fuse or valgrind.
# Suppressions (third-party libraries only) are in memcheck.supp.
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
command -v valgrind >/dev/null || skip "valgrind not installed"

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/puffs-vg.XXXXXX)
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

vg=(valgrind --tool=memcheck --leak-check=full
    --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect
    --track-origins=yes --error-exitcode=99
    --suppressions="$here/memcheck.supp")

# puffsd execs the server through valgrind; PUFFS_COMFD passes through.
"${vg[@]}" --log-file="$work/puffsd.vg" "$PUFFSD" -- \
    "${vg[@]}" --log-file="$work/memfs.vg" "$MEMFS" -s "$mnt" \
    2>"$work/puffsd.err" &
pid=$!

# A generous deadline: the mount comes up slowly under valgrind.
for _ in $(seq 600); do
	grep -q " $mnt fuse" /proc/self/mounts && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q " $mnt fuse" /proc/self/mounts; then
	echo "FAIL: mount not live under valgrind"
	cat "$work/puffsd.err" "$work"/*.vg
	exit 1
fi

check() {
	if ! eval "$1"; then
		echo "FAIL: $1"
		fail=1
	fi
}

head -c 300000 /dev/urandom >"$work/data"
check 'cp "$work/data" "$mnt/file"'
check 'cmp "$work/data" "$mnt/file"'
check 'mkdir "$mnt/dir"'
for i in $(seq 50); do echo "$i" >"$mnt/dir/f$i" || fail=1; done
check '[ "$(ls "$mnt/dir" | wc -l)" = 50 ]'
check 'mv "$mnt/file" "$mnt/dir/moved"'
check 'cmp "$work/data" "$mnt/dir/moved"'
check 'ln "$mnt/dir/moved" "$mnt/hard"'
check 'ln -s dir/moved "$mnt/sym"'
check 'cmp "$work/data" "$mnt/sym"'
check 'truncate -s 1000 "$mnt/hard"'
check '[ "$(stat -c %s "$mnt/dir/moved")" = 1000 ]'
check 'dd if="$work/data" of="$mnt/hard" bs=4096 seek=3 count=5 conv=notrunc status=none'
check 'rm "$mnt/sym" "$mnt/hard" "$mnt/dir/moved"'
check 'rm "$mnt"/dir/f*'
check 'rmdir "$mnt/dir"'
check '[ -z "$(ls -A "$mnt")" ]'
check 'stat -f "$mnt" >/dev/null'

umount "$mnt"
wait "$pid"
rc=$?
pid=
echo "puffsd exit status $rc"
for f in puffsd memfs; do
	echo "--- $f: $(grep -E 'ERROR SUMMARY|definitely lost|indirectly lost' "$work/$f.vg" | sed 's/^==[0-9]*== //' | tr '\n' ';')"
	# A missing summary (valgrind did not finish) fails too.
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$work/$f.vg"; then
		cat "$work/$f.vg"
		fail=1
	fi
done
if [ $rc -ne 0 ]; then
	echo "FAIL: puffsd (or valgrind) exited with $rc"
	cat "$work/puffsd.err"
	fail=1
fi
exit $fail
