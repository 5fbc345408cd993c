/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Remove the whole configuration, as rtslib's RTSRoot.clear_existing. */
#include <stdio.h>

#include "private.h"

static int delete_targets(struct lio_ctx *ctx, const struct lio_fabric *fabric)
{
	struct lio_target **targets;
	size_t n;
	int r;

	r = lio_target_list(ctx, fabric, &targets, &n);
	return r < 0 ? r : lio_delete_all(targets, n);
}

/* Mutual credentials first, as rtslib; then stop enforcing. */
static int reset_discovery_auth(struct lio_ctx *ctx, const struct lio_fabric *fabric)
{
	static const enum lio_auth_key order[] = {
		LIO_AUTH_MUTUAL_PASSWORD, LIO_AUTH_MUTUAL_USERID,
		LIO_AUTH_PASSWORD, LIO_AUTH_USERID,
	};
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		r = lio_discovery_auth_set(ctx, fabric, order[i], "");
		if (r < 0)
			return r;
	}
	return lio_discovery_auth_set_enforce(ctx, fabric, false);
}

static int delete_storage(struct lio_ctx *ctx)
{
	struct lio_so **sos;
	size_t n;
	int r;

	r = lio_so_list(ctx, -1, &sos, &n);
	return r < 0 ? r : lio_delete_all(sos, n);
}

/* HBA directories (core/<prefix>_<N>) left without a storage object. */
static int delete_leftover_hbas(struct lio_ctx *ctx)
{
	_cleanup_free_ char *core = lio_strdupf("%s/core", ctx->root);
	char **names;
	size_t n;
	int r;

	if (!core)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (!lio_is_dir(core))
		return 0;
	r = lio_list_dir(ctx, core, NULL, true, &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r >= 0; i++) {
		_cleanup_free_ char *p = NULL;

		if (!strchr(names[i], '_'))
			continue; /* core/alua and the like */
		p = lio_strdupf("%s/%s", core, names[i]);
		r = p ? lio_rmdir(ctx, p) : lio_err(ctx, -ENOMEM, "Out of memory");
	}
	lio_strv_free(names, n);
	return r < 0 ? r : 0;
}

int lio_clear(struct lio_ctx *ctx)
{
	int r;

	for (size_t i = 0; i < lio_fabric_count(); i++) {
		r = delete_targets(ctx, lio_fabric_at(i));
		if (r < 0)
			return r;
	}
	/* Only loaded fabrics: clearing must not load modules. */
	for (size_t i = 0; i < lio_fabric_count(); i++) {
		const struct lio_fabric *fabric = lio_fabric_at(i);

		if (!(fabric->features & LIO_FEAT_DISCOVERY_AUTH) ||
		    !lio_fabric_loaded(ctx, fabric))
			continue;
		r = reset_discovery_auth(ctx, fabric);
		if (r < 0)
			return r;
	}
	r = delete_storage(ctx);
	lio_so_index_drop(ctx);
	if (r < 0)
		return r;
	return delete_leftover_hbas(ctx);
}
