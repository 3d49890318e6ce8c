#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The hardening of piiguardd.service, as systemd itself rates it:
# `systemd-analyze security --offline=true` gives an exposure level of at most
# 2.0 (printed, so its changes show in the logs), and the directives the
# design relies on are there. The network drop-in only gives the network
# back. Skipped where systemd-analyze lacks --offline (systemd < 250).
. "$(dirname "$0")/lib.sh"

UNIT=$PIIGUARD_SRC/packaging/systemd/piiguardd.service
DROPIN=$PIIGUARD_SRC/packaging/systemd/network-forward.conf

if ! command -v systemd-analyze >/dev/null ||
	! systemd-analyze security --offline=true "$UNIT" >"$TD/security" 2>&1; then
	echo "1..0 # SKIP systemd-analyze security --offline=true is not available"
	exit 0
fi

level=$(sed -n 's/.*Overall exposure level for piiguardd.service: \([0-9.]*\).*/\1/p' "$TD/security")
note "exposure level of piiguardd.service: $level"
like "$level" '^[0-9]+\.[0-9]$' "systemd-analyze gives an exposure level"
ok "the exposure level is at most 2.0" awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'

unit_has() { grep -qxF "$1" "$UNIT"; }
for d in Type=notify WatchdogSec=60 ProtectSystem=strict ProtectHome=read-only PrivateTmp=yes \
	PrivateNetwork=yes NoNewPrivileges=yes ReadWritePaths=/var/lib/piiguard RuntimeDirectory=piiguard \
	RestrictAddressFamilies=AF_UNIX ExecStart=/usr/sbin/piiguardd; do
	ok "the unit has $d" unit_has "$d"
done
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr ' ' '\n' | sort | tr '\n' ' ')
is "$caps" "CAP_CHOWN CAP_DAC_READ_SEARCH CAP_KILL CAP_SETGID CAP_SETUID CAP_SYS_NICE " \
	"capabilities: reading, the workers' user, killing and renicing workers, the socket's group"
lacks "$(cat "$UNIT")" "CAP_DAC_OVERRIDE" "no capability to write over permissions"
lacks "$(grep -v '^#' "$UNIT")" "MemoryDenyWriteExecute" "no MemoryDenyWriteExecute: the workers' PCRE2 JIT needs it"

# The unit with the network drop-in applied on top.
mkdir -p "$TD/units/piiguardd.service.d"
cp "$UNIT" "$TD/units/"
cp "$DROPIN" "$TD/units/piiguardd.service.d/"
run systemd-analyze security --offline=true "$TD/units/piiguardd.service"
contains "$OUT" "Service has access to the host's network" "the drop-in gives the network back"
dropin=$(grep -v '^#' "$DROPIN" | grep -v '^\[' | cut -d= -f1 | sort -u | tr '\n' ' ')
is "$dropin" "IPAddressDeny PrivateNetwork RestrictAddressFamilies " "the drop-in touches nothing but the network"
done_testing
