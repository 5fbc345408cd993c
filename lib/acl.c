/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Node ACLs: <tpg>/acls/<initiator WWN in the fabric's format>. */
#include <limits.h>
#include <stdio.h>

#include "private.h"

static void acl_destroy(struct lio_obj *obj)
{
	free(((struct lio_acl *)obj)->wwn);
}

static int acl_remove(struct lio_obj *obj)
{
	return lio_acl_delete((struct lio_acl *)obj);
}

static const struct lio_obj_ops acl_ops = {
	.kind = LIO_KIND_ACL,
	.destroy = acl_destroy,
	.remove = acl_remove,
};

static struct lio_tpg *acl_tpg(const struct lio_acl *acl)
{
	return (struct lio_tpg *)acl->obj.parent;
}

/* Takes @wwn. */
static int acl_new(struct lio_tpg *tpg, const char *dir, char *wwn, struct lio_acl **out)
{
	_cleanup_free_ char *acls = lio_strdupf("%s/acls", tpg->obj.path);
	struct lio_acl *acl = NULL;

	if (acls)
		acl = lio_obj_alloc_under(tpg->obj.ctx, &acl_ops, sizeof(*acl), &tpg->obj,
					  acls, dir);
	if (!acl) {
		free(wwn);
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	}
	acl->wwn = wwn;
	*out = acl;
	return 0;
}

/* Normalised WWN and directory name of an initiator for @tpg's fabric. */
static int acl_names(struct lio_tpg *tpg, const char *wwn, char **norm, char **dir)
{
	const struct lio_fabric *fabric = lio_tpg_fabric(tpg);
	struct lio_ctx *ctx = tpg->obj.ctx;
	int r;

	if (!(fabric->features & LIO_FEAT_ACLS))
		return lio_err(ctx, -EOPNOTSUPP, "fabric %s has no ACLs", fabric->name);
	r = lio_wwn_normalize(ctx, wwn, fabric->wwn_types, norm, NULL);
	if (r < 0)
		return r;
	r = lio_fabric_wwn_to_dir(fabric, *norm, dir);
	if (r < 0) {
		free(*norm);
		*norm = NULL;
		return lio_err(ctx, r, "Cannot name ACL %s for fabric %s", wwn, fabric->name);
	}
	return 0;
}

int lio_acl_create(struct lio_tpg *tpg, const char *wwn, struct lio_acl **out)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	_cleanup_free_ char *norm = NULL, *dir = NULL;
	struct lio_acl *acl = NULL;
	int r;

	r = acl_names(tpg, wwn, &norm, &dir);
	if (r < 0)
		return r;
	r = lio_tpg_check(tpg);
	if (r < 0)
		return r;
	r = acl_new(tpg, dir, TAKE_PTR(norm), &acl);
	if (r < 0)
		return r;
	if (lio_path_exists(acl->obj.path)) {
		r = lio_err(ctx, -EEXIST, "ACL for %s already exists", acl->wwn);
		lio_acl_unref(acl);
		return r;
	}
	r = lio_mkdir(ctx, acl->obj.path);
	if (r < 0) {
		r = lio_err(ctx, r, "Cannot create ACL for %s: %s", acl->wwn, strerror(-r));
		lio_acl_unref(acl);
		return r;
	}
	*out = acl;
	return 0;
}

int lio_acl_lookup(struct lio_tpg *tpg, const char *wwn, struct lio_acl **out)
{
	_cleanup_free_ char *norm = NULL, *dir = NULL;
	struct lio_acl *acl = NULL;
	int r;

	r = acl_names(tpg, wwn, &norm, &dir);
	if (r < 0)
		return r;
	r = acl_new(tpg, dir, TAKE_PTR(norm), &acl);
	if (r < 0)
		return r;
	r = lio_acl_check(acl);
	if (r < 0) {
		lio_acl_unref(acl);
		return r;
	}
	*out = acl;
	return 0;
}

/* lio_make_fn: names the fabric would not make are no ACLs. */
static int acl_make(void *arg, const char *name, struct lio_obj **obj)
{
	struct lio_tpg *tpg = arg;
	struct lio_acl *acl = NULL;
	char *wwn;
	int r = lio_fabric_wwn_from_dir(lio_tpg_fabric(tpg), name, &wwn);

	if (r == -EINVAL)
		return 1;
	if (r < 0)
		return lio_err(tpg->obj.ctx, r, "Out of memory");
	r = acl_new(tpg, name, wwn, &acl);
	if (r < 0)
		return r;
	*obj = &acl->obj;
	return 0;
}

int lio_acl_list(struct lio_tpg *tpg, struct lio_acl ***list, size_t *n)
{
	_cleanup_free_ char *dir = NULL;
	int r;

	*list = NULL;
	*n = 0;
	r = lio_tpg_check(tpg);
	if (r < 0)
		return r;
	if (!(lio_tpg_fabric(tpg)->features & LIO_FEAT_ACLS))
		return 0;
	dir = lio_strdupf("%s/acls", tpg->obj.path);
	if (!dir)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	return lio_list_objs(tpg->obj.ctx, dir, NULL, acl_make, tpg, list, n);
}

int lio_acl_delete(struct lio_acl *acl)
{
	struct lio_ctx *ctx = acl->obj.ctx;
	struct lio_mapped_lun **mluns;
	size_t n;
	int r;

	r = lio_mapped_lun_list(acl, &mluns, &n);
	if (r == 0)
		r = lio_delete_all(mluns, n);
	if (r < 0)
		return r;
	r = lio_rmdir(ctx, acl->obj.path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot delete ACL %s: %s", acl->wwn, strerror(-r));
	return 0;
}

struct lio_acl *lio_acl_ref(struct lio_acl *acl)
{
	return (struct lio_acl *)lio_obj_ref(lio_obj(acl));
}

struct lio_acl *lio_acl_unref(struct lio_acl *acl)
{
	lio_obj_unref(lio_obj(acl));
	return NULL;
}

const char *lio_acl_wwn(const struct lio_acl *acl)
{
	return acl->wwn;
}

struct lio_tpg *lio_acl_tpg(const struct lio_acl *acl)
{
	return acl_tpg(acl);
}

int lio_acl_check(struct lio_acl *acl)
{
	if (lio_is_dir(acl->obj.path))
		return 0;
	return lio_err(acl->obj.ctx, -ENOENT, "No ACL for %s in TPG %u", acl->wwn,
		       acl_tpg(acl)->tag);
}

static int acl_file(struct lio_acl *acl, const char *name, char **path)
{
	int r = lio_acl_check(acl);

	if (r < 0)
		return r;
	*path = lio_obj_file(&acl->obj, NULL, name);
	return *path ? 0 : lio_err(acl->obj.ctx, -ENOMEM, "Out of memory");
}

int lio_acl_get_tag(struct lio_acl *acl, char **tag)
{
	_cleanup_free_ char *path = NULL;
	int r = acl_file(acl, "tag", &path);

	if (r < 0)
		return r;
	/* Kernels before ACL tags have no file: untagged. */
	if (lio_read_file_quiet(path, tag) < 0) {
		*tag = strdup("");
		return *tag ? 0 : lio_err(acl->obj.ctx, -ENOMEM, "Out of memory");
	}
	if (!strcmp(*tag, "NULL"))
		(*tag)[0] = '\0';
	return 0;
}

int lio_acl_set_tag(struct lio_acl *acl, const char *tag)
{
	struct lio_ctx *ctx = acl->obj.ctx;
	_cleanup_free_ char *path = NULL;
	int r;

	/* Tags name ACL groups in the shell, where '.' separates paths. */
	if (tag && strchr(tag, '.'))
		return lio_err(ctx, -EINVAL, "'.' not permitted in tag names.");
	if (tag && (strpbrk(tag, "\n/") || !strcmp(tag, "NULL")))
		return lio_err(ctx, -EINVAL, "Invalid tag name '%s'", tag);
	r = acl_file(acl, "tag", &path);
	if (r < 0)
		return r;
	r = lio_write_file(ctx, path, tag && *tag ? tag : "NULL");
	if (r < 0)
		return lio_err(ctx, r, "Cannot set the tag of ACL %s: %s", acl->wwn,
			       strerror(-r));
	return 0;
}

int lio_acl_get_cmdsn_depth(struct lio_acl *acl, unsigned *depth)
{
	_cleanup_free_ char *path = NULL, *value = NULL;
	unsigned long long v;
	int r = acl_file(acl, "cmdsn_depth", &path);

	if (r < 0)
		return r;
	r = lio_read_file(acl->obj.ctx, path, &value);
	if (r < 0)
		return r;
	if (lio_parse_uint(value, UINT_MAX, &v) < 0)
		return lio_err(acl->obj.ctx, -EINVAL, "Unexpected value '%s' in %s", value,
			       path);
	*depth = (unsigned)v;
	return 0;
}

int lio_acl_set_cmdsn_depth(struct lio_acl *acl, unsigned depth)
{
	_cleanup_free_ char *path = NULL;
	char buf[16];
	int r = acl_file(acl, "cmdsn_depth", &path);

	if (r < 0)
		return r;
	snprintf(buf, sizeof(buf), "%u", depth);
	r = lio_write_file(acl->obj.ctx, path, buf);
	if (r < 0)
		return lio_err(acl->obj.ctx, r, "Cannot set cmdsn_depth of ACL %s to %u: %s",
			       acl->wwn, depth, strerror(-r));
	return 0;
}
