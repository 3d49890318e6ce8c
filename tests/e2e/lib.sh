# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# TAP helpers for the end-to-end tests, sourced by every tests/e2e/tNNNN-*.sh.
# `make e2e` runs them with prove and sets PIIGUARD (the binary) and
# PIIGUARD_SRC (the source tree); a script run by hand falls back to the tree
# it lives in. Sourcing this file gives the script a fresh temporary folder
# ($TD, also the working directory, removed on exit) holding HOME,
# XDG_STATE_HOME and a 0600 fingerprint key ($KEY), so that no test touches
# the real store or key and no test sees another's files.

set -u

PIIGUARD_SRC=${PIIGUARD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PIIGUARD=${PIIGUARD:-$PIIGUARD_SRC/build/piiguard}
export PIIGUARD PIIGUARD_SRC
export LC_ALL=C

if [ ! -x "$PIIGUARD" ]; then
	echo "Bail out! PIIGUARD=$PIIGUARD is not an executable (run make all, or make e2e)"
	exit 255
fi

# --- TAP ----------------------------------------------------------------------

_tap_n=0       # assertions so far
_tap_failed=0  # failed assertions that were not TODO
_tap_planned=  # the plan, if one was printed first
TODO=          # when set, the next assertions are TODO items with this reason

plan() {
	_tap_planned=$1
	echo "1..$1"
}

diag() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			printf "# %s\n" "$line"
		done <<<"$arg"
	done >&2
}

# note MSG: a comment on stdout (shown by prove -v).
note() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

# _tap_result STATUS DESC: print one result line; STATUS 0 is a pass.
_tap_result() {
	local status=$1 desc=$2 directive=
	_tap_n=$((_tap_n + 1))
	desc=${desc//$'\n'/ }
	desc=${desc//#/\\#}
	[ -n "$TODO" ] && directive=" # TODO $TODO"
	if [ "$status" -eq 0 ]; then
		echo "ok $_tap_n - $desc$directive"
	else
		echo "not ok $_tap_n - $desc$directive"
		[ -z "$TODO" ] && _tap_failed=$((_tap_failed + 1))
	fi
	return "$status"
}

pass() { _tap_result 0 "$1"; }

fail() {
	_tap_result 1 "$1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 1
}

# ok DESC CMD [ARG...]: run CMD; a pass if it exits 0.
ok() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "command failed: $*"
	fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" == "$2" ]; then
		pass "$3"
	else
		fail "$3" "     got: '$1'" "expected: '$2'"
	fi
}

# isnt GOT UNEXPECTED DESC
isnt() {
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3" "     got: '$1'" "expected anything else"
	fi
}

# like GOT ERE DESC / unlike GOT ERE DESC (bash regular expressions)
like() {
	if [[ $1 =~ $2 ]]; then
		pass "$3"
	else
		fail "$3" "     got: '$1'" "expected to match: $2"
	fi
}

unlike() {
	if [[ $1 =~ $2 ]]; then
		fail "$3" "     got: '$1'" "expected not to match: $2"
	else
		pass "$3"
	fi
}

# contains GOT FIXED DESC / lacks GOT FIXED DESC (fixed strings)
contains() {
	if [[ $1 == *"$2"* ]]; then
		pass "$3"
	else
		fail "$3" "     got: '$1'" "expected to contain: '$2'"
	fi
}

lacks() {
	if [[ $1 == *"$2"* ]]; then
		fail "$3" "     got: '$1'" "expected not to contain: '$2'"
	else
		pass "$3"
	fi
}

# skip REASON [COUNT]: COUNT skipped assertions.
skip() {
	local i
	for ((i = 0; i < ${2:-1}; i++)); do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # skip $1"
	done
}

# done_testing: print the plan if none was given, and exit 0 only if every
# assertion that is not TODO passed.
done_testing() {
	if [ -z "$_tap_planned" ]; then
		echo "1..$_tap_n"
	elif [ "$_tap_planned" -ne "$_tap_n" ]; then
		diag "planned $_tap_planned tests but ran $_tap_n"
		exit 255
	fi
	[ "$_tap_failed" -eq 0 ] || diag "$_tap_failed of $_tap_n tests failed"
	exit $((_tap_failed > 254 ? 254 : _tap_failed))
}

# --- the temporary folder -----------------------------------------------------

_cleanup() {
	local rc=$?
	if [ -n "${TD:-}" ] && [ -d "$TD" ]; then
		cd / || true
		chmod -R u+rwX "$TD" 2>/dev/null
		rm -rf "$TD"
	fi
	exit "$rc"
}

setup() {
	TD=$(mktemp -d "${TMPDIR:-/tmp}/piiguard-e2e.XXXXXX") || {
		echo "Bail out! mktemp -d failed"
		exit 255
	}
	trap _cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	export HOME=$TD/home XDG_STATE_HOME=$TD/state
	mkdir -p "$HOME" "$XDG_STATE_HOME"
	KEY=$TD/key
	(umask 077 && head -c 32 /dev/urandom >"$KEY") && chmod 600 "$KEY"
	if [ "$(wc -c <"$KEY")" -ne 32 ]; then
		echo "Bail out! cannot write a 32-byte key in $TD"
		exit 255
	fi
	cd "$TD" || exit 255
}

# --- running piiguard -----------------------------------------------------------

# scan ARGS...: one scan that writes no store, with the test key and one worker.
scan() {
	"$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 "$@"
}

# run CMD [ARG...]: run CMD, keeping its stdout in $OUT, stderr in $ERR and
# exit status in $RC (trailing newlines are dropped, as by $(...)).
# shellcheck disable=SC2034 # RC, OUT and ERR are read by the scripts
run() {
	"$@" >"$TD/.run-out" 2>"$TD/.run-err"
	RC=$?
	OUT=$(cat "$TD/.run-out")
	ERR=$(cat "$TD/.run-err")
	return 0
}

# jl KEY...: read jsonl on stdin and print, per object, the values of KEYs
# separated by tabs (null as "null", numbers as perl prints them). A line that
# is not a JSON object prints "INVALID-JSON".
jl() {
	perl -MJSON::PP -e '
		binmode STDOUT, ":encoding(UTF-8)";
		my $js = JSON::PP->new->utf8;
		while (my $l = <STDIN>) {
			next unless $l =~ /\S/;
			my $o = eval { $js->decode($l) };
			if (ref $o ne "HASH") { print "INVALID-JSON\n"; next; }
			print join("\t", map { defined $o->{$_} ? $o->{$_} : "null" } @ARGV), "\n";
		}' "$@"
}

# count_lines TEXT: the number of non-empty lines of TEXT.
count_lines() {
	if [ -z "$1" ]; then
		echo 0
	else
		printf '%s\n' "$1" | grep -c .
	fi
}

# fingerprint VALUE: the first 16 hex digits of HMAC-SHA256($KEY, VALUE), as
# the contract defines them.
fingerprint() {
	perl -MDigest::SHA=hmac_sha256_hex -e '
		open my $f, "<:raw", $ARGV[0] or die "$ARGV[0]: $!";
		local $/; my $k = <$f>;
		print substr(hmac_sha256_hex($ARGV[1], $k), 0, 16), "\n";' "$KEY" "$1"
}

setup
