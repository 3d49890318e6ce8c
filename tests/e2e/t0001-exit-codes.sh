#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Exit status of `piiguard scan` as the contract fixes it (0 no findings,
# 1 findings, 2 an error; a bad path does not stop the other paths), the
# rejection of bad options, --help and --version.
. "$(dirname "$0")/lib.sh"

printf 'Hồ sơ đã nhận, không có số giấy tờ.\nNgày 05/11/2026\n' >clean.txt
printf 'Họ và tên: Nguyễn Văn An\nSố CCCD: 052090001234\n' >id.txt
printf 'Số CMND: 215123456\n' >id2.txt

run scan --format jsonl clean.txt
is "$RC" 0 "clean file: exit 0"
is "$OUT" "" "clean file: nothing on stdout"

run scan --format jsonl id.txt
is "$RC" 1 "file with a CCCD: exit 1"
contains "$OUT" '"rule":"vn.cccd"' "file with a CCCD: the finding is printed"

run scan --format jsonl id.txt clean.txt
is "$RC" 1 "a file with findings and a clean one: exit 1"

# A missing path is an error, but the paths around it are still scanned.
run scan --format text id.txt missing.txt id2.txt
is "$RC" 2 "missing path between two files: exit 2"
contains "$OUT" "id.txt:2: vn.cccd" "missing path: the file before it is scanned"
contains "$OUT" "id2.txt:1: vn.cmnd" "missing path: the file after it is scanned"
contains "$ERR" "missing.txt" "missing path: named on stderr"

run scan --format text missing.txt clean.txt
is "$RC" 2 "missing path and a clean file: exit 2"
is "$OUT" "" "missing path and a clean file: nothing on stdout"

run scan --format text clean.txt nodir/
is "$RC" 2 "missing folder: exit 2"

# Bad options and values.
run scan --no-such-option id.txt
is "$RC" 2 "unknown option: exit 2"
is "$OUT" "" "unknown option: nothing scanned"
isnt "$ERR" "" "unknown option: a message on stderr"

for v in 2 -0.1 abc 1.5x ""; do
	run scan --min-confidence "$v" id.txt
	is "$RC" 2 "--min-confidence '$v': exit 2"
done
is "$OUT" "" "bad --min-confidence: nothing scanned"

run scan --format bogus id.txt
is "$RC" 2 "--format bogus: exit 2"
is "$OUT" "" "--format bogus: nothing scanned"

run scan --format jsonl
is "$RC" 2 "no PATH: exit 2"

for v in 0 65 x; do
	run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs "$v" id.txt
	is "$RC" 2 "--jobs $v: exit 2"
done

# The key file must be 32 bytes that only its owner can read.
head -c 31 /dev/urandom >short.key
chmod 600 short.key
run "$PIIGUARD" scan --no-store --key-file short.key --jobs 1 id.txt
is "$RC" 2 "31-byte key file: exit 2"
is "$OUT" "" "31-byte key file: no finding printed"
cp "$KEY" open.key
chmod 644 open.key
run "$PIIGUARD" scan --no-store --key-file open.key --jobs 1 id.txt
is "$RC" 2 "key file readable by others: exit 2"

# --min-confidence filters: the CCCD above is reported at 0.90.
run scan --format jsonl --min-confidence 0.95 id.txt
is "$RC" 0 "--min-confidence above the finding's confidence: exit 0"
is "$OUT" "" "--min-confidence above the finding's confidence: nothing printed"
run scan --format jsonl --min-confidence 0 id.txt
is "$RC" 1 "--min-confidence 0: exit 1"

# Help and version.
run "$PIIGUARD" scan --help
is "$RC" 0 "scan --help: exit 0"
like "$OUT$ERR" "usage: piiguard scan" "scan --help: shows the usage"
for opt in --format --no-store --key-file --rules --min-confidence --jobs --no-ocr; do
	contains "$OUT$ERR" "$opt" "scan --help: lists $opt"
done

run "$PIIGUARD" --version
is "$RC" 0 "--version: exit 0"
is "$OUT" "piiguard 0.1.0" "--version prints 'piiguard 0.1.0'"
run "$PIIGUARD" scan --version
is "$RC" 0 "scan --version: exit 0"
is "$OUT" "piiguard 0.1.0" "scan --version prints 'piiguard 0.1.0'"
run "$PIIGUARD" rules --version
is "$OUT" "piiguard 0.1.0" "rules --version prints 'piiguard 0.1.0'"
run "$PIIGUARD" rules --help
is "$RC" 0 "rules --help: exit 0"

run "$PIIGUARD" no-such-command
is "$RC" 2 "unknown command: exit 2"

done_testing
