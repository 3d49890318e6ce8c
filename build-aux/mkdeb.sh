#!/bin/sh
# Build the Debian package with Debian's tools: copy the source tree (without
# build/ and .git) to BUILD/deb/piiguard-VERSION, put packaging/debian there as
# debian/ (links resolved), run dpkg-buildpackage for the binary package, and
# leave piiguard_VERSION_ARCH.deb in BUILD/. lintian, when installed, checks it.
# Usage: mkdeb.sh BUILD VERSION (from the top of the source tree, by make deb).
set -eu
build=$1
version=$2
for tool in dpkg-buildpackage dh; do
	command -v "$tool" >/dev/null || {
		echo "make deb needs $tool: apt-get install dpkg-dev debhelper" >&2
		exit 1
	}
done
changelog=$(dpkg-parsechangelog -l packaging/debian/changelog -SVersion)
if [ "$changelog" != "$version" ]; then
	echo "packaging/debian/changelog is at $changelog but the Makefile's VERSION is $version" >&2
	exit 1
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
top=$build/deb
src=$top/piiguard-$version
rm -rf "$top"
mkdir -p "$src"
tar -cf - --exclude=./build --exclude=./.git --exclude=./debian . | tar -xf - -C "$src"
cp -RL packaging/debian "$src/debian"
# The package is built on its own: no variable of a calling make (BUILD=...)
# may leak into debian/rules through MAKEFLAGS.
(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -b -us -uc --no-sign \
	>"../dpkg-buildpackage.log" 2>&1) || {
	tail -40 "$top/dpkg-buildpackage.log" >&2
	echo "dpkg-buildpackage failed: $top/dpkg-buildpackage.log" >&2
	exit 1
}
deb=piiguard_${version}_${arch}.deb
mv "$top/$deb" "$build/$deb"
echo "$build/$deb"
if command -v lintian >/dev/null; then
	lintian --info "$build/$deb" || true
fi
