#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Messages in the user's language: `LANG=vi_VN.UTF-8 piiguard --help` is in
# Vietnamese, LANG=C in English, and only the messages change: the jsonl of a
# scan is byte for byte the same in both (no decimal comma). The HTML report
# with --lang vi is in Vietnamese. po/vi.po translates everything and
# po/piiguard.pot is up to date with the sources (make po). The vi_VN locale
# is compiled into the test's folder with localedef when the system lacks it.
. "$(dirname "$0")/lib.sh"

unset LC_ALL LANGUAGE
export PIIGUARD_LOCALEDIR
PIIGUARD_LOCALEDIR=$(cd "$(dirname "$PIIGUARD")" && pwd)/locale
if ! locale -a 2>/dev/null | grep -qix 'vi_VN.utf-\?8'; then
	if ! command -v localedef >/dev/null || [ ! -f /usr/share/i18n/locales/vi_VN ] ||
		! { mkdir -p "$TD/locale" && localedef -i vi_VN -f UTF-8 "$TD/locale/vi_VN.UTF-8" >/dev/null 2>&1; }; then
		echo "1..0 # SKIP no vi_VN.UTF-8 locale, and localedef cannot make one (apt-get install locales)"
		exit 0
	fi
	export LOCPATH=$TD/locale
	# glibc's setlocale() keeps its parse of LOCPATH for good: not ours to free
	# (a LeakSanitizer build would otherwise fail at exit).
	echo "leak:__argz_add_sep" >"$TD/lsan.supp"
	export LSAN_OPTIONS=suppressions=$TD/lsan.supp:print_suppressions=0
fi
ok "the Vietnamese catalogue is built ($PIIGUARD_LOCALEDIR)" test -f "$PIIGUARD_LOCALEDIR/vi/LC_MESSAGES/piiguard.mo"

run env LANG=vi_VN.UTF-8 "$PIIGUARD" --help
is "$RC" 0 "vi: --help exits 0"
contains "$OUT" "cách dùng: piiguard LỆNH" "vi: the usage line is in Vietnamese"
contains "$OUT" "các lệnh:" "vi: the commands are introduced in Vietnamese"
contains "$OUT" "xoá dữ liệu tài khoản kiosk cuối ngày" "vi: the commands are described in Vietnamese"
lacks "$OUT" "Run 'piiguard COMMAND" "vi: no English left"
run env LANG=vi_VN.UTF-8 "$PIIGUARD" frobnicate
contains "$ERR" "không có lệnh 'frobnicate'" "vi: an unknown command is named in Vietnamese"
run env LANG=C "$PIIGUARD" --help
contains "$OUT" "usage: piiguard COMMAND [OPTIONS]" "C: the usage is in English"
run env LANG=en_US.UTF-8 "$PIIGUARD" --help
contains "$OUT" "usage: piiguard COMMAND [OPTIONS]" "en_US: the usage is in English"

printf 'Số CCCD: 052090001234\n' >id.txt
LANG=vi_VN.UTF-8 scan --format jsonl id.txt >vi.jsonl
LANG=C scan --format jsonl id.txt >c.jsonl
like "$(cat vi.jsonl)" '"confidence":[01]\.[0-9]' "vi: the jsonl has a decimal point"
is "$(cat vi.jsonl)" "$(cat c.jsonl)" "vi: the jsonl is the same as in C"

"$PIIGUARD" scan --store "$TD/s.db" --key-file "$KEY" --jobs 1 --format jsonl id.txt >/dev/null
: >"$TD/empty.conf"
LANG=C "$PIIGUARD" report -c "$TD/empty.conf" --store "$TD/s.db" --html vi.html --lang vi
contains "$(cat vi.html)" '<html lang="vi">' "report --lang vi: a Vietnamese page"
contains "$(cat vi.html)" "Báo cáo dữ liệu cá nhân" "report --lang vi: its title in Vietnamese"
LANG=vi_VN.UTF-8 "$PIIGUARD" report -c "$TD/empty.conf" --store "$TD/s.db" --html en.html --lang en
contains "$(cat en.html)" '<html lang="en">' "report --lang en: an English page, whatever the locale"

PO=$PIIGUARD_SRC/po
if command -v msgfmt >/dev/null && command -v xgettext >/dev/null; then
	stats=$(msgfmt --check --statistics -o /dev/null "$PO/vi.po" 2>&1)
	note "vi.po: $stats"
	like "$stats" '^[0-9]+ translated messages\.$' "vi.po: every message translated, none fuzzy"
	mapfile -t sources <"$PO/POTFILES"
	(cd "$PIIGUARD_SRC" && xgettext --from-code=UTF-8 --keyword=_ -o "$TD/now.pot" "${sources[@]}")
	ids() { msgcat --no-wrap --sort-output "$1" 2>/dev/null | grep -E '^msgid ' | grep -v '^msgid ""$'; }
	is "$(ids "$TD/now.pot")" "$(ids "$PO/piiguard.pot")" "po/piiguard.pot is up to date (make po)"
else
	skip "no gettext tools" 2
fi
done_testing
