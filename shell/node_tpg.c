// SPDX-License-Identifier: GPL-2.0-or-later
/* TPGs and their LUNs (targetcli ui_target.py UITPG, UILUNs, UILUN). */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "complete_params.h"
#include "nodes.h"
#include "prefs.h"

/* Debian's targetcli-fb 2.1.53 listens on 0.0.0.0 (upstream moved to ::0). */
#define DEFAULT_PORTAL "0.0.0.0"
#define DEFAULT_PORT 3260

static const struct attr_desc tpg_attrs[] = {
	{ "authentication", T_NUMBER, "If set to 1, enforce authentication for this TPG." },
	{ "cache_dynamic_acls", T_NUMBER, "If set to 1 in demo mode, cache dynamically generated ACLs." },
	{ "default_cmdsn_depth", T_NUMBER, "Default CmdSN (Command Sequence Number) depth." },
	{ "default_erl", T_NUMBER, "Default Error Recovery Level." },
	{ "demo_mode_discovery", T_NUMBER, "If set to 1 in demo mode, enable discovery." },
	{ "demo_mode_write_protect", T_NUMBER, "If set to 1 in demo mode, prevent writes to LUNs." },
	{ "fabric_prot_type", T_NUMBER, "Fabric DIF protection type." },
	{ "generate_node_acls", T_NUMBER,
	  "If set to 1, allow all initiators to login (i.e. demo mode)." },
	{ "login_timeout", T_NUMBER, "Login timeout value in seconds." },
	{ "netif_timeout", T_NUMBER, "NIC failure timeout in seconds." },
	{ "prod_mode_write_protect", T_NUMBER, "If set to 1, prevent writes to LUNs." },
	{ "t10_pi", T_NUMBER, "If set to 1, enable T10 Protection Information." },
	{ "tpg_enabled_sendtargets", T_NUMBER,
	  "If set to 1, the SendTargets discovery response advertises the TPG only if the TPG is enabled." },
	{ NULL },
};

/* iSCSI RFC-3720 keys, shared with node ACLs. */
const struct attr_desc iscsi_params[] = {
	{ "AuthMethod", T_STRING, "Authentication method used by the TPG." },
	{ "DataDigest", T_STRING, "If set to CRC32C, the integrity of the PDU data part is verified." },
	{ "DataPDUInOrder", T_YESNO, "If set to Yes, the data PDUs within sequences must be in order." },
	{ "DataSequenceInOrder", T_YESNO, "If set to Yes, the data sequences must be in order." },
	{ "DefaultTime2Retain", T_NUMBER,
	  "Maximum time, in seconds, after an initial wait, before which an active task reassignment is still possible after an unexpected connection termination or a connection reset." },
	{ "DefaultTime2Wait", T_NUMBER,
	  "Minimum time, in seconds, to wait before attempting an explicit/implicit logout or an active task reassignment after an unexpected connection termination or a connection reset." },
	{ "ErrorRecoveryLevel", T_NUMBER,
	  "Recovery levels represent a combination of recovery capabilities." },
	{ "FirstBurstLength", T_NUMBER,
	  "Maximum amount in bytes of unsolicited data an initiator may send." },
	{ "HeaderDigest", T_STRING,
	  "If set to CRC32C, the integrity of the PDU header part is verified." },
	{ "IFMarker", T_YESNO, "Deprecated according to RFC 7143." },
	{ "IFMarkInt", T_STRING, "Deprecated according to RFC 7143." },
	{ "ImmediateData", T_STRING, "Immediate data support." },
	{ "InitialR2T", T_YESNO, "If set to No, the default use of R2T (Ready To Transfer) is disabled." },
	{ "MaxBurstLength", T_NUMBER,
	  "Maximum SCSI data payload in bytes in a Data-In or a solicited Data-Out iSCSI sequence." },
	{ "MaxConnections", T_NUMBER, "Maximum number of connections acceptable." },
	{ "MaxOutstandingR2T", T_NUMBER, "Maximum number of outstanding R2Ts per task." },
	{ "MaxRecvDataSegmentLength", T_NUMBER,
	  "Maximum data segment length in bytes the target can receive in an iSCSI PDU." },
	{ "MaxXmitDataSegmentLength", T_NUMBER,
	  "Outgoing MaxRecvDataSegmentLength sent over the wire during iSCSI login response." },
	{ "OFMarker", T_YESNO, "Deprecated according to RFC 7143." },
	{ "OFMarkInt", T_STRING, "Deprecated according to RFC 7143." },
	{ "TargetAlias", T_STRING, "Human-readable target name or description." },
	{ NULL },
};

struct lio_tpg *node_tpg(struct node *node)
{
	return lio_obj_tpg(node->obj);
}

static bool has(struct node *node, unsigned feature)
{
	return node->fabric && (node->fabric->features & feature);
}

int tpg_node_new(struct node *parent, struct lio_tpg *tpg, const char *name, struct node **out)
{
	char buf[32];

	if (!name) {
		snprintf(buf, sizeof(buf), "tpg%u", lio_tpg_tag(tpg));
		name = buf;
	}
	*out = node_for(&tpg_type, parent, name, lio_obj(tpg));
	if (*out)
		(*out)->fabric = lio_target_fabric(lio_tpg_target(tpg));
	return *out ? 0 : -ENOMEM;
}

static int tpg_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	int r = nodes_push(v, n, node_new(&luns_type, node, "luns", lio_obj_ref(node->obj)));

	if (r == 0 && has(node, LIO_FEAT_ACLS))
		r = nodes_push(v, n, node_new(&acls_type, node, "acls", lio_obj_ref(node->obj)));
	if (r == 0 && has(node, LIO_FEAT_NPS))
		r = nodes_push(v, n, node_new(&portals_type, node, "portals", lio_obj_ref(node->obj)));
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int tpg_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	struct lio_tpg *tpg = node_tpg(node);
	char msg[512] = "";
	bool enabled;

	*h = H_NONE;
	/* UITarget: a merged target first checks its WWN */
	if (node->parent && node->parent->type == &fabric_type) {
		struct lio_target *t = lio_tpg_target(tpg);
		char *norm = NULL;

		if (lio_wwn_normalize(sh->lio, lio_target_wwn(t), lio_target_fabric(t)->wwn_types,
				      &norm, NULL) < 0) {
			*h = H_BAD;
			*text = strdup("INVALID WWN");
			return 0;
		}
		free(norm);
	}
	if (has(node, LIO_FEAT_NEXUS)) {
		char *nexus = NULL;

		if (lio_tpg_get_nexus(tpg, &nexus) == 0 && nexus)
			join_list(msg, sizeof(msg), nexus);
		free(nexus);
	}
	if (lio_tpg_get_enable(tpg, &enabled) < 0)
		return sh_fail_lio(sh);
	if (!enabled) {
		*h = H_BAD;
		*text = strdup("disabled");
		return 0;
	}
	if (has(node, LIO_FEAT_ACLS)) {
		long gna = obj_attr_long(node->obj, "attrib", "generate_node_acls");

		join_list(msg, sizeof(msg), gna ? "gen-acls" : "no-gen-acls");
		if (has(node, LIO_FEAT_AUTH)) {
			if (!obj_attr_long(node->obj, "attrib", "authentication")) {
				join_list(msg, sizeof(msg), "no-auth");
				if (gna)
					*h = H_OK;
			} else if (!gna) {
				join_list(msg, sizeof(msg), "auth per-acl");
			} else {
				join_list(msg, sizeof(msg), "tpg-auth");
				*h = obj_has_auth(node->obj, LIO_AUTH_PASSWORD) &&
						     obj_has_auth(node->obj, LIO_AUTH_USERID)
					     ? H_OK
					     : H_BAD;
				join_list(msg, sizeof(msg),
					  obj_attr_long(node->obj, "auth", "authenticate_target")
						  ? "mutual auth"
						  : "1-way auth");
			}
		}
	}
	*text = strdup(msg);
	return 0;
}

/* enable/disable; only a failed enable has its own message (targetcli-fb's). */
static int tpg_switch(struct sh *sh, struct node *node, bool want)
{
	const char *state = want ? "enabled" : "disabled";
	bool on;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_tpg_get_enable(node_tpg(node), &on) < 0)
		return sh_fail_lio(sh);
	if (on == want) {
		pr_info(&sh->pr, "The TPGT is already %s.", state);
		return 0;
	}
	if (lio_tpg_set_enable(node_tpg(node), want) < 0)
		return want ? sh_fail(sh, "The TPGT could not be enabled.") : sh_fail_lio(sh);
	pr_info(&sh->pr, "The TPGT has been %s.", state);
	return 0;
}

static int cmd_enable(struct sh *sh, struct node *node, struct args *a)
{
	(void)a;
	return tpg_switch(sh, node, true);
}

static int cmd_disable(struct sh *sh, struct node *node, struct args *a)
{
	(void)a;
	return tpg_switch(sh, node, false);
}

static int cmd_tpg_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_tpg *tpg = node_tpg(node);
	bool on = false;

	(void)a;
	if (has(node, LIO_FEAT_AUTH))
		info_chap(sh, node->obj);
	lio_tpg_get_enable(tpg, &on);
	pr_info(&sh->pr, "enable: %s", on ? "True" : "False");
	pr_info(&sh->pr, "tag: %u", lio_tpg_tag(tpg));
	return 0;
}

int tpg_create_steps(struct sh *sh, struct lio_target *t, unsigned tag, struct lio_tpg **out)
{
	const struct lio_fabric *f = lio_target_fabric(t);
	struct lio_portal *portal;
	struct lio_tpg *tpg = NULL;

	if (lio_tpg_create(t, tag, &tpg) < 0)
		return sh_fail_lio(sh);
	if ((pref_bool(sh->prefs, "auto_enable_tpgt") && lio_tpg_set_enable(tpg, true) < 0) ||
	    ((f->features & LIO_FEAT_AUTH) &&
	     lio_attr_set(lio_obj(tpg), "attrib", "authentication", "0") < 0)) {
		lio_tpg_unref(tpg);
		return sh_fail_lio(sh);
	}
	pr_info(&sh->pr, "Created TPG %u.", lio_tpg_tag(tpg));
	if ((f->features & LIO_FEAT_NPS) && pref_bool(sh->prefs, "auto_add_default_portal")) {
		if (lio_portal_create(tpg, DEFAULT_PORTAL, DEFAULT_PORT, &portal) == 0) {
			lio_portal_unref(portal);
			pr_info(&sh->pr, "Global pref auto_add_default_portal=true");
			pr_info(&sh->pr, "Created default portal listening on all IPs (%s), port %d.",
				DEFAULT_PORTAL, DEFAULT_PORT);
		} else {
			pr_info(&sh->pr,
				"Default portal not created, TPGs within a target cannot share ip:port.");
		}
	}
	*out = tpg;
	return 0;
}

static const struct cmd tpg_cmds[] = {
	{ "disable", NULL, NULL, NULL, cmd_disable,
	  "Disables the TPG.\n\nSEE ALSO\n========\nenable status\n", NULL },
	{ "enable", NULL, NULL, NULL, cmd_enable,
	  "Enables the TPG.\n\nSEE ALSO\n========\ndisable status\n", NULL },
	{ "info", NULL, NULL, NULL, cmd_tpg_info, "Displays information about the TPG.\n", NULL },
	{ NULL },
};

/* auth, with a warning when the credentials are not enforced (chap.c) */
static bool tpg_auth_avail(struct sh *sh, struct node *node)
{
	return auth_group.avail(sh, node);
}

static int tpg_auth_list(struct sh *sh, struct node *node, struct gparam **p, size_t *n)
{
	return auth_group.list(sh, node, p, n);
}

static int tpg_auth_get(struct sh *sh, struct node *node, const char *k, char **v)
{
	return auth_group.get(sh, node, k, v);
}

static int tpg_auth_set(struct sh *sh, struct node *node, const char *k, const char *v)
{
	return auth_group.set(sh, node, k, v);
}

static const struct group tpg_auth_group = {
	"auth", tpg_auth_avail, tpg_auth_list, tpg_auth_get, tpg_auth_set, chap_after_tpg_set,
};

static const struct group *const tpg_groups[] = {
	&parameter_group, &attribute_group, &tpg_auth_group, NULL,
};

const struct node_type tpg_type = {
	.kind = "tpg",
	.attr_descs = tpg_attrs,
	.param_descs = iscsi_params,
	.cmds = tpg_cmds,
	.groups = tpg_groups,
	.list = tpg_list,
	.summary = tpg_summary,
};

