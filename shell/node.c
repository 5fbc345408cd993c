// SPDX-License-Identifier: GPL-2.0-or-later
/* Node instances: a name in the tree, its parent chain and liblio object. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lio.h>

#include "sh.h"

struct node *node_new(const struct node_type *type, struct node *parent, const char *name,
		      struct lio_obj *obj)
{
	struct node *n = calloc(1, sizeof(*n));
	int r;

	if (!n)
		return NULL;
	n->refs = 1;
	n->type = type;
	n->plugin = -1;
	n->nkids = -1;
	n->name = strdup(name);
	if (!parent)
		r = asprintf(&n->path, "/");
	else if (!parent->parent)
		r = asprintf(&n->path, "/%s", name);
	else
		r = asprintf(&n->path, "%s/%s", parent->path, name);
	if (r < 0)
		n->path = NULL;
	if (!n->name || !n->path) {
		free(n->name);
		free(n->path);
		free(n);
		return NULL;
	}
	n->parent = node_ref(parent);
	if (parent)
		n->fabric = parent->fabric;
	n->obj = obj;
	return n;
}

struct node *node_ref(struct node *node)
{
	if (node)
		node->refs++;
	return node;
}

struct node *node_unref(struct node *node)
{
	while (node && --node->refs == 0) {
		struct node *parent = node->parent;

		lio_obj_unref(node->obj);
		free(node->name);
		free(node->path);
		free(node);
		node = parent;
	}
	return NULL;
}

void nodes_free(struct node **nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		node_unref(nodes[i]);
	free(nodes);
}

struct node *node_root(struct node *node)
{
	while (node->parent)
		node = node->parent;
	return node;
}

int node_children(struct sh *sh, struct node *node, struct node ***children, size_t *n)
{
	*children = NULL;
	*n = 0;
	if (!node->type->list)
		return 0;
	return node->type->list(sh, node, children, n);
}

int node_child_count(struct sh *sh, struct node *node, size_t *n)
{
	struct node **kids;

	if (node->nkids >= 0) {
		*n = (size_t)node->nkids;
		return 0;
	}
	if (node_children(sh, node, &kids, n) < 0)
		return -1;
	nodes_free(kids, *n);
	return 0;
}

int node_child(struct sh *sh, struct node *node, const char *name, struct node **child)
{
	struct node **kids;
	size_t n;
	int r;

	*child = NULL;
	if (node->type->lookup)
		return node->type->lookup(sh, node, name, child);
	r = node_children(sh, node, &kids, &n);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(kids[i]->name, name) == 0) {
			*child = node_ref(kids[i]);
			r = 0;
			break;
		}
	}
	nodes_free(kids, n);
	return r;
}

int node_summary(struct sh *sh, struct node *node, char **text, enum health *health)
{
	*text = NULL;
	*health = H_NONE;
	if (node->type->summary && node->type->summary(sh, node, text, health) < 0) {
		/* a node that cannot be read shows why instead of failing ls */
		free(*text);
		*text = strdup(sh->err ? sh->err : "ERROR");
		*health = H_BAD;
	}
	if (!*text)
		*text = strdup("");
	return *text ? 0 : -ENOMEM;
}

static bool cmd_avail(struct sh *sh, struct node *node, const struct cmd *c)
{
	return !c->avail || c->avail(sh, node);
}

const struct cmd *node_command(struct sh *sh, struct node *node, const char *name)
{
	for (const struct cmd *c = node->type->cmds; c && c->name; c++)
		if (strcmp(c->name, name) == 0 && cmd_avail(sh, node, c))
			return c;
	for (const struct cmd *c = common_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0 && cmd_avail(sh, node, c))
			return c;
	return NULL;
}

static int cmd_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct cmd *const *)a)->name, (*(const struct cmd *const *)b)->name);
}

size_t node_commands(struct sh *sh, struct node *node, const struct cmd **cmds, size_t max)
{
	size_t n = 0;

	for (const struct cmd *c = node->type->cmds; c && c->name && n < max; c++)
		if (cmd_avail(sh, node, c))
			cmds[n++] = c;
	for (const struct cmd *c = common_cmds; c->name && n < max; c++) {
		if (node_command(sh, node, c->name) == c)
			cmds[n++] = c;
	}
	qsort(cmds, n, sizeof(*cmds), cmd_cmp);
	return n;
}

size_t node_groups(struct sh *sh, struct node *node, const struct group **groups, size_t max)
{
	size_t n = 0;

	if (max)
		groups[n++] = &global_group;
	for (const struct group *const *g = node->type->groups; g && *g && n < max; g++)
		if (!(*g)->avail || (*g)->avail(sh, node))
			groups[n++] = *g;
	return n;
}

const struct group *node_group(struct sh *sh, struct node *node, const char *name)
{
	const struct group *groups[16];
	size_t n = node_groups(sh, node, groups, 16);

	for (size_t i = 0; i < n; i++)
		if (strcmp(groups[i]->name, name) == 0)
			return groups[i];
	return NULL;
}

/*
 * configshell's sorting key: (text before the trailing digits, their value),
 * so lun2 sorts before lun10.
 */
static int natural_cmp(const void *a, const void *b)
{
	const char *x = (*(struct node *const *)a)->name;
	const char *y = (*(struct node *const *)b)->name;
	size_t lx = strlen(x), ly = strlen(y), dx = lx, dy = ly;
	int r;

	while (dx > 0 && isdigit((unsigned char)x[dx - 1]))
		dx--;
	while (dy > 0 && isdigit((unsigned char)y[dy - 1]))
		dy--;
	/* compare the prefixes as strings, then the numbers */
	size_t m = dx < dy ? dx : dy;
	r = strncmp(x, y, m);
	if (r)
		return r;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	{
		unsigned long long nx = dx < lx ? strtoull(x + dx, NULL, 10) : 0;
		unsigned long long ny = dy < ly ? strtoull(y + dy, NULL, 10) : 0;

		if (nx != ny)
			return nx < ny ? -1 : 1;
	}
	return strcmp(x, y);
}

void nodes_sort(struct node **nodes, size_t n)
{
	if (n > 1)
		qsort(nodes, n, sizeof(*nodes), natural_cmp);
}
