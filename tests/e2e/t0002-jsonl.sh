#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The jsonl finding of the contract: its keys and their types, masking of
# each kind of identifier, the keyed fingerprint (checked against an HMAC
# computed here), and that no raw identifier reaches stdout or stderr in any
# output format.
. "$(dirname "$0")/lib.sh"

mkdir a b
printf 'Tờ khai tạm trú\nHọ và tên: Nguyễn Văn An\nSố CCCD: 052090001234\n' >a/one.txt
printf 'Số CCCD: 052090001234\n' >b/same.txt

# --- one CCCD: keys, types and values ---------------------------------------------
run scan --format jsonl a/one.txt
is "$RC" 1 "one CCCD: exit 1"
is "$(count_lines "$OUT")" 1 "one CCCD: one jsonl line"

check=$(printf '%s\n' "$OUT" | perl -MB -MJSON::PP -e '
	my $l = <STDIN>;
	my $o = eval { JSON::PP->new->utf8->decode($l) } or do { print "not JSON: $@"; exit };
	ref $o eq "HASH" or do { print "not an object"; exit };
	my @want = sort qw(path member rule label masked fingerprint confidence source line offset);
	my @got = sort keys %$o;
	"@got" eq "@want" or do { print "keys: @got"; exit };
	defined $o->{member} and do { print "member is not null"; exit };
	for my $k (qw(path rule label masked fingerprint source)) {
		my $v = $o->{$k};
		(defined $v && !ref $v && !JSON::PP::is_bool($v) && B::svref_2object(\$v)->FLAGS & B::SVf_POK())
			or do { print "$k is not a string"; exit };
	}
	for my $k (qw(confidence line offset)) {
		my $v = $o->{$k};
		my $f = B::svref_2object(\$v)->FLAGS;
		($f & (B::SVf_IOK() | B::SVf_NOK())) && !($f & B::SVf_POK())
			or do { print "$k is not a number"; exit };
	}
	print "fine";')
is "$check" fine "one CCCD: exactly the contract keys, member null, strings and numbers typed right"

IFS=$'\t' read -r path rule label masked fp conf source line offset < <(printf '%s\n' "$OUT" |
	jl path rule label masked fingerprint confidence source line offset)
is "$path" a/one.txt "path is the file as given"
is "$rule" vn.cccd "rule vn.cccd"
is "$label" "Vietnamese personal ID number (CCCD)" "label of vn.cccd"
is "$masked" '052******234' "CCCD masked to 052******234"
like "$fp" '^[0-9a-f]{16}$' "fingerprint is 16 lowercase hex digits"
is "$fp" "$(fingerprint 052090001234)" "fingerprint is HMAC-SHA256(key, canonical value), first 16 hex"
is "$source" text "source is text"
is "$line" 3 "line is the 1-based line of the match"
pre='Tờ khai tạm trú
Họ và tên: Nguyễn Văn An
Số CCCD: '
is "$offset" "$(printf '%s' "$pre" | wc -c)" "offset is the byte offset of the digits"
like "$conf" '^(0(\.[0-9]+)?|1(\.0+)?)$' "confidence is a number in 0..1"

# --- fingerprints: same value, same key -> same; other key -> different ------------
fp_b=$(scan --format jsonl b/same.txt | jl fingerprint)
is "$fp_b" "$fp" "the same CCCD in another file has the same fingerprint"
printf 'Số CCCD: 052 090 001 234\n' >grouped.txt
is "$(scan --format jsonl grouped.txt | jl fingerprint)" "$fp" \
	"a grouped CCCD (052 090 001 234) has the fingerprint of its canonical value"
head -c 32 /dev/urandom >other.key
chmod 600 other.key
fp_o=$("$PIIGUARD" scan --no-store --key-file other.key --jobs 1 --format jsonl b/same.txt | jl fingerprint)
like "$fp_o" '^[0-9a-f]{16}$' "another key: still a 16-hex fingerprint"
isnt "$fp_o" "$fp" "another key gives another fingerprint"

# --- masking of the other kinds ------------------------------------------------------
# Canonical values (contract): digits ASCII, separators gone, letters upper
# case; e-mail lower case; an MRZ is its three lines joined (90 characters).
mrz1='IDVNM0900012345052090001234<<2'
mrz2='9001011M3001019VNM<<<<<<<<<<<2'
mrz3='NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<'
{
	printf 'Số CMND: 215123456\n'                        # line 1
	printf 'Email: nguyen.van.an@example.com\n'          # line 2
	printf '身份证号：11010519491231002X\n'              # line 3
	printf 'Mặt sau thẻ:\n'                              # line 4
	printf '%s\n%s\n%s\n' "$mrz1" "$mrz2" "$mrz3"        # lines 5-7
	printf 'Email: Nguyen.Van.An@Example.COM\n'          # line 8
	printf '公民身份号码 44011320141005001x\n'           # line 9
	printf 'کد ملی: ۰۰۱۲۳۴۵۶۷۹\n'                         # line 10
} >kinds.txt
run scan --format jsonl kinds.txt
is "$RC" 1 "kinds: exit 1"
got=$(printf '%s\n' "$OUT" | jl rule line masked | sort)
expected=$(sort <<EOF
vn.cmnd	1	21*****56
email	2	n************@example.com
cn.ric	3	110************02X
mrz.td1	5	IDV$(printf '%*s' 84 '' | tr ' ' '*')<<<
vn.cccd	5	052******234
email	8	n************@example.com
cn.ric	9	440************01X
ir.national_id	10	001****679
EOF
)
is "$got" "$expected" "kinds: rule, line and masked value of each finding"
is "$(printf '%s\n' "$OUT" | jl rule masked | awk -F'\t' '$1 == "mrz.td1" { print length($2) }')" 90 \
	"mrz.td1: the masked value has the 90 characters of the three lines"
is "$(printf '%s\n' "$OUT" | jl rule source | awk -F'\t' '$1 == "mrz.td1" { print $2 }')" text \
	"mrz.td1 from a text file: source text"

fp_of() { printf '%s\n' "$OUT" | jl rule line fingerprint | awk -F'\t' -v r="$1" -v l="$2" '$1 == r && $2 == l { print $3 }'; }
is "$(fp_of vn.cmnd 1)" "$(fingerprint 215123456)" "vn.cmnd: fingerprint of the 9 digits"
is "$(fp_of email 2)" "$(fingerprint nguyen.van.an@example.com)" "email: fingerprint of the address"
is "$(fp_of email 8)" "$(fingerprint nguyen.van.an@example.com)" "email: fingerprint of the lower-case address"
is "$(fp_of cn.ric 3)" "$(fingerprint 11010519491231002X)" "cn.ric: fingerprint of the 18 characters"
is "$(fp_of cn.ric 9)" "$(fingerprint 44011320141005001X)" "cn.ric: a lower-case x is canonical X"
is "$(fp_of mrz.td1 5)" "$(fingerprint "$mrz1$mrz2$mrz3")" "mrz.td1: fingerprint of the three lines joined"
is "$(fp_of vn.cccd 5)" "$fp" "the CCCD inside the MRZ has the CCCD's fingerprint"
is "$(fp_of ir.national_id 10)" "$(fingerprint 0012345679)" "ir.national_id: Persian digits folded to ASCII"

# The ICAO specimen is an MRZ too, without a CCCD in it.
printf 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n' >icao.txt
is "$(scan --format jsonl icao.txt | jl rule line masked)" \
	"mrz.td1	1	I<U$(printf '%*s' 84 '' | tr ' ' '*')<<<" "the ICAO TD1 specimen: one mrz.td1 finding, masked"

# --- no raw identifier anywhere ---------------------------------------------------------
raws=(052090001234 215123456 nguyen.van.an Nguyen.Van.An 11010519491231002X 44011320141005001
	0012345679 ۰۰۱۲۳۴۵۶۷۹ 0900012345 NGUYEN '2151234' '0900012')
for fmt in jsonl text csv; do
	run scan --format "$fmt" --stats kinds.txt a/one.txt grouped.txt
	is "$RC" 1 "$fmt: exit 1"
	leaked=
	for r in "${raws[@]}"; do
		[[ $OUT == *"$r"* || $ERR == *"$r"* ]] && leaked="$leaked $r"
	done
	is "$leaked" "" "$fmt: no raw identifier in stdout or stderr"
done
run "$PIIGUARD" rules test kinds.txt
leaked=
for r in "${raws[@]}"; do
	[[ $OUT == *"$r"* || $ERR == *"$r"* ]] && leaked="$leaked $r"
done
is "$leaked" "" "rules test: no raw identifier in stdout or stderr"

done_testing
