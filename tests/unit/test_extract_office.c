/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of extract_office.c through the real framework (extract_new,
 * then extract_file on a temporary file): .docx, .xlsx, .odt and .ods files
 * are built here (OOXML with libarchive's zip writer, OpenDocument with a
 * small stored-zip writer, since its "mimetype" must sit at offset 30 with no
 * extra field) and each member's text and coverage outcome is checked, along
 * with hostile ones: malformed parts, encrypted members, external entities,
 * entity and repetition bombs. Every identifier is synthetic.
 * PIIGUARD_OFFICE_CORPUS=dir also writes seeds for tests/fuzz/corpus/extract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect.h"
#include "extract.h"
#include "extract_record.h"
#include "match.h"
#include "rules.h"

/* --- recording what the framework tells ------------------------------------ */

static struct extract *ctx;

/* --- building files ------------------------------------------------------- */

struct part {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
};

#define ZIP_MAX (4u << 20)

static size_t part_len(const struct part *p)
{
	return p->len ? p->len : strlen(p->data);
}

/* A zip of parts with libarchive's writer (deflated, or encrypted with the
 * traditional PKWARE cipher under passphrase), as Office writes them. */
static size_t zip_deflated(const struct part *parts, size_t n, const char *passphrase, unsigned char *out)
{
	struct archive *a = archive_write_new();
	size_t used = 0;

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	if (passphrase) {
		if (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK) {
			archive_write_free(a);
			return 0;
		}
		assert_int_equal(archive_write_set_passphrase(a, passphrase), ARCHIVE_OK);
	}
	assert_int_equal(archive_write_open_memory(a, out, ZIP_MAX, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = part_len(&parts[i]);
		assert_non_null(e);
		archive_entry_set_pathname(e, parts[i].name);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, parts[i].data, len), (la_ssize_t)len);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return used;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static void put16(unsigned char **o, unsigned v)
{
	(*o)[0] = (unsigned char)v;
	(*o)[1] = (unsigned char)(v >> 8);
	*o += 2;
}

static void put32(unsigned char **o, uint32_t v)
{
	put16(o, v & 0xFFFFu);
	put16(o, v >> 16);
}

static void put_bytes(unsigned char **o, const void *p, size_t n)
{
	memcpy(*o, p, n);
	*o += n;
}

/* A zip of stored parts with no extra fields, as OpenDocument requires for
 * its first part, "mimetype". */
static size_t zip_stored(const struct part *parts, size_t n, unsigned char *out)
{
	unsigned char *o = out, *central;
	uint32_t offsets[32], crcs[32];

	assert_true(n <= 32);
	for (size_t i = 0; i < n; i++) {
		size_t len = part_len(&parts[i]), name = strlen(parts[i].name);
		offsets[i] = (uint32_t)(o - out);
		crcs[i] = crc32_of((const unsigned char *)parts[i].data, len);
		put32(&o, 0x04034b50u);
		put16(&o, 20);
		put16(&o, 0x0800); /* UTF-8 names */
		put16(&o, 0);      /* stored */
		put16(&o, 0);
		put16(&o, 0x21); /* 1980-01-01 */
		put32(&o, crcs[i]);
		put32(&o, (uint32_t)len);
		put32(&o, (uint32_t)len);
		put16(&o, (unsigned)name);
		put16(&o, 0);
		put_bytes(&o, parts[i].name, name);
		put_bytes(&o, parts[i].data, len);
	}
	central = o;
	for (size_t i = 0; i < n; i++) {
		size_t len = part_len(&parts[i]), name = strlen(parts[i].name);
		put32(&o, 0x02014b50u);
		put16(&o, 20);
		put16(&o, 20);
		put16(&o, 0x0800);
		put16(&o, 0);
		put16(&o, 0);
		put16(&o, 0x21);
		put32(&o, crcs[i]);
		put32(&o, (uint32_t)len);
		put32(&o, (uint32_t)len);
		put16(&o, (unsigned)name);
		put16(&o, 0);
		put16(&o, 0);
		put16(&o, 0);
		put16(&o, 0);
		put32(&o, 0);
		put32(&o, offsets[i]);
		put_bytes(&o, parts[i].name, name);
	}
	put32(&o, 0x06054b50u);
	put16(&o, 0);
	put16(&o, 0);
	put16(&o, (unsigned)n);
	put16(&o, (unsigned)n);
	put32(&o, (uint32_t)(o - central - 12));
	put32(&o, (uint32_t)(central - out));
	put16(&o, 0);
	return (size_t)(o - out);
}

#define NPARTS(a) (sizeof(a) / sizeof((a)[0]))

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W     "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_MC    "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_S     "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static const char docx_types[] =
        XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                 "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";

static const char docx_rels[] =
        XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                 "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                 "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

static const char docx_document[] =
        XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:mc=\"" NS_MC "\"><w:body>\n"
                 "<w:p><w:r><w:t>Số CCCD: 052090001234</w:t></w:r></w:p>\n"
                 "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                 "<w:r><w:t>Họ tên</w:t></w:r><w:r><w:tab/><w:t>Nguyễn Văn An</w:t><w:br/>"
                 "<w:t xml:space=\"preserve\">Ngày sinh: </w:t></w:r>"
                 "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                 "<w:r><w:instrText xml:space=\"preserve\"> DATE \\@ \"dd/MM/yyyy\" </w:instrText></w:r>"
                 "<w:r><w:t>01/01/1990</w:t></w:r><w:del><w:r><w:delText> cũ</w:delText></w:r></w:del></w:p>\n"
                 "<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>Số CCCD</w:t></w:r></w:p></w:tc>"
                 "<w:tc><w:p><w:r><w:t>052090001234</w:t></w:r></w:p><w:p><w:r><w:t>(bản sao)</w:t></w:r></w:p></w:tc>"
                 "</w:tr>\n<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>Số CCCD: 052090001234</w:t></w:r></w:p>"
                 "</w:tc></w:tr></w:tbl>\n"
                 "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:t>hộp chữ</w:t></mc:Choice>"
                 "<mc:Fallback><w:t>hộp chữ</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>\n"
                 "<w:sectPr/></w:body></w:document>";

static const char docx_document_text[] = "Số CCCD: 052090001234\n"
                                         "Họ tên\tNguyễn Văn An\n"
                                         "Ngày sinh: 01/01/1990 cũ\n"
                                         "Số CCCD\t052090001234 (bản sao)\n"
                                         "\tSố CCCD: 052090001234\n"
                                         "hộp chữ\n";

static const char docx_header[] = XML_DECL "<w:hdr xmlns:w=\"" NS_W "\"><w:p><w:r><w:t>UBND xã Phước Thuận</w:t>"
                                           "</w:r></w:p></w:hdr>";

static const char docx_core[] =
        XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
                 "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                 "  <dc:title>Tờ khai căn cước</dc:title>\n  <dc:creator>Nguyễn Văn An</dc:creator>\n"
                 "</cp:coreProperties>";

static const char docx_styles[] = XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:style w:styleId=\"a\"><w:name "
                                           "w:val=\"Normal\"/></w:style></w:styles>";

static const struct part docx_parts[] = {
        {"[Content_Types].xml", docx_types, 0},  {"_rels/.rels", docx_rels, 0},
        {"word/document.xml", docx_document, 0}, {"word/header1.xml", docx_header, 0},
        {"word/styles.xml", docx_styles, 0},     {"word/media/image1.png", "ảnh chụp CCCD", 0},
        {"docProps/core.xml", docx_core, 0},
};

static const char xlsx_sheet[] =
        XML_DECL "<worksheet xmlns=\"" NS_S "\"><sheetData>\n"
                 "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                 "<c r=\"C1\" t=\"s\"><v>2</v></c></row>\n"
                 "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
                 "<c r=\"C2\" s=\"1\"><v>52090001234</v></c></row>\n"
                 "<row r=\"3\"/>\n"
                 "<row r=\"4\"><c r=\"A4\"><v>2</v></c><c r=\"D4\" t=\"inlineStr\"><is><t>a, \"b\"_x000D_c</t>"
                 "<rPh><t>phonetic</t></rPh></is></c><c t=\"str\"><f>A4&amp;\"x\"</f><v>2x</v></c></row>\n"
                 "<row r=\"5\"><c r=\"XFD5\" t=\"s\"><v>3</v></c></row>\n"
                 "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>99</v></c></row>\n"
                 "</sheetData><headerFooter><oddHeader>&amp;CDanh sách</oddHeader></headerFooter></worksheet>";

static const char xlsx_shared[] = XML_DECL "<sst xmlns=\"" NS_S "\" count=\"4\" uniqueCount=\"4\">"
                                           "<si><t>STT</t></si><si><t>Họ tên</t></si>"
                                           "<si><r><t xml:space=\"preserve\">Số </t></r><r><t>CCCD</t></r>"
                                           "<rPh sb=\"0\" eb=\"1\"><t>ソ</t></rPh></si>"
                                           "<si><t>Nguyễn Văn An</t></si></sst>";

/* The sheet comes before the shared strings, as some writers put them. */
static const struct part xlsx_parts[] = {
        {"[Content_Types].xml", docx_types, 0},
        {"xl/worksheets/sheet1.xml", xlsx_sheet, 0},
        {"xl/sharedStrings.xml", xlsx_shared, 0},
        {"xl/styles.xml", "<styleSheet/>", 0},
};

#define NS_ODF                                                                                                         \
	" xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""                                           \
	" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""                                             \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""                                               \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""                                             \
	" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""                                               \
	" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""

static const char odt_content[] =
        XML_DECL "<office:document-content" NS_ODF " office:version=\"1.3\">"
                 "<office:automatic-styles><style:style style:name=\"P1\"/></office:automatic-styles>"
                 "<office:body><office:text>\n"
                 "<text:h text:outline-level=\"1\">TỜ KHAI CĂN CƯỚC</text:h>\n"
                 "<text:p>Số CCCD:<text:s/><text:span>052090001234</text:span></text:p>\n"
                 "<text:p>Họ tên<text:tab/>Nguyễn Văn An<text:line-break/>Nơi cư trú:<text:s text:c=\"3\"/>Hà "
                 "Nội</text:p>\n"
                 "<table:table table:name=\"Bảng1\"><table:table-column table:number-columns-repeated=\"2\"/>"
                 "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Số CCCD</text:p>"
                 "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>052090001234</text:p>"
                 "<text:p>bản sao, có công chứng</text:p></table:table-cell></table:table-row></table:table>\n"
                 "<text:p>Ghi chú<text:note><text:note-citation>1</text:note-citation><text:note-body>"
                 "<text:p>chú thích</text:p></text:note-body></text:note></text:p>\n"
                 "<text:p>Văn bản<office:annotation><dc:creator>Trần Thị Bình</dc:creator>"
                 "<dc:date>2024-01-01T00:00:00</dc:date><text:p>cần sửa</text:p></office:annotation></text:p>\n"
                 "</office:text></office:body></office:document-content>";

static const char odt_content_text[] = "TỜ KHAI CĂN CƯỚC\n"
                                       "Số CCCD: 052090001234\n"
                                       "Họ tên\tNguyễn Văn An\n"
                                       "Nơi cư trú:   Hà Nội\n"
                                       "Số CCCD,\"052090001234 bản sao, có công chứng\"\n"
                                       "Ghi chú\n"
                                       "chú thích\n"
                                       "Văn bản\n"
                                       "Trần Thị Bình\n"
                                       "cần sửa\n";

static const char odt_styles[] =
        XML_DECL "<office:document-styles" NS_ODF "><office:styles><style:style style:name=\"Standard\">"
                 "<style:text-properties/></style:style><text:outline-style><text:outline-level-style "
                 "text:level=\"1\"><style:list-level-properties/></text:outline-level-style></text:outline-style>"
                 "</office:styles><office:master-styles><style:master-page style:name=\"Standard\">"
                 "<style:header><text:p>Ủy ban nhân dân xã</text:p></style:header>"
                 "<style:footer><text:p>Trang <text:page-number>1</text:page-number></text:p></style:footer>"
                 "</style:master-page></office:master-styles></office:document-styles>";

static const char odt_meta[] = XML_DECL "<office:document-meta" NS_ODF "><office:meta>\n"
                                        "  <meta:initial-creator>Nguyễn Văn An</meta:initial-creator>\n"
                                        "  <dc:creator>Trần Thị Bình</dc:creator>\n"
                                        "  <dc:title>Tờ khai</dc:title>\n"
                                        "  <meta:document-statistic meta:page-count=\"1\"/>\n"
                                        "</office:meta></office:document-meta>";

static const char odt_object[] = XML_DECL "<office:document-content" NS_ODF "><office:body><office:text>"
                                          "<text:p>Đối tượng nhúng</text:p></office:text></office:body>"
                                          "</office:document-content>";

static const char odt_manifest[] =
        XML_DECL "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                 "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/"
                 "vnd.oasis.opendocument.text\"/></manifest:manifest>";

static const struct part odt_parts[] = {
        {"mimetype", "application/vnd.oasis.opendocument.text", 0},
        {"content.xml", odt_content, 0},
        {"styles.xml", odt_styles, 0},
        {"meta.xml", odt_meta, 0},
        {"settings.xml", "<office:document-settings/>", 0},
        {"Pictures/1.png", "ảnh chân dung", 0},
        {"Object 1/content.xml", odt_object, 0},
        {"META-INF/manifest.xml", odt_manifest, 0},
};

static const char ods_content[] =
        XML_DECL "<office:document-content" NS_ODF " office:version=\"1.3\"><office:body><office:spreadsheet>\n"
                 "<table:table table:name=\"Danh sách\">"
                 "<table:table-column table:number-columns-repeated=\"16384\"/>\n"
                 "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>STT</text:p>"
                 "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>Họ tên</text:p>"
                 "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>Số CCCD</text:p>"
                 "</table:table-cell><table:table-cell table:number-columns-repeated=\"16381\"/></table:table-row>\n"
                 "<table:table-row table:number-rows-repeated=\"3\"><table:table-cell "
                 "table:number-columns-repeated=\"16384\"/></table:table-row>\n"
                 "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\">"
                 "<text:p>1</text:p></table:table-cell><table:table-cell office:value-type=\"string\">"
                 "<text:p>Nguyễn Văn An</text:p></table:table-cell><table:table-cell office:value-type=\"float\" "
                 "office:value=\"52090001234\"><text:p>52,090,001,234</text:p></table:table-cell>"
                 "<table:table-cell table:number-columns-repeated=\"16381\"/></table:table-row>\n"
                 "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
                 "table:number-columns-repeated=\"2\" office:value-type=\"string\"><text:p>x</text:p>"
                 "</table:table-cell><table:table-cell/><table:table-cell office:value-type=\"string\">"
                 "<text:p>y, \"z\"</text:p><office:annotation><dc:creator>Trần Thị Bình</dc:creator>"
                 "<dc:date>2024-01-01T00:00:00</dc:date><text:p>ghi chú</text:p></office:annotation>"
                 "</table:table-cell><table:table-cell table:number-columns-repeated=\"16380\"/>"
                 "</table:table-row>\n"
                 "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell "
                 "table:number-columns-repeated=\"16384\"/></table:table-row>\n"
                 "</table:table>\n"
                 "<table:table table:name=\"Trang!2\"><table:table-row><table:table-cell "
                 "office:value-type=\"string\"><text:p>Mã định danh</text:p></table:table-cell>"
                 "</table:table-row></table:table>\n"
                 "</office:spreadsheet></office:body></office:document-content>";

static const char ods_sheet1_text[] = "STT,Họ tên,Số CCCD\n"
                                      "1,Nguyễn Văn An,52090001234\n"
                                      "x,x,,\"y, \"\"z\"\" Trần Thị Bình ghi chú\"\n"
                                      "x,x,,\"y, \"\"z\"\" Trần Thị Bình ghi chú\"\n";

static const struct part ods_parts[] = {
        {"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
        {"content.xml", ods_content, 0},
        {"META-INF/manifest.xml", odt_manifest, 0},
};

static unsigned char *zip;

static size_t build_docx(void)
{
	return zip_deflated(docx_parts, NPARTS(docx_parts), NULL, zip);
}

/* --- tests ------------------------------------------------------------------ */

static void test_docx(void **state)
{
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, build_docx(), &r);
	assert_string_equal(r.result.type, "ooxml");
	assert_string_equal(rec_text_of(&r, "word/document.xml"), docx_document_text);
	assert_string_equal(rec_text_of(&r, "word/header1.xml"), "UBND xã Phước Thuận\n");
	assert_string_equal(rec_text_of(&r, "docProps/core.xml"), "Tờ khai căn cước\nNguyễn Văn An\n");
	/* Media go back to the framework, which detects them (here as text). */
	assert_non_null(rec_text_of(&r, "word/media/image1.png"));
	assert_null(rec_text_of(&r, "word/styles.xml"));
	assert_null(rec_text_of(&r, "[Content_Types].xml"));
	assert_null(rec_text_of(&r, "_rels/.rels"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

static void test_xlsx(void **state)
{
	struct rec r;
	char expect[1024], *o = expect;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_deflated(xlsx_parts, NPARTS(xlsx_parts), NULL, zip), &r);
	assert_string_equal(r.result.type, "ooxml");
	o += sprintf(o, "STT,Họ tên,Số CCCD\n1,Nguyễn Văn An,52090001234\n2,,,\"a, \"\"b\"\" c\",2x\n");
	/* XFD5 lands on the last column the engine reads headers for, not 16383 commas on. */
	memset(o, ',', 256);
	o += 256;
	o += sprintf(o, "Nguyễn Văn An\n&CDanh sách\n");
	assert_string_equal(rec_text_of(&r, "xl/worksheets/sheet1.xml"), expect);
	assert_null(rec_text_of(&r, "xl/sharedStrings.xml"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

/* The sheet's header line gives the engine its column context: a CCCD that
 * lost its leading zero in a number cell is found in the "Số CCCD" column. */
static struct rules *rules;
static struct matcher *matcher;
static char found_value[64];
static unsigned found_count;

static void on_finding(const struct match_finding *f, void *c)
{
	(void)c;
	if (strcmp(f->rule_id, "vn.cccd") == 0) {
		snprintf(found_value, sizeof(found_value), "%s", f->value);
		found_count++;
	}
}

static void test_xlsx_header_context(void **state)
{
	struct rec r;
	const char *text;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_deflated(xlsx_parts, NPARTS(xlsx_parts), NULL, zip), &r);
	text = rec_text_of(&r, "xl/worksheets/sheet1.xml");
	assert_non_null(text);
	detect_set_year(2026);
	assert_true(rules_load(NULL, &rules, NULL, NULL) >= 0);
	assert_int_equal(match_new(rules, &matcher), 0);
	found_count = 0;
	match_begin(matcher, MATCH_DEFAULT_MIN_CONFIDENCE, on_finding, NULL);
	match_feed(matcher, text, strlen(text));
	match_end(matcher);
	assert_int_equal(found_count, 1);
	assert_string_equal(found_value, "052090001234");
	match_free(matcher);
	rules_free(rules);
	rec_free(&r);
}

static void test_odt(void **state)
{
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_stored(odt_parts, NPARTS(odt_parts), zip), &r);
	assert_string_equal(r.result.type, "odf");
	assert_string_equal(rec_text_of(&r, "content.xml"), odt_content_text);
	assert_string_equal(rec_text_of(&r, "styles.xml"), "Ủy ban nhân dân xã\nTrang 1\n");
	assert_string_equal(rec_text_of(&r, "meta.xml"), "Nguyễn Văn An\nTrần Thị Bình\nTờ khai\n");
	assert_string_equal(rec_text_of(&r, "Object 1/content.xml"), "Đối tượng nhúng\n");
	assert_non_null(rec_text_of(&r, "Pictures/1.png"));
	assert_null(rec_text_of(&r, "settings.xml"));
	assert_null(rec_text_of(&r, "mimetype"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

static void test_ods(void **state)
{
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_stored(ods_parts, NPARTS(ods_parts), zip), &r);
	assert_string_equal(r.result.type, "odf");
	/* One run per sheet, so that each sheet's first row is its header line;
	 * repeated empty cells and rows leave nothing, repeated cells with a
	 * value are written out, a number is its office:value. */
	assert_string_equal(rec_text_of(&r, "content.xml#Danh sách"), ods_sheet1_text);
	assert_string_equal(rec_text_of(&r, "content.xml#Trang_2"), "Mã định danh\n");
	assert_null(rec_text_of(&r, "content.xml"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

/* A part that breaks off: the text the reader gave before the error is kept
 * (libxml2 reads ahead, so only far enough before it), the part is reported
 * corrupt, and the other parts are read. */
static void test_malformed_part(void **state)
{
	char *broken = malloc(64 * 1024), *o = broken;
	struct rec r;
	const char *text;

	(void)state;
	assert_non_null(broken);
	o += sprintf(o, XML_DECL "<w:document xmlns:w=\"" NS_W "\"><w:body>");
	for (int i = 0; i < 500; i++)
		o += sprintf(o, "<w:p><w:r><w:t>đoạn %d trước lỗi</w:t></w:r></w:p>\n", i);
	sprintf(o, "<w:p><w:r><w:t>không đóng</w:r></w:p></w:body></w:document>");
	const struct part parts[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"word/document.xml", broken, 0},
	        {"word/header1.xml", docx_header, 0},
	        {"word/footer1.xml", "", 0},
	};
	rec_extract_bytes(ctx, zip, zip_deflated(parts, NPARTS(parts), NULL, zip), &r);
	assert_true(rec_has_coverage(&r, "word/document.xml", EXTRACT_COVERAGE_CORRUPT));
	assert_true(rec_has_coverage(&r, "word/footer1.xml", EXTRACT_COVERAGE_CORRUPT));
	assert_int_equal(r.ncovs, 2);
	text = rec_text_of(&r, "word/document.xml");
	assert_non_null(text);
	assert_true(strncmp(text, "đoạn 0 trước lỗi\nđoạn 1 trước lỗi\n",
	                    strlen("đoạn 0 trước lỗi\nđoạn 1 trước lỗi\n")) == 0);
	assert_null(strstr(text, "không đóng"));
	assert_string_equal(rec_text_of(&r, "word/header1.xml"), "UBND xã Phước Thuận\n");
	free(broken);
	rec_free(&r);
}

static void test_encrypted_member(void **state)
{
	struct rec r;
	size_t len = zip_deflated(xlsx_parts, NPARTS(xlsx_parts), "mật khẩu", zip);

	(void)state;
	if (len == 0)
		skip(); /* this libarchive cannot encrypt */
	rec_extract_bytes(ctx, zip, len, &r);
	assert_string_equal(r.result.type, "ooxml");
	assert_true(rec_has_coverage(&r, "xl/worksheets/sheet1.xml", EXTRACT_COVERAGE_ENCRYPTED));
	assert_true(rec_has_coverage(&r, "xl/sharedStrings.xml", EXTRACT_COVERAGE_ENCRYPTED));
	assert_int_equal(r.nruns, 0);
	rec_free(&r);
}

static void test_encrypted_odf(void **state)
{
	static const char manifest[] =
	        XML_DECL "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
	                 "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">"
	                 "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"AAAA\">"
	                 "<manifest:algorithm manifest:algorithm-name=\"Blowfish CFB\" "
	                 "manifest:initialisation-vector=\"AAAA\"/></manifest:encryption-data>"
	                 "</manifest:file-entry></manifest:manifest>";
	const struct part parts[] = {
	        {"mimetype", "application/vnd.oasis.opendocument.text", 0},
	        {"content.xml", "\x8f\x11\xa0 not XML: encrypted bytes", 0},
	        {"meta.xml", odt_meta, 0},
	        {"META-INF/manifest.xml", manifest, 0},
	};
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_stored(parts, NPARTS(parts), zip), &r);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_ENCRYPTED));
	assert_int_equal(r.ncovs, 1);
	assert_null(rec_text_of(&r, "content.xml"));
	assert_string_equal(rec_text_of(&r, "meta.xml"), "Nguyễn Văn An\nTrần Thị Bình\nTờ khai\n");
	rec_free(&r);
}

/* A zip that says it is OOXML but holds none of its parts: every member is
 * given back to the framework, nothing is dropped. */
static void test_not_a_document(void **state)
{
	const struct part parts[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"ghi-chu.txt", "Số CCCD: 052090001234\n", 0},
	};
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_deflated(parts, NPARTS(parts), NULL, zip), &r);
	assert_string_equal(r.result.type, "ooxml");
	assert_string_equal(rec_text_of(&r, "ghi-chu.txt"), "Số CCCD: 052090001234\n");
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_P "http://schemas.openxmlformats.org/presentationml/2006/main"

static void test_pptx(void **state)
{
	static const char slide[] = XML_DECL
	        "<p:sld xmlns:a=\"" NS_A "\" xmlns:p=\"" NS_P "\"><p:cSld><p:spTree>"
	        "<p:sp><p:txBody><a:bodyPr/><a:p><a:r><a:t>Danh sách cấp </a:t></a:r><a:r><a:t>CCCD</a:t></a:r>"
	        "</a:p><a:p><a:r><a:t>Đợt 1</a:t></a:r><a:br/><a:r><a:t>năm 2024</a:t></a:r></a:p>"
	        "</p:txBody></p:sp><p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr>"
	        "<a:tc><a:txBody><a:p><a:r><a:t>Số CCCD</a:t></a:r></a:p></a:txBody></a:tc>"
	        "<a:tc><a:txBody><a:p><a:r><a:t>052090001234</a:t></a:r></a:p></a:txBody></a:tc>"
	        "</a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>";
	static const char notes[] =
	        XML_DECL "<p:notes xmlns:a=\"" NS_A "\" xmlns:p=\"" NS_P "\"><p:cSld><p:spTree><p:sp>"
	                 "<p:txBody><a:p><a:r><a:t>Ghi chú người trình bày</a:t></a:r></a:p>"
	                 "</p:txBody></p:sp></p:spTree></p:cSld></p:notes>";
	static const char layout[] = XML_DECL "<p:sldLayout xmlns:a=\"" NS_A "\" xmlns:p=\"" NS_P "\"><a:t>Click to "
	                                      "edit</a:t></p:sldLayout>";
	const struct part parts[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"ppt/slides/slide1.xml", slide, 0},
	        {"ppt/notesSlides/notesSlide1.xml", notes, 0},
	        {"ppt/slideLayouts/slideLayout1.xml", layout, 0},
	};
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_deflated(parts, NPARTS(parts), NULL, zip), &r);
	assert_string_equal(rec_text_of(&r, "ppt/slides/slide1.xml"),
	                    "Danh sách cấp CCCD\nĐợt 1\nnăm 2024\nSố CCCD\t052090001234\n");
	assert_string_equal(rec_text_of(&r, "ppt/notesSlides/notesSlide1.xml"), "Ghi chú người trình bày\n");
	assert_null(rec_text_of(&r, "ppt/slideLayouts/slideLayout1.xml"));
	assert_int_equal(r.ncovs, 0);
	rec_free(&r);
}

/* A docx in a zip, and a docx embedded in a docx: the framework detects
 * them and calls extract_ooxml one level deeper, under joined member names. */
static void test_nested(void **state)
{
	unsigned char *inner = malloc(ZIP_MAX);
	size_t inner_len;
	struct rec r;

	(void)state;
	assert_non_null(inner);
	inner_len = zip_deflated(docx_parts, NPARTS(docx_parts), NULL, inner);
	const struct part outer[] = {
	        {"hồ sơ/tờ khai.docx", (const char *)inner, inner_len},
	};
	rec_extract_bytes(ctx, zip, zip_deflated(outer, NPARTS(outer), NULL, zip), &r);
	assert_string_equal(rec_text_of(&r, "hồ sơ/tờ khai.docx!word/document.xml"), docx_document_text);
	rec_free(&r);

	const struct part host[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"word/document.xml", docx_document, 0},
	        {"word/embeddings/Microsoft_Word_Document.docx", (const char *)inner, inner_len},
	};
	rec_extract_bytes(ctx, zip, zip_deflated(host, NPARTS(host), NULL, zip), &r);
	assert_string_equal(rec_text_of(&r, "word/document.xml"), docx_document_text);
	assert_string_equal(rec_text_of(&r, "word/embeddings/Microsoft_Word_Document.docx!word/document.xml"),
	                    docx_document_text);
	assert_string_equal(rec_text_of(&r, "word/embeddings/Microsoft_Word_Document.docx!docProps/core.xml"),
	                    "Tờ khai căn cước\nNguyễn Văn An\n");
	rec_free(&r);
	free(inner);
}

/* Broken zips: the head of a docx alone cannot be read and the file says
 * so; a docx cut in the middle gives the parts before the cut and a corrupt
 * outcome; one without its central directory is read from its local headers. */
static void test_broken_zip(void **state)
{
	struct rec r;
	size_t len = build_docx();

	(void)state;
	rec_extract_bytes(ctx, zip, 200, &r);
	assert_string_equal(r.result.type, "ooxml");
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_CORRUPT));
	assert_int_equal(r.nruns, 0);
	rec_free(&r);

	rec_extract_bytes(ctx, zip, len / 2, &r);
	assert_string_equal(r.result.type, "ooxml");
	assert_true(r.ncovs >= 1);
	for (size_t i = 0; i < r.ncovs; i++)
		assert_int_equal(r.covs[i].what, EXTRACT_COVERAGE_CORRUPT);
	rec_free(&r);

	memset(zip + len - 22, 0, 22);
	rec_extract_bytes(ctx, zip, len, &r);
	assert_string_equal(rec_text_of(&r, "word/document.xml"), docx_document_text);
	rec_free(&r);
}

static void test_external_entity(void **state)
{
	static const char xxe[] = "<?xml version=\"1.0\"?>\n"
	                          "<!DOCTYPE w:document [<!ENTITY e SYSTEM \"file:///etc/passwd\">"
	                          "<!ENTITY i \"nội bộ\">]>\n"
	                          "<w:document xmlns:w=\"" NS_W "\"><w:body><w:p><w:r><w:t>trước &e; sau &i;</w:t>"
	                          "</w:r></w:p></w:body></w:document>";
	const struct part parts[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"word/document.xml", xxe, 0},
	};
	struct rec r;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_deflated(parts, NPARTS(parts), NULL, zip), &r);
	/* The text around the references is read; no entity is expanded. */
	assert_string_equal(rec_text_of(&r, "word/document.xml"), "trước  sau \n");
	for (size_t i = 0; i < r.nruns; i++) {
		assert_null(strstr(r.runs[i].text, "root:"));
		assert_null(strstr(r.runs[i].text, "nội bộ"));
	}
	rec_free(&r);
}

static void test_entity_bomb(void **state)
{
	static const char bomb[] =
	        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
	        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
	        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
	        "<w:document xmlns:w=\"" NS_W "\"><w:body><w:p><w:r><w:t>&g;</w:t></w:r></w:p></w:body></w:document>";
	const struct part parts[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"word/document.xml", bomb, 0},
	        {"word/header1.xml", docx_header, 0},
	};
	struct rec r;
	size_t total = 0;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_deflated(parts, NPARTS(parts), NULL, zip), &r);
	for (size_t i = 0; i < r.nruns; i++)
		total += r.runs[i].len;
	assert_true(total < 4096);
	assert_string_equal(rec_text_of(&r, "word/header1.xml"), "UBND xã Phước Thuận\n");
	rec_free(&r);
}

static void test_deep_nesting(void **state)
{
	char *deep = malloc(64 * 1024), *o = deep;
	struct rec r;

	(void)state;
	assert_non_null(deep);
	o += sprintf(o, "<w:document xmlns:w=\"" NS_W "\"><w:body>");
	for (int i = 0; i < 1000; i++)
		o += sprintf(o, "<w:tbl><w:tr><w:tc>");
	o += sprintf(o, "<w:p><w:r><w:t>sâu</w:t></w:r></w:p>");
	for (int i = 0; i < 1000; i++)
		o += sprintf(o, "</w:tc></w:tr></w:tbl>");
	sprintf(o, "</w:body></w:document>");
	const struct part parts[] = {
	        {"[Content_Types].xml", docx_types, 0},
	        {"word/document.xml", deep, 0},
	        {"word/header1.xml", docx_header, 0},
	};
	rec_extract_bytes(ctx, zip, zip_deflated(parts, NPARTS(parts), NULL, zip), &r);
	assert_true(rec_has_coverage(&r, "word/document.xml", EXTRACT_COVERAGE_LIMIT) ||
	            rec_has_coverage(&r, "word/document.xml", EXTRACT_COVERAGE_CORRUPT));
	assert_string_equal(rec_text_of(&r, "word/header1.xml"), "UBND xã Phước Thuận\n");
	free(deep);
	rec_free(&r);
}

/* Repeated cells and rows with a value are capped (256 columns, 65536 rows)
 * and what they make up is counted against the file's expansion budget. */
static void test_repeat_bomb(void **state)
{
	static const char bomb[] =
	        XML_DECL "<office:document-content" NS_ODF "><office:body><office:spreadsheet>"
	                 "<table:table table:name=\"T\"><table:table-row table:number-rows-repeated=\"1000000000\">"
	                 "<table:table-cell table:number-columns-repeated=\"1000000000\" office:value-type=\"string\">"
	                 "<text:p>052090001234</text:p></table:table-cell></table:table-row></table:table>"
	                 "</office:spreadsheet></office:body></office:document-content>";
	const struct part parts[] = {
	        {"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
	        {"content.xml", bomb, 0},
	};
	struct rec r;
	const char *text;

	(void)state;
	rec_extract_bytes(ctx, zip, zip_stored(parts, NPARTS(parts), zip), &r);
	text = rec_text_of(&r, "content.xml#T");
	assert_non_null(text);
	assert_true(strlen(text) < (8u << 20));
	assert_true(strncmp(text, "052090001234,052090001234,", 26) == 0);
	assert_true(rec_has_coverage(&r, "", EXTRACT_COVERAGE_LIMIT));
	rec_free(&r);
}

/* The seed corpus of the fuzz target: small valid files of each kind. */
static void write_corpus(const char *dir)
{
	struct {
		const char *name;
		size_t len;
	} files[4];
	static unsigned char *bufs[4];

	for (int i = 0; i < 4; i++) {
		bufs[i] = malloc(ZIP_MAX);
		assert_non_null(bufs[i]);
	}
	files[0].name = "docx.docx";
	files[0].len = zip_deflated(docx_parts, NPARTS(docx_parts), NULL, bufs[0]);
	files[1].name = "xlsx.xlsx";
	files[1].len = zip_deflated(xlsx_parts, NPARTS(xlsx_parts), NULL, bufs[1]);
	files[2].name = "odt.odt";
	files[2].len = zip_stored(odt_parts, NPARTS(odt_parts), bufs[2]);
	files[3].name = "ods.ods";
	files[3].len = zip_stored(ods_parts, NPARTS(ods_parts), bufs[3]);
	for (int i = 0; i < 4; i++) {
		char path[4096];
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(bufs[i], 1, files[i].len, f), files[i].len);
		fclose(f);
		free(bufs[i]);
	}
}

static int setup(void **state)
{
	(void)state;
	zip = malloc(ZIP_MAX);
	if (!zip || extract_new(&ctx) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	extract_free(ctx);
	free(zip);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_docx),
	        cmocka_unit_test(test_xlsx),
	        cmocka_unit_test(test_xlsx_header_context),
	        cmocka_unit_test(test_odt),
	        cmocka_unit_test(test_ods),
	        cmocka_unit_test(test_pptx),
	        cmocka_unit_test(test_nested),
	        cmocka_unit_test(test_malformed_part),
	        cmocka_unit_test(test_encrypted_member),
	        cmocka_unit_test(test_encrypted_odf),
	        cmocka_unit_test(test_not_a_document),
	        cmocka_unit_test(test_broken_zip),
	        cmocka_unit_test(test_external_entity),
	        cmocka_unit_test(test_entity_bomb),
	        cmocka_unit_test(test_deep_nesting),
	        cmocka_unit_test(test_repeat_bomb),
	};
	const char *corpus = getenv("PIIGUARD_OFFICE_CORPUS");

	if (corpus) {
		zip = NULL;
		write_corpus(corpus);
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
