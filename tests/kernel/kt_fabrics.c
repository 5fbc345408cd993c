/*
 * The rest of the object model on the real kernel: the loopback fabric with
 * its nexus carrying data to a backing file through a local SCSI disk,
 * TPG attributes and parameters, ACL tags, LUN ALUA membership, dbroot,
 * and clearing a whole configuration.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt.h"

#define MiB (1024ULL * 1024)

static struct lio_so *make_fileio(struct lio_ctx *ctx, const char *name, const char *file,
				  uint64_t size)
{
	struct lio_so_spec s = { .plugin = LIO_PLUGIN_FILEIO, .name = name, .dev = file,
				 .size = size, .write_back = LIO_NO, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	struct lio_so *so = NULL;

	CHECK_OK(ctx, lio_so_create(ctx, &s, &so));
	return so;
}

/* The /dev node of the SCSI disk whose unit serial is @serial. */
static bool find_disk(const char *serial, char dev[64])
{
	glob_t g;
	bool found = false;

	if (glob("/sys/bus/scsi/devices/*/block/*", 0, NULL, &g))
		return false;
	for (size_t i = 0; i < g.gl_pathc && !found; i++) {
		char path[512], buf[256] = "";
		FILE *f;

		snprintf(path, sizeof(path), "%s/../../vpd_pg80", g.gl_pathv[i]);
		f = fopen(path, "rb");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* page 0x80: 4 header bytes, then the serial */
		if (n > 4 && memmem(buf + 4, n - 4, serial, strlen(serial))) {
			snprintf(dev, 64, "/dev/%s", strrchr(g.gl_pathv[i], '/') + 1);
			found = true;
		}
	}
	globfree(&g);
	return found;
}

static void test_loopback_data(struct lio_ctx *ctx)
{
	const struct lio_fabric *loop = lio_fabric_find("loopback");
	const char *serial = "5b8ac4b4-1f0e-4c8e-9d7a-0123456789ab";
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *lun = NULL;
	char file[256], dev[64], *nexus = NULL;
	unsigned char out[4096], back[4096];

	snprintf(file, sizeof(file), "%s/loop_backing.img", kt_scratch());
	struct lio_so_spec s = { .plugin = LIO_PLUGIN_FILEIO, .name = "lb", .dev = file,
				 .size = 8 * MiB, .wwn = serial, .write_back = LIO_NO,
				 .sparse = LIO_DEFAULT, .readonly = LIO_DEFAULT,
				 .aio = LIO_DEFAULT };
	struct lio_so *so = NULL;
	CHECK_OK(ctx, lio_so_create(ctx, &s, &so));

	CHECK_OK(ctx, lio_target_create(ctx, loop, NULL, &t));
	CHECK_MSG(t && lio_wwn_match(lio_target_wwn(t), LIO_WWN_NAA), "generated %s",
		  t ? lio_target_wwn(t) : "");
	CHECK_OK(ctx, lio_tpg_create(t, 0, &tpg));
	CHECK_INT(lio_tpg_tag(tpg), 1);
	/* Only one TPG on a fabric without tpgts */
	struct lio_tpg *second = NULL;
	CHECK_FAIL(ctx, lio_tpg_create(t, 2, &second), -EEXIST, "multiple TPGs");
	CHECK_OK(ctx, lio_tpg_get_nexus(tpg, &nexus));
	CHECK_MSG(nexus && lio_wwn_match(nexus, LIO_WWN_NAA), "nexus '%s'", nexus ? nexus : "");
	free(nexus);
	CHECK_OK(ctx, lio_lun_create(tpg, so, 0, NULL, &lun));

	bool found = false;
	for (int i = 0; i < 100 && !(found = find_disk(serial, dev)); i++)
		usleep(100000);
	CHECK_MSG(found, "no SCSI disk with serial %s appeared", serial);
	if (found) {
		fprintf(stderr, "loopback disk %s\n", dev);
		for (size_t i = 0; i < sizeof(out); i++)
			out[i] = (unsigned char)(i * 7 + 3);
		int fd = open(dev, O_WRONLY | O_SYNC);
		CHECK(fd >= 0 && pwrite(fd, out, sizeof(out), 65536) == (ssize_t)sizeof(out));
		if (fd >= 0) {
			CHECK(fsync(fd) == 0);
			close(fd);
		}
		/* What the disk took is in the backing file, at the same offset. */
		fd = open(file, O_RDONLY);
		CHECK(fd >= 0 && pread(fd, back, sizeof(back), 65536) == (ssize_t)sizeof(back));
		if (fd >= 0)
			close(fd);
		CHECK(!memcmp(out, back, sizeof(out)));
	}

	CHECK_OK(ctx, lio_target_delete(t));
	CHECK_OK(ctx, lio_so_delete(so));
	lio_lun_unref(lun);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(so);
}

static void expect_attr(struct lio_ctx *ctx, void *obj, const char *group, const char *name,
			const char *want)
{
	char *v = NULL;

	CHECK_OK(ctx, lio_attr_get(lio_obj(obj), group, name, &v));
	CHECK_MSG(v && !strcmp(v, want), "%s/%s is '%s', want '%s'", group, name,
		  v ? v : "(null)", want);
	free(v);
}

static void test_groups_tags_alua(struct lio_ctx *ctx)
{
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *lun = NULL;
	struct lio_acl *a = NULL, *b = NULL;
	struct lio_alua_tpg *grp = NULL;
	struct lio_attr *attrs;
	char file[256], *v = NULL;
	size_t n;

	snprintf(file, sizeof(file), "%s/grp.img", kt_scratch());
	struct lio_so *so = make_fileio(ctx, "grp", file, 4 * MiB);
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, "iqn.2024-01.org.example.kt:groups", &t));
	CHECK_OK(ctx, lio_tpg_create(t, 3, &tpg));
	CHECK_INT(lio_tpg_tag(tpg), 3);

	/* Attribute and parameter groups, as the kernel lists them */
	CHECK_OK(ctx, lio_attr_list(lio_obj(tpg), "attrib", &attrs, &n));
	bool has_auth = false;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(attrs[i].name, "authentication") && attrs[i].writable)
			has_auth = true;
	CHECK(has_auth);
	lio_attrs_free(attrs, n);
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "param", "MaxConnections", "4"));
	expect_attr(ctx, tpg, "param", "MaxConnections", "4");
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "param", "TargetAlias", "kt alias"));
	expect_attr(ctx, tpg, "param", "TargetAlias", "kt alias");
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "attrib", "default_cmdsn_depth", "32"));
	expect_attr(ctx, tpg, "attrib", "default_cmdsn_depth", "32");
	int r = lio_attr_set(lio_obj(tpg), "param", "MaxConnections", "0");
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), "MaxConnections"), "%d %s", r, lio_errmsg(ctx));
	expect_attr(ctx, tpg, "param", "MaxConnections", "4");

	/* TPG-level CHAP */
	CHECK_OK(ctx, lio_auth_set(lio_obj(tpg), LIO_AUTH_USERID, "tpguser"));
	CHECK_OK(ctx, lio_auth_get(lio_obj(tpg), LIO_AUTH_USERID, &v));
	CHECK_STR(v, "tpguser");
	free(v);
	CHECK_OK(ctx, lio_auth_set(lio_obj(tpg), LIO_AUTH_USERID, ""));
	CHECK_OK(ctx, lio_auth_get(lio_obj(tpg), LIO_AUTH_USERID, &v));
	CHECK_STR(v, "");
	free(v);

	/* LUN in an ALUA group */
	CHECK_OK(ctx, lio_lun_create(tpg, so, 5, "myalias", &lun));
	CHECK_OK(ctx, lio_alua_tpg_create(so, "kt_ao", 11, &grp));
	CHECK_OK(ctx, lio_lun_set_alua_group(lun, "kt_ao"));
	CHECK_OK(ctx, lio_lun_get_alua_group(lun, &v));
	CHECK_STR(v, "kt_ao");
	free(v);
	char *members = NULL;
	CHECK_OK(ctx, lio_attr_get(lio_obj(grp), "", "members", &members));
	CHECK_MSG(members && strstr(members, "tpgt_3/lun_5"), "members: %s", members ? members : "");
	free(members);
	CHECK(lio_lun_set_alua_group(lun, "no_such_group") < 0);

	/* ACL attributes, cmdsn depth and tags */
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.2024-01.org.example:tag-a", &a));
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.2024-01.org.example:tag-b", &b));
	CHECK_OK(ctx, lio_attr_set(lio_obj(a), "attrib", "dataout_timeout", "5"));
	expect_attr(ctx, a, "attrib", "dataout_timeout", "5");
	CHECK_OK(ctx, lio_acl_set_cmdsn_depth(a, 16));
	unsigned depth = 0;
	CHECK_OK(ctx, lio_acl_get_cmdsn_depth(a, &depth));
	CHECK_INT(depth, 16);
	CHECK_OK(ctx, lio_acl_set_tag(a, "cluster1"));
	CHECK_OK(ctx, lio_acl_set_tag(b, "cluster1"));
	CHECK_OK(ctx, lio_acl_get_tag(b, &v));
	CHECK_STR(v, "cluster1");
	free(v);
	CHECK_OK(ctx, lio_acl_set_tag(b, NULL));
	CHECK_OK(ctx, lio_acl_get_tag(b, &v));
	CHECK_STR(v, "");
	free(v);
	struct lio_mapped_lun *ml = NULL;
	CHECK_OK(ctx, lio_mapped_lun_create(a, 200, 5, false, "mlalias", &ml));
	CHECK_OK(ctx, lio_mapped_lun_get_alias(ml, &v));
	CHECK_STR(v, "mlalias");
	free(v);
	CHECK_OK(ctx, lio_mapped_lun_set_write_protect(ml, true));
	bool wp = false;
	CHECK_OK(ctx, lio_mapped_lun_get_write_protect(ml, &wp));
	CHECK(wp);
	lio_mapped_lun_unref(ml);

	/* Deleting the SO while exported takes its LUN and mapped LUN along. */
	CHECK_OK(ctx, lio_so_delete(so));
	CHECK(!lio_obj_exists(lio_obj(lun)));
	struct lio_mapped_lun **mls;
	CHECK_OK(ctx, lio_mapped_lun_list(a, &mls, &n));
	CHECK_INT(n, 0);
	lio_list_free(mls, n);

	CHECK_OK(ctx, lio_target_delete(t));
	lio_alua_tpg_unref(grp);
	lio_acl_unref(a);
	lio_acl_unref(b);
	lio_lun_unref(lun);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(so);
}

/* An ACL joining a tag takes the first member's LUNs, credentials and attributes. */
static void test_acl_copy(struct lio_ctx *ctx)
{
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	struct lio_so_spec rs = { .plugin = LIO_PLUGIN_RAMDISK, .size = MiB,
				  .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				  .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	struct lio_so *r1 = NULL, *r2 = NULL;
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *l0 = NULL, *l1 = NULL;
	struct lio_acl *x = NULL, *y = NULL;
	struct lio_mapped_lun *ml = NULL, **mls;
	char *v = NULL;
	size_t n;

	rs.name = "cp1";
	CHECK_OK(ctx, lio_so_create(ctx, &rs, &r1));
	rs.name = "cp2";
	CHECK_OK(ctx, lio_so_create(ctx, &rs, &r2));
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, "iqn.2024-01.org.example.kt:copy", &t));
	CHECK_OK(ctx, lio_tpg_create(t, 1, &tpg));
	CHECK_OK(ctx, lio_lun_create(tpg, r1, 0, NULL, &l0));
	CHECK_OK(ctx, lio_lun_create(tpg, r2, 1, NULL, &l1));
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.2024-01.org.example:x", &x));
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.2024-01.org.example:y", &y));
	CHECK_OK(ctx, lio_mapped_lun_create(x, 0, 0, true, NULL, &ml));
	ml = lio_mapped_lun_unref(ml);
	CHECK_OK(ctx, lio_mapped_lun_create(x, 9, 1, false, NULL, &ml));
	ml = lio_mapped_lun_unref(ml);
	CHECK_OK(ctx, lio_mapped_lun_create(y, 5, 1, false, NULL, &ml));
	ml = lio_mapped_lun_unref(ml);
	CHECK_OK(ctx, lio_auth_set(lio_obj(x), LIO_AUTH_USERID, "shared"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(x), LIO_AUTH_PASSWORD, "shared-secret"));
	CHECK_OK(ctx, lio_attr_set(lio_obj(x), "attrib", "dataout_timeout", "7"));

	CHECK_OK(ctx, lio_acl_copy_settings(y, x));
	CHECK_OK(ctx, lio_mapped_lun_list(y, &mls, &n));
	CHECK_INT(n, 2);
	if (n == 2) {
		unsigned tl = 99;
		bool wp = false;

		CHECK_INT(lio_mapped_lun_index(mls[0]), 0);
		CHECK_OK(ctx, lio_mapped_lun_get_write_protect(mls[0], &wp));
		CHECK(wp);
		CHECK_INT(lio_mapped_lun_index(mls[1]), 9);
		CHECK_OK(ctx, lio_mapped_lun_get_tpg_lun(mls[1], &tl));
		CHECK_INT(tl, 1);
	}
	lio_list_free(mls, n);
	CHECK_OK(ctx, lio_auth_get(lio_obj(y), LIO_AUTH_PASSWORD, &v));
	CHECK_STR(v, "shared-secret");
	free(v);
	expect_attr(ctx, y, "attrib", "dataout_timeout", "7");

	CHECK_OK(ctx, lio_target_delete(t));
	CHECK_OK(ctx, lio_so_delete(r1));
	CHECK_OK(ctx, lio_so_delete(r2));
	lio_acl_unref(x);
	lio_acl_unref(y);
	lio_lun_unref(l0);
	lio_lun_unref(l1);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(r1);
	lio_so_unref(r2);
}

static void test_clear(struct lio_ctx *ctx)
{
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *lun = NULL;
	struct lio_acl *acl = NULL;
	struct lio_mapped_lun *ml = NULL;
	struct lio_portal *p = NULL;
	char file[256], *why = NULL, *v = NULL;

	snprintf(file, sizeof(file), "%s/clear.img", kt_scratch());
	struct lio_so *so = make_fileio(ctx, "c1", file, 4 * MiB);
	struct lio_so_spec rs = { .plugin = LIO_PLUGIN_RAMDISK, .name = "c2", .size = MiB,
				  .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				  .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	struct lio_so *rd = NULL;
	CHECK_OK(ctx, lio_so_create(ctx, &rs, &rd));
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, NULL, &t));
	CHECK_OK(ctx, lio_tpg_create(t, 0, &tpg));
	CHECK_OK(ctx, lio_lun_create(tpg, so, -1, NULL, &lun));
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.2024-01.org.example:c", &acl));
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 0, 0, true, NULL, &ml));
	CHECK_OK(ctx, lio_portal_create(tpg, "0.0.0.0", 3260, &p));
	CHECK_OK(ctx, lio_tpg_set_enable(tpg, true));
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_USERID, "du"));
	CHECK_OK(ctx, lio_discovery_auth_set_enforce(ctx, iscsi, true));

	CHECK_OK(ctx, lio_clear(ctx));
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
	bool enforce = true;
	CHECK_OK(ctx, lio_discovery_auth_get_enforce(ctx, iscsi, &enforce));
	CHECK(!enforce);
	CHECK_OK(ctx, lio_discovery_auth_get(ctx, iscsi, LIO_AUTH_USERID, &v));
	CHECK_STR(v, "");
	free(v);
	/* Clearing nothing is fine too. */
	CHECK_OK(ctx, lio_clear(ctx));

	lio_portal_unref(p);
	lio_mapped_lun_unref(ml);
	lio_acl_unref(acl);
	lio_lun_unref(lun);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(so);
	lio_so_unref(rd);
}

int main(void)
{
	struct lio_ctx *ctx = kt_ctx();
	char *v = NULL;

	/* lio_setup pointed the kernel's dbroot at /etc/target. */
	char path[512];
	snprintf(path, sizeof(path), "%s/dbroot", lio_target_root(ctx));
	FILE *f = fopen(path, "r");
	char buf[256] = "";
	CHECK(f && fgets(buf, sizeof(buf), f));
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	CHECK_STR(buf, "/etc/target");
	(void)v;

	test_loopback_data(ctx);
	test_groups_tags_alua(ctx);
	test_acl_copy(ctx);
	test_clear(ctx);
	lio_unref(ctx);
	return tap_done();
}
