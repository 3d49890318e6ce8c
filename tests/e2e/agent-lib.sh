# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for the agent's end-to-end tests (t003x-agent-*.sh), on top of
# lib.sh: start `piiguard watch` in the background on the test's own store,
# key, control socket and (empty) configuration folder, wait for it to
# answer, poll the store for findings instead of sleeping, and stop the
# agent on exit whatever happens. PIIGUARD_TEST_HOOKS=1 lets a file starting
# with PIIGUARD-TEST-CRASH or PIIGUARD-TEST-HANG crash or hang a worker.

. "$(dirname "$0")/lib.sh"

export PIIGUARD_CONTROL_SOCKET=$TD/control.sock PIIGUARD_CONFIG_DIR=$TD/etc PIIGUARD_TEST_HOOKS=1
mkdir -p "$TD/etc"
: >"$TD/empty.conf" # for the review commands, whatever the agent's configuration
STORE=$TD/store.db
AGENT_PID=

# agent_start ARGS...: start the agent with ARGS (--root ...) and wait until
# it answers piiguard status (its watches are in place by then).
agent_start() {
	"$PIIGUARD" watch --store "$STORE" --key-file "$KEY" "$@" >>"$TD/agent.log" 2>&1 &
	AGENT_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		"$PIIGUARD" status >/dev/null 2>&1 && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.05
	done
	diag "the agent did not start:" "$(cat "$TD/agent.log")"
	return 1
}

# agent_stop: SIGTERM, and wait for it (killed for good after 5 s).
agent_stop() {
	[ -n "$AGENT_PID" ] || return 0
	kill -TERM "$AGENT_PID" 2>/dev/null
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$AGENT_PID" 2>/dev/null
	wait "$AGENT_PID" 2>/dev/null
	AGENT_PID=
}

trap 'rc=$?; agent_stop; (exit $rc); _cleanup' EXIT

# stored: "path<TAB>rule" of every finding in the store, sorted.
stored() {
	"$PIIGUARD" findings list -c "$TD/empty.conf" --format jsonl --store "$STORE" 2>/dev/null | jl path rule | sort
}

# wait_until SECONDS CMD...: run CMD every 50 ms until it succeeds or
# SECONDS pass; the status of the last run.
# Under the sanitizers everything runs several times slower: make sanitize
# sets PIIGUARD_TIME_SCALE, by which every limit is multiplied.
wait_until() {
	local limit start=$EPOCHREALTIME
	limit=$(awk -v l="$1" -v s="${PIIGUARD_TIME_SCALE:-1}" 'BEGIN { print l * s }')
	shift
	while :; do
		"$@" && return 0
		awk -v s="$start" -v n="$EPOCHREALTIME" -v l="$limit" 'BEGIN { exit !(n - s > l) }' && break
		sleep 0.05
	done
	"$@"
}

# has_finding PATH [RULE]: the store has a finding of RULE (vn.cccd) in PATH.
has_finding() {
	stored | grep -qxF "$1	${2:-vn.cccd}"
}

# outcome PATH: the file's last outcome in the store.
outcome() {
	sqlite3 "$STORE" "SELECT outcome FROM files WHERE path = '$1'" 2>/dev/null
}

CCCD='Số CCCD: 052090001234'

# outcome_is PATH OUTCOME: the file's last outcome is OUTCOME.
outcome_is() {
	[ "$(outcome "$1")" = "$2" ]
}

# scanned_ok PATH: the file was scanned to an outcome other than a crash or timeout.
scanned_ok() {
	local o
	o=$(outcome "$1")
	[ -n "$o" ] && [ "$o" != worker_crashed ] && [ "$o" != timed_out ]
}

# A build with AddressSanitizer has the null sandbox (no seccomp, no limits)
# and several times the memory: checks of those are skipped there.
SANITIZED=
ldd "$PIIGUARD" 2>/dev/null | grep -q 'libasan' && SANITIZED=1
