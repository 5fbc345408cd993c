// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `/<fabric>` and `/<fabric>/<wwn>` (targetcli ui_target.py UIFabricModule,
 * UIMultiTPGTarget). The node shape follows the fabric's features (1.4):
 * with tpgts the target holds tpgN children, without it the target node is
 * its TPG 1 (UITarget).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete_params.h"
#include "nodes.h"
#include "prefs.h"

int target_node_new(struct sh *sh, struct node *fabric_node, struct lio_target *t,
		    struct node **out)
{
	const struct lio_fabric *f = lio_target_fabric(t);
	struct lio_tpg *tpg = NULL;
	int r;

	*out = NULL;
	if (f->features & LIO_FEAT_TPGTS) {
		*out = node_for(&target_type, fabric_node, lio_target_wwn(t), lio_obj(t));
		return *out ? 0 : -ENOMEM;
	}
	/* merged target: the node is TPG 1 under the target's name */
	if (lio_tpg_lookup(t, 1, &tpg) < 0) {
		lio_target_unref(t);
		return sh_fail_lio(sh);
	}
	r = tpg_node_new(fabric_node, tpg, lio_target_wwn(t), out);
	lio_target_unref(t);
	return r;
}

static int fabric_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_target **list;
	size_t count;
	int r = 0;

	if (lio_target_list(sh->lio, node->fabric, &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		/* a target that cannot be read is left out of the listing */
		if (target_node_new(sh, node, lio_target_ref(list[i]), &child) < 0)
			continue;
		r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int fabric_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_target *t;
	int r = lio_target_lookup(sh->lio, node->fabric, name, &t);

	if (r < 0)
		return -ENOENT;
	/* the node is named as the user typed what was found: use the real name */
	if (strcmp(lio_target_wwn(t), name) != 0) {
		lio_target_unref(t);
		return -ENOENT;
	}
	return target_node_new(sh, node, t, out);
}

static bool disc_set(struct sh *sh, const struct lio_fabric *f, enum lio_auth_key k)
{
	char *v = NULL;
	bool set = lio_discovery_auth_get(sh->lio, f, k, &v) == 0 && v && *v;

	free(v);
	return set;
}

static int fabric_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	const struct lio_fabric *f = node->fabric;
	size_t count = 0;
	bool enforce = false;
	const char *disc = "";

	*h = H_NONE;
	if (node_child_count(sh, node, &count) < 0)
		count = 0;
	if ((f->features & LIO_FEAT_DISCOVERY_AUTH) && lio_fabric_loaded(sh->lio, f) &&
	    lio_discovery_auth_get_enforce(sh->lio, f, &enforce) == 0 && enforce) {
		*h = disc_set(sh, f, LIO_AUTH_PASSWORD) && disc_set(sh, f, LIO_AUTH_USERID) ? H_OK
											 : H_BAD;
		disc = disc_set(sh, f, LIO_AUTH_MUTUAL_USERID) &&
				       disc_set(sh, f, LIO_AUTH_MUTUAL_PASSWORD)
			       ? "mutual disc auth, "
			       : "1-way disc auth, ";
	}
	return asprintf(text, "%sTargets: %zu", disc, count) < 0 ? -1 : 0;
}

/* create [wwn] */
static int cmd_create(struct sh *sh, struct node *node, struct args *a)
{
	const struct lio_fabric *f = node->fabric;
	struct lio_target *t;
	struct lio_tpg *tpg = NULL;
	struct node *child = NULL;
	char **hw = NULL;
	int nhw, r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_target_create(sh->lio, f, arg_str(a, 0), &t) < 0)
		return sh_fail_lio(sh);
	nhw = f->hw_wwns ? lio_fabric_hw_wwns(sh->lio, f, &hw) : 0;
	if (f->hw_wwns) {
		bool found = false;

		for (int i = 0; i < nhw; i++)
			if (strcmp(hw[i], lio_target_wwn(t)) == 0)
				found = true;
		if (!found)
			pr_warn(&sh->pr, "Hardware missing for this WWN");
		if (nhw > 0)
			lio_strv_free(hw, (size_t)nhw);
	}
	if (f->features & LIO_FEAT_TPGTS) {
		struct node *tnode;

		pr_info(&sh->pr, "Created target %s.", lio_target_wwn(t));
		r = tpg_create_steps(sh, t, 0, &tpg);
		if (r == 0) {
			tnode = node_for(&target_type, node, lio_target_wwn(t),
					 lio_obj(lio_target_ref(t)));
			/* tpg_node_new() takes the TPG reference, even when it fails */
			if (!tnode)
				lio_tpg_unref(tpg);
			else if (tpg_node_new(tnode, tpg, NULL, &child) == 0) {
				sh_new_node(sh, child);
				node_unref(child);
			}
			node_unref(tnode);
		}
		lio_target_unref(t);
		return r;
	}
	r = lio_tpg_create(t, 1, &tpg);
	if (r == 0 && !f->no_auto_enable)
		r = lio_tpg_set_enable(tpg, true);
	if (r < 0) {
		lio_tpg_unref(tpg);
		lio_target_unref(t);
		return sh_fail_lio(sh);
	}
	pr_info(&sh->pr, "Created target %s.", lio_target_wwn(t));
	if (tpg_node_new(node, tpg, lio_target_wwn(t), &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	lio_target_unref(t);
	return 0;
}

/* delete wwn */
static int cmd_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_target *t;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_target_lookup(sh->lio, node->fabric, a->v[0], &t) < 0)
		return sh_fail_lio(sh);
	r = lio_target_delete(t);
	lio_target_unref(t);
	if (r < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Deleted Target %s.", a->v[0]);
	return 0;
}

static int cmd_info(struct sh *sh, struct node *node, struct args *a)
{
	static const struct {
		unsigned bit;
		const char *name;
	} feats[] = {
		{ LIO_FEAT_DISCOVERY_AUTH, "discovery_auth" }, { LIO_FEAT_ACLS, "acls" },
		{ LIO_FEAT_AUTH, "auth" }, { LIO_FEAT_NPS, "nps" }, { LIO_FEAT_TPGTS, "tpgts" },
		{ LIO_FEAT_CPUS_ALLOWED_LIST, "cpus_allowed_list" }, { LIO_FEAT_NEXUS, "nexus" },
	};
	const struct lio_fabric *f = node->fabric;
	char types[128] = "", features[256] = "";
	char **hw;
	int nhw;

	(void)a;
	for (unsigned t = LIO_WWN_IQN; t <= LIO_WWN_FREE; t <<= 1)
		if (f->wwn_types & t)
			join_list(types, sizeof(types), lio_wwn_type_name((enum lio_wwn_type)t));
	for (size_t i = 0; i < sizeof(feats) / sizeof(feats[0]); i++)
		if (f->features & feats[i].bit)
			join_list(features, sizeof(features), feats[i].name);
	pr_info(&sh->pr, "Fabric module name: %s", f->name);
	pr_info(&sh->pr, "ConfigFS path: %s/%s", lio_target_root(sh->lio), f->dir);
	pr_info(&sh->pr, "Allowed WWN types: %s", types);
	if (f->hw_wwns) {
		char list[1024] = "";

		nhw = lio_fabric_hw_wwns(sh->lio, f, &hw);
		for (int i = 0; i < nhw; i++)
			join_list(list, sizeof(list), hw[i]);
		if (nhw > 0)
			lio_strv_free(hw, (size_t)nhw);
		pr_info(&sh->pr, "Allowed WWNs list: %s", list);
	}
	pr_info(&sh->pr, "Fabric module features: %s", features);
	pr_info(&sh->pr, "Corresponding kernel module: %s", f->kmod);
	return 0;
}

/* rtslib meant to read lio_version/version but names a list it never defines */
static int cmd_version(struct sh *sh, struct node *node, struct args *a)
{
	char *v;

	(void)a;
	if (lio_fabric_version(sh->lio, node->fabric, &v) < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Target fabric module %s: %s", node->fabric->name, v);
	free(v);
	return 0;
}

static void complete_target_wwn(struct sh *sh, struct node *node, const struct args *args,
				const char *text, struct strv *out)
{
	struct lio_target **list;
	size_t n;

	(void)args;
	if (lio_target_list(sh->lio, node->fabric, &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		strv_add_prefixed(out, lio_target_wwn(list[i]), text);
	lio_list_free(list, n);
}

/* Unused hardware WWNs of the fabric. */
static void complete_hw_wwn(struct sh *sh, struct node *node, const struct args *args,
			    const char *text, struct strv *out)
{
	struct strv used = { 0 };
	char **hw;
	int nhw;

	if (!node->fabric->hw_wwns)
		return;
	complete_target_wwn(sh, node, args, "", &used);
	nhw = lio_fabric_hw_wwns(sh->lio, node->fabric, &hw);
	for (int i = 0; i < nhw; i++) {
		bool taken = false;

		for (size_t k = 0; k < used.n; k++)
			if (strcmp(used.v[k], hw[i]) == 0)
				taken = true;
		if (!taken)
			strv_add_prefixed(out, hw[i], text);
	}
	if (nhw > 0)
		lio_strv_free(hw, (size_t)nhw);
	strv_clear(&used);
}

static const struct param p_create[] = {
	{ "wwn", T_STRING, NULL, false, complete_hw_wwn },
	{ NULL },
};
static const struct param p_delete[] = {
	{ "wwn", T_STRING, NULL, true, complete_target_wwn },
	{ NULL },
};

static const struct cmd fabric_cmds[] = {
	{ "create", p_create, NULL, NULL, cmd_create,
	  "Creates a new target. The \"wwn\" format depends on the transport(s)\n"
	  "supported by the fabric module. If \"wwn\" is omitted, then a\n"
	  "target will be created using either a randomly generated WWN of the\n"
	  "proper type, or the first unused WWN in the list of possible WWNs if\n"
	  "one is available. If WWNs are constrained to a list (i.e. for hardware\n"
	  "targets addresses) and all WWNs are in use, the target creation will\n"
	  "fail. Use the `info` command to get more information abour WWN type\n"
	  "and possible values.\n\nSEE ALSO\n========\ninfo\n", NULL },
	{ "delete", p_delete, NULL, NULL, cmd_delete,
	  "Recursively deletes the target with the specified wwn, and all\n"
	  "objects hanging under it.\n\nSEE ALSO\n========\ncreate\n", NULL },
	{ "info", NULL, NULL, NULL, cmd_info,
	  "Displays information about the fabric module, notably the supported\n"
	  "transports(s) and accepted wwn format(s), along with supported\n"
	  "features.\n", NULL },
	{ "version", NULL, NULL, NULL, cmd_version,
	  "Displays the target fabric module version.\n", NULL },
	{ NULL },
};

/* ---- discovery_auth group (iSCSI) ------------------------------------------ */

static const char *const disc_params[] = {
	"enable", "mutual_password", "mutual_userid", "password", "userid",
};
static const enum lio_auth_key disc_keys[] = {
	0, LIO_AUTH_MUTUAL_PASSWORD, LIO_AUTH_MUTUAL_USERID, LIO_AUTH_PASSWORD, LIO_AUTH_USERID,
};

static bool disc_avail(struct sh *sh, struct node *node)
{
	(void)sh;
	return node->fabric->features & LIO_FEAT_DISCOVERY_AUTH;
}

static int disc_list(struct sh *sh, struct node *node, struct gparam **params, size_t *n)
{
	static char descs[5][64];
	struct gparam *g = calloc(5, sizeof(*g));

	(void)node;
	if (!g)
		return sh_fail(sh, "Out of memory");
	for (int i = 0; i < 5; i++) {
		g[i].name = strdup(disc_params[i]);
		g[i].type = i == 0 ? T_NUMBER : T_STRING;
		g[i].writable = true;
		snprintf(descs[i], sizeof(descs[i]), "The %s discovery_auth parameter.",
			 disc_params[i]);
		g[i].desc = descs[i];
	}
	*params = g;
	*n = 5;
	return 0;
}

static int disc_index(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(disc_params[i], name) == 0)
			return i;
	return -1;
}

static int disc_get(struct sh *sh, struct node *node, const char *name, char **value)
{
	int i = disc_index(name);

	if (i < 0)
		return sh_fail(sh, "Unknown parameter %s", name);
	/* as rtslib, reading discovery auth loads the fabric's module */
	if (lio_fabric_load(sh->lio, node->fabric) < 0)
		return sh_fail_lio(sh);
	if (i == 0) {
		bool on;

		if (lio_discovery_auth_get_enforce(sh->lio, node->fabric, &on) < 0)
			return sh_fail_lio(sh);
		/* rtslib hands a python bool to the number type: shown True/False */
		*value = strdup(on ? "True" : "False");
		return *value ? 0 : sh_fail(sh, "Out of memory");
	}
	if (lio_discovery_auth_get(sh->lio, node->fabric, disc_keys[i], value) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static int disc_set_value(struct sh *sh, struct node *node, const char *name, const char *value)
{
	int i = disc_index(name);

	if (sh_assert_root(sh) < 0)
		return -1;
	if (i < 0)
		return sh_fail(sh, "Unknown parameter %s", name);
	if (lio_fabric_load(sh->lio, node->fabric) < 0)
		return sh_fail_lio(sh);
	if (i == 0) {
		if (lio_discovery_auth_set_enforce(sh->lio, node->fabric,
						   value && strtoll(value, NULL, 10) != 0) < 0)
			return sh_fail_lio(sh);
		return 0;
	}
	if (lio_discovery_auth_set(sh->lio, node->fabric, disc_keys[i], value ? value : "") < 0)
		return sh_fail_lio(sh);
	return 0;
}

static const struct group disc_group = {
	"discovery_auth", disc_avail, disc_list, disc_get, disc_set_value, NULL,
};
/* parameter/attribute appear only where the fabric's directory has them */
static const struct group *const fabric_groups[] = {
	&disc_group, &parameter_group, &attribute_group, NULL,
};

const struct node_type fabric_type = {
	.kind = "fabric",
	.cmds = fabric_cmds,
	.groups = fabric_groups,
	.list = fabric_list,
	.lookup = fabric_lookup,
	.summary = fabric_summary,
};

