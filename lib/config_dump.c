/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The running configuration as a saveconfig.json document, with
 * targetcli-fb's objects and field names.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "private.h"

#define TRY(expr)                                                              \
	do {                                                                   \
		int _r = (expr);                                               \
		if (_r < 0)                                                    \
			return _r;                                             \
	} while (0)

static int add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int append(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int add_str(struct json_object *obj, const char *key, const char *s)
{
	return add(obj, key, json_object_new_string(s ? s : ""));
}

/* Python's int(): optional sign, digits, surrounding blanks. */
static bool as_int(const char *s, long long *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	return !errno && !*end && end != s;
}

/*
 * A config group as rtslib dumps it: only files the owner can read and
 * write, attributes as integers where they are, empty values left out,
 * and the whole key left out when nothing remains.
 */
/* ---- arrays filled now, or by the layout one element at a time ---- */

typedef int (*dump_fn)(void *item, struct json_object *arr);
/* The items under @parent: a lio_*_list() call. */
typedef int (*list_fn)(void *parent, void *list, size_t *n);

/*
 * The list is taken when the layout reaches the array and let go at its
 * end, so the handles of only one large array are alive at a time.
 */
struct list_gen {
	struct lio_json_gen gen;
	struct lio_obj *parent; /* referenced; NULL: the context's objects */
	struct lio_ctx *ctx;    /* referenced */
	list_fn list;
	void **items;
	size_t n, next;
	bool listed;
	dump_fn dump;
};

static struct json_object *list_next(struct lio_json_gen *gen, int *err)
{
	struct list_gen *lg = (struct list_gen *)gen;
	struct json_object *tmp, *el;
	int r;

	if (!lg->listed) {
		lg->listed = true;
		r = lg->list(lg->parent ? (void *)lg->parent : (void *)lg->ctx, &lg->items,
			     &lg->n);
		if (r < 0) {
			*err = r;
			return NULL;
		}
	}
	if (lg->next >= lg->n) {
		lio_list_free(lg->items, lg->n);
		lg->items = NULL;
		lg->n = lg->next = 0;
		return NULL;
	}
	tmp = json_object_new_array();
	if (!tmp) {
		*err = -ENOMEM;
		return NULL;
	}
	r = lg->dump(lg->items[lg->next++], tmp);
	el = r < 0 ? NULL : json_object_get(json_object_array_get_idx(tmp, 0));
	json_object_put(tmp);
	if (r < 0)
		*err = r;
	return el;
}

static void list_gen_free(struct json_object *arr, void *data)
{
	struct list_gen *lg = data;

	(void)arr;
	lio_list_free(lg->items, lg->n);
	lio_obj_unref(lg->parent);
	lio_unref(lg->ctx);
	free(lg);
}

/* @arr gets the dumps of @parent's items now, or (lazy) as it is laid out. */
static int fill(struct lio_ctx *ctx, struct json_object *arr, struct lio_obj *parent,
		list_fn list, dump_fn dump, bool lazy)
{
	struct list_gen *lg;
	void **items;
	size_t n;
	int r;

	if (!lazy) {
		items = NULL;
		n = 0;
		r = list(parent ? (void *)parent : (void *)ctx, &items, &n);
		for (size_t i = 0; i < n && r >= 0; i++)
			r = dump(items[i], arr);
		if (items)
			lio_list_free(items, n);
		return r;
	}
	lg = calloc(1, sizeof(*lg));
	if (!lg)
		return -ENOMEM;
	*lg = (struct list_gen){ .gen = { list_next }, .parent = lio_obj_ref(parent),
				 .ctx = lio_ref(ctx), .list = list, .dump = dump };
	json_object_set_userdata(arr, lg, list_gen_free);
	return 0;
}

static int list_sos(void *ctx, void *list, size_t *n)
{
	return lio_so_list(ctx, -1, list, n);
}

static int list_luns(void *tpg, void *list, size_t *n)
{
	return lio_lun_list(tpg, list, n);
}

static int list_mapped_luns(void *acl, void *list, size_t *n)
{
	return lio_mapped_lun_list(acl, list, n);
}

static int dump_group(struct lio_obj *obj, const char *group, const char *key,
		      bool ints, struct json_object *out)
{
	struct json_object *g;
	struct lio_attr_value *attrs;
	size_t n;
	int r;

	r = lio_attr_read_rw(obj, group, &attrs, &n);
	if (r < 0)
		return lio_err(obj->ctx, r, "Cannot read %s/%s: %s", obj->path, group,
			       strerror(-r));
	g = json_object_new_object();
	if (!g) {
		lio_attr_values_free(attrs, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && r >= 0; i++) {
		long long iv;

		if (*attrs[i].value)
			r = add(g, attrs[i].name,
				ints && as_int(attrs[i].value, &iv)
					? json_object_new_int64(iv)
					: json_object_new_string(attrs[i].value));
	}
	lio_attr_values_free(attrs, n);
	if (r >= 0 && json_object_object_length(g))
		return add(out, key, g);
	json_object_put(g);
	return r;
}

static int dump_groups(struct lio_obj *obj, struct json_object *out)
{
	TRY(dump_group(obj, "attrib", "attributes", true, out));
	return dump_group(obj, "param", "parameters", false, out);
}

static const char *const chap_keys[LIO_AUTH_KEYS] = {
	[LIO_AUTH_USERID] = "userid",
	[LIO_AUTH_PASSWORD] = "password",
	[LIO_AUTH_MUTUAL_USERID] = "mutual_userid",
	[LIO_AUTH_MUTUAL_PASSWORD] = "mutual_password",
};

/* chap_* (or discovery_*) keys for the credentials that are set. */
static int dump_chap(struct lio_obj *obj, const char *prefix, struct json_object *out)
{
	for (int k = 0; k < LIO_AUTH_KEYS; k++) {
		char key[64], *v = NULL;
		int r;

		if (lio_auth_get(obj, (enum lio_auth_key)k, &v) < 0)
			continue;
		snprintf(key, sizeof(key), "%s_%s", prefix, chap_keys[k]);
		r = *v ? add_str(out, key, v) : 0;
		free(v);
		TRY(r);
	}
	return 0;
}

static const char *const alua_keys[] = {
	"alua_access_state", "alua_access_status", "alua_access_type",
	"alua_support_active_nonoptimized", "alua_support_active_optimized",
	"alua_support_offline", "alua_support_standby", "alua_support_transitioning",
	"alua_support_unavailable", "alua_write_metadata", "implicit_trans_secs",
	"nonop_delay_msecs", "preferred", "tg_pt_gp_id", "trans_delay_msecs",
};

static int dump_alua(struct lio_so *so, struct json_object *out)
{
	struct json_object *arr = json_object_new_array();
	struct lio_alua_tpg **groups;
	size_t n;
	int r;

	if (!arr)
		return -ENOMEM;
	r = add(out, "alua_tpgs", arr);
	if (r < 0)
		return r;
	r = lio_alua_tpg_list(so, &groups, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct json_object *g = json_object_new_object();

		r = append(arr, g);
		if (r >= 0)
			r = add_str(g, "name", lio_alua_tpg_name(groups[i]));
		for (size_t k = 0; k < ARRAY_SIZE(alua_keys) && r >= 0; k++) {
			long long v;

			if (lio_alua_tpg_get_int(groups[i], alua_keys[k], &v) == 0)
				r = add(g, alua_keys[k], json_object_new_int64(v));
		}
	}
	lio_list_free(groups, n);
	return r;
}

static int dump_so(struct lio_so *so, struct json_object *arr)
{
	struct json_object *d = json_object_new_object();
	struct lio_so_info info = { 0 };
	int r;

	TRY(append(arr, d));
	TRY(dump_group(lio_obj(so), "attrib", "attributes", true, d));
	TRY(add_str(d, "name", lio_so_name(so)));
	TRY(add_str(d, "plugin", lio_plugin_name(lio_so_plugin(so))));
	TRY(dump_alua(so, d));
	TRY(lio_so_get_info(so, &info));
	switch (lio_so_plugin(so)) {
	case LIO_PLUGIN_FILEIO:
		r = add_str(d, "dev", info.dev);
		if (r >= 0)
			r = add(d, "size", json_object_new_int64((int64_t)info.size));
		if (r >= 0)
			r = add(d, "write_back", json_object_new_boolean(info.write_back));
		if (r >= 0)
			r = add_str(d, "wwn", info.wwn);
		if (r >= 0)
			r = add(d, "aio", json_object_new_boolean(info.aio));
		break;
	case LIO_PLUGIN_BLOCK:
		r = add_str(d, "dev", info.dev);
		if (r >= 0)
			r = add(d, "readonly", json_object_new_boolean(info.readonly));
		if (r >= 0)
			r = add(d, "write_back", json_object_new_boolean(info.write_back));
		if (r >= 0)
			r = add_str(d, "wwn", info.wwn);
		break;
	case LIO_PLUGIN_RAMDISK:
		r = add_str(d, "wwn", info.wwn);
		if (r >= 0)
			r = add(d, "size", json_object_new_int64((int64_t)info.size));
		if (r >= 0 && info.nullio)
			r = add(d, "nullio", json_object_new_boolean(true));
		break;
	case LIO_PLUGIN_PSCSI:
		r = add_str(d, "dev", info.dev);
		break;
	case LIO_PLUGIN_USER:
		r = add_str(d, "config", info.config);
		if (r >= 0)
			r = add(d, "size", json_object_new_int64((int64_t)info.size));
		if (r >= 0)
			r = add_str(d, "wwn", info.wwn);
		if (r >= 0)
			r = add(d, "hw_max_sectors", json_object_new_int64(info.hw_max_sectors));
		if (r >= 0)
			r = add_str(d, "control", info.control);
		break;
	default:
		r = 0;
	}
	lio_so_info_clear(&info);
	return r;
}

static int dump_lun(struct lio_lun *lun, struct json_object *arr)
{
	struct json_object *d = json_object_new_object();
	struct lio_so *so = NULL;
	char *alias = NULL, *grp = NULL, path[512];
	int r;

	TRY(append(arr, d));
	TRY(add(d, "index", json_object_new_int64(lio_lun_index(lun))));
	r = lio_lun_get_so(lun, &so);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/backstores/%s/%s", lio_plugin_name(lio_so_plugin(so)),
		 lio_so_name(so));
	lio_so_unref(so);
	TRY(add_str(d, "storage_object", path));
	TRY(lio_lun_get_alias(lun, &alias));
	r = add_str(d, "alias", alias);
	free(alias);
	TRY(r);
	/* Backends without ALUA have no group file: saved as null. */
	if (lio_lun_get_alua_group(lun, &grp) < 0 || !*grp)
		r = json_object_object_add(d, "alua_tg_pt_gp_name", NULL) < 0 ? -ENOMEM : 0;
	else
		r = add_str(d, "alua_tg_pt_gp_name", grp);
	free(grp);
	return r;
}

static int dump_mapped_lun(struct lio_mapped_lun *ml, struct json_object *arr)
{
	struct json_object *d = json_object_new_object();
	unsigned tpg_lun;
	char *alias = NULL;
	bool wp = false;
	int r;

	TRY(append(arr, d));
	TRY(add(d, "index", json_object_new_int64(lio_mapped_lun_index(ml))));
	TRY(lio_mapped_lun_get_tpg_lun(ml, &tpg_lun));
	TRY(add(d, "tpg_lun", json_object_new_int64(tpg_lun)));
	TRY(lio_mapped_lun_get_write_protect(ml, &wp));
	TRY(add(d, "write_protect", json_object_new_boolean(wp)));
	TRY(lio_mapped_lun_get_alias(ml, &alias));
	r = add_str(d, "alias", alias);
	free(alias);
	return r;
}

static int so_item(void *so, struct json_object *arr)
{
	return dump_so(so, arr);
}

static int lun_item(void *lun, struct json_object *arr)
{
	return dump_lun(lun, arr);
}

static int mapped_lun_item(void *ml, struct json_object *arr)
{
	return dump_mapped_lun(ml, arr);
}

static int dump_acl(struct lio_acl *acl, bool auth, bool lazy, struct json_object *arr)
{
	struct json_object *d = json_object_new_object(), *mls;
	char *tag = NULL;
	int r;

	TRY(append(arr, d));
	TRY(add_str(d, "node_wwn", lio_acl_wwn(acl)));
	TRY(dump_groups(lio_obj(acl), d));
	if (lio_acl_get_tag(acl, &tag) == 0) {
		r = *tag ? add_str(d, "tag", tag) : 0;
		free(tag);
		TRY(r);
	}
	if (auth)
		TRY(dump_chap(lio_obj(acl), "chap", d));
	mls = json_object_new_array();
	TRY(add(d, "mapped_luns", mls));
	return fill(lio_obj_ctx(lio_obj(acl)), mls, lio_obj(acl), list_mapped_luns,
		    mapped_lun_item, lazy);
}

static int dump_portal(struct lio_portal *p, struct json_object *arr)
{
	struct json_object *d = json_object_new_object();
	bool on = false;

	TRY(append(arr, d));
	TRY(add_str(d, "ip_address", lio_portal_ip(p)));
	TRY(add(d, "port", json_object_new_int64(lio_portal_port(p))));
	TRY(lio_portal_get_iser(p, &on));
	TRY(add(d, "iser", json_object_new_boolean(on)));
	TRY(lio_portal_get_offload(p, &on));
	return add(d, "offload", json_object_new_boolean(on));
}

static int dump_tpg(struct lio_tpg *tpg, bool lazy, struct json_object *arr)
{
	const struct lio_fabric *fabric = lio_target_fabric(lio_tpg_target(tpg));
	bool auth = fabric->features & LIO_FEAT_AUTH, en = true;
	struct json_object *d = json_object_new_object(), *a;
	struct lio_acl **acls;
	struct lio_portal **portals;
	size_t n;
	int r = 0;

	TRY(append(arr, d));
	TRY(add(d, "tag", json_object_new_int64(lio_tpg_tag(tpg))));
	TRY(lio_tpg_get_enable(tpg, &en));
	TRY(add(d, "enable", json_object_new_boolean(en)));
	TRY(dump_groups(lio_obj(tpg), d));
	if (auth)
		TRY(dump_chap(lio_obj(tpg), "chap", d));

	a = json_object_new_array();
	TRY(add(d, "luns", a));
	TRY(fill(lio_obj_ctx(lio_obj(tpg)), a, lio_obj(tpg), list_luns, lun_item, lazy));

	a = json_object_new_array();
	TRY(add(d, "portals", a));
	TRY(lio_portal_list(tpg, &portals, &n));
	for (size_t i = 0; i < n && r >= 0; i++)
		r = dump_portal(portals[i], a);
	lio_list_free(portals, n);
	TRY(r);

	a = json_object_new_array();
	TRY(add(d, "node_acls", a));
	TRY(lio_acl_list(tpg, &acls, &n));
	for (size_t i = 0; i < n && r >= 0; i++)
		r = dump_acl(acls[i], auth, lazy, a);
	lio_list_free(acls, n);
	return r;
}

static int dump_target(struct lio_target *t, bool lazy, struct json_object *arr)
{
	struct json_object *d = json_object_new_object(), *a;
	struct lio_tpg **tpgs;
	size_t n;
	int r = 0;

	TRY(append(arr, d));
	TRY(add_str(d, "wwn", lio_target_wwn(t)));
	TRY(add_str(d, "fabric", lio_target_fabric(t)->name));
	TRY(dump_groups(lio_obj(t), d));
	a = json_object_new_array();
	TRY(add(d, "tpgs", a));
	TRY(lio_tpg_list(t, &tpgs, &n));
	for (size_t i = 0; i < n && r >= 0; i++)
		r = dump_tpg(tpgs[i], lazy, a);
	lio_list_free(tpgs, n);
	return r;
}

/* Discovery auth is saved only where it is enabled. */
static int dump_fabric(struct lio_ctx *ctx, const struct lio_fabric *f, struct json_object *arr)
{
	struct json_object *d;
	bool enforce = false;

	if (!(f->features & LIO_FEAT_DISCOVERY_AUTH) || !lio_fabric_loaded(ctx, f))
		return 0;
	if (lio_discovery_auth_get_enforce(ctx, f, &enforce) < 0 || !enforce)
		return 0;
	d = json_object_new_object();
	TRY(append(arr, d));
	TRY(add_str(d, "name", f->name));
	TRY(add(d, "discovery_enable_auth", json_object_new_boolean(true)));
	for (int k = 0; k < LIO_AUTH_KEYS; k++) {
		char key[64], *v = NULL;
		int r;

		TRY(lio_discovery_auth_get(ctx, f, (enum lio_auth_key)k, &v));
		snprintf(key, sizeof(key), "discovery_%s", chap_keys[k]);
		r = *v ? add_str(d, key, v) : 0;
		free(v);
		TRY(r);
	}
	return 0;
}

static int dump_all(struct lio_ctx *ctx, bool lazy, struct json_object *root)
{
	struct json_object *fabrics = json_object_new_array(), *sos, *targets;
	size_t n;
	int r = 0;

	TRY(add(root, "fabric_modules", fabrics));
	for (size_t i = 0; i < lio_fabric_count(); i++)
		TRY(dump_fabric(ctx, lio_fabric_at(i), fabrics));

	sos = json_object_new_array();
	TRY(add(root, "storage_objects", sos));
	TRY(fill(ctx, sos, NULL, list_sos, so_item, lazy));

	targets = json_object_new_array();
	TRY(add(root, "targets", targets));
	for (size_t i = 0; i < lio_fabric_count() && r >= 0; i++) {
		struct lio_target **tl;

		TRY(lio_target_list(ctx, lio_fabric_at(i), &tl, &n));
		for (size_t j = 0; j < n && r >= 0; j++)
			r = dump_target(tl[j], lazy, targets);
		lio_list_free(tl, n);
	}
	return r;
}

static int dump(struct lio_ctx *ctx, bool lazy, struct json_object **config)
{
	struct json_object *root = json_object_new_object();
	int r;

	if (!root)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = dump_all(ctx, lazy, root);
	if (r < 0) {
		json_object_put(root);
		if (r == -ENOMEM)
			return lio_err(ctx, r, "Out of memory");
		return r;
	}
	*config = root;
	return 0;
}

int lio_config_dump(struct lio_ctx *ctx, struct json_object **config)
{
	return dump(ctx, false, config);
}

int lio_config_dump_lazy(struct lio_ctx *ctx, struct json_object **config)
{
	return dump(ctx, true, config);
}
