#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# piiguard wipe end to end, as root, on a throwaway kiosk account: the
# refusals (system, staff and unknown accounts, no --yes), --dry-run changing
# nothing, a reset-home wipe of a home planted with a link to a canary, a
# hard link to root's file, a FIFO, a socket, device nodes, a running
# process and temp files, with its store record and verification scan; a
# bind mount in the home (refused, then wiped once unmounted); an immutable
# file (reported, not fatal); a tree 10,000 levels deep; 100,000 small
# files; a 2 GiB file; the warning on the kiosk's session bus; and a home on
# the disk, where overwriting applies. The canaries
# outside the targets are compared after every case.
. "$(dirname "$0")/lib.sh"
. "$PIIGUARD_SRC/tests/e2e/t0040-wipe-lib.bash"

# --- refusals ---------------------------------------------------------------
fresh_home
printf 'mine\n' >"$HOMES/$K/file.txt"
chown "$K:" "$HOMES/$K/file.txt"
before=$(home_listing)
run wipe --yes --user root
is "$RC" 2 "uid 0 is refused"
contains "$ERR" "system account" "and said why"
run wipe --yes --user "$S"
is "$RC" 2 "a staff account is refused"
contains "$ERR" "staff" "and said why"
run wipe --yes --user "nosuch$$"
is "$RC" 2 "an unknown account is refused"
run wipe
is "$RC" 2 "no --yes: nothing is done"
contains "$ERR" "--yes" "and --yes is asked for"
is "$(home_listing)" "$before" "the refusals changed nothing"
canaries_unchanged "refusals"

# --- the login hook and the boot unit ---------------------------------------------
run env PAM_USER="$O" "$PIIGUARD" wipe -c "$CONF" --store "$STORE" --mark-pending
is "$RC" 0 "--mark-pending for a login of another account: exit 0"
ok "and no marker" test ! -e "$MARKER"
run "$PIIGUARD" wipe -c "$CONF" --store "$STORE" --pending-only
is "$RC" 0 "--pending-only without a marker: exit 0"
contains "$OUT" "no wipe pending" "and nothing done"
is "$(home_listing)" "$before" "the home is untouched"
run env PAM_USER="$K" "$PIIGUARD" wipe -c "$CONF" --store "$STORE" --mark-pending
is "$RC" 0 "--mark-pending for a kiosk login: exit 0"
is "$(cat "$MARKER" 2>/dev/null)" "users=$K" "the marker names the account"
run "$PIIGUARD" wipe -c "$CONF" --store "$STORE" --pending-only
is "$RC" 0 "--pending-only (the boot unit) wipes the marked account"
home_is_skeleton "pending at boot"
ok "and removes the marker" test ! -e "$MARKER"

printf 'garbage' >"$MARKER"
run "$PIIGUARD" wipe -c "$CONF" --store "$STORE" --pending-only
is "$RC" 0 "a marker that cannot be read: the configured accounts are wiped"
contains "$ERR" "cannot read the wipe marker" "and it says so"
ok "the marker is removed after" test ! -e "$MARKER"

# --- the hostile home ---------------------------------------------------------
fresh_home
H=$HOMES/$K
mkdir -p "$H/Downloads/sub" "$H/Documents" "$H/.config/google-chrome/Default" "$H/.cache/thumbnails/large" \
	"$H/.local/share/TelegramDesktop/tdata"
printf 'Số CCCD: 001099012345\nHọ và tên: Nguyễn Văn An\n' >"$H/Documents/to-khai.txt"
printf 'CMND 012345678, CCCD 079088001234\n' >"$H/Downloads/scan.txt"
printf 'logins\n' >"$H/.config/google-chrome/Default/Login Data"
printf 'journal\n' >"$H/.config/google-chrome/Default/Login Data-journal"
printf 'png\n' >"$H/.cache/thumbnails/large/abc.png"
printf 'key\n' >"$H/.local/share/TelegramDesktop/tdata/key_datas"
chown -R "$K:" "$H"
# Planted after the chown, so that chown itself is not led astray.
ln -s "$CANARY_ROOT" "$H/Downloads/to-root-canary"
ln -s "$CANARY_ROOT/passwd" "$H/Downloads/sub/passwd-link"
ln -s "$HOMES/$S" "$H/Documents/staff-home"
ln "$CANARY_ROOT/passwd" "$H/Downloads/hard-link-to-passwd"
mkfifo "$H/fifo" && chown -h "$K:" "$H/fifo"
perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 1) or die' \
	"$H/socket"
mknod "$H/null" c 1 3
mknod "$H/Downloads/disk" b 7 0
printf 'temp copy\n' >"/tmp/pgw$$-temp.txt" && chown "$K:" "/tmp/pgw$$-temp.txt"
mkdir -p "/dev/shm/pgw$$-dir" && printf 'shm\n' >"/dev/shm/pgw$$-dir/x" && chown -R "$K:" "/dev/shm/pgw$$-dir"
# setpriv itself in the background (not a function's subshell): $! is the process.
setpriv --reuid="$K" --regid="$K" --clear-groups sleep 600 &
sleeper=$!
RACERS+=("$sleeper")
listing_before=$(home_listing)

run wipe --dry-run
is "$RC" 0 "--dry-run exits 0"
contains "$OUT" "nothing is changed" "--dry-run says it changes nothing"
like "$OUT" "would remove: 9 files \\([0-9]+ bytes\\), 14 folders, 3 links, 4 special files" "--dry-run counts the files (7 in the home, 2 temp), folders, links and special files"
like "$OUT" "browser +2 files" "--dry-run names the browser category"
like "$OUT" "messaging +1 files" "--dry-run names the messaging category"
like "$OUT" "thumbnails +1 files" "--dry-run names the thumbnails category"
like "$OUT" "user-files +3 files" "--dry-run names the user files"
like "$OUT" "temp +2 files" "--dry-run counts the account's temp files"
lacks "$OUT" "to-khai" "--dry-run prints no file name"
is "$(home_listing)" "$listing_before" "--dry-run changed nothing in the home"
ok "--dry-run left the temp files" test -f "/tmp/pgw$$-temp.txt"
ok "--dry-run left the process" kill -0 "$sleeper"
canaries_unchanged "dry run"

run wipe --yes
is "$RC" 0 "wipe --yes exits 0"
diag "$ERR"
home_is_skeleton "hostile home"
contains "$OUT" "verification scan of the home: 0 findings" "the verification scan found nothing"
contains "$OUT" "outcome: done" "the outcome is done"
like "$OUT" "removed: 9 files \\([0-9]+ bytes\\), 14 folders" "the report counts the files and folders"
like "$OUT" "3 links, 4 special files" "links, the FIFO, the socket and device nodes removed as names"
like "$OUT" "media: unlink: tmpfs" "the media policy and its reason"
lacks "$OUT" "to-khai" "no file name in the report"
ok "the kiosk's process is gone" bash -c "! kill -0 $sleeper 2>/dev/null || grep -q '^State:.Z' /proc/$sleeper/status"
{ wait "$sleeper"; } 2>/dev/null
ok "its /tmp file is gone" test ! -e "/tmp/pgw$$-temp.txt"
ok "its /dev/shm folder is gone" test ! -e "/dev/shm/pgw$$-dir"
ok "the marker is removed" test ! -e "$MARKER"
is "$(quarantine_left)" 0 "the quarantine is empty"
canaries_unchanged "hostile home"
row=$(sqlite3 "$STORE" "SELECT users, outcome, mode, files, links, special, findings_after, categories FROM wipes ORDER BY id DESC LIMIT 1")
like "$row" "^$K\\|done\\|reset-home\\|9\\|3\\|4\\|0\\|" "the store records the wipe with its counts"
like "$row" "browser:2:" "and its categories"
lacks "$(sqlite3 "$STORE" .dump)" "to-khai" "the store holds no file name"

# --- a bind mount in the home ------------------------------------------------------
mkdir "$H/usb"
chown "$K:" "$H/usb"
if mount --bind "$BINDSRC" "$H/usb" 2>/dev/null; then
	run wipe --yes
	is "$RC" 2 "a mount in the home: the wipe is refused"
	contains "$OUT" "mounted in the home" "and says why"
	ok "the marker stays for the next run" test -f "$MARKER"
	ok "the mount is still there" mountpoint -q "$H/usb"
	canaries_unchanged "bind mount"
	umount "$H/usb"
	run wipe --yes
	is "$RC" 0 "unmounted: the next run completes the wipe"
	ok "and removes the marker" test ! -e "$MARKER"
	home_is_skeleton "after the bind mount"
	canaries_unchanged "after the bind mount"
else
	skip "bind mounts are not allowed here" 10
fi

# --- an immutable file -----------------------------------------------------------
printf 'locked\n' >"$H/locked.txt"
chown "$K:" "$H/locked.txt"
if chattr +i "$H/locked.txt" 2>/dev/null; then
	run wipe --yes
	is "$RC" 0 "an immutable file does not fail the wipe"
	like "$OUT" "1 immutable" "it is reported"
	home_is_skeleton "immutable file"
	left=$(find "$HOMES/.piiguard-wipe" -type f)
	ok "it stays in the root-only quarantine" test -n "$left"
	chattr -i "$left"
	run wipe --yes
	is "$(quarantine_left)" 0 "once it can be removed, the next run removes it"
	canaries_unchanged "immutable file"
else
	skip "chattr +i is not supported on $HOMES_FS" 5
fi

# --- depth and number ------------------------------------------------------------
if [ "$HOMES_FS" = tmpfs ]; then
	as_kiosk perl -e 'chdir $ARGV[0] or die; for (1..10000) { mkdir "d" or die; chdir "d" or die }
		open my $f, ">", "bottom.txt" or die; print $f "CCCD 001099012345\n"' "$H"
	run wipe --yes
	is "$RC" 0 "a tree 10,000 levels deep is wiped"
	# With the skeleton's two files and one folder of the home it replaced.
	like "$OUT" "removed: 3 files \\([0-9]+ bytes\\), 10001 folders" "every level is removed"
	home_is_skeleton "deep tree"
	canaries_unchanged "deep tree"

	as_kiosk perl -e 'chdir $ARGV[0] or die; mkdir "Documents"; for my $d (0..99) { mkdir "Documents/d$d" or die;
		for my $f (0..999) { open my $h, ">", "Documents/d$d/f$f.txt" or die; print $h "row $f\n" } }' "$H"
	t0=$(date +%s.%N)
	run wipe --yes
	t1=$(date +%s.%N)
	is "$RC" 0 "100,000 small files are wiped"
	like "$OUT" "removed: 100002 files" "all of them (and the skeleton's two)"
	note "100,000 files wiped in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (tmpfs)"
	home_is_skeleton "100,000 files"
	canaries_unchanged "100,000 files"

	# A 2 GiB file (sparse: the size is what counts here, and tmpfs keeps no holes in memory).
	mkdir -p "$H/Downloads"
	truncate -s 2G "$H/Downloads/video.mp4"
	chown -R "$K:" "$H/Downloads"
	run wipe --yes
	is "$RC" 0 "a 2 GiB file is wiped"
	like "$OUT" "user-files +1 files, 2147483648 bytes" "its size is counted in full"
	ok "it is gone" test ! -e "$H/Downloads/video.mp4"
else
	skip "no tmpfs for the large cases" 12
fi

# --- print jobs -----------------------------------------------------------------------
# cupsd's control files, as IPP messages: the job's owner and state.
ipp_job() {
	perl -e 'my ($user, $state) = @ARGV;
		sub attr { my ($tag, $name, $v) = @_; pack("C n/a* n/a*", $tag, $name, $v) }
		print pack("C C n N", 2, 0, 5, 1), "\x01", attr(0x47, "attributes-charset", "utf-8"), "\x02",
			attr(0x42, "job-name", "to-khai-cccd.pdf"), attr(0x42, "job-originating-user-name", $user),
			attr(0x23, "job-state", pack("N", $state)), "\x03"' "$1" "$2"
}
SPOOL=$TD/spool
mkdir -m 710 "$SPOOL"
ipp_job "$K" 9 >"$SPOOL/c00042" && printf '%%PDF kiosk, done\n' >"$SPOOL/d00042-001"
ipp_job "$O" 9 >"$SPOOL/c00043" && printf '%%PDF other user\n' >"$SPOOL/d00043-001"
ipp_job "$K" 3 >"$SPOOL/c00044" && printf '%%PDF kiosk, still printing\n' >"$SPOOL/d00044-001"
printf '[wipe]\nspool = %s\n' "$SPOOL" | cat "$CONF" - >"$TD/spool.conf"
run "$PIIGUARD" wipe -c "$TD/spool.conf" --store "$STORE" --dry-run
like "$OUT" "print-jobs +1 files" "--dry-run counts the kiosk's finished print job"
ok "and leaves it" test -f "$SPOOL/d00042-001"
run "$PIIGUARD" wipe -c "$TD/spool.conf" --store "$STORE" --yes
is "$RC" 0 "a wipe with a print spool"
like "$OUT" "print-jobs +1 files" "the kiosk's finished print job is counted"
ok "its document is deleted" test ! -e "$SPOOL/d00042-001"
ok "another account's job stays" test -f "$SPOOL/d00043-001"
ok "a job still printing stays" test -f "$SPOOL/d00044-001"
ok "the control files stay for cupsd" test -f "$SPOOL/c00042" -a -f "$SPOOL/c00043"

# --- the keep list ------------------------------------------------------------------
sed 's/^warn_minutes = 0$/warn_minutes = 0\nkeep = .config\/kept.conf/' "$CONF" >"$TD/keep.conf"
printf 'mine to keep\n' >"$H/.config/kept.conf"
printf 'gone\n' >"$H/.config/other.conf"
chown "$K:" "$H/.config/kept.conf" "$H/.config/other.conf"
run "$PIIGUARD" wipe -c "$TD/keep.conf" --store "$STORE" --yes
is "$RC" 0 "a wipe with a keep list"
is "$(cat "$H/.config/kept.conf" 2>/dev/null)" "mine to keep" "the kept file is carried into the new home"
ok "the rest is gone" test ! -e "$H/.config/other.conf"
like "$OUT" "1 kept" "the report counts it"
run wipe --yes
ok "without the keep list it goes too" test ! -e "$H/.config/kept.conf"

# --- a home that is a tmpfs of its own (the recommended kind) ---------------------------
if mount -t tmpfs -o "size=64m,mode=700,uid=$(id -u "$K"),gid=$(id -g "$K")" tmpfs "$H" 2>/dev/null; then
	mkdir -p "$H/Downloads"
	printf 'CCCD 001099012345\n' >"$H/Downloads/scan.txt"
	ln -s "$CANARY_ROOT" "$H/Downloads/to-root-canary"
	chown -hR "$K:" "$H/Downloads"
	run wipe --yes
	is "$RC" 0 "a home that is a mount of its own is wiped in place"
	ok "it is still the mount" mountpoint -q "$H"
	home_is_skeleton "tmpfs home"
	contains "$OUT" "verification scan of the home: 0 findings" "and verified"
	canaries_unchanged "tmpfs home"
	umount "$H"
else
	skip "cannot mount a tmpfs on the home" 6
fi

# --- the warning ------------------------------------------------------------------
if command -v dbus-daemon >/dev/null && command -v dbus-monitor >/dev/null; then
	uid=$(id -u "$K")
	rundir=/run/user/$uid
	mkdir -p "$rundir" && chown "$K:" "$rundir" && chmod 700 "$rundir"
	# The kiosk's session bus, which lets root listen in too: the listener
	# must outlive the wipe that kills the kiosk's processes.
	cat >"$TD/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$rundir/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow user="$K"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
	setpriv --reuid="$K" --regid="$K" --clear-groups dbus-daemon --config-file="$TD/bus.conf" --nofork --nopidfile \
		>/dev/null 2>&1 &
	RACERS+=($!)
	for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$rundir/bus" ] && break; sleep 0.1; done
	DBUS_SESSION_BUS_ADDRESS="unix:path=$rundir/bus" dbus-monitor \
		"interface='org.freedesktop.Notifications'" >"$TD/monitor.txt" 2>&1 &
	RACERS+=($!)
	# It is listening once it has printed its own name.
	for _ in $(seq 30); do grep -q NameAcquired "$TD/monitor.txt" 2>/dev/null && break; sleep 0.1; done
	sed 's/^warn_minutes = 0$/warn_minutes = 5/' "$CONF" >"$TD/warn.conf"
	run "$PIIGUARD" wipe -c "$TD/warn.conf" --store "$STORE" --yes
	is "$RC" 0 "a wipe with a warning completes"
	monitor=$(cat "$TD/monitor.txt")
	contains "$monitor" "member=Notify" "the kiosk's session got a desktop notification"
	contains "$monitor" "Máy sẽ xoá toàn bộ dữ liệu lúc" "in Vietnamese"
	contains "$monitor" "USB" "asking to save to a USB stick"
	ok "the session bus was ended with the account's processes" bash -c "! pgrep -u $uid -x dbus-daemon >/dev/null"
	rm -rf "$rundir"
else
	skip "no dbus-daemon" 5
fi

# --- a home on the disk: the overwrite policy -------------------------------------------
DISK=$TD/disk
mkdir -p "$DISK" && chmod 755 "$DISK"
usermod -d "$DISK/$K" "$K"
mkdir -m 700 "$DISK/$K" "$DISK/$K/Downloads"
printf 'CCCD 001099012345\n' >"$DISK/$K/Downloads/scan.txt"
chown -R "$K:" "$DISK/$K"
printf 'disk canary\n' >"$DISK/canary" && chmod 644 "$DISK/canary"
ln "$DISK/canary" "$DISK/$K/Downloads/hard-link"
sum_before=$(sha256sum "$DISK/canary")
run wipe --yes
is "$RC" 0 "a home on the disk is wiped"
like "$OUT" "media: (overwrite|unlink): [a-z0-9]+ " "the report says which media policy applied"
contains "$OUT" "verification scan of the home: 0 findings" "and the new home is verified"
is "$(sha256sum "$DISK/canary")" "$sum_before" "a hard-linked canary on the disk is unchanged"
if [[ $OUT == *"media: overwrite"* ]]; then
	like "$OUT" "overwritten: 1 files .* said overwrite: 1" "one file overwritten, the hard link only unlinked"
else
	like "$OUT" "FITRIM: " "unlinked and trimmed, and the report says so"
fi
usermod -d "$HOMES/$K" "$K"
canaries_unchanged "home on the disk"

done_testing
