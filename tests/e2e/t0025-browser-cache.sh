#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A real Chromium HTTP cache: Debian's headless Chromium loads a page from a
# loopback server (an HTML page with a CCCD, a JSON answer sent gzip-encoded,
# a PNG), and the scan of the profile's Cache/Cache_Data reports each
# identifier under the URL it came from. The JSON number is only in the
# gzip stream, so finding it shows the body was decoded. An entry cut before
# its end records still gives its finding, with coverage.corrupt.
. "$(dirname "$0")/lib.sh"

if ! command -v chromium >/dev/null 2>&1; then
	skip "chromium is not installed (apt-get install chromium)" 1
	done_testing
fi

cat >server.pl <<'PERL'
use strict;
use warnings;
use IO::Socket::INET;
use IO::Compress::Gzip qw(gzip $GzipError);

my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 16, ReuseAddr => 1)
	or die "listen: $!";
open my $pf, '>', 'port.tmp' or die "port: $!";
print $pf $srv->sockport, "\n";
close $pf;
rename 'port.tmp', 'port' or die "rename: $!";

my $html = <<'HTML';
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Hồ sơ</title></head><body>
<p>Họ và tên: Nguyễn Văn An</p><p>Số CCCD: 052090001234</p>
<img src="/card.png" alt="ảnh thẻ">
<script>fetch('/data.json').then(r => r.text()).then(t => { document.title = 'DONE ' + t.length; });</script>
</body></html>
HTML
my $json = qq({"ho_ten": "Trần Thị Bình", "so_cccd": "079203000777", "ghi_chu": "hồ sơ công dân"}\n) x 3;
gzip(\$json => \my $gz) or die "gzip: $GzipError";
my $png = pack('H*', '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489'
	. '0000000d4944415478da63f8ffff3f0005fe02fea7d6a4b30000000049454e44ae426082');
my %res = (
	'/' => ['text/html; charset=utf-8', '', $html],
	'/data.json' => ['application/json', "Content-Encoding: gzip\r\n", $gz],
	'/card.png' => ['image/png', '', $png],
);

$SIG{CHLD} = 'IGNORE';
alarm 60; # never outlive the test
while (my $c = $srv->accept) {
	my $pid = fork;
	next if !defined $pid || $pid; # one child per connection: an idle preconnect blocks no one
	alarm 10;
	my $req = '';
	while (my $l = <$c>) {
		$req .= $l;
		last if $l =~ /^\r?\n$/;
	}
	my ($path) = $req =~ m{^GET (\S+)};
	my $r = defined $path ? $res{$path} : undef;
	if ($r) {
		print $c "HTTP/1.1 200 OK\r\nContent-Type: $r->[0]\r\n$r->[1]Content-Length: " . length($r->[2])
			. "\r\nCache-Control: max-age=3600\r\nConnection: close\r\n\r\n$r->[2]";
	} else {
		print $c "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	}
	close $c;
	exit 0;
}
PERL

perl server.pl 2>server.err &
SRV=$!
for _ in $(seq 1 50); do
	[ -s port ] && break
	sleep 0.1
done
if [ ! -s port ]; then
	kill "$SRV" 2>/dev/null
	echo "Bail out! the loopback HTTP server did not start: $(cat server.err)"
	exit 255
fi
PORT=$(cat port)
BASE="http://127.0.0.1:$PORT"

# --virtual-time-budget lets the page's fetch finish before --dump-dom ends
# the browser; timeout kills its whole process group if it hangs.
timeout -k 2 15 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-extensions --disable-component-update --disable-sync --no-proxy-server \
	--user-data-dir="$TD/profile" --virtual-time-budget=3000 --dump-dom "$BASE/" \
	>dom.html 2>chromium.err
CHROMIUM_RC=$?
kill "$SRV" 2>/dev/null
wait "$SRV" 2>/dev/null

CACHE=$TD/profile/Default/Cache/Cache_Data
if ! ok "Chromium ran and wrote its HTTP cache" test -d "$CACHE"; then
	diag "chromium exit status $CHROMIUM_RC" "$(tail -5 chromium.err)"
	done_testing
fi
like "$(cat dom.html)" "<title>DONE [1-9][0-9]*</title>" "the page's script read the gzip-encoded JSON"

run scan --format jsonl "$CACHE"
is "$RC" 1 "the cache holds findings: exit 1"
FOUND=$(printf '%s\n' "$OUT" | jl member rule masked | sort -u)
contains "$FOUND" "$BASE/	vn.cccd	052******234" "the page's CCCD, with the page's URL as member"
contains "$FOUND" "$BASE/data.json	vn.cccd	079******777" "the JSON's CCCD, with the JSON's URL as member"
lacks "$(printf '%s\n' "$OUT" | jl rule)" "coverage." "a healthy cache gives no coverage outcome (the index file neither)"

# The JSON's number is in no file as plain bytes: it was found inside the gzip body.
if grep -rqa 079203000777 "$CACHE"; then
	fail "the JSON body is stored gzip-encoded" "079203000777 is in the cache as plain bytes"
else
	pass "the JSON body is stored gzip-encoded: its number came from decoding"
fi

# The page's entry cut short, without its end records, as while the browser writes it.
PAGE=$(grep -la 'Số CCCD' "$CACHE"/*_0 | head -1)
if [ -n "$PAGE" ]; then
	head -c $(($(stat -c %s "$PAGE") - 64)) "$PAGE" >cut_0
	run scan --format jsonl cut_0
	CUT=$(printf '%s\n' "$OUT" | jl member rule | sort -u)
	contains "$CUT" "$BASE/	vn.cccd" "an entry cut before its end records: its CCCD still found under the URL"
	contains "$CUT" "$BASE/	coverage.corrupt" "... and the cut reported as coverage.corrupt"
else
	fail "the page's cache entry holds its text" "no _0 file with 'Số CCCD' in $CACHE"
fi

done_testing
