#!/bin/sh
# Check packaging/debian/control against the Makefile's DEPS_DEBIAN: the
# Build-Depends name exactly the build dependencies (DEPS_DEBIAN less what
# only the tests need, and less the run-time data), besides debhelper-compat
# and scdoc, which only the package build needs; and every run-time data
# package (tesseract's languages) is in the binary package's Depends or
# Recommends. Run by `make check-control`, `make deb` and the tests.
# Usage: check-control.sh CONTROL "BUILD-PKG..." "RUNTIME-PKG..."
set -eu
control=$1
# names FIELD: the package names of a control field, one a line.
names() {
	sed -n "/^$1:/,/^[^ ]/p" "$control" | sed "s/^$1://" |
		tr ',|' '\n\n' | sed 's/(.*)//; s/\[.*\]//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' |
		grep -v '^[A-Z][A-Za-z-]*:' | grep -v '^\${' | sort -u
}
want=$(printf '%s\n' $2 debhelper-compat scdoc | sort -u)
have=$(names Build-Depends)
missing=$(printf '%s\n' "$want" | grep -vxF "$have" || true)
extra=$(printf '%s\n' "$have" | grep -vxF "$want" || true)
runtime=$(names Depends; names Recommends)
unlisted=
for p in ${3:-}; do
	printf '%s\n' "$runtime" | grep -qxF "$p" || unlisted="$unlisted $p"
done
if [ -n "$missing" ] || [ -n "$extra" ] || [ -n "$unlisted" ]; then
	echo "$control disagrees with the Makefile's DEPS_DEBIAN:" >&2
	[ -n "$missing" ] && echo "  missing from Build-Depends:" $missing >&2
	[ -n "$extra" ] && echo "  in Build-Depends only:" $extra >&2
	[ -n "$unlisted" ] && echo "  run-time data missing from Depends/Recommends:$unlisted" >&2
	echo "  (only for make test: DEPS_TEST_ONLY; data the program reads: DEPS_RUNTIME)" >&2
	exit 1
fi
echo "$control: Build-Depends and Depends agree with DEPS_DEBIAN"
