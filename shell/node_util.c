// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by the node types. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nodes.h"

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
