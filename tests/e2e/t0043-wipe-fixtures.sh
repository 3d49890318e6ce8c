#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# After a wipe of a kiosk home seeded with the fixtures of every format the
# scanner reads (Office, PDF, RTF, archives, e-mail, SQLite, all holding
# identifiers) and with browser profiles holding saved logins and cookies
# (real SQLite files), in both modes: the verification scan finds nothing,
# a scan of the home by `piiguard scan` finds nothing, and no Login Data or
# Cookies file is left. The canaries outside the home are unchanged.
. "$(dirname "$0")/lib.sh"
. "$PIIGUARD_SRC/tests/e2e/t0040-wipe-lib.bash"

H=$HOMES/$K
fixtures=$PIIGUARD_SRC/tests/data/fixtures

seed() {
	mkdir -p "$H/Downloads" "$H/Documents" "$H/Desktop" "$H/.config/chromium/Default" \
		"$H/.mozilla/firefox/abc.default-esr" "$H/.config/google-chrome/Profile 1"
	cp "$fixtures"/*.* "$H/Downloads/"
	cp "$fixtures"/vi-form.* "$H/Documents/"
	printf 'Số CCCD: 052090001234\n' >"$H/Desktop/ghi-chu.txt"
	for p in "$H/.config/chromium/Default" "$H/.config/google-chrome/Profile 1"; do
		sqlite3 "$p/Login Data" "CREATE TABLE logins(origin_url TEXT, username_value TEXT, password_value BLOB);
			INSERT INTO logins VALUES('https://dichvucong.gov.vn', '052090001234', x'763130aabbcc');"
		sqlite3 "$p/Cookies" "CREATE TABLE cookies(host_key TEXT, name TEXT, encrypted_value BLOB);
			INSERT INTO cookies VALUES('.zalo.me', 'zpsid', x'763130ddeeff');"
	done
	sqlite3 "$H/.mozilla/firefox/abc.default-esr/cookies.sqlite" \
		"CREATE TABLE moz_cookies(host TEXT, name TEXT, value TEXT); INSERT INTO moz_cookies VALUES('.zalo.me','zpsid','x');"
	printf '{"logins":[{"hostname":"https://dichvucong.gov.vn"}]}' >"$H/.mozilla/firefox/abc.default-esr/logins.json"
	chown -R "$K:" "$H"
}

left_in_home() { # the browser login and cookie stores still in the home
	find "$H" \( -name 'Login Data*' -o -name 'Cookies*' -o -name 'cookies.sqlite*' -o -name 'logins.json' \) \
		-printf '%P\n' 2>/dev/null | sort
}

for mode in reset-home targets; do
	[ "$mode" = targets ] && printf '[wipe]\nmode = targets\n' >>"$CONF"
	fresh_home
	seed
	run "$PIIGUARD" scan --no-store --format jsonl "$H"
	is "$RC" 1 "$mode: before the wipe, the seeded home holds identifiers"
	found=$(printf '%s\n' "$OUT" | jl rule | grep -c '^vn\.cccd$')
	ok "$mode: ... many of them ($found CCCD findings)" test "$found" -ge 20
	isnt "$(left_in_home)" "" "$mode: ... and the browsers' login and cookie stores"

	run wipe --yes
	is "$RC" 0 "$mode: wipe --yes exits 0"
	contains "$OUT" "verification scan of the home: 0 findings" "$mode: the verification scan finds nothing"
	run "$PIIGUARD" scan --no-store --format jsonl "$H"
	is "$RC" 0 "$mode: piiguard scan of the wiped home: nothing found"
	is "$(left_in_home)" "" "$mode: no saved logins or cookies are left"
	canaries_unchanged "$mode wipe of the seeded home"
done

done_testing
