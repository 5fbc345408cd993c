/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Restore entry points: load the file, validate the whole document before
 * anything is touched, wait for late backing devices, clear (as asked),
 * apply (or, in diff mode, delete what is gone and merge the rest), and in
 * atomic mode put the previous configuration back when anything failed.
 *
 * The configfs state a best-effort restore leaves is targetcli-fb's for the
 * published savefiles (tests/kernel/kt_restore.c compares it with what
 * targetcli-fb 2.1.53 left). Where we differ on purpose:
 *  - The whole file is validated first; a file with wrong types, dangling
 *    references or duplicates applies nothing (rtslib applies what it can
 *    and may crash half-way, e.g. on a LUN's unknown ALUA group).
 *  - Unknown keys are warnings; rtslib passes them to the storage object
 *    constructor, which fails the object ("Could not create StorageObject").
 *  - Without clear_existing, an object that exists is skipped and reported
 *    ("storageobject 'p:n' exist not restoring"), the rest is restored;
 *    rtslib refuses the whole file on the first one.
 *  - clear_existing with target= or storage_object= leaves discovery auth
 *    alone, and fabric_modules are applied only without filters (rtslib
 *    resets discovery auth whatever the filter, then applies the file's).
 *  - Target-level attributes and parameters (cmd_completion_affinity) are
 *    written when they differ from the running value, so that a dump
 *    restores to itself; rtslib never writes them.
 *  - A backing device that is missing, or a block device without medium
 *    (size 0, an unattached loop device), skips its storage object with
 *    "device X is missing" before anything is created for it; fileio on a
 *    missing regular file creates a sparse file of the saved size (the
 *    kernel, through rtslib, creates an empty one; configfs is the same).
 *  - The status: -EIO when anything was skipped (targetcli exits 1; rtslib's
 *    targetctl exits 0 — the caller decides).
 * Limits: a nexus in the file is used only for a TPG without one;
 * fabric modules a failed atomic restore loaded stay loaded.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "config_restore_int.h"

int lio_config_load_file(struct lio_ctx *ctx, const char *path, struct json_object **cfg)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	_cleanup_free_ char *text = NULL;
	size_t len = 0, cap = 0, off;
	FILE *f;
	int e;

	*cfg = NULL;
	f = fopen(path, "re");
	if (!f) {
		e = errno;
		if (e == ENOENT)
			return lio_err(ctx, -ENOENT, "Restore file %s not found", path);
		return lio_err(ctx, -e, "Cannot open %s: %s", path, strerror(e));
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *n = realloc(text, cap = cap ? cap * 2 : 65536);

			if (!n) {
				fclose(f);
				return lio_err(ctx, -ENOMEM, "Out of memory");
			}
			text = n;
		}
		got = fread(text + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	e = ferror(f) ? errno : 0;
	fclose(f);
	if (e)
		return lio_err(ctx, -e, "Cannot read %s: %s", path, strerror(e));
	text[len] = '\0';
	tok = json_tokener_new();
	if (!tok)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	obj = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	off = tok->char_offset;
	json_tokener_free(tok);
	if (!obj || jerr != json_tokener_success) {
		unsigned line = 1;

		for (size_t i = 0; i < off && i < len; i++)
			line += text[i] == '\n';
		json_object_put(obj);
		return lio_err(ctx, -EINVAL, "%s is not valid JSON: %s at line %u", path,
			       len ? json_tokener_error_desc(jerr) : "empty file", line);
	}
	*cfg = obj;
	return 0;
}

/* ---- waiting for devices ---- */

static bool so_selected(const struct lio_restore_opts *o, const char *name)
{
	if (o->target && *o->target)
		return false;
	return !(o->storage_object && *o->storage_object) ||
	       (name && !strcmp(name, o->storage_object));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The backing devices the restore needs, read once: the wait polls them. */
static int needed_devices(struct rs_state *st, struct cfg_doc *doc, char ***devs, size_t *n)
{
	struct cfg_elem top, so;
	struct cfg_list list;
	int r = cfg_doc_top(doc, &top);

	if (r < 0)
		return r;
	cfg_list_of(doc, &top, "storage_objects", &list);
	for (size_t i = 0; i < list.n && r == 0; i++) {
		const char *dev;

		r = cfg_list_get(&list, i, &so);
		if (r < 0)
			break;
		dev = lio_so_entry_device(so.obj);
		if (dev && so_selected(st->opts, lio_jstr(so.obj, "name")))
			r = lio_strv_addf(devs, n, "%s", dev);
		cfg_elem_put(&so);
	}
	cfg_elem_put(&top);
	return r;
}

static size_t missing_devices(char **devs, size_t n)
{
	size_t missing = 0;

	for (size_t i = 0; i < n; i++)
		missing += !lio_device_present(devs[i]);
	return missing;
}

static void wait_devices(struct rs_state *st, struct cfg_doc *doc)
{
	double end = now() + st->opts->wait_secs;
	char **devs = NULL;
	size_t n = 0;

	/* Without the list there is nothing to wait for: the apply reports them. */
	if (needed_devices(st, doc, &devs, &n) < 0) {
		lio_strv_clear(&devs, &n);
		return;
	}
	while (missing_devices(devs, n) && now() < end) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	lio_strv_clear(&devs, &n);
}

/* ---- snapshot and rollback ---- */

struct snapshot {
	struct json_object *cfg;
	unsigned *hba;   /* HBA index of each storage object, in dump order */
	size_t nhba;
};

static void snapshot_free(struct snapshot *s)
{
	json_object_put(s->cfg);
	free(s->hba);
	memset(s, 0, sizeof(*s));
}

/* What lio_config_dump leaves out and a rollback needs: discovery
 * credentials that are set but not enforced. (The nexus of loopback-like
 * TPGs is left out too; a re-created TPG gets a new one.) */
static int snapshot_extras(struct lio_ctx *ctx, struct json_object *cfg)
{
	struct json_object *fms = lio_jget(cfg, "fabric_modules");

	for (size_t fi = 0; fms && fi < lio_fabric_count(); fi++) {
		static const char *const keys[LIO_AUTH_KEYS] = {
			"discovery_userid", "discovery_password", "discovery_mutual_userid",
			"discovery_mutual_password",
		};
		const struct lio_fabric *f = lio_fabric_at(fi);
		struct json_object *d;
		bool enforce = false, any = false;

		if (!(f->features & LIO_FEAT_DISCOVERY_AUTH) || !lio_fabric_loaded(ctx, f) ||
		    (lio_discovery_auth_get_enforce(ctx, f, &enforce) == 0 && enforce))
			continue; /* enforced ones are in the dump */
		d = json_object_new_object();
		if (!d)
			return -ENOMEM;
		json_object_object_add(d, "name", json_object_new_string(f->name));
		for (int k = 0; k < LIO_AUTH_KEYS; k++) {
			char *v = NULL;

			if (lio_discovery_auth_get(ctx, f, (enum lio_auth_key)k, &v) == 0 && *v) {
				json_object_object_add(d, keys[k], json_object_new_string(v));
				any = true;
			}
			free(v);
		}
		if (any)
			json_object_array_add(fms, d);
		else
			json_object_put(d);
	}
	return 0;
}

static int snapshot_take(struct lio_ctx *ctx, struct snapshot *s)
{
	struct lio_so **sos;
	size_t n;
	int r;

	r = lio_config_dump(ctx, &s->cfg);
	if (r < 0)
		return r;
	if (snapshot_extras(ctx, s->cfg) < 0)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_so_list(ctx, -1, &sos, &n);
	if (r < 0)
		return r;
	s->hba = calloc(n ? n : 1, sizeof(*s->hba));
	if (!s->hba) {
		lio_list_free(sos, n);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	for (size_t i = 0; i < n; i++)
		s->hba[i] = lio_so_hba_index(sos[i]);
	s->nhba = n;
	lio_list_free(sos, n);
	return 0;
}

/*
 * Put the snapshot back on an empty configuration. Storage objects get
 * their old HBA numbers: they are created in HBA order while empty
 * placeholder HBAs hold the numbers in between, since each create takes
 * the smallest free one.
 */
static void rollback(struct lio_ctx *ctx, struct snapshot *s, struct lio_restore_report *rep)
{
	static const struct lio_restore_opts none;
	struct rs_state st = { .ctx = ctx, .opts = &none, .rep = rep, .changed_only = true,
			       .all_alua = true, .prefix = "rollback: " };
	unsigned *sorted = NULL, *holes = NULL;
	size_t nholes = 0;
	char path[4096];

	if (lio_clear(ctx) < 0) {
		(void)lio_strv_addf(&rep->errors, &rep->nerrors,
				    "rollback: cannot clear the configuration: %s", lio_errmsg(ctx));
		return;
	}
	if (s->nhba) {
		sorted = malloc(s->nhba * sizeof(*sorted));
		if (sorted) {
			memcpy(sorted, s->hba, s->nhba * sizeof(*sorted));
			qsort(sorted, s->nhba, sizeof(*sorted), lio_cmp_unsigned);
			holes = calloc(sorted[s->nhba - 1] + 1, sizeof(*holes));
		}
		for (unsigned i = 0, k = 0; holes && i < sorted[s->nhba - 1]; i++) {
			while (k < s->nhba && sorted[k] < i)
				k++;
			if (k < s->nhba && sorted[k] == i)
				continue;
			snprintf(path, sizeof(path), "%s/core/rd_mcp_%u", lio_target_root(ctx), i);
			if (lio_mkdir(ctx, path) == 0)
				holes[nholes++] = i;
		}
	}
	{
		struct cfg_doc doc;

		cfg_doc_init_dom(&doc, ctx, s->cfg);
		lio_config_apply(&st, &doc);
	}
	for (size_t i = 0; i < nholes; i++) {
		snprintf(path, sizeof(path), "%s/core/rd_mcp_%u", lio_target_root(ctx), holes[i]);
		(void)lio_rmdir(ctx, path);
	}
	free(holes);
	free(sorted);
}

/* ---- clearing with filters ---- */

static int clear_filtered(struct lio_ctx *ctx, const struct lio_restore_opts *o)
{
	bool tf = o->target && *o->target, sf = o->storage_object && *o->storage_object;
	int r = 0;

	if (!tf && !sf)
		return lio_clear(ctx);
	if (tf) {
		for (size_t i = 0; i < lio_fabric_count() && r >= 0; i++) {
			const struct lio_fabric *f = lio_fabric_at(i);
			struct lio_target *t = NULL;

			if (!lio_fabric_loaded(ctx, f) || lio_target_lookup(ctx, f, o->target, &t) < 0)
				continue;
			r = lio_target_delete(t);
			lio_target_unref(t);
		}
	}
	if (sf) {
		struct lio_so **sos;
		size_t n;

		r = r < 0 ? r : lio_so_list(ctx, -1, &sos, &n);
		if (r < 0)
			return r;
		for (size_t i = 0; i < n && r >= 0; i++)
			if (!strcmp(lio_so_name(sos[i]), o->storage_object))
				r = lio_so_delete(sos[i]);
		lio_list_free(sos, n);
	}
	return r < 0 ? r : 0;
}

/* ---- entry points ---- */

static int restore_doc(struct lio_ctx *ctx, struct cfg_doc *doc,
		       const struct lio_restore_opts *opts, struct lio_restore_report *report)
{
	static const struct lio_restore_opts defaults;
	struct lio_restore_report scratch = { 0 };
	struct lio_restore_report *rep = report ? report : &scratch;
	struct lio_restore_opts o = opts ? *opts : defaults;
	struct snapshot snap = { 0 };
	struct rs_state st = { .ctx = ctx, .opts = &o, .rep = rep };
	int r;

	/* A dry run is a plan, which only the diff mode makes. */
	if (o.dry_run)
		o.diff = true;
	r = lio_config_validate_doc(ctx, doc, &o, rep);
	if (r < 0)
		goto out;
	if (o.wait_secs && !o.dry_run)
		wait_devices(&st, doc);
	if (o.atomic && !o.dry_run) {
		r = snapshot_take(ctx, &snap);
		if (r < 0)
			goto out;
	}
	if (o.diff) {
		st.merge = true;
		st.dry_run = o.dry_run;
		lio_config_diff_delete(&st, doc);
		lio_config_apply(&st, doc);
	} else {
		if (o.clear_existing) {
			r = clear_filtered(ctx, &o);
			if (r < 0) {
				st.nerr++;
				(void)lio_strv_addf(&rep->errors, &rep->nerrors,
						    "(running configuration): cannot clear: %s",
						    lio_errmsg(ctx));
			}
		}
		st.keep_existing = !o.clear_existing;
		if (r >= 0)
			lio_config_apply(&st, doc);
	}
	r = 0;
	if (st.nerr && o.atomic && !o.dry_run) {
		rollback(ctx, &snap, rep);
		r = lio_err(ctx, -ECANCELED,
			    "Configuration not restored, %zu error%s; the previous configuration was put back",
			    st.nerr, st.nerr == 1 ? "" : "s");
	} else if (st.nerr) {
		r = lio_err(ctx, -EIO, "Configuration restored, %zu recoverable errors", st.nerr);
	}
out:
	snapshot_free(&snap);
	lio_restore_report_clear(&scratch);
	return r;
}

int lio_config_restore(struct lio_ctx *ctx, struct json_object *cfg,
		       const struct lio_restore_opts *opts, struct lio_restore_report *report)
{
	struct cfg_doc doc;

	cfg_doc_init_dom(&doc, ctx, cfg);
	return restore_doc(ctx, &doc, opts, report);
}

/*
 * A file is not loaded whole: it is scanned for where its elements are,
 * then read and parsed one element at a time, once to validate and once to
 * apply, so that a configuration of thousands of objects takes the memory
 * of one of them (and of the names cross-checks need), not of the file.
 */
int lio_config_restore_file(struct lio_ctx *ctx, const char *path,
			    const struct lio_restore_opts *opts, struct lio_restore_report *report)
{
	struct cfg_doc doc;
	int r;

	r = cfg_doc_open(&doc, ctx, path);
	if (r < 0) {
		if (report)
			(void)lio_strv_addf(&report->errors, &report->nerrors, "%s",
					    lio_errmsg(ctx));
		return r;
	}
	r = restore_doc(ctx, &doc, opts, report);
	cfg_doc_close(&doc);
	if (!(opts && opts->dry_run)) {
		lio_so_names_refresh(ctx);
		lio_lun_cache_refresh(ctx);
	}
	if (opts && opts->mark_incomplete && !opts->dry_run && (r == 0 || r == -EIO)) {
		char msg[sizeof(ctx->errmsg)];
		int m;

		/* Keep the restore's message over the marker's. */
		memcpy(msg, ctx->errmsg, sizeof(msg));
		m = r == 0 ? lio_restore_mark_clear(ctx, path)
			   : lio_restore_mark_incomplete(ctx, path, msg);
		if (m < 0 && report)
			(void)lio_strv_addf(&report->warnings, &report->nwarnings,
					    "restore marker: %s", lio_errmsg(ctx));
		memcpy(ctx->errmsg, msg, sizeof(msg));
	}
	return r;
}
