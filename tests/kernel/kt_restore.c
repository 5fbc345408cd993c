/*
 * Restoring saveconfig.json on the real kernel (lib/config_restore.c and
 * friends):
 *  - every published savefile of tests/compat/savefiles restored as
 *    targetcli-fb 2.1.53 did (`targetcli restoreconfig FILE` on an empty
 *    configuration, /dev/loop0..5 on 64 MiB sparse files, working directory
 *    /var/tmp/lab-data); cfsdump.py's view is written to
 *    $LIO_VM_OUT/kt_restore.<name>.cfs and the host compares it with
 *    expected/restore-<name>.cfs (kernel/restore-<name>-matches-targetcli-fb);
 *    the status is non-zero exactly when items were skipped, as
 *    targetcli-fb's exit status;
 *  - round trip: a configuration with every object type, dumped, cleared,
 *    restored, dumped again: the same JSON;
 *  - atomic restores with a fault in the middle (missing device, invalid
 *    attribute value, portal address in use), with and without
 *    clear_existing: the previous configuration is back exactly (dump and
 *    tree); the same files by default: everything else applied and each
 *    skipped item named;
 *  - diff mode: a dry run changes nothing and lists the plan; the real run
 *    keeps an unchanged LUN (same directory inode); a second run has
 *    nothing to do;
 *  - wait mode: a loop device attached 3 s after the restore started.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/loop.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kt.h"

#ifndef KT_COMPAT_DIR
#error KT_COMPAT_DIR must name tests/compat
#endif

#define MiB (1024ULL * 1024)
#define LAB "/var/tmp/lab-data"
#define WORK "/var/tmp/kt-restore"
#define RICH_IQN "iqn.2003-01.org.example.kt:rich"
#define LOOP_WWN "naa.5001405aabbccdd0"

static struct lio_ctx *ctx;
static const char *out_dir;

/* ---- helpers ---- */

static int loop_set(const char *dev, const char *file, unsigned long long size)
{
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600), lfd, r = 0;

	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		return -errno;
	lfd = open(dev, O_RDWR);
	if (lfd < 0 || ioctl(lfd, LOOP_SET_FD, fd) < 0)
		r = -errno;
	if (lfd >= 0)
		close(lfd);
	close(fd);
	return r;
}

/* /dev/loop<n> on a fresh sparse file, whatever it held before. */
static int loop_fresh(unsigned n)
{
	char dev[64], file[128];
	int ctl = open("/dev/loop-control", O_RDWR);

	if (ctl >= 0) {
		ioctl(ctl, LOOP_CTL_ADD, n); /* EEXIST is fine */
		close(ctl);
	}
	snprintf(dev, sizeof(dev), "/dev/loop%u", n);
	kt_loop_detach(dev);
	snprintf(file, sizeof(file), "%s/loop%u.img", WORK, n);
	return loop_set(dev, file, 64 * MiB);
}

static char *dump_text(void)
{
	struct json_object *cfg = NULL;
	char *text = NULL;

	if (lio_config_dump(ctx, &cfg) < 0) {
		fprintf(stderr, "dump: %s\n", lio_errmsg(ctx));
		return strdup("(dump failed)");
	}
	lio_json_format(cfg, &text);
	json_object_put(cfg);
	return text;
}

static void print_report(const char *what, const struct lio_restore_report *rep)
{
	fprintf(stderr, "-- %s: %zu errors, %zu warnings, %zu plan lines\n", what, rep->nerrors,
		rep->nwarnings, rep->nplan);
	for (size_t i = 0; i < rep->nerrors; i++)
		fprintf(stderr, "   error: %s\n", rep->errors[i]);
	for (size_t i = 0; i < rep->nwarnings; i++)
		fprintf(stderr, "   warning: %s\n", rep->warnings[i]);
	for (size_t i = 0; i < rep->nplan; i++)
		fprintf(stderr, "   plan: %s\n", rep->plan[i]);
}

static bool has_prefix_line(char **v, size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(v[i], prefix, strlen(prefix)))
			return true;
	return false;
}

static bool has_line(char **v, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], want))
			return true;
	return false;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK_MSG(f && fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", path);
}

static int restore_text(const char *json, const struct lio_restore_opts *o,
			struct lio_restore_report *rep)
{
	struct json_object *cfg = json_tokener_parse(json);
	int r;

	CHECK_MSG(cfg != NULL, "test JSON does not parse");
	r = lio_config_restore(ctx, cfg, o, rep);
	json_object_put(cfg);
	return r;
}

#define CHECK_SAME_TEXT(a, b, what)                                            \
	tap_check(!strcmp((a), (b)), __FILE__, __LINE__, what, "before:\n%s\nafter:\n%s", (a), (b))

/* ---- published savefiles, against targetcli-fb ---- */

static int expected_exit(const char *name)
{
	char path[512];
	struct json_object *j, *codes;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/expected/restore-%s.json", KT_COMPAT_DIR, name);
	j = json_object_from_file(path);
	if (j && json_object_object_get_ex(j, "exit_codes", &codes) &&
	    json_object_array_length(codes) == 1)
		rc = json_object_get_int(json_object_array_get_idx(codes, 0));
	json_object_put(j);
	return rc;
}

static void savefile_case(const char *name, size_t want_errors, const char *want_key)
{
	struct lio_restore_report rep = { 0 };
	char file[512], out[512], *cfs = NULL;
	int r, want = expected_exit(name), status;

	fprintf(stderr, "== savefile %s\n", name);
	CHECK_OK(ctx, lio_clear(ctx));
	KT_RUN(NULL, "rm", "-rf", LAB);
	CHECK(mkdir(LAB, 0755) == 0);
	CHECK(chdir(LAB) == 0);
	for (unsigned i = 0; i < 6; i++)
		CHECK_MSG(loop_fresh(i) == 0, "loop%u", i);
	snprintf(file, sizeof(file), "%s/savefiles/%s.json", KT_COMPAT_DIR, name);
	r = lio_config_restore_file(ctx, file, NULL, &rep);
	print_report(name, &rep);
	fprintf(stderr, "   returned %d: %s\n", r, lio_errmsg(ctx));
	/* targetcli-fb exits 1 exactly when it reports recoverable errors. */
	CHECK_MSG(want >= 0, "no exit status for %s", name);
	CHECK_MSG((r != 0) == (want != 0), "%s: returned %d, targetcli-fb exited %d", name, r,
		  want);
	CHECK_MSG(r == 0 || r == -EIO, "%s: returned %d", name, r);
	CHECK_MSG(rep.nerrors == want_errors, "%s: %zu errors, want %zu", name, rep.nerrors,
		  want_errors);
	for (size_t i = 0; i < rep.nerrors && want_key; i++)
		CHECK_MSG(strstr(rep.errors[i], want_key), "%s: error '%s' is not about %s", name,
			  rep.errors[i], want_key);
	status = kt_run(&cfs, NULL,
			(const char *const[]){ "python3", KT_COMPAT_DIR "/cfsdump.py", "--known",
					       file, NULL });
	CHECK_MSG(status == 0, "cfsdump.py exited %d", status);
	if (out_dir && cfs) {
		snprintf(out, sizeof(out), "%s/kt_restore.%s.cfs", out_dir, name);
		write_file(out, cfs);
		snprintf(out, sizeof(out), "%s/kt_restore.%s.rc", out_dir, name);
		write_file(out, r == 0 ? "0\n" : "1\n");
	}
	free(cfs);
	lio_restore_report_clear(&rep);
	CHECK(chdir("/") == 0);
}

/* ---- a configuration with every object type ---- */

static struct lio_so_spec spec_of(enum lio_plugin p, const char *name, const char *dev,
				  uint64_t size)
{
	struct lio_so_spec s = { .plugin = p, .name = name, .dev = dev, .size = size,
				 .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT, .nullio = false };
	return s;
}

static void build_rich(void)
{
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	const struct lio_fabric *loop = lio_fabric_find("loopback");
	struct lio_so_spec s;
	struct lio_so *f1 = NULL, *b1 = NULL, *r1 = NULL;
	struct lio_alua_tpg *ag = NULL;
	struct lio_target *t = NULL, *lt = NULL;
	struct lio_tpg *tpg = NULL, *tpg2 = NULL, *ltpg = NULL;
	struct lio_lun *l0 = NULL, *l1 = NULL, *l2 = NULL, *l3 = NULL, *ll = NULL;
	struct lio_acl *acl = NULL;
	struct lio_mapped_lun *m0 = NULL, *m5 = NULL;
	struct lio_portal *p = NULL;

	CHECK_OK(ctx, lio_clear(ctx));
	CHECK(loop_fresh(0) == 0);
	s = spec_of(LIO_PLUGIN_FILEIO, "f1", WORK "/f1.img", 16 * MiB);
	CHECK_OK(ctx, lio_so_create(ctx, &s, &f1));
	CHECK_OK(ctx, lio_attr_set(lio_obj(f1), "attrib", "emulate_3pc", "0"));
	CHECK_OK(ctx, lio_alua_tpg_create(f1, "ao", 7, &ag));
	CHECK_OK(ctx, lio_alua_tpg_set_int(ag, "nonop_delay_msecs", 50));
	CHECK_OK(ctx, lio_alua_tpg_set_int(ag, "preferred", 1));
	s = spec_of(LIO_PLUGIN_BLOCK, "b1", "/dev/loop0", 0);
	CHECK_OK(ctx, lio_so_create(ctx, &s, &b1));
	s = spec_of(LIO_PLUGIN_RAMDISK, "r1", NULL, 8 * MiB);
	s.nullio = true;
	CHECK_OK(ctx, lio_so_create(ctx, &s, &r1));

	CHECK_OK(ctx, lio_target_create(ctx, iscsi, RICH_IQN, &t));
	CHECK_OK(ctx, lio_tpg_create(t, 1, &tpg));
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "attrib", "default_cmdsn_depth", "32"));
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "param", "MaxConnections", "2"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(tpg), LIO_AUTH_USERID, "tuser"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(tpg), LIO_AUTH_PASSWORD, "tpass"));
	CHECK_OK(ctx, lio_lun_create(tpg, f1, 0, "aliasf1", &l0));
	CHECK_OK(ctx, lio_lun_set_alua_group(l0, "ao"));
	CHECK_OK(ctx, lio_lun_create(tpg, b1, 1, NULL, &l1));
	CHECK_OK(ctx, lio_lun_create(tpg, r1, 2, NULL, &l2));
	CHECK_OK(ctx, lio_portal_create(tpg, "127.0.0.1", 3260, &p));
	CHECK_OK(ctx, lio_acl_create(tpg, "iqn.1994-05.com.example:init1", &acl));
	CHECK_OK(ctx, lio_acl_set_tag(acl, "grp1"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_USERID, "iuser"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_PASSWORD, "ipass"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_MUTUAL_USERID, "muser"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_MUTUAL_PASSWORD, "mpass"));
	CHECK_OK(ctx, lio_attr_set(lio_obj(acl), "attrib", "nopin_timeout", "20"));
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 0, 0, false, NULL, &m0));
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 5, 2, true, "m5alias", &m5));
	CHECK_OK(ctx, lio_tpg_set_enable(tpg, true));
	CHECK_OK(ctx, lio_tpg_create(t, 2, &tpg2));
	CHECK_OK(ctx, lio_lun_create(tpg2, r1, 0, NULL, &l3));
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_USERID, "duser"));
	CHECK_OK(ctx, lio_discovery_auth_set(ctx, iscsi, LIO_AUTH_PASSWORD, "dpass"));
	CHECK_OK(ctx, lio_discovery_auth_set_enforce(ctx, iscsi, true));

	CHECK_OK(ctx, lio_target_create(ctx, loop, LOOP_WWN, &lt));
	CHECK_OK(ctx, lio_tpg_create(lt, 1, &ltpg));
	/* lio_tpg_create() gave it a nexus. */
	CHECK_OK(ctx, lio_lun_create(ltpg, b1, 0, NULL, &ll));

	lio_lun_unref(ll);
	lio_tpg_unref(ltpg);
	lio_target_unref(lt);
	lio_portal_unref(p);
	lio_mapped_lun_unref(m5);
	lio_mapped_lun_unref(m0);
	lio_acl_unref(acl);
	lio_lun_unref(l3);
	lio_lun_unref(l2);
	lio_lun_unref(l1);
	lio_lun_unref(l0);
	lio_tpg_unref(tpg2);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_alua_tpg_unref(ag);
	lio_so_unref(r1);
	lio_so_unref(b1);
	lio_so_unref(f1);
}

static void test_round_trip(void)
{
	struct lio_restore_report rep = { 0 };
	struct lio_restore_opts o = { .clear_existing = true };
	struct json_object *cfg = NULL;
	char *before, *after;
	int r;

	fprintf(stderr, "== round trip\n");
	build_rich();
	before = dump_text();
	CHECK(strstr(before, "\"ao\"") && strstr(before, "m5alias") && strstr(before, "grp1"));
	CHECK_OK(ctx, lio_config_dump(ctx, &cfg));
	CHECK_OK(ctx, lio_clear(ctx));
	CHECK(kt_config_empty(ctx, NULL));
	r = lio_config_restore(ctx, cfg, &o, &rep);
	print_report("round trip", &rep);
	CHECK_MSG(r == 0, "restore returned %d: %s", r, lio_errmsg(ctx));
	CHECK_INT(rep.nerrors, 0);
	CHECK_INT(rep.nwarnings, 0);
	after = dump_text();
	CHECK_SAME_TEXT(before, after, "dump after clear + restore is the dump before");
	/* The same file again without clear_existing: everything exists. */
	lio_restore_report_clear(&rep);
	o.clear_existing = false;
	r = lio_config_restore(ctx, cfg, &o, &rep);
	CHECK_INT(r, -EIO);
	CHECK(has_line(rep.errors, rep.nerrors,
		       "storage_objects[0]: storageobject 'fileio:f1' exist not restoring, skipped"));
	CHECK(has_line(rep.errors, rep.nerrors,
		       "targets[0]: target with wwn " RICH_IQN " exist, not restoring, skipped"));
	CHECK_MSG(rep.nerrors == 5, "%zu errors (3 objects, 2 targets)", rep.nerrors);
	free(after);
	after = dump_text();
	CHECK_SAME_TEXT(before, after, "refused objects are left alone");
	lio_restore_report_clear(&rep);
	json_object_put(cfg);
	free(before);
	free(after);
}

/* ---- target= and storage_object= ---- */

static void test_filters(void)
{
	struct lio_restore_report rep = { 0 };
	struct lio_restore_opts o = { .clear_existing = true, .target = RICH_IQN };
	struct json_object *cfg = NULL;
	char *before, *after;
	ino_t loop_ino;
	char path[512];
	struct stat st;
	int r;

	fprintf(stderr, "== filters\n");
	build_rich();
	before = dump_text();
	snprintf(path, sizeof(path), "%s/loopback/" LOOP_WWN "/tpgt_1/lun/lun_0",
		 lio_target_root(ctx));
	loop_ino = stat(path, &st) == 0 ? st.st_ino : 0;
	CHECK_OK(ctx, lio_config_dump(ctx, &cfg));
	/* Only that target is cleared and restored; the rest is not touched. */
	r = lio_config_restore(ctx, cfg, &o, &rep);
	print_report("target=", &rep);
	CHECK_MSG(r == 0, "target= returned %d: %s", r, lio_errmsg(ctx));
	after = dump_text();
	CHECK_SAME_TEXT(before, after, "target= restored the target as it was");
	CHECK(stat(path, &st) == 0 && st.st_ino == loop_ino);
	free(after);
	lio_restore_report_clear(&rep);
	/* Without clear_existing it exists. */
	o.clear_existing = false;
	r = lio_config_restore(ctx, cfg, &o, &rep);
	CHECK_INT(r, -EIO);
	CHECK_INT(rep.nerrors, 1);
	CHECK(has_line(rep.errors, rep.nerrors,
		       "targets[0]: target with wwn " RICH_IQN " exist, not restoring, skipped"));
	lio_restore_report_clear(&rep);
	/* storage_object=: that object is re-created; its LUNs went with it. */
	o = (struct lio_restore_opts){ .clear_existing = true, .storage_object = "r1" };
	r = lio_config_restore(ctx, cfg, &o, &rep);
	print_report("storage_object=", &rep);
	CHECK_MSG(r == 0, "storage_object= returned %d: %s", r, lio_errmsg(ctx));
	CHECK(kt_exists(ctx, "iscsi/" RICH_IQN "/tpgt_1/lun/lun_0"));
	CHECK(!kt_exists(ctx, "iscsi/" RICH_IQN "/tpgt_1/lun/lun_2"));
	CHECK(!kt_exists(ctx, "iscsi/" RICH_IQN "/tpgt_2/lun/lun_0"));
	{
		struct lio_so *so = NULL;

		CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_RAMDISK, "r1", &so));
		lio_so_unref(so);
	}
	lio_restore_report_clear(&rep);
	json_object_put(cfg);
	free(before);
}

/* ---- atomic and best effort, with a fault in the middle ---- */

/* A file with good objects around one bad item; @fault is spliced in. */
static char *fault_file(const char *so_extra, const char *tpg_attr, const char *portal)
{
	char *s = NULL;

	if (asprintf(&s,
		     "{\"storage_objects\": ["
		     " {\"name\": \"n1\", \"plugin\": \"fileio\", \"dev\": \"" WORK "/n1.img\","
		     "  \"size\": 4194304, \"write_back\": true},"
		     " %s"
		     " {\"name\": \"n3\", \"plugin\": \"ramdisk\", \"size\": 1048576}],"
		     " \"targets\": [{\"fabric\": \"iscsi\", \"wwn\": \"iqn.2003-01.org.example.kt:new\","
		     "  \"tpgs\": [{\"tag\": 1, \"enable\": true,"
		     "   \"attributes\": {\"authentication\": 0%s},"
		     "   \"luns\": [{\"index\": 0, \"storage_object\": \"/backstores/fileio/n1\"},"
		     "             {\"index\": 1, \"storage_object\": \"/backstores/ramdisk/n3\"}],"
		     "   \"portals\": [%s],"
		     "   \"node_acls\": [{\"node_wwn\": \"iqn.1994-05.com.example:new\","
		     "     \"mapped_luns\": [{\"index\": 0, \"tpg_lun\": 1, \"write_protect\": true}]}]}]}]}",
		     so_extra, tpg_attr, portal) < 0)
		return NULL;
	return s;
}

struct fault {
	const char *what;
	const char *so_extra, *tpg_attr, *portal;
	const char *error; /* the one error of a default restore */
};

static void test_fault(const struct fault *f, bool clear)
{
	struct lio_restore_report rep = { 0 };
	struct lio_restore_opts o = { .atomic = true, .clear_existing = clear };
	char *json = fault_file(f->so_extra, f->tpg_attr, f->portal);
	char *before_dump, *before_tree, *after_dump, *after_tree;
	int r;

	fprintf(stderr, "== fault: %s, %s clear_existing\n", f->what, clear ? "with" : "without");
	build_rich();
	before_dump = dump_text();
	before_tree = kt_tree(lio_target_root(ctx));
	r = restore_text(json, &o, &rep);
	print_report("atomic", &rep);
	CHECK_MSG(r == -ECANCELED, "atomic restore returned %d: %s", r, lio_errmsg(ctx));
	CHECK_MSG(has_line(rep.errors, rep.nerrors, f->error), "no error '%s'", f->error);
	CHECK_MSG(!has_prefix_line(rep.errors, rep.nerrors, "rollback: "), "rollback failed");
	after_dump = dump_text();
	after_tree = kt_tree(lio_target_root(ctx));
	CHECK_SAME_TEXT(before_dump, after_dump, "atomic: dump as before");
	CHECK_SAME_TEXT(before_tree, after_tree, "atomic: configfs tree as before");
	free(after_dump);
	free(after_tree);
	lio_restore_report_clear(&rep);

	/* Best effort: the fault skipped and named, the rest applied. */
	o.atomic = false;
	r = restore_text(json, &o, &rep);
	print_report("default", &rep);
	CHECK_MSG(r == -EIO, "default restore returned %d: %s", r, lio_errmsg(ctx));
	CHECK_STR(lio_errmsg(ctx), "Configuration restored, 1 recoverable errors");
	CHECK_INT(rep.nerrors, 1);
	CHECK_MSG(has_line(rep.errors, rep.nerrors, f->error), "no error '%s'", f->error);
	CHECK(kt_exists(ctx, "iscsi/iqn.2003-01.org.example.kt:new/tpgt_1/lun/lun_1"));
	CHECK(kt_exists(ctx,
			"iscsi/iqn.2003-01.org.example.kt:new/tpgt_1/acls/iqn.1994-05.com.example:new/lun_0"));
	CHECK(kt_exists(ctx, "iscsi/" RICH_IQN) != clear);
	lio_restore_report_clear(&rep);
	free(before_dump);
	free(before_tree);
	free(json);
}

static void test_faults(void)
{
	/* Something listening on 127.0.0.1:3262 that is not LIO. */
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(3262) };
	int sock = socket(AF_INET, SOCK_STREAM, 0);
	const struct fault faults[] = {
		{ "missing device",
		  "{\"name\": \"n2\", \"plugin\": \"block\", \"dev\": \"/dev/kt-no-such-disk\"},", "",
		  "", "storage_objects[1]: Could not create StorageObject n2: device /dev/kt-no-such-disk is missing, skipped" },
		{ "invalid attribute value", "", ", \"default_cmdsn_depth\": 999999", "",
		  NULL },
		{ "portal address in use", "", "",
		  "{\"ip_address\": \"127.0.0.1\", \"port\": 3262}", NULL },
	};
	char err2[512];

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	CHECK(sock >= 0 && bind(sock, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	      listen(sock, 1) == 0);
	for (size_t i = 0; i < 3; i++) {
		struct fault f = faults[i];

		if (!f.error) {
			/* The kernel's message is read back from a first best-effort run. */
			struct lio_restore_report rep = { 0 };
			struct lio_restore_opts o = { .clear_existing = true };
			char *json = fault_file(f.so_extra, f.tpg_attr, f.portal);

			restore_text(json, &o, &rep);
			snprintf(err2, sizeof(err2), "%s", rep.nerrors == 1 ? rep.errors[0] : "?");
			print_report("probe", &rep);
			CHECK_MSG(rep.nerrors == 1 &&
					  strstr(err2, i == 1 ? "targets[0].tpgs[0].attributes.default_cmdsn_depth: "
							      : "targets[0].tpgs[0].portals[0]: "),
				  "probe: %s", err2);
			f.error = err2;
			lio_restore_report_clear(&rep);
			free(json);
		}
		test_fault(&f, false);
		test_fault(&f, true);
	}
	close(sock);
}

/* ---- diff mode ---- */

static ino_t inode_of(const char *rel)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", lio_target_root(ctx), rel);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static struct json_object *tpg1_of(struct json_object *cfg)
{
	struct json_object *ts = json_object_object_get(cfg, "targets");

	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		struct json_object *t = json_object_array_get_idx(ts, i);

		if (!strcmp(json_object_get_string(json_object_object_get(t, "wwn")), RICH_IQN))
			return json_object_array_get_idx(json_object_object_get(t, "tpgs"), 0);
	}
	return NULL;
}

static void test_diff(void)
{
	struct lio_restore_report rep = { 0 };
	struct lio_restore_opts o = { .diff = true, .dry_run = true };
	struct json_object *cfg = NULL, *tpg, *acl, *mls, *luns, *lun, *so;
	const char *lun0 = "iscsi/" RICH_IQN "/tpgt_1/lun/lun_0";
	char *before, *after;
	ino_t ino;
	int r;

	fprintf(stderr, "== diff\n");
	build_rich();
	ino = inode_of(lun0);
	CHECK(ino != 0);
	CHECK_OK(ctx, lio_config_dump(ctx, &cfg));
	tpg = tpg1_of(cfg);
	CHECK(tpg != NULL);
	/* Changes: an attribute, a mapped LUN gone, a LUN added, an SO gone. */
	json_object_object_add(json_object_object_get(tpg, "attributes"), "default_cmdsn_depth",
			       json_object_new_int(48));
	acl = json_object_array_get_idx(json_object_object_get(tpg, "node_acls"), 0);
	mls = json_object_object_get(acl, "mapped_luns");
	json_object_array_del_idx(mls, 1, 1); /* lun_5 */
	luns = json_object_object_get(tpg, "luns");
	lun = json_object_new_object();
	json_object_object_add(lun, "index", json_object_new_int(9));
	json_object_object_add(lun, "storage_object", json_object_new_string("/backstores/ramdisk/r9"));
	json_object_array_add(luns, lun);
	so = json_object_new_object();
	json_object_object_add(so, "name", json_object_new_string("r9"));
	json_object_object_add(so, "plugin", json_object_new_string("ramdisk"));
	json_object_object_add(so, "size", json_object_new_int(1048576));
	json_object_array_add(json_object_object_get(cfg, "storage_objects"), so);

	before = dump_text();
	r = lio_config_restore(ctx, cfg, &o, &rep);
	print_report("dry run", &rep);
	CHECK_MSG(r == 0, "dry run returned %d: %s", r, lio_errmsg(ctx));
	CHECK(has_line(rep.plan, rep.nplan,
		       "set targets[1].tpgs[0].attributes.default_cmdsn_depth: 32 -> 48") ||
	      has_line(rep.plan, rep.nplan,
		       "set targets[0].tpgs[0].attributes.default_cmdsn_depth: 32 -> 48"));
	CHECK(has_line(rep.plan, rep.nplan,
		       "delete mapped LUN iscsi/" RICH_IQN "/tpgt_1/acls/iqn.1994-05.com.example:init1/lun_5"));
	CHECK(has_line(rep.plan, rep.nplan,
		       "create LUN iscsi/" RICH_IQN "/tpgt_1/lun_9 -> /backstores/ramdisk/r9"));
	CHECK(has_line(rep.plan, rep.nplan, "create storage object /backstores/ramdisk/r9"));
	CHECK_INT(rep.nplan, 4);
	after = dump_text();
	CHECK_SAME_TEXT(before, after, "dry run changes nothing");
	free(after);
	lio_restore_report_clear(&rep);

	o.dry_run = false;
	r = lio_config_restore(ctx, cfg, &o, &rep);
	print_report("diff", &rep);
	CHECK_MSG(r == 0, "diff returned %d: %s", r, lio_errmsg(ctx));
	CHECK_INT(rep.nplan, 4);
	CHECK_MSG(inode_of(lun0) == ino, "LUN 0 was re-created");
	CHECK(kt_exists(ctx, "iscsi/" RICH_IQN "/tpgt_1/lun/lun_9"));
	CHECK(!kt_exists(ctx, "iscsi/" RICH_IQN "/tpgt_1/acls/iqn.1994-05.com.example:init1/lun_5"));
	lio_restore_report_clear(&rep);

	/* Idempotent: nothing left to do; the running dump is now the file's. */
	r = lio_config_restore(ctx, cfg, &o, &rep);
	print_report("diff again", &rep);
	CHECK_INT(r, 0);
	CHECK_INT(rep.nplan, 0);
	CHECK_MSG(inode_of(lun0) == ino, "LUN 0 was re-created");
	lio_restore_report_clear(&rep);

	/* A file without the fabric entry: discovery auth not enforced. */
	json_object_object_add(cfg, "fabric_modules", json_object_new_array());
	o.dry_run = true;
	r = lio_config_restore(ctx, cfg, &o, &rep);
	CHECK_INT(r, 0);
	CHECK(has_line(rep.plan, rep.nplan, "set fabric iscsi discovery_enable_auth: true -> false"));
	CHECK_INT(rep.nplan, 1);
	lio_restore_report_clear(&rep);
	free(before);
	json_object_put(cfg);
}

/* ---- wait for late devices ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_wait(void)
{
	struct lio_restore_report rep = { 0 };
	struct lio_restore_opts o = { .clear_existing = true, .wait_secs = 15 };
	char dev[64], json[2048], file[128];
	int ctl = open("/dev/loop-control", O_RDWR), nr, status;
	struct stat st;
	double t0;
	pid_t pid;
	int r;

	fprintf(stderr, "== wait\n");
	CHECK_OK(ctx, lio_clear(ctx));
	nr = ctl >= 0 ? ioctl(ctl, LOOP_CTL_GET_FREE) : -1;
	if (ctl >= 0)
		close(ctl);
	CHECK(nr >= 0);
	snprintf(dev, sizeof(dev), "/dev/loop%d", nr);
	snprintf(file, sizeof(file), "%s/late.img", WORK);
	snprintf(json, sizeof(json),
		 "{\"storage_objects\": [{\"name\": \"late\", \"plugin\": \"block\", \"dev\": \"%s\"},"
		 " {\"name\": \"early\", \"plugin\": \"ramdisk\", \"size\": 1048576}],"
		 " \"targets\": [{\"fabric\": \"iscsi\", \"wwn\": \"iqn.2003-01.org.example.kt:wait\","
		 "  \"tpgs\": [{\"tag\": 1, \"luns\": ["
		 "   {\"index\": 0, \"storage_object\": \"/backstores/block/late\"},"
		 "   {\"index\": 1, \"storage_object\": \"/backstores/ramdisk/early\"}]}]}]}",
		 dev);
	pid = fork();
	if (pid == 0) {
		sleep(3);
		_exit(loop_set(dev, file, 16 * MiB) == 0 ? 0 : 1);
	}
	t0 = now();
	r = restore_text(json, &o, &rep);
	print_report("wait", &rep);
	CHECK_MSG(r == 0, "restore with wait returned %d: %s", r, lio_errmsg(ctx));
	CHECK_MSG(now() - t0 >= 2.5, "restored after %.1f s, before the device came", now() - t0);
	CHECK(kt_exists(ctx, "iscsi/iqn.2003-01.org.example.kt:wait/tpgt_1/lun/lun_0"));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	lio_restore_report_clear(&rep);

	/* Never comes: the rest restored after the wait, the two skipped named. */
	CHECK_OK(ctx, lio_clear(ctx));
	CHECK(kt_loop_detach(dev) == 0);
	o.wait_secs = 1;
	o.mark_incomplete = true;
	write_file(WORK "/wait.json", json);
	t0 = now();
	r = lio_config_restore_file(ctx, WORK "/wait.json", &o, &rep);
	print_report("wait, missing", &rep);
	CHECK_INT(r, -EIO);
	CHECK(now() - t0 >= 0.9);
	CHECK_INT(rep.nerrors, 2);
	CHECK(has_prefix_line(rep.errors, rep.nerrors, "storage_objects[0]: Could not create StorageObject late: device"));
	CHECK(has_line(rep.errors, rep.nerrors,
		       "targets[0].tpgs[0].luns[0].storage_object: Could not find matching StorageObject /backstores/block/late for LUN 0, skipped"));
	CHECK(kt_exists(ctx, "iscsi/iqn.2003-01.org.example.kt:wait/tpgt_1/lun/lun_1"));
	/* The partial restore is marked next to the file, for the save side. */
	CHECK(stat(WORK "/" LIO_RESTORE_MARKER, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(lio_restore_marked(ctx, WORK "/wait.json", NULL), 1);
	lio_restore_report_clear(&rep);
	/* Once all is restored, the marker goes. */
	CHECK(loop_set(dev, file, 16 * MiB) == 0);
	r = lio_config_restore_file(ctx, WORK "/wait.json", &o, &rep);
	CHECK_MSG(r == 0, "restore returned %d: %s", r, lio_errmsg(ctx));
	CHECK_INT(lio_restore_marked(ctx, WORK "/wait.json", NULL), 0);
	lio_restore_report_clear(&rep);
	CHECK_OK(ctx, lio_clear(ctx));
	CHECK(kt_loop_detach(dev) == 0);
}

/* A saved TPG may export one storage object as two LUNs; rtslib restores it. */
static void test_shared_so(void)
{
	struct lio_restore_opts o = { .clear_existing = true };
	struct lio_restore_report rep = { 0 };
	const char *json =
		"{\"fabric_modules\": [], \"storage_objects\": [{\"name\": \"shared\", "
		"\"plugin\": \"ramdisk\", \"size\": 1048576, \"wwn\": "
		"\"7c0d2e1f-0a1b-4c2d-8e3f-405162738495\", \"attributes\": {}, \"alua_tpgs\": []}], "
		"\"targets\": [{\"fabric\": \"iscsi\", \"wwn\": \"iqn.2024-01.org.example.kt:shared\", "
		"\"tpgs\": [{\"tag\": 1, \"enable\": false, \"attributes\": {}, \"parameters\": {}, "
		"\"portals\": [], \"node_acls\": [], \"luns\": ["
		"{\"index\": 0, \"alias\": \"a0\", \"storage_object\": \"/backstores/ramdisk/shared\"}, "
		"{\"index\": 1, \"alias\": \"a1\", \"storage_object\": \"/backstores/ramdisk/shared\"}]}]}]}";
	int r = restore_text(json, &o, &rep);

	CHECK_MSG(r == 0, "restore returned %d: %s", r, lio_errmsg(ctx));
	CHECK_INT(rep.nerrors, 0);
	CHECK(kt_exists(ctx, "iscsi/iqn.2024-01.org.example.kt:shared/tpgt_1/lun/lun_0/a0"));
	CHECK(kt_exists(ctx, "iscsi/iqn.2024-01.org.example.kt:shared/tpgt_1/lun/lun_1/a1"));
	lio_restore_report_clear(&rep);
	CHECK_OK(ctx, lio_clear(ctx));
}

int main(void)
{
	ctx = kt_ctx();
	out_dir = getenv("LIO_VM_OUT");
	KT_RUN(NULL, "rm", "-rf", WORK);
	CHECK(mkdir(WORK, 0755) == 0);

	savefile_case("kubernetes_iscsi_test_image", 0, NULL);
	savefile_case("suse_sap_sbd_qa", 0, NULL);
	savefile_case("target_devel_ramdisk_acl_chap", 0, NULL);
	savefile_case("targetcli_containers_coreos", 1,
		      "storage_objects[0].attributes.emulate_rsoc: Cannot find attribute: emulate_rsoc");
	savefile_case("tcm_scripts_fcoe_alua", 4, ".attributes.optimal_sectors: Cannot set optimal_sectors to '4294967288': Invalid argument");

	test_round_trip();
	test_filters();
	test_faults();
	test_diff();
	test_wait();
	test_shared_so();

	CHECK_OK(ctx, lio_clear(ctx));
	for (unsigned i = 0; i < 6; i++) {
		char dev[32];

		snprintf(dev, sizeof(dev), "/dev/loop%u", i);
		kt_loop_detach(dev);
	}
	lio_unref(ctx);
	return tap_done();
}
