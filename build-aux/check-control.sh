#!/bin/sh
# Check that the Build-Depends of the Debian package (packaging/debian/control)
# name exactly the build dependencies the Makefile installs (DEPS_DEBIAN less
# what only the tests need), besides debhelper-compat and scdoc, which only the
# package build needs. Run by `make check-control`, `make deb` and the tests.
# Usage: check-control.sh CONTROL "PKG..."
set -eu
control=$1
want=$(printf '%s\n' $2 debhelper-compat scdoc | sort -u)
have=$(sed -n '/^Build-Depends:/,/^[^ ]/p' "$control" | sed 's/^Build-Depends://' |
	tr ',' '\n' | sed 's/(.*)//; s/\[.*\]//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' |
	grep -v '^[A-Z][A-Za-z-]*:' | sort -u)
missing=$(printf '%s\n' "$want" | grep -vxF "$have" || true)
extra=$(printf '%s\n' "$have" | grep -vxF "$want" || true)
if [ -n "$missing" ] || [ -n "$extra" ]; then
	echo "$control: Build-Depends disagrees with the Makefile's DEPS_DEBIAN" >&2
	[ -n "$missing" ] && echo "  missing from Build-Depends:" $missing >&2
	[ -n "$extra" ] && echo "  in Build-Depends only:" $extra >&2
	echo "  (a dependency only for make test belongs in DEPS_TEST_ONLY)" >&2
	exit 1
fi
echo "$control: Build-Depends agrees with DEPS_DEBIAN"
