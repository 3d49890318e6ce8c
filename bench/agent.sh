#!/bin/sh
# The agent's figures, called by bench/run.sh: file close -> finding
# committed, p50 and p99 over 1,000 files written one every 10 ms (most 10 kB,
# every 100th 1 MiB; the agent measures from each file's last write to its
# commit and `piiguard status` reports it); wake-ups per second of the idle
# agent and its workers over 10 s (voluntary and involuntary context
# switches of every thread); resident memory with 10,000 watched folders.
# Prints figures; asserts nothing. Usage: bench/agent.sh BUILD_DIR
set -eu
build=$1
bin=$(cd "$(dirname "$build/piiguard")" && pwd)/piiguard
dir=$(cd "$build" && pwd)/bench/agent
rm -rf "$dir"
mkdir -p "$dir/root" "$dir/etc"
head -c 32 /dev/urandom >"$dir/key"
chmod 600 "$dir/key"
PIIGUARD_CONTROL_SOCKET=$dir/control.sock
PIIGUARD_CONFIG_DIR=$dir/etc
export PIIGUARD_CONTROL_SOCKET PIIGUARD_CONFIG_DIR
pid=

stop() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
}
trap stop EXIT

start() { # ROOT
	"$bin" watch --root "$1" --store "$dir/store.db" --key-file "$dir/key" --jobs 2 >>"$dir/agent.log" 2>&1 &
	pid=$!
	i=0
	until "$bin" status >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "the agent did not start"; cat "$dir/agent.log"; exit 1; }
		sleep 0.05
	done
}

field() { # KEY: a value of piiguard status
	"$bin" status | sed -n "s/^$1: //p"
}

wait_files() { # N: until N files are scanned (at most 60 s)
	i=0
	while [ "$(field 'files scanned')" -lt "$1" ] && [ $i -lt 1200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

"$build/bench/gencorpus" 1 >"$dir/big.txt"
head -c 10000 "$dir/big.txt" >"$dir/small.txt"
printf '\nSố CCCD: 052090001234\n' >>"$dir/small.txt"

echo "== agent: file close -> finding committed (1,000 files, one every 10 ms)"
start "$dir/root"
n=0
while [ $n -lt 1000 ]; do
	if [ $((n % 100)) -eq 99 ]; then cp "$dir/big.txt" "$dir/root/f$n.txt"; else cp "$dir/small.txt" "$dir/root/f$n.txt"; fi
	n=$((n + 1))
	sleep 0.01
done
wait_files 1000
echo "  $(field 'latency ms') (goal: p99 <= 200 ms)"
echo "  files scanned: $(field 'files scanned'), findings: $(field 'findings')"

echo "== agent: wake-ups when idle (10 s)"
sleep 1
switches() {
	total=0
	for p in "$pid" $(pgrep -P "$pid"); do
		for t in /proc/"$p"/task/*; do
			v=$(awk '/ctxt_switches/ {s += $2} END {print s + 0}' "$t/status" 2>/dev/null || echo 0)
			total=$((total + v))
		done
	done
	echo "$total"
}
a=$(switches)
sleep 10
b=$(switches)
echo "  $(((b - a))) wake-ups in 10 s over the agent and its $(pgrep -P "$pid" | wc -l) workers (goal: 0)"
stop

echo "== agent: memory with 10,000 watched folders"
rm -rf "$dir/root" "$dir/store.db"*
mkdir -p "$dir/root"
(cd "$dir/root" && for a in $(seq 0 99); do mkdir "d$a" && (cd "d$a" && mkdir $(seq -f 'e%g' 0 99)); done)
start "$dir/root"
i=0
while [ "$(field 'folders watched')" -lt 10101 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 1
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
anon=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status")
wrss=0
for w in $(pgrep -P "$pid"); do wrss=$((wrss + $(awk '/VmRSS/ {print $2}' "/proc/$w/status"))); done
echo "  folders watched: $(field 'folders watched'); agent RSS $((rss / 1024)) MiB (goal: <= 20 MiB)," \
	"of which $((anon / 1024)) MiB its own (anonymous) and the rest shared library pages;" \
	"its $(pgrep -P "$pid" | wc -l) workers $((wrss / 1024)) MiB together"
stop
rm -rf "$dir"
