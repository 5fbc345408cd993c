// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by the node types. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nodes.h"
#include "strv.h"

int nodes_push(struct node ***v, size_t *n, struct node *child)
{
	struct node **nv;

	if (!child)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv) {
		node_unref(child);
		return -ENOMEM;
	}
	nv[(*n)++] = child;
	*v = nv;
	return 0;
}

struct node *node_for(const struct node_type *type, struct node *parent, const char *name,
		      struct lio_obj *obj)
{
	struct node *n = node_new(type, parent, name, obj);

	if (!n)
		lio_obj_unref(obj);
	return n;
}

long parse_tagged(const char *text, const char *prefix)
{
	size_t plen = strlen(prefix);
	char *end;
	long v;

	if (!text)
		return -1;
	if (strncasecmp(text, prefix, plen) == 0)
		text += plen;
	if (!*text)
		return -1;
	v = strtol(text, &end, 10);
	if (*end || v < 0)
		return -1;
	return v;
}

void complete_child_name(struct sh *sh, struct node *node, const struct args *args,
			 const char *text, struct strv *out)
{
	struct node **kids;
	size_t n;

	(void)args;
	if (node_children(sh, node, &kids, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		strv_add_prefixed(out, kids[i]->name, text);
	nodes_free(kids, n);
}

long obj_attr_long(struct lio_obj *obj, const char *group, const char *name)
{
	char *v = NULL;
	long r = 0;

	if (lio_attr_get(obj, group, name, &v) == 0 && v)
		r = strtol(v, NULL, 10);
	free(v);
	return r;
}

bool obj_has_auth(struct lio_obj *obj, enum lio_auth_key k)
{
	char *v = NULL;
	bool set = lio_auth_get(obj, k, &v) == 0 && v && *v;

	free(v);
	return set;
}

void join_list(char *buf, size_t len, const char *item)
{
	if (*buf)
		strncat(buf, ", ", len - strlen(buf) - 1);
	strncat(buf, item, len - strlen(buf) - 1);
}
