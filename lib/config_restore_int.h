/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals shared by the restore files: config_report.c (messages and JSON
 * paths), config_validate.c, config_apply.c, config_diff.c and
 * config_restore.c.
 */
#ifndef LIO_CONFIG_RESTORE_INT_H
#define LIO_CONFIG_RESTORE_INT_H

#include <json-c/json.h>

#include "config_doc.h"
#include "private.h"

/* ---- config_report.c ---- */
/* Append a formatted line to a string vector; -ENOMEM only. */
int lio_strv_addf(char ***v, size_t *n, const char *fmt, ...) LIO_PRINTF(3, 4);
/* Free a string vector and zero it. */
void lio_strv_clear(char ***v, size_t *n);

/* A JSON value as text for messages and plans ("1", "\"x\"", "true", "null"). */
const char *lio_json_show(struct json_object *v);
/* A scalar as the text written to a configfs file: ints in decimal,
 * bools 1/0, strings as they are. NULL for objects/arrays/null. */
char *lio_json_scalar_text(struct json_object *v);
/* json-c's type names for messages: "an integer", "a string", ... */
const char *lio_json_type_desc(enum json_type t);

/* Field lookups that treat a JSON null as absent. */
struct json_object *lio_jget(struct json_object *obj, const char *key);
const char *lio_jstr(struct json_object *obj, const char *key);
bool lio_jbool(struct json_object *obj, const char *key, bool dflt);
long long lio_jint(struct json_object *obj, const char *key, long long dflt);

/* "/backstores/<plugin>/<name>" split: plugin (canonical) and name. */
int lio_so_ref_parse(const char *ref, enum lio_plugin *plugin, const char **name);

/* ---- config_apply.c ---- */
struct rs_state {
	struct lio_ctx *ctx;
	const struct lio_restore_opts *opts;
	struct lio_restore_report *rep;
	size_t nerr;          /* errors added by this run */
	bool merge;           /* diff mode: reuse what exists, set what differs */
	bool dry_run;         /* merge only: plan, do not touch */
	bool changed_only;    /* write attributes only when they differ */
	bool keep_existing;   /* objects that exist are errors (no clear, no merge) */
	bool all_alua;        /* also set default_tg_pt_gp values that differ */
	const char *prefix;   /* put before each error (rollback: "rollback: ") */
	struct cfg_doc *doc;  /* the document being applied */
};

/* Add an apply error "<path>: <msg>, skipped"; counts it. */
void rs_skip(struct rs_state *st, const char *path, const char *fmt, ...) LIO_PRINTF(3, 4);
void rs_plan(struct rs_state *st, const char *fmt, ...) LIO_PRINTF(2, 3);
void rs_warn(struct rs_state *st, const char *fmt, ...) LIO_PRINTF(2, 3);

/* Apply a validated document in rtslib's order, as @st says. */
int lio_config_apply(struct rs_state *st, struct cfg_doc *doc);
/* Element @i of @l; a failed read is an error at @path (the element is skipped). */
bool rs_get(struct rs_state *st, const struct cfg_list *l, size_t i, const char *path,
	    struct cfg_elem *e);

/* Backing device of a storage object entry that must be present (block dev,
 * fileio under /dev, pscsi path); NULL when there is none. */
const char *lio_so_entry_device(struct json_object *so);
/* Whether a backing device is usable: exists, and a block device has a
 * medium (size > 0). */
bool lio_device_present(const char *dev);

/* ---- config_diff.c ---- */
/* Diff mode deletions: what the running configuration has and @cfg does
 * not (within the filters), deleted (or planned) before the merge apply. */
int lio_config_diff_delete(struct rs_state *st, struct cfg_doc *doc);

/* ---- config_validate.c ---- */
/* lio_config_validate() of either backing. */
int lio_config_validate_doc(struct lio_ctx *ctx, struct cfg_doc *doc,
			    const struct lio_restore_opts *opts, struct lio_restore_report *report);

#endif
