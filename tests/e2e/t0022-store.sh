#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The store and its review: scan records findings (file 0600, WAL), a rescan
# finds the same findings (not new), findings list/show/ack/false-positive/
# export/summary work on them, a false positive is not reported again for the
# same file, --skip-unchanged reads no unchanged file, and no raw identifier
# is anywhere: not in the store, its WAL, the exports, or what was printed.
. "$(dirname "$0")/lib.sh"

db=$TD/newstate/findings.db # a folder the store makes
start=$(date +%s)
: >"$TD/empty.conf" # no machine configuration: journald only, store given here
pg() { "$PIIGUARD" "$@" --store "$db" -c "$TD/empty.conf"; }

mkdir -p in/Desktop in/Downloads
printf 'Họ tên: Nguyễn Văn An\nSố CCCD: 052090001234\n' >in/Desktop/ho-so.txt
printf 'Số CMND: 215123456\nEmail: nguyen.van.an@example.com\n' >in/Desktop/cmnd.txt
printf 'کد ملی: ۰۰۱۲۳۴۵۶۷۹\n身份证号：１１０１０５１９４９１２３１００２Ｘ\n' >in/Downloads/ids.txt
printf 'STT,Số CCCD\n1,079203000777\n2,52195004321\n' >in/Downloads/list.csv
printf 'Không có gì ở đây.\n' >in/Downloads/clean.txt

# --- first scan ------------------------------------------------------------------------------
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl --jobs 2 --stats in
is "$RC" 1 "scan with the store: exit 1"
scan_out=$OUT
printf '%s\n%s\n' "$OUT" "$ERR" >"$TD/scan-output.log"
is "$(count_lines "$OUT")" 7 "scan: 7 findings printed"
ok "store created" test -f "$db"
is "$(stat -c %a "$db")" 600 "store is mode 0600"
is "$(stat -c %a "$(dirname "$db")")" 700 "its folder is mode 0700"
ok "fingerprint key created beside the store" test -f "$TD/newstate/key"
is "$(stat -c %a "$TD/newstate/key")" 600 "key is mode 0600"

run pg findings list --format jsonl
is "$RC" 0 "findings list: exit 0"
is "$(count_lines "$OUT")" 7 "findings list: the 7 findings, open"
is "$(printf '%s\n' "$OUT" | jl status | sort -u)" open "all open"
is "$(printf '%s\n' "$OUT" | jl fingerprint | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$scan_out" | jl fingerprint | sort | tr '\n' ' ')" "the store holds the fingerprints scan printed"
like "$(printf '%s\n' "$OUT" | jl id | head -1)" '^[0-9]+$' "each finding has an id"
like "$(printf '%s\n' "$OUT" | jl first_seen | head -1)" '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' "first_seen is an RFC 3339 time"
padded=$(printf '%s\n' "$OUT" | perl -MJSON::PP -ne 'my $o = decode_json($_); print "$o->{masked}\n" if $o->{path} =~ /list.csv$/' | sort | tr '\n' ' ')
is "$padded" "052******321 079******777 " "a CCCD that lost its leading zero in a CSV column is stored padded"

# --- rescan: same findings, nothing new; skip-unchanged reads nothing -------------------------
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl --jobs 1 in
is "$RC" 1 "rescan: exit 1"
run pg findings list --format jsonl
is "$(count_lines "$OUT")" 7 "rescan: still 7 findings (the same ones)"
touch -d '-1 hour' in/Desktop/* in/Downloads/*
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl --jobs 1 in # records the new times
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl --skip-unchanged --stats in
is "$RC" 0 "--skip-unchanged on unchanged files: nothing read, exit 0"
like "$ERR" "0 files \\(5 unchanged, skipped\\)" "--skip-unchanged: all 5 files skipped"
printf 'Số CCCD: 079203000777\n' >>in/Desktop/ho-so.txt
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl --skip-unchanged --stats in
like "$ERR" "1 files \\(4 unchanged, skipped\\)" "--skip-unchanged: the changed file is read again"
is "$(count_lines "$OUT")" 2 "--skip-unchanged: the changed file's findings are printed"

# --- review ------------------------------------------------------------------------------------
run pg findings list --format jsonl --rule vn.cmnd
is "$(count_lines "$OUT")" 1 "--rule filter"
cmnd_id=$(printf '%s\n' "$OUT" | jl id)
run pg findings list --format jsonl --path "$TD/in/Downloads"
is "$(count_lines "$OUT")" 4 "--path filter on a folder"
run pg findings list --format jsonl --path "$TD/in/Down"
is "$(count_lines "$OUT")" 0 "--path is a folder, not a string prefix"
run pg findings list --format jsonl --since 1d
is "$(count_lines "$OUT")" 8 "--since 1d: all (7 and the one added since)"
run pg findings list --format jsonl --since 2099-01-01
is "$(count_lines "$OUT")" 0 "--since a future date: none"
run pg findings list --since yesterday
is "$RC" 2 "--since with a bad date: exit 2"

run pg findings ack "$cmnd_id"
is "$RC" 0 "ack: exit 0"
like "$OUT" "#$cmnd_id open -> acknowledged" "ack: says what changed"
run pg findings list --format jsonl --status acknowledged
is "$(printf '%s\n' "$OUT" | jl id)" "$cmnd_id" "the acknowledged finding is listed under its status"
run pg findings show "$cmnd_id" --format text
like "$OUT" "acknowledged" "show: the status"
like "$OUT" "status: open -> acknowledged by " "show: the audit trail names the change and who made it"
run pg findings ack 999999
is "$RC" 1 "ack of a finding that does not exist: exit 1"
run pg findings ack nonsense
is "$RC" 2 "ack of a bad id: exit 2"

email_id=$(pg findings list --format jsonl --rule email | jl id)
run pg findings false-positive "$email_id"
is "$RC" 0 "false-positive: exit 0"
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl in/Desktop/cmnd.txt
lacks "$(printf '%s\n' "$OUT" | jl rule)" "email" "a false positive is not reported again for the same file"
contains "$(printf '%s\n' "$OUT" | jl rule)" "vn.cmnd" "the other finding of that file still is"
cp in/Desktop/cmnd.txt in/Downloads/cmnd-copy.txt
run "$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl in/Downloads/cmnd-copy.txt
contains "$(printf '%s\n' "$OUT" | jl rule)" "email" "the same value in another file is reported"

run pg findings summary
like "$OUT" "findings per rule:" "summary: per rule"
like "$OUT" "findings per application:" "summary: per application"
like "$OUT" "Downloads" "summary: the Downloads application is counted"

# --- a finding removed from its file is no longer listed ---------------------------------------
printf 'Đã xóa.\n' >in/Downloads/list.csv
pg findings list --format jsonl >/dev/null
"$PIIGUARD" scan --store "$db" -c "$TD/empty.conf" --format jsonl in/Downloads/list.csv >/dev/null
run pg findings list --format jsonl --path "$TD/in/Downloads/list.csv"
is "$(count_lines "$OUT")" 0 "findings gone from a rewritten file are not listed"
run pg findings list --format jsonl --path "$TD/in/Downloads/list.csv" --all
is "$(count_lines "$OUT")" 2 "... but --all still shows them"

# --- exports -----------------------------------------------------------------------------------
pg findings export --format jsonl >"$TD/export.jsonl"
pg findings export --format csv >"$TD/export.csv"
is "$(head -1 "$TD/export.csv" | tr -d '\r')" \
	"path,member,rule,label,masked,fingerprint,confidence,source,line,id,status,first_seen,last_seen" "csv export header"
is "$(printf '%s\n' "$(cat "$TD/export.jsonl")" | jl rule | grep -c INVALID-JSON)" 0 "jsonl export is valid JSON"

# --- no raw identifier anywhere ----------------------------------------------------------------
"$PIIGUARD" findings list --store "$db" -c "$TD/empty.conf" --format jsonl >/dev/null # a reader, so the WAL is there too
raw_values=(052090001234 079203000777 52195004321 215123456 0012345679 11010519491231002X nguyen.van.an@example.com)
persian=$(printf '۰۰۱۲۳۴۵۶۷۹')
fullwidth=$(printf '１１０１０５１９４９１２３１００２Ｘ')
places=("$db" "$TD/export.jsonl" "$TD/export.csv" "$TD/scan-output.log")
# What this test's scans sent to the journal, where one runs.
if command -v journalctl >/dev/null 2>&1 && [ -S /run/systemd/journal/socket ] &&
	journalctl -q -n 1 >/dev/null 2>&1; then
	journalctl -q -o json --since "@$start" SYSLOG_IDENTIFIER=piiguard >"$TD/journal.json" 2>/dev/null
	places+=("$TD/journal.json")
fi
for f in "$db-wal" "$db-shm"; do [ -f "$f" ] && places+=("$f"); done
note "searched: ${places[*]}"
hits=0
for f in "${places[@]}"; do
	for v in "${raw_values[@]}" "$persian" "$fullwidth" "052 090 001 234"; do
		n=$(grep -a -c -F -- "$v" "$f")
		[ "$n" -gt 0 ] && diag "$v found in $f" && hits=$((hits + n))
		# The same value as UTF-16LE, in case anything wrote it so.
		u16=$(printf '%s' "$v" | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 | tr -d ' \n')
		if od -An -tx1 -v "$f" | tr -d ' \n' | grep -q "$u16"; then diag "$v (UTF-16) found in $f"; hits=$((hits + 1)); fi
	done
done
is "$hits" 0 "no raw identifier in any digit form in the store, its WAL or the exports"
ok "the test would see a raw value: the fixtures hold them" grep -q -F 052090001234 in/Desktop/ho-so.txt

# --- a file that is not a store is refused, not overwritten -------------------------------------
printf 'not a database, but longer than a header of sixteen bytes\n' >"$TD/bogus.db"
run "$PIIGUARD" scan --store "$TD/bogus.db" -c "$TD/empty.conf" in/Desktop
is "$RC" 2 "a store path holding something else: exit 2"
is "$(cat "$TD/bogus.db")" "not a database, but longer than a header of sixteen bytes" "... and it is left as it was"

# A store inside the folder scanned is neither scanned nor opened (closing a
# descriptor of it would drop the scan's own SQLite locks on it).
mkdir -p inside/state
printf 'Số CCCD: 052090001234\n' >inside/a.txt
"$PIIGUARD" scan --store "$TD/inside/state/f.db" -c "$TD/empty.conf" --format jsonl inside >/dev/null 2>&1
"$PIIGUARD" scan --store "$TD/inside/state/f.db" -c "$TD/empty.conf" --format jsonl inside >/dev/null 2>&1
is "$(sqlite3 "$TD/inside/state/f.db" "SELECT count(*) FROM files WHERE path LIKE '%/state/%'")" 0 \
	"a store inside the folder scanned: its files and key are never scanned"
is "$(sqlite3 "$TD/inside/state/f.db" "SELECT count(*) FROM files")" 1 "... and the file beside it is"

done_testing
