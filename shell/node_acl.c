// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Node ACLs and mapped LUNs (targetcli ui_target.py UINodeACLs, UINodeACL,
 * UIMappedLUN). ACLs sharing a tag show as one node named by the tag; the
 * node reads its first member.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete_params.h"
#include "nodes.h"
#include "prefs.h"

extern const struct attr_desc iscsi_params[];

static const struct attr_desc acl_attrs[] = {
	{ "dataout_timeout", T_NUMBER, "Data-Out timeout in seconds before invoking recovery." },
	{ "dataout_timeout_retries", T_NUMBER,
	  "Number of Data-Out timeout recovery attempts before failing a path." },
	{ "default_erl", T_NUMBER, "Default Error Recovery Level." },
	{ "nopin_response_timeout", T_NUMBER, "Nop-In response timeout in seconds." },
	{ "nopin_timeout", T_NUMBER, "Nop-In timeout in seconds." },
	{ "random_datain_pdu_offsets", T_NUMBER, "If set to 1, request random Data-In PDU offsets." },
	{ "random_datain_seq_offsets", T_NUMBER,
	  "If set to 1, request random Data-In sequence offsets." },
	{ "random_r2t_offsets", T_NUMBER,
	  "If set to 1, request random R2T (Ready To Transfer) offsets." },
	{ NULL },
};

static struct lio_acl *node_acl(struct node *node)
{
	return lio_obj_acl(node->obj);
}

/* The name an ACL shows under: its tag, or its WWN. */
static char *acl_display_name(struct lio_acl *acl)
{
	char *tag = NULL;

	if (lio_acl_get_tag(acl, &tag) == 0 && tag && *tag)
		return tag;
	free(tag);
	return strdup(lio_acl_wwn(acl));
}

static int acls_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_acl **list;
	size_t count;
	int r = 0;

	if (lio_acl_list(node_tpg(node), &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++) {
		char *name = acl_display_name(list[i]);
		bool dup = false;

		if (!name) {
			r = -ENOMEM;
			break;
		}
		for (size_t k = 0; k < *n; k++)
			if (strcmp((*v)[k]->name, name) == 0)
				dup = true;
		if (!dup)
			r = nodes_push(v, n, node_for(&acl_type, node, name,
						      lio_obj(lio_acl_ref(list[i]))));
		free(name);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

/*
 * An ACL by name without reading every ACL's tag: in an ACL mapping
 * thousands of LUNs, configfs finds an attribute such as tag by walking
 * all of the ACL's entries, so a Tab under one ACL paid that for each.
 * A WWN whose ACL has no tag is the node itself; anything else (a tag, a
 * tagged ACL's WWN) is looked for among all of them as before.
 */
static int acls_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_acl *acl = NULL;
	struct node **kids = NULL;
	size_t n = 0;
	int r;

	*out = NULL;
	if (lio_acl_lookup(node_tpg(node), name, &acl) == 0) {
		char *shown = acl_display_name(acl);

		if (shown && !strcmp(shown, name) && !strcmp(lio_acl_wwn(acl), name)) {
			free(shown);
			*out = node_for(&acl_type, node, name, lio_obj(acl));
			return *out ? 0 : sh_fail(sh, "Out of memory");
		}
		free(shown);
		lio_acl_unref(acl);
	}
	r = acls_list(sh, node, &kids, &n);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (size_t i = 0; i < n && r == -ENOENT; i++)
		if (!strcmp(kids[i]->name, name)) {
			*out = node_ref(kids[i]);
			r = 0;
		}
	nodes_free(kids, n);
	return r;
}

static int acls_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	size_t n;

	*h = H_NONE;
	if (node_child_count(sh, node, &n) < 0)
		return -1;
	return asprintf(text, "ACLs: %zu", n) < 0 ? -1 : 0;
}

static void new_acl_node(struct sh *sh, struct node *parent, struct lio_acl *acl)
{
	struct node *child = node_for(&acl_type, parent, lio_acl_wwn(acl), lio_obj(lio_acl_ref(acl)));

	if (child) {
		sh_new_node(sh, child);
		node_unref(child);
	}
}

/* create wwn [add_mapped_luns] */
static int cmd_acl_create(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_acl *acl;
	struct lio_lun **luns;
	size_t nluns;
	bool add_mapped;
	int r = 0;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (arg_bool(sh, a, 1, pref_bool(sh->prefs, "auto_add_mapped_luns"), &add_mapped) < 0)
		return -1;
	if (lio_acl_create(node_tpg(node), a->v[0], &acl) < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Created Node ACL for %s", lio_acl_wwn(acl));
	if (add_mapped) {
		if (lio_lun_list(node_tpg(node), &luns, &nluns) < 0) {
			lio_acl_unref(acl);
			return sh_fail_lio(sh);
		}
		for (size_t i = 0; i < nluns && r == 0; i++) {
			struct lio_mapped_lun *m;
			unsigned idx = lio_lun_index(luns[i]);

			if (lio_mapped_lun_create(acl, idx, idx, false, NULL, &m) < 0) {
				r = sh_fail_lio(sh);
				break;
			}
			lio_mapped_lun_unref(m);
			pr_info(&sh->pr, "Created mapped LUN %u.", idx);
		}
		lio_list_free(luns, nluns);
	}
	if (r == 0)
		new_acl_node(sh, node, acl);
	lio_acl_unref(acl);
	return r;
}

/* delete wwn */
static int cmd_acl_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_acl *acl;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_acl_lookup(node_tpg(node), a->v[0], &acl) < 0)
		return sh_fail_lio(sh);
	r = lio_acl_delete(acl);
	lio_acl_unref(acl);
	if (r < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Deleted Node ACL %s.", a->v[0]);
	return 0;
}

/* ACLs whose WWN or tag is @name. */
static int find_tagged(struct sh *sh, struct lio_tpg *tpg, const char *name,
		       struct lio_acl ***out, size_t *nout)
{
	struct lio_acl **list;
	size_t count;

	*out = NULL;
	*nout = 0;
	if (lio_acl_list(tpg, &list, &count) < 0)
		return sh_fail_lio(sh);
	*out = calloc(count + 1, sizeof(**out));
	if (!*out) {
		lio_list_free(list, count);
		return sh_fail(sh, "Out of memory");
	}
	for (size_t i = 0; i < count; i++) {
		char *tag = NULL;

		lio_acl_get_tag(list[i], &tag);
		if (strcmp(lio_acl_wwn(list[i]), name) == 0 || (tag && strcmp(tag, name) == 0))
			(*out)[(*nout)++] = lio_acl_ref(list[i]);
		free(tag);
	}
	lio_list_free(list, count);
	return 0;
}

/* tag wwn_or_tag new_tag */
static int cmd_tag(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_acl **members, **old = NULL, *ref = NULL;
	size_t n, nold = 0;
	int r = 0;

	if (strcmp(a->v[0], a->v[1]) == 0)
		return 0;
	if (strchr(a->v[1], '.'))
		return sh_fail(sh, "'.' not permitted in tag names.");
	if (find_tagged(sh, node_tpg(node), a->v[0], &members, &n) < 0)
		return -1;
	if (n == 0)
		r = sh_fail(sh, "wwn_or_tag %s not found.", a->v[0]);
	/* Joining a tag: take the settings of its first member (not one of ours). */
	if (r == 0 && find_tagged(sh, node_tpg(node), a->v[1], &old, &nold) < 0)
		r = -1;
	for (size_t j = 0; j < nold && !ref; j++) {
		bool ours = false;

		for (size_t i = 0; i < n; i++)
			ours |= !strcmp(lio_acl_wwn(old[j]), lio_acl_wwn(members[i]));
		if (!ours)
			ref = old[j];
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		if (lio_acl_set_tag(members[i], a->v[1]) < 0 ||
		    (ref && lio_acl_copy_settings(members[i], ref) < 0))
			r = sh_fail_lio(sh);
	}
	lio_list_free(old, nold);
	lio_list_free(members, n);
	return r;
}

/* untag wwn_or_tag */
static int cmd_untag(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_acl **members;
	size_t n;
	int r = 0;

	if (find_tagged(sh, node_tpg(node), a->v[0], &members, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && r == 0; i++)
		if (lio_acl_set_tag(members[i], NULL) < 0)
			r = sh_fail_lio(sh);
	lio_list_free(members, n);
	return r;
}

static void complete_acl_wwn(struct sh *sh, struct node *node, const struct args *args,
			     const char *text, struct strv *out)
{
	struct lio_acl **list;
	size_t n;

	(void)args;
	if (lio_acl_list(node_tpg(node), &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		strv_add_prefixed(out, lio_acl_wwn(list[i]), text);
	lio_list_free(list, n);
	(void)sh;
}

static const struct param p_acl_create[] = {
	{ "wwn", T_STRING, NULL, true, NULL },
	{ "add_mapped_luns", T_BOOL, NULL, false, complete_bool },
	{ NULL },
};
static const struct param p_acl_delete[] = {
	{ "wwn", T_STRING, NULL, true, complete_acl_wwn },
	{ NULL },
};
static const struct param p_tag[] = {
	{ "wwn_or_tag", T_STRING, NULL, true, complete_child_name },
	{ "new_tag", T_STRING, NULL, true, NULL },
	{ NULL },
};
static const struct param p_untag[] = {
	{ "wwn_or_tag", T_STRING, NULL, true, complete_child_name },
	{ NULL },
};

static const struct cmd acls_cmds[] = {
	{ "create", p_acl_create, NULL, NULL, cmd_acl_create,
	  "Creates a Node ACL for the initiator node with the specified wwn.\n"
	  "The node's wwn must match the expected WWN Type of the target's\n"
	  "fabric module.\n\n"
	  "\"add_mapped_luns\" can be \"true\" of \"false\". If true, then\n"
	  "after creating the ACL, mapped LUNs will be automatically\n"
	  "created for all existing LUNs. If the parameter is omitted,\n"
	  "the global parameter \"auto_add_mapped_luns\" is used.\n\n"
	  "SEE ALSO\n========\ndelete\n", NULL },
	{ "delete", p_acl_delete, NULL, NULL, cmd_acl_delete,
	  "Deletes the Node ACL with the specified wwn.\n\nSEE ALSO\n========\ncreate\n", NULL },
	{ "tag", p_tag, NULL, NULL, cmd_tag,
	  "Tag a NodeACL.\n\nUsage: tag <wwn_or_tag> <new_tag>\n\n"
	  "Tags help manage initiator WWNs. A tag can apply to one or\n"
	  "more WWNs. This can give a more meaningful name to a single\n"
	  "initiator's configuration, or allow multiple initiators with\n"
	  "identical settings to be configured en masse.\n\n"
	  "Use 'untag' to remove tags.\n", NULL },
	{ "untag", p_untag, NULL, NULL, cmd_untag,
	  "Untag a NodeACL.\n\nUsage: untag <tag>\n\n"
	  "Remove the tag given to one or more initiator WWNs. They will\n"
	  "return to being displayed by WWN in the configuration tree, and\n"
	  "will maintain settings from when they were tagged.\n", NULL },
	{ NULL },
};

const struct node_type acls_type = {
	.kind = "acls",
	.cmds = acls_cmds,
	.list = acls_list,
	.lookup = acls_lookup,
	.summary = acls_summary,
};

/* ---- one ACL ------------------------------------------------------------------ */

static int mlun_node(struct node *parent, struct lio_mapped_lun *m, struct node **out)
{
	char name[32];

	snprintf(name, sizeof(name), "mapped_lun%u", lio_mapped_lun_index(m));
	*out = node_for(&mapped_lun_type, parent, name, lio_obj(m));
	return *out ? 0 : -ENOMEM;
}

/* For completion: "mapped_lunN" for each mapped LUN, leaves all. */
static int acl_leaf_names(struct sh *sh, struct node *node, const char *prefix,
			  struct strv *names)
{
	unsigned *idx;
	size_t n;
	int r;

	if (lio_mapped_lun_indexes(node_acl(node), &idx, &n) < 0)
		return sh_fail_lio(sh);
	r = strv_add_numbered(names, "mapped_lun", idx, n, prefix);
	free(idx);
	return r;
}

static int acl_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_mapped_lun **list;
	size_t count;
	int r = 0;

	if (lio_mapped_lun_list(node_acl(node), &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		r = mlun_node(node, lio_obj_mapped_lun(lio_obj_ref(lio_obj(list[i]))), &child);
		if (r == 0)
			r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int acl_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	struct lio_acl *acl = node_acl(node);
	struct lio_obj *tpg = lio_obj(lio_acl_tpg(acl));
	char msg[512] = "", part[300];
	size_t nml;

	*h = H_NONE;
	if (strcmp(node->name, lio_acl_wwn(acl)) != 0) {
		struct lio_acl **members;
		size_t n;

		if (find_tagged(sh, lio_acl_tpg(acl), node->name, &members, &n) < 0)
			return -1;
		if (n > 1)
			snprintf(msg, sizeof(msg), "(group of %zu), ", n);
		else
			snprintf(msg, sizeof(msg), "(%s), ", lio_acl_wwn(acl));
		lio_list_free(members, n);
	}
	if (node->fabric && (node->fabric->features & LIO_FEAT_AUTH) &&
	    obj_attr_long(tpg, "attrib", "authentication")) {
		if (obj_attr_long(tpg, "attrib", "generate_node_acls")) {
			strncat(msg, "auth via tpg, ", sizeof(msg) - strlen(msg) - 1);
		} else {
			*h = obj_has_auth(node->obj, LIO_AUTH_PASSWORD) &&
					     obj_has_auth(node->obj, LIO_AUTH_USERID)
				     ? H_OK
				     : H_BAD;
			strncat(msg,
				obj_attr_long(node->obj, "auth", "authenticate_target")
					? "mutual auth, "
					: "1-way auth, ",
				sizeof(msg) - strlen(msg) - 1);
		}
	}
	if (node_child_count(sh, node, &nml) < 0)
		return -1;
	snprintf(part, sizeof(part), "Mapped LUNs: %zu", nml);
	strncat(msg, part, sizeof(msg) - strlen(msg) - 1);
	/* not in targetcli-fb: credentials the kernel ignores (see chap.c) */
	if (node->fabric && (node->fabric->features & LIO_FEAT_AUTH) &&
	    tpg_chap_unenforced(lio_acl_tpg(acl)) && acl_has_chap(acl)) {
		strncat(msg, ", auth not enforced", sizeof(msg) - strlen(msg) - 1);
		*h = H_BAD;
	}
	*text = strdup(msg);
	return 0;
}

/* The TPG LUN index of a storage object, creating the LUN if needed. */
static int tpg_lun_for_so(struct sh *sh, struct lio_tpg *tpg, struct lio_so *so, unsigned *idx)
{
	struct lio_lun **luns, *lun;
	size_t n;
	int found = -1;

	if (lio_lun_list(tpg, &luns, &n) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < n && found < 0; i++) {
		struct lio_so *lso;

		if (lio_lun_get_so(luns[i], &lso) < 0)
			continue;
		if (lio_so_plugin(lso) == lio_so_plugin(so) &&
		    strcmp(lio_so_name(lso), lio_so_name(so)) == 0)
			found = (int)lio_lun_index(luns[i]);
		lio_so_unref(lso);
	}
	lio_list_free(luns, n);
	if (found >= 0) {
		*idx = (unsigned)found;
		return 0;
	}
	if (lun_create_for_so(sh, tpg, so, -1, &lun) < 0)
		return -1;
	*idx = lio_lun_index(lun);
	lio_lun_unref(lun);
	return 0;
}

/* create mapped_lun tpg_lun_or_backstore [write_protect] */
static int cmd_mlun_create(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_acl *acl = node_acl(node);
	struct lio_tpg *tpg = lio_acl_tpg(acl);
	struct lio_mapped_lun **ml, *m;
	struct lio_so *so;
	struct node *child;
	bool wp = false;
	long mapped, tl;
	unsigned tpg_lun = 0;
	size_t nml;
	char *end;

	if (sh_assert_root(sh) < 0)
		return -1;
	mapped = strtol(a->v[0], &end, 10);
	if (end == a->v[0] || *end || mapped < 0)
		return sh_fail(sh, "mapped_lun must be an integer");
	/* unlike targetcli-fb, write_protect=true does protect (it needed "1") */
	if (arg_str(a, 2) && parse_bool_loose(a->v[2], &wp) < 0)
		return sh_fail(sh, "Syntax error, '%s' is not true|false.", a->v[2]);
	tl = parse_tagged(a->v[1], "lun");
	if (tl >= 0) {
		tpg_lun = (unsigned)tl;
	} else {
		if (so_from_ui_path(sh, node, a->v[1], &so) < 0)
			return sh_fail(sh, "LUN, storage object, or path not valid");
		if (tpg_lun_for_so(sh, tpg, so, &tpg_lun) < 0) {
			lio_so_unref(so);
			return -1;
		}
		lio_so_unref(so);
	}
	if (lio_mapped_lun_list(acl, &ml, &nml) == 0) {
		for (size_t i = 0; i < nml; i++) {
			unsigned t;

			if (lio_mapped_lun_get_tpg_lun(ml[i], &t) == 0 && t == tpg_lun) {
				pr_warn(&sh->pr, "Warning: TPG LUN %u already mapped to this NodeACL",
					tpg_lun);
				break;
			}
		}
		lio_list_free(ml, nml);
	}
	if (lio_mapped_lun_create(acl, (unsigned)mapped, tpg_lun, wp, NULL, &m) < 0)
		return sh_fail_lio(sh);
	/* the other members of a tag get the same mapping */
	if (strcmp(node->name, lio_acl_wwn(acl)) != 0) {
		struct lio_acl **members;
		size_t n;

		if (find_tagged(sh, tpg, node->name, &members, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				struct lio_mapped_lun *other;

				if (members[i] == acl ||
				    !strcmp(lio_acl_wwn(members[i]), lio_acl_wwn(acl)))
					continue;
				if (lio_mapped_lun_create(members[i], (unsigned)mapped, tpg_lun, wp,
							  NULL, &other) == 0)
					lio_mapped_lun_unref(other);
			}
			lio_list_free(members, n);
		}
	}
	pr_info(&sh->pr, "Created Mapped LUN %u.", lio_mapped_lun_index(m));
	if (mlun_node(node, m, &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	return 0;
}

/* delete mapped_lun */
static int cmd_mlun_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_mapped_lun *m;
	long idx;
	char *end;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	idx = strtol(a->v[0], &end, 10);
	if (end == a->v[0] || *end || idx < 0)
		return sh_fail(sh, "mapped_lun must be an integer");
	if (strcmp(node->name, lio_acl_wwn(node_acl(node))) != 0) {
		/* a tag: every member loses the mapping */
		struct lio_acl **members;
		size_t n;

		if (find_tagged(sh, node_tpg(node->parent), node->name, &members, &n) < 0)
			return -1;
		r = 0;
		for (size_t i = 0; i < n && r == 0; i++) {
			if (lio_mapped_lun_lookup(members[i], (unsigned)idx, &m) < 0) {
				r = sh_fail_lio(sh);
				break;
			}
			if (lio_mapped_lun_delete(m) < 0)
				r = sh_fail_lio(sh);
			lio_mapped_lun_unref(m);
		}
		lio_list_free(members, n);
		if (r < 0)
			return r;
	} else {
		if (lio_mapped_lun_lookup(node_acl(node), (unsigned)idx, &m) < 0)
			return sh_fail_lio(sh);
		r = lio_mapped_lun_delete(m);
		lio_mapped_lun_unref(m);
		if (r < 0)
			return sh_fail_lio(sh);
	}
	pr_info(&sh->pr, "Deleted Mapped LUN %s.", a->v[0]);
	return 0;
}

static int cmd_acl_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_acl *acl = node_acl(node);
	struct lio_acl **members;
	char *tag = NULL;
	size_t n;

	(void)a;
	if (node->fabric && (node->fabric->features & LIO_FEAT_AUTH))
		info_chap(sh, node->obj);
	if (lio_acl_get_tag(acl, &tag) == 0 && tag && *tag)
		pr_info(&sh->pr, "tag: %s", tag);
	free(tag);
	pr_info(&sh->pr, "wwns:");
	if (find_tagged(sh, lio_acl_tpg(acl), node->name, &members, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		pr_info(&sh->pr, "%s", lio_acl_wwn(members[i]));
	lio_list_free(members, n);
	return 0;
}

static void complete_mlun(struct sh *sh, struct node *node, const struct args *args,
			  const char *text, struct strv *out)
{
	struct lio_mapped_lun **list;
	size_t n;

	(void)args;
	(void)sh;
	if (lio_mapped_lun_list(node_acl(node), &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%u", lio_mapped_lun_index(list[i]));
		strv_add_prefixed(out, buf, text);
	}
	lio_list_free(list, n);
}

static const struct param p_mlun_create[] = {
	{ "mapped_lun", T_STRING, NULL, true, NULL },
	{ "tpg_lun_or_backstore", T_STRING, NULL, true, NULL },
	{ "write_protect", T_BOOL, NULL, false, complete_bool },
	{ NULL },
};
static const struct param p_mlun_delete[] = {
	{ "mapped_lun", T_STRING, NULL, true, complete_mlun },
	{ NULL },
};

static const struct cmd acl_cmds[] = {
	{ "create", p_mlun_create, NULL, NULL, cmd_mlun_create,
	  "Creates a mapping to one of the TPG LUNs for the initiator referenced\n"
	  "by the ACL. The provided \"tpg_lun_or_backstore\" will appear to that\n"
	  "initiator as LUN \"mapped_lun\". If the \"write_protect\" flag is set to\n"
	  "true (or 1), the initiator will not have write access to the mapped LUN.\n\n"
	  "A storage object may also be given for the \"tpg_lun_or_backstore\" parameter,\n"
	  "in which case the TPG LUN will be created for that backstore before\n"
	  "mapping the LUN to the initiator. If a TPG LUN for the backstore already\n"
	  "exists, the mapped LUN will map to that TPG LUN.\n\n"
	  "SEE ALSO\n========\ndelete\n", NULL },
	{ "delete", p_mlun_delete, NULL, NULL, cmd_mlun_delete,
	  "Deletes the specified mapped LUN.\n\nSEE ALSO\n========\ncreate\n", NULL },
	{ "info", NULL, NULL, NULL, cmd_acl_info,
	  "Displays information about the node ACL and the WWNs it applies to.\n", NULL },
	{ NULL },
};

/*
 * A node shown under a tag stands for every ACL with that tag: reads come
 * from the first one, writes go to all (targetcli UINodeACL).
 */
static int members_set(struct sh *sh, struct node *node, const struct group *g,
		       const char *param, const char *value)
{
	struct lio_acl **members;
	size_t n;
	int r = 0;

	if (strcmp(node->name, lio_acl_wwn(node_acl(node))) == 0)
		return g->set(sh, node, param, value);
	if (find_tagged(sh, node_tpg(node->parent), node->name, &members, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct node *one = node_new(&acl_type, node->parent, node->name,
					    lio_obj_ref(lio_obj(members[i])));

		if (!one) {
			r = sh_fail(sh, "Out of memory");
			break;
		}
		r = g->set(sh, one, param, value);
		node_unref(one);
	}
	lio_list_free(members, n);
	return r;
}

#define MEMBERS_GROUP(var, gname, base, after)                                             \
	static bool var##_avail(struct sh *sh, struct node *node)                          \
	{                                                                                  \
		return base.avail(sh, node);                                               \
	}                                                                                  \
	static int var##_list(struct sh *sh, struct node *node, struct gparam **p, size_t *n) \
	{                                                                                  \
		return base.list(sh, node, p, n);                                          \
	}                                                                                  \
	static int var##_get(struct sh *sh, struct node *node, const char *k, char **v)    \
	{                                                                                  \
		return base.get(sh, node, k, v);                                           \
	}                                                                                  \
	static int var##_set(struct sh *sh, struct node *node, const char *k, const char *v) \
	{                                                                                  \
		return members_set(sh, node, &base, k, v);                                 \
	}                                                                                  \
	static const struct group var = { gname, var##_avail, var##_list, var##_get, var##_set, \
					  after }

MEMBERS_GROUP(acl_parameter_group, "parameter", parameter_group, NULL);
MEMBERS_GROUP(acl_attribute_group, "attribute", attribute_group, NULL);
MEMBERS_GROUP(acl_auth_group, "auth", auth_group, chap_after_acl_set);

static const struct group *const acl_groups[] = {
	&acl_parameter_group, &acl_attribute_group, &acl_auth_group, NULL,
};

const struct node_type acl_type = {
	.kind = "acl",
	.attr_descs = acl_attrs,
	.param_descs = iscsi_params,
	.cmds = acl_cmds,
	.groups = acl_groups,
	.list = acl_list,
	.leaf_names = acl_leaf_names,
	.summary = acl_summary,
};

