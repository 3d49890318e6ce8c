#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A file that crashes its worker, and one that makes it hang past the time
# budget (test hooks: PIIGUARD_TEST_HOOKS=1 and a magic first line), leave
# the agent running: the file gets the outcome worker_crashed or timed_out,
# the worker is replaced, and the next file is scanned. The workers run
# sandboxed as an unprivileged user when the agent is root.
. "$(dirname "$0")/agent-lib.sh"

mkdir w
W=$TD/w
ok "the agent starts" agent_start --root w --jobs 1 --file-timeout 1

printf 'PIIGUARD-TEST-CRASH\n%s\n' "$CCCD" >w/crash.txt
ok "a file that crashes the worker: outcome worker_crashed" wait_until 3 outcome_is "$W/crash.txt" worker_crashed
printf '%s\n' "$CCCD" >w/after-crash.txt
ok "the next file is scanned by a new worker" wait_until 3 has_finding "$W/after-crash.txt"

printf 'PIIGUARD-TEST-HANG\n' >w/hang.txt
ok "a file that hangs the worker: outcome timed_out" wait_until 4 outcome_is "$W/hang.txt" timed_out
printf '%s\n' "$CCCD" >w/after-hang.txt
ok "the next file is scanned" wait_until 3 has_finding "$W/after-hang.txt"

run "$PIIGUARD" status
like "$OUT" "workers: 1 \\(0 busy\\), 1 crashed, 1 timed out" "status counts the crash and the timeout"
ok "the agent is still running" kill -0 "$AGENT_PID"
contains "$(cat "$TD/agent.log")" "crash.txt: the scanning worker crashed" "the crash is logged with the file"

if [ "$(id -u)" = 0 ]; then
	worker=$(pgrep -P "$AGENT_PID" | head -n 1)
	user=$(ps -o user= --ppid "$AGENT_PID" | sort -u | tr '\n' ' ')
	like "$user" "^(piiguard|nobody) $" "as root, workers run as piiguard or nobody"
	nnp=$(awk '/^NoNewPrivs/ {print $2}' "/proc/$worker/status")
	is "$nnp" 1 "workers have no new privileges"
	if [ -z "$SANITIZED" ]; then
		seccomp=$(awk '/^Seccomp:/ {print $2}' "/proc/$worker/status")
		is "$seccomp" 2 "workers run under a seccomp filter"
	else
		skip "a sanitizer build has the null sandbox"
	fi
else
	skip "not root: no user to drop to" 3
fi
done_testing
