/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of saving saveconfig.json (save.c, save_backup.c), shared with
 * the host tests, which save documents without a kernel through
 * lio_config_save_json().
 */
#ifndef LIO_SAVE_PRIVATE_H
#define LIO_SAVE_PRIVATE_H

#include <stddef.h>

#include "lio.h"

struct json_object;

/*
 * lio_config_save_json: what lio_config_save() does after dumping: save
 * @config (any saveconfig.json document) to @path with @opts.
 */
int lio_config_save_json(struct lio_ctx *ctx, struct json_object *config,
			 const char *path, const struct lio_save_opts *opts,
			 struct lio_save_result *res);
/*
 * lio_config_save_so_json: what lio_config_save_so() does after dumping:
 * merge the entries of @so_path ("/backstores/<plugin>/<name>") of the
 * running configuration @current into the file at @path and save it.
 */
int lio_config_save_so_json(struct lio_ctx *ctx, struct json_object *current,
			    const char *so_path, const char *path,
			    const struct lio_save_opts *opts,
			    struct lio_save_result *res);
/*
 * lio_config_merge_so: targetcli-fb's partial save on documents: in
 * @saved, replace (or remove, when @current has none, or append) the
 * storage object @so_path and the first target having a LUN on it, taken
 * from @current. -ENOMEM only.
 */
int lio_config_merge_so(struct json_object *saved, struct json_object *current,
			const char *so_path);

/* Write flags for lio_write_atomic(). */
enum {
	LIO_WA_MKDIR = 1 << 0,     /* create missing directories, 0700 */
	LIO_WA_NOREPLACE = 1 << 1, /* -EEXIST rather than replace */
};
/*
 * lio_write_atomic: make @path hold exactly @data, or leave it as it was:
 * a 0600 temporary file in the same directory (exclusive create), written,
 * fsynced, renamed over @path, then the directory fsynced. A symlink at
 * @path is followed and its final target written. Stale temporary files
 * of crashed writers are removed.
 */
int lio_write_atomic(struct lio_ctx *ctx, const char *path, const void *data,
		     size_t len, unsigned flags);

/* Remove every stale ".*.tmp-*" file of lio_write_atomic() in @dir. */
void lio_remove_stale_tmps(const char *dir);

/*
 * The backup step of a default-file save: keep the current content of
 * @savefile in <dirname(@savefile)>/backup/ when it differs from the newest
 * backup, then keep at most @max backups. Fills res->backup_made and
 * res->backups_kept.
 */
int lio_save_backup(struct lio_ctx *ctx, const char *savefile, unsigned max,
		    struct lio_save_result *res);
/*
 * Whole file in a new buffer (NUL-terminated, *len without it). With
 * @gunzip, gzip content is decompressed (plain content is returned as is).
 * No message recorded.
 */
int lio_slurp(const char *path, bool gunzip, char **data, size_t *len);

/*
 * Test-only fault injection. When set, the save code calls it before each
 * step below on the file @path (the temporary or backup file); @offset is
 * the number of bytes written so far (LIO_STEP_WRITE comes before each
 * chunk of at most 512 bytes). A negative errno return makes that step
 * fail with it; the hook may also kill the process. NULL (the default) in
 * production.
 */
enum lio_save_step {
	LIO_STEP_WRITE,
	LIO_STEP_FSYNC,
	LIO_STEP_RENAME,
	LIO_STEP_DIRSYNC,
};
extern int (*lio_save_fault_hook)(enum lio_save_step step, const char *path,
				  size_t offset);

#endif
