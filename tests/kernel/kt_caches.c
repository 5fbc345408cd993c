/*
 * What the remembered listings of large directories rest on, on the real
 * kernel: a LUN or mapped LUN mkdir/rmdir changes its directory's key
 * (mtime, ctime, link count one up or down); configfs refuses to remove a
 * LUN a mapped LUN still links to (EBUSY), so a listing that missed that
 * mapped LUN cannot lose it; and mkdir finds a number a wrong listing
 * called free. Each of these is forged here and the library must still do
 * the right thing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt.h"
#include "private.h"

#define IQN "iqn.2024-01.org.example.kt:caches"
#define INI "iqn.2024-01.org.example:caches-initiator"
#define COUNT 40

static const char *cache_file(const char *dir)
{
	static char path[128];
	uint64_t h = 1469598103934665603ULL;

	for (const char *p = dir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(path, sizeof(path), "/run/lio/luns-%016llx", (unsigned long long)h);
	return path;
}

/* Replace the entry lines of @dir's file (its first four lines stay). */
static void forge(const char *dir, const char *entries)
{
	char *text = kt_slurp(cache_file(dir)), *p = text;
	FILE *f;

	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	CHECK_MSG(p != NULL, "no file for %s", dir);
	if (!p) {
		free(text);
		return;
	}
	*p = '\0';
	f = fopen(cache_file(dir), "w");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "%s%s", text, entries);
		fclose(f);
	}
	free(text);
}

static bool same_key_as_file(const char *dir)
{
	char *text = kt_slurp(cache_file(dir)), *line;
	struct lio_dir_key file, now;
	bool same;

	line = text ? strchr(text, '\n') : NULL;
	line = line ? strchr(line + 1, '\n') : NULL;
	same = line && lio_dir_key_parse(strtok(line + 1, "\n"), &file) == 0 &&
	       lio_dir_key_at(AT_FDCWD, dir, &now) == 0 && lio_dir_key_eq(&file, &now);
	free(text);
	return same;
}

static struct lio_so *ramdisk(struct lio_ctx *ctx, unsigned i)
{
	char name[32];
	struct lio_so_spec s = { .plugin = LIO_PLUGIN_RAMDISK, .name = name, .size = 1 << 20,
				 .nullio = true };
	struct lio_so *so = NULL;

	snprintf(name, sizeof(name), "cache%u", i);
	CHECK_OK(ctx, lio_so_create(ctx, &s, &so));
	return so;
}

/* The key of @dir before and after one mkdir/rmdir in it. */
static void key_moves(struct lio_ctx *ctx, struct lio_tpg *tpg, struct lio_acl *acl,
		      struct lio_so *so)
{
	char luns[PATH_MAX];
	struct lio_dir_key a, b, c;
	struct lio_lun *lun = NULL;
	struct lio_mapped_lun *m = NULL;

	snprintf(luns, sizeof(luns), "%s/lun", lio_obj_path(lio_obj(tpg)));
	CHECK(lio_dir_key_at(AT_FDCWD, luns, &a) == 0);
	CHECK_OK(ctx, lio_lun_create(tpg, so, 100, NULL, &lun));
	CHECK(lio_dir_key_at(AT_FDCWD, luns, &b) == 0);
	CHECK_MSG(!lio_dir_key_eq(&a, &b) && b.nlink == a.nlink + 1,
		  "lun/ nlink %llu -> %llu", (unsigned long long)a.nlink,
		  (unsigned long long)b.nlink);
	CHECK(lio_dir_key_at(AT_FDCWD, lio_obj_path(lio_obj(acl)), &a) == 0);
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 100, 100, false, NULL, &m));
	CHECK(lio_dir_key_at(AT_FDCWD, lio_obj_path(lio_obj(acl)), &b) == 0);
	CHECK_MSG(!lio_dir_key_eq(&a, &b) && b.nlink == a.nlink + 1, "acl nlink %llu -> %llu",
		  (unsigned long long)a.nlink, (unsigned long long)b.nlink);
	CHECK_OK(ctx, lio_mapped_lun_delete(m));
	CHECK(lio_dir_key_at(AT_FDCWD, lio_obj_path(lio_obj(acl)), &c) == 0);
	CHECK(!lio_dir_key_eq(&b, &c) && c.nlink == b.nlink - 1);
	CHECK(lio_dir_key_at(AT_FDCWD, luns, &a) == 0);
	CHECK_OK(ctx, lio_lun_delete(lun));
	CHECK(lio_dir_key_at(AT_FDCWD, luns, &b) == 0);
	CHECK(!lio_dir_key_eq(&a, &b) && b.nlink == a.nlink - 1);
	lio_mapped_lun_unref(m);
	lio_lun_unref(lun);
}

int main(void)
{
	struct lio_ctx *ctx = kt_ctx();
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_acl *acl = NULL;
	struct lio_so *so[COUNT + 2];
	struct lio_lun *lun = NULL;
	struct lio_mapped_lun *m = NULL;
	char luns[PATH_MAX], path[PATH_MAX + 64], *why = NULL;
	unsigned *v = NULL;
	size_t n = 0;

	CHECK_OK(ctx, lio_target_create(ctx, lio_fabric_find("iscsi"), IQN, &t));
	CHECK_OK(ctx, lio_tpg_create(t, 1, &tpg));
	CHECK_OK(ctx, lio_acl_create(tpg, INI, &acl));
	snprintf(luns, sizeof(luns), "%s/lun", lio_obj_path(lio_obj(tpg)));
	for (unsigned i = 0; i < COUNT + 2; i++)
		so[i] = ramdisk(ctx, i);
	key_moves(ctx, tpg, acl, so[COUNT]);

	for (unsigned i = 0; i < COUNT; i++) {
		CHECK_OK(ctx, lio_lun_create(tpg, so[i], -1, NULL, &lun));
		CHECK_OK(ctx, lio_mapped_lun_create(acl, i, i, false, NULL, &m));
		lio_lun_unref(lun);
		lio_mapped_lun_unref(m);
	}
	/* the first look stores the listing; the next creates keep it current */
	lio_lun_cache_refresh(ctx);
	CHECK(same_key_as_file(luns) && same_key_as_file(lio_obj_path(lio_obj(acl))));
	{
		char *text = kt_slurp(cache_file(luns));

		CHECK_MSG(text && strstr(text, "\nnumbers\n0 40\n"), "%s", text ? text : "(none)");
		free(text);
	}

	/* a listing calling a taken number free: mkdir says so, a fresh one is used */
	forge(luns, "0 7\n8 32\n");
	CHECK_OK(ctx, lio_lun_create(tpg, so[COUNT], -1, NULL, &lun));
	CHECK_INT(lun ? (int)lio_lun_index(lun) : -1, COUNT);
	CHECK(same_key_as_file(luns));
	CHECK_OK(ctx, lio_lun_indexes(tpg, &v, &n));
	CHECK_INT((int)n, COUNT + 1);
	free(v);
	/* the mapped LUN for it: the noted ACL file knows 0-39 are taken */
	CHECK_OK(ctx, lio_mapped_lun_create(acl, COUNT, COUNT, false, NULL, &m));
	CHECK(same_key_as_file(lio_obj_path(lio_obj(acl))));
	lio_mapped_lun_unref(m);
	lio_lun_unref(lun);

	/*
	 * The ACL's file wrongly says mapped LUN 5 links to LUN 6: deleting
	 * LUN 5 meets EBUSY from configfs, reads every mapped LUN again and
	 * deletes mapped LUN 5 after all; mapped LUN 6 stays.
	 */
	forge(lio_obj_path(lio_obj(acl)), "0 5 0\n5 1 6\n6 35 6\n");
	CHECK_OK(ctx, lio_lun_lookup(tpg, 5, &lun));
	CHECK_OK(ctx, lun ? lio_lun_delete(lun) : -1);
	lio_lun_unref(lun);
	snprintf(path, sizeof(path), "%s/lun_5", lio_obj_path(lio_obj(acl)));
	CHECK(access(path, F_OK) < 0);
	snprintf(path, sizeof(path), "%s/lun_6", lio_obj_path(lio_obj(acl)));
	CHECK(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/lun_5", luns);
	CHECK(access(path, F_OK) < 0);

	/* the usual case: the file names the mapped LUN, and only it goes */
	CHECK(same_key_as_file(lio_obj_path(lio_obj(acl))));
	CHECK_OK(ctx, lio_lun_lookup(tpg, 9, &lun));
	CHECK_OK(ctx, lun ? lio_lun_delete(lun) : -1);
	lio_lun_unref(lun);
	snprintf(path, sizeof(path), "%s/lun_9", lio_obj_path(lio_obj(acl)));
	CHECK(access(path, F_OK) < 0);
	CHECK(same_key_as_file(lio_obj_path(lio_obj(acl))) && same_key_as_file(luns));

	lio_acl_unref(acl);
	lio_tpg_unref(tpg);
	CHECK_OK(ctx, lio_target_delete(t));
	lio_target_unref(t);
	for (unsigned i = 0; i < COUNT + 2; i++) {
		CHECK_OK(ctx, lio_so_delete(so[i]));
		lio_so_unref(so[i]);
	}
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
	lio_unref(ctx);
	return tap_done();
}
