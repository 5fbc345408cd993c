/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ALUA target port groups of a storage object: <so>/alua/<name>. */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "private.h"

#define ALUA_DEFAULT_GROUP "default_tg_pt_gp"
#define ALUA_ID_MAX 65535

static const struct lio_obj_ops alua_ops = {
	.kind = LIO_KIND_ALUA_TPG,
};

/* The kernel shows these two as text but takes the number on write. */
static const char *const access_types[] = {
	"None", "Implicit", "Explicit", "Implicit and Explicit",
};
static const char *const access_statuses[] = {
	"None", "Altered by Explicit STPG", "Altered by Implicit ALUA",
};

static bool valid_name(const char *name)
{
	return name && *name && !strpbrk(name, "/\n\r") && strcmp(name, ".") &&
	       strcmp(name, "..");
}

static int alua_alloc(struct lio_so *so, const char *name, struct lio_alua_tpg **out)
{
	_cleanup_free_ char *dir = lio_strdupf("%s/alua", so->obj.path);
	struct lio_alua_tpg *tpg;

	if (!dir)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	/* Built under <so>/alua, yet holding the object itself as parent. */
	tpg = lio_obj_alloc(so->obj.ctx, &alua_ops, sizeof(*tpg), NULL, dir, name);
	if (!tpg)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	tpg->obj.parent = lio_obj_ref(&so->obj);
	*out = tpg;
	return 0;
}

int lio_alua_tpg_create(struct lio_so *so, const char *name, unsigned id,
			struct lio_alua_tpg **out)
{
	struct lio_ctx *ctx = so->obj.ctx;
	_cleanup_free_ char *idfile = NULL;
	struct lio_alua_tpg *tpg;
	char buf[16];
	int r;

	if (!lio_so_alua_supported(so))
		return lio_err(ctx, -EOPNOTSUPP, "Backend does not support ALUA setup");
	if (id < 1 || id > ALUA_ID_MAX)
		return lio_err(ctx, -ERANGE, "The TPG Tag must be between 1 and %d", ALUA_ID_MAX);
	if (!valid_name(name))
		return lio_err(ctx, -EINVAL, "Invalid ALUA group name");
	r = alua_alloc(so, name, &tpg);
	if (r < 0)
		return r;
	if (lio_path_exists(tpg->obj.path)) {
		lio_alua_tpg_unref(tpg);
		return lio_err(ctx, -EEXIST, "ALUA group %s already exists", name);
	}
	r = lio_mkdir(ctx, tpg->obj.path);
	if (r < 0) {
		lio_alua_tpg_unref(tpg);
		return r;
	}
	idfile = lio_strdupf("%s/tg_pt_gp_id", tpg->obj.path);
	snprintf(buf, sizeof(buf), "%u", id);
	r = idfile ? lio_write_file(ctx, idfile, buf) : -ENOMEM;
	if (r < 0) {
		rmdir(tpg->obj.path);
		lio_alua_tpg_unref(tpg);
		/* The kernel refuses an id another group of the object has. */
		return lio_err(ctx, r, "Cannot set id to %u: %s", id, strerror(-r));
	}
	*out = tpg;
	return 0;
}

int lio_alua_tpg_lookup(struct lio_so *so, const char *name, struct lio_alua_tpg **out)
{
	struct lio_alua_tpg *tpg;
	int r;

	if (!valid_name(name))
		return lio_err(so->obj.ctx, -ENOENT, "Invalid ALUA group name");
	r = alua_alloc(so, name, &tpg);
	if (r < 0)
		return r;
	if (!lio_is_dir(tpg->obj.path)) {
		lio_alua_tpg_unref(tpg);
		return lio_err(so->obj.ctx, -ENOENT, "No ALUA group named %s", name);
	}
	*out = tpg;
	return 0;
}

/* lio_make_fn: every directory of <so>/alua is a group. */
static int alua_make(void *arg, const char *name, struct lio_obj **obj)
{
	struct lio_alua_tpg *tpg = NULL;
	int r = alua_alloc(arg, name, &tpg);

	if (r < 0)
		return r;
	*obj = &tpg->obj;
	return 0;
}

int lio_alua_tpg_list(struct lio_so *so, struct lio_alua_tpg ***out, size_t *nout)
{
	_cleanup_free_ char *dir = NULL;

	*out = NULL;
	*nout = 0;
	/* Unsupported backends show none, as in targetcli. */
	if (!lio_so_alua_supported(so))
		return 0;
	dir = lio_strdupf("%s/alua", so->obj.path);
	if (!dir)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	/* Every object has alua/ (unlike acls/ or np/): missing, the object is gone. */
	if (!lio_is_dir(dir))
		return lio_err(so->obj.ctx, -ENOENT, "Cannot list %s: %s", dir, strerror(ENOENT));
	return lio_list_objs(so->obj.ctx, dir, NULL, alua_make, so, out, nout);
}

int lio_alua_tpg_delete(struct lio_alua_tpg *tpg)
{
	if (!strcmp(tpg->obj.name, ALUA_DEFAULT_GROUP))
		return lio_err(tpg->obj.ctx, -EPERM, "Can not delete %s", ALUA_DEFAULT_GROUP);
	if (!lio_obj_exists(&tpg->obj))
		return lio_err(tpg->obj.ctx, -ENOENT, "No ALUA group named %s", tpg->obj.name);
	/* The kernel moves the group's LUNs back to the default group. */
	return lio_rmdir(tpg->obj.ctx, tpg->obj.path);
}

struct lio_alua_tpg *lio_alua_tpg_unref(struct lio_alua_tpg *tpg)
{
	return (struct lio_alua_tpg *)lio_obj_unref(lio_obj(tpg));
}

const char *lio_alua_tpg_name(const struct lio_alua_tpg *tpg)
{
	return tpg->obj.name;
}

static int text_index(const char *const *table, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i], text))
			return (int)i;
	return -1;
}

int lio_alua_tpg_get_int(struct lio_alua_tpg *tpg, const char *key, long long *value)
{
	_cleanup_free_ char *text = NULL;
	long long v;
	char *end;
	int r;

	r = lio_attr_get(&tpg->obj, NULL, key, &text);
	if (r < 0)
		return r;
	if (!strcmp(key, "alua_access_type"))
		v = text_index(access_types, ARRAY_SIZE(access_types), text);
	else if (!strcmp(key, "alua_access_status"))
		v = text_index(access_statuses, ARRAY_SIZE(access_statuses), text);
	else {
		errno = 0;
		v = strtoll(text, &end, 0);
		if (errno || end == text || *end)
			v = -1;
		else {
			*value = v;
			return 0;
		}
	}
	if (v < 0)
		return lio_err(tpg->obj.ctx, -EINVAL, "Unexpected %s value '%s' in ALUA group %s",
			       key, text, tpg->obj.name);
	*value = v;
	return 0;
}

int lio_alua_tpg_set_int(struct lio_alua_tpg *tpg, const char *key, long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	return lio_attr_set(&tpg->obj, NULL, key, buf);
}
