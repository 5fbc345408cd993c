// SPDX-License-Identifier: GPL-2.0-or-later
/* get and set on configuration groups, with configshell's layout and messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

static void gparams_free(struct gparam *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].name);
	free(g);
}

static int gparam_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gparam *)a)->name, ((const struct gparam *)b)->name);
}

static int group_params(struct sh *sh, struct node *node, const struct group *g,
			struct gparam **params, size_t *n)
{
	if (g->list(sh, node, params, n) < 0)
		return sh->err ? -1 : sh_fail_lio(sh);
	qsort(*params, *n, sizeof(**params), gparam_cmp);
	return 0;
}

static const struct gparam *find_gparam(const struct gparam *g, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].name, name) == 0)
			return &g[i];
	return NULL;
}

static void list_groups(struct sh *sh, struct node *node)
{
	const struct group *groups[16];
	size_t n = node_groups(sh, node, groups, 16);

	pr_raw(&sh->pr, "\nAVAILABLE CONFIGURATION GROUPS\n==============================\n");
	for (size_t i = 0; i < n; i++) {
		pr_raw(&sh->pr, groups[i]->name);
		pr_raw(&sh->pr, i + 1 < n ? " " : "\n");
	}
}

static void underline(struct sh *sh, const char *text, char c)
{
	size_t len = strlen(text);
	char *u = malloc(len + 1);

	if (!u)
		return;
	memset(u, c, len);
	u[len] = '\0';
	pr_line(&sh->pr, "%s\n%s", text, u);
	free(u);
}

static void group_header(struct sh *sh, const char *name)
{
	char section[128];
	size_t i;

	for (i = 0; name[i] && i < 100; i++)
		section[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
	snprintf(section + i, sizeof(section) - i, " CONFIG GROUP");
	underline(sh, section, '=');
}

static int group_value(struct sh *sh, struct node *node, const struct group *g,
		       const struct gparam *p, char **value)
{
	*value = NULL;
	if (g->get(sh, node, p->name, value) < 0)
		return sh->err ? -1 : sh_fail_lio(sh);
	return 0;
}

/*
 * The group @gname of get/set and its parameters; without @gname, list the
 * groups and return 1 (nothing more to do).
 */
static int group_open(struct sh *sh, struct node *node, const char *gname,
		      const struct group **g, struct gparam **params, size_t *n)
{
	if (!gname) {
		list_groups(sh, node);
		return 1;
	}
	if (!(*g = node_group(sh, node, gname)))
		return sh_fail(sh, "Unknown configuration group: %s", gname);
	if (group_params(sh, node, *g, params, n) < 0)
		return -1;
	return 0;
}

int cmd_get(struct sh *sh, struct node *node, struct args *a)
{
	const char *gname = a->v[0];
	const struct group *g;
	struct gparam *params;
	size_t n;
	int r = 0;

	if ((r = group_open(sh, node, gname, &g, &params, &n)) != 0)
		return r < 0 ? -1 : 0;
	if (a->nextra == 0) {
		group_header(sh, gname);
		for (size_t i = 0; i < n && r == 0; i++) {
			char *v, *line;

			if ((r = group_value(sh, node, g, &params[i], &v)) < 0)
				break;
			if (asprintf(&line, "%s=%s%s", params[i].name, ptype_show(params[i].type, v),
				     params[i].writable ? "" : " [ro]") >= 0) {
				underline(sh, line, '-');
				free(line);
			}
			free(v);
			pr_line(&sh->pr, "%s%s", params[i].desc ? params[i].desc : "",
				i + 1 < n ? "\n" : "");
		}
	}
	for (size_t k = 0; k < a->nextra && r == 0; k++) {
		const struct gparam *p = find_gparam(params, n, a->extra[k]);
		char *v;

		if (!p) {
			r = sh_fail(sh, "No parameter '%s' in group '%s'.", a->extra[k], gname);
			break;
		}
		if ((r = group_value(sh, node, g, p, &v)) < 0)
			break;
		pr_line(&sh->pr, "%s=%s %s", p->name, ptype_show(p->type, v),
			p->writable ? "" : "[ro]");
		free(v);
	}
	gparams_free(params, n);
	return r;
}

int cmd_set(struct sh *sh, struct node *node, struct args *a)
{
	const char *gname = a->v[0];
	const struct group *g;
	struct gparam *params;
	size_t n, shown = 0;
	int r = 0;

	if ((r = group_open(sh, node, gname, &g, &params, &n)) != 0)
		return r < 0 ? -1 : 0;
	if (a->nkw == 0) {
		group_header(sh, gname);
		for (size_t i = 0; i < n; i++) {
			char *line;

			if (!params[i].writable)
				continue;
			if (shown++)
				pr_raw(&sh->pr, "\n");
			if (asprintf(&line, "%s=%s", params[i].name, ptype_name(params[i].type)) >= 0) {
				underline(sh, line, '-');
				free(line);
			}
			pr_line(&sh->pr, "%s", params[i].desc ? params[i].desc : "");
		}
	}
	for (size_t k = 0; k < a->nkw && r == 0; k++) {
		const struct gparam *p = find_gparam(params, n, a->kw[k].key);
		char *v = NULL, *back = NULL;

		if (!p) {
			r = sh_fail(sh, "Unknown parameter %s in group '%s'.", a->kw[k].key, gname);
			break;
		}
		if (!p->writable) {
			r = sh_fail(sh, "Parameter %s is read-only.", p->name);
			break;
		}
		if (ptype_parse(sh, p->type, a->kw[k].value, &v) < 0) {
			char *msg = sh->err;

			sh->err = NULL;
			r = sh_fail(sh, "Not setting %s! %s", p->name, msg ? msg : "");
			free(msg);
			break;
		}
		if (g->set(sh, node, p->name, v) < 0) {
			free(v);
			r = sh->err ? -1 : sh_fail_lio(sh);
			break;
		}
		free(v);
		if ((r = group_value(sh, node, g, p, &back)) < 0)
			break;
		pr_line(&sh->pr, "Parameter %s is now '%s'.", p->name, ptype_show(p->type, back));
		free(back);
	}
	/* once the whole line is applied (a line sets values of one group only) */
	if (r == 0 && a->nkw && g->after_set)
		r = g->after_set(sh, node, a);
	gparams_free(params, n);
	return r;
}

