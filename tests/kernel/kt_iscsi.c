/*
 * An iSCSI target with two TPGs, LUNs, IPv4 and IPv6 portals, ACLs with
 * mapped LUNs, CHAP, mutual CHAP and discovery auth, built with liblio on
 * the real kernel and then used by a real initiator (libiscsi).
 */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kt.h"

#define MiB (1024ULL * 1024)
#define IQN "iqn.2024-01.org.example.kt:target1"
#define INI_A "iqn.2024-01.org.example:initiator-a"
#define INI_B "iqn.2024-01.org.example:initiator-b"
#define INI_OTHER "iqn.2024-01.org.example:stranger"

static const char *io_tool;

static struct lio_so *make_so(struct lio_ctx *ctx, enum lio_plugin p, const char *name,
			      const char *dev, uint64_t size)
{
	struct lio_so_spec s = { .plugin = p, .name = name, .dev = dev, .size = size,
				 .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	struct lio_so *so = NULL;

	CHECK_OK(ctx, lio_so_create(ctx, &s, &so));
	return so;
}

static void set(struct lio_ctx *ctx, void *obj, const char *group, const char *name,
		const char *value)
{
	CHECK_OK(ctx, lio_attr_set(lio_obj(obj), group, name, value));
}

static int io(const char *ini, const char *mutual, const char *cmd, const char *url,
	      const char *a, const char *b)
{
	const char *argv[10];
	int n = 0;

	argv[n++] = io_tool;
	argv[n++] = "-i";
	argv[n++] = ini;
	if (mutual) {
		argv[n++] = "-m";
		argv[n++] = mutual;
	}
	argv[n++] = cmd;
	argv[n++] = url;
	if (a)
		argv[n++] = a;
	if (b)
		argv[n++] = b;
	argv[n] = NULL;
	return kt_run(NULL, NULL, argv);
}

int main(int argc, char **argv)
{
	struct lio_ctx *ctx = kt_ctx();
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	struct lio_target *t = NULL;
	struct lio_tpg *tpg1 = NULL, *tpg2 = NULL;
	struct lio_lun *l0 = NULL, *l1 = NULL, *l2 = NULL;
	struct lio_acl *a = NULL, *b = NULL;
	struct lio_mapped_lun *m0 = NULL, *m1 = NULL, *mb = NULL;
	struct lio_portal *p4 = NULL, *p6 = NULL;
	char file[256], loopf[256], dev[64], *out = NULL, *why = NULL;
	int r;

	io_tool = argc > 1 ? argv[1] : "kt-iscsi-io";
	CHECK(iscsi != NULL);
	snprintf(file, sizeof(file), "%s/disk.img", kt_scratch());
	snprintf(loopf, sizeof(loopf), "%s/loop.img", kt_scratch());
	CHECK(kt_loop_attach(loopf, 32 * MiB, dev) == 0);

	struct lio_so *sf = make_so(ctx, LIO_PLUGIN_FILEIO, "disk", file, 64 * MiB);
	struct lio_so *sr = make_so(ctx, LIO_PLUGIN_RAMDISK, "ram", NULL, 16 * MiB);
	struct lio_so *sb = make_so(ctx, LIO_PLUGIN_BLOCK, "blk", dev, 0);

	/* Target, two TPGs with automatic tags */
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, IQN, &t));
	CHECK_STR(lio_target_wwn(t), IQN);
	CHECK_OK(ctx, lio_tpg_create(t, 0, &tpg1));
	CHECK_OK(ctx, lio_tpg_create(t, 0, &tpg2));
	CHECK_INT(lio_tpg_tag(tpg1), 1);
	CHECK_INT(lio_tpg_tag(tpg2), 2);

	/* TPG 1: per-ACL CHAP, fileio LUN 0, ramdisk LUN 1, IPv4 portal */
	CHECK_OK(ctx, lio_lun_create(tpg1, sf, -1, NULL, &l0));
	CHECK_OK(ctx, lio_lun_create(tpg1, sr, -1, "ramalias", &l1));
	CHECK_INT(lio_lun_index(l0), 0);
	CHECK_INT(lio_lun_index(l1), 1);
	char *alias = NULL;
	CHECK_OK(ctx, lio_lun_get_alias(l1, &alias));
	CHECK_STR(alias, "ramalias");
	free(alias);
	struct lio_so *back = NULL;
	CHECK_OK(ctx, lio_lun_get_so(l0, &back));
	CHECK(back && lio_so_plugin(back) == LIO_PLUGIN_FILEIO && !strcmp(lio_so_name(back), "disk"));
	lio_so_unref(back);
	char *grp = NULL;
	CHECK_OK(ctx, lio_lun_get_alua_group(l0, &grp));
	CHECK_STR(grp, "default_tg_pt_gp");
	free(grp);
	CHECK_OK(ctx, lio_portal_create(tpg1, "127.0.0.1", 3260, &p4));
	set(ctx, tpg1, "attrib", "generate_node_acls", "0");
	set(ctx, tpg1, "attrib", "authentication", "1");

	CHECK_OK(ctx, lio_acl_create(tpg1, INI_A, &a));
	CHECK_OK(ctx, lio_mapped_lun_create(a, 0, 0, false, NULL, &m0));
	CHECK_OK(ctx, lio_mapped_lun_create(a, 1, 1, true, NULL, &m1));
	unsigned tl = 99;
	bool wp = false;
	CHECK_OK(ctx, lio_mapped_lun_get_tpg_lun(m1, &tl));
	CHECK_INT(tl, 1);
	CHECK_OK(ctx, lio_mapped_lun_get_write_protect(m1, &wp));
	CHECK(wp);
	CHECK_OK(ctx, lio_auth_set(lio_obj(a), LIO_AUTH_USERID, "usera"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(a), LIO_AUTH_PASSWORD, "secret-a-12345"));
	char *v = NULL;
	CHECK_OK(ctx, lio_auth_get(lio_obj(a), LIO_AUTH_USERID, &v));
	CHECK_STR(v, "usera");
	free(v);
	CHECK_OK(ctx, lio_auth_get(lio_obj(a), LIO_AUTH_MUTUAL_USERID, &v));
	CHECK_STR(v, ""); /* the kernel's NULL */
	free(v);

	CHECK_OK(ctx, lio_acl_create(tpg1, INI_B, &b));
	CHECK_OK(ctx, lio_mapped_lun_create(b, 0, 0, false, NULL, &mb));
	CHECK_OK(ctx, lio_auth_set(lio_obj(b), LIO_AUTH_USERID, "userb"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(b), LIO_AUTH_PASSWORD, "secret-b-12345"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(b), LIO_AUTH_MUTUAL_USERID, "targetb"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(b), LIO_AUTH_MUTUAL_PASSWORD, "tsecret-b-1234"));
	CHECK_OK(ctx, lio_tpg_set_enable(tpg1, true));

	/* TPG 2: open (generated ACLs, no auth), block LUN, IPv6 portal */
	CHECK_OK(ctx, lio_lun_create(tpg2, sb, 0, NULL, &l2));
	CHECK_OK(ctx, lio_portal_create(tpg2, "::1", 3260, &p6));
	CHECK_STR(lio_portal_ip(p6), "[::1]");
	set(ctx, tpg2, "attrib", "generate_node_acls", "1");
	set(ctx, tpg2, "attrib", "demo_mode_write_protect", "0");
	set(ctx, tpg2, "attrib", "cache_dynamic_acls", "1");
	set(ctx, tpg2, "attrib", "authentication", "0");
	CHECK_OK(ctx, lio_tpg_set_enable(tpg2, true));
	bool en = false;
	CHECK_OK(ctx, lio_tpg_get_enable(tpg2, &en));
	CHECK(en);

	/* Lists */
	struct lio_lun **luns;
	struct lio_acl **acls;
	struct lio_portal **portals;
	size_t n;
	CHECK_OK(ctx, lio_lun_list(tpg1, &luns, &n));
	CHECK_INT(n, 2);
	lio_list_free(luns, n);
	CHECK_OK(ctx, lio_acl_list(tpg1, &acls, &n));
	CHECK_INT(n, 2);
	lio_list_free(acls, n);
	/*
	 * iSER and offload need RDMA / Chelsio hardware the guest lacks: the
	 * kernel refuses, the error says so, and the portal stays as it was.
	 */
	bool on = true;
	CHECK_OK(ctx, lio_portal_get_iser(p4, &on));
	CHECK(!on);
	r = lio_portal_set_iser(p4, true);
	CHECK_MSG(r < 0 && strstr(lio_errmsg(ctx), "iSER"), "set iser: %d %s", r, lio_errmsg(ctx));
	CHECK_OK(ctx, lio_portal_get_iser(p4, &on));
	CHECK(!on);
	CHECK_OK(ctx, lio_portal_get_offload(p4, &on));
	CHECK(!on);
	CHECK(lio_obj_exists(lio_obj(p4)));
	CHECK_OK(ctx, lio_portal_list(tpg2, &portals, &n));
	CHECK(n == 1 && !strcmp(lio_portal_ip(portals[0]), "[::1]") &&
	      lio_portal_port(portals[0]) == 3260);
	lio_list_free(portals, n);
	struct lio_lun **so_luns;
	CHECK_OK(ctx, lio_so_luns(sf, &so_luns, &n));
	CHECK_INT(n, 1);
	lio_list_free(so_luns, n);

	/* CHAP: right credentials in, wrong or missing ones out */
	const char *url_a0 = "iscsi://usera%secret-a-12345@127.0.0.1/" IQN "/0";
	const char *url_a1 = "iscsi://usera%secret-a-12345@127.0.0.1/" IQN "/1";
	CHECK_INT(KT_RUN(&out, "iscsi-inq", "-i", INI_A, url_a0), 0);
	CHECK_MSG(out && strstr(out, "LIO-ORG"), "inquiry: %s", out ? out : "");
	free(out);
	CHECK_INT(KT_RUN(&out, "iscsi-readcapacity16", "-i", INI_A, url_a0), 0);
	CHECK_MSG(out && strstr(out, "LOGICAL BLOCK LENGTH IN BYTES:512"), "%s", out ? out : "");
	CHECK_MSG(out && strstr(out, "RETURNED LOGICAL BLOCK ADDRESS:131071"), "%s", out ? out : "");
	free(out);
	CHECK_INT(io(INI_A, NULL, "login", "iscsi://usera%wrong-password@127.0.0.1/" IQN "/0", NULL, NULL), 2);
	CHECK_INT(io(INI_A, NULL, "login", "iscsi://127.0.0.1/" IQN "/0", NULL, NULL), 2);
	CHECK_INT(io(INI_OTHER, NULL, "login", "iscsi://usera%secret-a-12345@127.0.0.1/" IQN "/0", NULL, NULL), 2);

	/* Data written in one session reads back in another */
	CHECK_INT(io(INI_A, NULL, "write", url_a0, "100", "7"), 0);
	CHECK_INT(io(INI_A, NULL, "verify", url_a0, "100", "7"), 0);
	CHECK_INT(io(INI_A, NULL, "verify", url_a0, "100", "8"), 1);
	/* Mapped LUN 1 is write-protected: read-only to the initiator */
	CHECK_INT(io(INI_A, NULL, "readonly", url_a1, NULL, NULL), 0);
	CHECK_INT(io(INI_A, NULL, "readonly", url_a0, NULL, NULL), 1);

	/* Mutual CHAP: the initiator checks the target's credentials too */
	const char *url_b = "iscsi://userb%secret-b-12345@127.0.0.1/" IQN "/0";
	CHECK_INT(io(INI_B, "targetb:tsecret-b-1234", "verify", url_b, "100", "7"), 0);
	CHECK_INT(io(INI_B, "targetb:not-the-secret", "login", url_b, NULL, NULL), 2);
	CHECK_INT(io(INI_B, NULL, "login", "iscsi://userb%bad-secret-b-123@127.0.0.1/" IQN "/0", NULL, NULL), 2);

	/* TPG 2 over IPv6 with generated ACLs */
	const char *url6 = "iscsi://[::1]/" IQN "/0";
	CHECK_INT(KT_RUN(&out, "iscsi-readcapacity16", "-i", INI_OTHER, url6), 0);
	CHECK_MSG(out && strstr(out, "RETURNED LOGICAL BLOCK ADDRESS:65535"), "%s", out ? out : "");
	free(out);
	CHECK_INT(io(INI_OTHER, NULL, "write", url6, "0", "42"), 0);
	CHECK_INT(io(INI_OTHER, NULL, "verify", url6, "0", "42"), 0);

	/* A live session shows up in the ACL's info */
	pid_t pid = fork();
	if (pid == 0) {
		execlp(io_tool, io_tool, "-i", INI_A, "hold", url_a0, (char *)NULL);
		_exit(127);
	}
	struct lio_session sess = { 0 };
	for (int i = 0; i < 50; i++) {
		lio_session_clear(&sess);
		if (lio_acl_get_session(a, &sess) == 0 && sess.active)
			break;
		usleep(100000);
	}
	CHECK(sess.active);
	CHECK_STR(sess.state, "LOGGED_IN");
	CHECK_STR(sess.type, "Normal");
	CHECK(sess.nconns == 1 && sess.conns[0].address &&
	      !strcmp(sess.conns[0].address, "127.0.0.1"));
	lio_session_clear(&sess);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	CHECK_OK(ctx, lio_acl_get_session(b, &sess));
	CHECK(!sess.active);
	lio_session_clear(&sess);

	/* Discovery auth: SendTargets needs the discovery credentials */
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_USERID, "discuser"));
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_PASSWORD, "disc-secret-123"));
	CHECK_OK(ctx, lio_discovery_auth_set_enforce(ctx, iscsi, true));
	bool enf = false;
	CHECK_OK(ctx, lio_discovery_auth_get_enforce(ctx, iscsi, &enf));
	CHECK(enf);
	r = KT_RUN(&out, "iscsi-ls", "-i", INI_A, "iscsi://127.0.0.1");
	CHECK_MSG(r != 0, "discovery without credentials succeeded: %s", out);
	free(out);
	r = KT_RUN(&out, "iscsi-ls", "-i", INI_A, "iscsi://discuser%disc-secret-123@127.0.0.1");
	CHECK_INT(r, 0);
	CHECK_MSG(out && strstr(out, IQN), "discovery: %s", out ? out : "");
	free(out);
	r = KT_RUN(&out, "iscsi-ls", "-i", INI_A, "iscsi://discuser%wrong-secret-12@127.0.0.1");
	CHECK(r != 0);
	free(out);
	CHECK_OK(ctx, lio_discovery_auth_set_enforce(ctx, iscsi, false));
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_USERID, ""));
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_PASSWORD, ""));

	/* Deleting a TPG LUN removes the mapped LUNs that use it */
	CHECK_OK(ctx, lio_lun_delete(l1));
	CHECK(!lio_obj_exists(lio_obj(m1)));
	CHECK(lio_obj_exists(lio_obj(m0)));

	/* Tear down: target (TPGs, ACLs, LUNs, portals), then storage */
	CHECK_OK(ctx, lio_target_delete(t));
	CHECK(!lio_obj_exists(lio_obj(t)));
	CHECK_OK(ctx, lio_so_delete(sf));
	CHECK_OK(ctx, lio_so_delete(sr));
	CHECK_OK(ctx, lio_so_delete(sb));
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
	CHECK(kt_loop_detach(dev) == 0);

	lio_mapped_lun_unref(m0);
	lio_mapped_lun_unref(m1);
	lio_mapped_lun_unref(mb);
	lio_acl_unref(a);
	lio_acl_unref(b);
	lio_portal_unref(p4);
	lio_portal_unref(p6);
	lio_lun_unref(l0);
	lio_lun_unref(l1);
	lio_lun_unref(l2);
	lio_tpg_unref(tpg1);
	lio_tpg_unref(tpg2);
	lio_target_unref(t);
	lio_so_unref(sf);
	lio_so_unref(sr);
	lio_so_unref(sb);
	lio_unref(ctx);
	return tap_done();
}
