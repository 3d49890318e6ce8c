#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent within the bounds piiguardd.service sets, without systemd: the
# capability bounding set read from the unit (setpriv, with no new
# privileges) and, under strace, every system call it and its workers make
# checked against the unit's SystemCallFilter as systemd-analyze expands it,
# and nothing read in /proc that ProcSubset=pid hides. Under those bounds a
# file and ID card images are scanned, a hung worker is killed (it runs as
# another user: CAP_KILL), a crashed one replaced, and status answers.
# Root only; the system call check needs strace and is skipped in a
# sanitizer build (ASan's own calls).
. "$(dirname "$0")/agent-lib.sh"

UNIT=$PIIGUARD_SRC/packaging/systemd/piiguardd.service
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "1..0 # SKIP needs root and setpriv (util-linux) to bound the agent's capabilities"
	exit 0
fi

caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_/+/p' | paste -sd, -)
like "$caps" '^\+[a-z_]+(,\+[a-z_]+)+$' "the unit names its capabilities ($caps)"

TRACE=
if command -v strace >/dev/null && command -v systemd-analyze >/dev/null && [ -z "$SANITIZED" ]; then
	TRACE="strace -f -qq -o $TD/strace"
fi
cat >"$TD/bounded" <<WRAP
#!/bin/sh
[ "\$1" = watch ] || exec "$PIIGUARD" "\$@"
exec $TRACE setpriv --bounding-set=-all,$caps --inh-caps=-all --no-new-privs "$PIIGUARD" "\$@"
WRAP
chmod 755 "$TD/bounded"

mkdir w
W=$TD/w
PIIGUARD=$TD/bounded agent_start --root w --jobs 1 --file-timeout 5
ok "the agent starts within the unit's bounds" kill -0 "$AGENT_PID"
TRACER=
if [ -n "$TRACE" ]; then
	TRACER=$AGENT_PID
	AGENT_PID=$(pgrep -P "$TRACER" | head -n 1)
fi
bnd=$(awk '/^CapBnd/ {print $2}' "/proc/$AGENT_PID/status")
isnt "$bnd" "000001ffffffffff" "the agent's bounding set is narrowed ($bnd)"

printf '%s\n' "$CCCD" >w/id.txt
ok "a file is scanned and its finding recorded" wait_until 5 has_finding "$W/id.txt"
# Images of an ID card: QR code, OCR (tesseract), HEIF and WebP decoders.
for f in front.png back.heic front-s60.webp; do
	cp "$PIIGUARD_SRC/tests/data/cards/$f" "w/$f"
	ok "an ID card image ($f) is read" wait_until 20 has_finding "$W/$f"
done
printf 'PIIGUARD-TEST-HANG\n' >w/hang.txt
ok "a hung worker is killed: outcome timed_out" wait_until 12 outcome_is "$W/hang.txt" timed_out
printf '%s\n' "$CCCD" >w/after-hang.txt
ok "the next file is scanned by a new worker" wait_until 5 has_finding "$W/after-hang.txt"
printf 'PIIGUARD-TEST-CRASH\n' >w/crash.txt
ok "a crashed worker is noticed: outcome worker_crashed" wait_until 5 outcome_is "$W/crash.txt" worker_crashed
run "$PIIGUARD" status
like "$OUT" "1 crashed, 1 timed out" "status answers and counts them"
workers_dropped() { [[ $(ps -o user= --ppid "$AGENT_PID" | sort -u | tr "\n" " ") =~ ^(piiguard|nobody)\ $ ]]; }
ok "workers run as piiguard or nobody" wait_until 3 workers_dropped

workers=$(pgrep -P "$AGENT_PID" | tr "\n" " ")
agent_stop
gone() { local p; for p in $workers; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
ok "no worker outlives the agent" wait_until 3 gone
for p in $workers; do kill -KILL "$p" 2>/dev/null; done
if [ -n "$TRACER" ]; then
	wait "$TRACER" 2>/dev/null
	expand() {
		local s
		systemd-analyze syscall-filter "$1" | sed -n '2,$p' | awk 'NF && $1 !~ /^#/ {print $1}' |
			while read -r s; do case $s in @*) expand "$s" ;; *) echo "$s" ;; esac; done
	}
	allow=$(sed -n 's/^SystemCallFilter=\([^~]\)/\1/p' "$UNIT")
	deny=$(sed -n 's/^SystemCallFilter=~//p' "$UNIT")
	for g in $allow; do case $g in @*) expand "$g" ;; *) echo "$g" ;; esac; done | sort -u >"$TD/allow"
	for g in $deny; do case $g in @*) expand "$g" ;; *) echo "$g" ;; esac; done | sort -u >"$TD/deny"
	comm -23 "$TD/allow" "$TD/deny" >"$TD/allowed"
	# From the agent's exec on: what setpriv does before is not the agent's.
	awk -v p="$PIIGUARD" 'f; index($0, "execve(\"" p "\"") { f = 1 }' "$TD/strace" >"$TD/strace.agent"
	grep -oE '^[0-9]+ +[a-z_0-9]+\(' "$TD/strace.agent" | awk '{print $2}' | tr -d '(' | sort -u >"$TD/used"
	note "system calls made: $(wc -l <"$TD/used")"
	ok "strace saw the agent and its workers" test "$(wc -l <"$TD/used")" -gt 30
	outside=$(comm -23 "$TD/used" "$TD/allowed" | tr '\n' ' ')
	is "$outside" "" "every system call made is allowed by the unit's SystemCallFilter"
	# ProcSubset=pid hides all of /proc but the processes; libselinux's look at
	# /proc/filesystems copes with its absence.
	procs=$(grep -oE '"/proc/[^"/]*' "$TD/strace.agent" | tr -d '"' | sort -u |
		grep -vE '^/proc/(self|thread-self|[0-9]+|filesystems)$' | tr '\n' ' ')
	is "$procs" "" "nothing read in /proc that ProcSubset=pid hides"
else
	skip "no strace or systemd-analyze, or a sanitizer build" 3
fi
done_testing
