/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Diff mode, first half: delete what runs and the file does not have
 * (within the filters), innermost first: mapped LUNs, ACLs, LUNs, portals,
 * TPGs, targets, ALUA groups, storage objects. The second half is
 * lio_config_apply() in merge mode, which creates what is missing and sets
 * what differs, leaving unchanged objects (and the sessions on them) alone.
 */
#include <stdio.h>

#include "config_restore_int.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

static void del(struct rs_state *st, struct lio_obj *obj, int (*fn)(struct lio_obj *),
		const char *what, const char *desc)
{
	rs_plan(st, "delete %s %s", what, desc);
	if (st->dry_run)
		return;
	if (fn(obj) < 0) {
		char p[600];

		snprintf(p, sizeof(p), "(running) %s", desc);
		rs_skip(st, p, "%s", lio_errmsg(st->ctx));
	}
}

static int del_so(struct lio_obj *o) { return lio_so_delete(lio_obj_so(o)); }
static int del_alua(struct lio_obj *o) { return lio_alua_tpg_delete(lio_obj_alua_tpg(o)); }
static int del_target(struct lio_obj *o) { return lio_target_delete(lio_obj_target(o)); }
static int del_tpg(struct lio_obj *o) { return lio_tpg_delete(lio_obj_tpg(o)); }
static int del_lun(struct lio_obj *o) { return lio_lun_delete(lio_obj_lun(o)); }
static int del_portal(struct lio_obj *o) { return lio_portal_delete(lio_obj_portal(o)); }
static int del_acl(struct lio_obj *o) { return lio_acl_delete(lio_obj_acl(o)); }
static int del_mlun(struct lio_obj *o) { return lio_mapped_lun_delete(lio_obj_mapped_lun(o)); }

static struct json_object *find_tpg(struct json_object *t, unsigned tag)
{
	struct json_object *a = lio_jget(t, "tpgs");

	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (lio_jint(json_object_array_get_idx(a, i), "tag", -1) == tag)
			return json_object_array_get_idx(a, i);
	return NULL;
}

static bool has_index(struct json_object *arr, const char *key, long long idx)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if (lio_jint(json_object_array_get_idx(arr, i), key, -1) == idx)
			return true;
	return false;
}

static struct json_object *find_acl(struct lio_ctx *ctx, const struct lio_fabric *f,
				    struct json_object *tpg, const char *wwn)
{
	struct json_object *a = lio_jget(tpg, "node_acls");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *acl = json_object_array_get_idx(a, i);
		_cleanup_free_ char *n = NULL;
		const char *w = lio_jstr(acl, "node_wwn");

		if (w && lio_wwn_normalize(ctx, w, f->wwn_types, &n, NULL) == 0 && !strcmp(n, wwn))
			return acl;
	}
	return NULL;
}

static bool has_portal(struct json_object *tpg, struct lio_portal *p)
{
	struct json_object *a = lio_jget(tpg, "portals");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *d = json_object_array_get_idx(a, i);
		_cleanup_free_ char *c = NULL;
		const char *ip = lio_jstr(d, "ip_address");

		if (ip && lio_portal_canon_ip(ip, &c) == 0 && !strcmp(c, lio_portal_ip(p)) &&
		    lio_jint(d, "port", -1) == lio_portal_port(p))
			return true;
	}
	return false;
}

static void diff_tpg(struct rs_state *st, const struct lio_fabric *f, struct lio_tpg *tpg,
		     struct json_object *d, const char *desc)
{
	struct lio_acl **acls;
	struct lio_lun **luns;
	struct lio_portal **pts;
	size_t n;
	char p[700];

	if (lio_acl_list(tpg, &acls, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct json_object *acl = find_acl(st->ctx, f, d, lio_acl_wwn(acls[i]));
			struct lio_mapped_lun **mls;
			size_t m;

			snprintf(p, sizeof(p), "%s/acls/%s", desc, lio_acl_wwn(acls[i]));
			if (!acl) {
				del(st, lio_obj(acls[i]), del_acl, "ACL", p);
				continue;
			}
			if (lio_mapped_lun_list(acls[i], &mls, &m) < 0)
				continue;
			for (size_t j = 0; j < m; j++) {
				char mp[800];

				if (has_index(lio_jget(acl, "mapped_luns"), "index",
					      lio_mapped_lun_index(mls[j])))
					continue;
				snprintf(mp, sizeof(mp), "%s/lun_%u", p, lio_mapped_lun_index(mls[j]));
				del(st, lio_obj(mls[j]), del_mlun, "mapped LUN", mp);
			}
			lio_list_free(mls, m);
		}
		lio_list_free(acls, n);
	}
	if (lio_lun_list(tpg, &luns, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (has_index(lio_jget(d, "luns"), "index", lio_lun_index(luns[i])))
				continue;
			snprintf(p, sizeof(p), "%s/lun_%u", desc, lio_lun_index(luns[i]));
			del(st, lio_obj(luns[i]), del_lun, "LUN", p);
		}
		lio_list_free(luns, n);
	}
	if ((f->features & LIO_FEAT_NPS) && lio_portal_list(tpg, &pts, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (has_portal(d, pts[i]))
				continue;
			snprintf(p, sizeof(p), "%s/np/%s", desc, lio_obj_name(lio_obj(pts[i])));
			del(st, lio_obj(pts[i]), del_portal, "portal", p);
		}
		lio_list_free(pts, n);
	}
}

static struct json_object *find_target(struct lio_ctx *ctx, struct json_object *cfg,
				       const struct lio_fabric *f, const char *wwn)
{
	struct json_object *a = lio_jget(cfg, "targets");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *t = json_object_array_get_idx(a, i);
		_cleanup_free_ char *n = NULL, *fixed = NULL;
		const char *w = lio_jstr(t, "wwn");

		if (!w || lio_fabric_find(lio_jstr(t, "fabric")) != f)
			continue;
		fixed = strdup(w);
		if (fixed && !strncasecmp(fixed, "naa.6", 5))
			fixed[4] = '5';
		if (fixed && lio_wwn_normalize(ctx, fixed, f->wwn_types, &n, NULL) == 0 &&
		    !strcmp(n, wwn))
			return t;
	}
	return NULL;
}

static void diff_targets(struct rs_state *st, struct json_object *cfg)
{
	const struct lio_restore_opts *o = st->opts;

	for (size_t fi = 0; fi < lio_fabric_count(); fi++) {
		const struct lio_fabric *f = lio_fabric_at(fi);
		struct lio_target **ts;
		size_t n;

		if (lio_target_list(st->ctx, f, &ts, &n) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			const char *wwn = lio_target_wwn(ts[i]);
			struct json_object *t = find_target(st->ctx, cfg, f, wwn);
			struct lio_tpg **tpgs;
			size_t m;
			char desc[400];

			if (o->target && *o->target && strcmp(o->target, wwn) &&
			    (!t || strcmp(lio_jstr(t, "wwn"), o->target)))
				continue;
			snprintf(desc, sizeof(desc), "%s/%s", f->name, wwn);
			if (!t) {
				del(st, lio_obj(ts[i]), del_target, "target", desc);
				continue;
			}
			if (lio_tpg_list(ts[i], &tpgs, &m) < 0)
				continue;
			for (size_t j = 0; j < m; j++) {
				struct json_object *d = find_tpg(t, lio_tpg_tag(tpgs[j]));
				char td[500];

				snprintf(td, sizeof(td), "%s/tpgt_%u", desc, lio_tpg_tag(tpgs[j]));
				if (!d)
					del(st, lio_obj(tpgs[j]), del_tpg, "TPG", td);
				else
					diff_tpg(st, f, tpgs[j], d, td);
			}
			lio_list_free(tpgs, m);
		}
		lio_list_free(ts, n);
	}
}

static struct json_object *find_so(struct json_object *cfg, struct lio_so *so)
{
	struct json_object *a = lio_jget(cfg, "storage_objects");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *d = json_object_array_get_idx(a, i);
		const char *name = lio_jstr(d, "name");
		enum lio_plugin p;

		if (name && !strcmp(name, lio_so_name(so)) &&
		    lio_plugin_from_name(lio_jstr(d, "plugin"), &p) == 0 && p == lio_so_plugin(so))
			return d;
	}
	return NULL;
}

static void diff_sos(struct rs_state *st, struct json_object *cfg)
{
	const struct lio_restore_opts *o = st->opts;
	struct lio_so **sos;
	size_t n;

	if (lio_so_list(st->ctx, -1, &sos, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct json_object *d = find_so(cfg, sos[i]);
		char desc[300];

		if (o->storage_object && *o->storage_object &&
		    strcmp(o->storage_object, lio_so_name(sos[i])))
			continue;
		snprintf(desc, sizeof(desc), "/backstores/%s/%s", lio_plugin_name(lio_so_plugin(sos[i])),
			 lio_so_name(sos[i]));
		if (!d) {
			del(st, lio_obj(sos[i]), del_so, "storage object", desc);
			continue;
		}
		struct lio_alua_tpg **groups;
		size_t m;

		if (lio_alua_tpg_list(sos[i], &groups, &m) < 0)
			continue;
		for (size_t j = 0; j < m; j++) {
			const char *g = lio_alua_tpg_name(groups[j]);
			struct json_object *a = lio_jget(d, "alua_tpgs");
			bool found = !strcmp(g, "default_tg_pt_gp");
			char gd[400];

			for (size_t k = 0; !found && a && k < json_object_array_length(a); k++) {
				const char *name = lio_jstr(json_object_array_get_idx(a, k), "name");

				found = name && !strcmp(name, g);
			}
			if (found)
				continue;
			snprintf(gd, sizeof(gd), "%s/alua/%s", desc, g);
			del(st, lio_obj(groups[j]), del_alua, "ALUA group", gd);
		}
		lio_list_free(groups, m);
	}
	lio_list_free(sos, n);
}

/*
 * A fabric the file has no fabric_modules entry for does not enforce
 * discovery auth (the dump leaves out those that do not).
 */
static void diff_fabrics(struct rs_state *st, struct json_object *cfg)
{
	struct json_object *fms = lio_jget(cfg, "fabric_modules");

	for (size_t i = 0; i < lio_fabric_count(); i++) {
		const struct lio_fabric *f = lio_fabric_at(i);
		bool listed = false, on = false;

		if (!(f->features & LIO_FEAT_DISCOVERY_AUTH) || !lio_fabric_loaded(st->ctx, f) ||
		    lio_discovery_auth_get_enforce(st->ctx, f, &on) < 0 || !on)
			continue;
		for (size_t j = 0; fms && j < json_object_array_length(fms); j++) {
			const char *name = lio_jstr(json_object_array_get_idx(fms, j), "name");

			listed |= name && !strcmp(name, f->name);
		}
		if (listed)
			continue;
		rs_plan(st, "set fabric %s discovery_enable_auth: true -> false", f->name);
		if (!st->dry_run && lio_discovery_auth_set_enforce(st->ctx, f, false) < 0) {
			char p[200];

			snprintf(p, sizeof(p), "(running) fabric %s", f->name);
			rs_skip(st, p, "%s", lio_errmsg(st->ctx));
		}
	}
}

int lio_config_diff_delete(struct rs_state *st, struct json_object *cfg)
{
	const struct lio_restore_opts *o = st->opts;

	if (!(o->storage_object && *o->storage_object) && !(o->target && *o->target))
		diff_fabrics(st, cfg);

	if (!(o->storage_object && *o->storage_object) || (o->target && *o->target))
		diff_targets(st, cfg);
	if (!(o->target && *o->target))
		diff_sos(st, cfg);
	return 0;
}
