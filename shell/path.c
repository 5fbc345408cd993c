// SPDX-License-Identifier: GPL-2.0-or-later
/* Path resolution, as configshell's ConfigNode.get_node. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prefs.h"
#include "sh.h"

extern const struct node_type root_type;

static int step(struct sh *sh, struct node *cur, const char *name, struct node **next)
{
	int r;

	if (strcmp(name, ".") == 0) {
		*next = node_ref(cur);
		return 0;
	}
	if (strcmp(name, "..") == 0) {
		*next = node_ref(cur->parent ? cur->parent : cur);
		return 0;
	}
	r = node_child(sh, cur, name, next);
	if (r == -ENOENT)
		return sh_fail(sh, "No such path %s/%s", cur->parent ? cur->path : "", name);
	if (r < 0)
		return sh->err ? -1 : sh_fail_lio(sh);
	return 0;
}

int path_resolve(struct sh *sh, struct node *from, const char *path, struct node **out)
{
	struct node *cur;
	char *copy, *p, *save = NULL;
	const char *mark;

	*out = NULL;
	if (!path || !*path)
		path = ".";
	if (path[0] == '@') {
		if (!(mark = bookmark_get(sh->prefs, path + 1)))
			return sh_fail(sh, "No such bookmark %s", path + 1);
		path = mark;
	}
	if (!(copy = strdup(path)))
		return sh_fail(sh, "Out of memory");
	cur = node_ref(path[0] == '/' ? node_root(from) : from);
	for (p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		struct node *next;

		if (step(sh, cur, p, &next) < 0) {
			node_unref(cur);
			free(copy);
			return -1;
		}
		node_unref(cur);
		cur = next;
	}
	free(copy);
	*out = cur;
	return 0;
}

struct node *sh_current(struct sh *sh)
{
	struct node *root = node_new(&root_type, NULL, "/", NULL);
	struct node *cur = NULL;
	char *path;

	if (!root)
		return NULL;
	path = strdup(sh->cwd ? sh->cwd : "/");
	/* a deleted current node leaves us in its nearest existing ancestor */
	while (path && path_resolve(sh, root, path, &cur) < 0) {
		char *slash = strrchr(path, '/');

		if (!slash || slash == path) {
			cur = node_ref(root);
			break;
		}
		*slash = '\0';
	}
	free(path);
	if (!cur)
		cur = node_ref(root);
	node_unref(root);
	return cur;
}
