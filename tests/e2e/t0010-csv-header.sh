#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A CSV header naming an identifier ("Số CCCD", "身份证号", "کد ملی") is
# context for every cell of its column (identifiers.md 1.5), however far from
# the header the row is; the same rows under a neutral header are not
# reported (or, for Persian digits, which are enough by themselves to report
# a code melli, only with a lower confidence).
. "$(dirname "$0")/lib.sh"

ROWS=40

# mkcsv FILE HEADER VALUE_FMT: a header row and ROWS rows "N,Name N,VALUE,ok"
# where VALUE is printf VALUE_FMT N.
mkcsv() {
	local i
	{
		printf '%s\n' "$2"
		for ((i = 1; i <= ROWS; i++)); do
			# shellcheck disable=SC2059
			printf "%d,Nguyen Van %d,%s,ok\n" "$i" "$i" "$(printf "$3" "$i")"
		done
	} >"$1"
}

# report FILE [ARGS]: "RULE LINE" of each finding.
report() {
	local f=$1
	shift
	scan --format jsonl "$@" "$f" | jl rule line | tr '\t' ' '
}

# every RULE: "RULE 2" .. "RULE ROWS+1", the lines of all data rows.
every() {
	local i
	for ((i = 2; i <= ROWS + 1; i++)); do
		echo "$1 $i"
	done
}

# --- Vietnamese: CCCD column ---------------------------------------------------------------
mkcsv vn.csv 'STT,Họ tên,Số CCCD,Ghi chú' '05209%07d'
mkcsv vn-neutral.csv 'STT,Name,Code,Note' '05209%07d'
is "$(report vn.csv)" "$(every vn.cccd)" "vi header 'Số CCCD': every bare CCCD of the column is reported"
is "$(report vn-neutral.csv)" "" "the same rows under a neutral header: nothing reported"
mkcsv vn-noheader.csv '1,Nguyen Van 0,052090000000,ok' '05209%07d'
is "$(report vn-noheader.csv)" "" "the same rows without a header row: nothing reported"

# A header naming the column without diacritics works too.
mkcsv vn-ascii.csv 'stt,ho ten,so cccd,ghi chu' '05209%07d'
is "$(report vn-ascii.csv)" "$(every vn.cccd)" "header 'so cccd' without diacritics: every CCCD reported"

# The header applies to its own column only.
{
	printf 'STT,Số CCCD,Mã hồ sơ\n'
	for ((i = 1; i <= ROWS; i++)); do
		printf '%d,05209%07d,07920%07d\n' "$i" "$i" "$i"
	done
} >vn-two.csv
# (The first data row, line 2, is within the context window of the header text itself, so only
# the rows below it show what the column context does.)
got=$(scan --format jsonl vn-two.csv | jl rule line masked | awk -F'\t' '$2 >= 3 { print $1, substr($3, 1, 3) }' | sort | uniq -c | awk '{ print $2, $3, $1 }')
is "$got" "vn.cccd 052 $((ROWS - 1))" "header 'Số CCCD' on column 2: column 3 (079...) is not reported"

# --- Chinese: legacy 15-digit resident ID, which needs context ------------------------------
mkcsv zh.csv '序号,姓名,身份证号,备注' '110105491231002'
mkcsv zh-neutral.csv 'id,name,code,note' '110105491231002'
is "$(report zh.csv)" "$(every cn.ric)" "zh header '身份证号': every 15-digit ID of the column is reported"
is "$(report zh-neutral.csv)" "" "the same rows under a neutral header: nothing reported"

# --- Persian: code melli ------------------------------------------------------------------
# ASCII digits need the header: without it nothing in the rows is Persian.
mkcsv fa.csv 'ردیف,نام,کد ملی,توضیحات' '0012345679'
mkcsv fa-neutral.csv 'row,name,code,note' '0012345679'
is "$(report fa.csv)" "$(every ir.national_id)" "fa header 'کد ملی': every code melli (ASCII digits) is reported"
is "$(report fa-neutral.csv)" "" "the same rows under a neutral header: nothing reported"

# Persian digits are enough to report a code melli (ir.rules: a bare
# Arabic-Indic one is a match example), so the header shows as confidence.
mkcsv fa-digits.csv 'ردیف,نام,کد ملی,توضیحات' '۰۰۱۲۳۴۵۶۷۹'
mkcsv fa-digits-neutral.csv 'row,name,code,note' '۰۰۱۲۳۴۵۶۷۹'
is "$(report fa-digits.csv)" "$(every ir.national_id)" "fa header 'کد ملی': every Persian-digit code melli is reported"
is "$(scan --format jsonl fa-digits.csv | jl fingerprint | sort -u)" "$(fingerprint 0012345679)" \
	"Persian digits: the fingerprint of the ASCII value"
is "$(report fa-digits.csv --min-confidence 0.75)" "$(every ir.national_id)" \
	"with the header, every Persian-digit code melli reaches 0.75"
is "$(report fa-digits-neutral.csv --min-confidence 0.75)" "" \
	"under a neutral header, none of them reaches 0.75"
low=$(scan --format jsonl fa-digits-neutral.csv | jl confidence | sort -u)
high=$(scan --format jsonl fa-digits.csv | jl confidence | sort -u | head -1)
# shellcheck disable=SC2016 # perl code, expanded by perl
ok "the header raises the confidence ($low -> $high)" perl -e 'exit !($ARGV[1] > $ARGV[0])' "${low:-0}" "${high:-0}"

# --- spreadsheet cells that lost their leading zeros (identifiers.md 1.5) ---------------------
mkcsv vn-lz.csv 'STT,Họ tên,Số CCCD,Ghi chú' '5209%07d'
mkcsv vn-lz-neutral.csv 'STT,Name,Code,Note' '5209%07d'
is "$(report vn-lz.csv)" "$(every vn.cccd)" "'Số CCCD' column of 11-digit numbers: every one reported"
is "$(scan --format jsonl vn-lz.csv | jl masked fingerprint | sed -n 7p)" \
	"052******007	$(fingerprint 052090000007)" "an 11-digit cell is the CCCD with its leading zero back"
is "$(report vn-lz-neutral.csv)" "" "11-digit numbers under a neutral header: nothing reported"

mkcsv fa-lz.csv 'ردیف,نام,کد ملی,توضیحات' '12345679'
mkcsv fa-lz-neutral.csv 'row,name,code,note' '12345679'
is "$(report fa-lz.csv)" "$(every ir.national_id)" "'کد ملی' column of 8-digit numbers: every one reported"
is "$(scan --format jsonl fa-lz.csv | jl masked fingerprint | sort -u)" \
	"001****679	$(fingerprint 0012345679)" "an 8-digit cell is the code melli with its leading zeros back"
is "$(report fa-lz-neutral.csv)" "" "8-digit numbers under a neutral header: nothing reported"

done_testing
