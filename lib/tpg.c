/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Target portal groups: <target>/tpgt_<tag>. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

/* The kernel parses iSCSI TPG tags as u16. */
#define TPG_TAG_MAX 65535

static int tpg_remove(struct lio_obj *obj)
{
	return lio_tpg_delete((struct lio_tpg *)obj);
}

static const struct lio_obj_ops tpg_ops = {
	.kind = LIO_KIND_TPG,
	.remove = tpg_remove,
};

static struct lio_target *tpg_target(const struct lio_tpg *tpg)
{
	return (struct lio_target *)tpg->obj.parent;
}

const struct lio_fabric *lio_tpg_fabric(const struct lio_tpg *tpg)
{
	return tpg_target(tpg)->fabric;
}

int lio_tpg_check(struct lio_tpg *tpg)
{
	if (lio_is_dir(tpg->obj.path))
		return 0;
	return lio_err(tpg->obj.ctx, -ENOENT, "No TPG %u in target %s", tpg->tag,
		       tpg_target(tpg)->wwn);
}

static int tpg_new(struct lio_target *target, unsigned tag, struct lio_tpg **out)
{
	char name[32];
	struct lio_tpg *tpg = NULL;

	snprintf(name, sizeof(name), "tpgt_%u", tag);
	tpg = lio_obj_alloc(target->obj.ctx, &tpg_ops, sizeof(*tpg), &target->obj, NULL,
			    name);
	if (!tpg)
		return lio_err(target->obj.ctx, -ENOMEM, "Out of memory");
	tpg->tag = tag;
	*out = tpg;
	return 0;
}

static bool tag_in(struct lio_tpg **tpgs, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (tpgs[i]->tag == tag)
			return true;
	return false;
}

/* Choose a free tag (*tag 0) or check that *tag is free, among the target's TPGs. */
static int pick_tag(struct lio_target *target, unsigned *tag)
{
	struct lio_ctx *ctx = target->obj.ctx;
	struct lio_tpg **tpgs;
	size_t n;
	int r = lio_tpg_list(target, &tpgs, &n);

	if (r < 0)
		return r;
	for (unsigned t = 1; t <= TPG_TAG_MAX && !*tag; t++)
		if (!tag_in(tpgs, n, t))
			*tag = t;
	if (!*tag)
		r = lio_err(ctx, -ENOSPC, "Cannot find an available TPG tag");
	else if (tag_in(tpgs, n, *tag))
		r = lio_err(ctx, -EEXIST, "TPG %u already exists in target %s", *tag,
			    target->wwn);
	else if (!(target->fabric->features & LIO_FEAT_TPGTS) && n > 0)
		r = lio_err(ctx, -EEXIST, "Target cannot have multiple TPGs");
	lio_list_free(tpgs, n);
	return r;
}

/* A nexus WWN of the target's own type, in the fabric's name format. */
static int write_nexus(struct lio_tpg *tpg, const char *nexus)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	struct lio_target *target = tpg_target(tpg);
	const struct lio_fabric *fabric = target->fabric;
	_cleanup_free_ char *norm = NULL, *dir = NULL, *path = NULL;
	int r;

	if (nexus && *nexus) {
		r = lio_wwn_normalize(ctx, nexus, fabric->wwn_types, &norm, NULL);
		if (r < 0)
			return r;
	} else {
		enum lio_wwn_type type = lio_wwn_match(target->wwn, fabric->wwn_types);

		if (!type)
			type = (enum lio_wwn_type)(fabric->wwn_types & -fabric->wwn_types);
		r = lio_wwn_generate(type, &norm);
		if (r < 0)
			return lio_err(ctx, r, "Cannot generate a nexus WWN: %s", strerror(-r));
	}
	r = lio_fabric_wwn_to_dir(fabric, norm, &dir);
	if (r < 0)
		return lio_err(ctx, r, "Invalid nexus WWN %s", norm);
	path = lio_obj_file(&tpg->obj, NULL, "nexus");
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_write_file(ctx, path, dir);
	if (r < 0)
		return lio_err(ctx, r, "Cannot set the nexus of TPG %u to %s: %s", tpg->tag,
			       dir, strerror(-r));
	return 0;
}

int lio_tpg_create(struct lio_target *target, unsigned tag, struct lio_tpg **out)
{
	struct lio_ctx *ctx = target->obj.ctx;
	struct lio_tpg *tpg = NULL;
	int r;

	r = pick_tag(target, &tag);
	if (r < 0)
		return r;
	r = tpg_new(target, tag, &tpg);
	if (r < 0)
		return r;
	r = lio_mkdir(ctx, tpg->obj.path);
	if (r < 0) {
		lio_tpg_unref(tpg);
		return lio_err(ctx, r, "Cannot create TPG %u in target %s: %s", tag,
			       target->wwn, strerror(-r));
	}
	/*
	 * As rtslib's TPG constructor: a nexus fabric's TPG gets an initiator
	 * nexus at once; LUNs cannot be added before.
	 */
	if (target->fabric->features & LIO_FEAT_NEXUS) {
		_cleanup_free_ char *cur = NULL;

		if (lio_tpg_get_nexus(tpg, &cur) == 0 && !*cur) {
			r = write_nexus(tpg, NULL);
			if (r < 0) {
				char msg[sizeof(ctx->errmsg)];

				/* Leave nothing behind; keep the first message. */
				snprintf(msg, sizeof(msg), "%s", ctx->errmsg);
				rmdir(tpg->obj.path);
				lio_tpg_unref(tpg);
				return lio_err(ctx, r, "%s", msg);
			}
		}
	}
	*out = tpg;
	return 0;
}

int lio_tpg_lookup(struct lio_target *target, unsigned tag, struct lio_tpg **out)
{
	struct lio_tpg *tpg = NULL;
	int r = tpg_new(target, tag, &tpg);

	if (r < 0)
		return r;
	r = lio_tpg_check(tpg);
	if (r < 0) {
		lio_tpg_unref(tpg);
		return r;
	}
	*out = tpg;
	return 0;
}

/* lio_make_fn: tpgt_<tag> directories of the target @arg. */
static int tpg_make(void *arg, const char *name, struct lio_obj **obj)
{
	unsigned long long tag;
	struct lio_tpg *tpg = NULL;
	int r;

	if (lio_parse_uint(name + strlen("tpgt_"), UINT_MAX, &tag) < 0)
		return 1;
	r = tpg_new(arg, (unsigned)tag, &tpg);
	if (r < 0)
		return r;
	*obj = &tpg->obj;
	return 0;
}

int lio_tpg_list(struct lio_target *target, struct lio_tpg ***list, size_t *n)
{
	int r;

	*list = NULL;
	*n = 0;
	r = lio_target_check(target);
	if (r < 0)
		return r;
	return lio_list_objs(target->obj.ctx, target->obj.path, "tpgt_", tpg_make, target,
			     list, n);
}

int lio_tpg_delete_mapped_luns_to(struct lio_tpg *tpg, const char *lun_path, bool reread)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	char lun_real[PATH_MAX];
	unsigned long long lun_number;
	const char *base = strrchr(lun_path, '/');
	struct lio_acl **acls;
	size_t nacls;
	int r;

	if (!lio_path_exists(lun_path) || lio_path_normalize(lun_path, lun_real) < 0 || !base ||
	    strncmp(base + 1, "lun_", 4) || lio_parse_uint(base + 5, LONG_MAX, &lun_number) < 0)
		return 0; /* no LUN, nothing can link to it */
	r = lio_acl_list(tpg, &acls, &nacls);
	if (r < 0)
		return r;
	/*
	 * Nothing in configfs says which mapped LUNs point here: each ACL's
	 * mapped LUNs with the LUN their link lands on, remembered for large
	 * ACLs (lun_cache.c); each one found there is checked by its link
	 * before it is deleted (one just listed had its link read already).
	 */
	for (size_t i = 0; i < nacls && r >= 0; i++) {
		const char *acl_path = lio_obj_path(lio_obj(acls[i]));
		struct lio_lun_cache c;

		if (reread)
			lio_lun_cache_forget(ctx, acl_path);
		r = lio_lun_cache_read(ctx, acl_path, true, &c);
		if (r < 0)
			r = lio_err(ctx, r, "Cannot list %s: %s", acl_path, strerror(-r));
		for (size_t j = 0; r >= 0 && j < c.n; j++) {
			struct lio_mapped_lun *m = NULL;
			char dir[PATH_MAX], real[PATH_MAX];

			if (c.link[j] != (long)lun_number)
				continue;
			if (!c.listed &&
			    ((size_t)snprintf(dir, sizeof(dir), "%s/lun_%u", acl_path, c.num[j]) >=
				     sizeof(dir) ||
			     lio_dir_link_target(dir, lio_root_is_configfs(ctx), real) < 0 ||
			     strcmp(real, lun_real)))
				continue;
			/* the delete looks for it itself */
			r = lio_mapped_lun_handle(acls[i], c.num[j], &m);
			if (r >= 0)
				r = lio_mapped_lun_delete(m);
			lio_mapped_lun_unref(m);
		}
		lio_lun_cache_free(&c);
	}
	lio_list_free(acls, nacls);
	return r < 0 ? r : 0;
}

int lio_tpg_delete(struct lio_tpg *tpg)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	struct lio_acl **acls;
	struct lio_lun **luns;
	struct lio_portal **portals;
	size_t n;
	int r;

	r = lio_tpg_check(tpg);
	if (r < 0)
		return r;
	/* Disabling first ends the sessions before their objects go. */
	r = lio_tpg_set_enable(tpg, false);
	if (r < 0)
		return r;

	r = lio_acl_list(tpg, &acls, &n);
	if (r == 0)
		r = lio_delete_all(acls, n);
	if (r < 0)
		return r;

	r = lio_lun_list(tpg, &luns, &n);
	if (r == 0)
		r = lio_delete_all(luns, n);
	if (r < 0)
		return r;

	r = lio_portal_list(tpg, &portals, &n);
	if (r == 0)
		r = lio_delete_all(portals, n);
	if (r < 0)
		return r;

	r = lio_rmdir(ctx, tpg->obj.path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot delete TPG %u of target %s: %s", tpg->tag,
			       tpg_target(tpg)->wwn, strerror(-r));
	return 0;
}

struct lio_tpg *lio_tpg_ref(struct lio_tpg *tpg)
{
	return (struct lio_tpg *)lio_obj_ref(lio_obj(tpg));
}

struct lio_tpg *lio_tpg_unref(struct lio_tpg *tpg)
{
	lio_obj_unref(lio_obj(tpg));
	return NULL;
}

unsigned lio_tpg_tag(const struct lio_tpg *tpg)
{
	return tpg->tag;
}

struct lio_target *lio_tpg_target(const struct lio_tpg *tpg)
{
	return tpg_target(tpg);
}

int lio_tpg_get_enable(struct lio_tpg *tpg, bool *enabled)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	_cleanup_free_ char *path = lio_obj_file(&tpg->obj, NULL, "enable");
	int r;

	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_tpg_check(tpg);
	if (r < 0)
		return r;
	/* Fabrics without an enable file have their TPGs always enabled. */
	if (!lio_path_exists(path)) {
		*enabled = true;
		return 0;
	}
	return lio_read_flag(ctx, path, enabled);
}

int lio_tpg_set_enable(struct lio_tpg *tpg, bool enable)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	_cleanup_free_ char *path = lio_obj_file(&tpg->obj, NULL, "enable");
	bool cur;
	int r;

	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_tpg_get_enable(tpg, &cur);
	if (r < 0)
		return r;
	/* No file: nothing to switch; same value: the kernel may refuse it. */
	if (!lio_path_exists(path) || cur == enable)
		return 0;
	r = lio_write_file(ctx, path, enable ? "1" : "0");
	if (r < 0)
		return lio_err(ctx, r, "Cannot %s TPG %u: %s", enable ? "enable" : "disable",
			       tpg->tag, strerror(-r));
	return 0;
}

int lio_tpg_get_nexus(struct lio_tpg *tpg, char **nexus)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	_cleanup_free_ char *path = NULL;

	if (!(lio_tpg_fabric(tpg)->features & LIO_FEAT_NEXUS))
		return lio_err(ctx, -EOPNOTSUPP, "Fabric %s does not use a nexus",
			       lio_tpg_fabric(tpg)->name);
	path = lio_obj_file(&tpg->obj, NULL, "nexus");
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	/* The kernel fails the read (ENODEV) while no nexus is set. */
	if (lio_read_file_quiet(path, nexus) < 0) {
		*nexus = strdup("");
		if (!*nexus)
			return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	return 0;
}

int lio_tpg_set_nexus(struct lio_tpg *tpg, const char *nexus)
{
	_cleanup_free_ char *cur = NULL;
	int r;

	r = lio_tpg_get_nexus(tpg, &cur);
	if (r < 0)
		return r;
	if (*cur)
		return lio_err(tpg->obj.ctx, -EEXIST,
			       "The nexus of TPG %u is already set (%s)", tpg->tag, cur);
	return write_nexus(tpg, nexus);
}
