/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mapped LUNs: <acl>/lun_<M>, holding one symlink (the alias) to the TPG's
 * lun/lun_<L>, and a write_protect flag.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

static int mlun_remove(struct lio_obj *obj)
{
	return lio_mapped_lun_delete((struct lio_mapped_lun *)obj);
}

static const struct lio_obj_ops mapped_lun_ops = {
	.kind = LIO_KIND_MAPPED_LUN,
	.remove = mlun_remove,
};

static struct lio_acl *mlun_acl(const struct lio_mapped_lun *mlun)
{
	return (struct lio_acl *)mlun->obj.parent;
}

int lio_mapped_lun_handle(struct lio_acl *acl, unsigned index, struct lio_mapped_lun **out)
{
	struct lio_mapped_lun *mlun = NULL;
	char name[32];

	snprintf(name, sizeof(name), "lun_%u", index);
	mlun = lio_obj_alloc(acl->obj.ctx, &mapped_lun_ops, sizeof(*mlun), &acl->obj, NULL,
			     name);
	if (!mlun)
		return lio_err(acl->obj.ctx, -ENOMEM, "Out of memory");
	mlun->index = index;
	*out = mlun;
	return 0;
}

static int check_mlun(struct lio_mapped_lun *mlun)
{
	if (lio_is_dir(mlun->obj.path))
		return 0;
	return lio_err(mlun->obj.ctx, -ENOENT, "No mapped LUN %u in ACL %s", mlun->index,
		       mlun_acl(mlun)->wwn);
}

/*
 * Readers try first and explain a failure after: a listing reads every
 * mapped LUN, and a stat before each read would be one more system call
 * per value.
 */
static int explain(struct lio_mapped_lun *mlun, int r)
{
	if (r == -ENOENT && check_mlun(mlun) < 0)
		return -ENOENT;
	return r;
}

static int wp_path(struct lio_mapped_lun *mlun, char **path)
{
	*path = lio_obj_file(&mlun->obj, NULL, "write_protect");
	return *path ? 0 : lio_err(mlun->obj.ctx, -ENOMEM, "Out of memory");
}

static int write_wp(struct lio_mapped_lun *mlun, bool wp)
{
	struct lio_ctx *ctx = mlun->obj.ctx;
	_cleanup_free_ char *path = NULL;
	int r = wp_path(mlun, &path);

	if (r < 0)
		return r;
	r = lio_write_file(ctx, path, wp ? "1" : "0");
	if (r < 0)
		return lio_err(ctx, r, "Cannot set write_protect of mapped LUN %u to %d: %s",
			       mlun->index, wp, strerror(-r));
	return 0;
}

int lio_mapped_lun_create(struct lio_acl *acl, unsigned index, unsigned tpg_lun,
			  bool write_protect, const char *alias,
			  struct lio_mapped_lun **out)
{
	struct lio_ctx *ctx = acl->obj.ctx;
	struct lio_tpg *tpg = lio_acl_tpg(acl);
	_cleanup_free_ char *lun_path = NULL, *link = NULL, *wp = NULL;
	struct lio_mapped_lun *mlun = NULL;
	struct lio_dir_key before;
	char gen[11];
	bool keep;
	int r;

	r = lio_acl_check(acl);
	if (r < 0)
		return r;
	if (alias && (!*alias || strchr(alias, '/') || !strcmp(alias, ".") ||
		      !strcmp(alias, "..")))
		return lio_err(ctx, -EINVAL, "Invalid mapped LUN alias '%s'", alias);
	lun_path = lio_strdupf("%s/lun/lun_%u", tpg->obj.path, tpg_lun);
	if (!lun_path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (!lio_is_dir(lun_path))
		return lio_err(ctx, -ENOENT, "LUN %u does not exist in this TPG", tpg_lun);
	if (!alias) {
		r = lio_gen_alias(gen);
		if (r < 0)
			return lio_err(ctx, r, "Cannot generate an alias: %s", strerror(-r));
		alias = gen;
	}
	r = lio_mapped_lun_handle(acl, index, &mlun);
	if (r < 0)
		return r;
	link = lio_strdupf("%s/%s", mlun->obj.path, alias);
	if (!link || wp_path(mlun, &wp) < 0) {
		lio_mapped_lun_unref(mlun);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	/* mkdir itself says when the number is taken: no look first */
	keep = lio_lun_cache_before(ctx, acl->obj.path, &before);
	r = lio_mkdir(ctx, mlun->obj.path);
	if (r == -EEXIST) {
		/* a number chosen from remembered ones: the next look lists */
		lio_lun_cache_forget(ctx, acl->obj.path);
		lio_mapped_lun_unref(mlun);
		return lio_err(ctx, -EEXIST, "Mapped LUN %u already exists in ACL %s", index,
			       acl->wwn);
	}
	if (r < 0) {
		lio_mapped_lun_unref(mlun);
		return lio_err(ctx, r, "Cannot create mapped LUN %u in ACL %s: %s", index,
			       acl->wwn, strerror(-r));
	}
	if (keep)
		lio_lun_cache_note(ctx, acl->obj.path, &before, index, tpg_lun, true);
	r = lio_symlink(ctx, lun_path, link);
	/*
	 * The kernel always has write_protect; without it (not a kernel) only
	 * the default, off, can hold.
	 */
	if (r >= 0) {
		r = write_wp(mlun, write_protect);
		if (r == -ENOENT && !write_protect && !lio_path_exists(wp))
			r = 0;
	}
	if (r < 0) {
		/* Undo quietly: the first message says what failed. */
		unlink(link);
		rmdir(mlun->obj.path);
		lio_lun_cache_forget(ctx, acl->obj.path);
		lio_mapped_lun_unref(mlun);
		return r;
	}
	*out = mlun;
	return 0;
}

int lio_mapped_lun_lookup(struct lio_acl *acl, unsigned index, struct lio_mapped_lun **out)
{
	struct lio_mapped_lun *mlun = NULL;
	int r = lio_mapped_lun_handle(acl, index, &mlun);

	if (r < 0)
		return r;
	r = check_mlun(mlun);
	if (r < 0) {
		lio_mapped_lun_unref(mlun);
		return r;
	}
	*out = mlun;
	return 0;
}

/* lio_make_fn: lun_<M> directories of the ACL @arg. */
static int mlun_make(void *arg, const char *name, struct lio_obj **obj)
{
	unsigned long long index;
	struct lio_mapped_lun *mlun = NULL;
	int r;

	if (lio_parse_uint(name + strlen("lun_"), UINT_MAX, &index) < 0)
		return 1;
	r = lio_mapped_lun_handle(arg, (unsigned)index, &mlun);
	if (r < 0)
		return r;
	*obj = &mlun->obj;
	return 0;
}

int lio_mapped_lun_indexes(struct lio_acl *acl, unsigned **indexes, size_t *n)
{
	return lio_lun_numbers(acl->obj.ctx, acl->obj.path, indexes, n);
}

int lio_mapped_lun_list(struct lio_acl *acl, struct lio_mapped_lun ***list, size_t *n)
{
	int r;

	*list = NULL;
	*n = 0;
	r = lio_acl_check(acl);
	if (r < 0)
		return r;
	return lio_list_objs(acl->obj.ctx, acl->obj.path, "lun_", mlun_make, acl, list, n);
}

int lio_mapped_lun_delete(struct lio_mapped_lun *mlun)
{
	struct lio_ctx *ctx = mlun->obj.ctx;
	const char *acl_path = mlun_acl(mlun)->obj.path;
	struct lio_dir_key before;
	int r = check_mlun(mlun);
	bool keep;

	if (r < 0)
		return r;
	r = lio_unlink_links(ctx, mlun->obj.path);
	if (r < 0)
		return r;
	keep = lio_lun_cache_before(ctx, acl_path, &before);
	r = lio_rmdir(ctx, mlun->obj.path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot delete mapped LUN %u of ACL %s: %s", mlun->index,
			       mlun_acl(mlun)->wwn, strerror(-r));
	if (keep)
		lio_lun_cache_note(ctx, acl_path, &before, mlun->index, -1, false);
	return 0;
}

struct lio_mapped_lun *lio_mapped_lun_unref(struct lio_mapped_lun *mlun)
{
	lio_obj_unref(lio_obj(mlun));
	return NULL;
}

unsigned lio_mapped_lun_index(const struct lio_mapped_lun *mlun)
{
	return mlun->index;
}

struct lio_acl *lio_mapped_lun_acl(const struct lio_mapped_lun *mlun)
{
	return mlun_acl(mlun);
}

int lio_mapped_lun_get_tpg_lun(struct lio_mapped_lun *mlun, unsigned *tpg_lun)
{
	struct lio_ctx *ctx = mlun->obj.ctx;
	struct lio_tpg *tpg = lio_acl_tpg(mlun_acl(mlun));
	_cleanup_free_ char *real = NULL, *luns = NULL;
	char luns_real[PATH_MAX];
	const char *base;
	unsigned long long v;
	size_t len;
	int r = explain(mlun, lio_first_link(ctx, mlun->obj.path, NULL, &real));

	if (r == -ENOLINK)
		return lio_err(ctx, r, "Mapped LUN %u has a broken LUN link", mlun->index);
	if (r < 0)
		return r;
	/* The link must land in this TPG's lun/ directory, as lun_<L>. */
	luns = lio_strdupf("%s/lun", tpg->obj.path);
	if (!luns)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	base = strrchr(real, '/');
	len = base ? (size_t)(base - real) : 0;
	if (!base || lio_path_normalize(luns, luns_real) < 0 || strlen(luns_real) != len ||
	    strncmp(real, luns_real, len) || strncmp(base + 1, "lun_", 4) ||
	    lio_parse_uint(base + 5, UINT_MAX, &v) < 0)
		return lio_err(ctx, -ENOLINK, "Mapped LUN %u has a broken LUN link (%s)",
			       mlun->index, real);
	*tpg_lun = (unsigned)v;
	return 0;
}

int lio_mapped_lun_get_lun(struct lio_mapped_lun *mlun, struct lio_lun **lun)
{
	unsigned index;
	int r = lio_mapped_lun_get_tpg_lun(mlun, &index);

	/* the link was resolved to an existing lun_<N>: no need to look again */
	return r < 0 ? r : lio_lun_handle(lio_acl_tpg(mlun_acl(mlun)), index, lun);
}

int lio_mapped_lun_get_alias(struct lio_mapped_lun *mlun, char **alias)
{
	int r = explain(mlun, lio_first_link(mlun->obj.ctx, mlun->obj.path, alias, NULL));

	if (r == -ENOLINK)
		return lio_err(mlun->obj.ctx, r, "Mapped LUN %u has a broken LUN link",
			       mlun->index);
	return r;
}

int lio_mapped_lun_get_write_protect(struct lio_mapped_lun *mlun, bool *wp)
{
	_cleanup_free_ char *path = NULL;
	int r = wp_path(mlun, &path);

	if (r < 0)
		return r;
	return explain(mlun, lio_read_flag(mlun->obj.ctx, path, wp));
}

int lio_mapped_lun_set_write_protect(struct lio_mapped_lun *mlun, bool wp)
{
	int r = check_mlun(mlun);

	if (r < 0)
		return r;
	return write_wp(mlun, wp);
}
