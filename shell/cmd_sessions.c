// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * / sessions [action] [sid] (targetcli ui_root.py ui_command_sessions):
 * the sessions of every ACL of every TPG of every loaded fabric, read from
 * the ACLs' info files as rtslib's RTSRoot.sessions does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "nodes.h"

#define INDENT "    "

static void print_mapped_luns(struct sh *sh, struct lio_acl *acl)
{
	struct lio_mapped_lun **ml;
	size_t n;

	if (lio_mapped_lun_list(acl, &ml, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct lio_lun *lun = NULL;
		struct lio_so *so = NULL;
		unsigned tl;
		bool wp = false;

		lio_mapped_lun_get_write_protect(ml[i], &wp);
		if (lio_mapped_lun_get_tpg_lun(ml[i], &tl) == 0 &&
		    lio_lun_lookup(lio_acl_tpg(acl), tl, &lun) == 0 && lio_lun_get_so(lun, &so) == 0)
			pr_line(&sh->pr, INDENT "mapped-lun: %u backstore: %s/%s mode: %s",
				lio_mapped_lun_index(ml[i]), lio_plugin_name(lio_so_plugin(so)),
				lio_so_name(so), wp ? "r" : "rw");
		else
			pr_line(&sh->pr, INDENT "mapped-lun: %u backstore: BROKEN LUN LINK mode: %s",
				lio_mapped_lun_index(ml[i]), wp ? "r" : "rw");
		lio_so_unref(so);
		lio_lun_unref(lun);
	}
	lio_list_free(ml, n);
}

static void print_session(struct sh *sh, struct lio_acl *acl, const struct lio_session *s,
			  bool detail)
{
	pr_line(&sh->pr, "alias: %s\tsid: %lu type: %s session-state: %s", s->alias ? s->alias : "",
		s->id, s->type ? s->type : "", s->state ? s->state : "");
	if (!detail)
		return;
	if (sh->as_root) {
		char *v = NULL;
		bool mutual = lio_attr_get(lio_obj(acl), "auth", "authenticate_target", &v) == 0 &&
			      v && strtol(v, NULL, 10) != 0;

		free(v);
		pr_line(&sh->pr, INDENT "name: %s %s", lio_acl_wwn(acl),
			mutual ? "(authenticated)" : "(NOT AUTHENTICATED)");
	} else {
		pr_line(&sh->pr, INDENT "name: %s", lio_acl_wwn(acl));
	}
	print_mapped_luns(sh, acl);
	for (size_t i = 0; i < s->nconns; i++) {
		const struct lio_connection *c = &s->conns[i];

		pr_line(&sh->pr, INDENT "address: %s (%s)  cid: %u connection-state: %s",
			c->address ? c->address : "", c->transport ? c->transport : "", c->cid,
			c->state ? c->state : "");
	}
}

/* Sessions of the ACLs of one TPG; *shown counts the printed ones. */
static int tpg_sessions(struct sh *sh, struct lio_tpg *tpg, bool detail, bool any_sid,
			long long sid, size_t *shown)
{
	struct lio_acl **acls;
	size_t n;

	if (lio_acl_list(tpg, &acls, &n) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < n; i++) {
		struct lio_session s;

		/* like rtslib, an ACL whose info cannot be read has no session */
		if (lio_acl_get_session(acls[i], &s) < 0 || !s.active) {
			lio_session_clear(&s);
			continue;
		}
		if (any_sid || (long long)s.id == sid) {
			print_session(sh, acls[i], &s, detail);
			(*shown)++;
		}
		lio_session_clear(&s);
	}
	lio_list_free(acls, n);
	return 0;
}

int cmd_sessions(struct sh *sh, struct node *node, struct args *a)
{
	const char *action = a->v[0] ? a->v[0] : "list";
	const char *sid_text = a->v[1];
	long long sid = 0;
	size_t shown = 0;
	int r = 0;

	(void)node;
	if (strcmp(action, "list") != 0 && strcmp(action, "detail") != 0)
		return sh_fail(sh, "action must be one of: list, detail");
	if (sid_text && !parse_int(sid_text, &sid))
		return sh_fail(sh, "sid must be a number, '%s' given", sid_text);
	for (size_t f = 0; f < lio_fabric_count() && r == 0; f++) {
		const struct lio_fabric *fab = lio_fabric_at(f);
		struct lio_target **targets;
		size_t nt;

		if (!(fab->features & LIO_FEAT_ACLS) || !lio_fabric_loaded(sh->lio, fab))
			continue;
		if (lio_target_list(sh->lio, fab, &targets, &nt) < 0)
			return sh_fail_lio(sh);
		for (size_t t = 0; t < nt && r == 0; t++) {
			struct lio_tpg **tpgs;
			size_t np;

			if (lio_tpg_list(targets[t], &tpgs, &np) < 0) {
				r = sh_fail_lio(sh);
				break;
			}
			for (size_t p = 0; p < np && r == 0; p++)
				r = tpg_sessions(sh, tpgs[p], !strcmp(action, "detail"), !sid_text,
						 sid, &shown);
			lio_list_free(tpgs, np);
		}
		lio_list_free(targets, nt);
	}
	if (r < 0 || shown)
		return r;
	if (!sid_text) {
		pr_line(&sh->pr, "(no open sessions)");
		return 0;
	}
	return sh_fail(sh, "no session found with sid %lld", sid);
}
