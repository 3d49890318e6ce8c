#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench (bench/run.sh calls it): `piiguard wipe` of a home of 100,000
# small files against `rm -rf` and `shred -u` on the same tree, and the MB/s
# of the wipe's overwrite pass against dd, side by side. Needs root (it makes
# a throwaway account, removed at the end). Prints figures; asserts nothing.
# Usage: bench/wipe.sh BUILD_DIR [FILES]; BENCH_WIPE_DIR puts the trees
# elsewhere (default BUILD_DIR/bench/wipe: the disk the build is on).
set -eu
build=$1
files=${2:-100000}
bin=$(realpath "$build/piiguard")
if [ "$(id -u)" != 0 ]; then
	echo "== wipe: needs root (a throwaway account); skipped"
	exit 0
fi
base=$(realpath -m "${BENCH_WIPE_DIR:-$build/bench/wipe}")/run.$$
user=pgb$$
homes=$base/homes
mkdir -p "$homes" "$base/skel"
chmod 755 "$base" "$homes"
useradd -M -U -d "$homes/$user" -s /usr/sbin/nologin "$user"
trap 'userdel "$user" 2>/dev/null; rm -rf "$base"' EXIT INT TERM
conf=$base/wipe.conf
printf '[wipe]\nusers = %s\nwarn_minutes = 0\nskeleton = %s\n[forward]\njournald = no\n' "$user" "$base/skel" >"$conf"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

# tree DIR: FILES files of about 60 bytes, 1,000 a folder.
tree() {
	perl -e 'my ($d, $n) = @ARGV; mkdir $d;
		for my $i (0 .. $n - 1) { my $s = sprintf "%s/d%03d", $d, $i / 1000; mkdir $s;
			open my $h, ">", "$s/f$i.txt" or die "$s: $!"; print $h "Tờ khai số $i, CCCD 0010990" . ($i % 100000) . "\n" }' \
		"$1" "$files"
}

# timed_wipe: wipe the home as it is now (the account's), times in t0 and t1.
timed_wipe() {
	chown -R "$user:" "$homes/$user"
	chmod 700 "$homes/$user"
	sync
	t0=$(now)
	"$bin" wipe --yes -c "$conf" --store "$base/state/findings.db" --user "$user" >"$base/out.txt" 2>&1 || true
	t1=$(now)
}

echo "== wipe of $files small files ($(df -T "$base" | awk 'NR == 2 { print $2 }') at $base)"
tree "$homes/$user"
timed_wipe
policy=$(sed -n 's/^  media: \([a-z]*\):.*/\1/p' "$base/out.txt")
echo "piiguard wipe ($policy): $(secs "$t0" "$t1") s, $(rate "$files" "$t0" "$t1") files/s"
sed -n 's/^  media: /  media: /p; s/^  \(removed\|overwritten\): /  \1: /p' "$base/out.txt"

tree "$base/rm"
sync
t0=$(now)
rm -rf "$base/rm"
t1=$(now)
echo "rm -rf: $(secs "$t0" "$t1") s, $(rate "$files" "$t0" "$t1") files/s"

tree "$base/shred"
sync
t0=$(now)
find "$base/shred" -type f -exec shred -u {} +
rm -rf "$base/shred"
t1=$(now)
echo "shred -u (3 passes) + rm -rf: $(secs "$t0" "$t1") s, $(rate "$files" "$t0" "$t1") files/s"

echo "== overwrite pass: one 256 MiB file"
mkdir -p "$homes/$user"
dd if=/dev/urandom of="$homes/$user/big.bin" bs=1M count=256 status=none
timed_wipe
if grep -q '^  media: overwrite' "$base/out.txt"; then
	echo "piiguard wipe (overwrite once, synced): $(rate 256 "$t0" "$t1") MiB/s"
else
	echo "piiguard wipe: no overwrite here ($(sed -n 's/^  media: //p' "$base/out.txt")): $(secs "$t0" "$t1") s"
fi
t0=$(now)
dd if=/dev/zero of="$base/dd.bin" bs=1M count=256 conv=fsync status=none
t1=$(now)
echo "dd if=/dev/zero bs=1M conv=fsync: $(rate 256 "$t0" "$t1") MiB/s"
rm -f "$base/dd.bin"
