/* Size parsing and formatting, info parsing, natural order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lio.h"
#include "private.h"
#include "tap.h"

static void size_ok(const char *in, uint64_t want)
{
	uint64_t got = 0;
	int r = lio_parse_size(in, &got);

	CHECK_MSG(r == 0, "parse '%s' returned %d", in, r);
	CHECK_MSG(got == want, "'%s': got %llu want %llu", in, (unsigned long long)got,
		  (unsigned long long)want);
}

static void size_bad(const char *in, int want)
{
	uint64_t got = 12345;

	CHECK_MSG(lio_parse_size(in, &got) == want, "'%s' should fail with %d", in, want);
	CHECK(got == 12345);
}

static void fmt(uint64_t bytes, const char *want)
{
	char buf[32];

	lio_format_size(bytes, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

static void info(const char *text, const char *key, const char *want)
{
	char *v = NULL;
	int r = lio_info_value(text, key, &v);

	if (!want) {
		CHECK_MSG(r == -ENOENT, "key %s should be absent, got %d", key, r);
		return;
	}
	CHECK_MSG(r == 0, "key %s: %d", key, r);
	CHECK_STR(v, want);
	free(v);
}

static void norm(const char *in, const char *want)
{
	char out[PATH_MAX];

	CHECK_INT(lio_path_normalize(in, out), 0);
	CHECK_STR(out, want);
}

/*
 * Links are followed by text, as the kernel writes them (relative to the
 * configfs root); a link whose object is gone is broken.
 */
static void test_links(void)
{
	char dir[] = "/tmp/lio-link-XXXXXX", path[PATH_MAX], link[PATH_MAX], out[PATH_MAX];

	norm("/a/b/../c/./d//e/", "/a/c/d/e");
	norm("/a/../../b", "/b");
	norm("/", "/");
	norm("/x/..", "/");
	CHECK_INT(lio_path_normalize("rel/path", out), -EINVAL);
	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/core", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/core/so", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/lun", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(link, sizeof(link), "%s/lun/alias", dir);
	CHECK_INT(symlink("../core/./so", link), 0);
	CHECK_INT(lio_resolve_link(link, out), 0);
	snprintf(path, sizeof(path), "%s/core/so", dir);
	CHECK_STR(out, path);
	CHECK_INT(rmdir(path), 0);
	CHECK_INT(lio_resolve_link(link, out), -ENOENT);
	CHECK_INT(lio_resolve_link(path, out), -ENOENT);
	unlink(link);
	snprintf(path, sizeof(path), "%s/lun", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/core", dir);
	rmdir(path);
	rmdir(dir);
}

static void free_index(void)
{
	unsigned none[1] = { 0 }, gap[] = { 2, 0, 5 }, run[] = { 1, 0, 2 }, dup[] = { 1, 0, 0 };
	unsigned full[] = { 3, 1, 2, 0 };

	CHECK_INT(lio_first_free_index(none, 0, 10), 0);
	CHECK_INT(lio_first_free_index(gap, 3, 10), 1);
	CHECK(gap[0] == 0 && gap[1] == 2 && gap[2] == 5); /* sorted in place */
	CHECK_INT(lio_first_free_index(run, 3, 10), 3);
	CHECK_INT(lio_first_free_index(dup, 3, 10), 2);
	CHECK_INT(lio_first_free_index(full, 4, 3), -ENOSPC);
	CHECK_INT(lio_first_free_index(full, 4, 4), 4);
}

int main(void)
{
	test_links();
	free_index();
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("1k", 1024);
	size_ok("1K", 1024);
	size_ok("10M", 10485760);
	size_ok("64MiB", 67108864);
	size_ok("64mb", 67108864);
	size_ok("1G", 1073741824ULL);
	size_ok("2GiB", 2147483648ULL);
	size_ok("1t", 1099511627776ULL);
	size_ok("512b", 512);
	size_bad("", -EINVAL);
	size_bad("G", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("10X", -EINVAL);
	size_bad("10 G", -EINVAL);
	size_bad("1.5G", -EINVAL);
	size_bad("10GG", -EINVAL);
	size_bad("99999999999999999999", -ERANGE);
	size_bad("99999999999T", -ERANGE);

	fmt(0, "0 bytes");
	fmt(1023, "1023 bytes");
	fmt(1024, "1.0KiB");
	fmt(67108864, "64.0MiB");
	fmt(104857600, "100.0MiB");
	fmt(8589934592ULL, "8.0GiB");
	fmt(1536ULL << 30, "1.5TiB");

	const char *fileio = "Status: ACTIVATED  Max Queue Depth: 0  SectorSize: 512  "
			     "HwMaxSectors: 16384\n        TCM FILEIO ID: 0        File: "
			     "/var/tmp/lab-data/md_block0.img  Size: 67108864  Mode: "
			     "Buffered-WCE Async: 0\n";
	info(fileio, "Status", "ACTIVATED");
	info(fileio, "Size", "67108864");
	info(fileio, "SectorSize", "512");
	info(fileio, "File", "/var/tmp/lab-data/md_block0.img");
	info(fileio, "Mode", "Buffered-WCE");
	info(fileio, "Nothing", NULL);
	const char *rd = "Status: DEACTIVATED  Max Queue Depth: 0  SectorSize: 512  "
			 "HwMaxSectors: 1024\n        TCM RamDisk ID: 0  RamDisk Size: 8589934592"
			 "  PAGES/PAGE_SIZE: 2097152*4096 nullio: 1\n";
	info(rd, "PAGES/PAGE_SIZE", "2097152*4096");
	info(rd, "nullio", "1");
	info(rd, "Status", "DEACTIVATED");
	const char *ib = "Status: ACTIVATED  Max Queue Depth: 128  SectorSize: 512  "
			 "HwMaxSectors: 255\n        iBlock device: loop0  UDEV PATH: /dev/loop0"
			 "  readonly: 0\n        Major: 7 Minor: 0  CLAIMED: IBLOCK\n";
	info(ib, "UDEV PATH", "/dev/loop0");
	info(ib, "readonly", "0");
	info(ib, "Major", "7");
	info(ib, "device", "loop0");
	return tap_done();
}
