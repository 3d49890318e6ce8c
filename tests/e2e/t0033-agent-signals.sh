#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent under its service manager's signals and its configuration:
# roots from [watch] in piiguard.conf; --check-config; SIGHUP reloads the
# configuration (a new root) and the rules (a rule family added to --rules
# DIR is used for the next file); a reload with a broken configuration keeps
# the running one; SIGTERM stops it, exit 0, within a second.
. "$(dirname "$0")/agent-lib.sh"

mkdir -p rules r1 r2
cp "$PIIGUARD_SRC/rules/intl.rules" rules/
printf '[watch]\nroot = %s/r1\nrescan_interval = 0\n' "$TD" >etc/piiguard.conf

run "$PIIGUARD" watch --check-config --rules rules
is "$RC" 0 "--check-config: a good configuration, exit 0"
printf '[watch]\nroot = r1\n' >bad.conf
run "$PIIGUARD" watch --check-config -c bad.conf
is "$RC" 2 "--check-config: a bad configuration, exit 2"
contains "$ERR" "bad.conf:2: root must be an absolute path" "--check-config names file:line"

ok "the agent starts with roots from the configuration" agent_start --rules rules
printf '%s\nthư: nguyen.van.an@example.com\n' "$CCCD" >r1/one.txt
ok "a root from piiguard.conf is watched" wait_until 2 has_finding "$TD/r1/one.txt" email
unlike "$(stored)" "vn\\.cccd" "without the Vietnamese rules, no vn.cccd finding"

# Reload: the Vietnamese rules and a second root.
cp "$PIIGUARD_SRC/rules/vn.rules" rules/
printf '[watch]\nroot = %s/r1\nroot = %s/r2\nrescan_interval = 0\n' "$TD" "$TD" >etc/piiguard.conf
kill -HUP "$AGENT_PID"
reloaded() { grep -q "reloading" "$TD/agent.log" && "$PIIGUARD" status 2>/dev/null | grep -qF "root: $TD/r2 (watched)"; }
ok "SIGHUP: the new root is watched" wait_until 3 reloaded
printf '%s\n' "$CCCD" >r1/two.txt
ok "SIGHUP: the new rules are used for the next file" wait_until 3 has_finding "$TD/r1/two.txt"
printf '%s\n' "$CCCD" >r2/three.txt
ok "SIGHUP: a file in the new root is found" wait_until 2 has_finding "$TD/r2/three.txt"

printf '[watch]\njobs = many\n' >etc/piiguard.conf
kill -HUP "$AGENT_PID"
ok "a broken configuration on reload is reported" wait_until 2 grep -q "piiguard.conf:2: jobs must be" "$TD/agent.log"
ok "... and the agent keeps running" kill -0 "$AGENT_PID"
printf '%s\n' "$CCCD" >r2/four.txt
ok "... with the configuration it had" wait_until 2 has_finding "$TD/r2/four.txt"

start=$EPOCHREALTIME
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
end=$EPOCHREALTIME
AGENT_PID=
is "$rc" 0 "SIGTERM: exit 0"
ms=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%d", (e - s) * 1000 }')
ok "SIGTERM: stopped within a second ($ms ms)" test "$ms" -lt 1000
ok "SIGTERM: the control socket is removed" test ! -e "$PIIGUARD_CONTROL_SOCKET"
done_testing
