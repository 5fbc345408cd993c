/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Targets: <root>/<fabric dir>/<fabric WWN>. */
#include <stdio.h>
#include <strings.h>

#include "private.h"

static void target_destroy(struct lio_obj *obj)
{
	free(((struct lio_target *)obj)->wwn);
}

static int target_remove(struct lio_obj *obj)
{
	return lio_target_delete((struct lio_target *)obj);
}

static const struct lio_obj_ops target_ops = {
	.kind = LIO_KIND_TARGET,
	.destroy = target_destroy,
	.remove = target_remove,
};

/* Entries of a fabric directory that are not targets. */
static const char *const not_targets[] = {
	"lio_version", "version", "discovery_auth", "cpus_allowed_list", "param", "attrib",
};

void *lio_obj_alloc_under(struct lio_ctx *ctx, const struct lio_obj_ops *ops,
			  size_t size, struct lio_obj *parent, const char *parent_path,
			  const char *name)
{
	struct lio_obj *obj = lio_obj_alloc(ctx, ops, size, NULL, parent_path, name);

	if (obj)
		obj->parent = lio_obj_ref(parent);
	return obj;
}

/* The fabric's first (native) WWN type: the lowest bit of its mask. */
static enum lio_wwn_type native_type(const struct lio_fabric *fabric)
{
	return (enum lio_wwn_type)(fabric->wwn_types & -fabric->wwn_types);
}

/*
 * Normalise for @fabric. Old rtslib versions generated NAA WWNs with a
 * wrong "6" prefix, which the NAA check refuses; rtslib's Target rewrites
 * them to "5" before checking, so do we.
 */
static int target_wwn(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *wwn, char **out)
{
	_cleanup_free_ char *fixed = NULL;

	if (wwn && !strncasecmp(wwn, "naa.6", 5)) {
		fixed = strdup(wwn);
		if (!fixed)
			return lio_err(ctx, -ENOMEM, "Out of memory");
		fixed[4] = '5';
		wwn = fixed;
	}
	return lio_wwn_normalize(ctx, wwn, fabric->wwn_types, out, NULL);
}

static int target_new(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *fabric_path, const char *dir, char *wwn,
		      struct lio_target **out)
{
	struct lio_target *t = lio_obj_alloc(ctx, &target_ops, sizeof(*t), NULL,
					     fabric_path, dir);

	if (!t) {
		free(wwn);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	t->fabric = fabric;
	t->wwn = wwn;
	*out = t;
	return 0;
}

static bool wwn_in(char **list, int n, const char *wwn)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], wwn))
			return true;
	return false;
}

int lio_target_create(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *wwn, struct lio_target **target)
{
	_cleanup_free_ char *norm = NULL, *dir = NULL, *fpath = NULL, *path = NULL;
	int r;

	if (wwn) {
		r = target_wwn(ctx, fabric, wwn, &norm);
		if (r < 0)
			return r;
	} else {
		/* Hardware fabrics name targets after their ports. */
		if (fabric->hw_wwns)
			return lio_err(ctx, -EINVAL,
				       "Fabric %s cannot generate a WWN; one must be given",
				       fabric->name);
		r = lio_wwn_generate(native_type(fabric), &norm);
		if (r < 0)
			return lio_err(ctx, r, "Cannot generate a WWN: %s", strerror(-r));
	}
	r = lio_fabric_wwn_to_dir(fabric, norm, &dir);
	if (r < 0)
		return lio_err(ctx, r, "Cannot name target %s for fabric %s", norm,
			       fabric->name);
	r = lio_fabric_dir(ctx, fabric, &fpath);
	if (r < 0)
		return r;
	path = lio_strdupf("%s/%s", fpath, dir);
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (lio_path_exists(path))
		return lio_err(ctx, -EEXIST, "Target %s already exists", norm);
	if (fabric->hw_wwns) {
		char **hw = NULL;
		int n = fabric->hw_wwns(ctx, &hw);

		/* As targetcli: a warning only, the port may appear later. */
		if (n >= 0 && !wwn_in(hw, n, norm))
			lio_note(ctx, "Hardware missing for this WWN");
		if (n > 0)
			lio_strv_free(hw, (size_t)n);
	}
	r = lio_mkdir(ctx, path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot create target %s: %s", norm, strerror(-r));
	return target_new(ctx, fabric, fpath, dir, TAKE_PTR(norm), target);
}

int lio_target_lookup(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *wwn, struct lio_target **target)
{
	_cleanup_free_ char *norm = NULL, *dir = NULL, *fpath = NULL, *path = NULL;
	int r;

	r = target_wwn(ctx, fabric, wwn, &norm);
	if (r < 0)
		return r;
	r = lio_fabric_wwn_to_dir(fabric, norm, &dir);
	if (r < 0)
		return lio_err(ctx, r, "Cannot name target %s for fabric %s", norm,
			       fabric->name);
	fpath = lio_strdupf("%s/%s", ctx->root, fabric->dir);
	path = fpath ? lio_strdupf("%s/%s", fpath, dir) : NULL;
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (!lio_is_dir(path))
		return lio_err(ctx, -ENOENT, "No such target %s in %s", norm, fabric->name);
	return target_new(ctx, fabric, fpath, dir, TAKE_PTR(norm), target);
}

static bool excluded(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(not_targets); i++)
		if (!strcmp(name, not_targets[i]))
			return true;
	return false;
}

/* What lio_make_fn needs to make a target out of a fabric directory entry. */
struct target_src {
	struct lio_ctx *ctx;
	const struct lio_fabric *fabric;
	const char *fpath;
};

static int target_make(void *arg, const char *name, struct lio_obj **obj)
{
	const struct target_src *src = arg;
	struct lio_target *t = NULL;
	char *wwn;
	int r;

	if (excluded(name))
		return 1;
	r = lio_fabric_wwn_from_dir(src->fabric, name, &wwn);
	if (r == -EINVAL)
		return 1; /* not a name this fabric would make */
	if (r < 0)
		return lio_err(src->ctx, r, "Out of memory");
	r = target_new(src->ctx, src->fabric, src->fpath, name, wwn, &t);
	if (r < 0)
		return r;
	*obj = &t->obj;
	return 0;
}

int lio_target_list(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		    struct lio_target ***list, size_t *n)
{
	_cleanup_free_ char *fpath = lio_strdupf("%s/%s", ctx->root, fabric->dir);
	struct target_src src = { ctx, fabric, fpath };

	*list = NULL;
	*n = 0;
	if (!fpath)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	/* Listing loads nothing: an absent fabric has no targets. */
	return lio_list_objs(ctx, fpath, NULL, target_make, &src, list, n);
}

int lio_target_check(struct lio_target *target)
{
	if (lio_is_dir(target->obj.path))
		return 0;
	return lio_err(target->obj.ctx, -ENOENT, "No such target %s in %s", target->wwn,
		       target->fabric->name);
}

int lio_target_delete(struct lio_target *target)
{
	struct lio_ctx *ctx = target->obj.ctx;
	struct lio_tpg **tpgs;
	size_t n;
	int r;

	r = lio_target_check(target);
	if (r < 0)
		return r;
	r = lio_tpg_list(target, &tpgs, &n);
	if (r == 0)
		r = lio_delete_all(tpgs, n);
	if (r < 0)
		return r;
	r = lio_rmdir(ctx, target->obj.path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot delete target %s: %s", target->wwn,
			       strerror(-r));
	return 0;
}

struct lio_target *lio_target_ref(struct lio_target *target)
{
	return (struct lio_target *)lio_obj_ref(lio_obj(target));
}

struct lio_target *lio_target_unref(struct lio_target *target)
{
	lio_obj_unref(lio_obj(target));
	return NULL;
}

const char *lio_target_wwn(const struct lio_target *target)
{
	return target->wwn;
}

const struct lio_fabric *lio_target_fabric(const struct lio_target *target)
{
	return target->fabric;
}
