#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The progress line of piiguard scan: on a terminal (script(1) gives the scan
# a pseudo-terminal) stderr shows files, bytes, findings and the rate, at most
# four times a second, cleared at the end and before each finding printed to
# the same terminal; --quiet, or stderr not a terminal, shows none; the jsonl
# on stdout is the same either way.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null; then
	echo "1..0 # SKIP no script(1) (util-linux) to give the scan a terminal"
	exit 0
fi

# 20 files of about 2 MB, each with one identifier and many numbers that
# the validator must look at and refuse: a scan of about a second.
mkdir d
perl -e 'for my $i (1..20) { open my $f, ">", "d/f$i.txt" or die; print $f "Số CCCD: 052090001234\n";
	printf $f "row %d 00309%07d x\n", $_, $_ for 1..90000 }'

# on_tty CMD: run CMD (a shell command line) with a pseudo-terminal on stdin,
# stdout and stderr; the terminal's bytes go to $TD/tty.
on_tty() {
	TERM=xterm script -qec "$1" "$TD/tty" >/dev/null 2>&1
}
SCAN="'$PIIGUARD' scan --no-store --key-file '$KEY' --jobs 1"
draws() { grep -ao $'\rpiiguard: [0-9]* files, [0-9.]* MB, [0-9]* findings, [0-9.]* MB/s' "$TD/tty" | wc -l; }

t0=$EPOCHREALTIME
on_tty "$SCAN --format jsonl d >'$TD/tty.jsonl'"
is "$?" 1 "on a terminal: exit 1, findings"
elapsed=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
n=$(draws)
note "progress: $n lines in $elapsed s"
ok "a progress line is drawn ($n times in $elapsed s)" test "$n" -ge 1
ok "at most four times a second" awk -v n="$n" -v s="$elapsed" 'BEGIN { exit !(n <= 4 * s + 1) }'
like "$(grep -ao $'\rpiiguard: [^\r]*' "$TD/tty" | tail -n 1)" '^.piiguard: [0-9]+ files, [0-9.]+ MB, [0-9]+ findings, [0-9.]+ MB/s, [0-9]+ files/s.\[K$' \
	"the line: files, MB, findings, MB/s, files/s, then erase to the end"
ok "the line is cleared at the end" sh -c 'tail -c 200 "$1" | grep -aq "$(printf "\\r\\033\\[K")\$"' _ "$TD/tty"

run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format jsonl d
is "$RC" 1 "not on a terminal: exit 1"
lacks "$ERR" "files/s" "stderr not a terminal: no progress line"
is "$(sort "$TD/tty.jsonl")" "$(sort <<<"$OUT")" "the jsonl on stdout is the same with and without the line"
is "$(wc -l <"$TD/tty.jsonl")" 20 "20 findings in the jsonl"

on_tty "$SCAN --quiet --format jsonl d >/dev/null"
is "$(draws)" 0 "--quiet: no progress line"
on_tty "TERM=dumb $SCAN --format jsonl d >/dev/null"
is "$(draws)" 0 "TERM=dumb: no progress line"

# Findings printed as text to the same terminal: the line is erased and the
# cursor returned before each one, so no finding lands after a progress line.
on_tty "$SCAN --format text d"
ok "text findings on the terminal" test "$(grep -ac 'vn.cccd' "$TD/tty")" -ge 20
run grep -aP 'files/s\e\[K[^\r]' "$TD/tty"
is "$OUT" "" "every progress line is erased before anything else is written"
done_testing
