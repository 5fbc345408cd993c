// SPDX-License-Identifier: GPL-2.0-or-later
/* `ls` rendering, as configshell's ConfigNode._render_tree. */
#include <stdlib.h>
#include <string.h>

#include "lio.h"
#include "memo.h"
#include "prefs.h"
#include "sh.h"

struct margin {
	bool pipes[64];
	size_t n;
};

/* configshell counts the '/' of the path: "/" is 0, "/iscsi" 1, ... */
static int path_level(const char *path)
{
	int level = 0;

	if (!strcmp(path, "/"))
		return 0;
	for (; *path; path++)
		if (*path == '/')
			level++;
	return level;
}

static void render_line(struct sh *sh, struct node *node, const struct margin *m, bool root)
{
	struct tree_line l = {
		.pipes = m->pipes,
		.npipes = m->n ? m->n - 1 : 0,
		.name = node->name,
		.health = -1,
		.level = path_level(node->path),
		.root = root,
		.round = pref_bool(sh->prefs, "tree_round_nodes"),
	};
	enum health health = H_NONE;
	char *desc = NULL;

	if (pref_bool(sh->prefs, "tree_status_mode")) {
		node_summary(sh, node, &desc, &health);
		/* an empty summary shows the health instead */
		if (desc && !*desc) {
			free(desc);
			desc = strdup(health == H_OK ? "OK" : health == H_BAD ? "ERROR" : "...");
		}
		l.desc = desc ? desc : "";
		l.health = (int)health;
	}
	pr_tree_line(&sh->pr, &l);
	free(desc);
}

static int render(struct sh *sh, struct node *node, struct margin *m, int depth, bool root)
{
	struct node **kids;
	size_t n;
	int r = 0;

	if (node_children(sh, node, &kids, &n) < 0) {
		kids = NULL;
		n = 0;
	} else {
		/* The line's summary counts them without listing them again. */
		node->nkids = (long)n;
	}
	nodes_sort(kids, n);
	if (root && !pref_bool(sh->prefs, "tree_show_root")) {
		for (size_t i = 0; i < n && r == 0; i++) {
			struct margin sub = { .pipes = { false }, .n = 1 };

			r = render(sh, kids[i], &sub, depth, false);
		}
		nodes_free(kids, n);
		return r;
	}
	render_line(sh, node, m, root);
	if (depth != 0 && m->n < sizeof(m->pipes) / sizeof(m->pipes[0])) {
		for (size_t i = 0; i < n && r == 0; i++) {
			m->pipes[m->n++] = i + 1 < n;
			r = render(sh, kids[i], m, depth > 0 ? depth - 1 : -1, false);
			m->n--;
		}
	}
	nodes_free(kids, n);
	return r;
}

/* @depth: levels below @root to show, < 0 for all. */
int tree_render(struct sh *sh, struct node *root, int depth)
{
	struct margin m = { .pipes = { false }, .n = 1 };
	struct memo labels = { 0 };
	struct so_memo sos = { 0 };
	int r;

	sh->lun_labels = &labels;
	/* Only where several backstore types show: one type lists its own HBAs. */
	if (!root->parent || !strcmp(root->path, "/backstores"))
		sh->ls_sos = &sos;
	r = render(sh, root, &m, depth, true);
	sh->lun_labels = NULL;
	sh->ls_sos = NULL;
	memo_clear(&labels);
	lio_list_free(sos.list, sos.n);
	return r;
}
