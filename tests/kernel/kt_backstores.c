/*
 * Every backstore type the guest can back, created, read back and deleted
 * on the real kernel.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt.h"

#define MiB (1024ULL * 1024)

static struct lio_so *create(struct lio_ctx *ctx, struct lio_so_spec spec)
{
	struct lio_so *so = NULL;
	int r = lio_so_create(ctx, &spec, &so);

	tap_check(r == 0, __FILE__, __LINE__, spec.name, "create returned %d: %s", r,
		  lio_errmsg(ctx));
	return so;
}

static struct lio_so_spec spec_of(enum lio_plugin p, const char *name, const char *dev,
				  uint64_t size)
{
	struct lio_so_spec s = { .plugin = p, .name = name, .dev = dev, .size = size,
				 .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	return s;
}

static void check_attr(struct lio_ctx *ctx, struct lio_so *so, const char *name,
		       const char *want)
{
	char *v = NULL;

	CHECK_OK(ctx, lio_attr_get(lio_obj(so), "attrib", name, &v));
	CHECK_STR(v, want);
	free(v);
}

static void test_fileio(struct lio_ctx *ctx)
{
	char sparse[256], full[256];
	struct lio_so_info info = { 0 };
	struct lio_so *a, *b;
	struct stat st;

	snprintf(sparse, sizeof(sparse), "%s/sparse.img", kt_scratch());
	snprintf(full, sizeof(full), "%s/full.img", kt_scratch());

	a = create(ctx, spec_of(LIO_PLUGIN_FILEIO, "kt_sparse", sparse, 64 * MiB));
	CHECK(stat(sparse, &st) == 0 && st.st_size == (off_t)(64 * MiB));
	CHECK_MSG(st.st_blocks * 512 < (blkcnt_t)MiB, "sparse file has %lld blocks",
		  (long long)st.st_blocks);
	CHECK_OK(ctx, lio_so_get_info(a, &info));
	/* The kernel reports ACTIVATED only while a LUN exports the object. */
	CHECK(!info.activated);
	CHECK(info.configured);
	CHECK_INT(info.size, 64 * MiB);
	CHECK_STR(info.dev, sparse);
	CHECK(info.write_back);
	CHECK(info.wwn && lio_wwn_match(info.wwn, LIO_WWN_UNIT_SERIAL));
	lio_so_info_clear(&info);
	check_attr(ctx, a, "emulate_write_cache", "1");
	check_attr(ctx, a, "block_size", "512");
	CHECK_OK(ctx, lio_attr_set(lio_obj(a), "attrib", "emulate_tpu", "1"));
	check_attr(ctx, a, "emulate_tpu", "1");

	struct lio_so_spec s = spec_of(LIO_PLUGIN_FILEIO, "kt_full", full, 8 * MiB);
	s.sparse = LIO_NO;
	s.write_back = LIO_NO;
	s.wwn = "4a1b2c3d-0000-4000-8000-000000000001";
	b = create(ctx, s);
	CHECK(stat(full, &st) == 0 && st.st_blocks * 512 >= (blkcnt_t)(8 * MiB));
	CHECK_OK(ctx, lio_so_get_info(b, &info));
	CHECK(!info.write_back);
	CHECK_STR(info.wwn, "4a1b2c3d-0000-4000-8000-000000000001");
	lio_so_info_clear(&info);
	check_attr(ctx, b, "emulate_write_cache", "0");

	/* A file used by another object is refused. */
	struct lio_so *c = NULL;
	struct lio_so_spec dup = spec_of(LIO_PLUGIN_FILEIO, "kt_dup", full, 0);
	CHECK_FAIL(ctx, lio_so_create(ctx, &dup, &c), -EEXIST, "already exists: kt_full");

	/* An existing file keeps its own size. */
	char existing[256];
	snprintf(existing, sizeof(existing), "%s/existing.img", kt_scratch());
	int fd = open(existing, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)(3 * MiB)) == 0);
	close(fd);
	c = create(ctx, spec_of(LIO_PLUGIN_FILEIO, "kt_existing", existing, 5 * MiB));
	CHECK_OK(ctx, lio_so_get_info(c, &info));
	CHECK_INT(info.size, 3 * MiB);
	lio_so_info_clear(&info);
	CHECK_OK(ctx, lio_so_delete(c));
	lio_so_unref(c);
	/* The object is gone but the admin's file stays. */
	CHECK(stat(existing, &st) == 0 && st.st_size == (off_t)(3 * MiB));

	CHECK_OK(ctx, lio_so_delete(a));
	CHECK_OK(ctx, lio_so_delete(b));
	CHECK(!lio_obj_exists(lio_obj(a)));
	lio_so_unref(a);
	lio_so_unref(b);
}

static void test_block(struct lio_ctx *ctx)
{
	char file[256], dev[64], ro_file[256], ro_dev[64];
	struct lio_so_info info = { 0 };
	struct lio_so *so, *ro;

	snprintf(file, sizeof(file), "%s/loop.img", kt_scratch());
	snprintf(ro_file, sizeof(ro_file), "%s/loop_ro.img", kt_scratch());
	CHECK(kt_loop_attach(file, 32 * MiB, dev) == 0);
	CHECK(kt_loop_attach(ro_file, 16 * MiB, ro_dev) == 0);

	so = create(ctx, spec_of(LIO_PLUGIN_BLOCK, "kt_block", dev, 0));
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK(info.configured);
	CHECK_INT(info.size, 32 * MiB);
	CHECK_STR(info.dev, dev);
	CHECK(!info.readonly);
	lio_so_info_clear(&info);

	struct lio_so_spec s = spec_of(LIO_PLUGIN_BLOCK, "kt_block_ro", ro_dev, 0);
	s.readonly = LIO_YES;
	ro = create(ctx, s);
	CHECK_OK(ctx, lio_so_get_info(ro, &info));
	CHECK(info.readonly);
	CHECK_INT(info.size, 16 * MiB);
	lio_so_info_clear(&info);

	CHECK_OK(ctx, lio_so_delete(so));
	CHECK_OK(ctx, lio_so_delete(ro));
	lio_so_unref(so);
	lio_so_unref(ro);
	CHECK(kt_loop_detach(dev) == 0);
	CHECK(kt_loop_detach(ro_dev) == 0);
}

static void test_ramdisk(struct lio_ctx *ctx)
{
	struct lio_so_info info = { 0 };
	struct lio_so *rd, *nul;

	rd = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_rd", NULL, 16 * MiB));
	CHECK_OK(ctx, lio_so_get_info(rd, &info));
	CHECK(info.configured);
	CHECK_INT(info.size, 16 * MiB);
	CHECK(!info.nullio);
	lio_so_info_clear(&info);

	struct lio_so_spec s = spec_of(LIO_PLUGIN_RAMDISK, "kt_null", NULL, 1024 * MiB);
	s.nullio = true;
	nul = create(ctx, s);
	CHECK_OK(ctx, lio_so_get_info(nul, &info));
	CHECK(info.nullio);
	CHECK_INT(info.size, 1024 * MiB);
	lio_so_info_clear(&info);

	CHECK_OK(ctx, lio_so_delete(rd));
	CHECK_OK(ctx, lio_so_delete(nul));
	lio_so_unref(rd);
	lio_so_unref(nul);
}

/* The H:C:T:L of the first scsi_debug disk, from sysfs. */
static bool scsi_debug_hctl(char hctl[64], char dev[64])
{
	glob_t g;
	bool ok = false;

	if (glob("/sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*:*:*:*", 0,
		 NULL, &g))
		return false;
	const char *base = strrchr(g.gl_pathv[0], '/') + 1;
	snprintf(hctl, 64, "%s", base);
	char pat[512];
	glob_t b;
	snprintf(pat, sizeof(pat), "%s/block/*", g.gl_pathv[0]);
	if (!glob(pat, 0, NULL, &b)) {
		snprintf(dev, 64, "/dev/%s", strrchr(b.gl_pathv[0], '/') + 1);
		ok = true;
		globfree(&b);
	}
	globfree(&g);
	return ok;
}

static void test_pscsi(struct lio_ctx *ctx)
{
	struct lio_so_info info = { 0 };
	char hctl[64], dev[64];
	struct lio_so *so;

	CHECK_OK(ctx, lio_load_module(ctx, "scsi_debug"));
	for (int i = 0; i < 50 && !scsi_debug_hctl(hctl, dev); i++)
		usleep(100000);
	CHECK_MSG(scsi_debug_hctl(hctl, dev), "no scsi_debug disk appeared");
	fprintf(stderr, "scsi_debug disk %s at %s\n", dev, hctl);

	/* By H:C:T:L */
	so = create(ctx, spec_of(LIO_PLUGIN_PSCSI, "kt_pscsi", hctl, 0));
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK(info.configured);
	lio_so_info_clear(&info);
	char *text = NULL;
	CHECK_OK(ctx, lio_so_info_text(so, &text));
	CHECK_MSG(text && strstr(text, "Linux") && strstr(text, "scsi_debug"),
		  "info: %s", text ? text : "");
	free(text);
	CHECK_OK(ctx, lio_so_delete(so));
	lio_so_unref(so);

	/* By device path */
	so = create(ctx, spec_of(LIO_PLUGIN_PSCSI, "kt_pscsi_dev", dev, 0));
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK(info.configured);
	CHECK_STR(info.dev, dev);
	lio_so_info_clear(&info);
	CHECK_OK(ctx, lio_so_delete(so));
	lio_so_unref(so);
}

static void test_user(struct lio_ctx *ctx)
{
	struct lio_so_info info = { 0 };
	struct lio_so *so;

	struct lio_so_spec s = spec_of(LIO_PLUGIN_USER, "kt_user", NULL, 16 * MiB);
	s.config = "file/kt_user.img";
	s.hw_max_sectors = 256;
	so = create(ctx, s);
	if (!so)
		return;
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK_INT(info.size, 16 * MiB);
	CHECK_STR(info.config, "file/kt_user.img");
	CHECK_INT(info.hw_max_sectors, 256);
	lio_so_info_clear(&info);
	CHECK_OK(ctx, lio_so_delete(so));
	lio_so_unref(so);
}

static void test_alua(struct lio_ctx *ctx)
{
	struct lio_so *so = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_alua", NULL, MiB));
	struct lio_alua_tpg *g = NULL, *def = NULL, **list;
	long long v;
	size_t n;

	CHECK(lio_so_alua_supported(so));
	CHECK_OK(ctx, lio_alua_tpg_create(so, "kt_group", 7, &g));
	CHECK_OK(ctx, lio_alua_tpg_list(so, &list, &n));
	CHECK_INT(n, 2);
	lio_list_free(list, n);
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "tg_pt_gp_id", &v));
	CHECK_INT(v, 7);
	CHECK_OK(ctx, lio_alua_tpg_set_int(g, "alua_access_state", 1));
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "alua_access_state", &v));
	CHECK_INT(v, 1);
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "alua_access_type", &v));
	CHECK_INT(v, 3); /* "Implicit and Explicit" */
	CHECK_OK(ctx, lio_alua_tpg_set_int(g, "alua_access_type", 1));
	CHECK_OK(ctx, lio_alua_tpg_get_int(g, "alua_access_type", &v));
	CHECK_INT(v, 1);
	CHECK_OK(ctx, lio_alua_tpg_lookup(so, "default_tg_pt_gp", &def));
	CHECK(lio_alua_tpg_delete(def) < 0);
	struct lio_alua_tpg *bad = NULL;
	CHECK(lio_alua_tpg_create(so, "kt_bad", 0, &bad) < 0);
	CHECK(lio_alua_tpg_create(so, "kt_bad2", 70000, &bad) < 0);
	CHECK(bad == NULL);
	char bad_path[512];
	struct stat st;
	snprintf(bad_path, sizeof(bad_path), "%s/alua/kt_bad", lio_obj_path(lio_obj(so)));
	CHECK(lstat(bad_path, &st) < 0);
	CHECK_OK(ctx, lio_alua_tpg_delete(g));
	CHECK_OK(ctx, lio_alua_tpg_list(so, &list, &n));
	CHECK_INT(n, 1);
	lio_list_free(list, n);
	lio_alua_tpg_unref(g);
	lio_alua_tpg_unref(def);
	/* Deleting the object removes its extra groups too. */
	CHECK_OK(ctx, lio_alua_tpg_create(so, "kt_group2", 8, &g));
	lio_alua_tpg_unref(g);
	CHECK_OK(ctx, lio_so_delete(so));
	lio_so_unref(so);
}

/* HBA numbers are shared by all plugins and the smallest free one is reused. */
static void test_hba_numbers(struct lio_ctx *ctx)
{
	struct lio_so *a = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_h0", NULL, MiB));
	struct lio_so *b = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_h1", NULL, MiB));
	char f[256];

	snprintf(f, sizeof(f), "%s/h2.img", kt_scratch());
	struct lio_so *c = create(ctx, spec_of(LIO_PLUGIN_FILEIO, "kt_h2", f, MiB));
	CHECK_INT(lio_so_hba_index(a), 0);
	CHECK_INT(lio_so_hba_index(b), 1);
	CHECK_INT(lio_so_hba_index(c), 2);
	CHECK(kt_exists(ctx, "core/fileio_2/kt_h2"));
	CHECK_OK(ctx, lio_so_delete(b));
	lio_so_unref(b);
	snprintf(f, sizeof(f), "%s/h3.img", kt_scratch());
	b = create(ctx, spec_of(LIO_PLUGIN_FILEIO, "kt_h3", f, MiB));
	CHECK_INT(lio_so_hba_index(b), 1);

	struct lio_so **list;
	size_t n;
	CHECK_OK(ctx, lio_so_list(ctx, -1, &list, &n));
	CHECK_INT(n, 3);
	lio_list_free(list, n);
	CHECK_OK(ctx, lio_so_list(ctx, LIO_PLUGIN_FILEIO, &list, &n));
	CHECK_INT(n, 2);
	lio_list_free(list, n);
	struct lio_so *found = NULL;
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_FILEIO, "kt_h3", &found));
	CHECK(found && lio_so_hba_index(found) == 1);
	lio_so_unref(found);

	CHECK_OK(ctx, lio_so_delete(a));
	CHECK_OK(ctx, lio_so_delete(b));
	CHECK_OK(ctx, lio_so_delete(c));
	lio_so_unref(a);
	lio_so_unref(b);
	lio_so_unref(c);
}

static char *joined_names(struct lio_ctx *ctx, int plugin)
{
	static char out[1024];
	char **v;
	size_t n;

	out[0] = '\0';
	if (lio_so_names(ctx, plugin, &v, &n) < 0)
		return strcpy(out, "ERROR");
	for (size_t i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", v[i]);
		free(v[i]);
	}
	free(v);
	return out;
}

/*
 * The names cache on the kernel's configfs (root: /run/lio by default):
 * it rests on configfs giving a directory made again under the same name
 * a new inode number, which this proves.
 */
static void test_names_cache(struct lio_ctx *ctx)
{
	struct lio_so *a = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_n0", NULL, MiB));
	struct stat st;

	CHECK_STR(joined_names(ctx, LIO_PLUGIN_RAMDISK), "kt_n0");
	CHECK(stat("/run/lio/so-names", &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(stat("/run/lio", &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK_INT(lio_so_hba_index(a), 0);
	/* rd_mcp_0 again, with another object in it */
	CHECK_OK(ctx, lio_so_delete(a));
	lio_so_unref(a);
	a = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_n1", NULL, MiB));
	CHECK_INT(lio_so_hba_index(a), 0);
	CHECK_STR(joined_names(ctx, LIO_PLUGIN_RAMDISK), "kt_n1");
	CHECK_OK(ctx, lio_so_delete(a));
	lio_so_unref(a);
	CHECK_STR(joined_names(ctx, LIO_PLUGIN_RAMDISK), "");
}

#define CORE "/sys/kernel/config/target/core"
#define NAMES_FILE "/run/lio/so-names"

/* The smallest N no core/<prefix>_<N> uses, by a listing. */
static unsigned smallest_free_hba(void)
{
	unsigned char used[4096] = { 0 };
	DIR *d = opendir(CORE);
	struct dirent *de;
	unsigned n = 0;

	while (d && (de = readdir(d))) {
		const char *us = strrchr(de->d_name, '_');
		char *end;
		unsigned long v;

		if (!us || us == de->d_name || !us[1])
			continue;
		v = strtoul(us + 1, &end, 10);
		if (!*end && v < sizeof(used))
			used[v] = 1;
	}
	if (d)
		closedir(d);
	while (n < sizeof(used) && used[n])
		n++;
	return n;
}

/* The file's second line set to core/'s key of now: a forged "current" file. */
static void restamp_names_file(void)
{
	char text[1 << 16], out[(1 << 16) + 256], *body;
	struct stat st;
	FILE *f = fopen(NAMES_FILE, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;

	if (f)
		fclose(f);
	text[n] = '\0';
	body = strchr(text, '\n');
	body = body ? strchr(body + 1, '\n') : NULL;
	CHECK(body && stat(CORE, &st) == 0);
	if (!body)
		return;
	snprintf(out, sizeof(out), "lio-so-names 3\n%llu %llu %lld %ld %lld %ld %llu\n%s",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
		 st.st_ctim.tv_nsec, (unsigned long long)st.st_nlink, body + 1);
	f = fopen(NAMES_FILE, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(out, f);
		fclose(f);
	}
}

static bool times_differ(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec ||
	       a->st_ctim.tv_sec != b->st_ctim.tv_sec || a->st_ctim.tv_nsec != b->st_ctim.tv_nsec;
}

/*
 * The names cache trusts core/'s dir key: on the real configfs an HBA
 * mkdir and rmdir must change core/'s times and link count. And a create
 * with a cache file that is stale, or forged to look current while it
 * calls a taken number free, still gets the smallest free number.
 */
static void test_core_key(struct lio_ctx *ctx)
{
	struct lio_so *a, *b, *keep;
	struct stat s0, s1, s2;
	char hand[128];
	unsigned free_n, next;

	keep = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_k0", NULL, MiB));
	free_n = smallest_free_hba();
	snprintf(hand, sizeof(hand), CORE "/rd_mcp_%u", free_n);
	CHECK(stat(CORE, &s0) == 0);
	usleep(20000); /* past the clock tick of the last change */
	CHECK_MSG(mkdir(hand, 0755) == 0, "mkdir %s: %s", hand, strerror(errno));
	CHECK(stat(CORE, &s1) == 0);
	CHECK_INT((long long)s1.st_nlink, (long long)s0.st_nlink + 1);
	CHECK(times_differ(&s0, &s1));
	usleep(20000);
	CHECK_MSG(rmdir(hand) == 0, "rmdir %s: %s", hand, strerror(errno));
	CHECK(stat(CORE, &s2) == 0);
	CHECK_INT((long long)s2.st_nlink, (long long)s0.st_nlink);
	CHECK(times_differ(&s1, &s2));
	CHECK(s2.st_ino == s0.st_ino && s2.st_dev == s0.st_dev);

	/* a current file: a create keeps it current (core/'s key in it) */
	{
		char **v;
		size_t n;

		CHECK_OK(ctx, lio_so_names(ctx, -1, &v, &n));
		lio_strv_free(v, n);
	}
	a = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_k1", NULL, MiB));
	CHECK_INT(a ? lio_so_hba_index(a) : 99, free_n);
	{
		char text[4096] = "", want[256];
		FILE *f = fopen(NAMES_FILE, "r");

		if (f) {
			text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
			fclose(f);
		}
		CHECK(stat(CORE, &s1) == 0);
		snprintf(want, sizeof(want), "lio-so-names 3\n%llu %llu %lld %ld %lld %ld %llu\n",
			 (unsigned long long)s1.st_dev, (unsigned long long)s1.st_ino,
			 (long long)s1.st_mtim.tv_sec, s1.st_mtim.tv_nsec,
			 (long long)s1.st_ctim.tv_sec, s1.st_ctim.tv_nsec,
			 (unsigned long long)s1.st_nlink);
		CHECK_MSG(!strncmp(text, want, strlen(want)), "file '%.200s', core/ '%s'", text, want);
		snprintf(want, sizeof(want), "\nrd_mcp_%u\t", free_n);
		CHECK(strstr(text, want) && strstr(text, "\tkt_k1\n"));
	}
	if (a)
		CHECK_OK(ctx, lio_so_delete(a));
	lio_so_unref(a);

	/* stale: another tool's HBA on the number the file calls free */
	free_n = smallest_free_hba();
	snprintf(hand, sizeof(hand), CORE "/rd_mcp_%u", free_n);
	CHECK(mkdir(hand, 0755) == 0);
	b = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_k2", NULL, MiB));
	CHECK(b && lio_so_hba_index(b) != free_n);
	if (b)
		CHECK_OK(ctx, lio_so_delete(b));
	lio_so_unref(b);
	CHECK(rmdir(hand) == 0);

	/* forged: the file says current, yet that number is taken */
	{
		char **v;
		size_t n;

		CHECK_OK(ctx, lio_so_names(ctx, -1, &v, &n));
		lio_strv_free(v, n);
	}
	CHECK(mkdir(hand, 0755) == 0);
	restamp_names_file();
	next = smallest_free_hba();
	CHECK(next != free_n);
	b = create(ctx, spec_of(LIO_PLUGIN_RAMDISK, "kt_k3", NULL, MiB));
	CHECK_INT(b ? lio_so_hba_index(b) : 99, next);
	if (b)
		CHECK_OK(ctx, lio_so_delete(b));
	lio_so_unref(b);
	CHECK(rmdir(hand) == 0);
	CHECK_OK(ctx, lio_so_delete(keep));
	lio_so_unref(keep);
}

int main(void)
{
	struct lio_ctx *ctx = kt_ctx();
	char *why = NULL;

	CHECK_MSG(kt_config_empty(ctx, &why), "not empty at start:\n%s", why ? why : "");
	free(why);
	test_fileio(ctx);
	test_block(ctx);
	test_ramdisk(ctx);
	test_pscsi(ctx);
	test_user(ctx);
	test_alua(ctx);
	test_hba_numbers(ctx);
	test_names_cache(ctx);
	test_core_key(ctx);
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
	lio_unref(ctx);
	return tap_done();
}
