#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The adversarial corpus a kiosk user can make for free, each file ending
# with an outcome within the limits while the next file is still scanned:
# compressed files nested 1,000 deep, a 10 GiB sparse file (its holes are
# skipped, its data still read), a 1 GiB file that is a single line, a PDF
# whose page tree refers to itself. (Links, FIFOs, devices and hostile names
# are in t0005 and t0006; zip bombs and deep zips in t0024.) Every scan runs
# under `timeout` so that a hang fails the test instead of stalling CI.
. "$(dirname "$0")/lib.sh"

scan_bounded() { # FILE...: scan with a generous time bound; RC 124 means it hung
	run timeout 300 "$PIIGUARD" scan --no-store --key-file "$KEY" --jobs 1 --format jsonl "$@"
}

printf 'Số CCCD: 052090001234\n' >next.txt

# --- 1,000 levels of gzip --------------------------------------------------------------------
printf 'Số CCCD: 079203000777\n' >deep.txt
for _ in $(seq 1 1000); do
	gzip -n -c deep.txt >deep.txt.gz && mv deep.txt.gz deep.txt
done
scan_bounded deep.txt next.txt
is "$RC" 1 "gzip 1,000 deep: the scan ends (exit 1: the next file's finding)"
contains "$(printf '%s\n' "$OUT" | jl path rule)" "deep.txt	coverage.limit" "gzip 1,000 deep: coverage.limit"
like "$(printf '%s\n' "$OUT" | jl masked)" "more layers than can be undone" "... that says why"
lacks "$(printf '%s\n' "$OUT" | jl masked)" "079" "... and the innermost number is not reached"
contains "$(printf '%s\n' "$OUT" | jl path rule)" "next.txt	vn.cccd" "... and the next file is scanned"
rm -f deep.txt

# --- a 10 GiB sparse file --------------------------------------------------------------------
truncate -s 10G sparse.txt
printf 'Số CCCD: 079203000777\n' | dd of=sparse.txt bs=1 seek=5000000000 conv=notrunc status=none
printf 'Số CMND: 215123456\n' | dd of=sparse.txt bs=1 seek=$((10 * 1024 * 1024 * 1024 - 100)) conv=notrunc status=none
scan_bounded sparse.txt next.txt
isnt "$RC" 124 "10 GiB sparse file: the scan ends"
is "$(printf '%s\n' "$OUT" | jl path rule masked | sort | tr '\n' ' ')" \
	"next.txt	vn.cccd	052******234 sparse.txt	vn.cccd	079******777 sparse.txt	vn.cmnd	21*****56 " \
	"10 GiB sparse file: the data in the middle and at the end is read, the holes are not"
rm -f sparse.txt

# --- a 1 GiB single line ---------------------------------------------------------------------
{
	head -c $((512 * 1024 * 1024)) /dev/zero | tr '\0' 'a'
	printf ' Số CCCD: 079203000777 '
	head -c $((512 * 1024 * 1024)) /dev/zero | tr '\0' 'b'
	printf ' Số CMND: 215123456'
} >line.txt
scan_bounded line.txt next.txt
isnt "$RC" 124 "1 GiB single line: the scan ends"
is "$(printf '%s\n' "$OUT" | jl path rule line | sort | tr '\n' ' ')" \
	"line.txt	vn.cccd	1 line.txt	vn.cmnd	1 next.txt	vn.cccd	1 " \
	"1 GiB single line: both numbers found on line 1, memory bounded by chunks"
rm -f line.txt

# --- a PDF whose page tree refers to itself ---------------------------------------------------
perl -e '
	my @obj = (
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
		"<< /Length 44 >>\nstream\nBT /F1 12 Tf 10 10 Td (052090001234) Tj ET\nendstream",
	);
	my $pdf = "%PDF-1.4\n";
	my @off;
	for my $i (0 .. $#obj) { push @off, length $pdf; $pdf .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n"; }
	my $xref = length $pdf;
	$pdf .= "xref\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
	$pdf .= sprintf("%010d 00000 n \n", $_) for @off;
	$pdf .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\nstartxref\n$xref\n%%EOF\n";
	print $pdf;' >loop.pdf
scan_bounded loop.pdf next.txt
isnt "$RC" 124 "PDF with a page tree loop: the scan ends"
contains "$(printf '%s\n' "$OUT" | jl path rule)" "next.txt	vn.cccd" "PDF with a page tree loop: the next file is scanned"
like "$(printf '%s\n' "$OUT" | jl path rule | grep loop.pdf | head -1)" "loop.pdf	(coverage\\.|vn\\.cccd)" \
	"PDF with a page tree loop: an outcome or its text, never a silent clean"

done_testing
