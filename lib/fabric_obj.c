/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A fabric module's own directory: its groups and its version file. */
#include <stdio.h>

#include "private.h"

static const struct lio_obj_ops fabric_ops = {
	.kind = LIO_KIND_FABRIC,
};

int lio_fabric_obj(struct lio_ctx *ctx, const struct lio_fabric *fabric, struct lio_obj **out)
{
	struct lio_obj *obj;

	*out = NULL;
	if (!lio_fabric_loaded(ctx, fabric))
		return lio_err(ctx, -ENOENT, "Fabric module %s is not loaded", fabric->name);
	obj = lio_obj_alloc(ctx, &fabric_ops, sizeof(*obj), NULL, ctx->root, fabric->dir);
	if (!obj)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	*out = obj;
	return 0;
}

/*
 * iSCSI names the file lio_version, the other fabrics version; which one a
 * fabric has is not worth a table entry when probing both is one stat.
 */
int lio_fabric_version(struct lio_ctx *ctx, const struct lio_fabric *fabric, char **out)
{
	static const char *const names[] = { "lio_version", "version" };
	_cleanup_free_ char *dir = NULL;
	int r;

	*out = NULL;
	r = lio_fabric_dir(ctx, fabric, &dir);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		_cleanup_free_ char *path = lio_strdupf("%s/%s", dir, names[i]);

		if (!path)
			return lio_err(ctx, -ENOMEM, "Out of memory");
		if (lio_path_exists(path))
			return lio_read_file(ctx, path, out);
	}
	return lio_err(ctx, -ENOENT, "Can't find version for fabric module %s", fabric->name);
}
