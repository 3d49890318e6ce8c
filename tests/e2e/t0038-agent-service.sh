#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent as a systemd service: READY=1, STATUS= and WATCHDOG=1 on
# $NOTIFY_SOCKET (a perl listener stands in for systemd), STOPPING=1 at the
# end. `piiguard status` is answered only for root, the agent's own user
# and the piiguard group: another user who can reach the socket is refused
# by its peer credentials, and the refusal is logged.
. "$(dirname "$0")/agent-lib.sh"

mkdir w
perl -MIO::Socket::UNIX -MSocket -e '
	my ($path, $out) = @ARGV;
	my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $path) or die "listen: $!";
	open my $f, ">>", $out or die; $f->autoflush(1);
	my $end = time + 30;
	while (time < $end) {
		my $rin = ""; vec($rin, fileno($s), 1) = 1;
		next unless select($rin, undef, undef, 0.2);
		my $msg; $s->recv($msg, 4096);
		print $f "$msg\n---\n";
		last if $msg =~ /STOPPING=1/;
	}' "$TD/notify.sock" "$TD/notified" &
LISTENER=$!
for ((i = 0; i < 50; i++)); do [ -S "$TD/notify.sock" ] && break; sleep 0.05; done

NOTIFY_SOCKET=$TD/notify.sock WATCHDOG_USEC=300000 agent_start --root w
said() { grep -q "$1" "$TD/notified"; }
ok "READY=1 is sent" wait_until 2 said READY=1
ok "STATUS= tells the roots" wait_until 2 said "STATUS=watching 1 roots"
sleep 0.5
ok "WATCHDOG=1 is sent, more than once in 0.5 s at a 0.3 s watchdog" test "$(grep -c WATCHDOG=1 "$TD/notified")" -ge 2

if [ "$(id -u)" = 0 ]; then
	chmod 711 "$TD"
	chmod 666 "$PIIGUARD_CONTROL_SOCKET" # reachable by anyone: the credentials decide
	run setpriv --reuid=4242 --regid=4242 --clear-groups "$PIIGUARD" status
	is "$RC" 2 "another user: status refused, exit 2"
	contains "$ERR" "refused" "another user: told it was refused"
	ok "the refusal is logged with the uid" wait_until 2 grep -q "status refused to uid 4242" "$TD/agent.log"
	run "$PIIGUARD" status
	is "$RC" 0 "root: status answered"
else
	skip "not root: no other user to try" 4
fi

agent_stop
ok "STOPPING=1 is sent" wait_until 2 said STOPPING=1
kill "$LISTENER" 2>/dev/null
wait "$LISTENER" 2>/dev/null
done_testing
