#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# piiguard wipe in `targets` mode: the catalogue's entries go (browser
# profile, shell history, recent files, the user dirs' contents, Zalo's
# received files), what it does not name and the keep list stay; and a root
# process that keeps swapping folders of Downloads for links to a canary
# folder while the wipe walks them never gets a canary touched. 10 rounds
# here; PIIGUARD_STRESS=1 (make stress) runs the 200 of the issue.
. "$(dirname "$0")/lib.sh"
. "$PIIGUARD_SRC/tests/e2e/t0040-wipe-lib.bash"

rounds=10
[ -n "${PIIGUARD_STRESS:-}" ] && rounds=200
H=$HOMES/$K
cat >>"$CONF" <<EOF
[wipe]
mode = targets
keep = Downloads/keep-me.txt
EOF

fresh_home
seed() {
	as_kiosk perl -e 'chdir $ARGV[0] or die;
		sub put { open my $h, ">", $_[0] or die "$_[0]: $!"; print $h $_[1] }
		for my $d ("Downloads", "Documents", "Documents/Zalo Received Files", ".config", ".config/google-chrome",
		           ".config/google-chrome/Default", ".config/other-app", ".local", ".local/share") { mkdir $d }
		for my $i (0..49) { mkdir "Downloads/d$i"; mkdir "Downloads/d$i/s";
			put("Downloads/d$i/f", "CCCD 001099012345\n"); put("Downloads/d$i/s/g", "x\n") }
		put("Downloads/keep-me.txt", "kept\n");
		put("Documents/Zalo Received Files/cccd.jpg", "jpeg\n");
		put(".config/google-chrome/Default/Login Data", "logins\n");
		put(".config/other-app/settings", "mine\n");
		put("notes.txt", "my notes\n");
		put(".bash_history", "ls\n");
		put(".local/share/recently-used.xbel", "<xbel/>\n");' "$H"
	ln -sfn "$CANARY_ROOT" "$H/Downloads/to-canary"
}

# A root process swapping Downloads/dN for a link to the canary folder.
racer() {
	exec perl -e 'my ($dl, $target) = @ARGV;
		while (1) { for my $i (0..49) {
			if (rename "$dl/d$i", "$dl/x$i") { symlink $target, "$dl/d$i"; select undef, undef, undef, 0.0005; unlink "$dl/d$i"; rename "$dl/x$i", "$dl/d$i" }
		} }' "$H/Downloads" "$CANARY_ROOT"
}

seed
run wipe --dry-run
is "$RC" 0 "targets --dry-run exits 0"
like "$OUT" "mode targets" "it names the mode"
like "$OUT" "browser +1 files" "it counts the browser profile"
like "$OUT" "history +1 files" "the shell history"
like "$OUT" "recent-files +1 files" "the recent files"
like "$OUT" "messaging +1 files" "Zalo's received files"
like "$OUT" "user-files +100 files" "the downloads"
like "$OUT" "1 kept" "and the kept file"

run wipe --yes
is "$RC" 0 "targets wipe exits 0"
diag "$ERR"
ok "the browser profile is gone" test ! -e "$H/.config/google-chrome"
ok "the shell history is gone" test ! -e "$H/.bash_history"
ok "the recent files are gone" test ! -e "$H/.local/share/recently-used.xbel"
ok "Zalo's received files are gone" test ! -e "$H/Documents/Zalo Received Files/cccd.jpg"
is "$(ls -A "$H/Downloads")" "keep-me.txt" "Downloads holds only the kept file"
ok "what the catalogue does not name stays" test -f "$H/notes.txt" -a -f "$H/.config/other-app/settings"
ok "the marker is removed" test ! -e "$MARKER"
canaries_unchanged "targets mode"

changed=0
raced=0
for ((r = 1; r <= rounds; r++)); do
	seed
	racer &
	rpid=$!
	RACERS+=("$rpid")
	run wipe --yes
	kill -9 "$rpid"
	wait "$rpid" 2>/dev/null
	[ "$RC" = 0 ] || [ "$RC" = 2 ] || fail "round $r: wipe exit $RC" "$ERR"
	links=$(sed -n 's/.*folders, \([0-9]*\) links.*/\1/p' <<<"$OUT")
	raced=$((raced + ${links:-1} - 1))
	# What the racer made after the walk passed (root's links, a renamed
	# folder) goes in a second run, without a racer.
	run wipe --yes
	is "$RC" 0 "round $r: the wipe after the race completes"
	is "$(ls -A "$H/Downloads")" "keep-me.txt" "round $r: Downloads holds only the kept file"
	now=$(canaries_sum)
	[ "$now" == "$CANARIES" ] || changed=$((changed + 1))
done
note "links of the racer met (and removed as links) during the walks: $raced"
is "$changed" 0 "$rounds rounds of a racing swap: the canaries never changed"
canaries_unchanged "after the races"

done_testing
