#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Telling the kiosk user: a new finding in a file a user (uid from 1000)
# owns starts the desktop notifier as that user, in Vietnamese and English,
# naming the file with its long digit runs hidden; at most one notification
# per user every 30 s; none for a file of a system account, none with
# notify = no. The notifier is a test script (PIIGUARD_NOTIFY_COMMAND).
. "$(dirname "$0")/agent-lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "not root: the notifier runs as the file's owner, which needs root" 11
	done_testing
fi

KIOSK=4242
chmod 711 "$TD"
mkdir -p bin out w stage
chmod 1777 out
: >out/notified
chmod 666 out/notified # written by each kiosk user in turn
cat >bin/notify.sh <<'SH'
#!/bin/sh
out=$(dirname "$0")/../out/notified
{ echo "uid $(id -u)"; for a in "$@"; do echo "arg $a"; done; echo "bus $DBUS_SESSION_BUS_ADDRESS"; } >>"$out"
SH
chmod 755 bin bin/notify.sh
export PIIGUARD_NOTIFY_COMMAND=$TD/bin/notify.sh

ok "the agent starts" agent_start --root w --jobs 1
# Owned by the kiosk user before it arrives, as a download would be.
printf '%s\n' "$CCCD" >stage/052090001234.txt
chown "$KIOSK" stage/052090001234.txt
mv stage/052090001234.txt w/
notified() { [ -s out/notified ]; }
ok "a finding in a kiosk user's file: the notifier runs" wait_until 3 notified
msg=$(cat out/notified 2>/dev/null)
contains "$msg" "uid $KIOSK" "it runs as the file's owner, not as root"
contains "$msg" "sẽ bị xóa vào cuối ngày" "the message is in Vietnamese"
contains "$msg" "will be removed at the end of the day" "... and in English"
contains "$msg" '"************.txt"' "the file is named, its digit run hidden"
lacks "$msg" "052090001234" "the identifier is not in the notification"

printf '%s\n' "$CCCD" >stage/second.txt
chown "$KIOSK" stage/second.txt
mv stage/second.txt w/
printf '%s\n' "$CCCD" >w/root-owned.txt
printf '%s\n' "$CCCD" >stage/third.txt
chown $((KIOSK + 1)) stage/third.txt
ok "the next files are scanned" wait_until 3 has_finding "$TD/w/root-owned.txt"
mv stage/third.txt w/
two() { [ "$(grep -c '^uid' out/notified)" -ge 2 ]; }
ok "another user's file: a notification for that user" wait_until 3 two
ok "the second file of the first user is scanned" has_finding "$TD/w/second.txt"
is "$(grep '^uid' out/notified | tr '\n' ' ')" "uid $KIOSK uid $((KIOSK + 1)) " \
	"one notification per user in 30 s, none for root's file"
done_testing
