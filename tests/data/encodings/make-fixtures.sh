#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Regenerates the encoded fixtures of this directory from the UTF-8 texts
# below, with printf and iconv(1) only, so that the same run gives the same
# bytes; the outputs are committed and tests/unit/test_decode.c holds the same
# texts as its expected decodings, so change both together. Every identifier is
# synthetic (see README); never put a real person's number here.
set -eu

cd "$(dirname "$0")"
# Byte semantics for sed and a fixed message language.
LC_ALL=C
export LC_ALL

# Vietnamese form, precomposed (NFC) throughout, so that WINDOWS-1258 can
# encode it. The CCCD number is in ASCII digits, as in every encoding.
vi_nfc() {
	printf '%s\n' \
		'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' \
		'Độc lập - Tự do - Hạnh phúc' \
		'TỜ KHAI THÔNG TIN CƯ TRÚ (dữ liệu thử nghiệm, không phải người thật)' \
		'Họ, chữ đệm và tên: Nguyễn Văn Mẫu' \
		'Số CCCD: 052090001234' \
		'Ngày, tháng, năm sinh: 15/06/1990' \
		'Giới tính: Nam' \
		'Quê quán: xã Phước Thuận, huyện Tuy Phước, tỉnh Bình Định' \
		'Nơi thường trú: số 12 đường Trần Hưng Đạo, thành phố Quy Nhơn' \
		'Tôi xin cam đoan những lời khai trên là đúng sự thật.'
}

# The ID line once more in decomposed form (NFD): "o" + U+0302 + U+0301,
# as text copied from a macOS file name or some web forms arrives.
vi_nfd_line() {
	printf 'So\314\202\314\201 CCCD: 052090001234\n'
}

vi_full() {
	vi_nfc
	vi_nfd_line
}

# Chinese form; every character is in GBK.
zh_gbk() {
	printf '%s\n' \
		'居民身份证信息登记表（测试数据，非真实个人）' \
		'姓名：李样例' \
		'性别：女' \
		'民族：汉' \
		'出生日期：1949年12月31日' \
		'住址：北京市朝阳区示例路1号' \
		'身份证号：11010519491231002X' \
		'签发机关：北京市公安局朝阳分局' \
		'有效期限：2010.01.01-长期'
}

# Plus a character outside the BMP (U+20BB7), which GB18030 encodes in four
# bytes and UTF-16 as a surrogate pair, and which GBK cannot encode.
zh_full() {
	zh_gbk
	printf '%s\n' '备注：生僻字𠮷（四字节编码）'
}

# Persian form with Persian digits (U+06F0..) on the code melli line and
# Arabic-Indic digits (U+0660..) on the second number line.
fa_full() {
	printf '%s\n' \
		'فرم ثبت اطلاعات فردی (داده آزمایشی، شخص واقعی نیست)' \
		'نام و نام خانوادگی: علی نمونه' \
		'نام پدر: محمد' \
		'کد ملی: ۰۰۱۲۳۴۵۶۷۹' \
		'شماره ملی: ٠٠١٢٣٤٥٦٧٩' \
		'تاریخ تولد: ۱۳۶۹/۰۶/۲۵' \
		'محل صدور: تهران' \
		'نشانی: تهران، خیابان آزادی، کوچه نمونه، پلاک ۱۲' \
		'اینجانب صحت اطلاعات بالا را تأیید می‌کنم.'
}

# WINDOWS-1256 has neither Persian nor Arabic-Indic digits nor the Persian
# yeh U+06CC, so legacy files used ASCII digits and the Arabic yeh U+064A.
# One expression per character: in the C locale a bracket would match bytes.
fa_cp1256_src() {
	fa_full | sed \
		-e 's/ی/ي/g' \
		-e 's/۰/0/g' -e 's/٠/0/g' -e 's/۱/1/g' -e 's/١/1/g' \
		-e 's/۲/2/g' -e 's/٢/2/g' -e 's/۳/3/g' -e 's/٣/3/g' \
		-e 's/۴/4/g' -e 's/٤/4/g' -e 's/۵/5/g' -e 's/٥/5/g' \
		-e 's/۶/6/g' -e 's/٦/6/g' -e 's/۷/7/g' -e 's/٧/7/g' \
		-e 's/۸/8/g' -e 's/٨/8/g' -e 's/۹/9/g' -e 's/٩/9/g'
}

utf8_bom() { printf '\357\273\277'; }
utf16le_bom() { printf '\377\376'; }
utf16be_bom() { printf '\376\377'; }

vi_full >vi-utf8.txt
{ utf8_bom; vi_full; } >vi-utf8-bom.txt
{ utf16le_bom; vi_full | iconv -f UTF-8 -t UTF-16LE; } >vi-utf16le-bom.txt
{ utf16be_bom; vi_full | iconv -f UTF-8 -t UTF-16BE; } >vi-utf16be-bom.txt
vi_full | iconv -f UTF-8 -t UTF-16LE >vi-utf16le-nobom.txt
vi_nfc | iconv -f UTF-8 -t WINDOWS-1258 >vi-cp1258.txt

zh_full >zh-utf8.txt
zh_full | iconv -f UTF-8 -t GB18030 >zh-gb18030.txt
zh_gbk | iconv -f UTF-8 -t GBK >zh-gbk.txt
zh_full | iconv -f UTF-8 -t UTF-16LE >zh-utf16le.txt

fa_full >fa-utf8.txt
{ utf16le_bom; fa_full | iconv -f UTF-8 -t UTF-16LE; } >fa-utf16le-bom.txt
fa_cp1256_src | iconv -f UTF-8 -t WINDOWS-1256 >fa-cp1256.txt

{ vi_full; zh_full; fa_full; } >mixed.txt
