// SPDX-License-Identifier: GPL-2.0-or-later
/* Network portals (targetcli ui_target.py UIPortals, UIPortal). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "complete_params.h"
#include "netaddr.h"
#include "nodes.h"

#define DEFAULT_PORTAL "0.0.0.0"
#define DEFAULT_PORT 3260

static int portal_node(struct node *parent, struct lio_portal *p, struct node **out)
{
	char name[128];

	snprintf(name, sizeof(name), "%s:%u", lio_portal_ip(p), lio_portal_port(p));
	*out = node_for(&portal_type, parent, name, lio_obj(p));
	return *out ? 0 : -ENOMEM;
}

static int portals_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_portal **list;
	size_t count;
	int r = 0;

	if (lio_portal_list(node_tpg(node), &list, &count) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		r = portal_node(node, lio_obj_portal(lio_obj_ref(lio_obj(list[i]))), &child);
		if (r == 0)
			r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

static int portals_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	size_t count;

	*h = H_NONE;
	if (node_child_count(sh, node, &count) < 0)
		return -1;
	return asprintf(text, "Portals: %zu", count) < 0 ? -1 : 0;
}

static int parse_port(struct sh *sh, const char *text, long long *port)
{
	char *end;

	*port = strtoll(text, &end, 10);
	if (end == text || *end || *port <= 0 || *port > 65535)
		return sh_fail(sh, "Syntax error, '%s' is not a NUMBER.", text);
	return 0;
}

/* create [ip_address] [ip_port] */
static int cmd_create(struct sh *sh, struct node *node, struct args *a)
{
	const char *ip = arg_str(a, 0) ? a->v[0] : DEFAULT_PORTAL;
	struct lio_portal *p;
	struct node *child;
	long long port = DEFAULT_PORT;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (arg_str(a, 1) && parse_port(sh, a->v[1], &port) < 0)
		return -1;
	/* targetcli-fb says so whenever the port is the default, given or not */
	if (port == DEFAULT_PORT)
		pr_info(&sh->pr, "Using default IP port %d", DEFAULT_PORT);
	if (strcmp(ip, DEFAULT_PORTAL) == 0)
		pr_info(&sh->pr, "Binding to INADDR_ANY (%s)", DEFAULT_PORTAL);
	r = lio_portal_create(node_tpg(node), ip, (unsigned)port, &p);
	if (r == -EEXIST)
		return sh_fail(sh, "This NetworkPortal already exists in configFS");
	if (r < 0)
		return sh_fail(sh, "Could not create NetworkPortal in configFS");
	pr_info(&sh->pr, "Created network portal %s:%lld.", ip, port);
	if (portal_node(node, p, &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
	return 0;
}

/* delete ip_address ip_port */
static int cmd_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_portal *p;
	long long port;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	if (parse_port(sh, a->v[1], &port) < 0)
		return -1;
	if (lio_portal_lookup(node_tpg(node), a->v[0], (unsigned)port, &p) < 0)
		return sh_fail_lio(sh);
	r = lio_portal_delete(p);
	lio_portal_unref(p);
	if (r < 0)
		return sh_fail_lio(sh);
	pr_info(&sh->pr, "Deleted network portal %s:%s", a->v[0], a->v[1]);
	return 0;
}

/* Local addresses, plus the wildcard of each family present (as python-ethtool gives). */
static void complete_local_ip(struct sh *sh, struct node *node, const struct args *args,
			      const char *text, struct strv *out)
{
	struct strv all = { 0 };

	(void)sh;
	(void)node;
	(void)args;
	if (local_addresses(&all) < 0) {
		strv_clear(&all);
		return;
	}
	strv_sort(&all);
	for (size_t k = 0; k < all.n; k++)
		if (k == 0 || strcmp(all.v[k], all.v[k - 1]) != 0)
			strv_add_prefixed(out, all.v[k], text);
	strv_clear(&all);
}

static bool a_has(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

static void complete_portal_ip(struct sh *sh, struct node *node, const struct args *args,
			       const char *text, struct strv *out)
{
	struct lio_portal **list;
	size_t n;

	(void)args;
	(void)sh;
	if (lio_portal_list(node_tpg(node), &list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char ip[128];
		const char *s = lio_portal_ip(list[i]);
		size_t len = strlen(s);

		/* brackets stripped, as targetcli-fb offers them */
		if (s[0] == '[' && len > 1)
			snprintf(ip, sizeof(ip), "%.*s", (int)(len - 2), s + 1);
		else
			snprintf(ip, sizeof(ip), "%s", s);
		if (a_has(out, ip))
			continue;
		strv_add_prefixed(out, ip, text);
	}
	lio_list_free(list, n);
}

static const struct param p_create[] = {
	{ "ip_address", T_STRING, NULL, false, complete_local_ip },
	{ "ip_port", T_NUMBER, NULL, false, NULL },
	{ NULL },
};
static const struct param p_delete[] = {
	{ "ip_address", T_STRING, NULL, true, complete_portal_ip },
	{ "ip_port", T_NUMBER, NULL, true, NULL },
	{ NULL },
};

static const struct cmd portals_cmds[] = {
	{ "create", p_create, NULL, NULL, cmd_create,
	  "Creates a Network Portal with the specified IP address and\n"
	  "port.  If the port is omitted, the default port for\n"
	  "the target fabric will be used. If the IP address is omitted,\n"
	  "INADDR_ANY (0.0.0.0) will be used.\n\n"
	  "Note: Portals on Link-local IPv6 addresses are currently not\n"
	  "supported.\n\nSEE ALSO\n========\ndelete\n", NULL },
	{ "delete", p_delete, NULL, NULL, cmd_delete,
	  "Deletes the Network Portal with the specified IP address and port.\n\n"
	  "SEE ALSO\n========\ncreate\n", NULL },
	{ NULL },
};

const struct node_type portals_type = {
	.kind = "portals",
	.cmds = portals_cmds,
	.list = portals_list,
	.summary = portals_summary,
};

/* ---- one portal ------------------------------------------------------------ */

static struct lio_portal *node_portal(struct node *node)
{
	return lio_obj_portal(node->obj);
}

static int portal_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	bool on = false;

	(void)sh;
	*h = H_OK;
	if (lio_portal_get_iser(node_portal(node), &on) == 0 && on)
		*text = strdup("iser");
	else if (lio_portal_get_offload(node_portal(node), &on) == 0 && on)
		*text = strdup("offload");
	else
		*text = strdup("");
	return 0;
}

static int cmd_enable_iser(struct sh *sh, struct node *node, struct args *a)
{
	bool on;

	if (arg_bool(sh, a, 0, false, &on) < 0)
		return -1;
	if (lio_portal_set_iser(node_portal(node), on) < 0)
		return sh_fail_lio(sh);
	lio_portal_get_iser(node_portal(node), &on);
	pr_info(&sh->pr, "iSER enable now: %s", on ? "True" : "False");
	return 0;
}

static int cmd_enable_offload(struct sh *sh, struct node *node, struct args *a)
{
	bool on;

	if (arg_bool(sh, a, 0, false, &on) < 0)
		return -1;
	if (lio_portal_set_offload(node_portal(node), on) < 0)
		return sh_fail_lio(sh);
	lio_portal_get_offload(node_portal(node), &on);
	pr_info(&sh->pr, "offload enable now: %s", on ? "True" : "False");
	return 0;
}

static int cmd_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_portal *p = node_portal(node);
	bool iser = false, offload = false;

	(void)a;
	lio_portal_get_iser(p, &iser);
	lio_portal_get_offload(p, &offload);
	pr_info(&sh->pr, "ip_address: %s", lio_portal_ip(p));
	pr_info(&sh->pr, "iser: %s", iser ? "True" : "False");
	pr_info(&sh->pr, "offload: %s", offload ? "True" : "False");
	pr_info(&sh->pr, "port: %u", lio_portal_port(p));
	return 0;
}

static const struct param p_bool[] = {
	{ "boolean", T_BOOL, NULL, true, complete_bool },
	{ NULL },
};

static const struct cmd portal_cmds[] = {
	{ "enable_iser", p_bool, NULL, NULL, cmd_enable_iser,
	  "Enables or disables iSER for this NetworkPortal.\n\n"
	  "If iSER is not supported by the kernel, this command will do nothing.\n", NULL },
	{ "enable_offload", p_bool, NULL, NULL, cmd_enable_offload,
	  "Enables or disables offload for this NetworkPortal.\n\n"
	  "If offload is not supported by the kernel, this command will do nothing.\n", NULL },
	{ "info", NULL, NULL, NULL, cmd_info, "Displays information about the portal.\n", NULL },
	{ NULL },
};

const struct node_type portal_type = {
	.kind = "portal",
	.cmds = portal_cmds,
	.summary = portal_summary,
};
