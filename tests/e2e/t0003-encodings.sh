#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every fixture of tests/data/encodings (see its README: the same Vietnamese,
# Chinese and Persian forms in UTF-8, UTF-16 with and without BOM,
# WINDOWS-1258, WINDOWS-1256, GBK and GB18030) gives exactly the expected
# findings: rule, line, masked value, the fingerprint of the canonical value,
# and the offset of the match in the text decoded to UTF-8 (computed here with
# iconv).
. "$(dirname "$0")/lib.sh"

DATA=$PIIGUARD_SRC/tests/data/encodings
if [ ! -r "$DATA/README" ]; then
	echo "1..0 # SKIP no fixtures in $DATA"
	exit 0
fi

cccd='vn.cccd 052******234'
ric='cn.ric 110************02X'
melli='ir.national_id 001****679'

# file, its encoding for iconv, and the expected "LINE RULE MASKED" findings
# (from make-fixtures.sh: the VI form has its ID on line 5 and the NFD copy on
# line 11; the ZH form on line 7; the FA form on lines 4 and 5).
fixtures=(
	"vi-utf8.txt|UTF-8|5 $cccd;11 $cccd"
	"vi-utf8-bom.txt|UTF-8|5 $cccd;11 $cccd"
	"vi-utf16le-bom.txt|UTF-16LE|5 $cccd;11 $cccd"
	"vi-utf16be-bom.txt|UTF-16BE|5 $cccd;11 $cccd"
	"vi-utf16le-nobom.txt|UTF-16LE|5 $cccd;11 $cccd"
	"vi-cp1258.txt|WINDOWS-1258|5 $cccd"
	"zh-utf8.txt|UTF-8|7 $ric"
	"zh-gb18030.txt|GB18030|7 $ric"
	"zh-gbk.txt|GBK|7 $ric"
	"zh-utf16le.txt|UTF-16LE|7 $ric"
	"fa-utf8.txt|UTF-8|4 $melli;5 $melli"
	"fa-utf16le-bom.txt|UTF-16LE|4 $melli;5 $melli"
	"fa-cp1256.txt|WINDOWS-1256|4 $melli;5 $melli"
	"mixed.txt|UTF-8|5 $cccd;11 $cccd;18 $ric;25 $melli;26 $melli"
)

fp_cccd=$(fingerprint 052090001234)
fp_ric=$(fingerprint 11010519491231002X)
fp_melli=$(fingerprint 0012345679)

# offsets FILE ENC: byte offsets of the identifiers in the file decoded to
# UTF-8 without a BOM, one per line, in file order.
offsets() {
	iconv -f "$2" -t UTF-8 "$1" | perl -MEncode -e '
		local $/; my $t = <STDIN>;
		$t =~ s/^\xEF\xBB\xBF//;
		my $c = decode("UTF-8", $t, Encode::FB_CROAK);
		while ($c =~ /(?<!\d)(\d{17}[\dX]|\d{12}|\d{10})(?!\d)/g) {
			print length(encode("UTF-8", substr($c, 0, $-[1]))), "\n";
		}'
}

checked=0
for entry in "${fixtures[@]}"; do
	IFS='|' read -r file enc expected <<<"$entry"
	f=$DATA/$file
	if [ ! -r "$f" ]; then
		fail "$file: fixture exists" "missing $f"
		continue
	fi
	checked=$((checked + 1))
	run scan --format jsonl "$f"
	is "$RC" 1 "$file: exit 1"
	got=$(printf '%s\n' "$OUT" | jl line rule masked | tr '\t' ' ')
	is "$got" "$(tr ';' '\n' <<<"$expected")" "$file ($enc): rules, lines and masked values"

	bad=$(printf '%s\n' "$OUT" | jl rule fingerprint | while IFS=$'\t' read -r r fp; do
		case $r in
		vn.cccd) [ "$fp" = "$fp_cccd" ] || echo "$r $fp" ;;
		cn.ric) [ "$fp" = "$fp_ric" ] || echo "$r $fp" ;;
		ir.national_id) [ "$fp" = "$fp_melli" ] || echo "$r $fp" ;;
		*) echo "$r unexpected" ;;
		esac
	done)
	is "$bad" "" "$file: fingerprints of the canonical values"

	is "$(printf '%s\n' "$OUT" | jl offset)" "$(offsets "$f" "$enc")" \
		"$file: offsets in the text decoded to UTF-8"
done
is "$checked" "${#fixtures[@]}" "every fixture listed in the README was found"

# Fixtures added later must be added here too.
listed=$(printf '%s\n' "${fixtures[@]}" | cut -d'|' -f1 | sort)
present=$(cd "$DATA" && printf "%s\n" *.txt | sort)
is "$present" "$listed" "this test covers every .txt fixture of tests/data/encodings"

# All fixtures at once, with several workers: the same findings.
mkdir all
cp "$DATA"/*.txt all/
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 4 --format jsonl all
is "$RC" 1 "the whole folder: exit 1"
want=0
for entry in "${fixtures[@]}"; do
	n=$(tr ';' '\n' <<<"${entry##*|}" | grep -c .)
	want=$((want + n))
done
is "$(count_lines "$OUT")" "$want" "the whole folder: $want findings"

done_testing
