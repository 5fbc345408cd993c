/*
 * The remembered listings of large LUN and ACL directories: a listing is
 * stored for 32 entries or more, in runs; while the directory's key holds
 * the file is the answer; our own changes keep it current only when it
 * described the directory just before; anything else makes it stale.
 * Deleting a LUN finds the mapped LUNs to delete through the ACL's file,
 * and checks each by its link.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "tap.h"

/* Test paths are short. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static char g_tmp[PATH_MAX], g_cache[PATH_MAX + 16];
static char g_luns[PATH_MAX + 64], g_acl[PATH_MAX + 128];

#define TPG "target/iscsi/iqn.2024-01.org.example:t/tpgt_1"
#define ACL TPG "/acls/iqn.2024-01.org.example:i"

static void mkf(const char *fmt, unsigned n)
{
	char rel[256], path[PATH_MAX + 300];

	snprintf(rel, sizeof(rel), fmt, n);
	snprintf(path, sizeof(path), "%s/%s", g_tmp, rel);
	CHECK_MSG(mkdir(path, 0755) == 0, "mkdir %s: %s", path, strerror(errno));
}

/* Mapped LUN @m of the ACL, linked to LUN @l. */
static void map(unsigned m, unsigned l)
{
	char dir[PATH_MAX + 200], link[PATH_MAX + 300], target[64];

	snprintf(dir, sizeof(dir), "%s/lun_%u", g_acl, m);
	CHECK(mkdir(dir, 0755) == 0);
	snprintf(link, sizeof(link), "%s/alias%u", dir, m);
	snprintf(target, sizeof(target), "../../../lun/lun_%u", l);
	CHECK(symlink(target, link) == 0);
}

static char *slurp(const char *dir)
{
	static char buf[8192];
	char path[PATH_MAX + 64];
	uint64_t h = 1469598103934665603ULL;
	FILE *f;
	size_t n;

	for (const char *p = dir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(path, sizeof(path), "%s/luns-%016llx", g_cache, (unsigned long long)h);
	f = fopen(path, "r");
	if (!f)
		return strcpy(buf, "(none)");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The part of the file after its four header lines. */
static const char *runs(const char *dir)
{
	const char *p = slurp(dir);

	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return p ? p : "(none)";
}

static void rewrite_runs(const char *dir, const char *new_runs)
{
	char head[4096], path[PATH_MAX + 64];
	const char *all = slurp(dir), *body = runs(dir);
	uint64_t h = 1469598103934665603ULL;
	FILE *f;

	snprintf(head, sizeof(head), "%.*s", (int)(body - all), all);
	for (const char *p = dir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(path, sizeof(path), "%s/luns-%016llx", g_cache, (unsigned long long)h);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "%s%s", head, new_runs);
	fclose(f);
}

static size_t count(struct lio_ctx *ctx, const char *dir, bool links)
{
	struct lio_lun_cache c;
	size_t n;

	if (lio_lun_cache_read(ctx, dir, links, &c) < 0)
		return (size_t)-1;
	n = c.n;
	lio_lun_cache_free(&c);
	return n;
}

static bool has(struct lio_ctx *ctx, const char *dir, unsigned num)
{
	struct lio_lun_cache c;
	bool found = false;

	if (lio_lun_cache_read(ctx, dir, false, &c) < 0)
		return false;
	for (size_t i = 0; i < c.n; i++)
		found |= c.num[i] == num;
	lio_lun_cache_free(&c);
	return found;
}

static int rm_tree(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int main(void)
{
	struct lio_ctx *ctx = NULL;
	struct lio_dir_key before;
	char path[PATH_MAX + 300];

	snprintf(g_tmp, sizeof(g_tmp), "/tmp/lio-lun-cache.XXXXXX");
	if (!mkdtemp(g_tmp))
		return 1;
	snprintf(g_cache, sizeof(g_cache), "%s/run", g_tmp);
	snprintf(g_luns, sizeof(g_luns), "%s/" TPG "/lun", g_tmp);
	snprintf(g_acl, sizeof(g_acl), "%s/" ACL, g_tmp);
	mkf("target", 0);
	mkf("target/core", 0);
	mkf("target/iscsi", 0);
	mkf("target/iscsi/iqn.2024-01.org.example:t", 0);
	mkf(TPG, 0);
	mkf(TPG "/lun", 0);
	mkf(TPG "/acls", 0);
	mkf(ACL, 0);
	for (unsigned i = 0; i < 40; i++)
		mkf(TPG "/lun/lun_%u", i);
	CHECK_INT(lio_new(&ctx, g_tmp), 0);

	/* without a cache directory nothing is stored */
	CHECK(count(ctx, g_luns, false) == 40);
	CHECK_INT(lio_set_cache_dir(ctx, g_cache), 0);

	/* a large directory is stored as runs */
	CHECK(count(ctx, g_luns, false) == 40);
	CHECK_STR(runs(g_luns), "0 40\n");
	/* while the key holds, the file is the answer */
	rewrite_runs(g_luns, "0 39\n");
	CHECK(count(ctx, g_luns, false) == 39);
	/* a change by hand changes the key: listed again */
	mkf(TPG "/lun/lun_%u", 45);
	CHECK(count(ctx, g_luns, false) == 41);
	CHECK_STR(runs(g_luns), "0 40\n45 1\n");
	/* a file with more entries than LUN numbers exist is not ours: listed */
	rewrite_runs(g_luns, "0 4000000\n");
	CHECK(count(ctx, g_luns, false) == 41);
	rewrite_runs(g_luns, "0 40 x\n");
	CHECK(count(ctx, g_luns, false) == 41);
	CHECK_STR(runs(g_luns), "0 40\n45 1\n");

	/* our own change, noted, keeps the file current */
	CHECK(lio_lun_cache_before(ctx, g_luns, &before));
	mkf(TPG "/lun/lun_%u", 40);
	lio_lun_cache_note(ctx, g_luns, &before, 40, -1, true);
	CHECK_STR(runs(g_luns), "0 41\n45 1\n");
	rewrite_runs(g_luns, "0 41\n46 1\n"); /* proves the next answer is the file's */
	CHECK(has(ctx, g_luns, 46) && !has(ctx, g_luns, 45));
	rewrite_runs(g_luns, "0 41\n45 1\n");

	/* a note on a file that was already stale removes it */
	snprintf(path, sizeof(path), "%s/lun_45", g_luns);
	CHECK(rmdir(path) == 0); /* by hand, not noted */
	CHECK(lio_lun_cache_before(ctx, g_luns, &before));
	mkf(TPG "/lun/lun_%u", 41);
	lio_lun_cache_note(ctx, g_luns, &before, 41, -1, true);
	CHECK_STR(slurp(g_luns), "(none)");
	CHECK(count(ctx, g_luns, false) == 42);
	CHECK(has(ctx, g_luns, 41) && !has(ctx, g_luns, 45));

	/* a note whose change was not alone (two entries more) removes it */
	CHECK(lio_lun_cache_before(ctx, g_luns, &before));
	mkf(TPG "/lun/lun_%u", 50);
	mkf(TPG "/lun/lun_%u", 51);
	lio_lun_cache_note(ctx, g_luns, &before, 50, -1, true);
	CHECK_STR(slurp(g_luns), "(none)");

	/* inside a bulk change nothing is kept current */
	lio_bulk_begin(ctx);
	CHECK(!lio_lun_cache_before(ctx, g_luns, &before));
	lio_bulk_end(ctx);
	CHECK(lio_lun_cache_before(ctx, g_luns, &before));

	/* forget: the next reader lists */
	CHECK(count(ctx, g_luns, false) == 44);
	CHECK(strcmp(slurp(g_luns), "(none)") != 0);
	lio_lun_cache_forget(ctx, g_luns);
	CHECK_STR(slurp(g_luns), "(none)");

	/* ACLs: with each mapped LUN's link; i -> i is one run */
	for (unsigned i = 0; i < 40; i++)
		map(i, i);
	map(40, 3); /* the same LUN twice */
	CHECK(count(ctx, g_acl, true) == 41);
	CHECK_STR(runs(g_acl), "0 40 0\n40 1 3\n");
	/* a file without links does not answer a question about links */
	lio_lun_cache_forget(ctx, g_acl);
	CHECK(count(ctx, g_acl, false) == 41);
	CHECK_STR(runs(g_acl), "0 41\n");
	CHECK(count(ctx, g_acl, true) == 41);
	CHECK_STR(runs(g_acl), "0 40 0\n40 1 3\n");

	/*
	 * An ACL's times move when one of its attributes is looked up: it is
	 * judged by its link count. lun/ holds no attributes: its times count.
	 */
	{
		struct timespec ts[2] = { { 12345, 0 }, { 12345, 0 } };

		rewrite_runs(g_acl, "0 39 0\n40 1 3\n");
		CHECK(utimensat(AT_FDCWD, g_acl, ts, 0) == 0);
		CHECK(count(ctx, g_acl, true) == 40); /* the file's answer */
		mkf(ACL "/lun_%u", 77);
		CHECK(count(ctx, g_acl, true) == 42); /* one more: listed */
		snprintf(path, sizeof(path), "%s/lun_77", g_acl);
		CHECK(rmdir(path) == 0);
		CHECK(count(ctx, g_acl, true) == 41);
		CHECK(count(ctx, g_luns, false) > 0);
		rewrite_runs(g_luns, "0 3\n");
		CHECK(utimensat(AT_FDCWD, g_luns, ts, 0) == 0);
		CHECK(count(ctx, g_luns, false) > 3); /* times moved: listed */
	}

	/* the restore's refresh stores every large directory, links for ACLs */
	lio_lun_cache_forget(ctx, g_acl);
	lio_lun_cache_forget(ctx, g_luns);
	lio_lun_cache_refresh(ctx);
	CHECK_STR(runs(g_acl), "0 40 0\n40 1 3\n");
	CHECK_STR(runs(g_luns), "0 42\n50 2\n");

	/*
	 * Deleting LUN 3 deletes mapped LUNs 3 and 40 (both in the file), and
	 * not mapped LUN 7 that the file wrongly says points at 3: each one is
	 * checked by its link first.
	 */
	{
		struct lio_tpg *tpg = NULL;
		struct lio_target *t = NULL;
		struct lio_lun *lun = NULL;

		rewrite_runs(g_acl, "0 3 0\n3 1 3\n4 3 4\n7 1 3\n8 32 8\n40 1 3\n");
		CHECK_INT(lio_target_lookup(ctx, lio_fabric_find("iscsi"), "iqn.2024-01.org.example:t", &t), 0);
		CHECK_INT(t ? lio_tpg_lookup(t, 1, &tpg) : -1, 0);
		CHECK_INT(tpg ? lio_lun_lookup(tpg, 3, &lun) : -1, 0);
		CHECK_INT(lun ? lio_lun_delete(lun) : -1, 0);
		snprintf(path, sizeof(path), "%s/lun_3", g_acl);
		CHECK(access(path, F_OK) < 0);
		snprintf(path, sizeof(path), "%s/lun_40", g_acl);
		CHECK(access(path, F_OK) < 0);
		snprintf(path, sizeof(path), "%s/lun_7", g_acl);
		CHECK(access(path, F_OK) == 0);
		snprintf(path, sizeof(path), "%s/lun_3", g_luns);
		CHECK(access(path, F_OK) < 0);
		/* the deletes were noted: the files are current */
		CHECK(!has(ctx, g_acl, 3) && !has(ctx, g_acl, 40) && has(ctx, g_acl, 7));
		CHECK(!has(ctx, g_luns, 3) && has(ctx, g_luns, 4));
		lio_lun_unref(lun);
		lio_tpg_unref(tpg);
		lio_target_unref(t);
	}
	/* a directory that shrank below the size worth a file loses its file */
	CHECK(strcmp(slurp(g_luns), "(none)") != 0);
	for (unsigned i = 10; i < 30; i++) {
		snprintf(path, sizeof(path), "%s/lun_%u", g_luns, i);
		CHECK(rmdir(path) == 0);
	}
	CHECK(count(ctx, g_luns, false) < 32);
	CHECK_STR(slurp(g_luns), "(none)");
	lio_unref(ctx);
	nftw(g_tmp, rm_tree, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
