#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scanning with several workers finds exactly what one worker finds: the same
# set of findings (path, rule, line, and every other field), whole records
# that never interleave, and the same exit status.
. "$(dirname "$0")/lib.sh"

# 40 files in a few folders, with 1 to 3 identifiers of various kinds each;
# every fifth file is about 300 KiB so that workers overlap in time.
filler=$(yes 'Tôi xin cam đoan những lời khai trên là đúng sự thật.' | head -n 40)
expected=0
for i in $(seq 1 40); do
	d=tree/d$((i % 4))/sub$((i % 3))
	mkdir -p "$d"
	f=$d/file$i.txt
	{
		printf 'Hồ sơ số %d\n' "$i"
		printf '%s\n' "$filler"
		printf 'Số CCCD: 05209%07d\n' "$i"
		if [ $((i % 2)) -eq 0 ]; then
			printf '%s\n' "$filler"
			printf 'Email: nguoi%d@example.com\n' "$i"
		fi
		if [ $((i % 3)) -eq 0 ]; then
			printf '身份证号：11010519491231002X\n'
		fi
		if [ $((i % 5)) -eq 0 ]; then
			yes 'lorem ipsum dolor sit amet, consectetur adipiscing elit' | head -c 300000
			printf '\nSố CMND: 215123456\n'
		fi
	} >"$f"
	expected=$((expected + 1 + (i % 2 == 0) + (i % 3 == 0) + (i % 5 == 0)))
done
printf 'không có gì\n' >tree/clean.txt

keys=(path rule line masked fingerprint confidence source offset)
run scan --format jsonl tree
is "$RC" 1 "--jobs 1: exit 1"
one=$(printf '%s\n' "$OUT" | jl "${keys[@]}" | sort)
is "$(count_lines "$one")" "$expected" "--jobs 1: $expected findings"

for j in 4 16; do
	run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs "$j" --format jsonl tree
	is "$RC" 1 "--jobs $j: exit 1"
	is "$(printf '%s\n' "$OUT" | jl rule | grep -c INVALID-JSON)" 0 "--jobs $j: every line is one whole JSON object"
	many=$(printf '%s\n' "$OUT" | jl "${keys[@]}" | sort)
	is "$(printf '%s\n' "$many" | cut -f1-3)" "$(printf '%s\n' "$one" | cut -f1-3)" \
		"--jobs $j: the same sorted (path, rule, line) as --jobs 1"
	is "$many" "$one" "--jobs $j: the same findings in every field as --jobs 1"
done

run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 4 --format text tree
bad=$(printf '%s\n' "$OUT" | grep -Ev '^tree/d[0-3]/sub[0-2]/file[0-9]+\.txt:[0-9]+: [a-z0-9_.]+ [^ ]+ [01]\.[0-9]{2} \(.+\)$')
is "$bad" "" "--jobs 4, text: every line a whole record"
is "$(count_lines "$OUT")" "$expected" "--jobs 4, text: $expected lines"

run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 4 --format csv tree
is "$(count_lines "$OUT")" $((expected + 1)) "--jobs 4, csv: the header and $expected records"

# Clean files only, several workers: exit 0.
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 4 --format jsonl tree/clean.txt tree/clean.txt
is "$RC" 0 "--jobs 4 on clean files: exit 0"

done_testing
