#!/bin/bash
# quickstart.sh: from a fresh Debian 12 (as root) to a working mount.
# Installs what is missing, builds into build/, mounts the example server
# memfs at a temporary directory the NetBSD way (the server first; the
# library starts puffsd), creates, lists and reads files there, unmounts.
set -eu
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

# What the build and the whole test suite need: the list .ci/run installs.
mapfile -t pkgs < <(grep -v '^#' .ci/packages)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "== installing: ${missing[*]}"
	apt-get update -q </dev/null
	apt-get install -q -y --no-install-recommends "${missing[@]}" </dev/null
fi

echo "== building"
[ -f build/build.ninja ] || meson setup build
ninja -C build

mnt=$(mktemp -d /tmp/memfs.XXXXXX)
cleanup() {
	if grep -q " $mnt " /proc/self/mounts; then
		umount "$mnt" 2>/dev/null || umount -l "$mnt"
	fi
	rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT

echo "== mounting memfs at $mnt"
# Use the daemon from the build tree, not the (not yet installed) one.
export PUFFS_BRIDGE_PUFFSD=$PWD/build/src/puffsd
build/puffs-compat/examples/memfs/memfs "$mnt"
for _ in $(seq 100); do
	grep -q " $mnt fuse" /proc/self/mounts && break
	sleep 0.1
done
grep " $mnt " /proc/self/mounts

echo "== creating files"
echo "hello from a NetBSD puffs server" > "$mnt/hello.txt"
mkdir "$mnt/dir"
for i in 1 2 3; do echo "file $i" > "$mnt/dir/file$i"; done
ln -s hello.txt "$mnt/link"
echo "== listing"
ls -l "$mnt" "$mnt/dir"
echo "== reading"
cat "$mnt/link" "$mnt"/dir/*
df -h "$mnt"

echo "== unmounting"
umount "$mnt"
grep -q " $mnt " /proc/self/mounts && { echo "still mounted" >&2; exit 1; }
echo "quickstart: memfs mounted, used and unmounted"
