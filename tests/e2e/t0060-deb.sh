#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Debian package on this machine: build it (make deb, into the test's
# folder; or take $PIIGUARD_DEB), check it with lintian, install it with
# dpkg -i, check files, modes, the piiguard user, the enabled unit, the
# conffile, the wipe units (the timer left for the operator to enable),
# --version, a scan as root with the installed rules and the agent
# with its installed worker; then purge it and check that nothing is left
# but the system user (Debian keeps system accounts: files may still carry
# their ids; the test removes the user itself when it created it).
# policy-rc.d keeps the service from being started on a machine that runs
# systemd. Root only; skipped when piiguard is already installed, so that a
# real installation is never touched; /etc/piiguard and /var/lib/piiguard
# left by the program run as root are moved aside and put back.
. "$(dirname "$0")/lib.sh"

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ "$(id -u)" = 0 ] || skip_all "installing a package needs root"
for t in dpkg-buildpackage dh dpkg-deb; do
	command -v "$t" >/dev/null || skip_all "no $t (apt-get install dpkg-dev debhelper)"
done
if dpkg-query -W -f='${Status}' piiguard 2>/dev/null | grep -q installed; then
	skip_all "piiguard is installed on this machine: not touching it"
fi
[ -e /usr/share/piiguard ] && skip_all "/usr/share/piiguard exists: piiguard is installed by other means"
# State and configuration left by runs of the program as root are moved aside
# (same file system, so a rename) and put back at the end.
MOVED=
for d in /etc/piiguard /var/lib/piiguard; do
	[ -e "$d.t0060-saved" ] && skip_all "$d.t0060-saved exists (an interrupted run): move it back to $d"
done

USER_EXISTED=
getent passwd piiguard >/dev/null && USER_EXISTED=1
POLICY=
restore() {
	local rc=$?
	if dpkg-query -W -f='${Status}' piiguard 2>/dev/null | grep -q installed; then
		dpkg --purge piiguard >/dev/null 2>&1
	fi
	[ -n "$POLICY" ] && rm -f /usr/sbin/policy-rc.d
	for d in $MOVED; do
		rm -rf "$d"
		mv "$d.t0060-saved" "$d"
	done
	if [ -z "$USER_EXISTED" ] && getent passwd piiguard >/dev/null; then
		userdel piiguard 2>/dev/null
		getent group piiguard >/dev/null && groupdel piiguard 2>/dev/null
	fi
	(exit $rc)
	_cleanup
}
trap restore EXIT
for d in /etc/piiguard /var/lib/piiguard; do
	if [ -e "$d" ]; then
		mv "$d" "$d.t0060-saved" && MOVED+="$d "
	fi
done

# --- build --------------------------------------------------------------------
DEB=${PIIGUARD_DEB:-}
if [ -z "$DEB" ]; then
	if ! make -s -C "$PIIGUARD_SRC" deb BUILD="$TD/build" >"$TD/make-deb.log" 2>&1; then
		fail "make deb" "$(tail -30 "$TD/make-deb.log")"
		done_testing
	fi
	DEB=$(ls "$TD"/build/piiguard_*_*.deb)
fi
VERSION=$(dpkg-deb -f "$DEB" Version)
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
is "$(basename "$DEB")" "piiguard_${VERSION}_${ARCH}.deb" "the package is named piiguard_VERSION_ARCH.deb"
if command -v lintian >/dev/null; then
	lintian "$DEB" >"$TD/lintian" 2>&1
	note "lintian: $(grep -c '^E:' "$TD/lintian") errors, $(grep -c '^W:' "$TD/lintian") warnings"
	is "$(grep -E '^(E|W):' "$TD/lintian")" "" "lintian: no error, no warning"
else
	skip "no lintian"
fi

# --- install --------------------------------------------------------------------
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\n# piiguard t0060: start no service\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	POLICY=1
fi
run dpkg -i "$DEB"
is "$RC" 0 "dpkg -i installs it" || diag "$OUT" "$ERR"
run dpkg-query -W -f='${Status}' piiguard
is "$OUT" "install ok installed" "dpkg knows it installed"

mode() { stat -c '%a %U:%G' "$1" 2>&1; }
is "$(mode /usr/bin/piiguard)" "755 root:root" "/usr/bin/piiguard"
is "$(readlink -f /usr/sbin/piiguardd)" /usr/bin/piiguard "/usr/sbin/piiguardd is the program"
is "$(readlink -f /usr/lib/piiguard/piiguard-worker)" /usr/bin/piiguard "/usr/lib/piiguard/piiguard-worker is the program"
is "$(ls /usr/share/piiguard/rules)" "$(cd "$PIIGUARD_SRC/rules" && ls ./*.rules | sed 's|^\./||')" \
	"the rules are in /usr/share/piiguard/rules"
is "$(mode /etc/piiguard/piiguard.conf)" "644 root:root" "/etc/piiguard/piiguard.conf"
contains "$(dpkg-query -W -f='${Conffiles}' piiguard)" "/etc/piiguard/piiguard.conf" "piiguard.conf is a conffile"
for s in '[store]' '[scan]' '[forward]' '[limits]' '[watch]'; do
	grep -qxF "$s" /etc/piiguard/piiguard.conf || fail "piiguard.conf lacks $s"
done
pass "piiguard.conf has every section"
run /usr/bin/piiguard watch --check-config
is "$RC" 0 "the installed configuration checks out" || diag "$ERR"
is "$(mode /var/lib/piiguard)" "700 root:root" "/var/lib/piiguard is 0700, root's"
unit=$(dpkg -L piiguard | grep -E '/systemd/system/piiguardd\.service$')
ok "the unit is installed ($unit)" test -f "$unit"
ok "the unit is enabled" test -L /etc/systemd/system/multi-user.target.wants/piiguardd.service
for u in piiguard-wipe.service piiguard-wipe.timer piiguard-wipe-boot.service; do
	ok "$u is installed" test -f "$(dirname "$unit")/$u"
done
ok "the boot unit that finishes a pending wipe is enabled" \
	test -L /etc/systemd/system/multi-user.target.wants/piiguard-wipe-boot.service
ok "the wipe timer is not enabled before an operator names the kiosk accounts" \
	test ! -e /etc/systemd/system/timers.target.wants/piiguard-wipe.timer
dpkg-deb -e "$DEB" "$TD/control"
run grep -lE "deb-systemd-invoke.*piiguard-wipe|systemctl.*(start|stop).*piiguard-wipe" "$TD"/control/*
is "$OUT" "" "no maintainer script starts, restarts or stops a wipe"
ok "wipe.md, named by the wipe units, is installed as it is" test -f /usr/share/doc/piiguard/wipe.md
ok "the manual pages are installed" test -f /usr/share/man/man1/piiguard.1.gz -a -f /usr/share/man/man8/piiguardd.8.gz \
	-a -f /usr/share/man/man5/piiguard.conf.5.gz -a -f /usr/share/man/man5/piiguard-rules.5.gz
ok "the bash completion is installed" test -f /usr/share/bash-completion/completions/piiguard
ok "the Vietnamese messages are installed" test -f /usr/share/locale/vi/LC_MESSAGES/piiguard.mo

pw=$(getent passwd piiguard)
like "$pw" '^piiguard:x:[0-9]+:[0-9]+:[^:]*:/nonexistent:/usr/sbin/nologin$' "the piiguard user has no home and no shell"
uid=$(cut -d: -f3 <<<"$pw")
ok "the piiguard user is a system user (uid $uid)" test "${uid:-1000}" -lt 1000
ok "the piiguard group exists" sh -c "getent group piiguard >/dev/null"

# --- use ------------------------------------------------------------------------
run /usr/bin/piiguard --version
is "$OUT" "piiguard $VERSION" "piiguard --version"
mkdir w
printf 'Số CCCD: 052090001234\n' >w/id.txt
run /usr/bin/piiguard scan --format jsonl --jobs 1 w
is "$RC" 1 "a scan as root finds the identifier (exit 1)"
is "$(jl rule <<<"$OUT")" "vn.cccd" "the finding's rule, from the installed rules"
ok "the scan wrote root's store in /var/lib/piiguard" test -f /var/lib/piiguard/findings.db
run /usr/bin/piiguard scan --format jsonl --jobs 1 --no-store "$PIIGUARD_SRC/tests/data/cards/front.png"
contains "$(jl rule <<<"$OUT")" "vn.cccd" "the installed program reads an ID card photo (QR, OCR)"
is "$(stat -c %a /var/lib/piiguard/key 2>&1)" 600 "the key is 0600"

export PIIGUARD_CONTROL_SOCKET=$TD/control.sock PIIGUARD_CONFIG_DIR=$TD/etc
mkdir -p "$TD/etc" w2
/usr/sbin/piiguardd --root "$TD/w2" --store "$TD/agent.db" --key-file "$KEY" --jobs 1 >"$TD/agent.log" 2>&1 &
AGENT=$!
for ((i = 0; i < 100; i++)); do /usr/bin/piiguard status >/dev/null 2>&1 && break; sleep 0.05; done
run /usr/bin/piiguard status
is "$RC" 0 "the installed agent answers status"
comm=$(ps -o comm= --ppid "$AGENT" | sort -u)
is "$comm" "piiguard-worker" "its workers run from /usr/lib/piiguard/piiguard-worker"
kill -TERM "$AGENT"
wait "$AGENT"
unset PIIGUARD_CONTROL_SOCKET PIIGUARD_CONFIG_DIR

# --- purge ----------------------------------------------------------------------
run dpkg --purge piiguard
is "$RC" 0 "dpkg --purge removes it" || diag "$OUT" "$ERR"
left=
for p in /etc/systemd/system/multi-user.target.wants/piiguard-wipe-boot.service \
	"$(dirname "$unit")/piiguard-wipe.service" "$(dirname "$unit")/piiguard-wipe.timer" \
	/usr/bin/piiguard /usr/sbin/piiguardd /usr/lib/piiguard /usr/share/piiguard /etc/piiguard \
	/var/lib/piiguard /run/piiguard "$unit" /etc/systemd/system/multi-user.target.wants/piiguardd.service \
	/usr/lib/sysusers.d/piiguard.conf /usr/share/man/man1/piiguard.1.gz /usr/share/doc/piiguard \
	/usr/share/bash-completion/completions/piiguard /usr/share/locale/vi/LC_MESSAGES/piiguard.mo /var/lib/systemd/deb-systemd-helper-enabled/piiguardd.service.dsh-also; do
	[ -e "$p" ] || [ -L "$p" ] && left+="$p "
done
is "$left" "" "nothing of the package is left"
run dpkg-query -W -f='${Status}' piiguard
unlike "$OUT" "installed|config-files" "dpkg has forgotten it"
ok "the piiguard user stays, as Debian keeps system users" sh -c "getent passwd piiguard >/dev/null"
done_testing
