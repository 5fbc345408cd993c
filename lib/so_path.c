/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one constructor of storage-object handles, shared by so.c (create,
 * lookup, list) and lun.c (a LUN's link target), so both build identical
 * handles from <root>/core/<prefix>_<N>/<name>.
 */
#include <stdio.h>

#include "private.h"

static void so_destroy(struct lio_obj *obj)
{
	free(((struct lio_so *)obj)->hba_path);
}

static int so_remove(struct lio_obj *obj)
{
	return lio_so_delete((struct lio_so *)obj);
}

const struct lio_obj_ops lio_so_ops = {
	.kind = LIO_KIND_SO,
	.destroy = so_destroy,
	.remove = so_remove,
};

int lio_so_alloc(struct lio_ctx *ctx, enum lio_plugin plugin, unsigned hba_index,
		 const char *name, struct lio_so **out)
{
	_cleanup_free_ char *hba_path = NULL;
	const char *prefix = lio_plugin_hba_prefix(plugin);
	struct lio_so *so;

	if (!prefix)
		return lio_err(ctx, -EINVAL, "Unknown storage plugin %d", (int)plugin);
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return lio_err(ctx, -EINVAL, "Invalid storage object name '%s'",
			       name ? name : "");
	hba_path = lio_strdupf("%s/core/%s_%u", ctx->root, prefix, hba_index);
	if (!hba_path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	so = lio_obj_alloc(ctx, &lio_so_ops, sizeof(*so), NULL, hba_path, name);
	if (!so)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	so->plugin = plugin;
	so->hba_index = hba_index;
	so->hba_path = TAKE_PTR(hba_path);
	*out = so;
	return 0;
}

/* Split "<prefix>_<N>" at the last '_' (as rtslib's rsplit("_", 1)). */
static int parse_hba_name(const char *hba, size_t len, enum lio_plugin *plugin,
			  unsigned *index)
{
	char buf[64];
	unsigned long long n;
	char *us;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, hba, len);
	buf[len] = '\0';
	us = strrchr(buf, '_');
	if (!us)
		return -EINVAL;
	*us = '\0';
	if (lio_parse_uint(us + 1, 0xffffffffULL, &n) < 0)
		return -EINVAL;
	for (int p = 0; p < LIO_PLUGINS; p++) {
		const char *prefix = lio_plugin_hba_prefix((enum lio_plugin)p);

		if (prefix && !strcmp(prefix, buf)) {
			*plugin = (enum lio_plugin)p;
			*index = (unsigned)n;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Only the last three components are trusted: @path may be a realpath()
 * (configfs can be reached through a symlinked mount point), so the handle
 * is rebuilt under the context's root rather than from @path's start.
 */
int lio_so_from_path(struct lio_ctx *ctx, const char *path, struct lio_so **so)
{
	_cleanup_free_ char *name = NULL;
	const char *end, *base, *hba, *core;
	enum lio_plugin plugin;
	unsigned index;
	size_t len;

	if (!path)
		return lio_err(ctx, -EINVAL, "No storage object path");
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	end = path + len;
	for (base = end; base > path && base[-1] != '/'; base--)
		;
	hba = core = NULL;
	if (base != end && base != path) {
		for (hba = base - 1; hba > path && hba[-1] != '/'; hba--)
			;
		if (hba == base - 1 || hba == path)
			hba = NULL;
	}
	if (hba) {
		for (core = hba - 1; core > path && core[-1] != '/'; core--)
			;
		if ((size_t)(hba - 1 - core) != 4 || strncmp(core, "core", 4))
			core = NULL;
	}
	if (!core || parse_hba_name(hba, (size_t)(base - 1 - hba), &plugin, &index) < 0)
		return lio_err(ctx, -EINVAL, "%.*s is not a storage object path",
			       (int)len, path);
	name = strndup(base, (size_t)(end - base));
	if (!name)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	return lio_so_alloc(ctx, plugin, index, name, so);
}
