/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Deleting a storage object only when nothing exports it. */
#include "private.h"

int lio_so_delete_unused(struct lio_so *so)
{
	struct lio_ctx *ctx = so->obj.ctx;
	struct lio_lun **luns;
	size_t n;
	int r;

	r = lio_so_luns(so, &luns, &n);
	if (r < 0)
		return r;
	if (n) {
		struct lio_tpg *tpg = lio_lun_tpg(luns[0]);
		struct lio_target *t = lio_tpg_target(tpg);

		r = lio_err(ctx, -EBUSY,
			    "Storage object %s/%s is in use by LUN %u of %s %s tpg %u",
			    lio_plugin_name(so->plugin), so->obj.name, lio_lun_index(luns[0]),
			    lio_target_fabric(t)->name, lio_target_wwn(t), lio_tpg_tag(tpg));
		lio_list_free(luns, n);
		return r;
	}
	lio_list_free(luns, n);
	return lio_so_delete(so);
}
