#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A finding reaches a central collector through a real rsyslog, as in an
# office: piiguard scan sends it to a local relay rsyslogd running the shipped
# snippet packaging/rsyslog/piiguard.conf (its plain-TCP variant: the TLS
# block removed), which forwards it octet-counted over TCP to a collector
# rsyslogd on 127.0.0.1. The collector must hold exactly one finding event
# with the masked value and the fingerprint scan printed, and never the raw
# number. Both daemons run unprivileged in $TD, on a port the kernel picks.
. "$(dirname "$0")/lib.sh"

RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
SNIPPET=$PIIGUARD_SRC/packaging/rsyslog/piiguard.conf

if [ ! -x "$RSYSLOGD" ]; then
	echo "1..0 # SKIP no $RSYSLOGD (apt-get install rsyslog)"
	exit 0
fi

daemon_pids=()
stop_daemons() {
	local pid
	for pid in "${daemon_pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${daemon_pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	daemon_pids=()
}
# lib.sh's cleanup removes $TD; the daemons must be gone first. Keep the
# script's exit status for it.
trap 'rc=$?; stop_daemons; (exit $rc); _cleanup' EXIT

# wait_for TEST SECONDS: run TEST every 0.1 s until it succeeds (0) or time is up (1).
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}

# --- the shipped snippet ----------------------------------------------------------
mkdir -p collector relay
cat >relay/check.conf <<EOF
global(workDirectory="$TD/relay")
module(load="imuxsock" SysSock.Use="off")
include(file="$SNIPPET")
EOF
run "$RSYSLOGD" -N1 -f relay/check.conf
is "$RC" 0 "the shipped snippet (TLS) passes rsyslogd -N1" || diag "$OUT" "$ERR"

# --- the collector: imtcp on 127.0.0.1, a port of the kernel's choice ----------------
cat >collector/rsyslog.conf <<EOF
global(workDirectory="$TD/collector")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="collect") {
	action(type="omfile" file="$TD/collector/received.log" template="raw")
}
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="$TD/collector/port" ruleset="collect")
EOF
"$RSYSLOGD" -n -f collector/rsyslog.conf -i "$TD/collector/rsyslogd.pid" >collector/stderr 2>&1 &
daemon_pids+=($!)
if ! wait_for '[ -s collector/port ]' 10; then
	echo "Bail out! the collector rsyslogd did not start: $(cat collector/stderr)"
	exit 255
fi
port=$(cat collector/port)
like "$port" '^[0-9]+$' "the collector listens on port $port"

# --- the relay: the shipped snippet, plain-TCP variant ---------------------------------
sed -e '/# BEGIN tls/,/# END tls/d' \
	-e '/# BEGIN plain-tcp/,/# END plain-tcp/{/# \(BEGIN\|END\) plain-tcp/!s/^\( *\)# /\1/}' \
	-e "s#/run/piiguard-syslog.sock#$TD/relay.sock#" \
	-e "s#port=\"10514\"#port=\"$port\"#" \
	"$SNIPPET" >relay/piiguard.conf
variant=$(cat relay/piiguard.conf)
contains "$variant" "socket=\"$TD/relay.sock\"" "the variant reads piiguard's socket in \$TD"
contains "$variant" "port=\"$port\"" "the variant forwards to the collector's port"
lacks "$variant" 'StreamDriver="gtls"' "the variant has no TLS action"
cat >relay/rsyslog.conf <<EOF
global(workDirectory="$TD/relay")
module(load="imuxsock" SysSock.Use="off")
include(file="$TD/relay/piiguard.conf")
EOF
"$RSYSLOGD" -n -f relay/rsyslog.conf -i "$TD/relay/rsyslogd.pid" >relay/stderr 2>&1 &
daemon_pids+=($!)
if ! wait_for '[ -S relay.sock ]' 10; then
	echo "Bail out! the relay rsyslogd did not start: $(cat relay/stderr)"
	exit 255
fi
pass "the relay listens on $TD/relay.sock"

# --- a scan that forwards ----------------------------------------------------------------
printf 'Số CCCD: 052090001234\n' >form.txt
cat >piiguard.conf <<EOF
[store]
path = $TD/findings.db
[forward]
journald = no
syslog = unix:$TD/relay.sock
EOF
run "$PIIGUARD" scan -c piiguard.conf --key-file "$KEY" --format jsonl form.txt
is "$RC" 1 "scan: exit 1 (a finding)" || diag "$ERR"
IFS=$'\t' read -r rule masked fp < <(printf '%s\n' "$OUT" | jl rule masked fingerprint)
is "$rule $masked" "vn.cccd 052******234" "scan prints the masked CCCD"
like "$fp" '^[0-9a-f]{16}$' "scan prints a fingerprint"

# Bounded wait: the event goes scan -> relay -> collector within 10 s.
got_event() { grep -q 'piiguard' collector/received.log 2>/dev/null; }
if wait_for got_event 10; then
	pass "the event reached the collector"
else
	fail "the event reached the collector" "relay: $(cat relay/stderr)" "collector: $(cat collector/stderr)"
fi
sleep 0.3 # anything sent twice would arrive now
received=$(cat collector/received.log 2>/dev/null)
note "collector received: $received"

events=$(printf '%s\n' "$received" | grep -c ' piiguard [0-9]* finding ' || true)
is "$events" 1 "the collector holds exactly one piiguard finding event"
line=$(printf '%s\n' "$received" | grep ' piiguard [0-9]* finding ' | head -n 1)
like "$line" '^<132>1 [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}) [^ ]+ piiguard [0-9]+ finding - \{' \
	"RFC 5424 header: local0.warning, version 1, app piiguard, MSGID finding, no structured data"
body=${line#* finding - }
IFS=$'\t' read -r c_event c_rule c_masked c_fp c_path < <(printf '%s\n' "$body" | jl event rule masked fingerprint path)
is "$c_event" finding "the JSON body parses: event finding"
is "$c_rule" vn.cccd "collector: rule vn.cccd"
is "$c_masked" '052******234' "collector: masked 052******234"
is "$c_fp" "$fp" "collector: the fingerprint scan printed"
is "$c_path" "$TD/form.txt" "collector: the file's absolute path"
lacks "$received" 052090001234 "the raw number appears nowhere at the collector"
lacks "$(cat collector/received.log relay/stderr collector/stderr 2>/dev/null)" 052090001234 \
	"nor in either daemon's output"

done_testing
