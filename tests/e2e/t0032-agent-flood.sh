#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A flood: about 50,000 events (2,000 files created, then appended to a
# dozen times each, in three folders, one made during the flood) against a
# queue of 16 new files. The queue overflows, the agent falls back to
# rescanning, and in the end no file is missed; memory stays small.
. "$(dirname "$0")/agent-lib.sh"

FILES=2000
ROUNDS=12
mkdir -p w/a w/b
W=$TD/w
ok "the agent starts with a queue of 16" agent_start --root w --queue-limit 16 --jobs 2

flood() {
	local i r d
	for ((i = 0; i < FILES; i++)); do
		d=a
		((i % 2)) && d=b
		((i >= FILES / 2 && i % 4 == 0)) && { mkdir -p w/c; d=c; }
		printf '%s\n' "$CCCD" >"w/$d/f$i.txt"
	done
	for ((r = 0; r < ROUNDS; r++)); do
		for f in w/a/*.txt w/b/*.txt w/c/*.txt; do
			printf 'dòng %d\n' "$r" >>"$f"
		done
	done
}
flood

all_found() {
	[ "$(stored | grep -c '	vn\.cccd$')" -eq "$FILES" ]
}
ok "every one of the $FILES files is found after the flood" wait_until 40 all_found
is "$(stored | cut -f1 | sort -u | wc -l)" "$FILES" "one finding per file, no duplicates"
run "$PIIGUARD" status
like "$OUT" "queue overflows: [1-9]" "the queue did overflow (the rescan path was taken)"
rss=$(printf '%s\n' "$OUT" | awk -F': ' '/^max rss kib/ {print $2}')
if [ -z "$SANITIZED" ]; then
	ok "the agent's peak memory stayed under 64 MiB ($rss KiB)" test "${rss:-999999}" -lt 65536
else
	skip "a sanitizer build uses several times the memory"
fi
# The kernel's own queue: the agent stopped while more events than it holds
# arrive, so inotify drops them and says IN_Q_OVERFLOW.
max=$(cat /proc/sys/fs/inotify/max_queued_events 2>/dev/null || echo 16384)
MORE=$((max / 10 + 100))
mkdir w/late
late_watched() { "$PIIGUARD" status | grep -qx "folders watched: 5"; }
ok "a new folder is watched" wait_until 2 late_watched
kill -STOP "$AGENT_PID"
for ((i = 0; i < MORE; i++)); do printf '%s\n' "$CCCD" >"w/late/g$i.txt"; done
for ((r = 0; r < 4; r++)); do
	for ((i = 0; i < MORE; i++)); do printf 'x\n' >>"w/late/g$i.txt"; done
done
kill -CONT "$AGENT_PID"
late_found() { [ "$(stored | grep -c '/late/g[0-9]*\.txt	')" -eq "$MORE" ]; }
ok "the kernel's queue overflowed while the agent was stopped: all $MORE new files found" wait_until 30 late_found
ok "the overflow is logged" grep -q "event queue overflowed" "$TD/agent.log"
ok "the agent is still running" kill -0 "$AGENT_PID"
done_testing
