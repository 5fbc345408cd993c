/*
 * A restore from a file (read element by element) and a restore from the
 * same document as a DOM give the same result: the same validation errors
 * and warnings for the same documents, and, on a stand-in configfs, the
 * same messages, plan and tree for a configuration of thousands of
 * objects, restored and then changed in diff mode.
 *
 * The stand-in configfs is a temporary directory; this program defines
 * mkdir() and rmdir(), which the statically linked library calls instead
 * of libc's, to add and remove the files and default groups the kernel
 * shows in the groups a restore makes.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lio.h"
#include "tap.h"

/* Test paths are short. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static char g_tmp[PATH_MAX];

/* ------------------------------------------------------------------ */
/* The stand-in kernel                                                 */

static void put(const char *dir, const char *name, const char *content)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(content, f);
	fclose(f);
}

static void sub(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	syscall(SYS_mkdirat, AT_FDCWD, path, 0755);
}

/* The path after "<tmp>/<root>/target/", or NULL. */
static const char *in_target(const char *path)
{
	size_t len = strlen(g_tmp);
	const char *t;

	if (!g_tmp[0] || strncmp(path, g_tmp, len) || path[len] != '/')
		return NULL;
	t = strstr(path + len, "/target/");
	return t ? t + 8 : NULL;
}

static int parts(const char *r, const char *v[8])
{
	static char buf[PATH_MAX];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", r);
	for (char *s = strtok(buf, "/"); s && n < 8; s = strtok(NULL, "/"))
		v[n++] = s;
	return n;
}

static void populate(const char *path, const char *r)
{
	const char *v[8];
	int n = parts(r, v);
	char d[PATH_MAX + 64];

	if (n == 3 && !strcmp(v[0], "core")) {
		put(path, "info", "Status: DEACTIVATED  Max Queue Depth: 0  SectorSize: 512\n");
		put(path, "control", "");
		put(path, "udev_path", "");
		put(path, "enable", "0\n");
		put(path, "alias", "");
		sub(path, "attrib");
		snprintf(d, sizeof(d), "%s/attrib", path);
		put(d, "block_size", "512\n");
		put(d, "queue_depth", "128\n");
		sub(path, "wwn");
		snprintf(d, sizeof(d), "%s/wwn", path);
		put(d, "vpd_unit_serial", "T10 VPD Unit Serial Number: \n");
		sub(path, "alua");
		sub(path, "alua/default_tg_pt_gp");
		snprintf(d, sizeof(d), "%s/alua/default_tg_pt_gp", path);
		put(d, "tg_pt_gp_id", "0\n");
		put(d, "alua_access_state", "0\n");
	} else if (n == 3 && !strcmp(v[0], "iscsi") && !strncmp(v[2], "tpgt_", 5)) {
		static const char *const dirs[] = { "attrib", "param", "auth", "lun", "acls", "np" };

		put(path, "enable", "0\n");
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
			sub(path, dirs[i]);
		snprintf(d, sizeof(d), "%s/attrib", path);
		put(d, "authentication", "0\n");
	} else if (n == 5 && !strcmp(v[3], "lun")) {
		put(path, "alua_tg_pt_gp", "");
	} else if (n == 5 && !strcmp(v[3], "acls")) {
		sub(path, "attrib");
		sub(path, "auth");
		put(path, "tag", "");
	} else if (n == 6 && !strcmp(v[3], "acls")) {
		put(path, "write_protect", "0\n");
	}
}

int mkdir(const char *path, mode_t mode)
{
	const char *r = in_target(path);
	int ret = (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);

	if (ret == 0 && r)
		populate(path, r);
	return ret;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? (int)syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR)
			      : unlink(path);
}

/* configfs drops a group's files and default groups with it. */
int rmdir(const char *path)
{
	if (in_target(path))
		return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return (int)syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* The lines of @v as one text, "<tmp>/a/" and "<tmp>/b/" (the two roots) as "ROOT/". */
static char *text_of(char **v, size_t n)
{
	size_t len = 1, tl = strlen(g_tmp);
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	p = s = malloc(len);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		for (const char *c = v[i]; *c;) {
			if (tl && !strncmp(c, g_tmp, tl) && (c[tl + 1] == 'a' || c[tl + 1] == 'b') &&
			    c[tl + 2] == '/') {
				p += sprintf(p, "ROOT/");
				c += tl + 3;
			} else {
				*p++ = *c++;
			}
		}
		*p++ = '\n';
	}
	*p = '\0';
	return s;
}

/* Two reports are the same, line for line. */
static void same_report(const char *what, const struct lio_restore_report *a,
			const struct lio_restore_report *b)
{
	char *ea = text_of(a->errors, a->nerrors), *eb = text_of(b->errors, b->nerrors);
	char *wa = text_of(a->warnings, a->nwarnings), *wb = text_of(b->warnings, b->nwarnings);
	char *pa = text_of(a->plan, a->nplan), *pb = text_of(b->plan, b->nplan);

	CHECK_MSG(ea && eb && !strcmp(ea, eb), "%s: errors differ:\n--- DOM\n%s--- file\n%s", what,
		  ea, eb);
	CHECK_MSG(wa && wb && !strcmp(wa, wb), "%s: warnings differ:\n--- DOM\n%s--- file\n%s",
		  what, wa, wb);
	CHECK_MSG(pa && pb && !strcmp(pa, pb), "%s: plans differ (%zu, %zu lines)", what, a->nplan,
		  b->nplan);
	free(ea);
	free(eb);
	free(wa);
	free(wb);
	free(pa);
	free(pb);
}

static void write_json(const char *path, struct json_object *cfg)
{
	CHECK(json_object_to_file_ext(path, cfg, JSON_C_TO_STRING_PRETTY) == 0);
}

/* Restore @cfg as a DOM with @a and from a file with @b; the same? */
static void restore_both(const char *what, struct lio_ctx *a, struct lio_ctx *b,
			 struct json_object *cfg, const struct lio_restore_opts *o)
{
	struct lio_restore_report ra = { 0 }, rb = { 0 };
	char path[PATH_MAX + 16], ma[1024];
	int r1, r2;

	snprintf(path, sizeof(path), "%s/cfg.json", g_tmp);
	write_json(path, cfg);
	r1 = lio_config_restore(a, cfg, o, &ra);
	snprintf(ma, sizeof(ma), "%s", lio_errmsg(a));
	r2 = lio_config_restore_file(b, path, o, &rb);
	CHECK_MSG(r1 == r2, "%s: DOM %d, file %d", what, r1, r2);
	if (r1 < 0)
		CHECK_MSG(!strcmp(ma, lio_errmsg(b)), "%s: DOM '%s', file '%s'", what, ma,
			  lio_errmsg(b));
	same_report(what, &ra, &rb);
	lio_restore_report_clear(&ra);
	lio_restore_report_clear(&rb);
}

/* ------------------------------------------------------------------ */
/* Validation: the same messages from both backings                    */

static void test_validation(void)
{
	static const char *const docs[] = {
		"{\"storage_objects\": [{\"name\": \"x\", \"plugin\": \"fileio\", \"dev\": 5}]}",
		"[1, 2]",
		"\"x\"",
		"{\"storage_objects\": 5, \"targets\": null, \"fabric_modules\": [{\"name\": \"iscsi\"}, {\"name\": \"iscsi\"}]}",
		"{\"storage_objects\": [1, null, {\"name\": \"a\", \"plugin\": \"ramdisk\", \"size\": 1,"
		" \"alua_tpgs\": [{\"name\": \"g\", \"tg_pt_gp_id\": 2}]}, {\"name\": \"a\", \"plugin\": \"ramdisk\"}],"
		" \"targets\": [5, {\"wwn\": \"iqn.2003-01.org.x:t\", \"fabric\": \"iscsi\", \"tpgs\": [{\"tag\": 1,"
		" \"luns\": [{\"index\": 0, \"storage_object\": \"/backstores/ramdisk/a\", \"alua_tg_pt_gp_name\": \"g\"},"
		" {\"index\": 0, \"storage_object\": \"/backstores/ramdisk/a\", \"alua_tg_pt_gp_name\": \"h\"},"
		" {\"index\": 2, \"storage_object\": \"/backstores/ramdisk/zz\"}, 7, {\"index\": \"3\"}],"
		" \"portals\": [{\"ip_address\": \"0.0.0.0\", \"port\": 3260}, {\"ip_address\": \"::\", \"port\": 3260},"
		" {\"ip_address\": \"0.0.0.0\", \"port\": 3260}, {\"ip_address\": \"bad\", \"port\": 1}, 4],"
		" \"node_acls\": [{\"node_wwn\": \"iqn.2003-01.org.x:i\", \"tag\": \"a.b\", \"mapped_luns\":"
		" [{\"index\": 0, \"tpg_lun\": 0}, {\"index\": 0, \"tpg_lun\": 9}, \"m\"]},"
		" {\"node_wwn\": \"IQN.2003-01.org.x:i\", \"mapped_luns\": {}}, 8, {\"node_wwn\": \"junk\"}]},"
		" {\"tag\": 1, \"luns\": 5, \"bogus\": 1}, {\"tag\": 1}, 6]},"
		" {\"wwn\": \"iqn.2003-01.org.x:t\", \"fabric\": \"iscsi\", \"tpgs\": {}},"
		" {\"wwn\": \"x\", \"fabric\": \"nope\"}, {\"wwn\": \"naa.5001405000000001\", \"fabric\": \"loopback\","
		" \"tpgs\": [{\"tag\": 1}, {\"tag\": 2, \"portals\": [{\"ip_address\": \"1.2.3.4\", \"port\": 1}]}]}]}",
	};
	struct lio_restore_opts opts[] = {
		{ .dry_run = true },
		{ .clear_existing = true },
		{ .dry_run = true, .storage_object = "a" },
		{ .dry_run = true, .target = "iqn.2003-01.org.x:t" },
	};
	struct lio_ctx *a, *b;

	if (lio_new(&a, "/nonexistent-configfs") < 0 || lio_new(&b, "/nonexistent-configfs") < 0) {
		CHECK(!"context");
		return;
	}
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct json_object *cfg = json_tokener_parse(docs[i]);
		char what[64];

		CHECK_MSG(cfg || !strcmp(docs[i], "null"), "test JSON does not parse: %s", docs[i]);
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			snprintf(what, sizeof(what), "document %zu, options %zu", i, k);
			restore_both(what, a, b, cfg, &opts[k]);
		}
		json_object_put(cfg);
	}
	lio_unref(a);
	lio_unref(b);
}

/* ------------------------------------------------------------------ */
/* Thousands of objects on the stand-in configfs                       */

#define NSO 500
#define NACL 3

static const char *const initiators[NACL] = {
	"iqn.2024-01.org.example:i0", "iqn.2024-01.org.example:i1", "iqn.2024-01.org.example:i2",
};

static struct json_object *make_config(void)
{
	struct json_object *cfg = json_object_new_object(), *sos = json_object_new_array();
	struct json_object *targets = json_object_new_array(), *t = json_object_new_object();
	struct json_object *tpgs = json_object_new_array(), *tpg = json_object_new_object();
	struct json_object *luns = json_object_new_array(), *acls = json_object_new_array();
	struct json_object *portals = json_object_new_array(), *pt = json_object_new_object();
	char buf[64];

	for (int i = 0; i < NSO; i++) {
		struct json_object *so = json_object_new_object(), *attrs = json_object_new_object();
		struct json_object *lun = json_object_new_object();

		snprintf(buf, sizeof(buf), "rd%d", i);
		json_object_object_add(so, "name", json_object_new_string(buf));
		json_object_object_add(so, "plugin", json_object_new_string("ramdisk"));
		json_object_object_add(so, "size", json_object_new_int64(1048576));
		/* Without one each restore would make up its own serial. */
		snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012d", i);
		json_object_object_add(so, "wwn", json_object_new_string(buf));
		json_object_object_add(attrs, "queue_depth", json_object_new_int(64 + i % 3));
		json_object_object_add(so, "attributes", attrs);
		json_object_array_add(sos, so);
		snprintf(buf, sizeof(buf), "/backstores/ramdisk/rd%d", i);
		json_object_object_add(lun, "index", json_object_new_int(i));
		json_object_object_add(lun, "storage_object", json_object_new_string(buf));
		json_object_array_add(luns, lun);
	}
	for (int a = 0; a < NACL; a++) {
		struct json_object *acl = json_object_new_object(), *mls = json_object_new_array();

		json_object_object_add(acl, "node_wwn", json_object_new_string(initiators[a]));
		for (int i = 0; i < NSO; i++) {
			struct json_object *ml = json_object_new_object();

			json_object_object_add(ml, "index", json_object_new_int(i));
			json_object_object_add(ml, "tpg_lun", json_object_new_int(i));
			json_object_object_add(ml, "write_protect", json_object_new_boolean(i % 7 == 0));
			json_object_array_add(mls, ml);
		}
		json_object_object_add(acl, "mapped_luns", mls);
		json_object_array_add(acls, acl);
	}
	json_object_object_add(pt, "ip_address", json_object_new_string("0.0.0.0"));
	json_object_object_add(pt, "port", json_object_new_int(3260));
	json_object_array_add(portals, pt);
	json_object_object_add(tpg, "tag", json_object_new_int(1));
	json_object_object_add(tpg, "enable", json_object_new_boolean(true));
	json_object_object_add(tpg, "luns", luns);
	json_object_object_add(tpg, "portals", portals);
	json_object_object_add(tpg, "node_acls", acls);
	json_object_array_add(tpgs, tpg);
	json_object_object_add(t, "wwn", json_object_new_string("iqn.2024-01.org.example:target"));
	json_object_object_add(t, "fabric", json_object_new_string("iscsi"));
	json_object_object_add(t, "tpgs", tpgs);
	json_object_array_add(targets, t);
	json_object_object_add(cfg, "storage_objects", sos);
	json_object_object_add(cfg, "targets", targets);
	return cfg;
}

/* The tree under @root: one line per entry, with file contents and link
 * targets, the root's own path taken out. */
static FILE *g_tree;
static size_t g_root_len;

static int tree_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char link[PATH_MAX];
	ssize_t n;

	(void)ftw;
	if (flag == FTW_SL) {
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		/* LUN and mapped LUN links have random names, as rtslib gives them. */
		fprintf(g_tree, "l %.*s%s -> %s\n",
			(int)(strrchr(path, '/') - path - (int)g_root_len), path + g_root_len,
			"/<link>",
			strncmp(link, path, g_root_len) ? link : link + g_root_len);
	} else if (flag == FTW_F) {
		FILE *f = fopen(path, "r");
		char buf[256] = "";
		size_t got = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		buf[got] = '\0';
		if (f)
			fclose(f);
		fprintf(g_tree, "f %s %lld %s\n", path + g_root_len, (long long)st->st_size, buf);
	} else {
		fprintf(g_tree, "d %s\n", path + g_root_len);
	}
	return 0;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted listing of @root; *count: the entries matching @pattern. */
static char *tree_of(const char *root, const char *pattern, size_t *count)
{
	char *text = NULL, **lines = NULL, *out, *p;
	size_t len = 0, n = 0, total = 1;

	g_tree = open_memstream(&text, &len);
	g_root_len = strlen(root);
	nftw(root, tree_entry, 16, FTW_PHYS);
	fclose(g_tree);
	*count = 0;
	for (char *s = strtok(text, "\n"); s; s = strtok(NULL, "\n")) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = s;
		total += strlen(s) + 1;
		*count += strstr(s, pattern) != NULL;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	out = p = malloc(total);
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\n", lines[i]);
	free(lines);
	free(text);
	return out;
}

static void same_tree(const char *what, const char *ra, const char *rb, size_t want_mapped)
{
	size_t na, nb;
	char *ta = tree_of(ra, "/acls/iqn", &na), *tb = tree_of(rb, "/acls/iqn", &nb);

	CHECK_MSG(!strcmp(ta, tb), "%s: the trees differ", what);
	if (strcmp(ta, tb)) {
		size_t i = 0;

		while (ta[i] == tb[i])
			i++;
		while (i && ta[i - 1] != '\n')
			i--;
		fprintf(stderr, "--- DOM\n%.300s\n--- file\n%.300s\n", ta + i, tb + i);
	}
	/* Each mapped LUN is a directory, its write_protect and its link. */
	CHECK_MSG(na == want_mapped, "%s: %zu entries under ACLs, want %zu", what, na, want_mapped);
	free(ta);
	free(tb);
}

static struct lio_ctx *fake_root(const char *name, char *root)
{
	char dir[PATH_MAX + 64];
	struct lio_ctx *ctx = NULL;

	snprintf(root, PATH_MAX, "%s/%s", g_tmp, name);
	syscall(SYS_mkdirat, AT_FDCWD, root, 0755);
	snprintf(dir, sizeof(dir), "%s/target", root);
	syscall(SYS_mkdirat, AT_FDCWD, dir, 0755);
	snprintf(dir, sizeof(dir), "%s/target/core", root);
	syscall(SYS_mkdirat, AT_FDCWD, dir, 0755);
	snprintf(dir, sizeof(dir), "%s/target/iscsi", root);
	syscall(SYS_mkdirat, AT_FDCWD, dir, 0755);
	snprintf(dir, sizeof(dir), "%s/lock", root);
	if (lio_new(&ctx, root) < 0 || lio_set_lock_path(ctx, dir) < 0)
		CHECK(!"context");
	return ctx;
}

static void test_fake_configfs(void)
{
	struct lio_restore_opts keep = { 0 }, diff = { .diff = true };
	struct json_object *cfg = make_config(), *tpg, *a;
	char ra[PATH_MAX], rb[PATH_MAX];
	struct lio_ctx *ca = fake_root("a", ra), *cb = fake_root("b", rb);
	/* ACL directory, its attrib, auth and tag; then per mapped LUN its
	 * directory, write_protect and link. */
	size_t per_acl = 4, per_ml = 3;

	restore_both("restore", ca, cb, cfg, &keep);
	same_tree("restore", ra, rb, NACL * (per_acl + NSO * per_ml));

	/* Diff mode: a storage object, LUNs and mapped LUNs gone, an ACL gone. */
	json_object_array_del_idx(json_object_object_get(cfg, "storage_objects"), NSO - 1, 1);
	tpg = json_object_array_get_idx(json_object_object_get(cfg, "targets"), 0);
	tpg = json_object_array_get_idx(json_object_object_get(tpg, "tpgs"), 0);
	json_object_array_del_idx(json_object_object_get(tpg, "luns"), NSO - 10, 10);
	a = json_object_object_get(tpg, "node_acls");
	json_object_array_del_idx(a, NACL - 1, 1);
	for (size_t i = 0; i < json_object_array_length(a); i++)
		json_object_array_del_idx(json_object_object_get(json_object_array_get_idx(a, i),
								 "mapped_luns"), NSO - 10, 10);
	restore_both("diff", ca, cb, cfg, &diff);
	same_tree("diff", ra, rb, (NACL - 1) * (per_acl + (NSO - 10) * per_ml));

	json_object_put(cfg);
	lio_unref(ca);
	lio_unref(cb);
}

int main(void)
{
	char tmpl[] = "/tmp/lio-stream-XXXXXX";

	test_validation();
	if (!mkdtemp(tmpl) || !realpath(tmpl, g_tmp))
		return 2;
	test_fake_configfs();
	nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	g_tmp[0] = '\0';
	return tap_done();
}
