#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Out of inotify watches (simulated with a test hook: as if the kernel
# allowed only 3): the agent says so once, the root is shown as limited,
# and files in folders it could not watch are found by the periodic rescan.
. "$(dirname "$0")/agent-lib.sh"

mkdir -p w/a w/b w/c w/d w/e
W=$TD/w
export PIIGUARD_TEST_MAX_WATCHES=3
ok "the agent starts" agent_start --root w --rescan-interval 1
run "$PIIGUARD" status
contains "$OUT" "root: $W (limited)" "status: the root is limited"
contains "$OUT" "folders watched: 3" "status: three folders watched"
printf '%s\n' "$CCCD" >w/e/late.txt
printf '%s\n' "$CCCD" >w/a/early.txt
ok "a file in a folder without a watch is found by the periodic rescan" wait_until 4 has_finding "$W/e/late.txt"
ok "... and one in a watched folder too" has_finding "$W/a/early.txt"
mkdir -p w/f/g
printf '%s\n' "$CCCD" >w/f/g/new.txt
ok "a file in a folder made later is found" wait_until 4 has_finding "$W/f/g/new.txt"
is "$(grep -c "out of inotify watches" "$TD/agent.log")" 1 "the limit is logged once"
done_testing
