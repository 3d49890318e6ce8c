#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The walk of a scan: symbolic links are never followed (inside a folder or
# as the root), FIFOs and devices are neither read nor hang the scan, deep
# folders and names with spaces are scanned, and an unreadable file or folder
# is reported and counted without making the exit status 2.
. "$(dirname "$0")/lib.sh"

ID_IN='Số CCCD: 052090001234'     # inside the scanned folder
ID_OUT='Số CCCD: 079203000777'    # outside it, or behind a FIFO: must not show
MASK_OUT='079******777'

mkdir -p root outside
printf '%s\n' "$ID_IN" >root/plain.txt
printf '%s\n' "$ID_OUT" >outside/secret.txt

# --- symbolic links -------------------------------------------------------------------
ln -s ../outside/secret.txt root/link-to-file.txt
ln -s ../outside root/link-to-dir
ln -s "$TD/outside/secret.txt" root/abs-link.txt
ln -s nowhere root/dangling
ln -s self-loop root/self-loop
run timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text root
is "$RC" 1 "links inside the folder: exit 1 (the plain file)"
contains "$OUT" "root/plain.txt:1: vn.cccd" "links inside the folder: the plain file is found"
lacks "$OUT" "$MASK_OUT" "links inside the folder: nothing found through a link"
lacks "$OUT" "link-to" "links inside the folder: no finding under a link's name"

ln -s outside/secret.txt root-link.txt
ln -s outside root-dir-link
for l in root-link.txt root-dir-link; do
	run timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text "$l"
	is "$OUT" "" "symlink $l as the root: not followed, nothing found"
	contains "$ERR" "$l" "symlink $l as the root: reported on stderr"
	isnt "$RC" 1 "symlink $l as the root: exit status is not 'findings'"
done

# --- FIFO -----------------------------------------------------------------------------
mkdir fifo
printf '%s\n' "$ID_IN" >fifo/plain.txt
mkfifo fifo/pipe
# A writer that feeds an ID to whoever opens the FIFO for reading; it stays
# blocked in open() if nobody does.
(printf '%s\n' "$ID_OUT" >fifo/pipe) 2>/dev/null &
writer=$!
run timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text fifo
isnt "$RC" 124 "FIFO in the folder: the scan does not hang"
is "$RC" 1 "FIFO in the folder: exit 1 (the plain file)"
contains "$OUT" "fifo/plain.txt:1: vn.cccd" "FIFO in the folder: the plain file is found"
lacks "$OUT" "pipe" "FIFO in the folder: no finding from the FIFO"
lacks "$OUT" "$MASK_OUT" "FIFO in the folder: what a writer sends is not read"
run timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text fifo/pipe
isnt "$RC" 124 "FIFO as the root: the scan does not hang"
is "$OUT" "" "FIFO as the root: no finding"
contains "$ERR" "pipe" "FIFO as the root: reported on stderr"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null

# --- character device (root only) -------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	skip "mknod needs root" 7
elif ! mkdir dev || ! mknod dev/zero c 1 5 2>/dev/null; then
	skip "mknod is not allowed here (no CAP_MKNOD?)" 7
else
	printf '%s\n' "$ID_IN" >dev/plain.txt
	# Reading this node would never end: a scan that opened and read it would time out.
	run timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text dev
	isnt "$RC" 124 "char device in the folder: the scan does not hang"
	is "$RC" 1 "char device in the folder: exit 1 (the plain file)"
	lacks "$OUT" "dev/zero" "char device in the folder: no finding from it"
	run timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text dev/zero
	isnt "$RC" 124 "char device as the root: the scan does not hang"
	is "$OUT" "" "char device as the root: no finding"
	# Whether it is opened at all, strace can tell where it works.
	if command -v strace >/dev/null &&
		strace -f -qq -e trace=open,openat,openat2 -o strace.out true 2>/dev/null; then
		strace -f -qq -e trace=open,openat,openat2 -o strace.out \
			timeout 20 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format text dev dev/zero \
			>/dev/null 2>&1
		like "$(cat strace.out)" 'plain\.txt"' "char device: strace sees the open of the plain file"
		is "$(grep -c 'zero"' strace.out)" 0 "char device: never opened (strace)"
	else
		skip "strace is missing or cannot trace here" 2
	fi
fi

# --- deep folders, spaces ---------------------------------------------------------------
deep=tree/1/2/3/4/5/6/7/8/9/10
mkdir -p "$deep" "tree/with space"
printf '%s\n' "$ID_IN" >"$deep/deep.txt"
printf '%s\n' "$ID_IN" >"tree/with space/name with space.txt"
run scan --format text tree
is "$RC" 1 "tree: exit 1"
contains "$OUT" "$deep/deep.txt:1: vn.cccd 052******234" "a file 10 folders deep is found"
contains "$OUT" "tree/with space/name with space.txt:1: vn.cccd 052******234" "a file whose name has spaces is found"
is "$(count_lines "$OUT")" 2 "tree: exactly the two findings"

# --- unreadable file and folder -----------------------------------------------------------
mkdir -p locked/closed
printf '%s\n' "$ID_IN" >locked/open.txt
printf '%s\n' "$ID_IN" >locked/unreadable.txt
printf '%s\n' "$ID_IN" >locked/closed/inside.txt
chmod 000 locked/unreadable.txt locked/closed

# as_user CMD...: run CMD as a user that the permissions above apply to.
as_user=()
if [ "$(id -u)" -ne 0 ]; then
	as_user=(env)
	ukey=$KEY
elif command -v setpriv >/dev/null; then
	# Root reads anything: run the scan as nobody, with a key it owns.
	chmod 755 "$TD"
	ukey=$TD/nobody.key
	cp "$KEY" "$ukey" && chown 65534:65534 "$ukey"
	if setpriv --reuid=65534 --regid=65534 --clear-groups -- test -x "$PIIGUARD" -a -r "$ukey" 2>/dev/null; then
		as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	fi
fi
if [ ${#as_user[@]} -eq 0 ]; then
	skip "running as root, which reads anything, and cannot switch to nobody" 7
else
	note "unreadable files: scanning as uid $("${as_user[@]}" id -u)"
	run "${as_user[@]}" "$PIIGUARD" scan --no-store --key-file "$ukey" --jobs 1 --format text --stats locked
	is "$RC" 1 "unreadable file: exit 1, not 2 (the readable file has a finding)"
	contains "$OUT" "locked/open.txt:1: vn.cccd" "unreadable file: the readable file is still scanned"
	contains "$ERR" "locked/unreadable.txt" "unreadable file: reported on stderr"
	contains "$ERR" "locked/closed" "unreadable folder: reported on stderr"
	like "$ERR" '(^|[^0-9])2 unreadable' "unreadable file and folder: counted in --stats"
	rm locked/open.txt
	run "${as_user[@]}" "$PIIGUARD" scan --no-store --key-file "$ukey" --jobs 1 --format text locked
	is "$RC" 0 "only unreadable files: exit 0, not 2"
	is "$OUT" "" "only unreadable files: nothing printed on stdout"
fi

done_testing
