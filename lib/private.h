/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal declarations shared by the files of liblio. */
#ifndef LIO_PRIVATE_H
#define LIO_PRIVATE_H

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lio.h"

#define LIO_PRINTF(a, b) __attribute__((format(printf, a, b)))

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(freep)))

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p)                                                            \
	({                                                                     \
		__typeof__(p) _tp = (p);                                       \
		(p) = NULL;                                                    \
		_tp;                                                           \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct lio_ctx {
	int refcount;
	char *configfs;    /* e.g. /sys/kernel/config */
	char *root;        /* configfs + "/target" */
	char *lock_path;   /* HBA allocation lock */
	bool autoload;
	lio_note_fn note_fn;
	void *note_data;
	char errmsg[512];
};

struct lio_obj;
struct lio_obj_ops {
	enum lio_kind kind;
	/* Free the type-specific part (the generic part is freed after). */
	void (*destroy)(struct lio_obj *obj);
};

/*
 * Every handle starts with this. @parent holds a reference, so a LUN keeps
 * its TPG, target and context alive.
 */
struct lio_obj {
	int refcount;
	const struct lio_obj_ops *ops;
	struct lio_ctx *ctx;      /* referenced */
	struct lio_obj *parent;   /* referenced, NULL for top-level objects */
	char *name;               /* directory name */
	char *path;               /* absolute path */
};

struct lio_so {
	struct lio_obj obj;
	enum lio_plugin plugin;
	unsigned hba_index;
	char *hba_path;
};

struct lio_alua_tpg {
	struct lio_obj obj; /* parent: the storage object */
};

struct lio_target {
	struct lio_obj obj;
	const struct lio_fabric *fabric;
	char *wwn; /* normalised */
};

struct lio_tpg {
	struct lio_obj obj; /* parent: target */
	unsigned tag;
};

struct lio_lun {
	struct lio_obj obj; /* parent: tpg */
	unsigned index;
};

struct lio_acl {
	struct lio_obj obj; /* parent: tpg */
	char *wwn;          /* normalised */
};

struct lio_mapped_lun {
	struct lio_obj obj; /* parent: acl */
	unsigned index;
};

struct lio_portal {
	struct lio_obj obj; /* parent: tpg */
	char *ip;
	unsigned port;
};

/* Record a failure message and return @err (a negative errno). */
int lio_err(struct lio_ctx *ctx, int err, const char *fmt, ...) LIO_PRINTF(3, 4);
void lio_note(struct lio_ctx *ctx, const char *fmt, ...) LIO_PRINTF(2, 3);

/*
 * Allocate a handle of @size bytes (at least sizeof(struct lio_obj)) named
 * @name under @parent_path (or the parent object's path when @parent).
 * Takes references on @ctx and @parent.
 */
void *lio_obj_alloc(struct lio_ctx *ctx, const struct lio_obj_ops *ops, size_t size,
		    struct lio_obj *parent, const char *parent_path, const char *name);

/* printf into a new string; NULL on ENOMEM. */
char *lio_strdupf(const char *fmt, ...) LIO_PRINTF(1, 2);

/*
 * File helpers over configfs. They return 0 or a negative errno and record
 * a message naming the path on failure.
 */
/* Read a whole file (NUL bytes dropped), trailing whitespace stripped. */
int lio_read_file(struct lio_ctx *ctx, const char *path, char **out);
/* Same, but no error message is recorded (probing). */
int lio_read_file_quiet(const char *path, char **out);
/* One write(2) of @value; configfs takes a value in a single write. */
int lio_write_file(struct lio_ctx *ctx, const char *path, const char *value);
int lio_mkdir(struct lio_ctx *ctx, const char *path);
int lio_rmdir(struct lio_ctx *ctx, const char *path);
int lio_symlink(struct lio_ctx *ctx, const char *target, const char *linkpath);
int lio_unlink(struct lio_ctx *ctx, const char *path);
bool lio_path_exists(const char *path);
bool lio_is_dir(const char *path);

/*
 * Names of the entries of @dir that are directories (@want_dirs) or
 * symlinks (!@want_dirs) and whose names start with @prefix (NULL: any),
 * sorted naturally. -ENOENT when @dir does not exist.
 */
int lio_list_dir(struct lio_ctx *ctx, const char *dir, const char *prefix,
		 bool want_dirs, char ***names, size_t *n);
/* Natural order: "lun_2" before "lun_10". */
int lio_natural_cmp(const char *a, const char *b);
/* Parse a non-negative decimal number that makes up all of @s. */
int lio_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* Path of a named child of an object's sub-directory, e.g. <obj>/attrib/x. */
char *lio_obj_file(const struct lio_obj *obj, const char *group, const char *name);

/* Make sure the fabric's directory exists (module loaded), for internal use. */
int lio_fabric_dir(struct lio_ctx *ctx, const struct lio_fabric *fabric, char **path);

/* Read/write a CHAP file: "NULL" in the kernel is "" for callers. */
int lio_auth_read_path(struct lio_ctx *ctx, const char *path, char **value);
int lio_auth_write_path(struct lio_ctx *ctx, const char *path, const char *value);

/* Generated alias for LUN and mapped-LUN links: 10 hex digits of a uuid4. */
int lio_gen_alias(char out[11]);

#endif
