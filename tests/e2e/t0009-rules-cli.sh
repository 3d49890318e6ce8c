#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `piiguard rules list|lint|test` and `scan --rules DIR`: the 13 rules of the
# contract are listed, the shipped rules lint clean, a broken copy is caught
# with FILE:LINE messages naming the right lines, a folder with one rule file
# replaces the installed rules, and `rules test` shows findings below the
# default minimum confidence.
. "$(dirname "$0")/lib.sh"

RULES=$PIIGUARD_SRC/rules
ids='vn.cccd vn.cmnd vn.passport vn.mst vn.mobile cn.ric cn.mobile ir.national_id ir.mobile mrz.td1 payment_card iban email'

# --- list -------------------------------------------------------------------------------
run "$PIIGUARD" rules list
is "$RC" 0 "rules list: exit 0"
listed=$(printf '%s\n' "$OUT" | awk '{ print $1 }' | sort)
is "$listed" "$(tr ' ' '\n' <<<"$ids" | sort)" "rules list: exactly the 13 rule ids of the contract"
contains "$OUT" "Vietnamese personal ID number (CCCD)" "rules list: shows labels"

run "$PIIGUARD" rules list --rules "$RULES"
is "$(printf '%s\n' "$OUT" | awk '{ print $1 }' | sort)" "$(tr ' ' '\n' <<<"$ids" | sort)" \
	"rules list --rules SRC/rules: the same 13 ids"
where=$(printf '%s\n' "$OUT" | awk '{ print $1, $NF }' | sort)
headers=$(for f in "$RULES"/*.rules; do
	grep -nE '^\[[^]]+\]' "$f" | sed -E "s|^([0-9]+):\\[([^]]+)\\].*|\\2 $f:\\1|"
done | sort)
is "$where" "$headers" "rules list: each rule's FILE:LINE is its [id] line"

# --- lint of the shipped rules -------------------------------------------------------------
run "$PIIGUARD" rules lint "$RULES"
is "$RC" 0 "rules lint SRC/rules: exit 0"
unlike "$OUT$ERR" '\.rules:[0-9]+:' "rules lint SRC/rules: no FILE:LINE problem"

# --- lint of broken copies ------------------------------------------------------------------
# line_of FILE ERE [NTH]: the number of the NTH line of FILE matching ERE.
line_of() { grep -nE "$2" "$1" | sed -n "${3:-1}p" | cut -d: -f1; }

# A pattern that does not compile: an unclosed group on cn.ric's first line.
mkdir -p b1 && cp "$RULES"/*.rules b1/
pat=$(line_of b1/cn.rules '^pattern *=')
sed -i "${pat}s/\$/(/" b1/cn.rules
run "$PIIGUARD" rules lint b1
is "$RC" 1 "broken pattern: rules lint exits 1"
like "$ERR$OUT" "b1/cn\\.rules:[0-9]+: .*pattern" "broken pattern: a cn.rules:LINE: message about the pattern"
like "$ERR$OUT" "b1/cn\\.rules:$pat: " "broken pattern: reported at its pattern line, cn.rules:$pat"

# An unknown key in ir.rules, after the first confidence line.
mkdir -p b2 && cp "$RULES"/*.rules b2/
at=$(line_of b2/ir.rules '^confidence *=')
sed -i "${at}a colour = blue" b2/ir.rules
key_line=$((at + 1))
run "$PIIGUARD" rules lint b2
is "$RC" 1 "unknown key: rules lint exits 1"
like "$ERR$OUT" "b2/ir\\.rules:$key_line: .*colour" "unknown key: reported at ir.rules:$key_line, naming the key"

# A match example that is not reported (053 is no province code), in vn.rules.
mkdir -p b3 && cp "$RULES"/*.rules b3/
at=$(line_of b3/vn.rules '^match *=')
sed -i "${at}a match = Số CCCD: 053090001234" b3/vn.rules
ex_line=$((at + 1))
run "$PIIGUARD" rules lint b3
is "$RC" 1 "failing match example: rules lint exits 1"
like "$ERR$OUT" "b3/vn\\.rules:$ex_line: " "failing match example: reported at vn.rules:$ex_line"
is "$(printf '%s\n' "$ERR$OUT" | grep -cE '\.rules:[0-9]+:')" 1 "failing match example: the only problem reported"

# A nomatch example that is reported, in the email stanza of intl.rules.
mkdir -p b4 && cp "$RULES"/*.rules b4/
at=$(line_of b4/intl.rules '^nomatch *= *logo@2x\.png')
sed -i "${at}a nomatch = Email: nguyen.van.an@example.com" b4/intl.rules
run "$PIIGUARD" rules lint b4
is "$RC" 1 "reported nomatch example: rules lint exits 1"
like "$ERR$OUT" "b4/intl\\.rules:$((at + 1)): " "reported nomatch example: reported at intl.rules:$((at + 1))"

# All three problems in one folder: each is named in one run.
mkdir -p b5 && cp b1/cn.rules b2/ir.rules b3/vn.rules "$RULES"/intl.rules b5/
run "$PIIGUARD" rules lint b5
is "$RC" 1 "three problems: rules lint exits 1"
like "$ERR$OUT" "b5/cn\\.rules:[0-9]+: .*pattern" "three problems: the broken pattern is named"
like "$ERR$OUT" "b5/ir\\.rules:$key_line: " "three problems: the unknown key is named"
like "$ERR$OUT" "b5/vn\\.rules:$ex_line: " "three problems: the failing example is named too"

# --- scan --rules DIR with one rule file ------------------------------------------------------
mkdir -p only-ir && cp "$RULES/ir.rules" only-ir/
printf 'Số CCCD: 052090001234\nکد ملی: ۰۰۱۲۳۴۵۶۷۹\nEmail: nguyen.van.an@example.com\n' >mixed.txt
run scan --format jsonl mixed.txt
is "$(printf '%s\n' "$OUT" | jl rule | sort | tr '\n' ' ')" "email ir.national_id vn.cccd " \
	"installed rules: vn.cccd, ir.national_id and email found"
run scan --format jsonl --rules only-ir mixed.txt
is "$RC" 1 "--rules with only ir.rules: exit 1"
is "$(printf '%s\n' "$OUT" | jl rule line | tr '\n' ' ')" "ir.national_id	2 " \
	"--rules with only ir.rules: only the code melli is found"
run "$PIIGUARD" rules list --rules only-ir
is "$(printf '%s\n' "$OUT" | awk '{ print $1 }' | sort | tr '\n' ' ')" "ir.mobile ir.national_id " \
	"rules list --rules with only ir.rules: its two rules"

printf 'Số CCCD: 052090001234\n' >cccd.txt
run scan --format jsonl --rules only-ir cccd.txt
is "$RC" 0 "--rules with only ir.rules on a CCCD file: exit 0"
mkdir -p empty
run scan --format jsonl --rules empty cccd.txt
is "$RC" 2 "--rules with a folder without rule files: exit 2"
run scan --format jsonl --rules b1 cccd.txt
is "$RC" 2 "--rules with a broken rule file: exit 2"
run scan --format jsonl --rules no-such-dir cccd.txt
is "$RC" 2 "--rules with a missing folder: exit 2"

# --- rules test ------------------------------------------------------------------------------
printf 'ghi chú\n052195004321\n' >bare.txt
run scan --format jsonl bare.txt
is "$RC" 0 "a bare CCCD: not reported by scan at the default minimum"
run "$PIIGUARD" rules test bare.txt
is "$RC" 1 "rules test on a bare CCCD: exit 1 (findings)"
like "$OUT" '(^|[^0-9])2: vn\.cccd 052\*{6}321 0\.[0-4][0-9]' "rules test: shows the bare CCCD below the default minimum"
contains "$OUT" "below the default minimum" "rules test: says it is below the default minimum"
lacks "$OUT$ERR" "052195004321" "rules test: the value stays masked"
run "$PIIGUARD" rules test cccd.txt
like "$OUT" '1: vn\.cccd 052\*{6}234 0\.[5-9]' "rules test: a CCCD with its keyword, at 0.5 or more"
printf 'không có gì\n' >clean.txt
run "$PIIGUARD" rules test clean.txt
is "$RC" 0 "rules test on a clean file: exit 0"
run "$PIIGUARD" rules test --rules only-ir cccd.txt
is "$RC" 0 "rules test --rules with only ir.rules on a CCCD file: nothing"
run "$PIIGUARD" rules test no-such-file.txt
is "$RC" 2 "rules test on a missing file: exit 2"

done_testing
