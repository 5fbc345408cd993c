// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration groups shared by many node types: `global` (prefs), and
 * `attribute`, `parameter`, `auth` backed by liblio on the node's object.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lio.h>

#include "prefs.h"
#include "sh.h"

/* ---- global ----------------------------------------------------------- */

static int global_list(struct sh *sh, struct node *node, struct gparam **params, size_t *n)
{
	struct gparam *g = calloc(pref_count, sizeof(*g));

	(void)node;
	if (!g)
		return sh_fail(sh, "Out of memory");
	for (size_t i = 0; i < pref_count; i++) {
		g[i].name = strdup(pref_defs[i].name);
		g[i].type = pref_defs[i].type;
		g[i].writable = true;
		g[i].desc = pref_defs[i].desc;
	}
	*params = g;
	*n = pref_count;
	return 0;
}

static int global_get(struct sh *sh, struct node *node, const char *param, char **value)
{
	const char *v = pref_get(sh->prefs, param);

	(void)node;
	*value = v ? strdup(v) : NULL;
	return 0;
}

static int global_set(struct sh *sh, struct node *node, const char *param, const char *value)
{
	(void)node;
	if (pref_set(sh->prefs, param, value) < 0)
		return sh_fail(sh, "Out of memory");
	sh_sync_printer(sh);
	if (prefs_save(sh->prefs) < 0 && !sh->prefs->warned) {
		sh->prefs->warned = true;
		pr_warn(&sh->pr, "Could not save preferences in %s.", sh->prefs->dir);
	}
	return 0;
}

const struct group global_group = {
	"global", NULL, global_list, global_get, global_set, NULL,
};

/* ---- attribute / parameter ------------------------------------------- */

static const struct attr_desc *find_desc(const struct attr_desc *d, const char *name)
{
	for (; d && d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int files_list(struct sh *sh, struct node *node, const char *dir,
		      const struct attr_desc *descs, struct gparam **params, size_t *n)
{
	struct lio_attr *attrs;
	struct gparam *g;
	size_t na;

	*params = NULL;
	*n = 0;
	if (!node->obj)
		return 0;
	if (lio_attr_list(node->obj, dir, &attrs, &na) < 0)
		return sh_fail_lio(sh);
	if (!(g = calloc(na + 1, sizeof(*g)))) {
		lio_attrs_free(attrs, na);
		return sh_fail(sh, "Out of memory");
	}
	for (size_t i = 0; i < na; i++) {
		const struct attr_desc *d = find_desc(descs, attrs[i].name);

		g[i].name = strdup(attrs[i].name);
		g[i].type = d ? d->type : T_STRING;
		g[i].writable = attrs[i].writable;
		g[i].desc = d ? d->desc : "";
	}
	lio_attrs_free(attrs, na);
	*params = g;
	*n = na;
	return 0;
}

static bool files_avail(struct sh *sh, struct node *node, const char *dir)
{
	struct lio_attr *attrs;
	size_t n;

	(void)sh;
	if (!node->obj || lio_attr_list(node->obj, dir, &attrs, &n) < 0)
		return false;
	lio_attrs_free(attrs, n);
	return n > 0;
}

static int files_get(struct sh *sh, struct node *node, const char *dir, const char *name,
		     char **value)
{
	if (lio_attr_get(node->obj, dir, name, value) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static int files_set(struct sh *sh, struct node *node, const char *dir, const char *name,
		     const char *value)
{
	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_attr_set(node->obj, dir, name, value ? value : "") < 0)
		return sh_fail_lio(sh);
	return 0;
}

static bool attrib_avail(struct sh *sh, struct node *node)
{
	return files_avail(sh, node, "attrib");
}

static int attrib_list(struct sh *sh, struct node *node, struct gparam **p, size_t *n)
{
	return files_list(sh, node, "attrib", node->type->attr_descs, p, n);
}

static int attrib_get(struct sh *sh, struct node *node, const char *name, char **value)
{
	return files_get(sh, node, "attrib", name, value);
}

static int attrib_set(struct sh *sh, struct node *node, const char *name, const char *value)
{
	return files_set(sh, node, "attrib", name, value);
}

static bool param_avail(struct sh *sh, struct node *node)
{
	return files_avail(sh, node, "param");
}

static int param_list(struct sh *sh, struct node *node, struct gparam **p, size_t *n)
{
	return files_list(sh, node, "param", node->type->param_descs, p, n);
}

static int param_get(struct sh *sh, struct node *node, const char *name, char **value)
{
	return files_get(sh, node, "param", name, value);
}

static int param_set(struct sh *sh, struct node *node, const char *name, const char *value)
{
	return files_set(sh, node, "param", name, value);
}

/* configshell lists groups as they were defined: parameter before attribute */
const struct group parameter_group = {
	"parameter", param_avail, param_list, param_get, param_set, NULL,
};
const struct group attribute_group = {
	"attribute", attrib_avail, attrib_list, attrib_get, attrib_set, NULL,
};

/* ---- auth (CHAP) -------------------------------------------------------- */

static const char *const auth_names[LIO_AUTH_KEYS] = {
	[LIO_AUTH_USERID] = "userid",
	[LIO_AUTH_PASSWORD] = "password",
	[LIO_AUTH_MUTUAL_USERID] = "mutual_userid",
	[LIO_AUTH_MUTUAL_PASSWORD] = "mutual_password",
};

static int auth_key(const char *name)
{
	for (int i = 0; i < LIO_AUTH_KEYS; i++)
		if (strcmp(auth_names[i], name) == 0)
			return i;
	return -1;
}

static bool auth_avail(struct sh *sh, struct node *node)
{
	(void)sh;
	return node->obj && node->fabric && (node->fabric->features & LIO_FEAT_AUTH);
}

static int auth_list(struct sh *sh, struct node *node, struct gparam **params, size_t *n)
{
	/* the order configshell shows them in: sorted by name */
	static const char *const order[] = { "mutual_password", "mutual_userid", "password",
					     "userid" };
	struct gparam *g = calloc(4, sizeof(*g));
	static char desc[4][48];

	(void)node;
	if (!g)
		return sh_fail(sh, "Out of memory");
	for (int i = 0; i < 4; i++) {
		g[i].name = strdup(order[i]);
		g[i].type = T_STRING;
		g[i].writable = true;
		snprintf(desc[i], sizeof(desc[i]), "The %s auth parameter.", order[i]);
		g[i].desc = desc[i];
	}
	*params = g;
	*n = 4;
	return 0;
}

static int auth_get(struct sh *sh, struct node *node, const char *name, char **value)
{
	int k = auth_key(name);

	if (k < 0)
		return sh_fail(sh, "Unknown auth parameter %s", name);
	if (lio_auth_get(node->obj, (enum lio_auth_key)k, value) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static int auth_set(struct sh *sh, struct node *node, const char *name, const char *value)
{
	int k = auth_key(name);

	if (sh_assert_root(sh) < 0)
		return -1;
	if (k < 0)
		return sh_fail(sh, "Unknown auth parameter %s", name);
	if (lio_auth_set(node->obj, (enum lio_auth_key)k, value ? value : "") < 0)
		return sh_fail_lio(sh);
	return 0;
}

const struct group auth_group = {
	"auth", auth_avail, auth_list, auth_get, auth_set, NULL,
};

/* dump()'s chap_* keys, sorted, for the ones that are set. */
void info_chap(struct sh *sh, struct lio_obj *obj)
{
	static const struct {
		const char *key;
		enum lio_auth_key k;
	} keys[] = {
		{ "chap_mutual_password", LIO_AUTH_MUTUAL_PASSWORD },
		{ "chap_mutual_userid", LIO_AUTH_MUTUAL_USERID },
		{ "chap_password", LIO_AUTH_PASSWORD },
		{ "chap_userid", LIO_AUTH_USERID },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *v = NULL;

		if (lio_auth_get(obj, keys[i].k, &v) == 0 && v && *v)
			pr_info(&sh->pr, "%s: %s", keys[i].key, v);
		free(v);
	}
}
