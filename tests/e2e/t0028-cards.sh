#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ID-card scans and photos (tests/data/cards, rendered by
# tests/fixtures/make-cards.sh): a chip CCCD's front gives vn.cccd from its
# QR code and idcard.image; the back gives mrz.td1 and vn.cccd from its
# machine-readable zone; so do their variants (rotated 5 degrees, scaled to
# 60 %, JPEG quality 60, blurred; PNG, JPEG, WebP, HEIF), the card inside a
# PDF and inside a .docx. A front without its QR code is a card only to OCR,
# so --no-ocr finds nothing in it but still reads QR codes and zones. Images
# without identifiers give nothing, nor does a notice about căn cước
# registration, which has the card's title words but not its labels. Hostile
# images end with a coverage outcome: a 30000x30000 PNG header, a truncated
# JPEG, a PNG that inflates 1000 times.
. "$(dirname "$0")/lib.sh"

CARDS=$PIIGUARD_SRC/tests/data/cards

# "member rule source" lines of one scan's findings for FILE, sorted, unique.
found() {
	printf '%s\n' "$1" | jl path member rule source | awk -F '\t' -v f="$2" '$1 ~ ("/" f "$") { print $2 " " $3 " " $4 }' |
		sort -u
}

cp -r "$CARDS" cards
run scan --jobs 2 --format jsonl cards
ALL=$OUT
is "$RC" 1 "the cards folder has findings: exit 1"
is "$ERR" "" "nothing on stderr (tesseract, leptonica and zbar kept quiet)"

FRONT="null idcard.image qr
null vn.cccd ocr
null vn.cccd qr"
BACK="null idcard.image mrz
null mrz.td1 mrz
null mrz.td1 ocr
null vn.cccd mrz
null vn.cccd ocr"
is "$(found "$ALL" front.png)" "$FRONT" "front (PNG): vn.cccd from the QR code and from OCR, idcard.image"
is "$(found "$ALL" front-q60.jpg)" "$FRONT" "front, JPEG quality 60"
is "$(found "$ALL" front-s60.webp)" "$FRONT" "front scaled to 60 %, WebP"
is "$(found "$ALL" back.png)" "$BACK" "back (PNG): mrz.td1 and vn.cccd from the zone, idcard.image"
is "$(found "$ALL" back-rot5.jpg)" "$BACK" "back rotated 5 degrees, JPEG"
is "$(found "$ALL" back-blur.webp)" "$BACK" "back blurred, WebP"
is "$(found "$ALL" back.heic)" "$BACK" "back as a HEIF photo (libheif)"
like "$(found "$ALL" back-rot90.jpg)" "^null idcard.image mrz
null mrz.td1 mrz
" "back photographed sideways: read after a quarter turn"
is "$(found "$ALL" front-noqr.jpg)" "null idcard.image ocr
null vn.cccd ocr" "front without its QR code: the card's words and number, by OCR"
is "$(found "$ALL" card.pdf)" "page 1 image 1 idcard.image qr
page 1 image 1 vn.cccd ocr
page 1 image 1 vn.cccd qr" "a PDF of a scanned card: the page's image"
like "$(found "$ALL" card.docx)" "^word/media/image1.png idcard.image mrz
word/media/image1.png mrz.td1 mrz
" "a .docx with the back as word/media/image1.png"
for neg in neg-qr-url.png neg-gradient.jpg neg-text.png neg-form.png; do
	is "$(found "$ALL" "$neg")" "" "no finding in $neg"
done

# Values and identity: the number of the QR code and of the zone is the same
# person's; the image's fingerprint is its content, wherever it lies.
cccd=$(fingerprint 052090001234)
is "$(printf '%s\n' "$ALL" | jl path rule source fingerprint | awk -F '\t' '$2 == "vn.cccd" && $3 != "ocr" { print $4 }' |
	sort -u)" "$cccd" "vn.cccd from QR codes and zones has the test number's fingerprint"
is "$(printf '%s\n' "$ALL" | jl path rule masked | awk -F '\t' '$1 ~ /back.png$/ && $2 == "mrz.td1" { print $3 }' |
	head -1)" "IDV************************************************************************************<<<" \
	"mrz.td1 is masked over its 90 characters"
mkdir -p Downloads cache
cp "$CARDS/front.png" Downloads/cccd-mat-truoc.png
cp "$CARDS/front.png" cache/f_00a1b2
run scan --format jsonl Downloads cache
is "$(printf '%s\n' "$OUT" | jl rule fingerprint | awk -F '\t' '$1 == "idcard.image" { print $2 }' | sort -u | wc -l)" 1 \
	"the same photo in Downloads and in a cache: one idcard.image fingerprint"
is "$(printf '%s\n' "$OUT" | jl rule | grep -c idcard.image)" 2 "... reported for both files"

# --no-ocr: QR codes and zones are still read, OCR is not.
run scan --no-ocr --format jsonl cards/front.png cards/back.png cards/front-noqr.jpg
is "$(printf '%s\n' "$OUT" | jl source | sort -u | tr '\n' ' ')" "mrz qr " "--no-ocr: findings from QR codes and zones only"
is "$(found "$OUT" front-noqr.jpg)" "" "--no-ocr: the front without QR code is not read"
is "$(found "$OUT" back.png | grep -c 'mrz.td1 mrz')" 1 "--no-ocr: the zone is still read"
run scan --no-ocr --format jsonl cards/back-rot90.jpg
is "$(found "$OUT" back-rot90.jpg | grep -c 'mrz.td1 mrz')" 1 "--no-ocr: a sideways zone is still read"

# Inside an archive, as a chat app's export: the member is named.
mkdir zips
(cd cards && zip -q -X ../zips/export.zip front.png)
run scan --format jsonl zips
is "$(found "$OUT" export.zip | tr '\n' ' ')" "front.png idcard.image qr front.png vn.cccd ocr front.png vn.cccd qr " \
	"a card inside a zip: findings under its member name"

# The configuration: ocr = no as --no-ocr; languages whose data is missing
# are an outcome, not a silent nothing (QR codes are still read).
printf '[scan]\nocr = no\n' >no-ocr.conf
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 -c no-ocr.conf --format jsonl cards/front-noqr.jpg
is "$RC:$OUT" "0:" "ocr = no: the front without QR code is not read"
printf '[scan]\nocr_languages = vie+xx_missing\n' >missing.conf
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 -c missing.conf --format jsonl cards/front.png
is "$(found "$OUT" front.png)" "null coverage.unsupported metadata
null idcard.image qr
null vn.cccd qr" "ocr_languages without their data: coverage.unsupported, the QR code still read"

# --- hostile images ---------------------------------------------------------------
# PNG chunks with their CRCs (perl's core Compress::Zlib).
png() { # W H BITDEPTH COLOURTYPE RAW-ZERO-ROWS
	perl -MCompress::Zlib -e '
		my ($w, $h, $depth, $type, $rows) = @ARGV;
		sub chunk { my ($t, $d) = @_; pack("N", length $d) . $t . $d . pack("N", crc32($t . $d)) }
		my $row = "\0" x (1 + int(($w * $depth + 7) / 8));
		my $d = deflateInit(-Level => 9) or die;
		my $z = "";
		for (1 .. $rows) { my ($o) = $d->deflate($row); $z .= $o; }
		my ($o) = $d->flush(); $z .= $o;
		binmode STDOUT;
		print "\x89PNG\r\n\x1a\n", chunk("IHDR", pack("NNCCCCC", $w, $h, $depth, $type, 0, 0, 0)),
			chunk("IDAT", $z), chunk("IEND", "");' "$@"
}
mkdir hostile
png 30000 30000 8 0 0 >hostile/huge.png
png 5000 5000 8 0 5000 >hostile/bomb.png
head -c "$(($(stat -c %s "$CARDS/front-q60.jpg") / 2))" "$CARDS/front-q60.jpg" >hostile/truncated.jpg
note "bomb.png is $(stat -c %s hostile/bomb.png) bytes for 25 megapixels"
start=$(date +%s)
run scan --format jsonl hostile
is "$RC" 1 "hostile images: reported (exit 1), no crash"
is "$ERR" "" "hostile images: no decoder message on stderr"
like "$(found "$OUT" huge.png)" "null coverage.limit metadata" "a 30000x30000 PNG header: coverage.limit, not decoded"
like "$(found "$OUT" bomb.png)" "null coverage.limit metadata" "a PNG inflating a thousand times: coverage.limit"
like "$(found "$OUT" truncated.jpg)" "null coverage.corrupt metadata" "a truncated JPEG: coverage.corrupt, its top half read"
ok "hostile images take seconds, not minutes" test $(($(date +%s) - start)) -lt 30

done_testing
