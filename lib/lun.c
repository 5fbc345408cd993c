/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * TPG LUNs: <tpg>/lun/lun_<N>, holding one symlink (the alias) to the
 * storage object's configfs directory.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

static int lun_remove(struct lio_obj *obj)
{
	return lio_lun_delete((struct lio_lun *)obj);
}

static const struct lio_obj_ops lun_ops = {
	.kind = LIO_KIND_LUN,
	.remove = lun_remove,
};

static struct lio_tpg *lun_tpg(const struct lio_lun *lun)
{
	return (struct lio_tpg *)lun->obj.parent;
}

static int check_lun(struct lio_lun *lun)
{
	if (lio_is_dir(lun->obj.path))
		return 0;
	return lio_err(lun->obj.ctx, -ENOENT, "No LUN %u in TPG %u", lun->index,
		       lun_tpg(lun)->tag);
}

/* Readers try first and explain a failure after (one stat less per value). */
static int explain(struct lio_lun *lun, int r)
{
	if (r == -ENOENT && check_lun(lun) < 0)
		return -ENOENT;
	return r;
}

int lio_first_link(struct lio_ctx *ctx, const char *dir, char **name, char **resolved)
{
	char real[PATH_MAX];
	int r;

	r = lio_dir_first_link(dir, ctx && lio_root_is_configfs(ctx), name,
			       resolved ? real : NULL);
	if (r == -ENOLINK)
		return lio_err(ctx, -ENOLINK, "No link in %s", dir);
	if (r == -ENOMEM)
		return lio_err(ctx, r, "Out of memory");
	if (r < 0)
		return lio_err(ctx, r, "Cannot list %s: %s", dir, strerror(-r));
	if (!resolved)
		return 0;
	/* a link whose object is gone is broken, as realpath() would say */
	if (access(real, F_OK) < 0) {
		if (name) {
			free(*name);
			*name = NULL;
		}
		return lio_err(ctx, -ENOLINK, "Broken link in %s", dir);
	}
	*resolved = strdup(real);
	if (!*resolved) {
		if (name) {
			free(*name);
			*name = NULL;
		}
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	return 0;
}

static int lun_new(struct lio_tpg *tpg, unsigned index, struct lio_lun **out)
{
	_cleanup_free_ char *dir = lio_strdupf("%s/lun", tpg->obj.path);
	char name[32];
	struct lio_lun *lun = NULL;

	if (!dir)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	snprintf(name, sizeof(name), "lun_%u", index);
	lun = lio_obj_alloc_under(tpg->obj.ctx, &lun_ops, sizeof(*lun), &tpg->obj, dir,
				  name);
	if (!lun)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	lun->index = index;
	*out = lun;
	return 0;
}

/* lio_make_fn: lun_<N> directories of the TPG @arg. */
static int lun_make(void *arg, const char *name, struct lio_obj **obj)
{
	unsigned long long index;
	struct lio_lun *lun = NULL;
	int r;

	if (lio_parse_uint(name + strlen("lun_"), UINT_MAX, &index) < 0)
		return 1;
	r = lun_new(arg, (unsigned)index, &lun);
	if (r < 0)
		return r;
	*obj = &lun->obj;
	return 0;
}

int lio_lun_indexes(struct lio_tpg *tpg, unsigned **indexes, size_t *n)
{
	_cleanup_free_ char *dir = lio_strdupf("%s/lun", tpg->obj.path);

	*indexes = NULL;
	*n = 0;
	if (!dir)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	return lio_lun_numbers(tpg->obj.ctx, dir, indexes, n);
}

int lio_lun_list(struct lio_tpg *tpg, struct lio_lun ***list, size_t *n)
{
	_cleanup_free_ char *dir = NULL;
	int r;

	*list = NULL;
	*n = 0;
	r = lio_tpg_check(tpg);
	if (r < 0)
		return r;
	dir = lio_strdupf("%s/lun", tpg->obj.path);
	if (!dir)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	return lio_list_objs(tpg->obj.ctx, dir, "lun_", lun_make, tpg, list, n);
}

/* The smallest free LUN number, from the numbers alone. */
static int free_lun_number(struct lio_tpg *tpg, long *index)
{
	unsigned *v;
	size_t n;
	int r = lio_lun_indexes(tpg, &v, &n);

	if (r < 0)
		return r;
	*index = lio_first_free_index(v, n, LIO_LUN_MAX);
	free(v);
	if (*index < 0)
		return lio_err(tpg->obj.ctx, -ENOSPC, "All LUNs 0-%d in use", LIO_LUN_MAX);
	return 0;
}

/*
 * For a storage object exported somewhere already: choose a free index
 * (*index < 0) or check that *index is free, and check that no LUN of the
 * TPG uses @so (at @so_real) yet.
 */
static int pick_index(struct lio_tpg *tpg, struct lio_so *so, long *index)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	struct lio_lun **luns;
	char so_real[PATH_MAX];
	unsigned *numbers;
	size_t n;
	int r;

	if (lio_path_normalize(so->obj.path, so_real) < 0)
		return lio_err(ctx, -ENOENT, "Storage object %s/%s does not exist",
			       lio_plugin_name(so->plugin), so->obj.name);
	r = lio_lun_list(tpg, &luns, &n);
	if (r < 0)
		return r;
	numbers = malloc((n ? n : 1) * sizeof(*numbers));
	if (!numbers) {
		lio_list_free(luns, n);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	for (size_t j = 0; j < n; j++)
		numbers[j] = luns[j]->index;
	if (*index < 0) {
		*index = lio_first_free_index(numbers, n, LIO_LUN_MAX);
		if (*index < 0)
			r = lio_err(ctx, -ENOSPC, "All LUNs 0-%d in use", LIO_LUN_MAX);
	} else {
		for (size_t j = 0; j < n && r == 0; j++)
			if (numbers[j] == (unsigned long)*index)
				r = lio_err(ctx, -EEXIST, "LUN %ld already exists", *index);
	}
	free(numbers);
	/* One LUN per storage object and TPG, as targetcli allows. */
	for (size_t j = 0; j < n && r == 0; j++) {
		_cleanup_free_ char *real = NULL;

		if (lio_first_link(NULL, luns[j]->obj.path, NULL, &real) == 0 &&
		    !strcmp(real, so_real))
			r = lio_err(ctx, -EBUSY, "lun for storage object %s/%s already exists",
				    lio_plugin_name(so->plugin), so->obj.name);
	}
	lio_list_free(luns, n);
	return r;
}

/*
 * The TPG's LUNs are read only to find the object exported twice; for an
 * object the kernel counts as exported nowhere (or one allowed to be
 * shared) a number is chosen from the numbers alone, and a given one is
 * left to mkdir, which finds it taken.
 */
static int choose_index(struct lio_tpg *tpg, struct lio_so *so, unsigned flags, long *index)
{
	if (!(flags & LIO_LUN_SHARE_SO) && lio_so_export_count(so) != 0)
		return pick_index(tpg, so, index);
	return *index < 0 ? free_lun_number(tpg, index) : 0;
}

static bool valid_alias(const char *alias)
{
	return *alias && !strchr(alias, '/') && strcmp(alias, ".") && strcmp(alias, "..");
}

int lio_lun_create(struct lio_tpg *tpg, struct lio_so *so, long index,
		   const char *alias, struct lio_lun **out)
{
	return lio_lun_create_flags(tpg, so, index, alias, 0, out);
}

int lio_lun_create_flags(struct lio_tpg *tpg, struct lio_so *so, long index,
			 const char *alias, unsigned flags, struct lio_lun **out)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	_cleanup_free_ char *link = NULL, *luns_dir = lio_strdupf("%s/lun", tpg->obj.path);
	bool chosen = index < 0, retried = false, keep;
	struct lio_dir_key before;
	char gen[11];
	struct lio_lun *lun = NULL;
	int r;

	if (!luns_dir)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (index > LIO_LUN_MAX)
		return lio_err(ctx, -ERANGE, "LUN index %ld out of range 0-%d", index,
			       LIO_LUN_MAX);
	if (alias && !valid_alias(alias))
		return lio_err(ctx, -EINVAL, "Invalid LUN alias '%s'", alias);
	if (!lio_is_dir(so->obj.path))
		return lio_err(ctx, -ENOENT, "Storage object %s/%s does not exist",
			       lio_plugin_name(so->plugin), so->obj.name);
	r = choose_index(tpg, so, flags, &index);
	if (r < 0)
		return r;
	if (!alias) {
		r = lio_gen_alias(gen);
		if (r < 0)
			return lio_err(ctx, r, "Cannot generate an alias: %s", strerror(-r));
		alias = gen;
	}
again:
	if (retried) {
		r = choose_index(tpg, so, flags, &index);
		if (r < 0)
			return r;
	}
	r = lun_new(tpg, (unsigned)index, &lun);
	if (r < 0)
		return r;
	free(link);
	link = lio_strdupf("%s/%s", lun->obj.path, alias);
	if (!link) {
		lio_lun_unref(lun);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	keep = lio_lun_cache_before(ctx, luns_dir, &before);
	r = lio_mkdir(ctx, lun->obj.path);
	if (r == -EEXIST && chosen && !retried) {
		/* the remembered numbers were wrong: once more from a listing */
		lio_lun_cache_forget(ctx, luns_dir);
		lio_lun_unref(lun);
		lun = NULL;
		index = -1;
		retried = true;
		goto again;
	}
	if (r == -EEXIST) {
		lio_lun_unref(lun);
		return lio_err(ctx, r, "LUN %ld already exists", index);
	}
	if (r < 0) {
		lio_lun_unref(lun);
		return lio_err(ctx, r, "Cannot create LUN %ld: %s", index, strerror(-r));
	}
	if (keep)
		lio_lun_cache_note(ctx, luns_dir, &before, (unsigned)index, -1, true);
	r = lio_symlink(ctx, so->obj.path, link);
	if (r < 0) {
		/* The link's message is the useful one; undo the mkdir quietly. */
		rmdir(lun->obj.path);
		lio_lun_cache_forget(ctx, luns_dir);
		lio_lun_unref(lun);
		return r;
	}
	*out = lun;
	return 0;
}

int lio_lun_handle(struct lio_tpg *tpg, unsigned index, struct lio_lun **lun)
{
	return lun_new(tpg, index, lun);
}

int lio_lun_lookup(struct lio_tpg *tpg, unsigned index, struct lio_lun **out)
{
	struct lio_lun *lun = NULL;
	int r = lun_new(tpg, index, &lun);

	if (r < 0)
		return r;
	r = check_lun(lun);
	if (r < 0) {
		lio_lun_unref(lun);
		return r;
	}
	*out = lun;
	return 0;
}

/* Remove every symlink of @dir (a LUN or mapped LUN has one, its alias). */
int lio_unlink_links(struct lio_ctx *ctx, const char *dir)
{
	char **names;
	size_t n;
	int r;

	r = lio_list_dir(ctx, dir, NULL, false, &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r >= 0; i++) {
		_cleanup_free_ char *p = lio_strdupf("%s/%s", dir, names[i]);

		r = p ? lio_unlink(ctx, p) : lio_err(ctx, -ENOMEM, "Out of memory");
	}
	lio_strv_free(names, n);
	return r < 0 ? r : 0;
}

int lio_lun_delete(struct lio_lun *lun)
{
	struct lio_ctx *ctx = lun->obj.ctx;
	_cleanup_free_ char *luns_dir = lio_strdupf("%s/lun", lun_tpg(lun)->obj.path);
	struct lio_dir_key before;
	bool keep;
	int r;

	if (!luns_dir)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = check_lun(lun);
	if (r < 0)
		return r;
	r = lio_tpg_delete_mapped_luns_to(lun_tpg(lun), lun->obj.path, false);
	if (r < 0)
		return r;
	r = lio_unlink_links(ctx, lun->obj.path);
	if (r < 0)
		return r;
	keep = lio_lun_cache_before(ctx, luns_dir, &before);
	r = lio_rmdir(ctx, lun->obj.path);
	if (r == -EBUSY) {
		/*
		 * A mapped LUN still links here (configfs refuses to remove a
		 * link's target) that the remembered listings did not show:
		 * every mapped LUN is read, and once more.
		 */
		r = lio_tpg_delete_mapped_luns_to(lun_tpg(lun), lun->obj.path, true);
		if (r < 0)
			return r;
		keep = lio_lun_cache_before(ctx, luns_dir, &before);
		r = lio_rmdir(ctx, lun->obj.path);
	}
	if (r < 0)
		return lio_err(ctx, r, "Cannot delete LUN %u: %s", lun->index, strerror(-r));
	if (keep)
		lio_lun_cache_note(ctx, luns_dir, &before, lun->index, -1, false);
	return 0;
}

struct lio_lun *lio_lun_ref(struct lio_lun *lun)
{
	return (struct lio_lun *)lio_obj_ref(lio_obj(lun));
}

struct lio_lun *lio_lun_unref(struct lio_lun *lun)
{
	lio_obj_unref(lio_obj(lun));
	return NULL;
}

unsigned lio_lun_index(const struct lio_lun *lun)
{
	return lun->index;
}

struct lio_tpg *lio_lun_tpg(const struct lio_lun *lun)
{
	return lun_tpg(lun);
}

int lio_lun_get_so(struct lio_lun *lun, struct lio_so **so)
{
	struct lio_ctx *ctx = lun->obj.ctx;
	_cleanup_free_ char *real = NULL;
	int r;

	r = explain(lun, lio_first_link(ctx, lun->obj.path, NULL, &real));
	if (r == -ENOLINK)
		return lio_err(ctx, r, "LUN %u has a broken storage link", lun->index);
	if (r < 0)
		return r;
	r = lio_so_from_path(ctx, real, so);
	if (r == -EINVAL)
		return lio_err(ctx, -ENOLINK, "LUN %u links to %s, not a storage object",
			       lun->index, real);
	return r;
}

int lio_lun_get_alias(struct lio_lun *lun, char **alias)
{
	struct lio_ctx *ctx = lun->obj.ctx;
	int r;

	r = explain(lun, lio_first_link(ctx, lun->obj.path, alias, NULL));
	if (r == -ENOLINK)
		return lio_err(ctx, r, "LUN %u has a broken storage link", lun->index);
	return r;
}

int lio_lun_get_alua_group(struct lio_lun *lun, char **group)
{
	struct lio_ctx *ctx = lun->obj.ctx;
	_cleanup_free_ char *path = lio_obj_file(&lun->obj, NULL, "alua_tg_pt_gp");
	_cleanup_free_ char *text = NULL;
	const char *v;
	size_t len;
	int r;

	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	/* No file, an unreadable or empty one: the LUN is in no group. */
	if (lio_read_file_quiet(path, &text) < 0) {
		r = check_lun(lun);
		if (r < 0)
			return r;
		return (*group = strdup("")) ? 0 : lio_err(ctx, -ENOMEM, "Out of memory");
	}
	/* First line: "TG Port Alias: <name>". */
	len = strcspn(text, "\n");
	v = memchr(text, ':', len);
	if (!v)
		return (*group = strdup("")) ? 0 : lio_err(ctx, -ENOMEM, "Out of memory");
	for (v++; *v == ' ' || *v == '\t'; v++)
		;
	len = strcspn(v, "\n");
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	*group = strndup(v, len);
	return *group ? 0 : lio_err(ctx, -ENOMEM, "Out of memory");
}

int lio_lun_set_alua_group(struct lio_lun *lun, const char *group)
{
	struct lio_ctx *ctx = lun->obj.ctx;
	_cleanup_free_ char *path = NULL, *cur = NULL;
	int r;

	if (!group || !*group || strchr(group, '\n'))
		return lio_err(ctx, -EINVAL, "Invalid ALUA group name '%s'", group ? group : "");
	r = lio_lun_get_alua_group(lun, &cur);
	if (r < 0)
		return r;
	/*
	 * Pass-through backends may have no ALUA set up (empty file); writing
	 * then crashes older kernels, so rtslib refuses and so do we.
	 */
	if (!*cur)
		return lio_err(ctx, -EOPNOTSUPP,
			       "LUN %u has no ALUA group support", lun->index);
	path = lio_obj_file(&lun->obj, NULL, "alua_tg_pt_gp");
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_write_file(ctx, path, group);
	if (r < 0)
		return lio_err(ctx, r, "Cannot put LUN %u in ALUA group %s: %s", lun->index,
			       group, strerror(-r));
	return 0;
}
