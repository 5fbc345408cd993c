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

/*
 * The running objects are matched with the file's entries through key sets
 * built in one pass over each list, not by a search of the list per running
 * object: in the file backing each look at an entry reads and parses it.
 * A list that cannot be read deletes nothing of its part.
 */

/* Copies of the strings the key sets point at. */
struct strpool {
	char **v;
	size_t n;
};

static const char *pool_take(struct strpool *p, char *s)
{
	char **n = s ? realloc(p->v, (p->n + 1) * sizeof(*n)) : NULL;

	if (!n) {
		free(s);
		return NULL;
	}
	p->v = n;
	return p->v[p->n++] = s;
}

static void pool_clear(struct strpool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	*p = (struct strpool){ 0 };
}

static int oom(struct rs_state *st, const char *path)
{
	rs_skip(st, path, "Out of memory");
	return -ENOMEM;
}

/* Element @i of @l, or an error at "<path>[i]". */
static int get(struct rs_state *st, const struct cfg_list *l, size_t i, const char *path,
	       struct cfg_elem *e)
{
	char p[800];

	snprintf(p, sizeof(p), "%s[%zu]", path, i);
	return rs_get(st, l, i, p, e) ? 0 : -EIO;
}

/* Positions of @l's entries by the integer member @key (the first of equal ones). */
static int index_by_int(struct rs_state *st, const struct cfg_list *l, const char *key,
			const char *path, struct lio_keyset *out)
{
	for (size_t i = 0; i < l->n; i++) {
		struct cfg_elem e;
		long long v;

		if (get(st, l, i, path, &e) < 0)
			return -EIO;
		v = lio_jint(e.obj, key, -1);
		cfg_elem_put(&e);
		if (v >= 0 && lio_keyset_put_num(out, (uint64_t)v, i, NULL) < 0)
			return oom(st, path);
	}
	return 0;
}

/* Positions of the TPG entry's ACLs by normalised initiator name. */
static int index_acls(struct rs_state *st, const struct lio_fabric *f, const struct cfg_list *l,
		      const char *path, struct lio_keyset *out, struct strpool *pool)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *w, *key;
		struct cfg_elem e;
		char *n = NULL;
		int r = 0;

		if (get(st, l, i, path, &e) < 0)
			return -EIO;
		w = lio_jstr(e.obj, "node_wwn");
		if (w && lio_wwn_normalize(st->ctx, w, f->wwn_types, &n, NULL) == 0) {
			key = pool_take(pool, n);
			r = key ? lio_keyset_put_str(out, 0, key, i, NULL) : -ENOMEM;
		}
		cfg_elem_put(&e);
		if (r < 0)
			return oom(st, path);
	}
	return 0;
}

/* The TPG entry's portals as "<canonical address> <port>". */
static int index_portals(struct rs_state *st, const struct cfg_list *l, const char *path,
			 struct lio_keyset *out, struct strpool *pool)
{
	for (size_t i = 0; i < l->n; i++) {
		_cleanup_free_ char *c = NULL;
		struct cfg_elem e;
		const char *ip, *key;
		int r = 0;

		if (get(st, l, i, path, &e) < 0)
			return -EIO;
		ip = lio_jstr(e.obj, "ip_address");
		if (ip && lio_portal_canon_ip(ip, &c) == 0) {
			key = pool_take(pool, lio_strdupf("%s %lld", c, lio_jint(e.obj, "port", -1)));
			r = key ? lio_keyset_put_str(out, 0, key, i, NULL) : -ENOMEM;
		}
		cfg_elem_put(&e);
		if (r < 0)
			return oom(st, path);
	}
	return 0;
}

static bool has_portal(const struct lio_keyset *portals, struct lio_portal *p)
{
	_cleanup_free_ char *key = lio_strdupf("%s %u", lio_portal_ip(p), lio_portal_port(p));

	/* Out of memory: kept, rather than deleted by mistake. */
	return !key || lio_keyset_get_str(portals, 0, key, NULL) == 0;
}

static void diff_mapped_luns(struct rs_state *st, struct lio_acl *acl, const struct cfg_elem *d,
			     const char *desc, const char *path)
{
	struct lio_keyset want = { 0 };
	struct lio_mapped_lun **mls;
	struct cfg_list list;
	char p[800];
	size_t m;

	snprintf(p, sizeof(p), "%s.mapped_luns", path);
	cfg_list_of(st->doc, d, "mapped_luns", &list);
	if (index_by_int(st, &list, "index", p, &want) == 0 &&
	    lio_mapped_lun_list(acl, &mls, &m) == 0) {
		for (size_t j = 0; j < m; j++) {
			if (lio_keyset_get_num(&want, lio_mapped_lun_index(mls[j]), NULL) == 0)
				continue;
			snprintf(p, sizeof(p), "%s/lun_%u", desc, lio_mapped_lun_index(mls[j]));
			del(st, lio_obj(mls[j]), del_mlun, "mapped LUN", p);
		}
		lio_list_free(mls, m);
	}
	lio_keyset_clear(&want);
}

static void diff_acls(struct rs_state *st, const struct lio_fabric *f, struct lio_tpg *tpg,
		      const struct cfg_elem *d, const char *desc, const char *path)
{
	struct lio_keyset want = { 0 };
	struct strpool pool = { 0 };
	struct cfg_list list;
	struct lio_acl **acls;
	char p[700], ap[800];
	size_t n, pos;

	snprintf(ap, sizeof(ap), "%s.node_acls", path);
	cfg_list_of(st->doc, d, "node_acls", &list);
	if (index_acls(st, f, &list, ap, &want, &pool) < 0 || lio_acl_list(tpg, &acls, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct cfg_elem acl;

		snprintf(p, sizeof(p), "%s/acls/%s", desc, lio_acl_wwn(acls[i]));
		if (lio_keyset_get_str(&want, 0, lio_acl_wwn(acls[i]), &pos) < 0) {
			del(st, lio_obj(acls[i]), del_acl, "ACL", p);
			continue;
		}
		if (get(st, &list, pos, ap, &acl) < 0)
			continue;
		snprintf(ap, sizeof(ap), "%s.node_acls[%zu]", path, pos);
		diff_mapped_luns(st, acls[i], &acl, p, ap);
		snprintf(ap, sizeof(ap), "%s.node_acls", path);
		cfg_elem_put(&acl);
	}
	lio_list_free(acls, n);
out:
	lio_keyset_clear(&want);
	pool_clear(&pool);
}

static void diff_tpg(struct rs_state *st, const struct lio_fabric *f, struct lio_tpg *tpg,
		     const struct cfg_elem *d, const char *desc, const char *path)
{
	struct lio_keyset want = { 0 };
	struct strpool pool = { 0 };
	struct lio_portal **pts;
	struct lio_lun **luns;
	struct cfg_list list;
	size_t n;
	char p[700], lp[800];

	diff_acls(st, f, tpg, d, desc, path);
	snprintf(lp, sizeof(lp), "%s.luns", path);
	cfg_list_of(st->doc, d, "luns", &list);
	if (index_by_int(st, &list, "index", lp, &want) == 0 && lio_lun_list(tpg, &luns, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (lio_keyset_get_num(&want, lio_lun_index(luns[i]), NULL) == 0)
				continue;
			snprintf(p, sizeof(p), "%s/lun_%u", desc, lio_lun_index(luns[i]));
			del(st, lio_obj(luns[i]), del_lun, "LUN", p);
		}
		lio_list_free(luns, n);
	}
	lio_keyset_clear(&want);
	if (!(f->features & LIO_FEAT_NPS))
		return;
	snprintf(lp, sizeof(lp), "%s.portals", path);
	cfg_list_of(st->doc, d, "portals", &list);
	if (index_portals(st, &list, lp, &want, &pool) == 0 && lio_portal_list(tpg, &pts, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (has_portal(&want, pts[i]))
				continue;
			snprintf(p, sizeof(p), "%s/np/%s", desc, lio_obj_name(lio_obj(pts[i])));
			del(st, lio_obj(pts[i]), del_portal, "portal", p);
		}
		lio_list_free(pts, n);
	}
	lio_keyset_clear(&want);
	pool_clear(&pool);
}

static int fabric_number(const struct lio_fabric *f)
{
	for (size_t i = 0; i < lio_fabric_count(); i++)
		if (lio_fabric_at(i) == f)
			return (int)i;
	return -1;
}

/* Positions of the file's targets by (fabric, normalised WWN), as
 * lio_target_create() names them. */
static int index_targets(struct rs_state *st, const struct cfg_list *l, struct lio_keyset *out,
			 struct strpool *pool)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct lio_fabric *f;
		_cleanup_free_ char *fixed = NULL;
		struct cfg_elem e;
		const char *w, *key;
		char *n = NULL;
		int r = 0;

		if (get(st, l, i, "targets", &e) < 0)
			return -EIO;
		w = lio_jstr(e.obj, "wwn");
		f = lio_fabric_find(lio_jstr(e.obj, "fabric"));
		fixed = w && f ? strdup(w) : NULL;
		if (fixed && !strncasecmp(fixed, "naa.6", 5))
			fixed[4] = '5';
		if (fixed && lio_wwn_normalize(st->ctx, fixed, f->wwn_types, &n, NULL) == 0) {
			key = pool_take(pool, n);
			r = key ? lio_keyset_put_str(out, fabric_number(f), key, i, NULL) : -ENOMEM;
		}
		cfg_elem_put(&e);
		if (r < 0)
			return oom(st, "targets");
	}
	return 0;
}

static void diff_target(struct rs_state *st, const struct lio_fabric *f, struct lio_target *t,
			const struct cfg_elem *d, size_t pos, const char *desc)
{
	struct lio_keyset want = { 0 };
	struct lio_tpg **tpgs;
	struct cfg_list list;
	char path[64], tp[80];
	size_t m, at;

	snprintf(path, sizeof(path), "targets[%zu]", pos);
	snprintf(tp, sizeof(tp), "%s.tpgs", path);
	cfg_list_of(st->doc, d, "tpgs", &list);
	if (index_by_int(st, &list, "tag", tp, &want) < 0 || lio_tpg_list(t, &tpgs, &m) < 0) {
		lio_keyset_clear(&want);
		return;
	}
	for (size_t j = 0; j < m; j++) {
		struct cfg_elem tpg;
		char td[500], p[100];

		snprintf(td, sizeof(td), "%s/tpgt_%u", desc, lio_tpg_tag(tpgs[j]));
		if (lio_keyset_get_num(&want, lio_tpg_tag(tpgs[j]), &at) < 0) {
			del(st, lio_obj(tpgs[j]), del_tpg, "TPG", td);
			continue;
		}
		if (get(st, &list, at, tp, &tpg) < 0)
			continue;
		snprintf(p, sizeof(p), "%s[%zu]", tp, at);
		diff_tpg(st, f, tpgs[j], &tpg, td, p);
		cfg_elem_put(&tpg);
	}
	lio_list_free(tpgs, m);
	lio_keyset_clear(&want);
}

static void diff_targets(struct rs_state *st, const struct cfg_elem *top)
{
	const struct lio_restore_opts *o = st->opts;
	struct lio_keyset want = { 0 };
	struct strpool pool = { 0 };
	struct cfg_list list;

	cfg_list_of(st->doc, top, "targets", &list);
	if (index_targets(st, &list, &want, &pool) < 0)
		goto out;
	for (size_t fi = 0; fi < lio_fabric_count(); fi++) {
		const struct lio_fabric *f = lio_fabric_at(fi);
		struct lio_target **ts;
		size_t n;

		if (lio_target_list(st->ctx, f, &ts, &n) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			const char *wwn = lio_target_wwn(ts[i]);
			struct cfg_elem t = { 0 };
			char desc[400];
			size_t pos;
			bool in_file = lio_keyset_get_str(&want, (int)fi, wwn, &pos) == 0;

			if (in_file && get(st, &list, pos, "targets", &t) < 0)
				continue;
			if (o->target && *o->target && strcmp(o->target, wwn) &&
			    (!in_file || strcmp(lio_jstr(t.obj, "wwn"), o->target))) {
				cfg_elem_put(&t);
				continue;
			}
			snprintf(desc, sizeof(desc), "%s/%s", f->name, wwn);
			if (!in_file)
				del(st, lio_obj(ts[i]), del_target, "target", desc);
			else
				diff_target(st, f, ts[i], &t, pos, desc);
			cfg_elem_put(&t);
		}
		lio_list_free(ts, n);
	}
out:
	lio_keyset_clear(&want);
	pool_clear(&pool);
}

/* Positions of the file's storage objects by (plugin, name). */
static int index_sos(struct rs_state *st, const struct cfg_list *l, struct lio_keyset *out,
		     struct strpool *pool)
{
	for (size_t i = 0; i < l->n; i++) {
		struct cfg_elem e;
		const char *name, *key;
		enum lio_plugin p;
		int r = 0;

		if (get(st, l, i, "storage_objects", &e) < 0)
			return -EIO;
		name = lio_jstr(e.obj, "name");
		if (name && lio_plugin_from_name(lio_jstr(e.obj, "plugin"), &p) == 0) {
			key = pool_take(pool, strdup(name));
			r = key ? lio_keyset_put_str(out, (int)p, key, i, NULL) : -ENOMEM;
		}
		cfg_elem_put(&e);
		if (r < 0)
			return oom(st, "storage_objects");
	}
	return 0;
}

static void diff_alua(struct rs_state *st, struct lio_so *so, struct json_object *d,
		      const char *desc)
{
	struct lio_alua_tpg **groups;
	struct json_object *a = lio_jget(d, "alua_tpgs");
	size_t m;

	if (lio_alua_tpg_list(so, &groups, &m) < 0)
		return;
	for (size_t j = 0; j < m; j++) {
		const char *g = lio_alua_tpg_name(groups[j]);
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

static void diff_sos(struct rs_state *st, const struct cfg_elem *top)
{
	const struct lio_restore_opts *o = st->opts;
	struct lio_keyset want = { 0 };
	struct strpool pool = { 0 };
	struct cfg_list list;
	struct lio_so **sos;
	size_t n, pos;

	cfg_list_of(st->doc, top, "storage_objects", &list);
	if (index_sos(st, &list, &want, &pool) < 0 || lio_so_list(st->ctx, -1, &sos, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct cfg_elem d;
		char desc[300];

		if (o->storage_object && *o->storage_object &&
		    strcmp(o->storage_object, lio_so_name(sos[i])))
			continue;
		snprintf(desc, sizeof(desc), "/backstores/%s/%s", lio_plugin_name(lio_so_plugin(sos[i])),
			 lio_so_name(sos[i]));
		if (lio_keyset_get_str(&want, (int)lio_so_plugin(sos[i]), lio_so_name(sos[i]),
				       &pos) < 0) {
			del(st, lio_obj(sos[i]), del_so, "storage object", desc);
			continue;
		}
		if (get(st, &list, pos, "storage_objects", &d) < 0)
			continue;
		diff_alua(st, sos[i], d.obj, desc);
		cfg_elem_put(&d);
	}
	lio_list_free(sos, n);
out:
	lio_keyset_clear(&want);
	pool_clear(&pool);
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

int lio_config_diff_delete(struct rs_state *st, struct cfg_doc *doc)
{
	const struct lio_restore_opts *o = st->opts;
	struct cfg_elem top;

	st->doc = doc;
	if (cfg_doc_top(doc, &top) < 0) {
		rs_skip(st, "(top level)", "%s", lio_errmsg(st->ctx));
		return 0;
	}
	if (!(o->storage_object && *o->storage_object) && !(o->target && *o->target))
		diff_fabrics(st, top.obj);

	if (!(o->storage_object && *o->storage_object) || (o->target && *o->target))
		diff_targets(st, &top);
	if (!(o->target && *o->target))
		diff_sos(st, &top);
	cfg_elem_put(&top);
	return 0;
}
