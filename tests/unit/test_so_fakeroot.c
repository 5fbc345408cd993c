/*
 * Storage objects, HBAs and ALUA groups on a temporary directory standing in
 * for configfs. This proves the library's logic only (write order, choices,
 * cleanup); the kernel tests prove it against the real LIO.
 *
 * A plain directory is not configfs, so this program stands in for the
 * kernel: it defines mkdir(), rmdir() and write(), which the statically
 * linked library then calls instead of libc's.
 *  - mkdir of an HBA, object or ALUA group under the root creates the
 *    attribute files and default groups the kernel would show;
 *  - rmdir removes them again first, as configfs does;
 *  - write to a file under the root replaces its content (a configfs
 *    store) and is logged, so tests see every write in order; one write
 *    can be made to fail, as the kernel refusing a value.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lio.h"
#include "private.h"
#include "tap.h"

static char g_tmp[PATH_MAX];  /* mkdtemp directory (realpath) */
static char g_root[PATH_MAX]; /* <tmp>/target */
static char g_log[16384];     /* "rel=value\n" per write; '\n' in values as "\\n" */
static char g_fail[256];      /* relative path whose next write fails */

/* snprintf without -Wformat-truncation noise: test paths are short. */
static int fmt(char *buf, size_t len, const char *f, ...) LIO_PRINTF(3, 4);
static int fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, len, f, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------------ */
/* The fake kernel                                                     */

static int real_mkdir(const char *path, mode_t mode)
{
	return (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);
}

static int real_rmdir(const char *path)
{
	return (int)syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
}

/* Path relative to the root, or NULL when outside it. */
static const char *rel(const char *path)
{
	size_t len = strlen(g_root);

	if (!g_root[0] || strncmp(path, g_root, len) || path[len] != '/')
		return NULL;
	return path + len + 1;
}

static int depth(const char *r)
{
	int d = 1;

	for (; *r; r++)
		d += *r == '/';
	return d;
}

static void put(const char *dir, const char *name, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	fmt(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(content, f);
	fclose(f);
}

static void sub(const char *dir, const char *name, char *out)
{
	fmt(out, PATH_MAX, "%s/%s", dir, name);
	real_mkdir(out, 0755);
}

static void populate_alua_group(const char *dir)
{
	static const char *const zero[] = {
		"alua_access_state", "alua_write_metadata", "preferred", "nonop_delay_msecs",
		"trans_delay_msecs", "implicit_trans_secs", "alua_support_offline",
		"alua_support_standby", "alua_support_transitioning",
		"alua_support_active_nonoptimized", "alua_support_unavailable",
		"alua_support_active_optimized", "alua_support_lba_dependent",
	};

	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		put(dir, zero[i], "0\n");
	put(dir, "alua_access_type", "Implicit and Explicit\n");
	put(dir, "alua_access_status", "None\n");
	put(dir, "tg_pt_gp_id", "");
	put(dir, "members", "");
}

static void populate_so(const char *dir, const char *hba)
{
	bool passthrough = !strncmp(hba, "pscsi_", 6) || !strncmp(hba, "user_", 5);
	char d[PATH_MAX], g[PATH_MAX];

	put(dir, "info", "Status: DEACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 1024\n");
	put(dir, "control", "");
	put(dir, "udev_path", "");
	put(dir, "enable", "0\n");
	put(dir, "alias", "");
	sub(dir, "attrib", d);
	put(d, "emulate_write_cache", "0\n");
	put(d, "hw_block_size", "512\n");
	put(d, "alua_support", passthrough ? "0\n" : "1\n");
	sub(dir, "pr", d);
	put(d, "res_aptpl_metadata", "");
	sub(dir, "wwn", d);
	put(d, "vpd_unit_serial", "T10 VPD Unit Serial Number: \n");
	sub(dir, "statistics", d);
	sub(dir, "alua", d);
	sub(d, "default_tg_pt_gp", g);
	populate_alua_group(g);
	put(g, "tg_pt_gp_id", "0\n");
}

static void unlink_in(const char *dir, const char *name)
{
	char path[PATH_MAX];

	fmt(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void depopulate_alua_group(const char *dir)
{
	static const char *const files[] = {
		"alua_access_state", "alua_write_metadata", "preferred", "nonop_delay_msecs",
		"trans_delay_msecs", "implicit_trans_secs", "alua_support_offline",
		"alua_support_standby", "alua_support_transitioning",
		"alua_support_active_nonoptimized", "alua_support_unavailable",
		"alua_support_active_optimized", "alua_support_lba_dependent",
		"alua_access_type", "alua_access_status", "tg_pt_gp_id", "members",
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		unlink_in(dir, files[i]);
}

static void depopulate_so(const char *dir)
{
	static const char *const files[] = {
		"info", "control", "udev_path", "enable", "alias", "attrib/emulate_write_cache",
		"attrib/hw_block_size", "attrib/alua_support", "pr/res_aptpl_metadata",
		"wwn/vpd_unit_serial",
	};
	static const char *const dirs[] = { "attrib", "pr", "wwn", "statistics", "alua" };
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		unlink_in(dir, files[i]);
	fmt(path, sizeof(path), "%s/alua/default_tg_pt_gp", dir);
	depopulate_alua_group(path);
	real_rmdir(path);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		fmt(path, sizeof(path), "%s/%s", dir, dirs[i]);
		real_rmdir(path);
	}
}

static bool is_hba_name(const char *r, size_t len)
{
	const char *us = memrchr(r, '_', len);

	return us && us > r && us + 1 < r + len &&
	       strspn(us + 1, "0123456789") == (size_t)(r + len - us - 1);
}

enum fake_kind { FAKE_NONE, FAKE_HBA, FAKE_SO, FAKE_ALUA };

static enum fake_kind kind_of(const char *r)
{
	const char *second;

	if (!r || strncmp(r, "core/", 5))
		return FAKE_NONE;
	second = r + 5;
	switch (depth(r)) {
	case 2:
		return is_hba_name(second, strlen(second)) ? FAKE_HBA : FAKE_NONE;
	case 3:
		return is_hba_name(second, (size_t)(strchr(second, '/') - second)) ? FAKE_SO :
										  FAKE_NONE;
	case 5:
		return strstr(r, "/alua/") ? FAKE_ALUA : FAKE_NONE;
	}
	return FAKE_NONE;
}

int mkdir(const char *path, mode_t mode)
{
	const char *r = rel(path);
	char hba[128];
	int ret = real_mkdir(path, mode);

	if (ret < 0)
		return ret;
	switch (kind_of(r)) {
	case FAKE_HBA:
		put(path, "hba_info", "HBA Index: 1 plugin: x version: v5.0\n");
		put(path, "hba_mode", "0\n");
		break;
	case FAKE_SO:
		fmt(hba, sizeof(hba), "%.*s", (int)(strchr(r + 5, '/') - (r + 5)), r + 5);
		populate_so(path, hba);
		break;
	case FAKE_ALUA:
		populate_alua_group(path);
		break;
	case FAKE_NONE:
		break;
	}
	return 0;
}

int rmdir(const char *path)
{
	switch (kind_of(rel(path))) {
	case FAKE_HBA:
		unlink_in(path, "hba_info");
		unlink_in(path, "hba_mode");
		break;
	case FAKE_SO:
		depopulate_so(path);
		break;
	case FAKE_ALUA:
		depopulate_alua_group(path);
		break;
	case FAKE_NONE:
		break;
	}
	return real_rmdir(path);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	char link[64], path[PATH_MAX];
	const char *r;
	ssize_t len;

	fmt(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, path, sizeof(path) - 1);
	if (len > 0) {
		path[len] = '\0';
		r = rel(path);
	} else {
		r = NULL;
	}
	if (!r)
		return syscall(SYS_write, fd, buf, count);
	if (g_fail[0] && !strcmp(r, g_fail)) {
		g_fail[0] = '\0';
		errno = EINVAL;
		return -1;
	}
	size_t used = strlen(g_log);
	used += (size_t)fmt(g_log + used, sizeof(g_log) - used, "%s=", r);
	for (size_t i = 0; i < count && used + 3 < sizeof(g_log); i++) {
		char c = ((const char *)buf)[i];

		if (c == '\n') {
			g_log[used++] = '\\';
			g_log[used++] = 'n';
		} else {
			g_log[used++] = c;
		}
	}
	if (used + 2 < sizeof(g_log))
		g_log[used++] = '\n';
	g_log[used] = '\0';
	/* A configfs store replaces the value. */
	if (ftruncate(fd, 0) < 0)
		return -1;
	return syscall(SYS_pwrite64, fd, buf, count, (off_t)0);
}

/* Listings of core/ (lio_subdirs_at() and its kin call getdents64). */
static int g_core_reads;

ssize_t getdents64(int fd, void *buf, size_t count)
{
	char link[64], path[PATH_MAX], core[PATH_MAX];
	ssize_t len;

	fmt(link, sizeof(link), "/proc/self/fd/%d", fd);
	fmt(core, sizeof(core), "%s/core", g_root);
	len = readlink(link, path, sizeof(path) - 1);
	if (len > 0) {
		path[len] = '\0';
		if (g_root[0] && !strcmp(path, core))
			g_core_reads++;
	}
	return syscall(SYS_getdents64, fd, buf, count);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char g_notes[2048];

static void note_fn(void *data, const char *msg)
{
	(void)data;
	strncat(g_notes, msg, sizeof(g_notes) - strlen(g_notes) - 2);
	strcat(g_notes, "\n");
}

static void reset_log(void)
{
	g_log[0] = '\0';
	g_notes[0] = '\0';
}

static char *path_in(const char *f, ...) LIO_PRINTF(1, 2);
static char *path_in(const char *f, ...)
{
	static char bufs[8][PATH_MAX];
	static int next;
	char *b = bufs[next++ % 8];
	va_list ap;
	int n;

	n = fmt(b, PATH_MAX, "%s/", g_tmp);
	va_start(ap, f);
	vsnprintf(b + n, (size_t)(PATH_MAX - n), f, ap);
	va_end(ap);
	return b;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* The entries of core/, sorted, one string. */
static char *core_listing(void)
{
	static char out[2048];
	struct lio_ctx *tmp;
	char **names = NULL;
	size_t n = 0;
	char core[PATH_MAX];

	fmt(core, sizeof(core), "%s/core", g_root);
	out[0] = '\0';
	if (lio_new(&tmp, g_tmp) < 0)
		return out;
	if (lio_list_dir(tmp, core, NULL, true, &names, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			strncat(out, names[i], sizeof(out) - strlen(out) - 2);
			strcat(out, " ");
		}
	lio_strv_free(names, n);
	lio_unref(tmp);
	return out;
}

static struct lio_so_spec spec_of(enum lio_plugin plugin, const char *name)
{
	return (struct lio_so_spec){
		.plugin = plugin,
		.name = name,
		.write_back = LIO_DEFAULT,
		.sparse = LIO_DEFAULT,
		.readonly = LIO_DEFAULT,
		.aio = LIO_DEFAULT,
	};
}

#define CHECK_ERR(ctx, call, err, msg)                                         \
	do {                                                                   \
		int _r = (call);                                               \
		tap_check(_r == (err) && strstr(lio_errmsg(ctx), (msg)), __FILE__, \
			  __LINE__, #call, "returned %d '%s', want %d '...%s...'", _r, \
			  lio_errmsg(ctx), (err), (msg));                      \
	} while (0)
#define CHECK_OK(ctx, call)                                                    \
	do {                                                                   \
		int _r = (call);                                               \
		tap_check(_r >= 0, __FILE__, __LINE__, #call, "returned %d: %s", _r, \
			  lio_errmsg(ctx));                                    \
	} while (0)

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void test_free_index(void)
{
	char *none[] = { NULL };
	char *some[] = { "fileio_0", "iblock_2", "rd_mcp_5", "alua", "junk_x", "user_", "_4" };
	char *more[] = { "fileio_0", "iblock_2", "rd_mcp_5", "fileio_1" };
	char *dups[] = { "fileio_1", "iblock_1", "pscsi_0", "user_1048576" };
	char *all[] = { "a_0", "a_1", "a_2", "a_3" };
	char prefix[16];
	unsigned idx = 99;

	CHECK(lio_hba_free_index(none, 0, &idx) == 0 && idx == 0);
	CHECK(lio_hba_free_index(some, ARRAY_SIZE(some), &idx) == 0);
	CHECK_INT(idx, 1);
	CHECK(lio_hba_free_index(more, ARRAY_SIZE(more), &idx) == 0);
	CHECK_INT(idx, 3);
	CHECK(lio_hba_free_index(dups, ARRAY_SIZE(dups), &idx) == 0);
	CHECK_INT(idx, 2);
	CHECK(lio_hba_free_index(all, ARRAY_SIZE(all), &idx) == 0);
	CHECK_INT(idx, 4);

	CHECK(lio_hba_parse("rd_mcp_5", prefix, sizeof(prefix), &idx) == 0);
	CHECK_STR(prefix, "rd_mcp");
	CHECK_INT(idx, 5);
	CHECK(lio_hba_parse("alua", prefix, sizeof(prefix), &idx) < 0);
	CHECK(lio_hba_parse("fileio_x", prefix, sizeof(prefix), &idx) < 0);
	CHECK(lio_hba_parse("fileio_1048576", prefix, sizeof(prefix), &idx) < 0);
}

static void test_plugins(void)
{
	enum lio_plugin p;

	CHECK_STR(lio_plugin_name(LIO_PLUGIN_RAMDISK), "ramdisk");
	CHECK_STR(lio_plugin_hba_prefix(LIO_PLUGIN_RAMDISK), "rd_mcp");
	CHECK_STR(lio_plugin_hba_prefix(LIO_PLUGIN_BLOCK), "iblock");
	CHECK(lio_plugin_from_name("rd_mcp", &p) == 0 && p == LIO_PLUGIN_RAMDISK);
	CHECK(lio_plugin_from_name("ramdisk", &p) == 0 && p == LIO_PLUGIN_RAMDISK);
	CHECK(lio_plugin_from_name("iblock", &p) == 0 && p == LIO_PLUGIN_BLOCK);
	CHECK(lio_plugin_from_name("user", &p) == 0 && p == LIO_PLUGIN_USER);
	CHECK(lio_plugin_from_name("nope", &p) == -EINVAL);
	CHECK(lio_plugin_name((enum lio_plugin)LIO_PLUGINS) == NULL);
}

/* Fixtures: fileio_0/a, iblock_2/b, rd_mcp_5/c as left by someone else. */
static void make_fixtures(void)
{
	mkdir(path_in("target"), 0755);
	mkdir(path_in("target/core"), 0755);
	mkdir(path_in("target/core/alua"), 0755);
	mkdir(path_in("target/core/fileio_0"), 0755);
	mkdir(path_in("target/core/fileio_0/a"), 0755);
	mkdir(path_in("target/core/iblock_2"), 0755);
	mkdir(path_in("target/core/iblock_2/b"), 0755);
	mkdir(path_in("target/core/rd_mcp_5"), 0755);
	mkdir(path_in("target/core/rd_mcp_5/c"), 0755);
	mkdir(path_in("files"), 0755);
}

static void test_ramdisk_and_index(struct lio_ctx *ctx)
{
	struct lio_so_spec spec = spec_of(LIO_PLUGIN_RAMDISK, "r1");
	struct lio_so *so = NULL, *so2 = NULL;
	char want[512];

	reset_log();
	spec.size = 1048576 + 100; /* rounds to 256 pages */
	spec.wwn = "ramdisk-serial";
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	if (!so)
		return;
	CHECK_INT(lio_so_hba_index(so), 1);
	CHECK_STR(lio_so_name(so), "r1");
	CHECK(lio_so_plugin(so) == LIO_PLUGIN_RAMDISK);
	CHECK_STR(lio_obj_path(lio_obj(so)), path_in("target/core/rd_mcp_1/r1"));
	fmt(want, sizeof(want),
		 "core/rd_mcp_1/r1/control=rd_pages=%ld\n"
		 "core/rd_mcp_1/r1/enable=1\\n\n"
		 "core/rd_mcp_1/r1/wwn/vpd_unit_serial=ramdisk-serial\\n\n",
		 (1048576 + 100 + sysconf(_SC_PAGESIZE) / 2) / sysconf(_SC_PAGESIZE));
	CHECK_STR(g_log, want);
	/* The lock file is the one asked for. */
	CHECK(access(path_in("lock"), F_OK) == 0);

	/* nullio, and a generated serial (a uuid4) */
	reset_log();
	spec = spec_of(LIO_PLUGIN_RAMDISK, "r2");
	spec.size = 1; /* less than a page is one page */
	spec.nullio = true;
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so2));
	CHECK_INT(so2 ? lio_so_hba_index(so2) : 0, 3);
	CHECK(strstr(g_log, "core/rd_mcp_3/r2/control=rd_pages=1\n"
			    "core/rd_mcp_3/r2/control=rd_nullio=1\n"
			    "core/rd_mcp_3/r2/enable=1\\n\n"
			    "core/rd_mcp_3/r2/wwn/vpd_unit_serial=") == g_log);
	{
		const char *serial = strstr(g_log, "vpd_unit_serial=");

		CHECK(serial && strlen(serial) == strlen("vpd_unit_serial=") + 36 + 3 &&
		      serial[strlen("vpd_unit_serial=") + 14] == '4');
	}
	lio_so_unref(so2);

	/* Same plugin and name again: refused before anything is made. */
	reset_log();
	spec = spec_of(LIO_PLUGIN_RAMDISK, "r1");
	spec.size = 4096;
	so2 = NULL;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so2), -EEXIST, "Storage object ramdisk/r1 exists");
	CHECK(so2 == NULL);
	CHECK_STR(g_log, "");
	CHECK_STR(core_listing(), "alua fileio_0 iblock_2 rd_mcp_1 rd_mcp_3 rd_mcp_5 ");
	lio_so_unref(so);
}

static void test_fileio(struct lio_ctx *ctx)
{
	struct lio_so_spec spec = spec_of(LIO_PLUGIN_FILEIO, "f1");
	char file[PATH_MAX];
	struct lio_so *so = NULL;
	char want[2048];
	struct stat st;

	/* A new sparse file, write-back by default. */
	reset_log();
	fmt(file, sizeof(file), "%s", path_in("files/f1.img"));
	spec.dev = file;
	spec.size = 64 << 20;
	spec.wwn = "serial-f1";
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	CHECK_INT(so ? lio_so_hba_index(so) : 0, 4);
	CHECK(stat(file, &st) == 0);
	CHECK_INT(st.st_size, 64 << 20);
	CHECK_MSG((uint64_t)st.st_blocks * 512 < (1 << 20), "sparse file has %lld blocks",
		  (long long)st.st_blocks);
	CHECK_INT(st.st_mode & 0777, 0600);
	fmt(want, sizeof(want),
		 "core/fileio_4/f1/control=fd_dev_name=%s,fd_dev_size=67108864\n"
		 "core/fileio_4/f1/attrib/emulate_write_cache=1\n"
		 "core/fileio_4/f1/control=fd_buffered_io=1\n"
		 "core/fileio_4/f1/udev_path=%s\n"
		 "core/fileio_4/f1/enable=1\\n\n"
		 "core/fileio_4/f1/wwn/vpd_unit_serial=serial-f1\\n\n",
		 file, file);
	CHECK_STR(g_log, want);
	/* What the last writes left, as the kernel would keep it. */
	CHECK_STR(slurp(path_in("target/core/fileio_4/f1/udev_path")), file);
	CHECK_STR(slurp(path_in("target/core/fileio_4/f1/control")), "fd_buffered_io=1");
	lio_so_unref(so);

	/* Allocated, write-through, async. */
	reset_log();
	fmt(file, sizeof(file), "%s", path_in("files/f2.img"));
	spec = spec_of(LIO_PLUGIN_FILEIO, "f2");
	spec.dev = file;
	spec.size = 1 << 20;
	spec.sparse = LIO_NO;
	spec.write_back = LIO_NO;
	spec.aio = LIO_YES;
	spec.wwn = "serial-f2";
	so = NULL;
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	CHECK(stat(file, &st) == 0);
	CHECK_INT(st.st_size, 1 << 20);
	CHECK_MSG((uint64_t)st.st_blocks * 512 >= (1 << 20), "allocated file has %lld blocks",
		  (long long)st.st_blocks);
	CHECK(strstr(g_notes, "Writing 1048576 bytes") != NULL);
	fmt(want, sizeof(want),
		 "core/fileio_6/f2/control=fd_dev_name=%s,fd_dev_size=1048576\n"
		 "core/fileio_6/f2/control=fd_async_io=1\n"
		 "core/fileio_6/f2/udev_path=%s\n"
		 "core/fileio_6/f2/enable=1\\n\n"
		 "core/fileio_6/f2/wwn/vpd_unit_serial=serial-f2\\n\n",
		 file, file);
	CHECK_STR(g_log, want);
	lio_so_unref(so);

	/* An existing file keeps its size; a different size is only noted. */
	reset_log();
	fmt(file, sizeof(file), "%s", path_in("files/existing.img"));
	write_text(file, "12345678");
	spec = spec_of(LIO_PLUGIN_FILEIO, "f3");
	spec.dev = file;
	spec.size = 4096;
	so = NULL;
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	fmt(want, sizeof(want), "core/fileio_7/f3/control=fd_dev_name=%s,fd_dev_size=8\n",
		 file);
	CHECK(strstr(g_log, want) == g_log);
	fmt(want, sizeof(want), "%s exists, using its size (8 bytes) instead\n", file);
	CHECK_STR(g_notes, want);
	CHECK_STR(slurp(file), "12345678");
	lio_so_unref(so);

	/* The same file again, under any name: refused. */
	reset_log();
	spec = spec_of(LIO_PLUGIN_FILEIO, "f4");
	spec.dev = path_in("files/../files/existing.img");
	so = NULL;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EEXIST, "already exists: f3");
	CHECK_STR(g_log, "");
}

/* Failures before and after the mkdirs leave nothing behind. */
static void test_failures(struct lio_ctx *ctx)
{
	const char *before;
	char snapshot[2048];
	struct lio_so_spec spec;
	struct lio_so *so = NULL;

	fmt(snapshot, sizeof(snapshot), "%s", core_listing());
	before = snapshot;

	spec = spec_of(LIO_PLUGIN_RAMDISK, "a/b");
	spec.size = 4096;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "Invalid storage object name 'a/b'");
	spec.name = "a b";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "Invalid storage object name");
	spec.name = "..";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "Invalid storage object name");
	spec.name = "";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "Invalid storage object name");
	spec.name = "two\nlines";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "cannot contain line breaks");
	CHECK(strchr(lio_errmsg(ctx), '\n') == NULL);
	spec = spec_of(LIO_PLUGIN_RAMDISK, "r9");
	spec.size = 4096;
	spec.wwn = "bad\nserial";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "unit serial cannot contain");

	spec = spec_of(LIO_PLUGIN_FILEIO, "dir");
	spec.dev = path_in("files");
	spec.size = 4096;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "exists but is not a file");

	spec = spec_of(LIO_PLUGIN_FILEIO, "nosize");
	spec.dev = path_in("files/nosize.img");
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL,
		  "Attempting to create file for new fileio backstore, need a size");
	CHECK(access(path_in("files/nosize.img"), F_OK) < 0);

	spec.dev = path_in("files/comma,name.img");
	spec.size = 4096;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "cannot contain ','");
	spec.dev = "/dev/x\ny";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "cannot contain line breaks");

	spec = spec_of(LIO_PLUGIN_BLOCK, "blk");
	spec.dev = path_in("files/existing.img");
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -ENODEV, "is not a block device");
	spec.dev = "/nonexistent/disk";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -ENOENT,
		  "Cannot open /nonexistent/disk: No such file or directory");
	spec.dev = NULL;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "A device path is needed");

	spec = spec_of(LIO_PLUGIN_USER, "u");
	spec.config = "rbd/pool:img";
	spec.size = 1 << 30;
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "':' not allowed in config string");
	spec.config = "nohandler";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "must contain a '/'");

	spec = spec_of(LIO_PLUGIN_PSCSI, "p");
	spec.dev = "9:9:9:x";
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -ENODEV, "not in H:C:T:L format: 9:9:9:x");
	CHECK(so == NULL);
	CHECK_STR(core_listing(), before);

	/* The kernel refuses a write after both mkdirs and the file. */
	reset_log();
	spec = spec_of(LIO_PLUGIN_FILEIO, "late");
	spec.dev = path_in("files/late.img");
	spec.size = 1 << 20;
	fmt(g_fail, sizeof(g_fail), "core/fileio_8/late/enable");
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "/core/fileio_8/late/enable: Invalid argument");
	CHECK(strchr(lio_errmsg(ctx), '\n') == NULL);
	CHECK(strstr(lio_errmsg(ctx), "Cannot write '1' to ") == lio_errmsg(ctx));
	CHECK(so == NULL);
	CHECK(strstr(g_log, "core/fileio_8/late/udev_path=") != NULL);
	CHECK(access(path_in("files/late.img"), F_OK) < 0);
	CHECK_STR(core_listing(), before);

	/* ... or the very first control write. */
	reset_log();
	spec = spec_of(LIO_PLUGIN_RAMDISK, "early");
	spec.size = 4096;
	fmt(g_fail, sizeof(g_fail), "core/rd_mcp_8/early/control");
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "Cannot write 'rd_pages=1' to ");
	CHECK_STR(core_listing(), before);

	/* An existing file is never removed by a failed create. */
	spec = spec_of(LIO_PLUGIN_FILEIO, "keep");
	spec.dev = path_in("files/keep.img");
	write_text(spec.dev, "data");
	fmt(g_fail, sizeof(g_fail), "core/fileio_8/keep/udev_path");
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &so), -EINVAL, "udev_path: Invalid argument");
	CHECK_STR(slurp(spec.dev), "data");
	CHECK_STR(core_listing(), before);
	g_fail[0] = '\0';
}

static void test_user(struct lio_ctx *ctx)
{
	struct lio_so_spec spec = spec_of(LIO_PLUGIN_USER, "u1");
	struct lio_so_info info;
	struct lio_so *so = NULL;

	reset_log();
	spec.config = "file/some/image";
	spec.size = 1 << 30;
	spec.hw_max_sectors = 128;
	spec.control = "  max_data_area_mb=8 ";
	spec.wwn = "serial-u1";
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	if (!so)
		return;
	CHECK_STR(g_log, "core/user_8/u1/control=dev_config=file/some/image\n"
			 "core/user_8/u1/control=dev_size=1073741824\n"
			 "core/user_8/u1/control=hw_max_sectors=128\n"
			 "core/user_8/u1/control=max_data_area_mb=8\n"
			 "core/user_8/u1/enable=1\\n\n"
			 "core/user_8/u1/wwn/vpd_unit_serial=serial-u1\\n\n");

	write_text(path_in("target/core/user_8/u1/info"),
		   "Status: DEACTIVATED  Max Queue Depth: 128  SectorSize: 512  HwMaxSectors: 128\n"
		   "        Config: file/some/image Size: 1073741824 MaxDataAreaMB: 8 DataPagesPerBlk: 4\n");
	write_text(path_in("target/core/user_8/u1/wwn/vpd_unit_serial"),
		   "T10 VPD Unit Serial Number: serial-u1\n");
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK_INT(info.size, 1 << 30);
	CHECK_STR(info.config, "file/some/image");
	CHECK_INT(info.hw_max_sectors, 128);
	CHECK_STR(info.control, "max_data_area_mb=8,hw_block_size=512,data_pages_per_blk=4");
	CHECK_STR(info.wwn, "serial-u1");
	CHECK(!info.activated);
	CHECK(info.configured);
	lio_so_info_clear(&info);
	CHECK(info.config == NULL);
	/* ALUA needs the kernel's word for tcmu. */
	{
		struct lio_alua_tpg *g = NULL;

		CHECK_ERR(ctx, lio_alua_tpg_create(so, "g", 2, &g), -EOPNOTSUPP,
			  "Backend does not support ALUA setup");
	}
	lio_so_unref(so);
}

static void test_lookup_list(struct lio_ctx *ctx)
{
	static const char *const want[] = {
		"fileio/a", "ramdisk/r1", "block/b", "ramdisk/r2", "fileio/f1",
		"ramdisk/c", "fileio/f2", "fileio/f3", "user/u1",
	};
	struct lio_so **list = NULL;
	struct lio_so *so = NULL;
	size_t n = 0;

	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "a", &so));
	CHECK_INT(so ? lio_so_hba_index(so) : 99, 0);
	lio_so_unref(so);
	so = NULL;
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_RAMDISK, "c", &so));
	CHECK_INT(so ? lio_so_hba_index(so) : 99, 5);
	lio_so_unref(so);
	so = NULL;
	CHECK_ERR(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "c", &so), -ENOENT,
		  "No storage object named fileio/c");
	CHECK_ERR(ctx, lio_so_lookup(ctx, LIO_PLUGIN_BLOCK, "../x", &so), -ENOENT,
		  "No storage object named block/../x");
	CHECK(so == NULL);

	CHECK_OK(ctx, lio_so_list(ctx, -1, &list, &n));
	CHECK_INT(n, ARRAY_SIZE(want));
	for (size_t i = 0; i < n && i < ARRAY_SIZE(want); i++) {
		char got[128];

		fmt(got, sizeof(got), "%s/%s", lio_plugin_name(lio_so_plugin(list[i])),
			 lio_so_name(list[i]));
		CHECK_STR(got, want[i]);
	}
	lio_list_free(list, n);
	CHECK_OK(ctx, lio_so_list(ctx, LIO_PLUGIN_FILEIO, &list, &n));
	CHECK_INT(n, 4);
	lio_list_free(list, n);
	CHECK_ERR(ctx, lio_so_list(ctx, LIO_PLUGINS, &list, &n), -EINVAL, "Unknown storage plugin");
}

static void test_info(struct lio_ctx *ctx)
{
	struct lio_so_info info;
	struct lio_so *so = NULL;
	char *text = NULL;

	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "f1", &so));
	if (!so)
		return;
	write_text(path_in("target/core/fileio_4/f1/info"),
		   "Status: ACTIVATED  Max Queue Depth: 128  SectorSize: 512  HwMaxSectors: 16384\n"
		   "        TCM FILEIO ID: 0        File: /elsewhere  Size: 67108864  Mode: Buffered-WCE Async: 1\n");
	write_text(path_in("target/core/fileio_4/f1/wwn/vpd_unit_serial"),
		   "T10 VPD Unit Serial Number: serial-f1\n");
	write_text(path_in("target/core/fileio_4/f1/enable"), "1\n");
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK(info.activated);
	CHECK(info.configured);
	CHECK_INT(info.size, 64 << 20);
	CHECK_STR(info.dev, path_in("files/f1.img"));
	CHECK_STR(info.wwn, "serial-f1");
	CHECK(info.write_back);
	CHECK(info.aio);
	CHECK_STR(info.version, "v5.0");
	lio_so_info_clear(&info);
	CHECK_OK(ctx, lio_so_info_text(so, &text));
	CHECK(text && strstr(text, "TCM FILEIO ID: 0") && text[strlen(text) - 1] == '1');
	free(text);

	/* Without udev_path, fileio names its file in info. */
	write_text(path_in("target/core/fileio_4/f1/udev_path"), "");
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK_STR(info.dev, "/elsewhere");
	lio_so_info_clear(&info);
	lio_so_unref(so);

	so = NULL;
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_RAMDISK, "r2", &so));
	if (!so)
		return;
	write_text(path_in("target/core/rd_mcp_3/r2/enable"), "0\n");
	write_text(path_in("target/core/rd_mcp_3/r2/info"),
		   "Status: DEACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 1024\n"
		   "        TCM RamDisk ID: 0  RamDisk Makeup: rd_mcp\n"
		   "        PAGES/PAGE_SIZE: 256*4096  SG_table_count: 1  nullio: 1\n");
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK(!info.activated);
	CHECK_INT(info.size, 1 << 20);
	CHECK(info.nullio);
	CHECK(!info.write_back);
	/* An unconfigured object has no serial to show. */
	CHECK(!info.configured);
	CHECK(info.wwn == NULL);
	lio_so_info_clear(&info);
	lio_so_unref(so);

	so = NULL;
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_BLOCK, "b", &so));
	if (!so)
		return;
	write_text(path_in("target/core/iblock_2/b/info"),
		   "Status: DEACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 1024\n"
		   "        iBlock device: nosuchdisk9  UDEV PATH: /dev/nosuchdisk9  readonly: 1\n"
		   "        Major: 0 Minor: 0\n");
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK(info.readonly);
	CHECK_INT(info.size, 0);
	CHECK_STR(info.dev, "/dev/nosuchdisk9");
	lio_so_info_clear(&info);
	lio_so_unref(so);
}

static void test_alua(struct lio_ctx *ctx)
{
	struct lio_alua_tpg **groups = NULL, *g = NULL, *g2 = NULL;
	struct lio_so *so = NULL;
	long long v = -1;
	size_t n = 0;

	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "f2", &so));
	if (!so)
		return;
	CHECK(lio_so_alua_supported(so));
	reset_log();
	CHECK_OK(ctx, lio_alua_tpg_create(so, "g1", 7, &g));
	CHECK_STR(g_log, "core/fileio_6/f2/alua/g1/tg_pt_gp_id=7\n");
	CHECK_STR(lio_alua_tpg_name(g), "g1");
	CHECK(lio_obj_kind(lio_obj(g)) == LIO_KIND_ALUA_TPG);
	CHECK_STR(lio_obj_path(lio_obj(g)), path_in("target/core/fileio_6/f2/alua/g1"));
	CHECK_ERR(ctx, lio_alua_tpg_create(so, "g1", 8, &g2), -EEXIST, "ALUA group g1 already exists");
	CHECK_ERR(ctx, lio_alua_tpg_create(so, "g0", 0, &g2), -ERANGE, "between 1 and 65535");
	CHECK_ERR(ctx, lio_alua_tpg_create(so, "g0", 65536, &g2), -ERANGE, "between 1 and 65535");
	fmt(g_fail, sizeof(g_fail), "core/fileio_6/f2/alua/bad/tg_pt_gp_id");
	CHECK_ERR(ctx, lio_alua_tpg_create(so, "bad", 9, &g2), -EINVAL, "Cannot set id to 9");
	CHECK(access(path_in("target/core/fileio_6/f2/alua/bad"), F_OK) < 0);
	CHECK(g2 == NULL);

	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "alua_access_type", &v));
	CHECK_INT(v, 3);
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "alua_access_status", &v));
	CHECK_INT(v, 0);
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "tg_pt_gp_id", &v));
	CHECK_INT(v, 7);
	write_text(path_in("target/core/fileio_6/f2/alua/g1/alua_access_status"),
		   "Altered by Implicit ALUA\n");
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "alua_access_status", &v));
	CHECK_INT(v, 2);
	CHECK_ERR(ctx, lio_alua_tpg_get_int(g, "members", &v), -EINVAL, "Unexpected members value");
	CHECK_ERR(ctx, lio_alua_tpg_get_int(g, "nonexistent", &v), -ENOENT, "No parameter");
	reset_log();
	CHECK_OK(ctx, lio_alua_tpg_set_int(g, "alua_access_type", 1));
	CHECK_OK(ctx, lio_alua_tpg_set_int(g, "nonop_delay_msecs", 100));
	CHECK_STR(g_log, "core/fileio_6/f2/alua/g1/alua_access_type=1\n"
			 "core/fileio_6/f2/alua/g1/nonop_delay_msecs=100\n");

	CHECK_OK(ctx, lio_alua_tpg_list(so, &groups, &n));
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(lio_alua_tpg_name(groups[0]), "default_tg_pt_gp");
		CHECK_STR(lio_alua_tpg_name(groups[1]), "g1");
		CHECK_ERR(ctx, lio_alua_tpg_delete(groups[0]), -EPERM, "default_tg_pt_gp");
	}
	lio_list_free(groups, n);
	CHECK_OK(ctx, lio_alua_tpg_lookup(so, "g1", &g2));
	lio_alua_tpg_unref(g2);
	g2 = NULL;
	CHECK_ERR(ctx, lio_alua_tpg_lookup(so, "nope", &g2), -ENOENT, "No ALUA group named nope");
	lio_alua_tpg_unref(g);
	/* Another group stays for lio_so_delete to remove. */
	CHECK_OK(ctx, lio_alua_tpg_create(so, "g2", 8, &g));
	CHECK_OK(ctx, lio_alua_tpg_delete(g));
	CHECK(access(path_in("target/core/fileio_6/f2/alua/g2"), F_OK) < 0);
	CHECK_ERR(ctx, lio_alua_tpg_delete(g), -ENOENT, "No ALUA group named g2");
	lio_alua_tpg_unref(g);
	lio_so_unref(so);
}

static void link_lun(const char *lun_dir, const char *alias, const char *so_path)
{
	char link[PATH_MAX];

	mkdir(lun_dir, 0755);
	fmt(link, sizeof(link), "%s/%s", lun_dir, alias);
	CHECK(symlink(so_path, link) == 0);
}

static void test_luns_and_delete(struct lio_ctx *ctx)
{
	const char *tgt = "target/iscsi/iqn.2003-01.org.example:t1";
	struct lio_so *so = NULL, *other = NULL;
	struct lio_lun **luns = NULL;
	size_t n = 0;

	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "f2", &so));
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "f1", &other));
	if (!so || !other)
		return;
	mkdir(path_in("target/iscsi"), 0755);
	mkdir(path_in("target/iscsi/discovery_auth"), 0755);
	mkdir(path_in("%s", tgt), 0755);
	mkdir(path_in("%s/tpgt_1", tgt), 0755);
	mkdir(path_in("%s/tpgt_1/lun", tgt), 0755);
	mkdir(path_in("%s/tpgt_1/acls", tgt), 0755);
	mkdir(path_in("%s/tpgt_1/np", tgt), 0755);
	link_lun(path_in("%s/tpgt_1/lun/lun_0", tgt), "aaaa", lio_obj_path(lio_obj(other)));
	link_lun(path_in("%s/tpgt_1/lun/lun_3", tgt), "bbbb", lio_obj_path(lio_obj(so)));
	/* A mapped LUN on the one to go. */
	mkdir(path_in("%s/tpgt_1/acls/iqn.1994-05.com.example:i1", tgt), 0755);
	link_lun(path_in("%s/tpgt_1/acls/iqn.1994-05.com.example:i1/lun_0", tgt), "cccc",
		 path_in("%s/tpgt_1/lun/lun_3", tgt));

	CHECK_OK(ctx, lio_so_luns(so, &luns, &n));
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_INT(lio_lun_index(luns[0]), 3);
	lio_list_free(luns, n);

	CHECK_OK(ctx, lio_so_delete(so));
	CHECK(access(path_in("target/core/fileio_6"), F_OK) < 0);
	CHECK(access(path_in("%s/tpgt_1/lun/lun_3", tgt), F_OK) < 0);
	CHECK(access(path_in("%s/tpgt_1/acls/iqn.1994-05.com.example:i1/lun_0", tgt), F_OK) < 0);
	CHECK(access(path_in("%s/tpgt_1/lun/lun_0/aaaa", tgt), F_OK) == 0);
	CHECK(access(path_in("files/f2.img"), F_OK) == 0);
	CHECK(!lio_obj_exists(lio_obj(so)));
	CHECK_ERR(ctx, lio_so_delete(so), -ENOENT, "No storage object named fileio/f2");
	CHECK_ERR(ctx, lio_so_luns(so, &luns, &n), -ENOENT, "No storage object named fileio/f2");
	lio_so_unref(so);
	lio_so_unref(other);
}

/* An HBA holding a second object (another tool's doing) stays. */
static void test_shared_hba(struct lio_ctx *ctx)
{
	struct lio_so *so = NULL;

	mkdir(path_in("target/core/rd_mcp_5/c2"), 0755);
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_RAMDISK, "c", &so));
	if (!so)
		return;
	CHECK_OK(ctx, lio_so_delete(so));
	CHECK(access(path_in("target/core/rd_mcp_5/c2"), F_OK) == 0);
	lio_so_unref(so);
}

static void test_setup_dbroot(struct lio_ctx *ctx)
{
	char want[PATH_MAX + 64];

	write_text(path_in("target/dbroot"), "/var/target\n");
	reset_log();
	CHECK_OK(ctx, lio_setup(ctx, path_in("db"), LIO_SETUP_NO_DBROOT));
	CHECK_STR(g_log, "");
	CHECK_OK(ctx, lio_setup(ctx, path_in("db"), 0));
	fmt(want, sizeof(want), "dbroot=%s\\n\n", path_in("db"));
	CHECK_STR(g_log, want);
	CHECK(lio_is_dir(path_in("db")));
	/* Already set: nothing written. */
	reset_log();
	CHECK_OK(ctx, lio_setup(ctx, path_in("db"), 0));
	CHECK_STR(g_log, "");
	/* The kernel refusing (devices registered) is only a note. */
	write_text(path_in("target/dbroot"), "/var/target\n");
	fmt(g_fail, sizeof(g_fail), "dbroot");
	CHECK_OK(ctx, lio_setup(ctx, path_in("db"), 0));
	CHECK(strstr(g_notes, "Target devices have already been registered") != NULL);
	CHECK_ERR(ctx, lio_setup(ctx, path_in("no/such/dir"), 0), -ENOENT,
		  "Please check if this directory exists.");
	g_fail[0] = '\0';
}

static void test_aptpl(struct lio_ctx *ctx)
{
	struct lio_so_spec spec = spec_of(LIO_PLUGIN_RAMDISK, "pr");
	struct lio_so *so = NULL;

	write_text(path_in("target/dbroot"), path_in("db"));
	mkdir(path_in("db/pr"), 0755);
	write_text(path_in("db/pr/aptpl_serial-pr"),
		   "PR_REG_START: 0\ninitiator_fabric=iSCSI\ninitiator_node=iqn.x:i1\n"
		   "sa_res_key=1\nres_holder=0\ntarget_fabric=iSCSI\ntpgt=1\n"
		   "PR_REG_END: 0\nPR_REG_START: 1\ninitiator_node=iqn.x:i2\nsa_res_key=2\n"
		   "PR_REG_END: 1\n");
	spec.size = 4096;
	spec.wwn = "serial-pr";
	reset_log();
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	CHECK(strstr(g_log,
		     "wwn/vpd_unit_serial=serial-pr\\n\n"
		     "core/rd_mcp_6/pr/pr/res_aptpl_metadata=initiator_fabric=iSCSI,initiator_node=iqn.x:i1,"
		     "sa_res_key=1,res_holder=0,target_fabric=iSCSI,tpgt=1\n"
		     "core/rd_mcp_6/pr/pr/res_aptpl_metadata=initiator_node=iqn.x:i2,sa_res_key=2\n") !=
	      NULL);
	if (so)
		CHECK_OK(ctx, lio_so_delete(so));
	lio_so_unref(so);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return flag == FTW_DP ? real_rmdir(path) : unlink(path);
}

/*
 * Inside a batch, names and HBA numbers come from a view read once; it
 * must agree with configfs through creates, deletes, duplicates and an
 * HBA another tool makes meanwhile.
 */
static void test_batch_index(struct lio_ctx *ctx)
{
	struct lio_so_spec spec = spec_of(LIO_PLUGIN_RAMDISK, "b1");
	struct lio_so *b1 = NULL, *b2 = NULL, *b3 = NULL, *dup = NULL, *found = NULL;
	unsigned idx = 0, taken = 0, first = 0;
	char other[PATH_MAX];

	spec.size = 4096;
	lio_so_index_begin(ctx);
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &b1));
	if (!b1)
		goto out;
	first = lio_so_hba_index(b1);
	CHECK_OK(ctx, lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "b1", &idx));
	CHECK_INT(idx, first);
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_FILEIO, "b1", &idx), -ENOENT);
	CHECK_ERR(ctx, lio_so_create(ctx, &spec, &dup), -EEXIST, "Storage object ramdisk/b1 exists");

	/* another tool takes the number the view would hand out next */
	CHECK_INT(lio_so_index_free_hba(ctx, &taken), 0);
	fmt(other, sizeof(other), "%s/core/rd_mcp_%u", g_root, taken);
	CHECK_INT(mkdir(other, 0755), 0);
	spec = spec_of(LIO_PLUGIN_RAMDISK, "b2");
	spec.size = 4096;
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &b2));
	CHECK(b2 && lio_so_hba_index(b2) != taken && lio_so_hba_index(b2) != first);

	/* a deleted object's name and number are free again */
	CHECK_OK(ctx, lio_so_delete(b1));
	CHECK_INT(lio_so_lookup(ctx, LIO_PLUGIN_RAMDISK, "b1", &found), -ENOENT);
	spec = spec_of(LIO_PLUGIN_RAMDISK, "b3");
	spec.size = 4096;
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &b3));
	CHECK_INT(b3 ? lio_so_hba_index(b3) : 0, first);
out:
	lio_so_index_end(ctx);
	/* outside the batch, configfs itself agrees */
	CHECK_OK(ctx, lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "b3", &idx));
	CHECK_INT(idx, first);
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "b1", &idx), -ENOENT);
	if (b2)
		CHECK_OK(ctx, lio_so_delete(b2));
	if (b3)
		CHECK_OK(ctx, lio_so_delete(b3));
	rmdir(other);
	lio_so_unref(b1);
	lio_so_unref(b2);
	lio_so_unref(b3);
}

/* The names cache file with core/'s key of now in it, as if it were current. */
static void restamp(const char *file)
{
	char text[65536], out[65536], core[PATH_MAX];
	struct lio_dir_key key;
	FILE *f = fopen(file, "r"), *mem;
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	char *body;

	if (f)
		fclose(f);
	text[n] = '\0';
	body = strchr(text, '\n');
	body = body ? strchr(body + 1, '\n') : NULL;
	fmt(core, sizeof(core), "%s/core", g_root);
	CHECK(body && lio_dir_key_at(AT_FDCWD, core, &key) == 0);
	if (!body)
		return;
	mem = fmemopen(out, sizeof(out), "w");
	fputs("lio-so-names 3\n", mem);
	lio_dir_key_print(mem, &key);
	fputs(body + 1, mem);
	fclose(mem);
	write_text(file, out);
}

/* Whether the file's header has core/'s key of now. */
static bool current(const char *file)
{
	char *text = slurp(file), *nl = text ? strchr(text, '\n') : NULL, key_line[256], core[PATH_MAX];
	struct lio_dir_key key;
	FILE *mem;

	fmt(core, sizeof(core), "%s/core", g_root);
	if (!nl || lio_dir_key_at(AT_FDCWD, core, &key) < 0)
		return false;
	mem = fmemopen(key_line, sizeof(key_line), "w");
	lio_dir_key_print(mem, &key);
	fclose(mem);
	return !strncmp(nl + 1, key_line, strlen(key_line));
}

/* The smallest free HBA number, by a listing of core/. */
static unsigned free_hba(void)
{
	char **names = NULL, core[PATH_MAX];
	size_t n = 0;
	unsigned idx = 0;

	fmt(core, sizeof(core), "%s/core", g_root);
	CHECK(lio_list_dir(NULL, core, NULL, true, &names, &n) == 0);
	CHECK(lio_hba_free_index(names, n, &idx) == 0);
	lio_strv_free(names, n);
	return idx;
}

static struct lio_so *ram(struct lio_ctx *ctx, const char *name)
{
	struct lio_so_spec spec = spec_of(LIO_PLUGIN_RAMDISK, name);
	struct lio_so *so = NULL;

	spec.size = 4096;
	CHECK_OK(ctx, lio_so_create(ctx, &spec, &so));
	return so;
}

/* The file's summary line: "<unread> <runs of HBA numbers>". */
static const char *summary(const char *file)
{
	static char line[256];
	char *text = slurp(file), *p = text;

	for (int i = 0; i < 2 && p; i++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	snprintf(line, sizeof(line), "%.*s", p ? (int)(strcspn(p, "\n")) : 0, p ? p : "");
	return line;
}

/* core/'s HBA numbers as the summary writes them, from a listing. */
static const char *runs_of_core(void)
{
	static char out[256];
	char **names = NULL, core[PATH_MAX];
	unsigned used[64];
	size_t n = 0, k = 0;

	fmt(core, sizeof(core), "%s/core", g_root);
	CHECK(lio_list_dir(NULL, core, NULL, true, &names, &n) == 0);
	for (size_t i = 0; i < n && k < 64; i++)
		if (lio_hba_parse(names[i], NULL, 0, &used[k]) == 0)
			k++;
	lio_strv_free(names, n);
	qsort(used, k, sizeof(*used), lio_cmp_unsigned);
	strcpy(out, "0 ");
	for (size_t i = 0; i < k;) {
		size_t j = i;

		while (j + 1 < k && used[j + 1] == used[j] + 1)
			j++;
		fmt(out + strlen(out), sizeof(out) - strlen(out), "%s%u-%u", i ? "," : "", used[i],
		    used[j]);
		i = j + 1;
	}
	if (!k)
		strcat(out, "-");
	return out;
}

/*
 * The summary keeps the HBA numbers as runs: a create takes the smallest
 * free one from it (a hole left by a delete first), and creates and
 * deletes keep it equal to core/, merging and splitting runs.
 */
static void test_core_summary(struct lio_ctx *ctx)
{
	const char *file = path_in("run/so-names");
	struct lio_so *s[4] = { NULL };
	unsigned idx = 0, hole;
	char name[8];

	CHECK_INT(lio_set_cache_dir(ctx, path_in("run")), 0);
	lio_so_names_refresh(ctx);
	CHECK_STR(summary(file), runs_of_core());
	for (int i = 0; i < 4; i++) {
		fmt(name, sizeof(name), "s%d", i);
		s[i] = ram(ctx, name);
		CHECK_STR(summary(file), runs_of_core());
	}
	hole = s[1] ? lio_so_hba_index(s[1]) : 0;
	if (s[1])
		CHECK_OK(ctx, lio_so_delete(s[1]));
	lio_so_unref(s[1]);
	CHECK_STR(summary(file), runs_of_core()); /* a run split in two */
	g_core_reads = 0;
	s[1] = ram(ctx, "s1again");
	CHECK_INT(g_core_reads, 0);
	CHECK_INT(s[1] ? lio_so_hba_index(s[1]) : 0, hole);
	CHECK_STR(summary(file), runs_of_core()); /* joined again */
	/* a name inside another one's is not it */
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "1again", &idx), -ENOENT);
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "s1agai", &idx), -ENOENT);
	CHECK_OK(ctx, lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "s1again", &idx));
	CHECK_INT(idx, hole);
	CHECK_INT(g_core_reads, 0);
	for (int i = 0; i < 4; i++) {
		if (s[i])
			CHECK_OK(ctx, lio_so_delete(s[i]));
		lio_so_unref(s[i]);
		CHECK_STR(summary(file), runs_of_core());
	}
	CHECK_INT(lio_set_cache_dir(ctx, NULL), 0);
}

/*
 * The names cache as a record of core/: while it is current, creates,
 * lookups and deletes do not list core/, and keep it current; when core/
 * changed behind its back, or it is wrong, configfs decides.
 */
static void test_core_cache(struct lio_ctx *ctx)
{
	const char *file = path_in("run/so-names");
	struct lio_so *k1 = NULL, *k2 = NULL, *k3 = NULL, *dup = NULL;
	char want[256], hand[PATH_MAX], *text;
	unsigned idx = 0, expect, next;
	struct stat st;

	CHECK_INT(lio_set_cache_dir(ctx, path_in("run")), 0);
	lio_so_names_refresh(ctx);
	CHECK(current(file));

	/* a create: no listing, and the file has the new HBA and object */
	expect = free_hba();
	g_core_reads = 0;
	k1 = ram(ctx, "k1");
	CHECK_INT(g_core_reads, 0);
	CHECK_INT(k1 ? lio_so_hba_index(k1) : 99, expect);
	CHECK(current(file));
	CHECK(stat(path_in("target/core/rd_mcp_%u", expect), &st) == 0);
	fmt(want, sizeof(want), "\nrd_mcp_%u\t%llu\tk1\n", expect, (unsigned long long)st.st_ino);
	text = slurp(file);
	CHECK_MSG(text && strstr(text, want), "no '%s' in '%s'", want, text);

	/* lookups: found, not found, refused as a duplicate; no listing */
	CHECK_OK(ctx, lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "k1", &idx));
	CHECK_INT(idx, expect);
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "nope", &idx), -ENOENT);
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_FILEIO, "k1", &idx), -ENOENT);
	CHECK_ERR(ctx, lio_so_create(ctx, &(struct lio_so_spec){ .plugin = LIO_PLUGIN_RAMDISK,
								  .name = "k1", .size = 4096 },
				     &dup),
		  -EEXIST, "Storage object ramdisk/k1 exists");
	CHECK_INT(g_core_reads, 0);

	/* a delete: no listing, and the HBA is gone from the file */
	if (k1)
		CHECK_OK(ctx, lio_so_delete(k1));
	CHECK_INT(g_core_reads, 0);
	CHECK(current(file));
	fmt(want, sizeof(want), "\nrd_mcp_%u\t", expect);
	CHECK(!strstr(slurp(file), want));
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "k1", &idx), -ENOENT);
	CHECK_INT(g_core_reads, 0);

	/* an object removed by hand is not believed: configfs is asked */
	k2 = ram(ctx, "k2");
	fmt(hand, sizeof(hand), "%s/core/rd_mcp_%u/k2", g_root, k2 ? lio_so_hba_index(k2) : 0);
	CHECK_INT(rmdir(hand), 0);
	g_core_reads = 0;
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "k2", &idx), -ENOENT);
	CHECK(g_core_reads > 0);
	*strrchr(hand, '/') = '\0';
	CHECK_INT(rmdir(hand), 0); /* core/ changed: the file is not current */
	CHECK(!current(file));

	/*
	 * another tool's HBA: core/ is listed once, the file brought up to
	 * date, and the create keeps it current
	 */
	lio_so_names_refresh(ctx);
	CHECK(current(file));
	expect = free_hba();
	fmt(hand, sizeof(hand), "%s/core/rd_mcp_%u", g_root, expect);
	CHECK_INT(mkdir(hand, 0755), 0);
	g_core_reads = 0;
	k3 = ram(ctx, "k3");
	CHECK(g_core_reads > 0);
	CHECK(k3 && lio_so_hba_index(k3) != expect);
	CHECK(current(file));
	if (k3)
		CHECK_OK(ctx, lio_so_delete(k3));
	lio_so_unref(k3);
	k3 = NULL;

	/*
	 * A file that says current but calls a taken number free: the mkdir
	 * fails, core/ is listed and the next number is taken; the file goes.
	 */
	lio_so_names_refresh(ctx);
	CHECK_INT(rmdir(hand), 0);
	lio_so_names_refresh(ctx);
	CHECK_INT(mkdir(hand, 0755), 0);
	restamp(file);
	CHECK(current(file));
	next = free_hba();
	CHECK(next != expect);
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "k3", &idx), -ENOENT);
	g_core_reads = 0;
	k3 = ram(ctx, "k3");
	CHECK(g_core_reads > 0);
	CHECK_INT(k3 ? lio_so_hba_index(k3) : 0, next);
	CHECK(stat(file, &st) < 0);
	CHECK_INT(rmdir(hand), 0);

	/* an HBA of a plugin not asked for is recorded unread and looked into */
	lio_so_names_refresh(ctx);
	CHECK_INT(mkdir(hand, 0755), 0);
	fmt(hand + strlen(hand), sizeof(hand) - strlen(hand), "/byhand");
	CHECK_INT(mkdir(hand, 0755), 0);
	{
		char **v = NULL;
		size_t n = 0;

		CHECK_OK(ctx, lio_so_names(ctx, LIO_PLUGIN_FILEIO, &v, &n));
		lio_strv_free(v, n);
	}
	CHECK(current(file));
	fmt(want, sizeof(want), "\nrd_mcp_%u\t", expect);
	text = slurp(file);
	CHECK(text && strstr(text, want) && strchr(strstr(text, want) + strlen(want), '\n') &&
	      !memchr(strstr(text, want) + strlen(want), '\t',
		      (size_t)(strchr(strstr(text, want) + strlen(want), '\n') -
			       (strstr(text, want) + strlen(want)))));
	g_core_reads = 0;
	CHECK_OK(ctx, lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "byhand", &idx));
	CHECK_INT(idx, expect);
	CHECK_INT(g_core_reads, 0);
	CHECK_INT(rmdir(hand), 0);
	*strrchr(hand, '/') = '\0';
	CHECK_INT(rmdir(hand), 0);

	/* in bulk, a change leaves the file stale, for the next reader */
	lio_so_names_refresh(ctx);
	CHECK(current(file));
	ctx->bulk++;
	if (k3)
		CHECK_OK(ctx, lio_so_delete(k3));
	ctx->bulk--;
	CHECK(stat(file, &st) == 0 && !current(file));
	g_core_reads = 0;
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "k3", &idx), -ENOENT);
	/* brought up to date: one listing (getdents64 until it returns 0) */
	CHECK(g_core_reads >= 1 && g_core_reads <= 2);
	CHECK(current(file));
	g_core_reads = 0;
	CHECK_INT(lio_so_find(ctx, LIO_PLUGIN_RAMDISK, "k3", &idx), -ENOENT);
	CHECK_INT(g_core_reads, 0);

	lio_so_unref(k1);
	lio_so_unref(k2);
	lio_so_unref(k3);
	CHECK_INT(lio_set_cache_dir(ctx, NULL), 0);
}

int main(void)
{
	char tmpl[] = "/tmp/lio-so-XXXXXX";
	struct lio_ctx *ctx = NULL;

	test_free_index();
	test_plugins();
	if (!mkdtemp(tmpl) || !realpath(tmpl, g_tmp)) {
		perror("mkdtemp");
		return 1;
	}
	fmt(g_root, sizeof(g_root), "%s/target", g_tmp);
	make_fixtures();
	if (lio_new(&ctx, g_tmp) < 0 || lio_set_lock_path(ctx, path_in("lock")) < 0)
		return 1;
	lio_set_note_fn(ctx, note_fn, NULL);

	test_ramdisk_and_index(ctx);
	test_fileio(ctx);
	test_failures(ctx);
	test_user(ctx);
	test_lookup_list(ctx);
	test_info(ctx);
	test_alua(ctx);
	test_luns_and_delete(ctx);
	test_shared_hba(ctx);
	test_setup_dbroot(ctx);
	test_aptpl(ctx);
	test_batch_index(ctx);
	test_core_cache(ctx);
	test_core_summary(ctx);

	lio_unref(ctx);
	g_root[0] = '\0';
	nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
