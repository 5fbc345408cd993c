/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shape every lio_*_list() shares, and deleting what one returned. */
#include "private.h"

int lio_list_objs(struct lio_ctx *ctx, const char *dir, const char *prefix,
		  lio_make_fn make, void *arg, void *list, size_t *n)
{
	struct lio_obj **out = NULL;
	char **names = NULL;
	size_t nnames = 0, count = 0;
	int r;

	*(struct lio_obj ***)list = NULL;
	*n = 0;
	/* Optional groups (acls/, np/, lun/, a fabric) may be absent: nothing in them. */
	if (!lio_is_dir(dir))
		return 0;
	r = lio_list_dir(ctx, dir, prefix, true, &names, &nnames);
	if (r < 0)
		return r;
	out = calloc(nnames ? nnames : 1, sizeof(*out));
	if (!out) {
		r = lio_err(ctx, -ENOMEM, "Out of memory");
		goto out;
	}
	for (size_t i = 0; i < nnames; i++) {
		r = make(arg, names[i], &out[count]);
		if (r < 0)
			goto out;
		if (r == 0)
			count++;
	}
	*(struct lio_obj ***)list = TAKE_PTR(out);
	*n = count;
	r = 0;
out:
	lio_list_free(out, count);
	lio_strv_free(names, nnames);
	return r;
}

int lio_delete_all(void *list, size_t n)
{
	struct lio_obj **objs = list;
	int r = 0;

	if (n)
		lio_bulk_begin(objs[0]->ctx);
	for (size_t i = 0; i < n && r >= 0; i++)
		r = objs[i]->ops->remove(objs[i]);
	if (n)
		lio_bulk_end(objs[0]->ctx);
	lio_list_free(list, n);
	return r < 0 ? r : 0;
}
