/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the benchmark corpus: SIZE MiB of form-like text in Vietnamese,
 * English, Chinese and Persian, full of the numbers that are not identifiers
 * (dates, amounts, timestamps, order codes, hotlines), with one synthetic
 * identifier and its context word about every SPACING bytes. Deterministic.
 * Usage: gencorpus SIZE_MIB [SPACING_BYTES] > corpus.txt
 *        gencorpus --tree DIR COUNT   (COUNT small files in DIR/NNN/, dated a
 *                                      minute ago, every 100th with an ID)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 16);
}

static const char *const lines[] = {
        "Hồ sơ đề nghị cấp giấy phép xây dựng được tiếp nhận tại bộ phận một cửa của ủy ban nhân dân phường.",
        "Công dân vui lòng kiểm tra lại thông tin trước khi ký xác nhận vào phiếu tiếp nhận hồ sơ.",
        "Lệ phí đã nộp: %u.%03u.000 đồng theo biên lai số %05u ngày %02u/%02u/2026.",
        "Ngày hẹn trả kết quả: %02u/%02u/2026, mã hồ sơ H%02u.%03u-%06u-%04u.",
        "The applicant submitted the form online at %02u:%02u and received order number %u%u.",
        "Please bring the original documents and a copy to counter %u before %02u/%02u/2026.",
        "Hotline hỗ trợ dịch vụ công: 1900 %04u, tổng đài hoạt động từ 7 giờ 30 đến 17 giờ.",
        "申请人应当在%u个工作日内提交材料，受理编号为%u，办理时限为%u天。",
        "请携带相关证明材料原件及复印件到窗口办理，咨询电话 0755-%08u。",
        "درخواست شما با شماره پیگیری %u ثبت شد و ظرف %u روز کاری بررسی "
        "می‌شود.",
        "لطفا مدارک خود را تا تاریخ ۱۴۰۵/۰۹/%02u به دفتر پیشخوان تحویل دهید.",
        "log ts=%u%03u level=info msg=\"request served\" bytes=%u duration_ms=%u",
};

static const char *const identifiers[] = {
        "Số CCCD: 052090001234",
        "Căn cước công dân số 079203000777, cấp ngày 15/08/2021",
        "Số CMND: 215123456",
        "身份证号：11010519491231002X",
        "公民身份号码 440305199003071236",
        "کد ملی: ۰۰۱۲۳۴۵۶۷۹",
        "SĐT liên hệ: 0912 345 678",
        "Số thẻ: 4111 1111 1111 1111",
        "IBAN DE89 3704 0044 0532 0130 00",
        "Email: nguyen.van.an@example.com",
};

static int make_tree(const char *dir, unsigned long count)
{
	struct timespec old[2];
	char path[4096], text[256];

	clock_gettime(CLOCK_REALTIME, &old[0]);
	old[0].tv_sec -= 60;
	old[1] = old[0];
	mkdir(dir, 0755);
	for (unsigned long i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/%03lu", dir, i / 1000);
		if (i % 1000 == 0)
			mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/%03lu/file%06lu.txt", dir, i / 1000, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return 1;
		int n = snprintf(text, sizeof(text), "Hồ sơ %lu\n%s\n", i,
		                 i % 100 == 0 ? identifiers[i / 100 % 10] : "Không có dữ liệu cá nhân.");
		if (write(fd, text, (size_t)n) != n || futimens(fd, old) < 0) {
			close(fd);
			return 1;
		}
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long size, spacing, written = 0, next_id;
	char line[1024];

	if (argc == 4 && strcmp(argv[1], "--tree") == 0)
		return make_tree(argv[2], strtoul(argv[3], NULL, 10));

	if (argc < 2) {
		fprintf(stderr, "usage: gencorpus SIZE_MIB [SPACING_BYTES]\n");
		return 2;
	}
	size = strtoull(argv[1], NULL, 10) << 20;
	spacing = argc > 2 ? strtoull(argv[2], NULL, 10) : 1600000;
	next_id = spacing / 2;
	while (written < size) {
		int n;
		if (written >= next_id) {
			n = snprintf(line, sizeof(line), "%s\n", identifiers[next() % 10]);
			next_id += spacing;
		} else {
			const char *fmt = lines[next() % 12];
			n = snprintf(line, sizeof(line), fmt, next() % 1000, next() % 1000, next() % 100000,
			             next() % 28 + 1, next() % 12 + 1, next() % 1000000, next() % 10000);
			line[n++] = '\n';
			line[n] = '\0';
		}
		if (fwrite(line, 1, (size_t)n, stdout) != (size_t)n)
			return 1;
		written += (unsigned long long)n;
	}
	return 0;
}
