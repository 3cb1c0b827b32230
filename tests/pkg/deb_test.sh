#!/bin/bash
# deb_test.sh: the Debian packages, end to end, on this machine.
#
# Copies the source tree, builds the binary packages with
# `dpkg-buildpackage -us -uc -b`, runs lintian on them (no errors allowed;
# warnings are printed), installs them with dpkg, and then uses only the
# installed files: mounts the example server memfs through /sbin/mount.puffs
# from an fstab line, from the .mount unit, under the .service unit's
# notify protocol (tests/integration/pkg_mount.py with PKG_INSTALLED=1),
# builds memfs from its sources against libpuffs-dev with pkg-config and
# mounts that the NetBSD way (the installed library starts the installed
# puffsd).  Purges the packages again at the end, unless they were already
# installed before.  Prints how long the build and lintian took.
#
# Needs root, /dev/fuse, dpkg-buildpackage, debhelper, lintian,
# systemd-analyze: without them exit 77, unless PUFFS_REQUIRE_FUSE=1.
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)
pkgs=(puffs-bridge libpuffs0 libpuffs-dev)

skip() {
	if [ "${PUFFS_REQUIRE_FUSE:-0}" = 1 ]; then
		echo "FAIL (required): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
[ -c /dev/fuse ] || skip "needs /dev/fuse"
for tool in dpkg-buildpackage dh lintian systemd-analyze python3 pkg-config cc; do
	command -v "$tool" >/dev/null || skip "needs $tool"
done

work=$(mktemp -d /tmp/pkg-deb.XXXXXX)
mnt=$work/mnt
installed_by_us=0
fail=0

cleanup() {
	if grep -q " $mnt " /proc/self/mounts; then
		umount "$mnt" 2>/dev/null || umount -l "$mnt"
	fi
	if [ $installed_by_us = 1 ]; then
		dpkg_locked -P "${pkgs[@]}" >/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# dpkg with a bounded wait for a lock other package work may hold.
dpkg_locked() {
	local i
	for i in $(seq 1 60); do
		if dpkg "$@" 2>"$work/dpkg.err"; then
			return 0
		fi
		grep -q "lock" "$work/dpkg.err" || break
		sleep 2
	done
	cat "$work/dpkg.err" >&2
	return 1
}

check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fail=1
	fi
}

# The source, as a distribution would unpack it (no build directories).
mkdir -p "$work/puffs-bridge"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" ls-files -z --cached --others --exclude-standard |
	    tar -C "$src" --null -T - -cf - | tar -C "$work/puffs-bridge" -xf -
else
	tar -C "$src" --exclude='./build*' --exclude='./obj-*' -cf - . |
	    tar -C "$work/puffs-bridge" -xf -
fi

t0=$(date +%s.%N)
(cd "$work/puffs-bridge" &&
    DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
status=$?
t1=$(date +%s.%N)
printf 'time: dpkg-buildpackage %.1f s\n' "$(python3 -c "print($t1 - $t0)")"
if [ $status -ne 0 ]; then
	tail -50 "$work/build.log"
	echo "FAIL: dpkg-buildpackage -us -uc -b"
	exit 1
fi
echo "ok: dpkg-buildpackage -us -uc -b"
ls "$work"/*.deb

t0=$(date +%s.%N)
lintian --fail-on error "$work"/puffs-bridge_*.changes 2>&1 | tee "$work/lintian.log"
status=${PIPESTATUS[0]}
t1=$(date +%s.%N)
printf 'time: lintian %.1f s\n' "$(python3 -c "print($t1 - $t0)")"
check "lintian reports no errors" [ "$status" = 0 ]
check "lintian output has no E: lines" \
    bash -c "! grep -q '^E:' '$work/lintian.log'"

# Install.
already=0
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed" && already=1
done
[ $already = 0 ] && installed_by_us=1
debs=()
for p in "${pkgs[@]}"; do
	debs+=("$work/${p}_"*.deb)
done
check "dpkg -i ${pkgs[*]}" dpkg_locked -i "${debs[@]}"
for f in /usr/sbin/puffsd /sbin/mount.puffs /sbin/mount.fuse.puffs \
    /usr/libexec/puffs-bridge/servers/mount_memfs \
    /usr/include/puffs/puffs.h /usr/share/man/man8/mount.puffs.8.gz \
    /usr/share/man/man7/puffs-protocol.7.gz \
    /usr/share/doc/puffs-bridge/examples/puffs-memfs.service; do
	check "installed: $f" [ -e "$f" ]
done
check "pkg-config --cflags puffs is -I/usr/include/puffs" \
    [ "$(pkg-config --cflags puffs | xargs)" = "-I/usr/include/puffs" ]

# The installed files only: no overrides from a build tree.
unset PUFFS_BRIDGE_PUFFSD PUFFS_BRIDGE_SERVERDIR PUFFSD MEMFS MOUNT_PUFFS \
    EXAMPLES
for tc in fstab options fail mountunit service; do
	check "installed: pkg_mount.py $tc" \
	    env PKG_INSTALLED=1 python3 "$src/tests/integration/pkg_mount.py" "$tc"
done

# A server built against libpuffs-dev, the NetBSD way round.
mkdir -p "$mnt"
check "memfs builds against libpuffs-dev with pkg-config" \
    cc -o "$work/memfs-dev" "$src"/puffs-compat/examples/memfs/*.c \
    $(pkg-config --cflags --libs puffs)
if [ -x "$work/memfs-dev" ]; then
	check "memfs (from libpuffs-dev) mounts, starting the installed puffsd" \
	    "$work/memfs-dev" fromdev "$mnt"
	check "the mount is live" grep -q "^fromdev $mnt fuse.memfs " /proc/self/mounts
	echo hello >"$mnt/f" 2>/dev/null
	check "a file written there reads back" \
	    bash -c "[ \"\$(cat '$mnt/f')\" = hello ]"
	check "umount" umount "$mnt"
fi

exit $fail
