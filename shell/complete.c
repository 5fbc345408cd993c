// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Completion, independent of readline: given the line up to the cursor,
 * list the candidates for the word under the cursor (paths, commands,
 * keyword names, parameter values), as configshell's _complete_token_*.
 * A candidate that completes a word ends with ' ' (or '/' for a path with
 * children, '=' for a keyword).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "complete_params.h"
#include "parse.h"
#include "prefs.h"
#include "sh.h"

static void add_bookmarks(struct sh *sh, const char *text, struct strv *out)
{
	for (size_t i = 0; i < sh->prefs->nmarks; i++) {
		char *m;

		if (asprintf(&m, "@%s", sh->prefs->marks[i].name) < 0)
			continue;
		strv_add_prefixed(out, m, text);
		free(m);
	}
}

/* "a/b/c" completes the children of a/b/ whose names start with c. */
static void complete_path_token(struct sh *sh, struct node *cur, const char *text,
				bool iterall, struct strv *out)
{
	const char *slash = strrchr(text, '/');
	char *base = strndup(text, slash ? (size_t)(slash - text + 1) : 0);
	const char *partial = slash ? slash + 1 : text;
	struct node *dir, **kids;
	size_t n;

	if (!base)
		return;
	if (path_resolve(sh, cur, *base ? base : ".", &dir) == 0) {
		struct strv leaves = { 0 };
		const char *end = NULL; /* after each name: a leaf's " ", a branch's "/" */

		if (dir->type->leaf_names && dir->type->leaf_names(sh, dir, partial, &leaves) == 0)
			end = " ";
		else if (dir->type->branch_names &&
			 dir->type->branch_names(sh, dir, partial, &leaves) == 0)
			end = "/";
		if (end) {
			if (iterall && leaves.n > 1 && !*partial)
				strv_addf(out, "%s* ", base);
			for (size_t i = 0; i < leaves.n; i++)
				if (!strncmp(leaves.v[i], partial, strlen(partial)))
					strv_addf(out, "%s%s%s", base, leaves.v[i], end);
		} else if (node_children(sh, dir, &kids, &n) == 0) {
			if (iterall && n > 1 && !*partial)
				strv_addf(out, "%s* ", base);
			for (size_t i = 0; i < n; i++) {
				struct node **grand;
				size_t ng = 0;

				if (strncmp(kids[i]->name, partial, strlen(partial)) != 0)
					continue;
				/* a leaf completes the word; a node with children goes on */
				if (node_children(sh, kids[i], &grand, &ng) == 0)
					nodes_free(grand, ng);
				strv_addf(out, "%s%s%s", base, kids[i]->name, ng ? "/" : " ");
			}
			nodes_free(kids, n);
		}
		strv_clear(&leaves);
		node_unref(dir);
	}
	free(base);
	add_bookmarks(sh, text, out);
}

void complete_node_path(struct sh *sh, struct node *node, const struct args *args,
			const char *text, struct strv *out)
{
	(void)args;
	complete_path_token(sh, node, text, false, out);
}

void complete_command_name(struct sh *sh, struct node *node, const struct args *args,
			   const char *text, struct strv *out)
{
	const struct cmd *cmds[64];
	size_t n = node_commands(sh, node, cmds, 64);

	(void)args;
	for (size_t i = 0; i < n; i++)
		if (strncmp(cmds[i]->name, text, strlen(text)) == 0)
			strv_addf(out, "%s ", cmds[i]->name);
}

void complete_bookmark_action(struct sh *sh, struct node *node, const struct args *args,
			      const char *text, struct strv *out)
{
	static const char *const actions[] = { "add", "del", "go", "show" };

	(void)sh;
	(void)node;
	(void)args;
	for (size_t i = 0; i < 4; i++)
		strv_add_prefixed(out, actions[i], text);
}

void complete_bookmark_name(struct sh *sh, struct node *node, const struct args *args,
			    const char *text, struct strv *out)
{
	(void)node;
	if (args->v[0] && (strcmp(args->v[0], "show") == 0 || strcmp(args->v[0], "add") == 0))
		return;
	for (size_t i = 0; i < sh->prefs->nmarks; i++)
		strv_add_prefixed(out, sh->prefs->marks[i].name, text);
}

void complete_group_name(struct sh *sh, struct node *node, const struct args *args,
			 const char *text, struct strv *out)
{
	const struct group *groups[16];
	size_t n = node_groups(sh, node, groups, 16);

	(void)args;
	for (size_t i = 0; i < n; i++)
		strv_add_prefixed(out, groups[i]->name, text);
}

void complete_bool(struct sh *sh, struct node *node, const struct args *args, const char *text,
		   struct strv *out)
{
	(void)sh;
	(void)node;
	(void)args;
	strv_add_prefixed(out, "true", text);
	strv_add_prefixed(out, "false", text);
}

void complete_file(struct sh *sh, struct node *node, const struct args *args, const char *text,
		   struct strv *out)
{
	const char *slash = strrchr(text, '/');
	char *dirname = slash ? strndup(text, (size_t)(slash - text + 1)) : strdup("");
	const char *base = slash ? slash + 1 : text;
	struct dirent *e;
	DIR *d;

	(void)sh;
	(void)node;
	(void)args;
	if (!dirname)
		return;
	d = opendir(*dirname ? dirname : ".");
	while (d && (e = readdir(d))) {
		struct stat st;
		char *full;

		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (strncmp(e->d_name, base, strlen(base)) != 0)
			continue;
		if (asprintf(&full, "%s%s", dirname, e->d_name) < 0)
			continue;
		if (stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				strv_addf(out, "%s/", full);
			else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
				strv_add(out, full);
		}
		free(full);
	}
	if (d)
		closedir(d);
	free(dirname);
}

/* Values of a parameter of a configuration group (set GROUP key=<TAB>). */
static void complete_group_value(struct sh *sh, struct node *node, const char *gname,
				 const char *key, const char *text, struct strv *out)
{
	const struct group *g = node_group(sh, node, gname);
	struct gparam *params;
	size_t n;

	if (!g || g->list(sh, node, &params, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *const *e;

		if (strcmp(params[i].name, key) != 0 || !(e = ptype_enum(params[i].type)))
			continue;
		for (; *e; e++)
			if (strncmp(*e, text, strlen(text)) == 0)
				strv_addf(out, "%s=%s", key, *e);
	}
	for (size_t i = 0; i < n; i++)
		free(params[i].name);
	free(params);
}

/* Keyword names of a group not yet on the line (set/get GROUP <TAB>). */
static void complete_group_keys(struct sh *sh, struct node *node, const char *gname,
				const struct cmdline *cl, bool for_set, const char *text,
				struct strv *out)
{
	const struct group *g = node_group(sh, node, gname);
	struct gparam *params;
	size_t n;

	if (!g || g->list(sh, node, &params, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		bool given = false;

		if (for_set && !params[i].writable)
			continue;
		for (size_t k = 0; k < cl->nkw; k++)
			if (strcmp(cl->kw[k].key, params[i].name) == 0)
				given = true;
		if (given || strncmp(params[i].name, text, strlen(text)) != 0)
			continue;
		strv_addf(out, for_set ? "%s=" : "%s ", params[i].name);
	}
	for (size_t i = 0; i < n; i++)
		free(params[i].name);
	free(params);
}

static void complete_params(struct sh *sh, struct node *target, const struct cmd *c,
			    const struct cmdline *cl, const char *text, struct strv *out)
{
	size_t nparams = 0, idx = cl->npp;
	struct args a = { .cmd = c };
	const char *eq = strchr(text, '=');

	while (c->params && c->params[nparams].name)
		nparams++;
	for (size_t i = 0; i < cl->npp && i < nparams && i < MAX_PARAMS; i++)
		a.v[i] = cl->pp[i];
	for (size_t k = 0; k < cl->nkw; k++)
		for (size_t i = 0; i < nparams; i++)
			if (strcmp(cl->kw[k].key, c->params[i].name) == 0)
				a.v[i] = cl->kw[k].value;

	/* get/set: the group's own parameters */
	if ((strcmp(c->name, "set") == 0 || strcmp(c->name, "get") == 0) && cl->npp >= 1) {
		bool for_set = strcmp(c->name, "set") == 0;

		if (eq && for_set) {
			char *key = strndup(text, (size_t)(eq - text));

			if (key)
				complete_group_value(sh, target, cl->pp[0], key, eq + 1, out);
			free(key);
		} else {
			complete_group_keys(sh, target, cl->pp[0], cl, for_set, text, out);
		}
		return;
	}
	if (eq) {
		char *key = strndup(text, (size_t)(eq - text));
		struct strv vals = { 0 };

		for (size_t i = 0; key && i < nparams; i++) {
			if (strcmp(c->params[i].name, key) != 0)
				continue;
			if (c->params[i].complete)
				c->params[i].complete(sh, target, &a, eq + 1, &vals);
			else if (ptype_enum(c->params[i].type))
				for (const char *const *e = ptype_enum(c->params[i].type); *e; e++)
					strv_add_prefixed(&vals, *e, eq + 1);
		}
		for (size_t k = 0; k < vals.n; k++)
			strv_addf(out, "%s=%s", key, vals.v[k]);
		strv_clear(&vals);
		free(key);
		return;
	}
	/* positional: the next parameter not given by keyword */
	if (idx < nparams) {
		bool by_kw = false;

		for (size_t k = 0; k < cl->nkw; k++)
			if (strcmp(cl->kw[k].key, c->params[idx].name) == 0)
				by_kw = true;
		if (!by_kw && c->params[idx].complete)
			c->params[idx].complete(sh, target, &a, text, out);
	}
	for (size_t i = idx; i < nparams; i++) {
		bool given = false;

		for (size_t k = 0; k < cl->nkw; k++)
			if (strcmp(cl->kw[k].key, c->params[i].name) == 0)
				given = true;
		if (!given && strncmp(c->params[i].name, text, strlen(text)) == 0)
			strv_addf(out, "%s=", c->params[i].name);
	}
}

int sh_complete(struct sh *sh, const char *line, size_t end, struct strv *out)
{
	size_t start = end;
	char *before, *text;
	struct cmdline cl;
	struct node *cur, *target = NULL;
	bool path_only;

	while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
		start--;
	before = strndup(line, start);
	text = strndup(line + start, end - start);
	if (!before || !text || cmdline_parse(before, &cl) < 0) {
		free(before);
		free(text);
		return -1;
	}
	if (!(cur = sh_current(sh)))
		goto out;
	path_only = cl.path && !cl.command && !cl.npp && !cl.nkw;
	if (cl.ntokens == 0) {
		/* first word: a command of the current node, or a path */
		if (strchr(text, '/') || text[0] == '.' || text[0] == '@' || text[0] == '*') {
			complete_path_token(sh, cur, text, true, out);
		} else {
			complete_command_name(sh, cur, NULL, text, out);
			complete_path_token(sh, cur, text, true, out);
			if (!*text)
				strv_add(out, "/");
		}
	} else if (path_only) {
		char *p = strdup(cl.path);

		if (p && p[0] && p[strlen(p) - 1] == '*')
			p[strlen(p) - 1] = '\0';
		if (p && path_resolve(sh, cur, *p ? p : ".", &target) == 0) {
			if (*p && cl.path[strlen(cl.path) - 1] == '*') {
				/* iterall: commands of the first child */
				struct node **kids;
				size_t n;

				if (node_children(sh, target, &kids, &n) == 0 && n) {
					node_unref(target);
					target = node_ref(kids[0]);
				}
				if (n)
					nodes_free(kids, n);
			}
			complete_command_name(sh, target, NULL, text, out);
		}
		free(p);
	} else if (cl.command) {
		char *p = strdup(cl.path ? cl.path : ".");
		const struct cmd *c;

		if (p && p[0] && p[strlen(p) - 1] == '*')
			p[strlen(p) - 1] = '\0';
		if (p && path_resolve(sh, cur, *p ? p : ".", &target) == 0 &&
		    (c = node_command(sh, target, cl.command)))
			complete_params(sh, target, c, &cl, text, out);
		free(p);
	}
out:
	free(sh->err);
	sh->err = NULL;
	node_unref(target);
	node_unref(cur);
	cmdline_clear(&cl);
	free(before);
	free(text);
	strv_sort(out);
	return 0;
}
