// SPDX-License-Identifier: GPL-2.0-or-later
/* `/<fabric>/<wwn>` for fabrics with several TPGs (targetcli UIMultiTPGTarget). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes.h"

/* ---- /<fabric>/<wwn> with TPGs ------------------------------------------- */

static struct lio_target *node_target(struct node *node)
{
	return lio_obj_target(node->obj);
}

static int target_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_tpg **list;
	size_t count;
	int r = 0;

	if (lio_tpg_list(node_target(node), &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		r = tpg_node_new(node, lio_tpg_ref(list[i]), NULL, &child);
		if (r == 0)
			r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int target_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_tpg *tpg = NULL;
	long tag;
	char canon[32];

	(void)sh;
	if (strncmp(name, "tpg", 3) != 0 || (tag = parse_tagged(name, "tpg")) <= 0)
		return -ENOENT;
	snprintf(canon, sizeof(canon), "tpg%ld", tag);
	if (strcmp(canon, name) != 0)
		return -ENOENT;
	if (lio_tpg_lookup(node_target(node), (unsigned)tag, &tpg) < 0)
		return -ENOENT;
	return tpg_node_new(node, tpg, NULL, out);
}

static int target_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	struct lio_target *t = node_target(node);
	size_t count;
	char *norm = NULL;

	*h = H_NONE;
	if (lio_wwn_normalize(sh->lio, lio_target_wwn(t), lio_target_fabric(t)->wwn_types, &norm,
			      NULL) < 0) {
		*h = H_BAD;
		*text = strdup("INVALID WWN");
		return 0;
	}
	free(norm);
	if (node_child_count(sh, node, &count) < 0)
		return -1;
	return asprintf(text, "TPGs: %zu", count) < 0 ? -1 : 0;
}

/* create [tag] */
static int cmd_tpg_create(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_tpg *tpg = NULL;
	struct node *child;
	long tag = 0;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (arg_str(a, 0) && (tag = parse_tagged(a->v[0], "tpg")) < 0)
		return sh_fail(sh, "Tag argument must be a number.");
	if (tpg_create_steps(sh, node_target(node), (unsigned)tag, &tpg) < 0)
		return -1;
	if (tpg_node_new(node, tpg, NULL, &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	return 0;
}

/* delete tag */
static int cmd_tpg_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_tpg *tpg = NULL;
	long tag;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if ((tag = parse_tagged(a->v[0], "tpg")) < 0)
		return sh_fail(sh, "Tag argument must be a number.");
	if (lio_tpg_lookup(node_target(node), (unsigned)tag, &tpg) < 0)
		return sh_fail_lio(sh);
	r = lio_tpg_delete(tpg);
	lio_tpg_unref(tpg);
	if (r < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Deleted TPGT %ld.", tag);
	return 0;
}

static void complete_tpg_tag(struct sh *sh, struct node *node, const struct args *args,
			     const char *text, struct strv *out)
{
	struct lio_tpg **list;
	size_t n;

	(void)args;
	(void)sh;
	if (lio_tpg_list(node_target(node), &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%u", lio_tpg_tag(list[i]));
		strv_add_prefixed(out, buf, text);
	}
	lio_list_free(list, n);
}

static int cmd_target_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_target *t = node_target(node);

	(void)a;
	pr_info(&sh->pr, "fabric: %s", lio_target_fabric(t)->name);
	pr_info(&sh->pr, "wwn: %s", lio_target_wwn(t));
	return 0;
}

static const struct param p_tpg_create[] = {
	{ "tag", T_STRING, NULL, false, NULL },
	{ NULL },
};
static const struct param p_tpg_delete[] = {
	{ "tag", T_STRING, NULL, true, complete_tpg_tag },
	{ NULL },
};

static const struct cmd target_cmds[] = {
	{ "create", p_tpg_create, NULL, NULL, cmd_tpg_create,
	  "Creates a new Target Portal Group within the target. The\n"
	  "tag must be a positive integer value, optionally prefaced\n"
	  "by 'tpg'. If omitted, the next available Target Portal Group\n"
	  "Tag (TPGT) will be used.\n\nSEE ALSO\n========\ndelete\n", NULL },
	{ "delete", p_tpg_delete, NULL, NULL, cmd_tpg_delete,
	  "Deletes the Target Portal Group with TPGT \"tag\" from the target. The\n"
	  "tag must be a positive integer matching an existing TPGT.\n\n"
	  "SEE ALSO\n========\ncreate\n", NULL },
	{ "info", NULL, NULL, NULL, cmd_target_info,
	  "Displays information about the target.\n", NULL },
	{ NULL },
};

static const struct group *const target_groups[] = { &parameter_group, &attribute_group, NULL };

const struct node_type target_type = {
	.kind = "target",
	.cmds = target_cmds,
	.groups = target_groups,
	.list = target_list,
	.lookup = target_lookup,
	.summary = target_summary,
};
