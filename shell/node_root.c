// SPDX-License-Identifier: GPL-2.0-or-later
/* `/`: backstores and the fabrics present (targetcli ui_root.py). */
#include <errno.h>
#include <string.h>

#include "cmds.h"
#include "complete_params.h"
#include "nodes.h"

#ifndef SHELL_VERSION
#define SHELL_VERSION "0"
#endif

/* Software fabrics always; hardware ones when a port is present. */
static bool fabric_shown(struct sh *sh, const struct lio_fabric *f)
{
	char **wwns;
	int n;

	if (!f->hw_wwns)
		return true;
	n = lio_fabric_hw_wwns(sh->lio, f, &wwns);
	if (n <= 0)
		return false;
	lio_strv_free(wwns, (size_t)n);
	return true;
}

static struct node *fabric_node(struct sh *sh, struct node *root, const struct lio_fabric *f)
{
	struct lio_obj *obj = NULL;
	struct node *n;

	/* a loaded fabric's directory backs its attribute/parameter groups */
	if (lio_fabric_loaded(sh->lio, f))
		lio_fabric_obj(sh->lio, f, &obj);
	n = node_for(&fabric_type, root, f->name, obj);
	if (n)
		n->fabric = f;
	return n;
}

static int root_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	int r = nodes_push(v, n, node_new(&backstores_type, node, "backstores", NULL));

	for (size_t i = 0; r == 0 && i < lio_fabric_count(); i++) {
		const struct lio_fabric *f = lio_fabric_at(i);

		if (fabric_shown(sh, f))
			r = nodes_push(v, n, fabric_node(sh, node, f));
	}
	return r;
}

static int root_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	const struct lio_fabric *f;

	if (strcmp(name, "backstores") == 0)
		*out = node_new(&backstores_type, node, name, NULL);
	else if ((f = lio_fabric_find(name)) && strcmp(f->name, name) == 0 && fabric_shown(sh, f))
		*out = fabric_node(sh, node, f);
	else
		return -ENOENT;
	return *out ? 0 : -ENOMEM;
}

static int cmd_version(struct sh *sh, struct node *node, struct args *a)
{
	(void)node;
	(void)a;
	pr_info(&sh->pr, "targetcli version %s", SHELL_VERSION);
	return 0;
}

/* clearconfig [confirm]: everything goes, so it has to be asked for. */
static int cmd_clearconfig(struct sh *sh, struct node *node, struct args *a)
{
	bool confirm;

	(void)node;
	if (sh_assert_root(sh) < 0 || arg_bool(sh, a, 0, false, &confirm) < 0)
		return -1;
	if (!confirm)
		return sh_fail(sh, "As a precaution, confirm=True needs to be set");
	if (lio_clear(sh->lio) < 0)
		return sh_fail_lio(sh);
	/* Nothing partial runs any more: saving is safe again. */
	lio_restore_mark_clear(sh->lio, NULL);
	pr_info(&sh->pr, "All configuration cleared");
	return 0;
}

static const struct param p_clearconfig[] = {
	{ "confirm", T_BOOL, NULL, false, complete_bool },
	{ NULL },
};

static const struct param p_saveconfig[] = {
	{ "savefile", T_STRING, LIO_DEFAULT_SAVEFILE, false, complete_file },
	{ "force", T_BOOL, "False", false, complete_bool },
	{ NULL },
};
static const struct param p_restoreconfig[] = {
	{ "savefile", T_STRING, LIO_DEFAULT_SAVEFILE, false, complete_file },
	{ "clear_existing", T_BOOL, "False", false, complete_bool },
	{ "target", T_STRING, NULL, false, NULL },
	{ "storage_object", T_STRING, NULL, false, NULL },
	{ "atomic", T_BOOL, "False", false, complete_bool },
	{ NULL },
};

static void complete_session_action(struct sh *sh, struct node *node, const struct args *args,
				    const char *text, struct strv *out)
{
	(void)sh;
	(void)node;
	(void)args;
	strv_add_prefixed(out, "detail", text);
	strv_add_prefixed(out, "list", text);
}

static const struct param p_sessions[] = {
	{ "action", T_STRING, "list", false, complete_session_action },
	{ "sid", T_STRING, NULL, false, NULL },
	{ NULL },
};

static const struct cmd root_cmds[] = {
	{ "clearconfig", p_clearconfig, NULL, NULL, cmd_clearconfig,
	  "Removes entire configuration of backstores and targets\n", NULL },
	{ "restoreconfig", p_restoreconfig, NULL, NULL, cmd_restoreconfig,
	  "Restores configuration from a file. With atomic=true, all or nothing: if\n"
	  "anything cannot be restored, the configuration that was running is put back.\n", NULL },
	{ "saveconfig", p_saveconfig, NULL, NULL, cmd_saveconfig,
	  "Saves the current configuration to a file so that it can be restored\n"
	  "on next boot.\n", NULL },
	{ "sessions", p_sessions, NULL, NULL, cmd_sessions,
	  "Shows the open sessions of the node ACLs of every target.\n\n"
	  "PARAMETERS\n==========\n\n"
	  "action\n------\n"
	  "    - list: one line per session (the default)\n"
	  "    - detail: also the initiator name, mapped LUNs and connections\n\n"
	  "sid\n---\nShow only the session with this id.\n\n"
	  "SEE ALSO\n========\nstatus\n", NULL },
	{ "version", NULL, NULL, NULL, cmd_version,
	  "Displays the targetcli and support libraries versions.\n", NULL },
	{ NULL },
};

const struct node_type root_type = {
	.kind = "root",
	.cmds = root_cmds,
	.list = root_list,
	.lookup = root_lookup,
};
