/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Apply a validated saveconfig.json document, in rtslib-fb's order
 * (RTSRoot.restore): storage objects with their attributes and ALUA
 * groups, fabric modules (discovery auth), then targets: per TPG the
 * attributes, parameters, LUNs, portals, ACLs (attributes, mapped LUNs,
 * tag, CHAP), enable, CHAP. What the kernel refuses is skipped and reported
 * with its JSON path; the rest goes on.
 *
 * In merge (diff) mode objects that exist are kept, values are written only
 * where they differ, and each change is a plan line; with dry_run nothing
 * is written.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "config_restore_int.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

static void add_line(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return;
	(void)lio_strv_addf(v, n, "%s", s);
	free(s);
}

void rs_skip(struct rs_state *st, const char *path, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	st->nerr++;
	(void)lio_strv_addf(&st->rep->errors, &st->rep->nerrors, "%s%s: %s, skipped",
			    st->prefix ? st->prefix : "", path, msg ? msg : "(out of memory)");
	free(msg);
}

void rs_plan(struct rs_state *st, const char *fmt, ...)
{
	va_list ap;

	if (!st->merge)
		return;
	va_start(ap, fmt);
	add_line(&st->rep->plan, &st->rep->nplan, fmt, ap);
	va_end(ap);
}

void rs_warn(struct rs_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(&st->rep->warnings, &st->rep->nwarnings, fmt, ap);
	va_end(ap);
}

bool rs_get(struct rs_state *st, const struct cfg_list *l, size_t i, const char *path,
	    struct cfg_elem *e)
{
	if (cfg_list_get(l, i, e) == 0)
		return true;
	rs_skip(st, path, "%s", lio_errmsg(st->ctx));
	return false;
}

/* ---- devices ---- */

const char *lio_so_entry_device(struct json_object *so)
{
	const char *plugin = lio_jstr(so, "plugin"), *dev = lio_jstr(so, "dev");
	enum lio_plugin p;

	if (!plugin || !dev || lio_plugin_from_name(plugin, &p) < 0)
		return NULL;
	switch (p) {
	case LIO_PLUGIN_BLOCK:
		return dev;
	case LIO_PLUGIN_PSCSI:
		return dev[0] == '/' ? dev : NULL;
	case LIO_PLUGIN_FILEIO:
		/* A missing file is created; a missing device node is not. */
		return !strncmp(dev, "/dev/", 5) ? dev : NULL;
	default:
		return NULL;
	}
}

bool lio_device_present(const char *dev)
{
	_cleanup_free_ char *sys = NULL, *size = NULL;
	struct stat st;

	if (stat(dev, &st) < 0)
		return false;
	if (!S_ISBLK(st.st_mode))
		return true;
	/* A loop or removable device without medium has size 0. */
	sys = lio_strdupf("/sys/dev/block/%u:%u/size", major(st.st_rdev), minor(st.st_rdev));
	if (!sys || lio_read_file_quiet(sys, &size) < 0)
		return true;
	return strcmp(size, "0") != 0;
}

/* ---- attributes ---- */

static bool same_value(const char *cur, const char *want)
{
	return cur && !strcmp(cur, want);
}

/* Write the scalars of @map into @group of @obj ("attrib", "param"). */
static void set_group(struct rs_state *st, struct lio_obj *obj, const char *group,
		      struct json_object *map, const char *path, bool changed_only)
{
	if (!map || !json_object_is_type(map, json_type_object))
		return;
	json_object_object_foreach(map, key, val)
	{
		_cleanup_free_ char *want = lio_json_scalar_text(val), *cur = NULL;
		char p[700], why[sizeof(st->ctx->errmsg)];
		int r = 0;

		snprintf(p, sizeof(p), "%s.%s", path, key);
		if (!want)
			continue;
		if (changed_only || st->merge) {
			r = lio_attr_get(obj, group, key, &cur);
			if (r == 0 && same_value(cur, want))
				continue;
			if (r != -ENOENT) {
				rs_plan(st, "set %s: %s -> %s", p, cur ? cur : "?", want);
				if (st->dry_run)
					continue;
			}
		}
		/* written without a look first: a restore writes thousands */
		if (r != -ENOENT)
			r = lio_attr_set(obj, group, key, want);
		if (r == -ENOENT) {
			rs_skip(st, p, "Cannot find %s: %s",
				!strcmp(group, "param") ? "parameter" : "attribute", key);
			continue;
		}
		if (r == 0)
			continue;
		/*
		 * Some backends refuse any write of some attributes once set up
		 * (a user object's dev_size, say), the value it already has
		 * included: that is no failure. Otherwise the library's message
		 * names the file, the value and the cause.
		 */
		snprintf(why, sizeof(why), "%s", lio_errmsg(st->ctx));
		free(cur);
		cur = NULL;
		if (lio_attr_get(obj, group, key, &cur) == 0 && same_value(cur, want))
			continue;
		rs_skip(st, p, "%s", why);
	}
}

static const char *const chap_keys[LIO_AUTH_KEYS] = {
	[LIO_AUTH_USERID] = "chap_userid",
	[LIO_AUTH_PASSWORD] = "chap_password",
	[LIO_AUTH_MUTUAL_USERID] = "chap_mutual_userid",
	[LIO_AUTH_MUTUAL_PASSWORD] = "chap_mutual_password",
};

/* chap_* of a TPG or ACL; in merge mode an absent key means unset. */
static void set_chap(struct rs_state *st, struct lio_obj *obj, struct json_object *d,
		     const char *path)
{
	for (int k = 0; k < LIO_AUTH_KEYS; k++) {
		const char *want = lio_jstr(d, chap_keys[k]);
		_cleanup_free_ char *cur = NULL;
		char p[700];

		snprintf(p, sizeof(p), "%s.%s", path, chap_keys[k]);
		if (!st->merge && !st->changed_only) {
			if (!want || !*want)
				continue; /* rtslib: only values that are set */
		} else {
			if (!want)
				want = "";
			if (lio_auth_get(obj, (enum lio_auth_key)k, &cur) == 0 && !strcmp(cur, want))
				continue;
			/* Secrets are not shown in plans. */
			rs_plan(st, "set %s", p);
			if (st->dry_run)
				continue;
		}
		if (lio_auth_set(obj, (enum lio_auth_key)k, want) < 0)
			rs_skip(st, p, "%s", lio_errmsg(st->ctx));
	}
}

/* ---- storage objects ---- */

static enum lio_tristate tri(struct json_object *d, const char *key, bool dflt)
{
	return lio_jbool(d, key, dflt) ? LIO_YES : LIO_NO;
}

static void so_spec(struct json_object *d, enum lio_plugin plugin, struct lio_so_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->plugin = plugin;
	s->name = lio_jstr(d, "name");
	s->dev = lio_jstr(d, "dev");
	s->size = (uint64_t)lio_jint(d, "size", 0);
	s->wwn = lio_jstr(d, "wwn");
	/* rtslib's constructor defaults, not targetcli's create defaults. */
	s->write_back = tri(d, "write_back", false);
	s->sparse = LIO_YES;
	s->readonly = tri(d, "readonly", false);
	s->aio = tri(d, "aio", false);
	s->nullio = lio_jbool(d, "nullio", false);
	s->config = lio_jstr(d, "config");
	s->hw_max_sectors = (uint32_t)lio_jint(d, "hw_max_sectors", 0);
	s->control = lio_jstr(d, "control");
	if (plugin == LIO_PLUGIN_BLOCK)
		s->write_back = LIO_DEFAULT;
}

/* Merge mode: what differs between the entry and the running object in
 * settings that only a re-creation changes; NULL when nothing. */
static char *so_recreate_reason(struct lio_so *so, struct json_object *d)
{
	struct lio_so_info info = { 0 };
	const char *dev = lio_jstr(d, "dev"), *wwn = lio_jstr(d, "wwn");
	enum lio_plugin p = lio_so_plugin(so);
	char *why = NULL;

	if (lio_so_get_info(so, &info) < 0)
		return NULL;
	if (dev && p != LIO_PLUGIN_RAMDISK && p != LIO_PLUGIN_USER && info.dev &&
	    strcmp(dev, info.dev))
		why = lio_strdupf("dev: %s -> %s", info.dev, dev);
	else if (wwn && p != LIO_PLUGIN_PSCSI && info.wwn && strcmp(wwn, info.wwn))
		why = lio_strdupf("wwn: %s -> %s", info.wwn, wwn);
	else if ((p == LIO_PLUGIN_RAMDISK || p == LIO_PLUGIN_USER) && lio_jget(d, "size") &&
		 (uint64_t)lio_jint(d, "size", 0) != info.size)
		why = lio_strdupf("size: %llu -> %lld", (unsigned long long)info.size,
				  lio_jint(d, "size", 0));
	else if (p == LIO_PLUGIN_FILEIO && lio_jget(d, "size") && info.size &&
		 (uint64_t)lio_jint(d, "size", 0) != info.size)
		why = lio_strdupf("size: %llu -> %lld", (unsigned long long)info.size,
				  lio_jint(d, "size", 0));
	else if (p == LIO_PLUGIN_BLOCK && lio_jget(d, "readonly") &&
		 lio_jbool(d, "readonly", false) != info.readonly)
		why = lio_strdupf("readonly: %d -> %d", info.readonly,
				  lio_jbool(d, "readonly", false));
	else if (p == LIO_PLUGIN_RAMDISK && lio_jbool(d, "nullio", false) != info.nullio)
		why = lio_strdupf("nullio: %d -> %d", info.nullio, lio_jbool(d, "nullio", false));
	else if (p == LIO_PLUGIN_FILEIO && lio_jget(d, "aio") &&
		 lio_jbool(d, "aio", false) != info.aio)
		why = lio_strdupf("aio: %d -> %d", info.aio, lio_jbool(d, "aio", false));
	lio_so_info_clear(&info);
	return why;
}

static void apply_alua(struct rs_state *st, struct lio_so *so, struct json_object *groups,
		       const char *path)
{
	size_t n = groups ? json_object_array_length(groups) : 0;

	if (!n || !lio_so_alua_supported(so))
		return; /* rtslib: "not supported" is not an error */
	for (size_t i = 0; i < n; i++) {
		struct json_object *g = json_object_array_get_idx(groups, i);
		const char *name = lio_jstr(g, "name");
		struct lio_alua_tpg *tpg = NULL;
		bool is_default, created = false;
		char p[600];

		snprintf(p, sizeof(p), "%s.alua_tpgs[%zu]", path, i);
		if (!name)
			continue;
		is_default = !strcmp(name, "default_tg_pt_gp");
		/* rtslib leaves the kernel's group alone; we set what differs. */
		if (is_default && !st->merge && !st->all_alua)
			continue;
		if (lio_alua_tpg_lookup(so, name, &tpg) < 0) {
			if (is_default)
				continue;
			rs_plan(st, "create ALUA group %s in /backstores/%s/%s", name,
				lio_plugin_name(lio_so_plugin(so)), lio_so_name(so));
			if (st->dry_run)
				continue;
			if (lio_alua_tpg_create(so, name, (unsigned)lio_jint(g, "tg_pt_gp_id", 0),
						&tpg) < 0) {
				rs_skip(st, p, "%s", lio_errmsg(st->ctx));
				continue;
			}
			created = true;
		}
		json_object_object_foreach(g, key, val)
		{
			long long want, cur = -1;
			char kp[700];

			if (!strcmp(key, "name") || !strcmp(key, "tg_pt_gp_id") ||
			    !json_object_is_type(val, json_type_int))
				continue;
			want = json_object_get_int64(val);
			snprintf(kp, sizeof(kp), "%s.%s", p, key);
			if (!created || st->changed_only || st->merge) {
				if (lio_alua_tpg_get_int(tpg, key, &cur) == 0 && cur == want)
					continue;
			}
			if (!created) {
				rs_plan(st, "set %s: %lld -> %lld", kp, cur, want);
				if (st->dry_run)
					continue;
			}
			if (lio_alua_tpg_set_int(tpg, key, want) < 0)
				rs_skip(st, kp, "Could not set attribute '%s' for alua tpg '%s': %s",
					key, name, lio_errmsg(st->ctx));
		}
		lio_alua_tpg_unref(tpg);
	}
}

static bool so_filtered_out(const struct lio_restore_opts *o, const char *name)
{
	if (o->target && *o->target)
		return true;
	return o->storage_object && *o->storage_object && strcmp(name, o->storage_object);
}

static void apply_so(struct rs_state *st, struct json_object *d, size_t i)
{
	const char *name = lio_jstr(d, "name"), *dev;
	struct lio_so *so = NULL;
	enum lio_plugin plugin;
	struct lio_so_spec spec;
	char path[64], ref[300];

	if (!name || lio_plugin_from_name(lio_jstr(d, "plugin"), &plugin) < 0)
		return;
	if (so_filtered_out(st->opts, name))
		return;
	snprintf(path, sizeof(path), "storage_objects[%zu]", i);
	snprintf(ref, sizeof(ref), "/backstores/%s/%s", lio_plugin_name(plugin), name);
	if (lio_so_lookup(st->ctx, plugin, name, &so) == 0) {
		_cleanup_free_ char *why = NULL;

		if (st->keep_existing) {
			rs_skip(st, path, "storageobject '%s:%s' exist not restoring",
				lio_plugin_name(plugin), name);
			lio_so_unref(so);
			return;
		}
		if (st->merge && (why = so_recreate_reason(so, d))) {
			rs_plan(st, "delete storage object %s (%s)", ref, why);
			if (!st->dry_run && lio_so_delete(so) < 0) {
				rs_skip(st, path, "%s", lio_errmsg(st->ctx));
				lio_so_unref(so);
				return;
			}
			so = lio_so_unref(so);
		}
	}
	if (!so) {
		dev = lio_so_entry_device(d);
		if (dev && !lio_device_present(dev)) {
			rs_skip(st, path, "Could not create StorageObject %s: device %s is missing",
				name, dev);
			return;
		}
		rs_plan(st, "create storage object %s", ref);
		if (st->dry_run)
			return;
		so_spec(d, plugin, &spec);
		if (lio_so_create(st->ctx, &spec, &so) < 0) {
			rs_skip(st, path, "Could not create StorageObject %s: %s", name,
				lio_errmsg(st->ctx));
			return;
		}
		char apath[80];
		snprintf(apath, sizeof(apath), "%s.attributes", path);
		set_group(st, lio_obj(so), "attrib", lio_jget(d, "attributes"), apath,
			  st->changed_only);
	} else {
		char apath[80];

		snprintf(apath, sizeof(apath), "%s.attributes", path);
		set_group(st, lio_obj(so), "attrib", lio_jget(d, "attributes"), apath, true);
	}
	apply_alua(st, so, lio_jget(d, "alua_tpgs"), path);
	lio_so_unref(so);
}

/* ---- fabric modules ---- */

static void apply_fabric(struct rs_state *st, struct json_object *d, size_t i)
{
	static const char *const keys[LIO_AUTH_KEYS] = {
		[LIO_AUTH_USERID] = "discovery_userid",
		[LIO_AUTH_PASSWORD] = "discovery_password",
		[LIO_AUTH_MUTUAL_USERID] = "discovery_mutual_userid",
		[LIO_AUTH_MUTUAL_PASSWORD] = "discovery_mutual_password",
	};
	const struct lio_fabric *f = lio_fabric_find(lio_jstr(d, "name"));
	char path[64];

	if (!f || !(f->features & LIO_FEAT_DISCOVERY_AUTH))
		return;
	snprintf(path, sizeof(path), "fabric_modules[%zu]", i);
	if (!st->dry_run && lio_fabric_load(st->ctx, f) < 0) {
		rs_skip(st, path, "%s", lio_errmsg(st->ctx));
		return;
	}
	/* In file order, as rtslib: credentials before the enforce flag. */
	json_object_object_foreach(d, key, val)
	{
		char p[200];

		snprintf(p, sizeof(p), "%s.%s", path, key);
		if (!strcmp(key, "discovery_enable_auth")) {
			bool want = json_object_get_boolean(val), cur = false;

			if ((st->merge || st->changed_only) &&
			    lio_discovery_auth_get_enforce(st->ctx, f, &cur) == 0 && cur == want)
				continue;
			rs_plan(st, "set %s: %s -> %s", p, cur ? "true" : "false",
				want ? "true" : "false");
			if (!st->dry_run && lio_discovery_auth_set_enforce(st->ctx, f, want) < 0)
				rs_skip(st, p, "Could not set fabric %s attribute '%s': %s", f->name,
					key, lio_errmsg(st->ctx));
			continue;
		}
		for (int k = 0; k < LIO_AUTH_KEYS; k++) {
			_cleanup_free_ char *cur = NULL;
			const char *want;

			if (strcmp(key, keys[k]))
				continue;
			want = json_object_is_type(val, json_type_string) ? json_object_get_string(val)
									  : "";
			if ((st->merge || st->changed_only) &&
			    lio_discovery_auth_get(st->ctx, f, (enum lio_auth_key)k, &cur) == 0 &&
			    !strcmp(cur, want))
				break;
			rs_plan(st, "set %s", p);
			if (!st->dry_run &&
			    lio_discovery_auth_set(st->ctx, f, (enum lio_auth_key)k, want) < 0)
				rs_skip(st, p, "Could not set fabric %s attribute '%s': %s", f->name,
					key, lio_errmsg(st->ctx));
		}
	}
}

/* ---- targets ---- */

/* @fresh: the TPG was made by this restore, so it holds no LUN yet (no lookup). */
static void apply_lun(struct rs_state *st, struct lio_tpg *tpg, bool fresh, struct json_object *d,
		      const char *path, const char *tdesc)
{
	unsigned idx = (unsigned)lio_jint(d, "index", 0);
	const char *ref = lio_jstr(d, "storage_object"), *name, *grp;
	struct lio_lun *lun = NULL;
	struct lio_so *so = NULL;
	enum lio_plugin plugin;
	bool made = false;
	char p[700];

	if (!ref || lio_so_ref_parse(ref, &plugin, &name) < 0)
		return;
	if (lio_so_lookup(st->ctx, plugin, name, &so) < 0) {
		snprintf(p, sizeof(p), "%s.storage_object", path);
		if (!st->dry_run)
			rs_skip(st, p, "Could not find matching StorageObject %s for LUN %u", ref,
				idx);
		else
			rs_plan(st, "create LUN %s/lun_%u -> %s", tdesc, idx, ref);
		return;
	}
	if (tpg && !fresh && lio_lun_lookup(tpg, idx, &lun) == 0) {
		struct lio_so *cur = NULL;
		bool same = lio_lun_get_so(lun, &cur) == 0 && !strcmp(lio_obj_path(lio_obj(cur)),
								       lio_obj_path(lio_obj(so)));

		lio_so_unref(cur);
		if (!same) {
			rs_plan(st, "delete LUN %s/lun_%u (storage object changed)", tdesc, idx);
			if (!st->dry_run && lio_lun_delete(lun) < 0) {
				rs_skip(st, path, "%s", lio_errmsg(st->ctx));
				goto out;
			}
			lun = lio_lun_unref(lun);
		}
	}
	if (!lun) {
		rs_plan(st, "create LUN %s/lun_%u -> %s", tdesc, idx, ref);
		if (st->dry_run || !tpg)
			goto out;
		if (lio_lun_create_flags(tpg, so, idx, lio_jstr(d, "alias"), LIO_LUN_SHARE_SO,
					 &lun) < 0) {
			rs_skip(st, path, "Creating LUN %u -> %s failed: %s", idx, ref,
				lio_errmsg(st->ctx));
			goto out;
		}
		made = true;
	}
	grp = lio_jstr(d, "alua_tg_pt_gp_name");
	/* a new LUN starts in the default group: nothing to read or write */
	if (grp && !(made && !strcmp(grp, "default_tg_pt_gp"))) {
		_cleanup_free_ char *cur = NULL;

		/* Backends without ALUA: rtslib sets it only when it reads non-empty. */
		if (lio_lun_get_alua_group(lun, &cur) == 0 && *cur && strcmp(cur, grp)) {
			snprintf(p, sizeof(p), "%s.alua_tg_pt_gp_name", path);
			rs_plan(st, "set %s: %s -> %s", p, cur, grp);
			if (!st->dry_run && lio_lun_set_alua_group(lun, grp) < 0)
				rs_skip(st, p, "%s", lio_errmsg(st->ctx));
		}
	}
out:
	lio_lun_unref(lun);
	lio_so_unref(so);
}

static void set_flag(struct rs_state *st, struct lio_portal *pt, struct json_object *d,
		     const char *key, const char *path,
		     int (*get)(struct lio_portal *, bool *),
		     int (*set)(struct lio_portal *, bool))
{
	bool want = lio_jbool(d, key, false), cur = false;
	char p[700];

	if (get(pt, &cur) == 0 && cur == want)
		return;
	snprintf(p, sizeof(p), "%s.%s", path, key);
	rs_plan(st, "set %s: %s -> %s", p, cur ? "true" : "false", want ? "true" : "false");
	if (!st->dry_run && set(pt, want) < 0)
		rs_skip(st, p, "%s", lio_errmsg(st->ctx));
}

static void apply_portal(struct rs_state *st, struct lio_tpg *tpg, struct json_object *d,
			 const char *path, const char *tdesc)
{
	const char *ip = lio_jstr(d, "ip_address");
	unsigned port = (unsigned)lio_jint(d, "port", 3260);
	struct lio_portal *pt = NULL;

	if (!ip)
		return;
	if (!tpg || lio_portal_lookup(tpg, ip, port, &pt) < 0) {
		rs_plan(st, "create portal %s/np/%s:%u", tdesc, ip, port);
		if (st->dry_run || !tpg)
			return;
		if (lio_portal_create(tpg, ip, port, &pt) < 0) {
			rs_skip(st, path, "Creating NetworkPortal object %s:%u failed: %s", ip, port,
				lio_errmsg(st->ctx));
			return;
		}
	}
	set_flag(st, pt, d, "iser", path, lio_portal_get_iser, lio_portal_set_iser);
	set_flag(st, pt, d, "offload", path, lio_portal_get_offload, lio_portal_set_offload);
	lio_portal_unref(pt);
}

/* @fresh: the ACL was made by this restore, so it holds none yet (no lookup). */
static void apply_mapped_lun(struct rs_state *st, struct lio_acl *acl, bool fresh,
			     struct json_object *d, const char *path, const char *adesc)
{
	unsigned idx = (unsigned)lio_jint(d, "index", 0), tl = (unsigned)lio_jint(d, "tpg_lun", 0);
	bool wp = lio_jbool(d, "write_protect", false), cur_wp = false;
	struct lio_mapped_lun *ml = NULL;
	unsigned cur_tl;

	if (acl && !fresh && lio_mapped_lun_lookup(acl, idx, &ml) == 0) {
		if (lio_mapped_lun_get_tpg_lun(ml, &cur_tl) < 0 || cur_tl != tl) {
			rs_plan(st, "delete mapped LUN %s/lun_%u (TPG LUN changed)", adesc, idx);
			if (!st->dry_run && lio_mapped_lun_delete(ml) < 0) {
				rs_skip(st, path, "%s", lio_errmsg(st->ctx));
				lio_mapped_lun_unref(ml);
				return;
			}
			ml = lio_mapped_lun_unref(ml);
		}
	}
	if (!ml) {
		rs_plan(st, "create mapped LUN %s/lun_%u -> lun_%u", adesc, idx, tl);
		if (st->dry_run || !acl)
			return;
		if (lio_mapped_lun_create(acl, idx, tl, wp, lio_jstr(d, "alias"), &ml) < 0)
			rs_skip(st, path, "Creating MappedLUN object %u failed: %s", idx,
				lio_errmsg(st->ctx));
		lio_mapped_lun_unref(ml);
		return;
	}
	if (lio_mapped_lun_get_write_protect(ml, &cur_wp) < 0 || cur_wp != wp) {
		char p[700];

		snprintf(p, sizeof(p), "%s.write_protect", path);
		rs_plan(st, "set %s: %s -> %s", p, cur_wp ? "true" : "false", wp ? "true" : "false");
		if (!st->dry_run && lio_mapped_lun_set_write_protect(ml, wp) < 0)
			rs_skip(st, p, "%s", lio_errmsg(st->ctx));
	}
	lio_mapped_lun_unref(ml);
}

static void apply_acl(struct rs_state *st, struct lio_tpg *tpg, const struct cfg_elem *e,
		      const char *path, const char *tdesc)
{
	struct json_object *d = e->obj;
	const char *wwn = lio_jstr(d, "node_wwn"), *tag;
	struct cfg_list mls;
	struct lio_acl *acl = NULL;
	char p[700], adesc[600];
	bool fresh = false;

	if (!wwn)
		return;
	snprintf(adesc, sizeof(adesc), "%s/acls/%s", tdesc, wwn);
	if (!tpg || lio_acl_lookup(tpg, wwn, &acl) < 0) {
		rs_plan(st, "create ACL %s", adesc);
		if (st->dry_run || !tpg)
			return;
		if (lio_acl_create(tpg, wwn, &acl) < 0) {
			rs_skip(st, path, "Error when creating NodeACL for %s: %s", wwn,
				lio_errmsg(st->ctx));
			return;
		}
		fresh = true;
	}
	snprintf(p, sizeof(p), "%s.attributes", path);
	set_group(st, lio_obj(acl), "attrib", lio_jget(d, "attributes"), p, st->changed_only);
	cfg_list_of(st->doc, e, "mapped_luns", &mls);
	for (size_t i = 0; i < mls.n; i++) {
		struct cfg_elem ml;

		snprintf(p, sizeof(p), "%s.mapped_luns[%zu]", path, i);
		if (!rs_get(st, &mls, i, p, &ml))
			continue;
		apply_mapped_lun(st, acl, fresh, ml.obj, p, adesc);
		cfg_elem_put(&ml);
	}
	tag = lio_jstr(d, "tag");
	if (tag || st->merge || st->changed_only) {
		_cleanup_free_ char *cur = NULL;

		if (!tag)
			tag = "";
		if (lio_acl_get_tag(acl, &cur) < 0 || strcmp(cur, tag)) {
			snprintf(p, sizeof(p), "%s.tag", path);
			rs_plan(st, "set %s: %s -> %s", p, cur ? cur : "", tag);
			if (!st->dry_run && lio_acl_set_tag(acl, tag) < 0)
				rs_skip(st, p, "%s", lio_errmsg(st->ctx));
		}
	}
	set_chap(st, lio_obj(acl), d, path);
	lio_acl_unref(acl);
}

static void apply_tpg(struct rs_state *st, struct lio_target *t, const struct cfg_elem *e,
		      const char *path, const char *tgdesc)
{
	struct json_object *d = e->obj;
	unsigned tag = (unsigned)lio_jint(d, "tag", 0);
	struct cfg_list a;
	struct cfg_elem x;
	struct lio_tpg *tpg = NULL;
	const char *nexus;
	char p[600], tdesc[400];
	bool want, fresh = false;

	if (t && tag && lio_tpg_lookup(t, tag, &tpg) == 0) {
		/* kept */
	} else {
		rs_plan(st, "create TPG %s/tpgt_%u", tgdesc, tag);
		if (!st->dry_run && t && lio_tpg_create(t, tag, &tpg) < 0) {
			rs_skip(st, path, "Could not create TPG %u: %s", tag, lio_errmsg(st->ctx));
			return;
		}
		if (st->dry_run)
			return;
		fresh = true;
	}
	snprintf(tdesc, sizeof(tdesc), "%s/tpgt_%u", tgdesc, lio_tpg_tag(tpg));
	snprintf(p, sizeof(p), "%s.attributes", path);
	set_group(st, lio_obj(tpg), "attrib", lio_jget(d, "attributes"), p, st->changed_only);
	snprintf(p, sizeof(p), "%s.parameters", path);
	set_group(st, lio_obj(tpg), "param", lio_jget(d, "parameters"), p, st->changed_only);
	cfg_list_of(st->doc, e, "luns", &a);
	for (size_t i = 0; i < a.n; i++) {
		snprintf(p, sizeof(p), "%s.luns[%zu]", path, i);
		if (!rs_get(st, &a, i, p, &x))
			continue;
		apply_lun(st, tpg, fresh, x.obj, p, tdesc);
		cfg_elem_put(&x);
	}
	cfg_list_of(st->doc, e, "portals", &a);
	for (size_t i = 0; i < a.n; i++) {
		snprintf(p, sizeof(p), "%s.portals[%zu]", path, i);
		if (!rs_get(st, &a, i, p, &x))
			continue;
		apply_portal(st, tpg, x.obj, p, tdesc);
		cfg_elem_put(&x);
	}
	cfg_list_of(st->doc, e, "node_acls", &a);
	for (size_t i = 0; i < a.n; i++) {
		snprintf(p, sizeof(p), "%s.node_acls[%zu]", path, i);
		if (!rs_get(st, &a, i, p, &x))
			continue;
		apply_acl(st, tpg, &x, p, tdesc);
		cfg_elem_put(&x);
	}
	want = lio_jbool(d, "enable", true);
	{
		bool cur = !want;

		if (lio_tpg_get_enable(tpg, &cur) == 0 && cur != want) {
			snprintf(p, sizeof(p), "%s.enable", path);
			rs_plan(st, "set %s: %s -> %s", p, cur ? "true" : "false",
				want ? "true" : "false");
			if (!st->dry_run && lio_tpg_set_enable(tpg, want) < 0)
				rs_skip(st, p, "%s", lio_errmsg(st->ctx));
		}
	}
	if (lio_tpg_fabric(tpg)->features & LIO_FEAT_AUTH)
		set_chap(st, lio_obj(tpg), d, path);
	/*
	 * rtslib does not save the nexus; a file that has one gets it, unless
	 * the TPG already has one (lio_tpg_create() makes one for nexus
	 * fabrics, and the kernel cannot change it while it exists).
	 */
	nexus = lio_jstr(d, "nexus");
	if (nexus) {
		_cleanup_free_ char *cur = NULL;

		if (lio_tpg_get_nexus(tpg, &cur) < 0 || !*cur) {
			snprintf(p, sizeof(p), "%s.nexus", path);
			rs_plan(st, "set %s: %s -> %s", p, cur ? cur : "", nexus);
			if (!st->dry_run && lio_tpg_set_nexus(tpg, nexus) < 0)
				rs_skip(st, p, "%s", lio_errmsg(st->ctx));
		}
	}
	lio_tpg_unref(tpg);
}

/* Normalised WWN of a target name, as lio_target_create() makes it. */
static char *target_norm(struct lio_ctx *ctx, const struct lio_fabric *f, const char *wwn)
{
	_cleanup_free_ char *fixed = strdup(wwn);
	char *out = NULL;

	if (!fixed)
		return NULL;
	if (!strncasecmp(fixed, "naa.6", 5))
		fixed[4] = '5';
	if (lio_wwn_normalize(ctx, fixed, f->wwn_types, &out, NULL) < 0)
		return NULL;
	return out;
}

static bool target_filtered_out(struct lio_ctx *ctx, const struct lio_restore_opts *o,
				const struct lio_fabric *f, const char *wwn)
{
	_cleanup_free_ char *a = NULL, *b = NULL;

	if (o->storage_object && *o->storage_object && !(o->target && *o->target))
		return true;
	if (!o->target || !*o->target || !strcmp(o->target, wwn))
		return false;
	/* The same target spelled differently. */
	a = target_norm(ctx, f, wwn);
	b = target_norm(ctx, f, o->target);
	return !a || !b || strcmp(a, b);
}

static void apply_target(struct rs_state *st, const struct cfg_elem *e, size_t i)
{
	struct json_object *d = e->obj;
	const struct lio_fabric *f = lio_fabric_find(lio_jstr(d, "fabric"));
	const char *wwn = lio_jstr(d, "wwn");
	struct lio_target *t = NULL;
	struct cfg_list tpgs;
	char path[64], p[600], desc[400];

	if (!f || !wwn || target_filtered_out(st->ctx, st->opts, f, wwn))
		return;
	snprintf(path, sizeof(path), "targets[%zu]", i);
	snprintf(desc, sizeof(desc), "%s/%s", f->name, wwn);
	if (lio_fabric_loaded(st->ctx, f) && lio_target_lookup(st->ctx, f, wwn, &t) == 0) {
		if (st->keep_existing) {
			rs_skip(st, path, "target with wwn %s exist, not restoring",
				lio_target_wwn(t));
			lio_target_unref(t);
			return;
		}
	} else {
		rs_plan(st, "create target %s", desc);
		if (st->dry_run)
			return;
		if (lio_target_create(st->ctx, f, wwn, &t) < 0) {
			rs_skip(st, path, "Could not create Target object: %s", lio_errmsg(st->ctx));
			return;
		}
	}
	/*
	 * rtslib does not restore the target's own attributes and parameters
	 * (e.g. cmd_completion_affinity); we set those that differ, so that a
	 * dump restores to itself.
	 */
	snprintf(p, sizeof(p), "%s.attributes", path);
	set_group(st, lio_obj(t), "attrib", lio_jget(d, "attributes"), p, true);
	snprintf(p, sizeof(p), "%s.parameters", path);
	set_group(st, lio_obj(t), "param", lio_jget(d, "parameters"), p, true);
	cfg_list_of(st->doc, e, "tpgs", &tpgs);
	for (size_t j = 0; j < tpgs.n; j++) {
		struct cfg_elem x;

		snprintf(p, sizeof(p), "%s.tpgs[%zu]", path, j);
		if (!rs_get(st, &tpgs, j, p, &x))
			continue;
		apply_tpg(st, t, &x, p, desc);
		cfg_elem_put(&x);
	}
	lio_target_unref(t);
}

int lio_config_apply(struct rs_state *st, struct cfg_doc *doc)
{
	struct cfg_elem top, x;
	struct cfg_list list;
	struct json_object *a;
	char path[64];

	st->doc = doc;
	if (cfg_doc_top(doc, &top) < 0) {
		rs_skip(st, "(top level)", "%s", lio_errmsg(st->ctx));
		return 0;
	}
	/* LUNs look their objects up by name: read core/ once, not per LUN */
	lio_so_index_begin(st->ctx);
	lio_bulk_begin(st->ctx);
	cfg_list_of(doc, &top, "storage_objects", &list);
	for (size_t i = 0; i < list.n; i++) {
		snprintf(path, sizeof(path), "storage_objects[%zu]", i);
		if (!rs_get(st, &list, i, path, &x))
			continue;
		apply_so(st, x.obj, i);
		cfg_elem_put(&x);
	}
	/* Discovery auth belongs to the whole configuration: not with filters. */
	a = lio_jget(top.obj, "fabric_modules");
	if (!(st->opts->target && *st->opts->target) &&
	    !(st->opts->storage_object && *st->opts->storage_object))
		for (size_t i = 0; a && i < json_object_array_length(a); i++)
			apply_fabric(st, json_object_array_get_idx(a, i), i);
	cfg_list_of(doc, &top, "targets", &list);
	for (size_t i = 0; i < list.n; i++) {
		snprintf(path, sizeof(path), "targets[%zu]", i);
		if (!rs_get(st, &list, i, path, &x))
			continue;
		apply_target(st, &x, i);
		cfg_elem_put(&x);
	}
	lio_bulk_end(st->ctx);
	lio_so_index_end(st->ctx);
	cfg_elem_put(&top);
	return 0;
}
