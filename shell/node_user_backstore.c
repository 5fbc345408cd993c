// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `/backstores/user:<handler>`: one node per handler of tcmu-runner, holding
 * the user storage objects whose config is "<handler>/..." (targetcli
 * ui_backstore.py UIUserBackedBackstore). Handlers come from D-Bus through
 * liblio; only paths and commands under these nodes ask for them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete_params.h"
#include "node_user_backstore.h"

#define PREFIX "user:"

static const char *node_handler(const struct node *node)
{
	return node->name + strlen(PREFIX);
}

static struct node *handler_node(struct node *parent, const char *handler)
{
	struct node *n;
	char *name;

	if (asprintf(&name, PREFIX "%s", handler) < 0)
		return NULL;
	n = node_new(&user_backstore_type, parent, name, NULL);
	free(name);
	if (n)
		n->plugin = (int)LIO_PLUGIN_USER;
	return n;
}

int user_backstores_push(struct sh *sh, struct node *backstores, struct node ***v, size_t *n)
{
	struct lio_tcmu_handler *h;
	size_t count;
	int r = 0;

	if (lio_tcmu_handlers(sh->lio, &h, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++)
		r = nodes_push(v, n, handler_node(backstores, h[i].name));
	lio_tcmu_handlers_free(h, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

int user_backstore_lookup(struct sh *sh, struct node *backstores, const char *name,
			  struct node **out)
{
	struct lio_tcmu_handler *h;
	size_t count;
	int r = -ENOENT;

	*out = NULL;
	if (strncmp(name, PREFIX, strlen(PREFIX)) != 0)
		return -ENOENT;
	if (lio_tcmu_handlers(sh->lio, &h, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == -ENOENT; i++) {
		if (strcmp(h[i].name, name + strlen(PREFIX)) == 0) {
			*out = handler_node(backstores, h[i].name);
			r = *out ? 0 : sh_fail(sh, "Out of memory");
		}
	}
	lio_tcmu_handlers_free(h, count);
	return r;
}

/* Whether @so is @handler's: its config reads "<handler>/...". */
static bool so_of_handler(struct lio_so *so, const char *handler)
{
	char *info = NULL, *config = NULL;
	bool mine;

	if (lio_so_info_text(so, &info) < 0)
		return false;
	mine = lio_info_value(info, "Config", &config) == 0 && lio_tcmu_config_of(config, handler);
	free(info);
	free(config);
	return mine;
}

static int user_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_so **list;
	size_t count;
	int r = 0;

	if (bs_list_sos(sh, LIO_PLUGIN_USER, &list, &count) < 0)
		return -1;
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		if (!so_of_handler(list[i], node_handler(node)))
			continue;
		r = so_node_new(node, lio_so_ref(list[i]), &child);
		if (r == 0)
			r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int user_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_so *so;
	int r = bs_lookup_so(sh, LIO_PLUGIN_USER, name, &so);

	if (r < 0)
		return r;
	if (!so_of_handler(so, node_handler(node))) {
		lio_so_unref(so);
		return -ENOENT;
	}
	return so_node_new(node, so, out);
}

static int user_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	size_t n;

	*h = H_NONE;
	if (node_child_count(sh, node, &n) < 0)
		return -1;
	return asprintf(text, "Storage Objects: %zu", n) < 0 ? -1 : 0;
}

/* "<handler>/<cfgstring>", as targetcli-fb builds the config. */
static char *full_config(struct sh *sh, struct node *node, const char *cfgstring)
{
	char *config;

	if (asprintf(&config, "%s/%s", node_handler(node), cfgstring) < 0) {
		sh_fail(sh, "Out of memory");
		return NULL;
	}
	return config;
}

/*
 * hw_max_sectors, when given: a positive number. targetcli-fb passes any
 * text on and the object silently keeps the kernel's default.
 */
static int hw_max_sectors(struct sh *sh, const struct args *a, int i, uint32_t *out)
{
	long long v;

	*out = 0;
	if (!arg_str(a, i))
		return 0;
	if (!parse_int(a->v[i], &v) || v <= 0 || v > INT32_MAX)
		return sh_fail(sh, "hw_max_sectors must be a positive number, '%s' given", a->v[i]);
	*out = (uint32_t)v;
	return 0;
}

/*
 * create name size cfgstring [wwn] [hw_max_sectors] [control]: the
 * handler checks the config first (CheckConfig); no root check and no
 * model alias, as targetcli-fb.
 */
static int cmd_create(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so_spec spec = { .plugin = LIO_PLUGIN_USER, .name = a->v[0] };
	char *config, *reason = NULL;
	struct lio_so *so = NULL;
	struct node *child;
	int r;

	if (lio_parse_size(a->v[1], &spec.size) < 0)
		return sh_fail(sh, "Cannot interpret size, wrong format: %s", a->v[1]);
	if (hw_max_sectors(sh, a, 4, &spec.hw_max_sectors) < 0)
		return -1;
	spec.wwn = arg_str(a, 3);
	spec.control = arg_str(a, 5);
	spec.write_back = spec.sparse = spec.readonly = spec.aio = LIO_DEFAULT;
	if (!(config = full_config(sh, node, a->v[2])))
		return -1;
	spec.config = config;
	r = lio_tcmu_check_config(sh->lio, node_handler(node), config, &reason);
	if (r < 0)
		r = sh_fail_lio(sh);
	else if (r == 0)
		r = sh_fail(sh, "cfgstring invalid: %s", reason);
	else if (lio_so_create(sh->lio, &spec, &so) < 0)
		r = sh_fail_lio(sh);
	else
		r = 0;
	free(reason);
	free(config);
	if (r < 0)
		return r;
	pr_info(&sh->pr, "Created user-backed storage object %s size %llu.", spec.name,
		(unsigned long long)spec.size);
	if (so_node_new(node, so, &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	return 0;
}

/* changemedium name size cfgstring: tcmu-runner reopens the object on the new config. */
static int cmd_changemedium(struct sh *sh, struct node *node, struct args *a)
{
	uint64_t size;
	char *config;
	int r;

	if (lio_parse_size(a->v[1], &size) < 0)
		return sh_fail(sh, "Cannot interpret size, wrong format: %s", a->v[1]);
	if (!(config = full_config(sh, node, a->v[2])))
		return -1;
	r = lio_tcmu_change_medium(sh->lio, node_handler(node), a->v[0], size, config);
	free(config);
	if (r < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Medium Changed.");
	return 0;
}

/* help: the common one, and for `create` the handler's ConfigDesc as well. */
static int cmd_help(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_tcmu_handler *h;
	const char *desc = NULL;
	size_t count;
	int r = -1;

	for (const struct cmd *c = common_cmds; c->name; c++)
		if (strcmp(c->name, "help") == 0)
			r = c->run(sh, node, a);
	if (r < 0 || !a->v[0] || strcmp(a->v[0], "create") != 0)
		return r;
	if (lio_tcmu_handlers(sh->lio, &h, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count; i++)
		if (strcmp(h[i].name, node_handler(node)) == 0)
			desc = h[i].config_desc;
	pr_raw(&sh->pr, "CFGSTRING FORMAT\n=================\n");
	pr_line(&sh->pr, "%s\n", desc ? desc : "No description.");
	lio_tcmu_handlers_free(h, count);
	return 0;
}

static const struct param p_create[] = {
	{ "name", T_STRING, NULL, true, NULL },
	{ "size", T_STRING, NULL, true, NULL },
	{ "cfgstring", T_STRING, NULL, true, NULL },
	{ "wwn", T_STRING, NULL, false, NULL },
	{ "hw_max_sectors", T_STRING, NULL, false, NULL },
	{ "control", T_STRING, NULL, false, NULL },
	{ NULL },
};
static const struct param p_changemedium[] = {
	{ "name", T_STRING, NULL, true, complete_child_name },
	{ "size", T_STRING, NULL, true, NULL },
	{ "cfgstring", T_STRING, NULL, true, NULL },
	{ NULL },
};
static const struct param p_help[] = {
	{ "topic", T_STRING, NULL, false, complete_command_name },
	{ NULL },
};

static const struct cmd user_cmds[] = {
	{ "changemedium", p_changemedium, NULL, NULL, cmd_changemedium, NULL, NULL },
	{ "create", p_create, NULL, NULL, cmd_create,
	  "Creates a User-backed storage object.\n" SIZE_SYNTAX, NULL },
	{ "delete", backstore_delete_params, NULL, NULL, backstore_cmd_delete,
	  backstore_delete_help, NULL },
	{ "help", p_help, NULL, NULL, cmd_help,
	  "Displays the manual page for a topic, or list available topics.\n", NULL },
	{ NULL },
};

const struct node_type user_backstore_type = {
	.kind = "user_backstore",
	.cmds = user_cmds,
	.list = user_list,
	.lookup = user_lookup,
	.summary = user_summary,
};
