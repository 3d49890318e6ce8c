#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A wipe killed with SIGKILL at a random point is completed by the next run:
# by `wipe --pending-only` (what the boot unit runs) when the marker was
# written, and when it was not, nothing was touched yet. The canaries
# outside the targets (a link and a hard link to them are in the home) never
# change. 8 rounds here; PIIGUARD_STRESS=1 (make stress) runs the 20 of the
# issue.
. "$(dirname "$0")/lib.sh"
. "$PIIGUARD_SRC/tests/e2e/t0040-wipe-lib.bash"

rounds=8
[ -n "${PIIGUARD_STRESS:-}" ] && rounds=20
H=$HOMES/$K

for ((r = 1; r <= rounds; r++)); do
	fresh_home
	as_kiosk perl -e 'chdir $ARGV[0] or die;
		for my $d (qw(Downloads Documents .config .config/google-chrome .cache)) { mkdir $d or die }
		for my $d (0..39) { mkdir "Documents/d$d" or die;
			for my $f (0..499) { open my $h, ">", "Documents/d$d/f$f.txt" or die; print $h "CCCD 001099012345\n" } }' "$H"
	ln -s "$CANARY_ROOT" "$H/Downloads/to-root-canary"
	ln "$CANARY_ROOT/passwd" "$H/Downloads/hard-link"
	before=$(home_listing)
	# piiguard itself in the background, so that $! is its pid.
	"$PIIGUARD" wipe -c "$CONF" --store "$STORE" --yes >/dev/null 2>&1 &
	pid=$!
	perl -e 'select undef, undef, undef, rand(0.2)'
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -e "$MARKER" ]; then
		run wipe --pending-only
		is "$RC" 0 "round $r: killed after the marker, the boot unit's run completes the wipe"
		diag "$ERR"
	else
		# Killed before the marker, or after the wipe had completed.
		if [ "$(home_listing)" == "$before" ]; then
			pass "round $r: killed before the marker: nothing was touched"
		else
			home_is_skeleton "round $r: killed after the wipe had finished"
		fi
		run wipe --yes
		is "$RC" 0 "round $r: the next run wipes"
	fi
	home_is_skeleton "round $r"
	ok "round $r: the marker is gone" test ! -e "$MARKER"
	is "$(quarantine_left)" 0 "round $r: the quarantine is empty"
	canaries_unchanged "round $r"
done

done_testing
