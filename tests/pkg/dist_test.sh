#!/bin/bash
# dist_test.sh BUILDDIR: `meson dist` makes a tarball that builds.
#
# Makes the release tarball from BUILDDIR (the committed tree, or the work
# tree with --allow-dirty), unpacks it elsewhere, configures, builds and
# installs it with DESTDIR, so that a file missing from git (or from the
# tarball) shows up here rather than at a distribution.
set -u
builddir=$1
work=$(mktemp -d /tmp/pkg-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v git >/dev/null || { echo "SKIP: needs git"; exit 77; }
git -C "$(dirname "$0")" rev-parse --git-dir >/dev/null 2>&1 ||
    { echo "SKIP: not a git checkout"; exit 77; }

set -e
rm -rf "$builddir/meson-dist"
meson dist -C "$builddir" --no-tests --allow-dirty --formats xztar
tarball=$(ls "$builddir"/meson-dist/*.tar.xz)
echo "ok: $tarball"
tar -C "$work" -xJf "$tarball"
srcdir=$(ls -d "$work"/puffs-bridge-*)
for f in debian/control debian/rules systemd/puffs-memfs.service \
    man/mount.puffs.8 src/mount_puffs.c include/puffs-bridge/puffs_msgif.h; do
	[ -e "$srcdir/$f" ] || { echo "FAIL: $f missing from the tarball"; exit 1; }
done
echo "ok: the tarball has the packaging, units and man pages"
# What a distribution builds (the package test builds and runs the rest).
meson setup "$work/build" "$srcdir" -Dtests=disabled >/dev/null
ninja -C "$work/build" >/dev/null
echo "ok: the tarball builds"
DESTDIR="$work/dest" meson install -C "$work/build" --quiet
for f in sbin/mount.puffs sbin/mount.fuse.puffs usr/local/include/puffs/puffs.h; do
	[ -e "$work/dest/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
echo "ok: meson install with DESTDIR puts the helpers in /sbin and headers in include/puffs"
