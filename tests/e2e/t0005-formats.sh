#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The three output formats: the text line "PATH:LINE: RULE MASKED CONF
# (LABEL)", CSV with its header row and quoted fields, and jsonl; and file
# names that could break a record or a terminal (newline, tab, ANSI escape,
# invalid UTF-8, bidi override, quotes and commas) are printed escaped in text
# and CSV, while jsonl stays one valid JSON object per line.
. "$(dirname "$0")/lib.sh"

label_cccd='Vietnamese personal ID number (CCCD)'
printf 'Họ và tên: Nguyễn Văn An\nSố CCCD: 052090001234\nSố CMND: 215123456\n' >form.txt

# --- text ---------------------------------------------------------------------------
run scan --format text form.txt
is "$RC" 1 "text: exit 1"
first=$(printf '%s\n' "$OUT" | sed -n 1p)
is "$first" "form.txt:2: vn.cccd 052******234 0.90 ($label_cccd)" "text: the exact line of the CCCD"
bad=$(printf '%s\n' "$OUT" | grep -Ev '^[^ ]+:[0-9]+: [a-z0-9_.]+ [^ ]+ [01]\.[0-9]{2} \(.+\)$')
is "$bad" "" "text: every line is PATH:LINE: RULE MASKED CONF (LABEL)"
is "$(count_lines "$OUT")" 2 "text: one line per finding"

# --- csv ----------------------------------------------------------------------------
printf 'Số CCCD: 052090001234\n' >'q"x,y.txt'
printf 'Số CCCD: 052090001234\n' >'=1+1.txt'
run scan --format csv form.txt 'q"x,y.txt' '=1+1.txt'
is "$RC" 1 "csv: exit 1"
is "$(printf '%s\n' "$OUT" | sed -n '1{s/\r$//;p}')" \
	"path,member,rule,label,masked,fingerprint,confidence,source,line" "csv: the header row"
is "$(printf '%s\n' "$OUT" | sed -n '2{s/\r$//;p}')" \
	"\"form.txt\",,vn.cccd,\"$label_cccd\",052******234,$(fingerprint 052090001234),0.90,text,2" \
	"csv: the exact record of the CCCD (path and label quoted, member empty)"

# Parse the CSV as RFC 4180 does: fields, quotes doubled inside quoted fields.
parsed=$(printf '%s' "$OUT" | perl -e '
	local $/; my $t = <STDIN>; my @rec; my @f; my $fld = ""; my $q = 0; my $i = 0;
	while ($i < length $t) {
		my $c = substr($t, $i++, 1);
		if ($q) {
			if ($c eq "\"") { if (substr($t, $i, 1) eq "\"") { $fld .= "\""; $i++ } else { $q = 0 } }
			else { $fld .= $c }
		} elsif ($c eq "\"") { $q = 1 }
		elsif ($c eq ",") { push @f, $fld; $fld = "" }
		elsif ($c eq "\r") { }
		elsif ($c eq "\n") { push @f, $fld; push @rec, [@f]; @f = (); $fld = "" }
		else { $fld .= $c }
	}
	push(@f, $fld), push(@rec, [@f]) if length $fld || @f;
	print "unterminated quote\n" if $q;
	for my $r (@rec) { print scalar(@$r), "|", join("|", @$r), "\n" }')
is "$(printf '%s\n' "$parsed" | cut -d'|' -f1 | sort -u)" 9 "csv: every record has 9 fields"
is "$(printf '%s\n' "$parsed" | awk -F'|' '$4 == "vn.cccd" || $4 == "vn.cmnd" { n++ } END { print n }')" 4 \
	"csv: 4 findings in 3 files"
contains "$parsed" '|q"x,y.txt||vn.cccd|' "csv: a path with a quote and a comma reads back whole"
formula=$(printf '%s\n' "$parsed" | awk -F'|' 'NR > 1 && $2 ~ /1\+1\.txt/ { print $2 }')
like "$formula" '1\+1\.txt$' "csv: the record of =1+1.txt is there"
unlike "$formula" '^[=+@-]' "csv: a path cell never starts with = + - @ (no spreadsheet formula)"

# --- hostile file names ---------------------------------------------------------------
mkdir names
nasty=$(printf 'a\nb\tc\033[31md\377e\342\200\256f.txt')
printf 'Số CCCD: 052090001234\n' >"names/$nasty"
printf 'Số CCCD: 052090001234\n' >'names/a\nb.txt'
for fmt in text csv jsonl; do
	"$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format "$fmt" names >"out.$fmt" 2>"err.$fmt"
	is "$?" 1 "nasty names, $fmt: exit 1"
	is "$(LC_ALL=C grep -c $'\033' "out.$fmt" "err.$fmt" | awk -F: '{ s += $2 } END { print s }')" 0 \
		"nasty names, $fmt: no raw ESC on stdout or stderr"
	is "$(LC_ALL=C grep -c $'\t' "out.$fmt")" 0 "nasty names, $fmt: no raw tab on stdout"
	is "$(LC_ALL=C grep -c $'\377' "out.$fmt")" 0 "nasty names, $fmt: no raw 0xFF byte on stdout"
	# jsonl is for programs: a raw U+202E is valid JSON there.
	[ "$fmt" = jsonl ] ||
		is "$(LC_ALL=C grep -c $'\342\200\256' "out.$fmt")" 0 "nasty names, $fmt: no raw bidi override on stdout"
done

# text: one line per finding, the two names still told apart.
is "$(wc -l <out.text)" 2 "text: one line per finding, no raw newline inside a record"
bad=$(grep -Ev '^[^ ]+:1: vn\.cccd 052\*{6}234 0\.[0-9]{2} \(.+\)$' out.text)
is "$bad" "" "text: both records keep the line shape"
is "$(cut -d: -f1 out.text | sort -u | wc -l)" 2 "text: the name with a newline and the one with backslash-n differ"
like "$(cat out.text)" 'names/a.+b.+c.+\[31md.+e.+f\.txt:1: ' "text: the escaped name keeps its printable parts"

# csv: header plus two records, each on one line.
is "$(wc -l <out.csv)" 3 "csv: header and one line per record"
is "$(sed 1d out.csv | grep -cv '^"names/')" 0 "csv: each record starts with the quoted path"

# jsonl: one valid object per line, path decoded back to the name's characters.
is "$(wc -l <out.jsonl)" 2 "jsonl: one line per finding"
is "$(jl rule <out.jsonl | grep -c INVALID-JSON)" 0 "jsonl: every line is a valid JSON object (UTF-8)"
paths=$(perl -MJSON::PP -ne '
	my $p = JSON::PP->new->utf8->decode($_)->{path};
	if ($p =~ /^names\/a\nb\tc\e\[31md.*e\x{202E}f\.txt$/s) { print "nasty\n" }
	elsif ($p eq "names/a\\nb.txt") { print "backslash\n" }
	else { print "other\n" }' out.jsonl | sort | tr '\n' ' ')
is "$paths" "backslash nasty " "jsonl: newline, tab, ESC and U+202E come back as themselves"

# stderr: a missing path with control characters is escaped too.
run scan --format text "$(printf 'missing\033[2J\n.txt')"
is "$RC" 2 "missing nasty path: exit 2"
unlike "$ERR" $'\033' "missing nasty path: no raw ESC on stderr"
is "$(count_lines "$ERR")" 1 "missing nasty path: one line on stderr"

done_testing
