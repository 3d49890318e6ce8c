/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of extract_pdf.c through the real framework (extract_new, then
 * extract_file on a temporary file): PDFs are built here byte by byte (one
 * page of Helvetica text with an information dictionary, several pages, a
 * Type0 font whose ToUnicode map gives Vietnamese text, a password-protected
 * one, truncated and broken ones, embedded files) and each member's text and
 * coverage outcome is recorded and checked. Every identifier is synthetic.
 * PIIGUARD_PDF_CORPUS=dir also writes the seed corpus of tests/fuzz/corpus/pdf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "extract.h"
#include "extract_record.h"

/* --- recording what the framework tells ------------------------------------ */

/* The text of the run of member, or NULL. */
static const char *rec_find(const struct rec *r, const char *member)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) == 0)
			return r->runs[i].text;
	return NULL;
}

/* Whether any run other than member holds needle. */
static bool rec_elsewhere(const struct rec *r, const char *member, const char *needle)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (strcmp(r->runs[i].member, member) != 0 && strstr(r->runs[i].text, needle))
			return true;
	return false;
}

static void assert_in_run(const struct rec *r, const char *member, const char *needle)
{
	const char *text = rec_find(r, member);

	if (!text)
		fail_msg("no run \"%s\"", member);
	if (!strstr(text, needle))
		fail_msg("run \"%s\" lacks \"%s\": \"%s\"", member, needle, text);
	if (rec_elsewhere(r, member, needle))
		fail_msg("\"%s\" found outside run \"%s\"", needle, member);
}

/* Extract data[0..len) as a file through the framework, into r. */
static void extract_bytes(const void *data, size_t len, struct rec *r)
{
	struct extract *x = NULL;

	assert_int_equal(extract_new(&x), 0);
	rec_extract_bytes(x, data, len, r);
	extract_free(x);
}

/* --- building PDFs ----------------------------------------------------------- */

struct pdf {
	char *data;
	size_t len, cap;
	size_t *off; /* offset of each object, 0: not written */
	int objs;
};

static void pdf_put(struct pdf *p, const void *s, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		p->cap = (p->len + n + 1) * 2;
		p->data = realloc(p->data, p->cap);
		assert_non_null(p->data);
	}
	memcpy(p->data + p->len, s, n);
	p->len += n;
	p->data[p->len] = '\0';
}

static void pdf_printf(struct pdf *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pdf_printf(struct pdf *p, const char *fmt, ...)
{
	char small[512], *s = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if ((size_t)n >= sizeof(small)) {
		s = malloc((size_t)n + 1);
		assert_non_null(s);
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	pdf_put(p, s, (size_t)n);
	if (s != small)
		free(s);
}

static void pdf_init(struct pdf *p, int objs)
{
	memset(p, 0, sizeof(*p));
	p->objs = objs;
	p->off = calloc((size_t)objs + 1, sizeof(*p->off));
	assert_non_null(p->off);
	/* A binary comment line, as producers write, so the file is not text. */
	pdf_printf(p, "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n");
}

static void pdf_free(struct pdf *p)
{
	free(p->data);
	free(p->off);
	memset(p, 0, sizeof(*p));
}

static void pdf_begin(struct pdf *p, int num)
{
	assert_true(num >= 1 && num <= p->objs);
	p->off[num] = p->len;
	pdf_printf(p, "%d 0 obj\n", num);
}

static void pdf_end(struct pdf *p)
{
	pdf_printf(p, "\nendobj\n");
}

static void pdf_stream(struct pdf *p, int num, const char *dict, const void *data, size_t n)
{
	pdf_begin(p, num);
	pdf_printf(p, "<< /Length %zu %s >>\nstream\n", n, dict);
	pdf_put(p, data, n);
	pdf_printf(p, "\nendstream");
	pdf_end(p);
}

/* The cross-reference table and trailer. */
static void pdf_finish(struct pdf *p, const char *trailer)
{
	size_t xref = p->len;

	pdf_printf(p, "xref\n0 %d\n0000000000 65535 f\r\n", p->objs + 1);
	for (int i = 1; i <= p->objs; i++)
		pdf_printf(p, "%010zu %05d %c\r\n", p->off[i], p->off[i] ? 0 : 65535, p->off[i] ? 'n' : 'f');
	pdf_printf(p, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n", p->objs + 1, trailer, xref);
}

struct pdf_file {
	const char *name;   /* a PDF string, with its delimiters: "(a.txt)" or "<FEFF...>" */
	const char *filter; /* NULL, or "/ASCIIHexDecode": data is then written as hex */
	const void *data;
	size_t len;
};

struct pdf_spec {
	const char *const *pages; /* each page's text, lines split by '\n' */
	int npages;
	const char *info; /* the body of the information dictionary, or NULL */
	bool unicode;     /* pages are UTF-8, drawn with a Type0 font and a ToUnicode map */
	bool encrypt;     /* an /Encrypt dictionary whose user password is not empty */
	const struct pdf_file *files;
	int nfiles;
};

/* Object numbers: 1 catalog, 2 page tree, 3 font, 4 information, 5 encryption,
 * 6-8 the Type0 font's parts, then two per page, then two per file. */
enum { PDF_OBJ_PAGE0 = 10 };

/* Code points of a well-formed UTF-8 string, into cp[] (at most max). */
static size_t utf8_decode(const char *s, uint32_t *cp, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		unsigned char c = (unsigned char)*s++;
		uint32_t v = c;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		if (more)
			v = c & (0x3f >> more);
		while (more-- > 0)
			v = (v << 6) | ((unsigned char)*s++ & 0x3f);
		cp[n++] = v;
	}
	return n;
}

/* The CID of code point v in the font's table (added when new). */
static unsigned cid_of(uint32_t *table, size_t *n, uint32_t v)
{
	for (size_t i = 0; i < *n; i++)
		if (table[i] == v)
			return (unsigned)i + 1;
	assert_true(*n < 512);
	table[(*n)++] = v;
	return (unsigned)*n;
}

static void pdf_build(struct pdf *p, const struct pdf_spec *s)
{
	int files0 = PDF_OBJ_PAGE0 + 2 * s->npages;
	uint32_t table[512];
	size_t ntable = 0;

	pdf_init(p, files0 + 2 * s->nfiles - 1);
	pdf_begin(p, 1);
	pdf_printf(p, "<< /Type /Catalog /Pages 2 0 R");
	if (s->nfiles) {
		pdf_printf(p, " /Names << /EmbeddedFiles << /Names [");
		for (int i = 0; i < s->nfiles; i++)
			pdf_printf(p, " %s %d 0 R", s->files[i].name, files0 + 2 * i);
		pdf_printf(p, " ] >> >>");
	}
	pdf_printf(p, " >>");
	pdf_end(p);
	pdf_begin(p, 2);
	pdf_printf(p, "<< /Type /Pages /Count %d /Kids [", s->npages);
	for (int i = 0; i < s->npages; i++)
		pdf_printf(p, "%s%d 0 R", i % 16 ? " " : "\n", PDF_OBJ_PAGE0 + 2 * i);
	pdf_printf(p, "] >>");
	pdf_end(p);
	if (s->info) {
		pdf_begin(p, 4);
		pdf_printf(p, "<< %s >>", s->info);
		pdf_end(p);
	}
	if (s->encrypt) {
		pdf_begin(p, 5);
		pdf_printf(p, "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44\n/O <");
		for (int i = 0; i < 32; i++)
			pdf_printf(p, "%02x", (unsigned)(i * 37 + 11) & 0xff);
		pdf_printf(p, ">\n/U <");
		for (int i = 0; i < 32; i++)
			pdf_printf(p, "%02x", (unsigned)(i * 53 + 7) & 0xff);
		pdf_printf(p, "> >>");
		pdf_end(p);
	}
	for (int i = 0; i < s->npages; i++) {
		struct pdf content = {0};
		const char *line = s->pages[i];

		pdf_begin(p, PDF_OBJ_PAGE0 + 2 * i);
		pdf_printf(
		        p,
		        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
		        "/Contents %d 0 R >>",
		        PDF_OBJ_PAGE0 + 2 * i + 1);
		pdf_end(p);
		pdf_printf(&content, "BT /F1 11 Tf 14 TL 56 780 Td\n");
		while (*line) {
			size_t n = strcspn(line, "\n");
			char text[512];

			assert_true(n < sizeof(text));
			memcpy(text, line, n);
			text[n] = '\0';
			if (s->unicode) {
				uint32_t cp[512];
				size_t ncp = utf8_decode(text, cp, 512);
				pdf_printf(&content, "<");
				for (size_t k = 0; k < ncp; k++)
					pdf_printf(&content, "%04X", cid_of(table, &ntable, cp[k]));
				pdf_printf(&content, "> Tj T*\n");
			} else {
				assert_true(strcspn(text, "()\\") == n);
				pdf_printf(&content, "(%s) Tj T*\n", text);
			}
			line += n + (line[n] == '\n');
		}
		pdf_printf(&content, "ET");
		pdf_stream(p, PDF_OBJ_PAGE0 + 2 * i + 1, "", content.data, content.len);
		free(content.data);
	}
	pdf_begin(p, 3);
	if (s->unicode)
		pdf_printf(p, "<< /Type /Font /Subtype /Type0 /BaseFont /PiiguardTest /Encoding /Identity-H "
		              "/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>");
	else
		pdf_printf(p, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
	pdf_end(p);
	if (s->unicode) {
		struct pdf cmap = {0};

		pdf_begin(p, 6);
		pdf_printf(p,
		           "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /PiiguardTest /CIDSystemInfo << "
		           "/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 600 >>");
		pdf_end(p);
		pdf_begin(p, 7);
		pdf_printf(p, "<< /Type /FontDescriptor /FontName /PiiguardTest /Flags 32 /FontBBox [0 -200 1000 900] "
		              "/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>");
		pdf_end(p);
		pdf_printf(&cmap, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
		for (size_t k = 0; k < ntable; k += 100) {
			size_t end = k + 100 < ntable ? k + 100 : ntable;
			pdf_printf(&cmap, "%zu beginbfchar\n", end - k);
			for (size_t j = k; j < end; j++)
				pdf_printf(&cmap, "<%04zX> <%04X>\n", j + 1, (unsigned)table[j]);
			pdf_printf(&cmap, "endbfchar\n");
		}
		pdf_printf(&cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
		pdf_stream(p, 8, "", cmap.data, cmap.len);
		free(cmap.data);
	}
	for (int i = 0; i < s->nfiles; i++) {
		const struct pdf_file *f = &s->files[i];

		pdf_begin(p, files0 + 2 * i);
		pdf_printf(p, "<< /Type /Filespec /F (file%d) /UF %s /EF << /F %d 0 R >> >>", i + 1, f->name,
		           files0 + 2 * i + 1);
		pdf_end(p);
		if (f->filter) {
			struct pdf hex = {0};
			for (size_t k = 0; k < f->len; k++)
				pdf_printf(&hex, "%02x%s", ((const unsigned char *)f->data)[k],
				           k % 32 == 31 ? "\n" : "");
			pdf_printf(&hex, ">");
			char dict[128];
			snprintf(dict, sizeof(dict), "/Type /EmbeddedFile /Filter %s /Params << /Size %zu >>",
			         f->filter, f->len);
			pdf_stream(p, files0 + 2 * i + 1, dict, hex.data, hex.len);
			free(hex.data);
		} else {
			pdf_stream(p, files0 + 2 * i + 1, "/Type /EmbeddedFile", f->data, f->len);
		}
	}
	pdf_finish(p, s->encrypt ? "/Info 4 0 R /Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> "
	                           "<00112233445566778899aabbccddeeff>]"
	              : s->info  ? "/Info 4 0 R"
	                         : "");
}

/* --- the documents ------------------------------------------------------------ */

static const char *const one_page[] = {"So CCCD: 052090001234"};
#define ONE_PAGE_INFO                                                                                                  \
	"/Title (Don dang ky thuong tru) /Author (Nguyen Van Mau) /Subject (Ho so cu tru) "                            \
	"/Keywords (CCCD 001099012345) /Producer (piiguard test)"

static const struct pdf_spec one_page_spec = {.pages = one_page, .npages = 1, .info = ONE_PAGE_INFO};

static const char *const vi_page[] = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                                      "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\n"
                                      "Họ, chữ đệm và tên: Nguyễn Văn Mẫu\n"
                                      "Số định danh cá nhân: 052090001234"};

/* "Tờ khai cư trú" in UTF-16BE with its byte order mark. */
#define VI_TITLE "<FEFF00541EDD0020006B0068006100690020006301B000200074007200FA>"

#define ATTACHED_TEXT "Số CCCD: 079203000777\n"
#define ATTACHED_HEX  "Mã số định danh: 001203012345\n"

/* "hồ sơ.txt" in UTF-16BE. */
#define HO_SO_NAME "<FEFF00681ED30020007301A1002E007400780074>"

static void build_vi_attachments(struct pdf *p, bool with_inner)
{
	struct pdf inner = {0};
	struct pdf_file files[3] = {
	        {"(cccd.txt)", NULL, ATTACHED_TEXT, sizeof(ATTACHED_TEXT) - 1},
	        {HO_SO_NAME, "/ASCIIHexDecode", ATTACHED_HEX, sizeof(ATTACHED_HEX) - 1},
	        {"(inner.pdf)", NULL, NULL, 0},
	};
	struct pdf_spec spec = {.pages = vi_page,
	                        .npages = 1,
	                        .unicode = true,
	                        .info = "/Title " VI_TITLE,
	                        .files = files,
	                        .nfiles = with_inner ? 3 : 2};

	if (with_inner) {
		pdf_build(&inner, &one_page_spec);
		files[2].data = inner.data;
		files[2].len = inner.len;
	}
	pdf_build(p, &spec);
	pdf_free(&inner);
}

/* --- tests -------------------------------------------------------------------- */

static void test_one_page(void **state)
{
	struct pdf p;
	struct rec r;

	(void)state;
	pdf_build(&p, &one_page_spec);
	extract_bytes(p.data, p.len, &r);
	assert_string_equal(r.result.type, "pdf");
	assert_int_equal(r.ncovs, 0);
	assert_int_equal(r.nruns, 2);
	/* The document information comes first, a field a line. */
	assert_string_equal(r.runs[0].member, "metadata");
	assert_string_equal(r.runs[0].text,
	                    "Don dang ky thuong tru\nNguyen Van Mau\nHo so cu tru\nCCCD 001099012345\n");
	assert_string_equal(r.runs[1].member, "page 1");
	assert_in_run(&r, "page 1", "So CCCD: 052090001234");
	assert_in_run(&r, "metadata", "001099012345");
	rec_free(&r);
	pdf_free(&p);
}

static void test_pages(void **state)
{
	static const char *const pages[] = {"Trang 1: CCCD 052090001234", "Trang 2: CMND 025123456",
	                                    "Trang 3\nSo dinh danh: 079203000777", ""};
	struct pdf_spec spec = {.pages = pages, .npages = 4};
	struct pdf p;
	struct rec r;

	(void)state;
	pdf_build(&p, &spec);
	extract_bytes(p.data, p.len, &r);
	assert_int_equal(r.ncovs, 0);
	/* No information dictionary, no "metadata" run; an empty page is an empty run. */
	assert_int_equal(r.nruns, 4);
	assert_null(rec_find(&r, "metadata"));
	assert_in_run(&r, "page 1", "052090001234");
	assert_in_run(&r, "page 2", "025123456");
	assert_in_run(&r, "page 3", "So dinh danh: 079203000777");
	assert_non_null(strstr(rec_find(&r, "page 3"), "Trang 3\nSo dinh danh"));
	assert_string_equal(rec_find(&r, "page 4"), "");
	rec_free(&r);
	pdf_free(&p);
}

/* Vietnamese through a ToUnicode map (as Word and LibreOffice write it), and
 * a UTF-16 title; embedded files, one hex-encoded with a UTF-16 name, and a
 * PDF inside the PDF. */
static void test_vietnamese_and_attachments(void **state)
{
	struct pdf p;
	struct rec r;

	(void)state;
	build_vi_attachments(&p, true);
	extract_bytes(p.data, p.len, &r);
	assert_in_run(&r, "metadata", "Tờ khai cư trú");
	assert_in_run(&r, "page 1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_in_run(&r, "page 1", "Họ, chữ đệm và tên: Nguyễn Văn Mẫu");
	assert_in_run(&r, "page 1", "Số định danh cá nhân: 052090001234");
	/* Embedded files are not read yet (see extract_pdf.c): said, not hidden. */
	assert_int_equal(r.ncovs, 1);
	assert_int_equal(r.covs[0].what, EXTRACT_COVERAGE_UNSUPPORTED);
	assert_int_equal(r.result.members, 0);
	rec_free(&r);
	pdf_free(&p);
}

/* A PDF written by a real producer, when one is installed. */
static void test_libreoffice(void **state)
{
	char dir[] = "/tmp/test_extract_pdf_lo.XXXXXX", path[256], cmd[1024];
	FILE *f;
	struct rec r;
	char *data;
	long size;

	(void)state;
	if (access("/usr/bin/libreoffice", X_OK) != 0) {
		print_message("libreoffice is not installed: PDF from a real producer not tested\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/form.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("\xef\xbb\xbf"
	      "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\nSố CCCD: 052090001234\n",
	      f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "cd %s && HOME=%s libreoffice -env:UserInstallation=file://%s/profile --headless --convert-to pdf "
	         "form.txt >/dev/null 2>&1",
	         dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/form.pdf", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)size);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	extract_bytes(data, (size_t)size, &r);
	assert_string_equal(r.result.type, "pdf");
	assert_in_run(&r, "page 1", "052090001234");
	assert_in_run(&r, "page 1", "CCCD");
	rec_free(&r);
	free(data);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_encrypted(void **state)
{
	struct pdf_spec spec = one_page_spec;
	struct pdf p;
	struct rec r;

	(void)state;
	spec.encrypt = true;
	pdf_build(&p, &spec);
	extract_bytes(p.data, p.len, &r);
	assert_string_equal(r.result.type, "pdf");
	assert_int_equal(r.nruns, 0);
	assert_int_equal(r.ncovs, 1);
	assert_string_equal(r.covs[0].member, "");
	assert_int_equal(r.covs[0].what, EXTRACT_COVERAGE_ENCRYPTED);
	assert_string_equal(r.covs[0].detail, "password-protected PDF");
	rec_free(&r);
	pdf_free(&p);
}

static void assert_corrupt(const void *data, size_t len)
{
	struct rec r;

	extract_bytes(data, len, &r);
	assert_string_equal(r.result.type, "pdf");
	assert_int_equal(r.nruns, 0);
	assert_int_equal(r.ncovs, 1);
	assert_string_equal(r.covs[0].member, "");
	assert_int_equal(r.covs[0].what, EXTRACT_COVERAGE_CORRUPT);
	rec_free(&r);
}

/* A bare header, and a catalog whose page tree is missing (poppler opens
 * it as a document of no pages). */
static void test_not_a_pdf(void **state)
{
	static const char header_only[] = "%PDF-1.7\n";
	static const char garbage[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\n"
	                              "trailer << /Root 1 0 R >>\n%%EOF\n";

	(void)state;
	assert_corrupt(header_only, sizeof(header_only) - 1);
	assert_corrupt(garbage, sizeof(garbage) - 1);
}

/* Truncated files (a download cut short). poppler rebuilds a lost or
 * broken cross-reference table from the objects it finds, but only with a
 * trailer dictionary: without one (poppler 22.12) the file cannot be opened. */
static void test_truncated(void **state)
{
	struct pdf p;
	struct rec r;
	const char *xref, *startxref;

	(void)state;
	pdf_build(&p, &one_page_spec);
	xref = strstr(p.data, "\nxref\n");
	startxref = strstr(p.data, "startxref\n");
	assert_non_null(xref);
	assert_non_null(startxref);

	/* Cut after the trailer: no startxref, no %%EOF; the text is read. */
	extract_bytes(p.data, (size_t)(startxref - p.data), &r);
	assert_int_equal(r.ncovs, 0);
	assert_in_run(&r, "page 1", "So CCCD: 052090001234");
	assert_in_run(&r, "metadata", "001099012345");
	rec_free(&r);

	/* Cut before the cross-reference table: every object is there, but
	 * no trailer names the catalog. */
	assert_corrupt(p.data, (size_t)(xref - p.data));

	/* Cut inside the page's content stream and inside the page tree. */
	assert_corrupt(p.data, (size_t)(strstr(p.data, "052090001234") - p.data));
	assert_corrupt(p.data, (size_t)(strstr(p.data, "2 0 obj") - p.data) + 20);
	pdf_free(&p);
}

/* A cross-reference table whose offsets are all wrong, and a startxref
 * pointing nowhere: poppler rebuilds the table and the text is read. */
static void test_broken_xref(void **state)
{
	struct pdf p;
	struct rec r;
	char *xref, *startxref;

	(void)state;
	pdf_build(&p, &one_page_spec);
	xref = strstr(p.data, "\nxref\n");
	assert_non_null(xref);
	for (char *e = strstr(xref, " n\r\n"); e; e = strstr(e + 1, " n\r\n"))
		memcpy(e - 16, "0000000099", 10);
	startxref = strstr(xref, "startxref\n");
	assert_non_null(startxref);
	memcpy(startxref + 10, "1", 1);
	extract_bytes(p.data, p.len, &r);
	assert_int_equal(r.ncovs, 0);
	assert_in_run(&r, "page 1", "So CCCD: 052090001234");
	rec_free(&r);
	pdf_free(&p);
}

/* Past EXTRACT_PDF_PAGES_MAX pages the rest is reported, not read. */
static void test_page_limit(void **state)
{
	enum { PAGES = 2001 };
	static char text[PAGES][32];
	static const char *pages[PAGES];
	struct pdf_spec spec = {.pages = pages, .npages = PAGES};
	struct pdf p;
	struct rec r;

	(void)state;
	for (int i = 0; i < PAGES; i++) {
		snprintf(text[i], sizeof(text[i]), "Trang %d", i + 1);
		pages[i] = text[i];
	}
	pdf_build(&p, &spec);
	extract_bytes(p.data, p.len, &r);
	assert_int_equal(r.nruns, 2000);
	assert_string_equal(rec_find(&r, "page 1"), "Trang 1\n"); /* laid out: a line each */
	assert_string_equal(rec_find(&r, "page 2000"), "Trang 2000\n");
	assert_null(rec_find(&r, "page 2001"));
	assert_int_equal(r.ncovs, 1);
	assert_string_equal(r.covs[0].member, "");
	assert_int_equal(r.covs[0].what, EXTRACT_COVERAGE_LIMIT);
	assert_non_null(strstr(r.covs[0].detail, "2000 pages"));
	rec_free(&r);
	pdf_free(&p);
}

/* Poppler's complaints about a broken file ("Syntax Error at position
 * ...", which GLib's default handler prints on stdout when debug messages are
 * on) reach neither stdout nor stderr. */
static void test_quiet(void **state)
{
	char path[] = "/tmp/test_extract_pdf_err.XXXXXX", seen[4096];
	struct pdf p;
	struct rec r;
	int fd, saved[2];
	ssize_t n;

	(void)state;
	/* Cut inside the trailer dictionary: "End of file inside dictionary". */
	pdf_build(&p, &one_page_spec);
	p.len = (size_t)(strstr(p.data, " >>\nstartxref") - p.data);
	setenv("G_MESSAGES_DEBUG", "all", 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < 2; i++) {
		saved[i] = dup(i + 1);
		assert_true(saved[i] >= 0);
		assert_int_equal(dup2(fd, i + 1), i + 1);
	}
	extract_bytes(p.data, p.len, &r);
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < 2; i++) {
		dup2(saved[i], i + 1);
		close(saved[i]);
	}
	unsetenv("G_MESSAGES_DEBUG");
	n = pread(fd, seen, sizeof(seen) - 1, 0);
	close(fd);
	assert_true(n >= 0);
	seen[n] = '\0';
	assert_string_equal(seen, "");
	assert_int_equal(r.ncovs, 0);
	assert_in_run(&r, "page 1", "So CCCD: 052090001234");
	rec_free(&r);
	pdf_free(&p);
}

/* PIIGUARD_PDF_CORPUS=dir: write the fuzz seeds there. */
static void test_write_corpus(void **state)
{
	const char *dir = getenv("PIIGUARD_PDF_CORPUS");
	struct pdf_spec spec = one_page_spec;
	struct pdf p;
	char path[1024];
	FILE *f;

	(void)state;
	if (!dir)
		return;
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = {"one-page.pdf", "vi-attachments.pdf", "encrypted.pdf"};
		spec.encrypt = i == 2;
		if (i == 1)
			build_vi_attachments(&p, false);
		else
			pdf_build(&p, &spec);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(p.data, 1, p.len, f), p.len);
		fclose(f);
		pdf_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_one_page),
	        cmocka_unit_test(test_pages),
	        cmocka_unit_test(test_vietnamese_and_attachments),
	        cmocka_unit_test(test_libreoffice),
	        cmocka_unit_test(test_encrypted),
	        cmocka_unit_test(test_not_a_pdf),
	        cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_broken_xref),
	        cmocka_unit_test(test_page_limit),
	        cmocka_unit_test(test_quiet),
	        cmocka_unit_test(test_write_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
