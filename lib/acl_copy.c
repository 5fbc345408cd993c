/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An ACL joining a tag takes the settings of the tag's members, so that
 * every initiator of a tag sees the same LUNs with the same credentials.
 */
#include "private.h"

static int copy_group(struct lio_acl *dst, struct lio_acl *src, const char *group)
{
	struct lio_attr *attrs;
	size_t n;
	int r = lio_attr_list(lio_obj(src), group, &attrs, &n);

	for (size_t i = 0; i < n && r >= 0; i++) {
		char *v = NULL, *cur = NULL;

		if (!attrs[i].readable || !attrs[i].writable)
			continue;
		if (lio_attr_get(lio_obj(src), group, attrs[i].name, &v) < 0)
			continue;
		/* Write only what differs: some values cannot be rewritten. */
		if (lio_attr_get(lio_obj(dst), group, attrs[i].name, &cur) < 0 || strcmp(cur, v))
			r = lio_attr_set(lio_obj(dst), group, attrs[i].name, v);
		free(v);
		free(cur);
	}
	lio_attrs_free(attrs, n);
	return r < 0 ? r : 0;
}

static bool has_auth_file(struct lio_acl *acl, enum lio_auth_key key)
{
	_cleanup_free_ char *path = lio_obj_file(&acl->obj, "auth", lio_auth_file(key));

	return path && lio_path_exists(path);
}

int lio_acl_copy_settings(struct lio_acl *dst, struct lio_acl *src)
{
	struct lio_mapped_lun **mine, **theirs;
	size_t nmine, ntheirs;
	int r;

	r = lio_mapped_lun_list(dst, &mine, &nmine);
	if (r < 0)
		return r;
	r = lio_delete_all(mine, nmine);
	if (r < 0)
		return r;
	r = lio_mapped_lun_list(src, &theirs, &ntheirs);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ntheirs && r >= 0; i++) {
		struct lio_mapped_lun *ml = NULL;
		unsigned tpg_lun;
		bool wp = false;

		r = lio_mapped_lun_get_tpg_lun(theirs[i], &tpg_lun);
		if (r >= 0)
			r = lio_mapped_lun_get_write_protect(theirs[i], &wp);
		if (r >= 0)
			r = lio_mapped_lun_create(dst, lio_mapped_lun_index(theirs[i]), tpg_lun, wp,
						  NULL, &ml);
		lio_mapped_lun_unref(ml);
	}
	lio_list_free(theirs, ntheirs);
	/* Fabrics without CHAP (FC, SRP, ...) have no auth files to copy. */
	for (int k = 0; k < LIO_AUTH_KEYS && r >= 0; k++) {
		char *v = NULL;

		if (!has_auth_file(src, (enum lio_auth_key)k))
			continue;
		r = lio_auth_get(lio_obj(src), (enum lio_auth_key)k, &v);
		if (r >= 0)
			r = lio_auth_set(lio_obj(dst), (enum lio_auth_key)k, v);
		free(v);
	}
	if (r >= 0)
		r = copy_group(dst, src, "attrib");
	if (r >= 0)
		r = copy_group(dst, src, "param");
	return r < 0 ? r : 0;
}
