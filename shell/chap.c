// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CHAP that is set is enforced (a deviation from targetcli-fb, see
 * README.md). targetcli-fb creates TPGs with attribute authentication=0,
 * and the kernel then lets an initiator log in without CHAP although its
 * ACL has credentials: the usual walk-through (create an ACL, `set auth
 * userid=... password=...`) leaves the LUN open while it looks protected.
 *
 * After a `set auth` line that sets credentials on an ACL of a TPG with
 * authentication=0 and generate_node_acls=0:
 *  - if every ACL of the TPG now has credentials (userid and password),
 *    the TPG gets authentication=1, and the shell says so;
 *  - otherwise it is left alone, with a warning naming the ACLs without
 *    credentials and the command that enforces CHAP.
 * TPG credentials set while authentication=0 only warn. Nothing else is
 * changed: a later `set attribute authentication=0` stays 0 (an auth line
 * and an attribute line are different commands, so the hook never
 * overrides a value given on its own line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes.h"

static long tpg_attr(struct lio_tpg *tpg, const char *name)
{
	return obj_attr_long(lio_obj(tpg), "attrib", name);
}

bool acl_has_chap(struct lio_acl *acl)
{
	return obj_has_auth(lio_obj(acl), LIO_AUTH_USERID) &&
	       obj_has_auth(lio_obj(acl), LIO_AUTH_PASSWORD);
}

bool tpg_chap_unenforced(struct lio_tpg *tpg)
{
	return !tpg_attr(tpg, "authentication") && !tpg_attr(tpg, "generate_node_acls");
}

/* Whether the line gave some credential a value (clearing one enforces nothing). */
static bool sets_value(const struct args *a)
{
	for (size_t k = 0; k < a->nkw; k++)
		if (a->kw[k].value && *a->kw[k].value)
			return true;
	return false;
}

/* UI path of the TPG node at or above @node (e.g. /iscsi/<iqn>/tpg1). */
static const char *tpg_ui_path(struct node *node)
{
	for (struct node *n = node; n; n = n->parent)
		if (n->type == &tpg_type)
			return n->path;
	return "the TPG";
}

int chap_after_acl_set(struct sh *sh, struct node *node, const struct args *a)
{
	struct lio_acl *acl = lio_obj_acl(node->obj);
	struct lio_tpg *tpg = acl ? lio_acl_tpg(acl) : NULL;
	struct lio_acl **list;
	char *missing = NULL;
	size_t n, len = 0;
	FILE *f;
	int r = 0;

	if (!tpg || !sets_value(a) || !tpg_chap_unenforced(tpg))
		return 0;
	if (lio_acl_list(tpg, &list, &n) < 0)
		return sh_fail_lio(sh);
	if (!(f = open_memstream(&missing, &len))) {
		lio_list_free(list, n);
		return sh_fail(sh, "Out of memory");
	}
	for (size_t i = 0, k = 0; i < n; i++)
		if (!acl_has_chap(list[i]))
			fprintf(f, "%s%s", k++ ? ", " : "", lio_acl_wwn(list[i]));
	fclose(f);
	lio_list_free(list, n);
	if (!missing)
		return sh_fail(sh, "Out of memory");
	if (!*missing) {
		if (lio_attr_set(lio_obj(tpg), "attrib", "authentication", "1") < 0)
			r = sh_fail(sh, "Could not enforce CHAP on TPG %u: %s", lio_tpg_tag(tpg),
				    lio_errmsg(sh->lio));
		else
			pr_info(&sh->pr,
				"CHAP is now enforced on TPG %u: every ACL has credentials "
				"(attribute authentication=1).",
				lio_tpg_tag(tpg));
	} else {
		pr_warn(&sh->pr,
			"Warning: CHAP is not enforced on TPG %u: ACLs without credentials: %s; "
			"to enforce it: %s set attribute authentication=1",
			lio_tpg_tag(tpg), missing, tpg_ui_path(node));
	}
	free(missing);
	return r;
}

int chap_after_tpg_set(struct sh *sh, struct node *node, const struct args *a)
{
	struct lio_tpg *tpg = lio_obj_tpg(node->obj);

	if (!tpg || !sets_value(a) || tpg_attr(tpg, "authentication"))
		return 0;
	pr_warn(&sh->pr,
		"Warning: CHAP is not enforced on TPG %u (attribute authentication=0)%s; "
		"to enforce it: %s set attribute authentication=1",
		lio_tpg_tag(tpg),
		tpg_attr(tpg, "generate_node_acls")
			? ""
			: ", and TPG credentials are only used with generate_node_acls=1",
		node->path);
	return 0;
}
