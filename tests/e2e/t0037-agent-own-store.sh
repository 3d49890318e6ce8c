#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A store (and key) inside a watched root: the agent never scans its own
# files, or each commit would be an event that leads to another commit.
. "$(dirname "$0")/agent-lib.sh"

mkdir -p w/state
W=$TD/w
STORE=$W/state/findings.db
cp "$KEY" w/state/key
KEY=$W/state/key
ok "the agent starts with its store in the root" agent_start --root w
printf '%s\n' "$CCCD" >w/one.txt
ok "a file is found" wait_until 5 has_finding "$W/one.txt"
sleep 1
scanned=$("$PIIGUARD" status | sed -n 's/^files scanned: //p')
is "$scanned" 1 "one file scanned, not the store after each commit"
is "$(sqlite3 "$STORE" "SELECT count(*) FROM files WHERE path LIKE '%/state/%'")" 0 "the store and key are not recorded"
done_testing
