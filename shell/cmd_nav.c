// SPDX-License-Identifier: GPL-2.0-or-later
/* Moving around: ls, cd (with its history), pwd, bookmarks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "prefs.h"

int cmd_ls(struct sh *sh, struct node *node, struct args *a)
{
	struct node *target;
	long long depth;
	char *end;
	int r;

	if (path_resolve(sh, node, a->v[0], &target) < 0)
		return -1;
	if (a->v[1]) {
		depth = strtoll(a->v[1], &end, 10);
		if (end == a->v[1] || *end) {
			node_unref(target);
			return sh_fail(sh, "The tree depth must be a number.");
		}
	} else {
		depth = pref_int(sh->prefs, "tree_max_depth");
	}
	/* 0 is unlimited; configshell shows a negative depth as the node alone */
	r = tree_render(sh, target, depth == 0 ? -1 : depth < 0 ? 0 : depth > 1000 ? 1000 : (int)depth);
	node_unref(target);
	return r;
}

static int history_go(struct sh *sh, struct node *node, int dir)
{
	struct prefs *p = sh->prefs;
	struct node *target = NULL;

	if (p->nhistory == 0)
		history_push(p, node->path);
	if (dir < 0 && p->history_index == 0) {
		pr_info(&sh->pr, "Reached begining of path history.");
		return 0;
	}
	if (dir > 0 && p->history_index + 1 >= p->nhistory) {
		pr_info(&sh->pr, "Reached the end of path history.");
		return 0;
	}
	/* skip entries that no longer exist */
	while (!target) {
		if (dir < 0 && p->history_index == 0)
			break;
		if (dir > 0 && p->history_index + 1 >= p->nhistory)
			break;
		p->history_index += dir;
		if (path_resolve(sh, node, p->history[p->history_index], &target) < 0)
			target = NULL;
	}
	if (!target && path_resolve(sh, node, dir < 0 ? "/" : node->path, &target) < 0)
		return -1;
	pr_info(&sh->pr, "Taking you back to %s.", target->path);
	free(sh->cwd);
	sh->cwd = strdup(target->path);
	node_unref(target);
	prefs_save(p);
	return sh->cwd ? 0 : sh_fail(sh, "Out of memory");
}

int cmd_cd(struct sh *sh, struct node *node, struct args *a)
{
	const char *path = a->v[0];
	struct node *target;

	if (path && strcmp(path, "<") == 0)
		return history_go(sh, node, -1);
	if (path && strcmp(path, ">") == 0)
		return history_go(sh, node, 1);
	/* targetcli-fb opens a full-screen tree picker here; we go to the root */
	if (!path)
		path = "/";
	if (path_resolve(sh, node, path, &target) < 0)
		return -1;
	sh_set_current(sh, target);
	node_unref(target);
	prefs_save(sh->prefs);
	return 0;
}

int cmd_pwd(struct sh *sh, struct node *node, struct args *a)
{
	(void)a;
	pr_line(&sh->pr, "%s", node->path);
	return 0;
}

int cmd_bookmarks(struct sh *sh, struct node *node, struct args *a)
{
	const char *action = a->v[0], *mark = arg_str(a, 1);
	struct prefs *p = sh->prefs;

	if (strcmp(action, "add") == 0 && mark) {
		if (bookmark_get(p, mark))
			return sh_fail(sh, "Bookmark %s already exists.", mark);
		if (bookmark_set(p, mark, node->path) < 0)
			return sh_fail(sh, "Out of memory");
		prefs_save(p);
		pr_info(&sh->pr, "Bookmarked %s as %s.", node->path, mark);
		return 0;
	}
	if (strcmp(action, "del") == 0 && mark) {
		if (bookmark_del(p, mark) < 0)
			return sh_fail(sh, "No such bookmark %s.", mark);
		prefs_save(p);
		pr_info(&sh->pr, "Deleted bookmark %s.", mark);
		return 0;
	}
	if (strcmp(action, "go") == 0 && mark) {
		struct node *target;
		const char *path = bookmark_get(p, mark);

		if (!path)
			return sh_fail(sh, "No such bookmark %s.", mark);
		if (path_resolve(sh, node, path, &target) < 0)
			return -1;
		sh_set_current(sh, target);
		node_unref(target);
		prefs_save(p);
		return 0;
	}
	if (strcmp(action, "show") == 0) {
		pr_raw(&sh->pr, "\nBOOKMARKS\n=========\n\n");
		if (!p->nmarks)
			pr_raw(&sh->pr, "No bookmarks yet.\n");
		for (size_t i = 0; i < p->nmarks; i++) {
			size_t len = strlen(p->marks[i].name);

			pr_line(&sh->pr, "%s", p->marks[i].name);
			for (size_t k = 0; k < len; k++)
				pr_raw(&sh->pr, "-");
			pr_line(&sh->pr, "\n%s%s", p->marks[i].path, i + 1 < p->nmarks ? "\n" : "");
		}
		return 0;
	}
	return sh_fail(sh, "Syntax error, see 'help bookmarks'.");
}

