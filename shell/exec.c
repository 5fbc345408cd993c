// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One command line: parse, resolve the target path, find the command,
 * match the parameters to its signature (configshell's assert_params, with
 * its messages) and run it. Interactive, one-shot and batch input all come
 * through sh_run_line().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "prefs.h"
#include "sh.h"

static size_t count_params(const struct cmd *c)
{
	size_t n = 0;

	while (c->params && c->params[n].name)
		n++;
	return n;
}

static int param_index(const struct cmd *c, const char *name)
{
	for (size_t i = 0; c->params && c->params[i].name; i++)
		if (strcmp(c->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "'a', 'b'" from a sorted list; @quote: wrap each in quotes. */
static char *join_names(const char **names, size_t n, bool quote)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 4;
	if (!(s = calloc(1, len)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, ", ");
		if (quote)
			strcat(s, "'");
		strcat(s, names[i]);
		if (quote)
			strcat(s, "'");
	}
	return s;
}

static int fail_names(struct sh *sh, const char *one, const char *many, const char **names,
		      size_t n)
{
	char *list;
	int r;

	qsort(names, n, sizeof(*names), strp_cmp);
	if (n == 1)
		return sh_fail(sh, one, names[0]);
	list = join_names(names, n, true);
	r = sh_fail(sh, many, list ? list : "");
	free(list);
	return r;
}

/* Keyword parameters as a python dict: one entry per key, the last value wins. */
static size_t dedup_kw(const struct kv *kw, size_t nkw, struct kv *out)
{
	size_t n = 0;

	for (size_t i = 0; i < nkw; i++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (strcmp(out[j].key, kw[i].key) == 0)
				break;
		out[j] = kw[i];
		if (j == n)
			n++;
	}
	return n;
}

static int match_params(struct sh *sh, const struct cmd *c, char **pp, size_t npp,
			const struct kv *kw, size_t nkw, struct args *a)
{
	size_t nparams = count_params(c), nopt = 0, nmin, nstd, nmissing = 0, nunexp = 0;
	const char *missing[MAX_PARAMS], **unexp;
	struct kv *extra_kw;
	int r = -1;

	memset(a, 0, sizeof(*a));
	a->cmd = c;
	extra_kw = calloc(nkw + 1, sizeof(*extra_kw));
	unexp = calloc(nkw + 1, sizeof(*unexp));
	if (!extra_kw || !unexp) {
		free(extra_kw);
		free(unexp);
		return sh_fail(sh, "Out of memory");
	}
	for (size_t i = 0; i < nparams; i++)
		if (!c->params[i].required)
			nopt++;
	nmin = nparams - nopt;

	for (size_t i = npp; i < nparams; i++) {
		bool given = false;

		if (!c->params[i].required)
			continue;
		for (size_t k = 0; k < nkw; k++)
			if (strcmp(kw[k].key, c->params[i].name) == 0)
				given = true;
		if (!given)
			missing[nmissing++] = c->params[i].name;
	}
	nstd = npp;
	for (size_t k = 0; k < nkw; k++) {
		bool seen = false;

		for (size_t j = 0; j < k; j++)
			if (strcmp(kw[j].key, kw[k].key) == 0)
				seen = true;
		if (seen)
			continue;
		if (param_index(c, kw[k].key) >= 0)
			nstd++;
		else
			unexp[nunexp++] = kw[k].key;
	}

	if (nmissing) {
		fail_names(sh, "Missing required parameter %s", "Missing required parameters %s",
			   missing, nmissing);
		goto out;
	}
	if (!c->varkw && nunexp) {
		fail_names(sh, "Unexpected keyword parameter '%s'.",
			   "Unexpected keyword parameters %s.", unexp, nunexp);
		goto out;
	}
	for (size_t k = 0; k < nkw; k++) {
		int i = param_index(c, kw[k].key);

		if (i >= 0 && (size_t)i < npp) {
			sh_fail(sh, "Duplicate parameter %s.", kw[k].key);
			goto out;
		}
	}
	if (nopt == 0 && nstd != nmin && !c->varargs) {
		sh_fail(sh, "Got %zu positionnal parameters, expected exactly %zu.", nstd, nmin);
		goto out;
	}
	if (nstd > nparams && !c->varargs) {
		sh_fail(sh, "Got %zu positionnal parameters, expected at most %zu.", nstd, nparams);
		goto out;
	}

	for (size_t i = 0; i < npp && i < nparams; i++)
		a->v[i] = pp[i];
	if (npp > nparams) {
		a->extra = (const char **)pp + nparams;
		a->nextra = npp - nparams;
	}
	{
		struct kv *uniq = calloc(nkw + 1, sizeof(*uniq));
		size_t n;

		if (!uniq) {
			sh_fail(sh, "Out of memory");
			goto out;
		}
		n = dedup_kw(kw, nkw, uniq);
		for (size_t k = 0; k < n; k++) {
			int i = param_index(c, uniq[k].key);

			if (i >= 0)
				a->v[i] = uniq[k].value;
			else
				extra_kw[a->nkw++] = uniq[k];
		}
		free(uniq);
	}
	a->kw = extra_kw;
	extra_kw = NULL;
	r = 0;
out:
	free(extra_kw);
	free(unexp);
	return r;
}

static int run_on(struct sh *sh, struct node *node, const char *name, char **pp, size_t npp,
		  const struct kv *kw, size_t nkw)
{
	const struct cmd *c = node_command(sh, node, name);
	struct args a;
	int r;

	if (!c)
		return sh_fail(sh, "Command not found %s", name);
	if (match_params(sh, c, pp, npp, kw, nkw, &a) < 0)
		return -1;
	r = c->run(sh, node, &a);
	free((void *)a.kw);
	return r;
}

static int run_line(struct sh *sh, const char *line)
{
	struct cmdline cl;
	struct node *cur, *target = NULL;
	const char *command;
	char *path = NULL, *dot[] = { (char *)".", NULL };
	char **pp;
	size_t npp;
	bool iterall = false;
	int r = -1;

	free(sh->err);
	sh->err = NULL;
	while (*line == ' ' || *line == '\t')
		line++;
	/* comment lines: configshell reads them as a harmless `cd .` */
	if (*line == '#' || *line == '\0' || *line == '\n')
		return 0;
	if (cmdline_parse(line, &cl) < 0)
		return sh_fail(sh, "Out of memory");
	path = strdup(cl.path ? cl.path : ".");
	if (!path) {
		cmdline_clear(&cl);
		return sh_fail(sh, "Out of memory");
	}
	if (path[0] && path[strlen(path) - 1] == '*') {
		iterall = true;
		path[strlen(path) - 1] = '\0';
		if (!*path) {
			free(path);
			path = strdup(".");
		}
	}
	command = cl.command;
	pp = cl.pp;
	npp = cl.npp;
	if (!command) {
		if (iterall) {
			command = "ls";
		} else {
			command = "cd";
			pp = dot;
			npp = 1;
		}
	}
	if (!(cur = sh_current(sh)) || !path) {
		sh_fail(sh, "Out of memory");
		goto out;
	}
	if (path_resolve(sh, cur, path, &target) < 0)
		goto out;
	if (!iterall) {
		r = run_on(sh, target, command, pp, npp, cl.kw, cl.nkw);
	} else {
		struct node **kids;
		size_t n;

		if (node_children(sh, target, &kids, &n) < 0) {
			if (!sh->err)
				sh_fail_lio(sh);
			goto out;
		}
		nodes_sort(kids, n);
		r = 0;
		for (size_t i = 0; i < n && r == 0; i++) {
			pr_line(&sh->pr, "[%s]", kids[i]->path);
			r = run_on(sh, kids[i], command, pp, npp, cl.kw, cl.nkw);
		}
		nodes_free(kids, n);
	}
out:
	node_unref(target);
	node_unref(cur);
	free(path);
	cmdline_clear(&cl);
	return r;
}

void sh_set_current(struct sh *sh, struct node *node)
{
	char *p = strdup(node->path);

	if (!p)
		return;
	free(sh->cwd);
	sh->cwd = p;
	history_push(sh->prefs, p);
}

void sh_new_node(struct sh *sh, struct node *node)
{
	bookmark_set(sh->prefs, "last", node->path);
	if (pref_bool(sh->prefs, "auto_cd_after_create")) {
		pr_info(&sh->pr, "Entering new node %s", node->path);
		sh_set_current(sh, node);
	}
	prefs_save(sh->prefs);
}

int sh_run_line(struct sh *sh, const char *line)
{
	int r = run_line(sh, line);

	pr_log_close(&sh->pr);
	return r;
}
