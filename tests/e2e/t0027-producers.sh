#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Documents as real producers write them: the committed files of
# tests/data/fixtures (LibreOffice's .docx .xlsx .odt .ods .pdf .doc .rtf,
# zip in zip, 7z, tar.xz, tar.zst, an e-mail with a .docx attached, a SQLite
# message store; made by tests/fixtures/make-fixtures.sh) each give their
# identifiers under the member that holds them. Then hostile documents: a
# .docx and an .xlsx cut in half, a PDF whose cross-reference table lies, a
# PDF cut short, an RTF nested 100,000 groups deep and one cut short, and
# zip bombs whose entries overlap: each is read as far as it can be and ends
# with a coverage outcome, never a silent "clean".
. "$(dirname "$0")/lib.sh"

fx=$PIIGUARD_SRC/tests/data/fixtures

findings() { # FILE: "member<TAB>rule<TAB>masked" lines of scan's jsonl, sorted
	scan --format jsonl "$1" | jl member rule masked | sort
}

# expect FILE LINES...: FILE gives exactly these findings.
expect() {
	local file=$1 want
	shift
	want=$(printf '%s\n' "$@" | sort)
	is "$(findings "$fx/$file")" "$want" "$file"
}

T=$'\t'
# --- documents --------------------------------------------------------------------------------------
expect vi-form.docx "word/document.xml${T}vn.cccd${T}052******234" "word/document.xml${T}vn.cccd${T}052******321"
expect vi-form.odt "content.xml${T}vn.cccd${T}052******234" "content.xml${T}vn.cccd${T}052******321"
expect vi-form.rtf "null${T}vn.cccd${T}052******234" "null${T}vn.cccd${T}052******321"
# The PDF's characters are laid out again by position, so the table's row
# comes right under its header row, as in .docx, .odt and .rtf.
expect vi-form.pdf "page 1${T}vn.cccd${T}052******234" "page 1${T}vn.cccd${T}052******321"
# The .doc's text runs read Word's cell marks as tabs and row ends.
expect vi-form.doc "null${T}vn.cccd${T}052******234" "null${T}vn.cccd${T}052******321"
expect vi-applicants.xlsx "xl/worksheets/sheet1.xml${T}vn.cccd${T}001******042" \
	"xl/worksheets/sheet1.xml${T}vn.cccd${T}079******777"
# LibreOffice's thumbnail of the sheet shows its first rows: OCR reads the
# number in it too.
expect vi-applicants.ods "content.xml#vi-applicants${T}vn.cccd${T}001******042" \
	"content.xml#vi-applicants${T}vn.cccd${T}079******777" "Thumbnails/thumbnail.png${T}vn.cccd${T}079******777"
expect zh-form.docx "word/document.xml${T}cn.ric${T}440************236"
expect zh-form.rtf "null${T}cn.ric${T}440************236"
expect fa-form.docx "word/document.xml${T}ir.national_id${T}001****679"
expect fa-form.rtf "null${T}ir.national_id${T}001****679"
expect fa-form.pdf "page 1${T}ir.national_id${T}001****679"

# --- containers -------------------------------------------------------------------------------------
expect nested.zip "inner.zip!note.txt${T}vn.cccd${T}064******345" \
	"vi-form.odt!content.xml${T}vn.cccd${T}052******234" "vi-form.odt!content.xml${T}vn.cccd${T}052******321"
expect docs.7z "vi-form.docx!word/document.xml${T}vn.cccd${T}052******234" \
	"vi-form.docx!word/document.xml${T}vn.cccd${T}052******321"
expect docs.tar.xz "note.txt${T}vn.cccd${T}064******345" \
	"vi-applicants.ods!content.xml#vi-applicants${T}vn.cccd${T}001******042" \
	"vi-applicants.ods!content.xml#vi-applicants${T}vn.cccd${T}079******777" \
	"vi-applicants.ods!Thumbnails/thumbnail.png${T}vn.cccd${T}079******777"
expect docs.tar.zst "fa-form.docx!word/document.xml${T}ir.national_id${T}001****679" \
	"zh-form.docx!word/document.xml${T}cn.ric${T}440************236"
expect mail.eml "form.docx!word/document.xml${T}vn.cccd${T}052******234" \
	"form.docx!word/document.xml${T}vn.cccd${T}052******321" \
	"headers${T}email${T}a*@example.org" "headers${T}email${T}m*****@example.gov.vn"
expect viber.db "Messages${T}vn.cccd${T}064******345"

# Every fixture is read, and the whole folder in one scan gives the sum.
run "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 2 --stats --format jsonl "$fx"
is "$RC" 1 "the fixtures folder: findings, exit 1"
like "$ERR" "piiguard: $(find "$fx" -type f | wc -l) files " "--stats counts every fixture"
is "$(count_lines "$OUT")" 36 "the fixtures folder: 36 findings"
lacks "$(printf '%s\n' "$OUT" | jl rule)" "coverage." "no fixture is reported damaged or cut"

# An RTF as Word writes it on a Vietnamese system (\ansicpg1258, \'xx bytes):
# a table row far below its header ("Số CCCD") has the column's name as
# context, since rows come out as tab-separated lines; without the header
# row the bare number is not reported.
cp1258() { # TEXT: TEXT in WINDOWS-1258, bytes past ASCII as \'xx
	printf '%s' "$1" | iconv -f UTF-8 -t WINDOWS-1258 | perl -pe 's/([\x80-\xff])/sprintf("\\\x27%02x", ord $1)/ge'
}
rtf_table() { # WITH_HEADER (yes/no): the table on stdout
	local row='\trowd\cellx800\cellx5000\cellx8000\pard\intbl '
	printf '%s\n' '{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0\froman\fcharset163 Times New Roman;}}\pard'
	[ "$1" = yes ] && printf '%sSTT\\cell %s\\cell %s\\cell\\row\n' "$row" "$(cp1258 'Họ tên')" "$(cp1258 'Số CCCD')"
	for i in 1 2 3 4 5; do
		printf '%s%s\\cell %s\\cell\\cell\\row\n' "$row" "$i" "$(cp1258 'Nguyễn Thị Phương Thảo Hoàng Lan Anh')"
	done
	printf '%s6\\cell %s\\cell 052195004321\\cell\\row\\pard\\par}\n' "$row" "$(cp1258 'Trần Thị Bình')"
}
rtf_table yes >table.rtf
rtf_table no >bare.rtf
is "$(findings table.rtf)" "null${T}vn.cccd${T}052******321" "an RTF table in cp1258: the last row, by its column header"
is "$(findings bare.rtf)" "" "... and without the header row, the bare number is not reported"

# --- hostile documents --------------------------------------------------------------------------------
# rules FILE: the rules scan gives for FILE, one line each.
rules() { scan --format jsonl "$1" | jl rule; }

half() { head -c $(($(stat -c %s "$1") / 2)) "$1" >"$2"; }
half "$fx/vi-form.docx" cut.docx
run scan --format jsonl cut.docx
like "$(printf '%s\n' "$OUT" | jl rule)" "coverage\\.corrupt" "a .docx cut in half: coverage.corrupt"
is "$RC" 1 "... which is a finding: exit 1, not a silent clean"
half "$fx/vi-applicants.xlsx" cut.xlsx
like "$(rules cut.xlsx)" "coverage\\.corrupt" "an .xlsx cut in half: coverage.corrupt"

# A PDF whose xref offsets are all wrong by 7, and one whose startxref points
# past the end: poppler rebuilds the table and the text is still read.
perl -0pe 's/^(\d{10})( \d{5} n)/sprintf("%010d", $1 + 7) . $2/gme' "$fx/vi-form.pdf" >badxref.pdf
isnt "$(cmp badxref.pdf "$fx/vi-form.pdf" 2>&1)" "" "the xref of badxref.pdf was changed"
is "$(findings badxref.pdf)" "page 1${T}vn.cccd${T}052******234
page 1${T}vn.cccd${T}052******321" "a PDF with wrong xref offsets: its text still read"
perl -0pe 's/startxref\s+\d+/startxref\n99999999/' "$fx/vi-form.pdf" >badstart.pdf
is "$(findings badstart.pdf)" "page 1${T}vn.cccd${T}052******234
page 1${T}vn.cccd${T}052******321" "a PDF whose startxref points nowhere: still read"
head -c 12000 "$fx/vi-form.pdf" >cut.pdf
like "$(rules cut.pdf)" "coverage\\.corrupt" "a PDF cut short: coverage.corrupt"

# RTF: 100,000 nested groups around the text, and a file cut short.
{
	printf '{\\rtf1\\ansi '
	head -c 100000 /dev/zero | tr '\0' '{'
	printf 'S\\u7889? CCCD: 052090001234\\par '
	head -c 100000 /dev/zero | tr '\0' '}'
	printf '}'
} >deep.rtf
run scan --format jsonl deep.rtf
is "$(printf '%s\n' "$OUT" | jl rule | sort | tr '\n' ' ')" "coverage.limit vn.cccd " \
	"an RTF 100,000 groups deep: coverage.limit, and its text still read"
half "$fx/vi-form.rtf" cut.rtf
like "$(rules cut.rtf)" "coverage\\.corrupt" "an RTF cut in half: coverage.corrupt"

# Zip bombs whose entries overlap. overlap_zip OUT N KIND: N central
# directory entries over one 1 MiB kernel; KIND "same" points them all at one
# local header, "quoted" gives each its own header inside the previous
# entry's deflate stream (stored blocks quote the next header), so each
# entry expands to the kernel and all the headers after it.
overlap_zip() {
	perl -MCompress::Zlib=crc32 -MIO::Compress::RawDeflate=rawdeflate -e '
		my ($out, $n, $kind) = @ARGV;
		my $kdata = "S\xe1\xbb\x91 CCCD: 052090001234\n" . ("\0" x (1 << 20));
		rawdeflate(\$kdata => \my $kernel) or die;
		sub lfh { pack("VvvvvvVVVvv", 0x04034b50, 20, 0, 8, 0, 0x21, @_[1..3], length $_[0], 0) . $_[0] }
		sub cdh { pack("VvvvvvvVVVvvvvvVV", 0x02014b50, 20, 20, 0, 8, 0, 0x21, @_[1..3], length $_[0],
			0, 0, 0, 0, 0, $_[4]) . $_[0] }
		my ($body, $cd) = ("", "");
		if ($kind eq "same") {
			my @m = (crc32($kdata), length $kernel, length $kdata);
			$body = lfh("kernel.txt", @m) . $kernel;
			$cd .= cdh(sprintf("f%05d.txt", $_), @m, 0) for 1 .. $n;
		} else {
			my ($plain, $comp, @h, @m) = ($kdata, $kernel);
			for my $i (reverse 1 .. $n) {
				$m[$i] = [crc32($plain), length $comp, length $plain];
				$h[$i] = lfh(sprintf("f%03d.txt", $i), @{$m[$i]});
				$plain = $h[$i] . $plain;
				$comp = pack("Cvv", 0, length $h[$i], 0xffff ^ length $h[$i]) . $h[$i] . $comp;
			}
			$body = $h[1] . substr($comp, 5 + length $h[1]);
			my $off = 0;
			for my $i (1 .. $n) {
				$cd .= cdh(sprintf("f%03d.txt", $i), @{$m[$i]}, $off);
				$off += length($h[$i]) + 5;
			}
		}
		open my $f, ">:raw", $out or die "$out: $!";
		print $f $body, $cd, pack("VvvvvVVv", 0x06054b50, 0, 0, $n, $n, length $cd, length $body, 0);
	' "$@"
}
overlap_zip quoted.zip 200 quoted
start=$(date +%s)
run scan --format jsonl quoted.zip
contains "$(printf '%s\n' "$OUT" | jl rule)" "coverage.limit" \
	"200 overlapping entries, 200 MiB from 20 KiB: coverage.limit"
like "$(printf '%s\n' "$OUT" | jl masked)" "200 times" "... for the expansion ratio"
ok "... and within seconds" test $(($(date +%s) - start)) -lt 20
overlap_zip same.zip 2000 same
run scan --format jsonl same.zip
is "$(printf '%s\n' "$OUT" | jl member rule)" "kernel.txt${T}vn.cccd" \
	"2000 entries on one local header: read once (libarchive keeps one entry per offset)"

done_testing
