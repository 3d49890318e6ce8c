#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The manual pages and the bash completion agree with the program: every
# option that `piiguard CMD --help` prints is in the command's manual page
# (piiguard(1), or piiguardd(8) for watch) and is completed, and every
# option completed is one the command takes. The pages build with scdoc when
# it is installed. The shipped piiguard.conf is valid, also with every
# setting switched on, and it and piiguard.conf(5) name every key.
. "$(dirname "$0")/lib.sh"

MAN=$PIIGUARD_SRC/docs/man
COMP=$PIIGUARD_SRC/packaging/bash-completion/piiguard

help_opts() { "$PIIGUARD" "$@" --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u; }
comp_opts() {
	awk -v c="$1" '$0 ~ "^\t" c "\\)$" {on = 1; next} on && /;;/ {exit} on' "$COMP" |
		grep -oE -- '--[a-z][a-z-]*' | sort -u
}

for cmd in scan findings report posture rules watch status wipe; do
	page=$MAN/piiguard.1.scd
	[ "$cmd" = watch ] && page=$MAN/piiguardd.8.scd
	missing=
	for o in $(help_opts "$cmd"); do
		grep -qF -- "*$o*" "$page" || missing+="$o "
	done
	is "$missing" "" "$cmd: every option of --help is in $(basename "$page" .scd)"
	h=$(help_opts "$cmd"; echo --help)
	c=$(comp_opts "$cmd")
	is "$(comm -23 <(sort -u <<<"$h") <(echo "$c"))" "" "$cmd: every option of --help is completed"
	is "$(comm -13 <(sort -u <<<"$h") <(echo "$c"))" "" "$cmd: every option completed is in --help"
done

cmds=$("$PIIGUARD" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && /^  [a-z]/ {print $1}')
missing=
for c in $cmds; do
	grep -qF "## piiguard $c" "$MAN/piiguard.1.scd" || missing+="$c "
	grep -qE "'[^']*\\b$c\\b" "$COMP" || missing+="$c(completion) "
done
is "$missing" "" "every command of piiguard --help has a section in piiguard(1) and is completed"

if command -v scdoc >/dev/null; then
	for f in "$MAN"/*.scd; do
		ok "$(basename "$f") builds with scdoc" sh -c 'scdoc <"$1" >/dev/null' _ "$f"
	done
else
	skip "no scdoc" 4
fi
ok "the completion file is valid bash" bash -n "$COMP"
if [ -f /usr/share/bash-completion/bash_completion ]; then
	completes() { # WORD... : what the completion offers for the last word
		bash -c '. /usr/share/bash-completion/bash_completion; . "$1"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_piiguard; echo "${COMPREPLY[*]}"' _ "$COMP" "$@"
	}
	is "$(completes piiguard sc)" "scan" "completion: a command"
	is "$(completes piiguard scan --fo)" "--format" "completion: an option of the command"
	is "$(completes piiguard report --lang "")" "vi en" "completion: the values of --lang"
	is "$(completes piiguardd --che)" "--check-config" "completion: piiguardd is the agent"
else
	skip "no bash-completion" 4
fi

# The shipped piiguard.conf: valid as it is, and with every commented
# setting switched on; it names every key the configuration reader knows.
CONF=$PIIGUARD_SRC/packaging/piiguard.conf
export PIIGUARD_CONFIG_DIR=$TD/etc
run "$PIIGUARD" watch --check-config -c "$CONF"
is "$RC" 0 "piiguard.conf as shipped checks out" || diag "$ERR"
sed -E 's/^#([a-z_]+ = )/\1/' "$CONF" >"$TD/all.conf"
ok "piiguard.conf has settings to switch on" grep -qE '^max_ratio = ' "$TD/all.conf"
run "$PIIGUARD" watch --check-config -c "$TD/all.conf"
is "$RC" 0 "piiguard.conf with every setting switched on checks out" || diag "$ERR"
keys=$(grep -oE 'strcmp\(name, "[a-z_]+"\)' "$PIIGUARD_SRC/common/config.c" | cut -d'"' -f2 | sort -u)
missing=
for k in $keys; do grep -qE "^#?$k = " "$CONF" || missing+="$k "; done
is "$missing" "" "piiguard.conf shows every key of the configuration"
missing=
for k in $keys; do grep -qF "*$k* =" "$MAN/piiguard.conf.5.scd" || missing+="$k "; done
is "$missing" "" "piiguard.conf(5) documents every key"
done_testing
