#!/bin/sh
# man_warnings.sh MAN PAGE: render PAGE with man(1) and every groff warning
# on; fail if it says anything on stderr or fails.
man=$1
page=$2
err=$(LC_ALL=C.UTF-8 MANWIDTH=80 "$man" --warnings -l "$page" 2>&1 >/dev/null)
status=$?
if [ $status -ne 0 ] || [ -n "$err" ]; then
	printf '%s\n' "$err"
	echo "man --warnings -l $page: status $status" >&2
	exit 1
fi
exit 0
