/*
 * Bad input on the real kernel: each mistake is a clear error and leaves
 * configfs exactly as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kt.h"

#define MiB (1024ULL * 1024)
#define IQN "iqn.2024-01.org.example.kt:errors"

static struct lio_ctx *ctx;
static char *before;

static void snapshot(void)
{
	free(before);
	before = kt_objects(lio_target_root(ctx));
}

/* configfs must hold the same objects as at the last snapshot. */
#define CHECK_UNCHANGED()                                                      \
	do {                                                                   \
		char *_now = kt_objects(lio_target_root(ctx));                 \
		tap_check(!strcmp(_now, before), __FILE__, __LINE__, "configfs unchanged", \
			  "before:\n%s\nafter:\n%s", before, _now);            \
		free(_now);                                                    \
	} while (0)

static struct lio_so_spec spec_of(enum lio_plugin p, const char *name, const char *dev,
				  uint64_t size)
{
	struct lio_so_spec s = { .plugin = p, .name = name, .dev = dev, .size = size,
				 .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	return s;
}

int main(void)
{
	const struct lio_fabric *iscsi;
	struct lio_so *so = NULL, *other = NULL, *tmp = NULL;
	struct lio_target *t = NULL, *tmpt = NULL;
	struct lio_tpg *tpg = NULL, *tmptpg = NULL;
	struct lio_lun *lun = NULL, *tmplun = NULL;
	struct lio_acl *acl = NULL, *tmpacl = NULL;
	struct lio_mapped_lun *tmpml = NULL;
	struct lio_portal *portal = NULL, *tmpp = NULL;
	struct lio_so_spec s;
	char file[256], path[512];
	struct stat st;

	ctx = kt_ctx();
	iscsi = lio_fabric_find("iscsi");
	snprintf(file, sizeof(file), "%s/e.img", kt_scratch());

	/* A valid base to make mistakes against */
	s = spec_of(LIO_PLUGIN_FILEIO, "disk", file, 16 * MiB);
	CHECK_OK(ctx, lio_so_create(ctx, &s, &so));
	s = spec_of(LIO_PLUGIN_RAMDISK, "ram", NULL, MiB);
	CHECK_OK(ctx, lio_so_create(ctx, &s, &other));
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, IQN, &t));
	CHECK_OK(ctx, lio_tpg_create(t, 1, &tpg));
	CHECK_OK(ctx, lio_lun_create(tpg, so, 0, NULL, &lun));
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.2024-01.org.example:ini", &acl));
	CHECK_OK(ctx, lio_portal_create(tpg, "127.0.0.1", 3260, &portal));
	snapshot();

	/* Invalid WWNs */
	CHECK_FAIL(ctx, lio_target_create(ctx, iscsi, "iqn.2024-01.org_example:bad", &tmpt),
		   -EINVAL, "WWN not valid as: iqn, naa, eui");
	CHECK_FAIL(ctx, lio_target_create(ctx, iscsi, "not-a-wwn", &tmpt), -EINVAL,
		   "WWN not valid");
	CHECK_FAIL(ctx, lio_target_create(ctx, iscsi, "naa.5001405abc", &tmpt), -EINVAL,
		   "WWN not valid");
	CHECK_FAIL(ctx, lio_acl_create(tpg, "initiator one", &tmpacl), -EINVAL,
		   "WWN not valid");
	const struct lio_fabric *loop = lio_fabric_find("loopback");
	CHECK_FAIL(ctx, lio_target_create(ctx, loop, "iqn.2024-01.org.example:x", &tmpt),
		   -EINVAL, "WWN not valid as: naa");
	CHECK(tmpt == NULL && tmpacl == NULL);
	CHECK_UNCHANGED();

	/* Duplicates */
	s = spec_of(LIO_PLUGIN_FILEIO, "disk", file, 16 * MiB);
	CHECK_FAIL(ctx, lio_so_create(ctx, &s, &tmp), -EEXIST, "disk");
	s = spec_of(LIO_PLUGIN_FILEIO, "disk2", file, 0);
	CHECK_FAIL(ctx, lio_so_create(ctx, &s, &tmp), -EEXIST, "already exists: disk");
	CHECK_FAIL(ctx, lio_target_create(ctx, iscsi, IQN, &tmpt), -EEXIST, IQN);
	CHECK_FAIL(ctx, lio_tpg_create(t, 1, &tmptpg), -EEXIST, "1");
	CHECK_FAIL(ctx, lio_lun_create(tpg, other, 0, NULL, &tmplun), -EEXIST, "LUN 0");
	CHECK_FAIL(ctx, lio_lun_create(tpg, so, 5, NULL, &tmplun), -EBUSY,
		   "lun for storage object fileio/disk already exists");
	CHECK_FAIL(ctx, lio_acl_create(tpg, "IQN.2024-01.org.example:INI", &tmpacl), -EEXIST,
		   "iqn.2024-01.org.example:ini");
	CHECK_FAIL(ctx, lio_portal_create(tpg, "127.0.0.1", 3260, &tmpp), -EEXIST,
		   "127.0.0.1:3260");
	CHECK(!tmp && !tmpt && !tmptpg && !tmplun && !tmpacl && !tmpp);
	CHECK_UNCHANGED();

	/* Another TPG cannot listen on the same address: the kernel says so */
	CHECK_OK(ctx, lio_tpg_create(t, 2, &tmptpg));
	snapshot();
	int r = lio_portal_create(tmptpg, "127.0.0.1", 3260, &tmpp);
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), "127.0.0.1:3260"), "got %d: %s", r,
		  lio_errmsg(ctx));
	CHECK_UNCHANGED();
	CHECK_FAIL(ctx, lio_portal_create(tmptpg, "300.1.1.1", 3260, &tmpp), -EINVAL,
		   "300.1.1.1");
	CHECK_FAIL(ctx, lio_portal_create(tmptpg, "fe80::zz", 3260, &tmpp), -EINVAL,
		   "fe80::zz");
	CHECK_UNCHANGED();
	CHECK_OK(ctx, lio_tpg_delete(tmptpg));
	tmptpg = lio_tpg_unref(tmptpg);
	snapshot();

	/* Missing devices and wrong kinds of paths */
	s = spec_of(LIO_PLUGIN_BLOCK, "nodev", "/dev/does-not-exist", 0);
	CHECK_FAIL(ctx, lio_so_create(ctx, &s, &tmp), -ENOENT, "/dev/does-not-exist");
	s = spec_of(LIO_PLUGIN_BLOCK, "notblock", file, 0);
	r = lio_so_create(ctx, &s, &tmp);
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), file), "%d: %s", r, lio_errmsg(ctx));
	s = spec_of(LIO_PLUGIN_FILEIO, "nodir", "/nonexistent-dir/x.img", MiB);
	r = lio_so_create(ctx, &s, &tmp);
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), "/nonexistent-dir/x.img"), "%d: %s", r,
		  lio_errmsg(ctx));
	snprintf(path, sizeof(path), "%s/new.img", kt_scratch());
	s = spec_of(LIO_PLUGIN_FILEIO, "nosize", path, 0);
	CHECK_FAIL(ctx, lio_so_create(ctx, &s, &tmp), -EINVAL, "need a size");
	CHECK(stat(path, &st) < 0);
	s = spec_of(LIO_PLUGIN_FILEIO, "isdir", kt_scratch(), MiB);
	CHECK_FAIL(ctx, lio_so_create(ctx, &s, &tmp), -EINVAL, "exists but is not a file");
	s = spec_of(LIO_PLUGIN_PSCSI, "nohctl", "9:9:9:9", 0);
	r = lio_so_create(ctx, &s, &tmp);
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), "9:9:9:9"), "%d: %s", r, lio_errmsg(ctx));
	s = spec_of(LIO_PLUGIN_RAMDISK, "bad/name", NULL, MiB);
	r = lio_so_create(ctx, &s, &tmp);
	CHECK_MSG(r == -EINVAL && strstr(lio_errmsg(ctx), "bad/name"), "%d: %s", r, lio_errmsg(ctx));
	s = spec_of(LIO_PLUGIN_USER, "colon", NULL, MiB);
	s.config = "file/a:b";
	CHECK_FAIL(ctx, lio_so_create(ctx, &s, &tmp), -EINVAL, "':' not allowed");
	CHECK(!tmp);
	CHECK_UNCHANGED();

	/* LUN numbers out of range and mapped LUNs to nothing */
	CHECK_FAIL(ctx, lio_lun_create(tpg, other, 65536, NULL, &tmplun), -ERANGE, "65536");
	CHECK_FAIL(ctx, lio_mapped_lun_create(acl, 0, 7, false, NULL, &tmpml), -ENOENT,
		   "LUN 7 does not exist");
	CHECK_FAIL(ctx, lio_lun_create(tpg, other, 1, "bad/alias", &tmplun), -EINVAL, "bad/alias");
	CHECK(!tmplun && !tmpml);
	CHECK_UNCHANGED();

	/* Attributes that do not exist, values the kernel refuses */
	CHECK_FAIL(ctx, lio_attr_set(lio_obj(so), "attrib", "no_such_attr", "1"), -ENOENT,
		   "no_such_attr");
	r = lio_attr_set(lio_obj(so), "attrib", "block_size", "1000");
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), "block_size"), "%d: %s", r, lio_errmsg(ctx));
	CHECK_FAIL(ctx, lio_attr_set(lio_obj(so), "attrib", "../enable", "0"), -EINVAL,
		   "../enable");
	CHECK_FAIL(ctx, lio_acl_set_tag(acl, "a.b"), -EINVAL, "'.' not permitted");
	CHECK_FAIL(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_USERID, "NULL"), -EINVAL, "NULL");
	CHECK_UNCHANGED();

	/*
	 * Deleting a storage object in use: the library refuses unless asked
	 * to take its LUNs with it, and says which LUN uses it.
	 */
	CHECK_FAIL(ctx, lio_so_delete_unused(so), -EBUSY, "in use");
	CHECK_UNCHANGED();
	CHECK(lio_obj_exists(lio_obj(lun)));

	/* Clean up, and nothing is left */
	CHECK_OK(ctx, lio_target_delete(t));
	CHECK_OK(ctx, lio_so_delete(so));
	CHECK_OK(ctx, lio_so_delete(other));
	char *why = NULL;
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);

	lio_portal_unref(portal);
	lio_acl_unref(acl);
	lio_lun_unref(lun);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(so);
	lio_so_unref(other);
	free(before);
	lio_unref(ctx);
	return tap_done();
}
