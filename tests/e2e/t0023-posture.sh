#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# piiguard posture on fake roots: a TeamViewer-like install (package, files,
# enabled unit, autostart entry), a Chromium "Login Data" made by real SQLite
# with two saved logins, a Firefox logins.json, a browser without the policy
# against saved passwords, Telegram with an ID card number in its download
# folder. Each gives its posture.* finding, with no login name or site in the
# output; a clean root gives none; results go to the store and the report, and
# a result no longer seen is no longer listed.
. "$(dirname "$0")/lib.sh"

: >"$TD/empty.conf"
db=$TD/state/findings.db
pg() { "$PIIGUARD" "$@" --store "$db" -c "$TD/empty.conf"; }

make_root() { # DIR: passwd with a kiosk and a staff account, a dpkg database
	mkdir -p "$1/etc" "$1/var/lib/dpkg" "$1/home/kiosk" "$1/home/staff" "$1/root"
	cat >"$1/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
kiosk:x:1001:1001:Kiosk,,,:/home/kiosk:/bin/bash
staff:x:1002:1002:Staff,,,:/home/staff:/bin/bash
PW
	cat >"$1/var/lib/dpkg/status" <<'ST'
Package: coreutils
Status: install ok installed
Version: 9.1-1

ST
}

# --- a clean root --------------------------------------------------------------------------------
make_root clean
run pg posture --root clean --format jsonl
is "$RC" 0 "a clean root: exit 0"
is "$OUT" "" "a clean root: no result"

# --- a root with everything the directive forbids --------------------------------------------------
R=$TD/bad
make_root "$R"
cat >>"$R/var/lib/dpkg/status" <<'ST'
Package: teamviewer
Status: install ok installed
Version: 15.0

ST
mkdir -p "$R/opt/teamviewer/tv_bin" "$R/lib/systemd/system" "$R/etc/systemd/system/multi-user.target.wants" \
	"$R/etc/xdg/autostart" "$R/usr/bin"
: >"$R/opt/teamviewer/tv_bin/teamviewerd"
printf '[Service]\nExecStart=/opt/teamviewer/tv_bin/teamviewerd -d\n' >"$R/lib/systemd/system/teamviewerd.service"
ln -s /lib/systemd/system/teamviewerd.service "$R/etc/systemd/system/multi-user.target.wants/teamviewerd.service"
printf '[Desktop Entry]\nType=Application\nName=TeamViewer\nExec=/opt/teamviewer/tv_bin/script/teamviewer\n' \
	>"$R/etc/xdg/autostart/teamviewer.desktop"
: >"$R/usr/bin/chromium"

profile=$R/home/kiosk/.config/chromium/Default
mkdir -p "$profile"
sqlite3 "$profile/Login Data" <<'SQL'
CREATE TABLE logins (origin_url VARCHAR NOT NULL, username_value VARCHAR, password_value BLOB,
  blacklisted_by_user INTEGER NOT NULL DEFAULT 0);
INSERT INTO logins VALUES ('https://dichvucong.gov.vn/', 'nguoidan.an', X'763130AABBCC', 0);
INSERT INTO logins VALUES ('https://chat.zalo.me/', 'an.nguyen.zalo', X'763130DDEEFF', 0);
INSERT INTO logins VALUES ('https://never.example/', '', X'', 1);
SQL
ff=$R/home/kiosk/.mozilla/firefox/x1y2.default-release
mkdir -p "$ff"
printf '{"nextId":2,"logins":[{"id":1,"hostname":"https://thuedientu.gdt.gov.vn","encryptedUsername":"MDoE","encryptedPassword":"MDoF"}]}' \
	>"$ff/logins.json"
: >"$ff/key4.db"

mkdir -p "$R/home/kiosk/.local/share/TelegramDesktop/tdata" "$R/home/kiosk/Downloads/Telegram Desktop"
printf 'Số CCCD: 052090001234\n' >"$R/home/kiosk/Downloads/Telegram Desktop/cccd.txt"
run pg scan --format jsonl "$R/home/kiosk/Downloads"
is "$RC" 1 "the Telegram download is scanned into the store first"

run pg posture --root "$R" --format jsonl
is "$RC" 1 "a bad root: exit 1"
rules=$(printf '%s\n' "$OUT" | jl rule | sort -u | tr '\n' ' ')
contains "$rules" "posture.remote_access" "the remote-access tool is found"
contains "$rules" "posture.browser_passwords" "the saved browser passwords are found"
contains "$rules" "posture.password_policy" "the missing browser policy is found"
contains "$rules" "posture.messaging_app" "the messaging app is found"
subjects=$(printf '%s\n' "$OUT" | jl rule masked)
contains "$subjects" "TeamViewer" "the tool is named"
like "$subjects" "posture\\.browser_passwords	[^	]*: 2 saved logins" "two saved logins in Chromium (the blacklisted one not counted)"
like "$subjects" "posture\\.browser_passwords	Firefox: 1 saved logins?" "one saved login in Firefox"
like "$subjects" "posture\\.messaging_app	Telegram: 1 ID findings?" "Telegram, with the ID finding in its download folder"
paths=$(printf '%s\n' "$OUT" | jl path)
contains "$paths" "/home/kiosk/.config/chromium/Default/Login Data" "paths are as on the machine"
lacks "$paths" "$R" "no path carries the test root"
is "$(printf '%s\n' "$OUT" | jl remedy | grep -c '^null$')" 0 "every result has a remedy"
is "$(printf '%s\n' "$OUT" | jl source | sort -u)" metadata "source is metadata"
for secret in nguoidan.an an.nguyen.zalo dichvucong thuedientu chat.zalo.me 052090001234; do
	lacks "$OUT$ERR" "$secret" "nothing from inside the files in the output: $secret"
done

run pg posture --root "$R" --format text
like "$OUT" "-> " "text: each result has its remedy line"
run pg posture --root "$R" --format csv
is "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" \
	"path,member,rule,label,masked,fingerprint,confidence,source,line,evidence,remedy,user" "csv header"

# --- the store and the report --------------------------------------------------------------------
run pg findings list --format jsonl --rule posture.remote_access
n_before=$(count_lines "$OUT")
ok "remote-access results are in the store" test "$n_before" -gt 0
pg report --html "$TD/r.html" >/dev/null
like "$(cat "$TD/r.html")" 'id="posture"' "the report has a posture section"
like "$(cat "$TD/r.html")" 'data-posture="posture.remote_access"' "... listing the remote-access tool"
like "$(cat "$TD/r.html")" 'id="count-open" data-count="1"' "... and the ID counts leave posture results out"

# TeamViewer removed: its results are gone from the list on the next run.
rm -rf "$R/opt/teamviewer" "$R/lib/systemd/system/teamviewerd.service" \
	"$R/etc/systemd/system/multi-user.target.wants/teamviewerd.service" "$R/etc/xdg/autostart/teamviewer.desktop"
sed -i '/^Package: teamviewer$/,/^$/d' "$R/var/lib/dpkg/status"
run pg posture --root "$R" --format jsonl
lacks "$(printf '%s\n' "$OUT" | jl rule)" "posture.remote_access" "after removal: no remote-access result"
run pg findings list --format jsonl --rule posture.remote_access
is "$(count_lines "$OUT")" 0 "after removal: the old results are no longer listed"

run pg posture --root "$TD/nonexistent"
is "$RC" 2 "a root that does not exist: exit 2"

done_testing
