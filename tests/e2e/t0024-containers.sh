#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Text inside containers: zip, zip in zip, tar.gz, a single gzip file, a .docx
# built from its XML parts; every finding names its member ("a.zip!b.txt").
# Hostile containers end with a coverage.* finding, never a silent "clean":
# an encrypted zip, a truncated zip, containers nested past the depth limit,
# a member that expands past the ratio limit (a zip bomb).
. "$(dirname "$0")/lib.sh"

if ! command -v zip >/dev/null 2>&1; then
	skip "zip is not installed (apt-get install zip)" 1
	done_testing
fi

member_rules() { # FILE: "member rule" lines of scan's jsonl for FILE
	scan --format jsonl "$1" | jl member rule | sort
}

mkdir z && cd z || exit 1
printf 'Số CCCD: 052090001234\n' >a.txt
printf 'Số CMND: 215123456\n' >b.txt
zip -q -X ../plain.zip a.txt
zip -q -X inner.zip b.txt
zip -q -X ../nested.zip inner.zip a.txt
printf 'Số CCCD: 079203000777\n' | iconv -f UTF-8 -t UTF-16 >u16.txt
tar czf ../docs.tar.gz a.txt u16.txt
gzip -c a.txt >../single.txt.gz
zip -q -X -P secret ../locked.zip a.txt
cd .. || exit 1

is "$(member_rules plain.zip)" "a.txt	vn.cccd" "zip: the member's finding, named by the member"
is "$(member_rules nested.zip | tr '\n' ' ')" "a.txt	vn.cccd inner.zip!b.txt	vn.cmnd " "zip in zip: members joined by !"
is "$(member_rules docs.tar.gz | tr '\n' ' ')" "a.txt	vn.cccd u16.txt	vn.cccd " "tar.gz, with a UTF-16 member"
is "$(member_rules single.txt.gz)" "a.txt	vn.cccd" "a single gzip-compressed file, named by its gzip header"
is "$(member_rules locked.zip)" "a.txt	coverage.encrypted" "an encrypted member: coverage.encrypted"
run scan --format jsonl locked.zip
is "$RC" 1 "an encrypted member counts as a finding: exit 1"

# A .docx from its parts, as Word lays it out.
mkdir -p docx/word docx/_rels
cat >'docx/[Content_Types].xml' <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
XML
cat >docx/word/document.xml <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Họ và tên: Nguyễn Văn An</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Số CCCD: </w:t></w:r><w:r><w:t>052090001234</w:t></w:r></w:p></w:body></w:document>
XML
(cd docx && zip -q -X -r ../form.docx '[Content_Types].xml' word)
is "$(member_rules form.docx)" "word/document.xml	vn.cccd" "a .docx: the number in document.xml, split across two runs"

# --- hostile containers --------------------------------------------------------------------------
seq 1 200000 >z/big.txt
printf 'Số CCCD: 052090001234\n' >>z/big.txt
(cd z && zip -q -X ../big.zip big.txt)
head -c $(($(stat -c %s big.zip) / 2)) big.zip >truncated.zip
run scan --format jsonl truncated.zip
like "$(printf '%s\n' "$OUT" | jl rule)" "coverage\\.corrupt" "a zip cut in the middle of a member: coverage.corrupt"
cp plain.zip deep0.zip
for i in $(seq 1 20); do
	mv "deep$((i - 1)).zip" "d$i.zip"
	zip -q -X "deep$i.zip" "d$i.zip"
	rm "d$i.zip"
done
run scan --format jsonl deep20.zip
contains "$(printf '%s\n' "$OUT" | jl rule)" "coverage.limit" "zips nested 20 deep: coverage.limit"
lacks "$(printf '%s\n' "$OUT" | jl rule)" "vn.cccd" "... and the innermost file is not reached"
head -c 50000000 /dev/zero >zeros.bin
zip -q -X bomb.zip zeros.bin a.txt
run scan --format jsonl --stats bomb.zip
contains "$(printf '%s\n' "$OUT" | jl rule)" "coverage.limit" "50 MB of zeros in a small zip: coverage.limit (expansion ratio)"
like "$(printf '%s\n' "$OUT" | jl masked)" "200 times" "... the outcome says why"
rm -f zeros.bin

# A container past LIMIT_CONTAINER_BYTES is not read into memory (a sparse tail
# makes it large without writing it), and past LIMIT_MEMBERS the rest is not read.
cp plain.zip huge.zip
truncate -s 110M huge.zip
run scan --format jsonl huge.zip
is "$(printf '%s\n' "$OUT" | jl rule masked)" "coverage.limit	container larger than 100 MiB, not opened" \
	"a container over 100 MiB: coverage.limit, not opened"
rm -f huge.zip
mkdir many && (cd many && seq 1 10005 | xargs touch)
tar cf many.tar many
run scan --format jsonl many.tar
like "$(printf '%s\n' "$OUT" | jl masked)" "more than 10000 members" "an archive of 10,005 members: coverage.limit"
rm -rf many many.tar

# The configuration's [limits] lower (or raise, within limits.h) the same limits.
printf '[limits]\nmax_recursion = 1\nmax_file_size = 1K\n' >"$TD/limits.conf"
run "$PIIGUARD" scan --no-store -c "$TD/limits.conf" --format jsonl nested.zip
is "$(printf '%s\n' "$OUT" | jl member rule masked | sort | tr '\n' ' ')" \
	"a.txt	vn.cccd	052******234 inner.zip!b.txt	coverage.limit	nested more than 1 deep " \
	"max_recursion = 1: the zip in the zip is one level, its member a second: not opened, and said"
run "$PIIGUARD" scan --no-store -c "$TD/limits.conf" --format jsonl big.zip
is "$(printf '%s\n' "$OUT" | jl rule masked)" "coverage.limit	container larger than 1 KiB, not opened" \
	"max_file_size = 1K: a 400 KB zip is not opened"
printf '[limits]\nmax_recursion = 65\n' >"$TD/bad-limits.conf"
run "$PIIGUARD" scan --no-store -c "$TD/bad-limits.conf" nested.zip
is "$RC" 2 "a limit past what limits.h allows is refused"
like "$ERR" "bad-limits.conf:2: max_recursion must be a whole number from 1 to 64" "... with file:line"

# The store records the member and the outcome.
run "$PIIGUARD" scan --store "$TD/s.db" --key-file "$KEY" -c /dev/null --format jsonl nested.zip 2>/dev/null
: >"$TD/empty.conf"
"$PIIGUARD" scan --store "$TD/s.db" --key-file "$KEY" -c "$TD/empty.conf" --format jsonl nested.zip >/dev/null
run "$PIIGUARD" findings list --store "$TD/s.db" -c "$TD/empty.conf" --format jsonl
contains "$(printf '%s\n' "$OUT" | jl member | sort | tr '\n' ' ')" "inner.zip!b.txt" "the store keeps the member"

done_testing
