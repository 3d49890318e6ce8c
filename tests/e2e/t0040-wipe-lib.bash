# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# What the wipe's end-to-end tests share (sourced after lib.sh by
# t0040-wipe*.sh): they need root, and skip with a message otherwise. Each
# makes three throwaway accounts (pgwPID the kiosk, pgsPID staff, pgoPID
# another user) with homes in $HOMES, a tmpfs mounted in the test's folder
# (this disk is slow at metadata: 100,000 files would take minutes), a
# skeleton, a configuration, and canaries outside the targets whose
# listing and checksums canaries_sum prints. Everything is undone on exit:
# racers killed, mounts unmounted, immutable flags cleared, accounts removed.

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP the wipe tests need root (useradd, mount, mknod, chattr)"
	exit 0
fi
for tool in useradd userdel setpriv mknod; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done

K=pgw$$
S=pgs$$
O=pgo$$
HOMES=$TD/homes
SKEL=$TD/skel
CONF=$TD/wipe.conf
STORE=$TD/state/findings.db
MARKER=$TD/state/wipe-pending
CANARY_ROOT=$HOMES/root-canary
CANARY_ETC=$TD/etc-like
BINDSRC=$TD/bindsrc
RACERS=()

_wipe_cleanup() {
	local pid m
	for pid in "${RACERS[@]}"; do
		kill -9 "$pid" 2>/dev/null
	done
	# Mounts below the test folder, deepest first.
	for m in $(awk -v td="$TD" '$2 ~ "^" td "/" { print $2 }' /proc/self/mounts | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	for u in "$K" "$S" "$O"; do
		userdel -r "$u" >/dev/null 2>&1 || userdel "$u" >/dev/null 2>&1
	done
}

_wipe_exit() {
	local rc=$?
	_wipe_cleanup
	(exit "$rc")
	_cleanup
}
trap _wipe_exit EXIT

chmod 755 "$TD"
mkdir -p "$HOMES" "$SKEL/.config" "$CANARY_ETC" "$BINDSRC"
chmod 755 "$HOMES"
HOMES_FS=disk
if mount -t tmpfs -o size=1g,mode=755 tmpfs "$HOMES" 2>/dev/null; then
	HOMES_FS=tmpfs
else
	note "cannot mount a tmpfs: homes on the disk (large cases skipped)"
fi
printf 'export LANG=vi_VN.UTF-8\n' >"$SKEL/.profile"
printf '<monitors/>\n' >"$SKEL/.config/monitors.xml"

for u in "$K" "$S" "$O"; do
	useradd -M -U -d "$HOMES/$u" -s /usr/sbin/nologin "$u" || {
		echo "Bail out! useradd $u failed"
		exit 255
	}
done

cat >"$CONF" <<EOF
[wipe]
users = $K
staff = $S
skeleton = $SKEL
warn_minutes = 0
[forward]
journald = no
EOF

# The canaries: root's files beside the homes (a hard link to one is planted
# in the kiosk's home), the other accounts' homes, an /etc-like folder.
mkdir -p "$CANARY_ROOT" "$HOMES/$S" "$HOMES/$O"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$CANARY_ROOT/passwd"
printf 'root:$6$canary:19000:0:99999:7:::\n' >"$CANARY_ETC/shadow"
printf 'staff data: 001099012345\n' >"$HOMES/$S/secret.txt"
printf 'other user data\n' >"$HOMES/$O/notes.txt"
printf 'on the USB stick\n' >"$BINDSRC/citizen.txt"
chmod 644 "$CANARY_ROOT/passwd"
chown -R "$S:" "$HOMES/$S"
chown -R "$O:" "$HOMES/$O"

canaries_sum() {
	find "$CANARY_ROOT" "$CANARY_ETC" "$BINDSRC" "$HOMES/$S" "$HOMES/$O" -printf '%p %y %m %u %s\n' | sort
	find "$CANARY_ROOT" "$CANARY_ETC" "$BINDSRC" "$HOMES/$S" "$HOMES/$O" -type f -exec sha256sum {} + | sort
}
CANARIES=$(canaries_sum)

canaries_unchanged() {
	local now
	now=$(canaries_sum)
	if [ "$now" == "$CANARIES" ]; then
		pass "canaries unchanged: $1"
	else
		fail "canaries unchanged: $1" "$(diff <(echo "$CANARIES") <(echo "$now"))"
	fi
}

# wipe ARGS...: piiguard wipe with the test's configuration and store.
wipe() {
	"$PIIGUARD" wipe -c "$CONF" --store "$STORE" "$@"
}

# as_kiosk CMD...: run CMD as the kiosk account.
as_kiosk() {
	setpriv --reuid="$K" --regid="$K" --clear-groups "$@"
}

# fresh_home: an empty home of the kiosk account.
fresh_home() {
	rm -rf "${HOMES:?}/$K"
	mkdir -m 700 "$HOMES/$K"
	chown "$K:" "$HOMES/$K"
}

# home_listing: the kiosk home as names and modes, for comparisons.
home_listing() {
	(cd "$HOMES/$K" && find . -printf '%p %y %m %u\n' | sort)
}

# skeleton_listing: what a rebuilt home must look like.
skeleton_listing() {
	(cd "$SKEL" && find . -printf '%p %y %m\n' | sed 's/^\. d 755$/. d 700/' | sort)
}

home_is_skeleton() {
	local got
	got=$(cd "$HOMES/$K" && find . -printf '%p %y %m\n' | sort)
	is "$got" "$(skeleton_listing)" "$1: the home is the skeleton again"
	is "$(stat -c '%U %a' "$HOMES/$K")" "$K 700" "$1: the home is the account's, mode 700"
}

# quarantine_empty: nothing of the account is left in the quarantine.
quarantine_left() {
	find "$HOMES/.piiguard-wipe" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}
