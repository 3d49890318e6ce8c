#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Browser app storage as a real browser writes it: headless Chromium opens a
# page served on 127.0.0.1 (a random free port) whose script writes
# localStorage (a Vietnamese value holding a CCCD, so stored as UTF-16LE, and
# an ASCII one, stored as Latin-1) and IndexedDB records (a small object and
# a 200 kB one, which Chromium wraps with snappy, then 7 MB of filler, which
# makes LevelDB write its memtable to .ldb tables), then asks for /done.
# Chromium is then stopped with SIGTERM: its shutdown commits Local Storage,
# which it otherwise writes to disk only after a delay (checked on Chromium
# 156: after SIGTERM the values are in Local Storage/leveldb/000003.log;
# --dump-dom with --virtual-time-budget did not finish here). The scan must
# name the origin as member for Local Storage and "indexeddb:<db>/<store>"
# for IndexedDB. Telegram Desktop's encrypted files give coverage.encrypted.
. "$(dirname "$0")/lib.sh"

# --- Telegram: reported, not read (no browser needed) ----------------------------------------
mkdir -p tdata/D877F783D5D3EF8C
{
	printf 'TDF$\x8c\x4e\x4c\x00'
	head -c 200 /dev/urandom
} >tdata/D877F783D5D3EF8C/maps
{
	printf 'TDEF'
	head -c 400 /dev/urandom
} >tdata/cache-entry
is "$(scan --format jsonl tdata | jl rule | sort | uniq -c | sed 's/^ *//')" "2 coverage.encrypted" \
	"Telegram TDF\$ and TDEF files: coverage.encrypted each"

# --- a Chromium profile ----------------------------------------------------------------------------
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
	skip "no Chromium (apt-get install chromium): browser profile not made" 12
	done_testing
fi

cat >page.html <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>ho so</title></head><body><script>
localStorage.setItem('ghi_chu', 'Họ và tên: Nguyễn Văn An, Số CCCD: 052090001234');
localStorage.setItem('plain', 'CCCD 079203000777 plain ascii');
var big = 'Số CCCD: 001203000123 ' + 'dữ liệu '.repeat(25000);
// About 7 MB of letters snappy cannot shrink: LevelDB writes its memtable to a table (.ldb).
function letters(n, seed) {
	var s = [], x = seed;
	for (var i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; s.push(97 + (x >> 16) % 26); }
	return String.fromCharCode.apply(null, s);
}
function filler(db) {
	var t = db.transaction('nguoi', 'readwrite');
	for (var i = 0; i < 120; i++) t.objectStore('nguoi').put({id: 100 + i, pad: letters(60000, i + 1)});
	t.oncomplete = function () { fetch('/done'); };
}
var r = indexedDB.open('hoso', 1);
r.onupgradeneeded = function (e) { e.target.result.createObjectStore('nguoi', {keyPath: 'id'}); };
r.onsuccess = function (e) {
	var t = e.target.result.transaction('nguoi', 'readwrite');
	t.objectStore('nguoi').put({id: 1, ten: 'Trần Thị Bình', cccd: 'Số CCCD: 079203000777'});
	t.objectStore('nguoi').put({id: 2, ghi_chu: big});
	t.oncomplete = function () { filler(e.target.result); };
};
</script></body></html>
HTML

# A one-file HTTP server on a free loopback port; it logs each path asked.
cat >server.pl <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 5, ReuseAddr => 1)
	or die "listen: $!";
my $body = do { open my $f, '<:raw', 'page.html' or die; local $/; <$f> };
open my $pf, '>', 'port.tmp' or die; print $pf $s->sockport, "\n"; close $pf; rename 'port.tmp', 'port';
while (my $c = $s->accept) {
	my $req = '';
	while (my $l = <$c>) { $req .= $l; last if $l eq "\r\n"; }
	my ($path) = $req =~ m{^GET (\S+)};
	open my $lf, '>>', 'requests' or die; print $lf ($path // '?'), "\n"; close $lf;
	if (defined $path && $path eq '/') {
		print $c "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
			. length($body) . "\r\n\r\n$body";
	} else {
		print $c "HTTP/1.0 204 No Content\r\nContent-Length: 0\r\n\r\n";
	}
	close $c;
}
PERL
perl server.pl 2>server.log &
server=$!
chrome=
stop_all() {
	[ -n "$chrome" ] && kill -KILL -- "-$chrome" 2>/dev/null
	kill "$server" 2>/dev/null
	wait 2>/dev/null
}
trap 'rc=$?; stop_all; (exit $rc); _cleanup' EXIT

for _ in $(seq 1 50); do [ -s port ] && break; sleep 0.1; done
port=$(cat port 2>/dev/null)
if [ -z "$port" ]; then
	fail "the test server did not start" "$(cat server.log)"
	done_testing
fi
origin="http://127.0.0.1:$port"

# Its own session, so that the browser and its helpers can be stopped together.
setsid "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$TD/profile" "$origin/" \
	>chromium.log 2>&1 &
chrome=$!
for _ in $(seq 1 300); do grep -qx /done requests 2>/dev/null && break; sleep 0.1; done
ok "the page wrote its storage and asked for /done" grep -qx /done requests
kill -TERM "$chrome" 2>/dev/null
for _ in $(seq 1 200); do kill -0 "$chrome" 2>/dev/null || break; sleep 0.1; done
ok "Chromium exits on SIGTERM" test ! -d "/proc/$chrome"
kill -KILL -- "-$chrome" 2>/dev/null # helpers left behind, if any
chrome=

ls_dir="$TD/profile/Default/Local Storage/leveldb"
idb_dir=$(find "$TD/profile/Default/IndexedDB" -maxdepth 1 -name '*.indexeddb.leveldb' | head -n 1)

# --- Local Storage --------------------------------------------------------------------------------
run scan --format jsonl "$ls_dir"
is "$RC" 1 "Local Storage: findings, exit 1"
found=$(printf '%s\n' "$OUT" | jl member rule masked | sort)
is "$found" "$origin	vn.cccd	052******234
$origin	vn.cccd	079******777" "Local Storage: both values (UTF-16LE and Latin-1), the origin as member"
lacks "$OUT" "coverage." "Local Storage: no coverage outcome"

# --- IndexedDB ------------------------------------------------------------------------------------
ok "IndexedDB: Chromium made a LevelDB folder" test -n "$idb_dir"
run scan --format jsonl "${idb_dir:-/nonexistent}"
is "$RC" 1 "IndexedDB: findings, exit 1"
found=$(printf '%s\n' "$OUT" | jl member rule masked | sort -u)
is "$found" "indexeddb:hoso/nguoi	vn.cccd	001******123
indexeddb:hoso/nguoi	vn.cccd	079******777" \
	"IndexedDB: the small record and the 200 kB (snappy-wrapped) one, named by database and store"
lacks "$OUT" "coverage." "IndexedDB: no coverage outcome"
has_tables() { compgen -G "$1/*.ldb" >/dev/null; }
ok "IndexedDB: Chromium wrote tables (.ldb)" has_tables "${idb_dir:-/nonexistent}"
like "$(printf '%s\n' "$OUT" | jl path)" "\\.ldb" "IndexedDB: findings read from a table"
# The large value is stored wrapped: its text is not in the raw bytes.
if grep -rqa '0.\?0.\?1.\?2.\?0.\?3.\?0.\?0.\?0.\?1.\?2.\?3' "${idb_dir:-/nonexistent}"; then
	fail "IndexedDB: the 200 kB value is snappy-wrapped (its digits are not on disk as they are)"
else
	pass "IndexedDB: the 200 kB value is snappy-wrapped (its digits are not on disk as they are)"
fi

done_testing
