#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The engine scans text in chunks of LIMIT_SCAN_CHUNK bytes, keeping some
# context and a margin from one chunk for the next (common/limits.h). An ID
# that straddles a chunk boundary, or whose keyword is before it and digits
# after it, must still give exactly one finding with the right line and
# offset (the byte offset of the digits in the decoded text: the file offset
# for UTF-8). Also: many IDs in a large file give exactly as many findings.
. "$(dirname "$0")/lib.sh"

# limit NAME DEFAULT: a LIMIT_* value of common/limits.h, as a number.
limit() {
	local v
	v=$(sed -n "s/^#define $1[[:space:]]\{1,\}//p" "$PIIGUARD_SRC/common/limits.h" 2>/dev/null | head -1)
	v=${v//u/}
	if [[ $v =~ ^[0-9\ \(\)\<]+$ ]] && [ -n "$v" ]; then
		echo $((v))
	else
		echo "$2"
	fi
}
B=$(limit LIMIT_SCAN_CHUNK 1048576)
CTX=$(limit LIMIT_SCAN_CONTEXT 4096)
MARGIN=$(limit LIMIT_SCAN_MARGIN 1024)
note "chunk $B, context $CTX, margin $MARGIN"

# Padding lines without digits or context words, one of each kind of text:
# ASCII, Vietnamese (NFC) and Vietnamese with decomposed marks (NFD, which
# normalisation changes, so offsets must be mapped back to the file).
mkunit() { # NAME LINE: a source of that line repeated, and its length
	yes "$2" | head -n $((3 * B / ${#2} + 1000)) >"unit.$1"
	printf '%s\n' "$2" | wc -c >"unit.$1.len"
}
mkunit ascii 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod'
mkunit vi 'Tôi xin cam đoan những lời khai trên là đúng sự thật, xin chân thành cảm ơn.'
mkunit nfd "$(printf 'Ca\314\201c ta\314\200i lie\314\243\314\202u đa\314\203 ki\314\200\314\202m tra, lu\314\233u ta\314\243i bo\314\202\314\243 pha\314\202n.')"

# gen FILE AT UNIT PREFIX [DIGITS] [TAIL]: a file whose identifier digits
# start at byte AT, right after PREFIX, padded before with UNIT lines (the
# last one cut short with dots) and followed by TAIL bytes of them.
# Prints the expected "vn.cccd LINE OFFSET MASKED".
gen() {
	local file=$1 at=$2 unit=$3 prefix=$4 digits=${5:-052090001234} tail=${6:-3000}
	local plen len n q r line
	plen=$(printf '%s' "$prefix" | wc -c)
	len=$(cat "unit.$unit.len")
	n=$((at - plen - 1)) # bytes before the newline that ends the padding
	q=$((n / len))
	r=$((n % len))
	{
		head -c $((q * len)) "unit.$unit"
		head -c "$r" /dev/zero | tr '\0' '.'
		printf '\n%s' "$prefix"
	} >"$file"
	line=$(($(wc -l <"$file") + 1))
	[ "$(wc -c <"$file")" -eq "$at" ] || echo "gen: $file is $(wc -c <"$file") bytes, not $at" >&2
	printf '%s\n' "$digits" >>"$file"
	head -c "$tail" "unit.$unit" >>"$file"
	echo "vn.cccd $line $at ${digits:0:3}******${digits:9:3}"
}

# check NAME AT UNIT PREFIX [TAIL] [ENC]: one case, one assertion.
check() {
	local name=$1 at=$2 unit=$3 prefix=$4 tail=${5:-3000} enc=${6:-} want got
	want=$(gen case.txt "$at" "$unit" "$prefix" 052090001234 "$tail")
	if [ -n "$enc" ]; then
		{ printf '\xff\xfe'; iconv -f UTF-8 -t "$enc" case.txt; } >case.enc && mv case.enc case.txt
	fi
	got=$(scan --format jsonl case.txt | jl rule line offset masked | tr '\t' ' ')
	is "$got" "$want" "$name: exactly one finding, line and offset right"
	rm -f case.txt
}

KW='Số CCCD: '

# Around the first chunk boundary: the digits start 1..12 bytes before it
# (12: they end right at it), at it, and 1..11 bytes after it (the keyword
# straddles it; at +9 and +10 the boundary splits the 3-byte "ố").
for k in $(seq 12 -1 1); do
	check "ascii, digits at chunk-$k" $((B - k)) ascii "$KW"
done
for k in $(seq 0 11); do
	check "ascii, digits at chunk+$k" $((B + k)) ascii "$KW"
done
check "vi, digits at chunk-6" $((B - 6)) vi "$KW"
check "nfd, digits at chunk-6" $((B - 6)) nfd "$KW"
check "nfd, digits at chunk+9 (ố split)" $((B + 9)) nfd "$KW"
# The keyword well before the boundary, the digits after it.
check "keyword before the boundary, digits after" $((B + 7)) vi 'Số CCCD (đã đối chiếu với bản gốc):       '
check "keyword on the line before the boundary" $((B + 3)) ascii $'Số CCCD:\n   '
check "keyword on the line before, digits at the boundary" "$B" ascii $'Số CCCD:\n'

# Where this engine decides a round and where its buffer ends: one chunk
# plus the context kept, and that plus the margin.
for d in -13 -12 -6 -1 0 5; do
	check "digits at chunk+context$d" $((B + CTX + d)) ascii "$KW"
	check "digits at chunk+context+margin$d" $((B + CTX + MARGIN + d)) vi "$KW"
done
check "digits at chunk-margin-6" $((B - MARGIN - 6)) ascii "$KW"

# Without anything after the identifier: the last chunk is the final one.
check "digits at chunk-6, end of file after them" $((B - 6)) ascii "$KW" 0

# At 3 MiB, after several rounds (line counting across them).
for d in -12 -6 -1 0 5; do
	check "digits at 3*chunk$d" $((3 * B + d)) vi "$KW"
done
check "nfd, digits at 3*chunk-6" $((3 * B - 6)) nfd "$KW"
check "digits at 3*chunk+context-6" $((3 * B + CTX - 6)) ascii "$KW"

# UTF-16LE: the decoded text has the same offsets as its UTF-8 source.
for d in -6 5; do
	check "UTF-16LE, decoded digits at chunk$d" $((B + d)) vi "$KW" 3000 UTF-16LE
done

# --- many identifiers in one large file ------------------------------------------------
# 2000 lines, each "Số CCCD: " and a different CCCD, between about 2.6 KiB of
# padding: 5 MiB in all.
pad=$(head -n $((2600 / $(cat unit.vi.len))) unit.vi | tr '\n' ' ')
for i in $(seq 0 1999); do
	printf '%s\nSố CCCD: 05209%07d\n' "$pad" "$i"
done >many.txt
note "many.txt: $(wc -c <many.txt) bytes"
run scan --format jsonl many.txt
is "$RC" 1 "2000 IDs: exit 1"
is "$(count_lines "$OUT")" 2000 "2000 IDs: exactly 2000 findings"
is "$(printf '%s\n' "$OUT" | jl fingerprint | sort -u | wc -l)" 2000 "2000 IDs: 2000 different fingerprints"
want=$(perl -ne 'print "$.\t", tell(ARGV) - length($_) + length($1), "\n" if /^(Số CCCD: )\d{12}$/' many.txt)
got=$(printf '%s\n' "$OUT" | jl line offset | sort -n)
is "$got" "$want" "2000 IDs: every line and offset right"

done_testing
