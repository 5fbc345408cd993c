/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * saveconfig.json validation before a restore touches the kernel: types,
 * required keys, value ranges, duplicate indexes and names, and references
 * (LUN -> storage object, mapped LUN -> TPG LUN, LUN -> ALUA group). Each
 * message starts with the JSON path it is about. Unknown keys are warnings:
 * files from older and newer targetcli-fb versions and Debian's carry keys
 * this version does not know, and they are ignored.
 */
#include <stdio.h>

#include "config_doc.h"
#include "config_restore_int.h"

/* JSON paths are short; a truncated one is still a usable message. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

enum ftype {
	F_STR,
	F_INT,
	F_BOOL,
	F_ARR,
	F_ATTRS,  /* object of scalars (attributes) */
	F_PARAMS, /* object of scalars (parameters) */
	F_ANY,    /* known, ignored */
};

struct field {
	const char *name;
	enum ftype type;
	bool required;
	long long min, max; /* F_INT */
};

#define INT_ANY 0, -1 /* min > max: no upper bound */
#define U16 0, 65535

struct vstate {
	struct lio_ctx *ctx;
	const struct lio_restore_opts *opts;
	struct lio_restore_report *rep;
	size_t nerr;
	int oom;
	struct cfg_doc *doc;
	int fail;             /* a read of the document failed: this error */
	char failmsg[1024];
	/* storage objects the restore will create */
	struct so_ent {
		enum lio_plugin plugin;
		char *name;
		size_t pos; /* in storage_objects */
	} *sos;
	size_t nsos;
	struct lio_keyset so_names; /* (plugin, name) -> index in sos */
	struct cfg_list so_list;
};

/* Element @i of @l; false after a failed read, which fails the validation. */
static bool get(struct vstate *vs, const struct cfg_list *l, size_t i, struct cfg_elem *e)
{
	int r = cfg_list_get(l, i, e);

	if (r < 0 && !vs->fail) {
		vs->fail = r;
		snprintf(vs->failmsg, sizeof(vs->failmsg), "%s", lio_errmsg(vs->ctx));
	}
	return r == 0;
}

static void verr(struct vstate *vs, const char *fmt, ...) LIO_PRINTF(2, 3);
static void verr(struct vstate *vs, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	vs->nerr++;
	if (!s || lio_strv_addf(&vs->rep->errors, &vs->rep->nerrors, "%s", s) < 0)
		vs->oom = -ENOMEM;
	free(s);
}

static void vwarn(struct vstate *vs, const char *fmt, ...) LIO_PRINTF(2, 3);
static void vwarn(struct vstate *vs, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s || lio_strv_addf(&vs->rep->warnings, &vs->rep->nwarnings, "%s", s) < 0)
		vs->oom = -ENOMEM;
	free(s);
}

static bool scalar(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_string:
	case json_type_boolean:
	case json_type_double:
		return true;
	default:
		return false;
	}
}

static void check_map(struct vstate *vs, const char *path, struct json_object *map)
{
	json_object_object_foreach(map, k, v)
	{
		if (!scalar(v))
			verr(vs, "%s.%s: expected a number or a string, got %s", path, k,
			     lio_json_type_desc(json_object_get_type(v)));
	}
}

/*
 * Check an object against its fields: the object itself, each known key's
 * type and range, required keys; unknown keys are warnings. false when the
 * value is not an object at all (nothing more can be checked).
 */
static bool check_fields(struct vstate *vs, const char *path, struct json_object *obj,
			 const struct field *fields, size_t nfields)
{
	if (!json_object_is_type(obj, json_type_object)) {
		verr(vs, "%s: expected an object, got %s", path,
		     lio_json_type_desc(json_object_get_type(obj)));
		return false;
	}
	json_object_object_foreach(obj, key, val)
	{
		const struct field *f = NULL;
		enum json_type t = json_object_get_type(val);
		char kp[600];

		snprintf(kp, sizeof(kp), "%s%s%s", path, *path ? "." : "", key);

		for (size_t i = 0; i < nfields; i++)
			if (!strcmp(fields[i].name, key))
				f = &fields[i];
		if (!f) {
			vwarn(vs, "%s: unknown key, ignored", kp);
			continue;
		}
		if (t == json_type_null || f->type == F_ANY)
			continue; /* null is absent; checked below if required */
		switch (f->type) {
		case F_STR:
			if (t != json_type_string)
				verr(vs, "%s: expected a string, got %s", kp,
				     lio_json_type_desc(t));
			break;
		case F_INT:
			if (t != json_type_int) {
				verr(vs, "%s: expected an integer, got %s", kp,
				     lio_json_type_desc(t));
			} else if (f->min <= f->max) {
				int64_t v = json_object_get_int64(val);

				if (v < f->min || v > f->max)
					verr(vs, "%s: %lld is out of range %lld..%lld", kp,
					     (long long)v, f->min, f->max);
			} else if (json_object_get_int64(val) < f->min) {
				verr(vs, "%s: %lld is negative", kp,
				     (long long)json_object_get_int64(val));
			}
			break;
		case F_BOOL:
			if (t != json_type_boolean)
				verr(vs, "%s: expected a boolean, got %s", kp,
				     lio_json_type_desc(t));
			break;
		case F_ARR:
			if (t != json_type_array)
				verr(vs, "%s: expected an array, got %s", kp,
				     lio_json_type_desc(t));
			break;
		case F_ATTRS:
		case F_PARAMS:
			if (t != json_type_object) {
				verr(vs, "%s: expected an object, got %s", kp,
				     lio_json_type_desc(t));
			} else {
				check_map(vs, kp, val);
			}
			break;
		case F_ANY:
			break;
		}
	}
	for (size_t i = 0; i < nfields; i++)
		if (fields[i].required && !lio_jget(obj, fields[i].name))
			verr(vs, "%s%smissing key '%s'", path, *path ? ": " : "", fields[i].name);
	return true;
}

/* The array at @key of @obj when it is one (type errors are reported by check_fields). */
static struct json_object *arr(struct json_object *obj, const char *key)
{
	struct json_object *v = lio_jget(obj, key);

	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* ---- storage objects ---- */

static const struct field so_common[] = {
	{ "name", F_STR, true, 0, 0 },
	{ "plugin", F_STR, true, 0, 0 },
	{ "attributes", F_ATTRS, false, 0, 0 },
	{ "alua_tpgs", F_ARR, false, 0, 0 },
	{ "exists", F_ANY, false, 0, 0 },        /* rtslib drops it */
	{ "buffered_mode", F_ANY, false, 0, 0 }, /* old rtslib, dropped */
	{ "wwn", F_STR, false, 0, 0 },
	{ "dev", F_STR, false, 0, 0 },
	{ "size", F_INT, false, INT_ANY },
	{ "write_back", F_BOOL, false, 0, 0 },
	{ "aio", F_BOOL, false, 0, 0 },
	{ "readonly", F_BOOL, false, 0, 0 },
	{ "exclusive", F_BOOL, false, 0, 0 },
	{ "nullio", F_BOOL, false, 0, 0 },
	{ "config", F_STR, false, 0, 0 },
	{ "hw_max_sectors", F_INT, false, INT_ANY },
	{ "control", F_STR, false, 0, 0 },
};

/* Which of the plugin keys each plugin takes (others: warning). */
static const char *const plugin_keys[LIO_PLUGINS] = {
	[LIO_PLUGIN_BLOCK] = " dev readonly write_back wwn exclusive ",
	[LIO_PLUGIN_FILEIO] = " dev size write_back wwn aio ",
	[LIO_PLUGIN_PSCSI] = " dev ",
	[LIO_PLUGIN_RAMDISK] = " size wwn nullio ",
	[LIO_PLUGIN_USER] = " config size wwn hw_max_sectors control ",
};
static const char *const plugin_generic = " name plugin attributes alua_tpgs exists buffered_mode ";

static bool word_in(const char *list, const char *w)
{
	char buf[64];

	snprintf(buf, sizeof(buf), " %s ", w);
	return strstr(list, buf) != NULL;
}

static const struct field alua_fields[] = {
	{ "name", F_STR, true, 0, 0 },
	{ "tg_pt_gp_id", F_INT, false, U16 },
	{ "alua_access_state", F_INT, false, 0, 15 },
	{ "alua_access_status", F_INT, false, 0, 2 },
	{ "alua_access_type", F_INT, false, 0, 3 },
	{ "alua_support_active_nonoptimized", F_INT, false, 0, 1 },
	{ "alua_support_active_optimized", F_INT, false, 0, 1 },
	{ "alua_support_offline", F_INT, false, 0, 1 },
	{ "alua_support_standby", F_INT, false, 0, 1 },
	{ "alua_support_transitioning", F_INT, false, 0, 1 },
	{ "alua_support_unavailable", F_INT, false, 0, 1 },
	{ "alua_support_lba_dependent", F_INT, false, 0, 1 },
	{ "alua_write_metadata", F_INT, false, 0, 1 },
	{ "implicit_trans_secs", F_INT, false, INT_ANY },
	{ "nonop_delay_msecs", F_INT, false, INT_ANY },
	{ "preferred", F_INT, false, 0, 1 },
	{ "trans_delay_msecs", F_INT, false, INT_ANY },
};

/* Whether the SO entry takes part in this restore (filters). */
static bool so_selected(const struct lio_restore_opts *o, const char *name)
{
	if (o->target && *o->target)
		return false;
	if (o->storage_object && *o->storage_object)
		return name && !strcmp(name, o->storage_object);
	return true;
}

static void check_alua(struct vstate *vs, const char *path, struct json_object *groups)
{
	size_t n = json_object_array_length(groups);

	for (size_t i = 0; i < n; i++) {
		struct json_object *g = json_object_array_get_idx(groups, i);
		const char *name;
		char p[512];

		snprintf(p, sizeof(p), "%s.alua_tpgs[%zu]", path, i);
		if (!check_fields(vs, p, g, alua_fields, ARRAY_SIZE(alua_fields)))
			continue;
		name = lio_jstr(g, "name");
		if (name && strcmp(name, "default_tg_pt_gp")) {
			long long id = lio_jint(g, "tg_pt_gp_id", -1);

			if (!lio_jget(g, "tg_pt_gp_id"))
				verr(vs, "%s: missing key 'tg_pt_gp_id'", p);
			else if (id == 0)
				verr(vs, "%s.tg_pt_gp_id: 0 is out of range 1..65535", p);
		}
		for (size_t j = 0; j < i && name; j++) {
			struct json_object *o = json_object_array_get_idx(groups, j);
			const char *oname = lio_jstr(o, "name");
			long long id = lio_jint(g, "tg_pt_gp_id", -1);

			if (oname && !strcmp(oname, name))
				verr(vs, "%s.name: duplicate ALUA group %s (also %s.alua_tpgs[%zu])",
				     p, name, path, j);
			else if (id > 0 && lio_jint(o, "tg_pt_gp_id", -1) == id)
				verr(vs, "%s.tg_pt_gp_id: duplicate id %lld (also %s.alua_tpgs[%zu])",
				     p, id, path, j);
		}
	}
}

static void check_so(struct vstate *vs, struct json_object *so, size_t i)
{
	struct json_object *v;
	const char *name, *pname;
	enum lio_plugin plugin;
	char p[64];
	bool ok;

	snprintf(p, sizeof(p), "storage_objects[%zu]", i);
	if (!check_fields(vs, p, so, so_common, ARRAY_SIZE(so_common)))
		return;
	name = lio_jstr(so, "name");
	pname = lio_jstr(so, "plugin");
	if (name && !lio_so_name_valid(name))
		verr(vs, "%s.name: invalid storage object name '%s'", p, name);
	if (!pname)
		return;
	if (lio_plugin_from_name(pname, &plugin) < 0) {
		verr(vs, "%s.plugin: unknown plugin '%s'", p, pname);
		return;
	}
	/* Keys of another plugin: unknown to this one. */
	json_object_object_foreach(so, key, val)
	{
		(void)val;
		if (!word_in(plugin_generic, key) && !word_in(plugin_keys[plugin], key)) {
			bool known = false;

			for (size_t k = 0; k < ARRAY_SIZE(so_common); k++)
				known |= !strcmp(so_common[k].name, key);
			if (known)
				vwarn(vs, "%s.%s: not a %s key, ignored", p, key,
				      lio_plugin_name(plugin));
		}
	}
	if ((plugin == LIO_PLUGIN_BLOCK || plugin == LIO_PLUGIN_PSCSI ||
	     plugin == LIO_PLUGIN_FILEIO) &&
	    !lio_jstr(so, "dev") && !lio_jget(so, "dev"))
		verr(vs, "%s: missing key 'dev'", p);
	if (plugin == LIO_PLUGIN_RAMDISK && !lio_jget(so, "size"))
		verr(vs, "%s: missing key 'size'", p);
	if (plugin == LIO_PLUGIN_USER) {
		if (!lio_jget(so, "config"))
			verr(vs, "%s: missing key 'config'", p);
		if (!lio_jget(so, "size"))
			verr(vs, "%s: missing key 'size'", p);
	}
	if (plugin == LIO_PLUGIN_BLOCK && (v = lio_jget(so, "exclusive")) &&
	    json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v))
		vwarn(vs, "%s.exclusive: false is not supported, the device is opened exclusively",
		      p);
	if ((v = lio_jget(so, "alua_tpgs")) && json_object_is_type(v, json_type_array))
		check_alua(vs, p, v);
	if (!name)
		return;
	ok = true;
	if (lio_keyset_get_str(&vs->so_names, (int)plugin, name, NULL) == 0) {
		verr(vs, "%s.name: duplicate storage object /backstores/%s/%s", p,
		     lio_plugin_name(plugin), name);
		ok = false;
	}
	if (ok && so_selected(vs->opts, name)) {
		/* The entry is freed before the LUNs are checked: keep a copy. */
		char *copy = strdup(name);

		if (!copy || lio_keyset_put_str(&vs->so_names, (int)plugin, copy, vs->nsos, NULL) < 0) {
			free(copy);
			vs->oom = -ENOMEM;
			return;
		}
		vs->sos[vs->nsos++] = (struct so_ent){ plugin, copy, i };
	}
}

static void check_sos(struct vstate *vs, const struct cfg_list *sos)
{
	vs->so_list = *sos;
	vs->sos = calloc(sos->n ? sos->n : 1, sizeof(*vs->sos));
	if (!vs->sos) {
		vs->oom = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < sos->n; i++) {
		struct cfg_elem e;

		if (!get(vs, sos, i, &e))
			continue;
		check_so(vs, e.obj, i);
		cfg_elem_put(&e);
	}
}

/* ---- fabric modules ---- */

static const struct field fm_fields[] = {
	{ "name", F_STR, true, 0, 0 },
	{ "discovery_enable_auth", F_BOOL, false, 0, 0 },
	{ "discovery_userid", F_STR, false, 0, 0 },
	{ "discovery_password", F_STR, false, 0, 0 },
	{ "discovery_mutual_userid", F_STR, false, 0, 0 },
	{ "discovery_mutual_password", F_STR, false, 0, 0 },
};

static void check_fabrics(struct vstate *vs, struct json_object *fms)
{
	size_t n = json_object_array_length(fms);

	for (size_t i = 0; i < n; i++) {
		struct json_object *fm = json_object_array_get_idx(fms, i);
		const struct lio_fabric *f;
		const char *name;
		char p[64];

		snprintf(p, sizeof(p), "fabric_modules[%zu]", i);
		if (!check_fields(vs, p, fm, fm_fields, ARRAY_SIZE(fm_fields)))
			continue;
		name = lio_jstr(fm, "name");
		if (!name)
			continue;
		f = lio_fabric_find(name);
		if (!f) {
			verr(vs, "%s.name: unknown fabric '%s'", p, name);
			continue;
		}
		if (!(f->features & LIO_FEAT_DISCOVERY_AUTH) && json_object_object_length(fm) > 1)
			verr(vs, "%s: fabric %s has no discovery authentication", p, name);
		for (size_t j = 0; j < i; j++) {
			const char *o = lio_jstr(json_object_array_get_idx(fms, j), "name");

			if (o && !strcmp(o, name))
				verr(vs, "%s.name: duplicate fabric %s (also fabric_modules[%zu])", p,
				     name, j);
		}
	}
}

/* ---- targets ---- */

static const struct field target_fields[] = {
	{ "wwn", F_STR, true, 0, 0 },
	{ "fabric", F_STR, true, 0, 0 },
	{ "tpgs", F_ARR, false, 0, 0 },
	{ "attributes", F_ATTRS, false, 0, 0 },
	{ "parameters", F_PARAMS, false, 0, 0 },
};

static const struct field tpg_fields[] = {
	{ "tag", F_INT, false, 1, 65535 },
	{ "enable", F_BOOL, false, 0, 0 },
	{ "luns", F_ARR, false, 0, 0 },
	{ "portals", F_ARR, false, 0, 0 },
	{ "node_acls", F_ARR, false, 0, 0 },
	{ "attributes", F_ATTRS, false, 0, 0 },
	{ "parameters", F_PARAMS, false, 0, 0 },
	{ "chap_userid", F_STR, false, 0, 0 },
	{ "chap_password", F_STR, false, 0, 0 },
	{ "chap_mutual_userid", F_STR, false, 0, 0 },
	{ "chap_mutual_password", F_STR, false, 0, 0 },
	{ "nexus", F_STR, false, 0, 0 },
};

static const struct field lun_fields[] = {
	{ "index", F_INT, true, U16 },
	{ "storage_object", F_STR, true, 0, 0 },
	{ "alias", F_STR, false, 0, 0 },
	{ "alua_tg_pt_gp_name", F_STR, false, 0, 0 },
};

static const struct field portal_fields[] = {
	{ "ip_address", F_STR, true, 0, 0 },
	{ "port", F_INT, true, U16 },
	{ "iser", F_BOOL, false, 0, 0 },
	{ "offload", F_BOOL, false, 0, 0 },
};

static const struct field acl_fields[] = {
	{ "node_wwn", F_STR, true, 0, 0 },
	{ "mapped_luns", F_ARR, false, 0, 0 },
	{ "attributes", F_ATTRS, false, 0, 0 },
	{ "parameters", F_ANY, false, 0, 0 }, /* session parameters, read-only */
	{ "tag", F_STR, false, 0, 0 },
	{ "chap_userid", F_STR, false, 0, 0 },
	{ "chap_password", F_STR, false, 0, 0 },
	{ "chap_mutual_userid", F_STR, false, 0, 0 },
	{ "chap_mutual_password", F_STR, false, 0, 0 },
};

static const struct field mlun_fields[] = {
	{ "index", F_INT, true, U16 },
	{ "tpg_lun", F_INT, true, U16 },
	{ "write_protect", F_BOOL, false, 0, 0 },
	{ "alias", F_STR, false, 0, 0 },
	{ "tag", F_ANY, false, 0, 0 },
};

/* Whether LUNs may name storage objects that exist in the kernel only. */
static bool kernel_sos_kept(const struct lio_restore_opts *o)
{
	if (o->target && *o->target)
		return true;
	if (o->storage_object && *o->storage_object)
		return true; /* targets are not restored at all */
	return !o->clear_existing && !o->diff;
}

/* Whether the file's storage object (plugin, name) is restored; its
 * position in storage_objects. */
static bool file_so(struct vstate *vs, enum lio_plugin plugin, const char *name, size_t *pos)
{
	size_t i;

	if (lio_keyset_get_str(&vs->so_names, (int)plugin, name, &i) < 0)
		return false;
	*pos = vs->sos[i].pos;
	return true;
}

/* Whether storage_objects[@pos] has the ALUA group @group. */
static bool alua_group_in(struct vstate *vs, size_t pos, const char *group)
{
	struct cfg_elem e;
	struct json_object *groups;
	bool found = false;

	if (!strcmp(group, "default_tg_pt_gp"))
		return true;
	/* Rare (groups other than the default): read the entry again. */
	if (!get(vs, &vs->so_list, pos, &e))
		return true;
	groups = arr(e.obj, "alua_tpgs");
	for (size_t i = 0; groups && i < json_object_array_length(groups) && !found; i++) {
		const char *name = lio_jstr(json_object_array_get_idx(groups, i), "name");

		found = name && !strcmp(name, group);
	}
	cfg_elem_put(&e);
	return found;
}

static void check_lun(struct vstate *vs, const char *tpath, struct json_object *lun, size_t i,
		      struct lio_keyset *seen)
{
	const char *ref, *name, *grp, *alias;
	enum lio_plugin plugin;
	unsigned idx;
	size_t so;
	char p[512];

	snprintf(p, sizeof(p), "%s.luns[%zu]", tpath, i);
	if (!check_fields(vs, p, lun, lun_fields, ARRAY_SIZE(lun_fields)))
		return;
	alias = lio_jstr(lun, "alias");
	if (alias && (!*alias || strchr(alias, '/') || !strcmp(alias, ".") || !strcmp(alias, "..")))
		verr(vs, "%s.alias: invalid alias '%s'", p, alias);
	if (lio_jget(lun, "index") && json_object_is_type(lio_jget(lun, "index"), json_type_int)) {
		size_t j;
		int r;

		idx = (unsigned)lio_jint(lun, "index", 0);
		r = lio_keyset_put_num(seen, idx, i, &j);
		if (r == 1)
			verr(vs, "%s.index: duplicate LUN index %u (also %s.luns[%zu])", p, idx, tpath,
			     j);
		else if (r < 0)
			vs->oom = -ENOMEM;
	}
	ref = lio_jstr(lun, "storage_object");
	if (!ref)
		return;
	if (lio_so_ref_parse(ref, &plugin, &name) < 0) {
		verr(vs, "%s.storage_object: malformed reference '%s' (want /backstores/<plugin>/<name>)",
		     p, ref);
		return;
	}
	if (!file_so(vs, plugin, name, &so)) {
		unsigned hba;

		if (!kernel_sos_kept(vs->opts) || lio_so_find(vs->ctx, plugin, name, &hba) < 0)
			verr(vs, "%s.storage_object: no storage object /backstores/%s/%s", p,
			     lio_plugin_name(plugin), name);
		return;
	}
	grp = lio_jstr(lun, "alua_tg_pt_gp_name");
	if (grp && !alua_group_in(vs, so, grp))
		verr(vs, "%s.alua_tg_pt_gp_name: no ALUA group %s in /backstores/%s/%s", p, grp,
		     lio_plugin_name(plugin), name);
}

static void check_luns(struct vstate *vs, const char *tpath, const struct cfg_list *luns)
{
	struct lio_keyset seen = { 0 };

	for (size_t i = 0; i < luns->n; i++) {
		struct cfg_elem e;

		if (!get(vs, luns, i, &e))
			continue;
		check_lun(vs, tpath, e.obj, i, &seen);
		cfg_elem_put(&e);
	}
	lio_keyset_clear(&seen);
}

/* The LUN numbers of a TPG's entry, for mapped LUNs to be checked against. */
static int lun_numbers(struct vstate *vs, const struct cfg_list *luns, struct lio_keyset *out)
{
	for (size_t i = 0; i < luns->n; i++) {
		struct cfg_elem e;
		long long idx;

		if (!get(vs, luns, i, &e))
			continue;
		idx = lio_jint(e.obj, "index", -1);
		cfg_elem_put(&e);
		if (idx >= 0 && lio_keyset_put_num(out, (uint64_t)idx, i, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

static void check_mapped_lun(struct vstate *vs, const char *tpath, const char *p,
			     struct json_object *ml, size_t m, const struct lio_keyset *luns,
			     struct lio_keyset *seen)
{
	struct json_object *v;
	char mp[600];

	snprintf(mp, sizeof(mp), "%s.mapped_luns[%zu]", p, m);
	if (!check_fields(vs, mp, ml, mlun_fields, ARRAY_SIZE(mlun_fields)))
		return;
	v = lio_jget(ml, "index");
	if (v && json_object_is_type(v, json_type_int)) {
		size_t j;
		int r = lio_keyset_put_num(seen, (uint64_t)json_object_get_int64(v), m, &j);

		if (r == 1)
			verr(vs, "%s.index: duplicate mapped LUN index %lld (also %s.mapped_luns[%zu])",
			     mp, (long long)json_object_get_int64(v), p, j);
		else if (r < 0)
			vs->oom = -ENOMEM;
	}
	v = lio_jget(ml, "tpg_lun");
	if (v && json_object_is_type(v, json_type_int) &&
	    (json_object_get_int64(v) < 0 ||
	     lio_keyset_get_num(luns, (uint64_t)json_object_get_int64(v), NULL) < 0))
		verr(vs, "%s.tpg_lun: no LUN %lld in %s", mp, (long long)json_object_get_int64(v),
		     tpath);
}

static void check_acl(struct vstate *vs, const struct lio_fabric *f, const char *tpath,
		      const struct cfg_elem *acl, size_t i, char **norms,
		      const struct lio_keyset *luns)
{
	struct lio_keyset seen = { 0 };
	struct cfg_list mls;
	const char *wwn;
	char p[512];

	snprintf(p, sizeof(p), "%s.node_acls[%zu]", tpath, i);
	if (!check_fields(vs, p, acl->obj, acl_fields, ARRAY_SIZE(acl_fields)))
		return;
	wwn = lio_jstr(acl->obj, "node_wwn");
	if (wwn && f) {
		if (lio_wwn_normalize(vs->ctx, wwn, f->wwn_types, &norms[i], NULL) < 0) {
			verr(vs, "%s.node_wwn: %s", p, lio_errmsg(vs->ctx));
		} else {
			for (size_t j = 0; j < i; j++)
				if (norms[j] && !strcmp(norms[j], norms[i]))
					verr(vs, "%s.node_wwn: duplicate ACL %s (also %s.node_acls[%zu])",
					     p, norms[i], tpath, j);
		}
	}
	if (lio_jstr(acl->obj, "tag") && strchr(lio_jstr(acl->obj, "tag"), '.'))
		verr(vs, "%s.tag: a tag cannot contain '.'", p);
	cfg_list_of(vs->doc, acl, "mapped_luns", &mls);
	for (size_t m = 0; m < mls.n; m++) {
		struct cfg_elem e;

		if (!get(vs, &mls, m, &e))
			continue;
		check_mapped_lun(vs, tpath, p, e.obj, m, luns, &seen);
		cfg_elem_put(&e);
	}
	lio_keyset_clear(&seen);
}

static void check_acls(struct vstate *vs, const struct lio_fabric *f, const char *tpath,
		       const struct cfg_list *luns, const struct cfg_list *acls)
{
	char **norms = calloc(acls->n ? acls->n : 1, sizeof(char *));
	struct lio_keyset numbers = { 0 };

	if (!norms || lun_numbers(vs, luns, &numbers) < 0) {
		vs->oom = -ENOMEM;
		free(norms);
		lio_keyset_clear(&numbers);
		return;
	}
	for (size_t i = 0; i < acls->n; i++) {
		struct cfg_elem e;

		if (!get(vs, acls, i, &e))
			continue;
		check_acl(vs, f, tpath, &e, i, norms, &numbers);
		cfg_elem_put(&e);
	}
	for (size_t i = 0; i < acls->n; i++)
		free(norms[i]);
	free(norms);
	lio_keyset_clear(&numbers);
}

/* What a portal entry is compared by for duplicates. */
struct portal_key {
	char *canon; /* NULL: no valid address */
	long long port;
};

static void check_portals(struct vstate *vs, const char *tpath, const struct cfg_list *portals)
{
	struct portal_key *keys = calloc(portals->n ? portals->n : 1, sizeof(*keys));

	if (!keys) {
		vs->oom = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < portals->n; i++) {
		struct cfg_elem e;
		struct json_object *pt;
		const char *ip;
		char p[512];

		keys[i].port = -1;
		if (!get(vs, portals, i, &e))
			continue;
		pt = e.obj;
		ip = lio_jstr(pt, "ip_address");
		if (ip && lio_portal_canon_ip(ip, &keys[i].canon) < 0)
			keys[i].canon = NULL;
		keys[i].port = lio_jint(pt, "port", -1);
		snprintf(p, sizeof(p), "%s.portals[%zu]", tpath, i);
		if (!check_fields(vs, p, pt, portal_fields, ARRAY_SIZE(portal_fields))) {
			cfg_elem_put(&e);
			continue;
		}
		if (ip && !keys[i].canon) {
			verr(vs, "%s.ip_address: invalid IP address '%s'", p, ip);
			cfg_elem_put(&e);
			continue;
		}
		for (size_t j = 0; j < i && keys[i].canon; j++)
			if (keys[j].canon && !strcmp(keys[j].canon, keys[i].canon) &&
			    keys[j].port == lio_jint(pt, "port", -2))
				verr(vs, "%s: duplicate portal %s:%lld (also %s.portals[%zu])", p,
				     keys[i].canon, lio_jint(pt, "port", 0), tpath, j);
		cfg_elem_put(&e);
	}
	for (size_t i = 0; i < portals->n; i++)
		free(keys[i].canon);
	free(keys);
}

static void check_tpg(struct vstate *vs, const struct lio_fabric *f, const char *tpath,
		      const struct cfg_elem *e, size_t i, const long long *tags)
{
	struct json_object *tpg = e->obj;
	struct cfg_list luns, portals, acls;
	char p[512];

	snprintf(p, sizeof(p), "%s.tpgs[%zu]", tpath, i);
	if (!check_fields(vs, p, tpg, tpg_fields, ARRAY_SIZE(tpg_fields)))
		return;
	if (lio_jget(tpg, "tag"))
		for (size_t j = 0; j < i; j++)
			if (tags[j] == lio_jint(tpg, "tag", -2))
				verr(vs, "%s.tag: duplicate TPG tag %lld (also %s.tpgs[%zu])", p,
				     lio_jint(tpg, "tag", 0), tpath, j);
	cfg_list_of(vs->doc, e, "luns", &luns);
	cfg_list_of(vs->doc, e, "portals", &portals);
	cfg_list_of(vs->doc, e, "node_acls", &acls);
	if (arr(tpg, "luns"))
		check_luns(vs, p, &luns);
	if (arr(tpg, "portals")) {
		if (f && !(f->features & LIO_FEAT_NPS) && portals.n)
			verr(vs, "%s.portals: fabric %s has no network portals", p, f->name);
		check_portals(vs, p, &portals);
	}
	if (arr(tpg, "node_acls")) {
		if (f && !(f->features & LIO_FEAT_ACLS) && acls.n)
			verr(vs, "%s.node_acls: fabric %s has no ACLs", p, f->name);
		check_acls(vs, f, p, &luns, &acls);
	}
	if (f && !(f->features & LIO_FEAT_NEXUS) && lio_jget(tpg, "nexus"))
		verr(vs, "%s.nexus: fabric %s has no nexus", p, f->name);
}

static void check_tpgs(struct vstate *vs, const struct lio_fabric *f, const char *tpath,
		       const struct cfg_list *tpgs)
{
	long long *tags = calloc(tpgs->n ? tpgs->n : 1, sizeof(*tags));

	if (!tags) {
		vs->oom = -ENOMEM;
		return;
	}
	if (f && !(f->features & LIO_FEAT_TPGTS) && tpgs->n > 1)
		verr(vs, "%s.tpgs: fabric %s takes one TPG, the file has %zu", tpath, f->name,
		     tpgs->n);
	for (size_t i = 0; i < tpgs->n; i++) {
		struct cfg_elem e;

		tags[i] = -1;
		if (!get(vs, tpgs, i, &e))
			continue;
		tags[i] = lio_jint(e.obj, "tag", -1);
		check_tpg(vs, f, tpath, &e, i, tags);
		cfg_elem_put(&e);
	}
	free(tags);
}

/* Normalised WWN of a target entry, as the target code makes it. */
static int target_norm(struct lio_ctx *ctx, const struct lio_fabric *f, const char *wwn,
		       char **out)
{
	_cleanup_free_ char *fixed = strdup(wwn);

	if (!fixed)
		return -ENOMEM;
	if (!strncasecmp(fixed, "naa.6", 5))
		fixed[4] = '5';
	return lio_wwn_normalize(ctx, fixed, f->wwn_types, out, NULL);
}

static bool target_selected(struct lio_ctx *ctx, const struct lio_restore_opts *o,
			    const struct lio_fabric *f, const char *wwn)
{
	_cleanup_free_ char *a = NULL, *b = NULL;

	if (o->storage_object && *o->storage_object && !(o->target && *o->target))
		return false;
	if (!o->target || !*o->target)
		return true;
	if (!wwn)
		return false;
	if (!strcmp(wwn, o->target))
		return true;
	return f && target_norm(ctx, f, wwn, &a) == 0 && target_norm(ctx, f, o->target, &b) == 0 &&
	       !strcmp(a, b);
}

static void check_target(struct vstate *vs, const struct cfg_elem *e, size_t i, char **norms,
			 const struct lio_fabric **fabs)
{
	struct json_object *t = e->obj;
	const struct lio_fabric *f = NULL;
	const char *wwn, *fname;
	struct cfg_list tpgs;
	char p[64];

	snprintf(p, sizeof(p), "targets[%zu]", i);
	if (!check_fields(vs, p, t, target_fields, ARRAY_SIZE(target_fields)))
		return;
	wwn = lio_jstr(t, "wwn");
	fname = lio_jstr(t, "fabric");
	if (fname && !(f = lio_fabric_find(fname)))
		verr(vs, "%s.fabric: unknown fabric '%s'", p, fname);
	if (!target_selected(vs->ctx, vs->opts, f, wwn))
		return;
	if (f && wwn) {
		if (target_norm(vs->ctx, f, wwn, &norms[i]) < 0) {
			verr(vs, "%s.wwn: %s", p, lio_errmsg(vs->ctx));
		} else {
			fabs[i] = f;
			for (size_t j = 0; j < i; j++)
				if (fabs[j] == f && norms[j] && !strcmp(norms[j], norms[i]))
					verr(vs, "%s.wwn: duplicate target %s %s (also targets[%zu])", p,
					     f->name, norms[i], j);
		}
	}
	cfg_list_of(vs->doc, e, "tpgs", &tpgs);
	if (arr(t, "tpgs"))
		check_tpgs(vs, f, p, &tpgs);
}

static void check_targets(struct vstate *vs, const struct cfg_list *targets)
{
	size_t n = targets->n;
	char **norms = calloc(n ? n : 1, sizeof(char *));
	const struct lio_fabric **fabs = calloc(n ? n : 1, sizeof(*fabs));

	if (!norms || !fabs) {
		free(norms);
		free(fabs);
		vs->oom = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct cfg_elem e;

		if (!get(vs, targets, i, &e))
			continue;
		check_target(vs, &e, i, norms, fabs);
		cfg_elem_put(&e);
	}
	for (size_t i = 0; i < n; i++)
		free(norms[i]);
	free(norms);
	free(fabs);
}

static const struct field top_fields[] = {
	{ "fabric_modules", F_ARR, false, 0, 0 },
	{ "storage_objects", F_ARR, false, 0, 0 },
	{ "targets", F_ARR, false, 0, 0 },
};

int lio_config_validate_doc(struct lio_ctx *ctx, struct cfg_doc *doc,
			    const struct lio_restore_opts *opts, struct lio_restore_report *report)
{
	static const struct lio_restore_opts defaults;
	struct lio_restore_report scratch = { 0 };
	struct vstate vs = { .ctx = ctx, .opts = opts ? opts : &defaults,
			     .rep = report ? report : &scratch, .doc = doc };
	struct cfg_elem top = { 0 };
	struct cfg_list list;
	struct json_object *a, *cfg;
	char first[400] = "";
	size_t before = vs.rep->nerrors;
	int r = 0;

	r = cfg_doc_top(doc, &top);
	if (r < 0)
		return r;
	cfg = top.obj;
	if (!cfg || !json_object_is_type(cfg, json_type_object)) {
		verr(&vs, "(top level): expected an object, got %s",
		     cfg ? lio_json_type_desc(json_object_get_type(cfg)) : "nothing");
	} else {
		check_fields(&vs, "", cfg, top_fields, ARRAY_SIZE(top_fields));
		cfg_list_of(doc, &top, "storage_objects", &list);
		if (arr(cfg, "storage_objects"))
			check_sos(&vs, &list);
		if ((a = arr(cfg, "fabric_modules")))
			check_fabrics(&vs, a);
		cfg_list_of(doc, &top, "targets", &list);
		if (arr(cfg, "targets"))
			check_targets(&vs, &list);
	}
	cfg_elem_put(&top);
	for (size_t i = 0; i < vs.nsos; i++)
		free(vs.sos[i].name);
	free(vs.sos);
	lio_keyset_clear(&vs.so_names);
	if (vs.nerr && vs.rep->nerrors > before)
		snprintf(first, sizeof(first), "%s", vs.rep->errors[before]);
	if (vs.fail)
		(void)lio_strv_addf(&vs.rep->errors, &vs.rep->nerrors, "%s", vs.failmsg);
	lio_restore_report_clear(&scratch);
	if (vs.fail)
		return lio_err(ctx, vs.fail, "%s", vs.failmsg);
	if (vs.oom)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (vs.nerr)
		r = lio_err(ctx, -EINVAL, "Invalid configuration, %zu error%s, nothing restored: %s",
			    vs.nerr, vs.nerr == 1 ? "" : "s", first);
	return r;
}

int lio_config_validate(struct lio_ctx *ctx, struct json_object *cfg,
			const struct lio_restore_opts *opts, struct lio_restore_report *report)
{
	struct cfg_doc doc;

	cfg_doc_init_dom(&doc, ctx, cfg);
	return lio_config_validate_doc(ctx, &doc, opts, report);
}
