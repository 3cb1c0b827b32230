#!/bin/sh
# run_servers.sh: the real-servers test.  For every servers/*.list (what one
# NetBSD puffs server includes and uses, file by file) it generates one C
# file per server source file with gen_servers.py, compiles them with
# -Wall -Wextra -Werror and nothing but `pkg-config --cflags --libs puffs`
# against the INSTALLED headers and library (a private DESTDIR, as
# run_surface.sh does), links them into one program and runs it.
# Usage: run_servers.sh BUILDDIR SRCDIR
set -eu
build=$1 src=$2
tmp=$(mktemp -d /tmp/puffs-servers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet \
    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
pc=$(find "$tmp/root" -name puffs.pc | head -n 1)
[ -n "$pc" ] || { echo "puffs.pc was not installed"; exit 1; }
mkdir "$tmp/pc"
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed "s|^prefix=.*|prefix=$tmp/root$prefix|" "$pc" >"$tmp/pc/puffs.pc"
flags=$(PKG_CONFIG_PATH="$tmp/pc" pkg-config --cflags --libs puffs)
libdir=$(PKG_CONFIG_PATH="$tmp/pc" pkg-config --variable=libdir puffs)
echo "pkg-config --cflags --libs puffs: $flags"

fails=0
for list in "$src"/servers/*.list; do
	name=$(basename "$list" .list)
	mkdir "$tmp/$name"
	files=$(python3 "$src/gen_servers.py" "$list" "$tmp/$name")
	# The stand-in callbacks keep the server's parameter names, unused.
	# shellcheck disable=SC2086
	if ! cc -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter ${SURFACE_CFLAGS:-} \
	    $files -o "$tmp/$name/check" $flags; then
		echo "FAIL $name: does not compile against the compat layer"
		fails=$((fails + 1))
		continue
	fi
	if ! LD_LIBRARY_PATH=$libdir "$tmp/$name/check"; then
		echo "FAIL $name: runtime checks"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ]
