#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The hard limits of common/limits.h that a user can reach from outside end
# with a clear message and the scan goes on: folder depth, --jobs, rule file
# line length and number of rule files.
. "$(dirname "$0")/lib.sh"

limit() { # NAME: the value of LIMIT_NAME in common/limits.h
	sed -nE "s/^#define LIMIT_$1 +\\(?([0-9]+)u.*/\\1/p" "$PIIGUARD_SRC/common/limits.h"
}
depth=$(limit WALK_DEPTH)
jobs=$(limit JOBS)
line_max=$(limit RULE_LINE)
files_max=$(limit RULE_FILES)
findings_max=$(limit FILE_FINDINGS)
like "$depth$jobs$line_max$files_max$findings_max" '^[0-9]+$' "limits read from common/limits.h"

# --- folder depth: a file below the limit is found, one past it is not --------------------
d=deep
for i in $(seq 1 $((depth + 5))); do
	d=$d/d
	[ "$i" -eq 5 ] && mkdir -p "$d" && printf 'Số CCCD: 052090001234\n' >"$d/shallow.txt"
done
mkdir -p "$d"
printf 'Số CCCD: 079203000777\n' >"$d/too-deep.txt"
run scan --format jsonl deep
is "$RC" 1 "deep tree: exit 1 (a finding, no error)"
is "$(printf '%s\n' "$OUT" | jl rule | grep -c vn.cccd)" 1 "deep tree: only the file above the depth limit is scanned"
contains "$OUT" "shallow.txt" "deep tree: the shallow file is the one found"
like "$ERR" "nested too deep" "deep tree: the folder past the limit is reported"

# --- --jobs --------------------------------------------------------------------------------
printf 'Số CCCD: 052090001234\n' >one.txt
run scan --jobs "$jobs" one.txt
is "$RC" 1 "--jobs $jobs (the limit) is accepted"
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs $((jobs + 1)) one.txt
is "$RC" 2 "--jobs $((jobs + 1)): exit 2"
like "$ERR" "--jobs must be from 1 to $jobs" "--jobs past the limit: the message names the range"
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 0 one.txt
is "$RC" 2 "--jobs 0: exit 2"

# --- findings of one file: the first LIMIT_FILE_FINDINGS, and a message --------------------
yes 'Số CCCD: 052090001234' | head -n $((findings_max + 5)) >bulk.txt
printf 'Số CCCD: 079203000777\n' >after.txt
run scan --format jsonl bulk.txt after.txt
is "$RC" 1 "a file past the findings limit: exit 1, not an error"
is "$(count_lines "$OUT")" $((findings_max + 1)) "its first $findings_max findings are reported, and the next file's"
like "$ERR" "bulk\.txt: more than $findings_max findings" "the cut is said on stderr"

# --- rule files ----------------------------------------------------------------------------
mkdir long
cp "$PIIGUARD_SRC"/rules/*.rules long/
long_line=$(printf 'context = %*s' "$line_max" '' | tr ' ' 'x')
printf '%s\n' "$long_line" >>long/vn.rules
n=$(wc -l <long/vn.rules)
run "$PIIGUARD" rules lint long
is "$RC" 1 "a rule line over $line_max bytes: lint exits 1"
like "$ERR" "long/vn\\.rules:$n: line longer than $line_max bytes" "the long line is named with its number"
run "$PIIGUARD" scan --no-store --key-file "$KEY" --rules long one.txt
is "$RC" 2 "scan refuses a rule folder with an error"

mkdir many
for i in $(seq 0 "$files_max"); do cp "$PIIGUARD_SRC/rules/vn.rules" "many/r$i.rules"; done
run "$PIIGUARD" rules lint many
is "$RC" 1 "more than $files_max rule files: lint exits 1"
like "$ERR" "more than $files_max rule files" "too many rule files: said so"

done_testing
