#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Part of make bench: CPU milliseconds per card image (tests/data/cards) for
# decoding, QR codes, the machine-readable zone and full OCR, one thread.
# Goals: QR <= 50 ms, full OCR <= 1500 ms per card. Prints; asserts nothing.
# Usage: bench/cards.sh BUILD_DIR [ROUNDS]
set -eu
build=$1
rounds=${2:-3}
echo "== ID-card images: ms per image (goal: qr <= 50, full-ocr <= 1500)"
"$build/bench/cards" "$rounds" tests/data/cards/front.png tests/data/cards/front-q60.jpg \
	tests/data/cards/front-s60.webp tests/data/cards/front-noqr.jpg tests/data/cards/back.png \
	tests/data/cards/back-rot5.jpg tests/data/cards/back-rot90.jpg tests/data/cards/back-blur.webp tests/data/cards/back.heic \
	tests/data/cards/neg-gradient.jpg tests/data/cards/neg-text.png
