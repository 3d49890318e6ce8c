#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `piiguard report --html FILE`: a store filled by `scan --store` and one
# `findings ack` gives a report with the right counts, no raw identifier, no
# external reference, a hostile file name escaped, valid UTF-8, in Vietnamese
# by default and in English with --lang en; FILE is replaced atomically (a
# link at FILE is replaced, not followed). Headless Chromium then renders it
# on a phone-sized window: the screenshot is not blank and the DOM it built
# holds the counts and no script element. Skipped when Chromium is absent.
. "$(dirname "$0")/lib.sh"

: >"$TD/empty.conf"
COMMON=(--store "$TD/f.db" -c "$TD/empty.conf")

# --- the store ----------------------------------------------------------------------------
HOSTILE=$'x<script>alert(1)<!--"\'&\xff.txt'
mkdir -p files/docs files/Downloads
printf 'Số CCCD: 052090001234\n' >files/docs/cccd.txt
printf '身份证号：11010519491231002X\n' >files/docs/ric.txt
printf 'Số CMND: 215123456\n' >files/Downloads/cmnd.txt
printf 'Liên hệ: nguyen.van.a@example.com\n' >"files/Downloads/$HOSTILE"

run "$PIIGUARD" scan "${COMMON[@]}" --key-file "$KEY" --jobs 1 --format jsonl files
is "$RC" 1 "scan --store: exit 1 (findings)"
is "$(count_lines "$OUT")" 4 "scan --store: 4 findings"

run "$PIIGUARD" findings list "${COMMON[@]}" --format jsonl
ric_id=$(printf '%s\n' "$OUT" | jl id rule | awk -F'\t' '$2 == "cn.ric" { print $1 }')
like "$ric_id" '^[0-9]+$' "findings list: the cn.ric finding has an id"
run "$PIIGUARD" findings ack "${COMMON[@]}" "$ric_id"
is "$RC" 0 "findings ack $ric_id: exit 0"

# --- the report -----------------------------------------------------------------------------
# count ID FILE: the data-count of the element with id count-ID.
count() { grep -o "id=\"count-$1\" data-count=\"[0-9]*\"" "$2" | grep -o '[0-9]*"$' | tr -d '"'; }

run "$PIIGUARD" report --html "$TD/r.html" "${COMMON[@]}"
is "$RC" 0 "report --html: exit 0"
is "$ERR" "" "report --html: nothing on stderr"
ok "report --html: the file exists" test -s "$TD/r.html"
is "$(stat -c %a "$TD/r.html")" 600 "report --html: mode 0600"
is "$(find "$TD" -maxdepth 1 -name '.r.html.*' | wc -l)" 0 "report --html: no temporary file left"
html=$(cat "$TD/r.html")

is "$(count open r.html)" 3 "counts: 3 open findings"
is "$(count acknowledged r.html)" 1 "counts: 1 acknowledged"
is "$(count files r.html)" 3 "counts: 3 files with open findings"
is "$(count false-positive r.html)" 0 "counts: 0 false positives"
is "$(count wiped r.html)" 0 "counts: 0 wiped"
contains "$html" '<span class="n" id="count-open" data-count="3">3</span>' "counts: the open count is shown"
contains "$html" '<g data-rule="vn.cccd" data-count="1">' "chart per rule: vn.cccd 1"
contains "$html" '<g data-application="Downloads" data-count="2">' "chart per application: Downloads 2"
contains "$html" "<tr data-folder=\"$TD/files/Downloads\" data-count=\"2\">" "folder table: Downloads 2"
is "$(grep -c '<tr data-id=' r.html)" 3 "open findings table: 3 rows"
lacks "$html" "data-id=\"$ric_id\"" "open findings table: not the acknowledged one"
contains "$html" '052******234' "open findings table: the masked CCCD"

is "$(grep -ciE 'https?://|src=|href=|<script|<link|<img|<iframe|url\(|@import' r.html)" 0 \
	"no external reference, no script"
contains "$html" 'x&lt;script&gt;alert(1)&lt;!--&quot;&#39;&amp;'$'\xef\xbf\xbd''.txt:1' \
	"the hostile file name is escaped, its invalid byte replaced"
is "$(grep -c $'\xff' r.html)" 0 "no invalid byte"
# shellcheck disable=SC2016 # perl code, not shell
ok "valid UTF-8" perl -MEncode -e 'local $/; my $s = <STDIN>; decode("UTF-8", $s, Encode::FB_CROAK); 1' <r.html
for raw in 052090001234 11010519491231002X 215123456 nguyen.van.a@example.com; do
	lacks "$html" "$raw" "no raw identifier: $raw"
done
contains "$html" '<html lang="vi">' "Vietnamese by default"
for h in 'Báo cáo dữ liệu cá nhân' 'Phát hiện đang mở' 'Theo loại' 'Theo ứng dụng' 'Theo thư mục' 'Theo ngày'; do
	contains "$html" "$h" "Vietnamese heading: $h"
done
contains "$html" "id=\"hostname\">$(uname -n)<" "the header names the machine"

run "$PIIGUARD" report --html "$TD/en.html" --lang en "${COMMON[@]}"
is "$RC" 0 "report --lang en: exit 0"
en=$(cat "$TD/en.html")
contains "$en" '<html lang="en">' "--lang en: lang=en"
contains "$en" 'Personal data report' "--lang en: English title"
contains "$en" 'Open findings' "--lang en: English card"
lacks "$en" 'Báo cáo' "--lang en: no Vietnamese title"
is "$(count open en.html)" 3 "--lang en: 3 open findings"

run "$PIIGUARD" report --html "$TD/cccd.html" --rule vn.cccd "${COMMON[@]}"
is "$(count open cccd.html)" 1 "--rule vn.cccd: 1 open finding"
run "$PIIGUARD" report --html "$TD/dl.html" --path "$TD/files/Downloads" --since 1d "${COMMON[@]}"
is "$(count open dl.html)" 2 "--path DIR --since 1d: 2 open findings"

# --- atomic replacement, errors -------------------------------------------------------------
echo old >"$TD/r.html"
echo secret >"$TD/target"
ln -s "$TD/target" "$TD/link.html"
run "$PIIGUARD" report --html "$TD/r.html" "${COMMON[@]}"
is "$(count open r.html)" 3 "an existing report is replaced"
run "$PIIGUARD" report --html "$TD/link.html" "${COMMON[@]}"
is "$RC" 0 "report over a symbolic link: exit 0"
ok "report over a symbolic link: the link is replaced by a file" test ! -L "$TD/link.html" -a -f "$TD/link.html"
is "$(cat "$TD/target")" secret "report over a symbolic link: its target is untouched"

run "$PIIGUARD" report "${COMMON[@]}"
is "$RC" 2 "no --html: exit 2"
run "$PIIGUARD" report --html "$TD/x.html" --lang fr "${COMMON[@]}"
is "$RC" 2 "--lang fr: exit 2"
run "$PIIGUARD" report --html "$TD/no/such/dir/x.html" "${COMMON[@]}"
is "$RC" 2 "a folder that does not exist: exit 2"
contains "$ERR" "x.html" "a folder that does not exist: the message names the file"
run "$PIIGUARD" report --help
is "$RC" 0 "--help: exit 0"
contains "$OUT" "--html FILE" "--help: shows --html"

# --- rendered by a browser ------------------------------------------------------------------
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
chromium() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$TD/profile" "$@" 2>>"$TD/chromium.log"
}
if [ ! -x "$CHROMIUM" ]; then
	skip "no headless Chromium at $CHROMIUM (apt-get install chromium)" 9
else
	chromium --screenshot="$TD/shot.png" --window-size=412,2000 "file://$TD/r.html" >/dev/null
	size=$(stat -c %s "$TD/shot.png" 2>/dev/null || echo 0)
	ok "chromium: screenshot written" test -f "$TD/shot.png"
	ok "chromium: screenshot is not trivial ($size bytes > 10 KB)" test "$size" -gt 10240
	is "$(head -c 4 "$TD/shot.png" | od -An -tx1 | tr -d ' \n')" 89504e47 "chromium: the screenshot is a PNG"
	# PIIGUARD_KEEP_SHOT=FILE keeps the screenshot for a person to look at.
	if [ -n "${PIIGUARD_KEEP_SHOT:-}" ]; then
		cp "$TD/shot.png" "$PIIGUARD_KEEP_SHOT"
	fi

	dom=$(chromium --window-size=412,2000 --dump-dom "file://$TD/r.html")
	contains "$dom" '<span class="n" id="count-open" data-count="3">3</span>' "chromium DOM: 3 open findings"
	contains "$dom" '<span class="n" id="count-acknowledged" data-count="1">1</span>' "chromium DOM: 1 acknowledged"
	contains "$dom" 'Báo cáo dữ liệu cá nhân</h1>' "chromium DOM: the Vietnamese heading"
	lacks "$dom" '<script' "chromium DOM: the browser built no script element"

	dom=$(chromium --window-size=412,2000 --dump-dom "file://$TD/en.html")
	contains "$dom" 'Personal data report</h1>' "chromium DOM --lang en: the English heading"
fi

done_testing
