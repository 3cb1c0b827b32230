#!/bin/sh
# run_surface.sh: the API-surface test.  Installs the build into a private
# DESTDIR, points pkg-config at the installed puffs.pc, generates the check
# program from surface.list and compiles it with -Wall -Wextra -Werror and
# nothing but `pkg-config --cflags --libs puffs`; then runs it, and compiles
# coexist.c (our headers followed by system headers) the same way, with
# and without _GNU_SOURCE.
# Usage: run_surface.sh BUILDDIR SRCDIR [--pending OWNERS]
set -eu
build=$1 src=$2
shift 2
tmp=$(mktemp -d /tmp/puffs-surface.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet \
    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
pc=$(find "$tmp/root" -name puffs.pc | head -n 1)
[ -n "$pc" ] || { echo "puffs.pc was not installed"; exit 1; }
# Only our own paths move into the DESTDIR; libbsd's stay the system's.
mkdir "$tmp/pc"
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed "s|^prefix=.*|prefix=$tmp/root$prefix|" "$pc" >"$tmp/pc/puffs.pc"
flags=$(PKG_CONFIG_PATH="$tmp/pc" pkg-config --cflags --libs puffs)
libdir=$(PKG_CONFIG_PATH="$tmp/pc" pkg-config --variable=libdir puffs)
echo "pkg-config --cflags --libs puffs: $flags"

python3 "$src/gen_surface.py" "$src/surface.list" "$tmp/surface.c" "$@"
cc -std=gnu11 -Wall -Wextra -Werror ${SURFACE_CFLAGS:-} "$tmp/surface.c" \
    -o "$tmp/surface" $flags
LD_LIBRARY_PATH=$libdir "$tmp/surface"
cc -std=gnu11 -Wall -Wextra -Werror ${SURFACE_CFLAGS:-} "$src/coexist.c" \
    -o "$tmp/coexist" $flags
LD_LIBRARY_PATH=$libdir "$tmp/coexist"
cc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror ${SURFACE_CFLAGS:-} \
    "$src/coexist.c" -o "$tmp/coexist-gnu" $flags
LD_LIBRARY_PATH=$libdir "$tmp/coexist-gnu"
