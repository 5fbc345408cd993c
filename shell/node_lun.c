// SPDX-License-Identifier: GPL-2.0-or-later
/* A TPG's LUNs (targetcli ui_target.py UILUNs, UILUN). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "complete_params.h"
#include "memo.h"
#include "nodes.h"
#include "prefs.h"

static bool has(struct node *node, unsigned feature)
{
	return node->fabric && (node->fabric->features & feature);
}

/* ---- luns ------------------------------------------------------------------ */

static int lun_node(struct node *parent, struct lio_lun *lun, struct node **out)
{
	char name[32];

	snprintf(name, sizeof(name), "lun%u", lio_lun_index(lun));
	*out = node_for(&lun_type, parent, name, lio_obj(lun));
	return *out ? 0 : -ENOMEM;
}

/* For completion: "lunN" for each LUN, leaves all. */
static int luns_leaf_names(struct sh *sh, struct node *node, const char *prefix,
			   struct strv *names)
{
	unsigned *idx;
	size_t n;
	int r;

	if (lio_lun_indexes(node_tpg(node), &idx, &n) < 0)
		return sh_fail_lio(sh);
	r = strv_add_numbered(names, "lun", idx, n, prefix);
	free(idx);
	return r;
}

static int luns_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_lun **list;
	size_t count;
	int r = 0;

	if (lio_lun_list(node_tpg(node), &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		r = lun_node(node, lio_lun_ref(list[i]), &child);
		if (r == 0)
			r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int luns_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_lun *lun;
	char canon[32];
	long idx;

	(void)sh;
	if (strncmp(name, "lun", 3) != 0 || (idx = parse_tagged(name, "lun")) < 0)
		return -ENOENT;
	snprintf(canon, sizeof(canon), "lun%ld", idx);
	if (strcmp(canon, name) != 0 || lio_lun_lookup(node_tpg(node), (unsigned)idx, &lun) < 0)
		return -ENOENT;
	return lun_node(node, lun, out);
}

static int count_summary(struct sh *sh, struct node *node, const char *label, char **text,
			 enum health *h)
{
	size_t n;

	*h = H_NONE;
	if (node_child_count(sh, node, &n) < 0)
		return -1;
	return asprintf(text, "%s: %zu", label, n) < 0 ? -1 : 0;
}

static int luns_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	return count_summary(sh, node, "LUNs", text, h);
}

int so_from_ui_path(struct sh *sh, struct node *from, const char *path, struct lio_so **so)
{
	struct node *target;
	int r;

	*so = NULL;
	if (path_resolve(sh, from, path, &target) < 0)
		return -ENOENT;
	r = target->type == &so_type ? 0 : -EINVAL;
	if (r == 0)
		*so = lio_so_ref(lio_obj_so(target->obj));
	node_unref(target);
	return r;
}

/*
 * rtslib's StorageObjectFactory: a block device becomes a block object, a
 * regular file a fileio one (its own size, write-thru), named after the
 * file's base name.
 */
static int so_from_file(struct sh *sh, const char *path, struct lio_so **so)
{
	struct lio_so_spec spec = { 0 };
	struct stat st;
	char *copy;
	int r;

	if (stat(path, &st) < 0 || !(S_ISBLK(st.st_mode) || S_ISREG(st.st_mode)))
		return -EINVAL;
	if (!(copy = strdup(path)))
		return -ENOMEM;
	spec.plugin = S_ISBLK(st.st_mode) ? LIO_PLUGIN_BLOCK : LIO_PLUGIN_FILEIO;
	spec.name = basename(copy);
	spec.dev = path;
	spec.size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	spec.write_back = LIO_NO;
	spec.sparse = LIO_DEFAULT;
	spec.readonly = LIO_DEFAULT;
	spec.aio = LIO_DEFAULT;
	r = lio_so_create(sh->lio, &spec, so);
	if (r == 0)
		pr_info(&sh->pr, "Created storage object %s.", spec.name);
	free(copy);
	return r;
}

/* A storage object from a UI path, or one made from a file or device path. */
static int find_or_make_so(struct sh *sh, struct node *from, const char *arg, struct lio_so **so)
{
	if (so_from_ui_path(sh, from, arg, so) == 0)
		return 0;
	/* not a storage object's path: forget why, try it as a file */
	free(sh->err);
	sh->err = NULL;
	return so_from_file(sh, arg, so);
}

int lun_create_for_so(struct sh *sh, struct lio_tpg *tpg, struct lio_so *so, long index,
		      struct lio_lun **out)
{
	if (lio_lun_create(tpg, so, index, NULL, out) < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Created LUN %u.", lio_lun_index(*out));
	return 0;
}

/* @wanted (0 when < 0) if the ACL does not use it, else its first free number. */
static int pick_mapped_number(struct lio_acl *acl, long wanted, unsigned *idx)
{
	unsigned *used;
	size_t nused;
	bool taken = false;
	int r = lio_mapped_lun_indexes(acl, &used, &nused);

	if (r < 0)
		return r;
	*idx = wanted < 0 ? 0 : (unsigned)wanted;
	for (size_t k = 0; k < nused && !taken; k++)
		taken = used[k] == *idx;
	if (taken)
		*idx = (unsigned)lio_first_free_index(used, nused, UINT_MAX - 1);
	free(used);
	return 0;
}

/* Map the new LUN in every ACL, as UILUNs.create with add_mapped_luns. */
static int map_in_acls(struct sh *sh, struct lio_tpg *tpg, struct lio_lun *lun, long wanted)
{
	struct lio_acl **acls;
	size_t nacls;
	int r = 0;

	if (lio_acl_list(tpg, &acls, &nacls) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < nacls && r == 0; i++) {
		struct lio_mapped_lun *m;
		unsigned idx;
		int tries = 0, c;

		/*
		 * Numbers only: no mapped LUN is read, however many the ACL has.
		 * Numbers remembered by the library can be out of date when
		 * another tool changed the ACL: a number found taken is chosen
		 * once more, from a listing.
		 */
		do {
			c = pick_mapped_number(acls[i], wanted, &idx);
			if (c == 0)
				c = lio_mapped_lun_create(acls[i], idx, lio_lun_index(lun), false,
							  NULL, &m);
		} while (c == -EEXIST && ++tries < 2);
		if (c < 0) {
			r = sh_fail_lio(sh);
			break;
		}
		pr_info(&sh->pr, "Created LUN %u->%u mapping in node ACL %s", lio_lun_index(lun),
			idx, lio_acl_wwn(acls[i]));
		lio_mapped_lun_unref(m);
	}
	lio_list_free(acls, nacls);
	return r;
}

/* create storage_object [lun] [add_mapped_luns] */
static int cmd_lun_create(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so *so;
	struct lio_lun *lun;
	struct node *child;
	bool add_mapped;
	long idx = -1;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (arg_bool(sh, a, 2, pref_bool(sh->prefs, "auto_add_mapped_luns"), &add_mapped) < 0)
		return -1;
	if (arg_str(a, 1) && (idx = parse_tagged(a->v[1], "lun")) < 0)
		return sh_fail(sh, "Invalid LUN index: %s", a->v[1]);
	if (find_or_make_so(sh, node, a->v[0], &so) < 0) {
		if (!sh->err)
			sh_fail(sh, "storage object or path not valid");
		return -1;
	}
	r = lun_create_for_so(sh, node_tpg(node), so, idx, &lun);
	lio_so_unref(so);
	if (r < 0)
		return -1;
	if (add_mapped && has(node, LIO_FEAT_ACLS))
		r = map_in_acls(sh, node_tpg(node), lun, idx);
	if (r == 0 && lun_node(node, lio_lun_ref(lun), &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	lio_lun_unref(lun);
	return r;
}

/* delete lun */
static int cmd_lun_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_lun *lun;
	long idx;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	idx = parse_tagged(a->v[0], "lun");
	if (idx < 0 || lio_lun_lookup(node_tpg(node), (unsigned)idx, &lun) < 0)
		return sh_fail(sh, "Invalid LUN");
	r = lio_lun_delete(lun);
	lio_lun_unref(lun);
	if (r < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Deleted LUN %ld.", idx);
	return 0;
}

/* Storage object UI paths, then files and devices. */
static void complete_so_path(struct sh *sh, struct node *node, const struct args *args,
			     const char *text, struct strv *out)
{
	struct lio_so **list;
	size_t n;

	if (lio_so_list(sh->lio, -1, &list, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			const char *plugin = lio_plugin_name(lio_so_plugin(list[i]));
			struct lio_so_info info = { 0 };
			char *p = NULL, *user = NULL;

			/* a user object lives under user:<handler>, its config's first part */
			if (lio_so_plugin(list[i]) == LIO_PLUGIN_USER) {
				if (lio_so_get_info(list[i], &info) < 0 || !info.config ||
				    !strchr(info.config, '/') ||
				    asprintf(&user, "user:%.*s",
					     (int)(strchr(info.config, '/') - info.config),
					     info.config) < 0)
					user = NULL;
				lio_so_info_clear(&info);
				if (!user)
					continue;
				plugin = user;
			}
			if (asprintf(&p, "/backstores/%s/%s", plugin, lio_so_name(list[i])) < 0)
				p = NULL;
			free(user);
			if (!p)
				continue;
			strv_add_prefixed(out, p, text);
			free(p);
		}
		lio_list_free(list, n);
	}
	if (*text)
		complete_file(sh, node, args, text, out);
}

static void complete_lun_index(struct sh *sh, struct node *node, const struct args *args,
			       const char *text, struct strv *out)
{
	struct lio_lun **list;
	size_t n;

	(void)args;
	if (lio_lun_list(node_tpg(node), &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%u", lio_lun_index(list[i]));
		strv_add_prefixed(out, buf, text);
	}
	lio_list_free(list, n);
	(void)sh;
}

static const struct param p_lun_create[] = {
	{ "storage_object", T_STRING, NULL, true, complete_so_path },
	{ "lun", T_STRING, NULL, false, NULL },
	{ "add_mapped_luns", T_BOOL, NULL, false, complete_bool },
	{ NULL },
};
static const struct param p_lun_delete[] = {
	{ "lun", T_STRING, NULL, true, complete_lun_index },
	{ NULL },
};

static const struct cmd luns_cmds[] = {
	{ "create", p_lun_create, NULL, NULL, cmd_lun_create,
	  "Creates a new LUN in the Target Portal Group, attached to a storage\n"
	  "object. If the \"lun\" parameter is omitted, the first available LUN in\n"
	  "the TPG will be used. If present, it must be a number greater than 0.\n"
	  "Alternatively, the syntax \"lunX\" where \"X\" is a positive number is\n"
	  "also accepted.\n\n"
	  "The \"storage_object\" may be the path of an existing storage object,\n"
	  "i.e. \"/backstore/pscsi0/mydisk\" to reference the \"mydisk\" storage\n"
	  "object of the virtual HBA \"pscsi0\". It also may be the path to an\n"
	  "existing block device or image file, in which case a storage object\n"
	  "will be created for it first, with default parameters.\n\n"
	  "\"add_mapped_luns\" can be \"true\" of \"false\". If true, then\n"
	  "after creating the ACL, mapped LUNs will be automatically\n"
	  "created for all existing LUNs. If the parameter is omitted,\n"
	  "the global parameter \"auto_add_mapped_luns\" is used.\n\n"
	  "SEE ALSO\n========\ndelete\n", NULL },
	{ "delete", p_lun_delete, NULL, NULL, cmd_lun_delete,
	  "Deletes the supplied LUN from the Target Portal Group. \"lun\" must\n"
	  "be a positive number matching an existing LUN.\n\n"
	  "Alternatively, the syntax \"lunX\" where \"X\" is a positive number is\n"
	  "also accepted.\n\nSEE ALSO\n========\ncreate\n", NULL },
	{ NULL },
};

const struct node_type luns_type = {
	.kind = "luns",
	.cmds = luns_cmds,
	.list = luns_list,
	.leaf_names = luns_leaf_names,
	.lookup = luns_lookup,
	.summary = luns_summary,
};

/* ---- one LUN ------------------------------------------------------------------ */

/* The memo's key for the device a LUN's storage object shows in ls. */
static char *dev_key(struct lio_lun *lun)
{
	char *key;

	return asprintf(&key, "%s\tdev", lio_obj_path(lio_obj(lun))) < 0 ? NULL : key;
}

/*
 * Remember the object's device too (not for a ramdisk: it has none), so
 * the LUN's own line, drawn after its mapped LUNs' (acls sorts before
 * luns), need not follow the LUN's link a second time.
 */
static void memo_dev(struct sh *sh, struct lio_lun *lun, struct lio_so *so)
{
	struct lio_so_info info = { 0 };
	char *key;

	if (lio_so_plugin(so) == LIO_PLUGIN_RAMDISK || !(key = dev_key(lun)))
		return;
	if (lio_so_get_info(so, &info) == 0)
		memo_put(sh->lun_labels, key, info.dev ? info.dev : "");
	lio_so_info_clear(&info);
	free(key);
}

/* The device remembered by memo_dev(), or NULL. */
static const char *memo_dev_of(struct sh *sh, struct lio_lun *lun)
{
	const char *dev;
	char *key;

	if (!sh->lun_labels || !(key = dev_key(lun)))
		return NULL;
	dev = memo_get(sh->lun_labels, key);
	free(key);
	return dev;
}

int lun_so_label(struct sh *sh, struct lio_lun *lun, char **label, struct lio_so **so)
{
	const char *key = lio_obj_path(lio_obj(lun));
	const char *known = sh->lun_labels ? memo_get(sh->lun_labels, key) : NULL;

	*so = NULL;
	if (known) {
		*label = strdup(known);
		return *label ? 0 : -1;
	}
	if (lio_lun_get_so(lun, so) < 0)
		return -1;
	if (asprintf(label, "%s/%s", lio_plugin_name(lio_so_plugin(*so)), lio_so_name(*so)) < 0) {
		*so = lio_so_unref(*so);
		return -1;
	}
	if (sh->lun_labels) {
		/* only a saving: failure is fine */
		memo_put(sh->lun_labels, key, *label);
		memo_dev(sh, lun, *so);
	}
	return 0;
}

static int lun_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	struct lio_lun *lun = lio_obj_lun(node->obj);
	struct lio_so_info info = { 0 };
	struct lio_so *so;
	char *group = NULL, *label;
	const char *dev;
	int r;

	*h = H_OK;
	if (lun_so_label(sh, lun, &label, &so) < 0) {
		*h = H_BAD;
		*text = strdup("BROKEN STORAGE LINK");
		return 0;
	}
	lio_lun_get_alua_group(lun, &group);
	dev = memo_dev_of(sh, lun);
	/* a ramdisk has no device to show: reading its whole info is waste in ls */
	if (!dev && strncmp(label, "ramdisk/", 8) && (so || lio_lun_get_so(lun, &so) == 0) &&
	    lio_so_get_info(so, &info) < 0)
		memset(&info, 0, sizeof(info));
	if (!dev)
		dev = info.dev;
	if (dev && *dev)
		r = asprintf(text, "%s (%s) (%s)", label, dev, group ? group : "");
	else
		r = asprintf(text, "%s (%s)", label, group ? group : "");
	if (r < 0)
		*text = NULL;
	lio_so_info_clear(&info);
	lio_so_unref(so);
	free(label);
	free(group);
	return 0;
}

static int lun_alua_list(struct sh *sh, struct node *node, struct gparam **params, size_t *n)
{
	struct gparam *g = calloc(1, sizeof(*g));

	(void)node;
	if (!g)
		return sh_fail(sh, "Out of memory");
	g->name = strdup("alua_tg_pt_gp_name");
	g->type = T_STRING;
	g->writable = true;
	g->desc = "The alua_tg_pt_gp_name alua parameter.";
	*params = g;
	*n = 1;
	return 0;
}

static int lun_alua_get(struct sh *sh, struct node *node, const char *name, char **value)
{
	(void)name;
	if (lio_lun_get_alua_group(lio_obj_lun(node->obj), value) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static int lun_alua_set(struct sh *sh, struct node *node, const char *name, const char *value)
{
	(void)name;
	if (sh_assert_root(sh) < 0)
		return -1;
	if (!value)
		return 0;
	if (lio_lun_set_alua_group(lio_obj_lun(node->obj), value) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static const struct group lun_alua_group = {
	"alua", NULL, lun_alua_list, lun_alua_get, lun_alua_set, NULL,
};
static const struct group *const lun_groups[] = { &lun_alua_group, NULL };

static int cmd_lun_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_lun *lun = lio_obj_lun(node->obj);
	char *alias = NULL, *group = NULL;
	struct lio_so *so;

	(void)a;
	lio_lun_get_alias(lun, &alias);
	lio_lun_get_alua_group(lun, &group);
	pr_info(&sh->pr, "alias: %s", alias ? alias : "");
	pr_info(&sh->pr, "alua_tg_pt_gp_name: %s", group ? group : "");
	pr_info(&sh->pr, "index: %u", lio_lun_index(lun));
	if (lio_lun_get_so(lun, &so) == 0) {
		pr_info(&sh->pr, "storage_object: /backstores/%s/%s",
			lio_plugin_name(lio_so_plugin(so)), lio_so_name(so));
		lio_so_unref(so);
	}
	free(alias);
	free(group);
	return 0;
}

static const struct cmd lun_cmds[] = {
	{ "info", NULL, NULL, NULL, cmd_lun_info, "Displays information about the LUN.\n", NULL },
	{ NULL },
};

const struct node_type lun_type = {
	.kind = "lun",
	.cmds = lun_cmds,
	.groups = lun_groups,
	.summary = lun_summary,
};
