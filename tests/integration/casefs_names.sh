#!/bin/sh
# casefs_names.sh: casefs really rewrites names: what is created through the
# mount appears case-swapped in the host directory and the other way round,
# lookups, renames and removals go to the swapped host name; SIGTERM to the
# server unmounts cleanly (puffs_unmountonsignal).
# Usage: casefs_names.sh PUFFSD CASEFS  (root and /dev/fuse, else skip 77)
set -u
PUFFSD=$1 CASEFS=$2
if [ "$(id -u)" != 0 ] || [ ! -w /dev/fuse ]; then
	[ "${PUFFS_REQUIRE_FUSE:-0}" = 1 ] && { echo "need root and /dev/fuse"; exit 1; }
	exit 77
fi
base=$(mktemp -d /tmp/casefs-test.XXXXXX) || exit 99
host=$base/host mnt=$base/mnt pid=
mkdir "$host" "$mnt"
cleanup() {
	umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
	[ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
	rm -rf "$base"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$PUFFSD" -- "$CASEFS" -s "$host" "$mnt" &
pid=$!
i=0
until grep -q " $mnt fuse" /proc/self/mounts; do
	i=$((i + 1))
	[ $i -gt 1000 ] && fail "mount not live after 10 s"
	kill -0 "$pid" 2>/dev/null || fail "puffsd exited"
	sleep 0.01
done

echo data > "$mnt/Hello.Txt" || fail "create"
[ -f "$host/hELLO.tXT" ] || fail "host name not swapped: $(ls "$host")"
[ "$(cat "$host/hELLO.tXT")" = data ] || fail "content"
mkdir "$host/UPPER" && echo x > "$host/UPPER/MiXed"
[ "$(ls "$mnt")" = "$(printf 'hello.tXT\nupper')" ] && fail "listing not swapped"
ls "$mnt" | grep -qx upper || fail "readdir: $(ls "$mnt")"
[ "$(cat "$mnt/upper/mIxED")" = x ] || fail "lookup below a swapped dir"
mv "$mnt/upper" "$mnt/Lower" || fail "rename"
[ -f "$host/lOWER/MiXed" ] || fail "rename target: $(ls "$host")"
rm "$mnt/Lower/mIxED" || fail "remove"
[ ! -e "$host/lOWER/MiXed" ] || fail "remove went elsewhere"
rmdir "$mnt/Lower" && [ ! -e "$host/lOWER" ] || fail "rmdir"

# puffs_unmountonsignal: SIGTERM to the server unmounts cleanly.
server=$(pgrep -P "$pid" | head -n 1)
[ -n "$server" ] || fail "no server process under puffsd"
kill -TERM "$server"
i=0
while grep -q " $mnt fuse" /proc/self/mounts || kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 1000 ] && fail "SIGTERM did not unmount within 10 s"
	sleep 0.01
done
wait "$pid"
status=$?
pid=
[ "$status" = 0 ] || fail "puffsd exited with $status after SIGTERM"
echo ok
