// SPDX-License-Identifier: GPL-2.0-or-later
/* Storage objects and their ALUA groups (targetcli ui_backstore.py). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "complete_params.h"
#include "nodes.h"

static const struct attr_desc so_attrs[] = {
	{ "block_size", T_NUMBER, "Block size of the underlying device." },
	{ "emulate_3pc", T_NUMBER, "If set to 1, enable Third Party Copy." },
	{ "emulate_caw", T_NUMBER, "If set to 1, enable Compare and Write." },
	{ "emulate_dpo", T_NUMBER, "If set to 1, turn on Disable Page Out." },
	{ "emulate_fua_read", T_NUMBER, "If set to 1, enable Force Unit Access read." },
	{ "emulate_fua_write", T_NUMBER, "If set to 1, enable Force Unit Access write." },
	{ "emulate_model_alias", T_NUMBER,
	  "If set to 1, use the backend device name for the model alias." },
	{ "emulate_rest_reord", T_NUMBER,
	  "If set to 0, the Queue Algorithm Modifier is Restricted Reordering." },
	{ "emulate_tas", T_NUMBER, "If set to 1, enable Task Aborted Status." },
	{ "emulate_tpu", T_NUMBER, "If set to 1, enable Thin Provisioning Unmap." },
	{ "emulate_tpws", T_NUMBER, "If set to 1, enable Thin Provisioning Write Same." },
	{ "emulate_ua_intlck_ctrl", T_NUMBER, "If set to 1, enable Unit Attention Interlock." },
	{ "emulate_write_cache", T_NUMBER, "If set to 1, turn on Write Cache Enable." },
	{ "emulate_pr", T_NUMBER, "If set to 1, enable SCSI Reservations." },
	{ "enforce_pr_isids", T_NUMBER, "If set to 1, enforce persistent reservation ISIDs." },
	{ "force_pr_aptpl", T_NUMBER,
	  "If set to 1, force SPC-3 PR Activate Persistence across Target Power Loss operation." },
	{ "fabric_max_sectors", T_NUMBER,
	  "Maximum number of sectors the fabric can transfer at once." },
	{ "hw_block_size", T_NUMBER, "Hardware block size in bytes." },
	{ "hw_max_sectors", T_NUMBER,
	  "Maximum number of sectors the hardware can transfer at once." },
	{ "control", T_STRING,
	  "Comma separated string of control=value tuples that will be passed to kernel control file." },
	{ "hw_pi_prot_type", T_NUMBER,
	  "If non-zero, DIF protection is enabled on the underlying hardware." },
	{ "hw_queue_depth", T_NUMBER, "Hardware queue depth." },
	{ "is_nonrot", T_NUMBER, "If set to 1, the backstore is a non rotational device." },
	{ "max_unmap_block_desc_count", T_NUMBER,
	  "Maximum number of block descriptors for UNMAP." },
	{ "max_unmap_lba_count", T_NUMBER, "Maximum number of LBA for UNMAP." },
	{ "max_write_same_len", T_NUMBER, "Maximum length for WRITE_SAME." },
	{ "optimal_sectors", T_NUMBER, "Optimal request size in sectors." },
	{ "pi_prot_format", T_NUMBER, "DIF protection format." },
	{ "pi_prot_type", T_NUMBER, "DIF protection type." },
	{ "queue_depth", T_NUMBER, "Queue depth." },
	{ "unmap_granularity", T_NUMBER, "UNMAP granularity." },
	{ "unmap_granularity_alignment", T_NUMBER, "UNMAP granularity alignment." },
	{ "unmap_zeroes_data", T_NUMBER, "If set to 1, zeroes are read back after an UNMAP." },
	{ NULL },
};

static struct lio_so *node_so(struct node *node)
{
	return lio_obj_so(node->obj);
}

int so_node_new(struct node *parent, struct lio_so *so, struct node **out)
{
	*out = node_for(&so_type, parent, lio_so_name(so), lio_obj(so));
	if (*out)
		(*out)->plugin = (int)lio_so_plugin(so);
	return *out ? 0 : -ENOMEM;
}

static int so_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct node *alua = node_new(&alua_type, node, "alua", lio_obj_ref(node->obj));

	(void)sh;
	return nodes_push(v, n, alua) < 0 ? sh_fail(sh, "Out of memory") : 0;
}

/* targetcli's summaries per plugin (UI*StorageObject.summary). */
static int so_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	struct lio_so_info info;
	const char *status, *wb, *dev;
	char size[32];
	int r;

	*h = H_OK;
	if (lio_so_get_info(node_so(node), &info) < 0)
		return sh_fail_lio(sh);
	status = info.activated ? "activated" : "deactivated";
	wb = info.write_back ? "write-back" : "write-thru";
	dev = info.dev ? info.dev : "";
	lio_format_size(info.size, size, sizeof(size));
	switch (lio_so_plugin(node_so(node))) {
	case LIO_PLUGIN_BLOCK:
		r = asprintf(text, "%s (%s) %s%s %s", dev, size, info.readonly ? "ro " : "", wb,
			     status);
		break;
	case LIO_PLUGIN_FILEIO:
		r = asprintf(text, "%s (%s) %s %s", dev, size, wb, status);
		break;
	case LIO_PLUGIN_RAMDISK:
		r = asprintf(text, "%s(%s) %s", info.nullio ? "nullio " : "", size, status);
		break;
	case LIO_PLUGIN_PSCSI:
		r = asprintf(text, "%s %s", dev, status);
		break;
	default:
		if (info.config && strchr(info.config, '/'))
			r = asprintf(text, "%s (%s) %s", strchr(info.config, '/') + 1, size, status);
		else
			r = asprintf(text, "(no config) (%s) %s", size, status);
		break;
	}
	lio_so_info_clear(&info);
	if (r < 0)
		*text = NULL;
	return 0;
}

static int cmd_version(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so_info info;

	(void)a;
	if (lio_so_get_info(node_so(node), &info) < 0)
		return sh_fail_lio(sh);
	pr_line(&sh->pr, "Backstore plugin %s %s", lio_plugin_name(lio_so_plugin(node_so(node))),
		info.version ? info.version : "");
	lio_so_info_clear(&info);
	return 0;
}

/* rtslib's dump() of a storage object, scalar keys in sorted order. */
static int cmd_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so *so = node_so(node);
	struct lio_so_info info;
	enum lio_plugin p = lio_so_plugin(so);
	char size[32];

	(void)a;
	if (lio_so_get_info(so, &info) < 0)
		return sh_fail_lio(sh);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)info.size);
	/* the keys of each plugin's dump(), sorted */
	if (p == LIO_PLUGIN_FILEIO)
		pr_info(&sh->pr, "aio: %s", info.aio ? "True" : "False");
	if (p == LIO_PLUGIN_USER) {
		pr_info(&sh->pr, "config: %s", info.config ? info.config : "");
		pr_info(&sh->pr, "control: %s", info.control ? info.control : "");
	}
	if (p == LIO_PLUGIN_BLOCK || p == LIO_PLUGIN_FILEIO || p == LIO_PLUGIN_PSCSI)
		pr_info(&sh->pr, "dev: %s", info.dev ? info.dev : "");
	if (p == LIO_PLUGIN_USER)
		pr_info(&sh->pr, "hw_max_sectors: %u", info.hw_max_sectors);
	pr_info(&sh->pr, "name: %s", lio_so_name(so));
	if (p == LIO_PLUGIN_RAMDISK && info.nullio)
		pr_info(&sh->pr, "nullio: True");
	pr_info(&sh->pr, "plugin: %s", lio_plugin_name(p));
	if (p == LIO_PLUGIN_BLOCK)
		pr_info(&sh->pr, "readonly: %s", info.readonly ? "True" : "False");
	if (p == LIO_PLUGIN_FILEIO || p == LIO_PLUGIN_RAMDISK || p == LIO_PLUGIN_USER)
		pr_info(&sh->pr, "size: %s", size);
	if (p == LIO_PLUGIN_BLOCK || p == LIO_PLUGIN_FILEIO)
		pr_info(&sh->pr, "write_back: %s", info.write_back ? "True" : "False");
	if (p != LIO_PLUGIN_PSCSI)
		pr_info(&sh->pr, "wwn: %s", info.wwn ? info.wwn : "");
	lio_so_info_clear(&info);
	return 0;
}

static const struct param p_saveconfig[] = {
	{ "savefile", T_STRING, NULL, false, complete_file },
	{ NULL },
};

static const struct cmd so_cmds[] = {
	{ "info", NULL, NULL, NULL, cmd_info,
	  "Displays information about the storage object.\n", NULL },
	{ "saveconfig", p_saveconfig, NULL, NULL, cmd_so_saveconfig,
	  "Save configuration of this StorageObject.\n", NULL },
	{ "version", NULL, NULL, NULL, cmd_version,
	  "Displays the version of the current backstore's plugin.\n", NULL },
	{ NULL },
};

static const struct group *const so_groups[] = { &attribute_group, NULL };

const struct node_type so_type = {
	.kind = "storage_object",
	.attr_descs = so_attrs,
	.cmds = so_cmds,
	.groups = so_groups,
	.list = so_list,
	.summary = so_summary,
};

/* ---- alua: the storage object's ALUA target port groups ----------------- */

static int alua_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_so *so = node_so(node);
	struct lio_alua_tpg **list;
	size_t count;
	int r = 0;

	if (!lio_so_alua_supported(so))
		return 0;
	if (lio_alua_tpg_list(so, &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++)
		r = nodes_push(v, n, node_new(&alua_tpg_type, node, lio_alua_tpg_name(list[i]),
					      lio_obj_ref(lio_obj(list[i]))));
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int alua_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_alua_tpg *tpg;
	int r;

	if (!lio_so_alua_supported(node_so(node)))
		return -ENOENT;
	r = lio_alua_tpg_lookup(node_so(node), name, &tpg);
	if (r == -ENOENT)
		return r;
	if (r < 0)
		return sh_fail_lio(sh);
	*out = node_for(&alua_tpg_type, node, name, lio_obj(tpg));
	return *out ? 0 : -ENOMEM;
}

static int alua_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	size_t n;

	*h = H_NONE;
	if (node_child_count(sh, node, &n) < 0)
		n = 0;
	return asprintf(text, "ALUA Groups: %zu", n) < 0 ? -1 : 0;
}

static int cmd_alua_create(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_alua_tpg *tpg;
	struct node *child;
	long long tag;

	if (sh_assert_root(sh) < 0 || arg_number(sh, a, 1, 0, &tag) < 0)
		return -1;
	if (tag < 1 || tag > 65535)
		return sh_fail(sh, "The tag must be between 1 and 65535");
	if (lio_alua_tpg_create(node_so(node), a->v[0], (unsigned)tag, &tpg) < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Created ALUA TPG %s.", lio_alua_tpg_name(tpg));
	child = node_for(&alua_tpg_type, node, lio_alua_tpg_name(tpg), lio_obj(tpg));
	if (child) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	return 0;
}

static int cmd_alua_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_alua_tpg *tpg;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_alua_tpg_lookup(node_so(node), a->v[0], &tpg) < 0)
		return sh_fail(sh, "Invalid ALUA group name");
	r = lio_alua_tpg_delete(tpg);
	lio_alua_tpg_unref(tpg);
	return r < 0 ? sh_fail_lio(sh) : 0;
}

static const struct param p_alua_create[] = {
	{ "name", T_STRING, NULL, true, NULL },
	{ "tag", T_NUMBER, NULL, true, NULL },
	{ NULL },
};
static const struct param p_alua_delete[] = {
	{ "name", T_STRING, NULL, true, complete_child_name },
	{ NULL },
};

static const struct cmd alua_cmds[] = {
	{ "create", p_alua_create, NULL, NULL, cmd_alua_create,
	  "Create a new ALUA Target Port Group attached to a storage object.\n", NULL },
	{ "delete", p_alua_delete, NULL, NULL, cmd_alua_delete,
	  "Delete the ALUA Target Por Group and unmap it from a LUN if needed.\n", NULL },
	{ NULL },
};

const struct node_type alua_type = {
	.kind = "alua",
	.cmds = alua_cmds,
	.list = alua_list,
	.lookup = alua_lookup,
	.summary = alua_summary,
};

/* ---- one ALUA group --------------------------------------------------------- */

static const char *const alua_state_names[16] = {
	[0] = "Active/optimized", [1] = "Active/non-optimized", [2] = "Standby",
	[3] = "Unavailable", [4] = "LBA Dependent", [14] = "Offline", [15] = "Transitioning",
};

static const struct {
	const char *name;
	bool writable;
} alua_params[] = {
	{ "alua_access_state", true },        { "alua_access_status", true },
	{ "alua_access_type", true },         { "alua_support_active_nonoptimized", true },
	{ "alua_support_active_optimized", true }, { "alua_support_lba_dependent", false },
	{ "alua_support_offline", true },     { "alua_support_standby", true },
	{ "alua_support_transitioning", true }, { "alua_support_unavailable", true },
	{ "alua_write_metadata", true },      { "implicit_trans_secs", true },
	{ "members", false },                 { "nonop_delay_msecs", true },
	{ "preferred", true },                { "tg_pt_gp_id", false },
	{ "trans_delay_msecs", true },
};
#define N_ALUA_PARAMS (sizeof(alua_params) / sizeof(alua_params[0]))

static struct lio_alua_tpg *node_alua(struct node *node)
{
	return lio_obj_alua_tpg(node->obj);
}

static int alua_tpg_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	long long state;
	const char *name;

	*h = H_OK;
	if (lio_alua_tpg_get_int(node_alua(node), "alua_access_state", &state) < 0)
		return sh_fail_lio(sh);
	name = state >= 0 && state < 16 ? alua_state_names[state] : NULL;
	return asprintf(text, "ALUA state: %s", name ? name : "Unknown") < 0 ? -1 : 0;
}

static int alua_group_list(struct sh *sh, struct node *node, struct gparam **params, size_t *n)
{
	static char descs[N_ALUA_PARAMS][80];
	struct gparam *g = calloc(N_ALUA_PARAMS, sizeof(*g));

	(void)node;
	if (!g)
		return sh_fail(sh, "Out of memory");
	for (size_t i = 0; i < N_ALUA_PARAMS; i++) {
		g[i].name = strdup(alua_params[i].name);
		g[i].type = T_STRING;
		g[i].writable = alua_params[i].writable;
		snprintf(descs[i], sizeof(descs[i]), "The %s alua parameter.", alua_params[i].name);
		g[i].desc = descs[i];
	}
	*params = g;
	*n = N_ALUA_PARAMS;
	return 0;
}

static int alua_group_get(struct sh *sh, struct node *node, const char *name, char **value)
{
	long long v;

	if (strcmp(name, "members") == 0) {
		if (lio_attr_get(node->obj, "", name, value) < 0)
			return sh_fail_lio(sh);
		return 0;
	}
	if (lio_alua_tpg_get_int(node_alua(node), name, &v) < 0)
		return sh_fail_lio(sh);
	return asprintf(value, "%lld", v) < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int alua_group_set(struct sh *sh, struct node *node, const char *name, const char *value)
{
	char *end;
	long long v;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (!value)
		return 0; /* targetcli: setting an empty value is a no-op */
	v = strtoll(value, &end, 10);
	if (end == value || *end)
		return sh_fail(sh, "Not setting %s! '%s' is not a number.", name, value);
	if (lio_alua_tpg_set_int(node_alua(node), name, v) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static const struct group alua_group = {
	"alua", NULL, alua_group_list, alua_group_get, alua_group_set, NULL,
};
static const struct group *const alua_tpg_groups[] = { &alua_group, NULL };

const struct node_type alua_tpg_type = {
	.kind = "alua_tpg",
	.groups = alua_tpg_groups,
	.summary = alua_tpg_summary,
};
