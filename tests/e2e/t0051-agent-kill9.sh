#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Crash safety: the agent is killed with SIGKILL at random moments while files
# are being written, scanned and recorded. After every kill the store passes
# SQLite's integrity check, and after every restart each file written before
# the kill is scanned (its finding reaches the store). `make test` runs
# PIIGUARD_KILL_ITERATIONS=10 (the default); `make stress` runs 100.
. "$(dirname "$0")/agent-lib.sh"

iterations=${PIIGUARD_KILL_ITERATIONS:-10}
batch=15
mkdir root
written=0

all_found() { # every file written so far has its finding in the store
	[ "$(stored | grep -c "	vn.cccd$")" -eq "$written" ]
}

integrity() {
	sqlite3 "$STORE" "PRAGMA integrity_check" 2>&1
}

bad_integrity=0
missed=0
for ((round = 1; round <= iterations; round++)); do
	agent_start --root "$TD/root" --jobs 2 || break
	wait_until 20 all_found || missed=$((missed + 1))
	# Files keep coming while the agent is killed at a random moment.
	(
		for ((i = 0; i < batch; i++)); do
			printf '%s\nvòng %d, tệp %d\n' "$CCCD" "$round" "$i" >"root/r$round-$i.txt"
			sleep 0.01
		done
	) &
	writer=$!
	sleep "0.$((RANDOM % 25))"
	kill -KILL "$AGENT_PID"
	wait "$AGENT_PID" 2>/dev/null
	AGENT_PID=
	wait "$writer"
	written=$((written + batch))
	[ "$(integrity)" = ok ] || bad_integrity=$((bad_integrity + 1))
done

is "$bad_integrity" 0 "$iterations kills: the store passes PRAGMA integrity_check after every one"
is "$missed" 0 "$iterations restarts: every file written before each kill was scanned after it"
agent_start --root "$TD/root" --jobs 2
wait_until 20 all_found
is "$(stored | grep -c "	vn.cccd$")" "$written" "after the last restart: all $written files have their finding"
is "$(sqlite3 "$STORE" "SELECT count(*) FROM files WHERE path LIKE '$TD/root/%' AND outcome = 'findings'")" \
	"$written" "... and each file's outcome is recorded once"
agent_stop
is "$(integrity)" ok "the store is sound at the end"

done_testing
