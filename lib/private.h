/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal declarations shared by the files of liblio. */
#ifndef LIO_PRIVATE_H
#define LIO_PRIVATE_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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
	struct lio_so_index *so_index; /* so_index.c, inside a batch only */
	int native;        /* attr_read.c: root is configfs 1, is not -1, unknown 0 */
	char *cache_dir;   /* run_cache.c, when cache_dir_set */
	bool cache_dir_set;
	int cache_dirfd;   /* run_cache.c: the cache directory once opened, or -1 */
	uid_t euid;        /* ours for the context's life: owner of trusted files */
	int bulk;          /* lun_cache.c: inside lio_bulk_begin/end */
	char errmsg[512];
};

struct lio_obj;
struct lio_obj_ops {
	enum lio_kind kind;
	/* Free the type-specific part (the generic part is freed after). */
	void (*destroy)(struct lio_obj *obj);
	/* The kind's lio_*_delete(), for lio_delete_all(); NULL if never needed. */
	int (*remove)(struct lio_obj *obj);
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
/* The rest of an open file, as lio_read_file_quiet() makes it. */
int lio_read_fd(int fd, char **out);
/* Same, but no error message is recorded (probing). */
int lio_read_file_quiet(const char *path, char **out);
/* A 0/1 (any number) file such as enable or write_protect: non-zero is on. */
int lio_read_flag(struct lio_ctx *ctx, const char *path, bool *on);
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
/*
 * The sub-directories of @name under the open directory @dirfd, in
 * directory order, with d_type alone (no stat). @until_short: the
 * directory is on configfs, which fills each getdents64 buffer while
 * entries fit, so a short one is the last (a small directory: one call).
 */
int lio_subdirs_at(int dirfd, const char *name, bool until_short, char ***names, size_t *n);
/* The same with each one's inode number (*inos: free()). */
int lio_subdirs_ino_at(int dirfd, const char *name, bool until_short, char ***names,
		       uint64_t **inos, size_t *n);
/*
 * The numbers N of the sub-directories @prefix<N> of @dir, in directory
 * order (unsorted, no handles): what completion among thousands needs.
 * A missing @dir has none.
 */
int lio_dir_numbers(const char *dir, const char *prefix, unsigned **out, size_t *n);
/* qsort() order of unsigned numbers. */
int lio_cmp_unsigned(const void *a, const void *b);
/* The value of hexadecimal digit @c, or -1. */
int lio_hex_digit(int c);
/*
 * Listing handles (objlist.c). A lio_make_fn builds the handle for one
 * directory name of its parent @arg: 0 and *obj set, 1 when the name is not
 * such an object (skipped), or a negative errno with a message recorded.
 */
typedef int (*lio_make_fn)(void *arg, const char *name, struct lio_obj **obj);
/*
 * Handles for the sub-directories of @dir named @prefix* (NULL: any), in
 * natural order, into @list (a struct lio_<kind> ***); a missing @dir has
 * none. Free with lio_list_free().
 */
int lio_list_objs(struct lio_ctx *ctx, const char *dir, const char *prefix,
		  lio_make_fn make, void *arg, void *list, size_t *n);
/*
 * Delete the @n handles of a *_list() result in order through ops->remove,
 * stopping at the first failure, and free the list.
 */
int lio_delete_all(void *list, size_t n);

/*
 * run_cache.c: files in /run/lio (or the set cache directory) that
 * remember large directories. lio_cache_read: the whole file, -ENOENT
 * when there is none or it is not trusted. lio_cache_write: @fn writes the
 * text (negative: keep the old file); failures leave the old file or none.
 */
typedef int (*lio_cache_writer_fn)(FILE *f, const void *arg);
bool lio_cache_enabled(struct lio_ctx *ctx);
int lio_cache_read(struct lio_ctx *ctx, const char *name, char **text);
void lio_cache_write(struct lio_ctx *ctx, const char *name, lio_cache_writer_fn fn,
		     const void *arg);
void lio_cache_remove(struct lio_ctx *ctx, const char *name);
/* Close the cache directory the context keeps open (lio_unref, a new one set). */
void lio_cache_close(struct lio_ctx *ctx);
/*
 * What a directory's stat says of its entries: configfs sets a directory's
 * mtime and ctime at each mkdir, symlink, rmdir and unlink in it (and at
 * each lookup of an attribute file in it: see lun_cache.c), and a
 * recreated directory has a new inode number. Equal keys: same entries
 * (short of two changes by others within one clock tick that leave the
 * count as it was; the kernel still refuses what that could get wrong).
 */
struct lio_dir_key {
	uint64_t dev, ino, nlink;
	int64_t mtime_s, ctime_s;
	long mtime_ns, ctime_ns;
};
int lio_dir_key_at(int dirfd, const char *path, struct lio_dir_key *key);
bool lio_dir_key_eq(const struct lio_dir_key *a, const struct lio_dir_key *b);
int lio_dir_key_print(FILE *f, const struct lio_dir_key *key);
int lio_dir_key_parse(const char *line, struct lio_dir_key *key);

/*
 * lun_cache.c: the lun_<N> entries of @dir (a TPG's lun/ or an ACL), from
 * the remembered listing while the directory's key holds, else listed (and
 * remembered, for large directories). @links: also each entry's link
 * target as a LUN number (-1: none), for ACLs. Around our own mkdir or
 * rmdir of lun_<num>: lio_lun_cache_before() takes the key (false: nothing
 * to keep current, as inside lio_bulk_begin/end), lio_lun_cache_note()
 * updates the file after the change. lio_lun_cache_forget(): the file is
 * wrong (mkdir found a number it called free). lio_lun_cache_refresh():
 * remember every large directory, after a restore.
 */
struct lio_lun_cache {
	struct lio_dir_key key;
	bool links;
	bool listed;     /* read from the directory just now, not from the file */
	unsigned *num;
	long *link;
	size_t n, cap;
};
int lio_lun_cache_read(struct lio_ctx *ctx, const char *dir, bool links, struct lio_lun_cache *c);
bool lio_lun_cache_before(struct lio_ctx *ctx, const char *dir, struct lio_dir_key *before);
void lio_lun_cache_note(struct lio_ctx *ctx, const char *dir, const struct lio_dir_key *before,
			unsigned num, long link, bool added);
void lio_lun_cache_forget(struct lio_ctx *ctx, const char *dir);
void lio_lun_cache_refresh(struct lio_ctx *ctx);
void lio_lun_cache_free(struct lio_lun_cache *c);
/* The numbers alone (*numbers: free()), unsorted; a message on failure. */
int lio_lun_numbers(struct lio_ctx *ctx, const char *dir, unsigned **numbers, size_t *n);
/*
 * Many changes in a row (restore, deleting a whole list): caches are not
 * kept current change by change; their keys then differ and they are read
 * again when next needed.
 */
void lio_bulk_begin(struct lio_ctx *ctx);
void lio_bulk_end(struct lio_ctx *ctx);

/*
 * link.c: @in with "." and ".." folded and slashes squeezed, by text
 * (absolute paths only); and a symlink's target the same way, relative
 * to the link's directory, checked to exist (-ENOENT when broken).
 */
int lio_path_normalize(const char *in, char out[PATH_MAX]);
int lio_resolve_link(const char *link, char out[PATH_MAX]);
/*
 * The target of the (first) symlink in @dir, resolved by text, not
 * checked to exist: one open, one getdents64 (@until_short: on configfs),
 * one readlinkat, one close. -ENOLINK when @dir has none.
 */
int lio_dir_link_target(const char *dir, bool until_short, char out[PATH_MAX]);
/*
 * The same for the first symlink in natural order, also giving its name
 * (malloc'ed) when @name is not NULL; @out may be NULL (no readlinkat).
 */
int lio_dir_first_link(const char *dir, bool until_short, char **name, char out[PATH_MAX]);

/*
 * keyset.c: keys (numbers, or a tag and a borrowed string) -> the position
 * first seen. put returns 0 when new, 1 when already there (*first set),
 * -ENOMEM; get returns 0 or -ENOENT. Zero-initialise; lio_keyset_clear().
 */
struct lio_keyset_slot;
struct lio_keyset {
	struct lio_keyset_slot *slots;
	size_t cap, n;
};
int lio_keyset_put_str(struct lio_keyset *ks, int tag, const char *key, size_t pos,
		       size_t *first);
int lio_keyset_put_num(struct lio_keyset *ks, uint64_t key, size_t pos, size_t *first);
int lio_keyset_get_str(const struct lio_keyset *ks, int tag, const char *key, size_t *pos);
int lio_keyset_get_num(const struct lio_keyset *ks, uint64_t key, size_t *pos);
void lio_keyset_clear(struct lio_keyset *ks);

/*
 * attr_read.c: the files of @group its owner may read and write, with their
 * values (trailing whitespace stripped), sorted by name; what a save keeps.
 */
struct lio_attr_value {
	char *name;
	char *value;
};
int lio_attr_read_rw(struct lio_obj *obj, const char *group, struct lio_attr_value **out,
		     size_t *n);
void lio_attr_values_free(struct lio_attr_value *v, size_t n);
/* Whether the context's root is a real configfs (the kernel checks modes). */
bool lio_root_is_configfs(struct lio_ctx *ctx);

/*
 * json_format.c lays out an array carrying one of these as its json-c
 * userdata by asking it for the elements in turn: next() returns a new
 * reference, or NULL at the end or (with *err set) on failure. The array's
 * own elements are ignored. Freed by json-c with the array.
 */
struct json_object;
struct lio_json_gen {
	struct json_object *(*next)(struct lio_json_gen *gen, int *err);
};
/*
 * lio_config_dump() whose large arrays (storage objects, LUNs, mapped
 * LUNs) are generators: for laying out only (lio_json_format), so that a
 * save of N objects never holds N objects' JSON trees at once.
 */
int lio_config_dump_lazy(struct lio_ctx *ctx, struct json_object **config);

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

/*
 * Storage-object handles (lib/so_path.c): the one constructor shared by the
 * SO code and LUNs. lio_so_alloc builds <root>/core/<prefix>_<N>/<name>;
 * lio_so_from_path parses such a path (only its last three components, so
 * a realpath() works) into a handle. Neither touches the filesystem.
 */
extern const struct lio_obj_ops lio_so_ops;
int lio_so_alloc(struct lio_ctx *ctx, enum lio_plugin plugin, unsigned hba_index,
		 const char *name, struct lio_so **so);
int lio_so_from_path(struct lio_ctx *ctx, const char *path, struct lio_so **so);
/* How many LUNs export the object, as the kernel counts; -1 if unknown. */
int lio_so_export_count(struct lio_so *so);

/*
 * Storage objects by name inside a batch (so_index.c). Outside one,
 * lio_so_index_find and lio_so_index_free_hba return 1 (ask configfs);
 * inside, 0 or -ENOENT/-ENOSPC. Creates and deletes report what they did.
 */
void lio_so_index_begin(struct lio_ctx *ctx);
void lio_so_index_end(struct lio_ctx *ctx);
/* Forget the view (someone else changed core/): it is read again on use. */
void lio_so_index_drop(struct lio_ctx *ctx);
int lio_so_index_find(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		      unsigned *hba);
int lio_so_index_free_hba(struct lio_ctx *ctx, unsigned *hba);
void lio_so_index_hba(struct lio_ctx *ctx, unsigned hba, bool taken);
void lio_so_index_set(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		      unsigned hba, bool present);

/* lio_fabric_hw_wwns() reading sysfs under @sysfs instead of /sys (tests). */
int lio_fabric_hw_wwns_root(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			    const char *sysfs, char ***wwns);

/*
 * Fabric-object internals shared by target.c, tpg.c, lun.c, acl.c,
 * mapped_lun.c and portal.c.
 */
const struct lio_fabric *lio_tpg_fabric(const struct lio_tpg *tpg);
/* 0 if the object's directory exists, else -ENOENT with the usual message. */
int lio_target_check(struct lio_target *target);
int lio_tpg_check(struct lio_tpg *tpg);
int lio_acl_check(struct lio_acl *acl);
/* A handle at <parent_path>/<name> whose parent object is @parent. */
void *lio_obj_alloc_under(struct lio_ctx *ctx, const struct lio_obj_ops *ops,
			  size_t size, struct lio_obj *parent, const char *parent_path,
			  const char *name);
/*
 * The first (natural order) symlink in @dir: its name and/or realpath(3);
 * either out-parameter may be NULL. -ENOLINK if none or broken.
 */
int lio_first_link(struct lio_ctx *ctx, const char *dir, char **name, char **resolved);
/*
 * so_names.c: record every storage object in the names cache, if there is
 * one (after a restore made thousands, so that the first Tab is quick).
 */
void lio_so_names_refresh(struct lio_ctx *ctx);
/*
 * ---- so_names.c: the names cache as a record of core/ ----
 * (run_cache.c) lio_cache_read() without a copy: the file mapped when it
 * can be, read-only and followed by a zero byte; lio_cache_unmap() after.
 */
struct lio_cache_text {
	const char *text;
	size_t len;
	void *map;
	char *buf;
};
int lio_cache_map(struct lio_ctx *ctx, const char *name, struct lio_cache_text *t);
void lio_cache_unmap(struct lio_cache_text *t);
/*
 * While core/'s dir key is the one the file recorded, the file answers for
 * core/ and no listing is needed (see so_names.c for what it cannot see).
 *
 * lio_so_names_lookup: 0 and *hba (checked with a stat), -ENOENT, or 1 when
 * the file cannot answer. lio_so_names_free_hba: the smallest free HBA
 * number among all of core/'s: 0, or 1 when the file cannot answer.
 */
int lio_so_names_lookup(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
			unsigned *hba);
int lio_so_names_free_hba(struct lio_ctx *ctx, unsigned *index);
/*
 * Keeping the file current through our own changes: take core/'s key
 * @before (zero when there is nothing to keep), make or remove the HBA
 * directory core/@hba_dir with the object @name in it (@name NULL: the HBA
 * was removed), then note it: the file is updated when it was core/
 * @before and core/ changed by just that, else removed. In bulk
 * (ctx->bulk, or inside a lio_so_index batch) it is just removed.
 * lio_so_names_forget: remove it (a change it cannot follow).
 */
void lio_so_names_before(struct lio_ctx *ctx, struct lio_dir_key *key);
void lio_so_names_note_hba(struct lio_ctx *ctx, const struct lio_dir_key *before,
			   const char *hba_dir, const char *name);
void lio_so_names_forget(struct lio_ctx *ctx);
/* ---- end of so_names.c ---- */
/* A handle on LUN @index of @tpg without looking whether it exists. */
int lio_lun_handle(struct lio_tpg *tpg, unsigned index, struct lio_lun **lun);
/* A handle on <acl>/lun_<index> without looking whether it exists. */
int lio_mapped_lun_handle(struct lio_acl *acl, unsigned index, struct lio_mapped_lun **out);
/* Remove every symlink in @dir (a LUN's or mapped LUN's alias). */
int lio_unlink_links(struct lio_ctx *ctx, const char *dir);
/*
 * Delete the mapped LUNs of any ACL of @tpg that link to @lun_path;
 * @reread: from fresh listings, not remembered ones.
 */
int lio_tpg_delete_mapped_luns_to(struct lio_tpg *tpg, const char *lun_path, bool reread);

/*
 * ---- Storage-object internals (hba.c, so.c, so_dev.c, so_info.c) ----
 */
struct stat;

#define LIO_HBA_INDEX_MAX 1048575
/* Split "<prefix>_<N>" at its last '_' (N <= LIO_HBA_INDEX_MAX); @prefix may be NULL. */
int lio_hba_parse(const char *name, char *prefix, size_t prefix_len, unsigned *index);
/*
 * The smallest index in 0..LIO_HBA_INDEX_MAX that no "<anyprefix>_<N>" of
 * @names uses (other names are ignored). Pure; -ENOSPC when all are used.
 */
int lio_hba_free_index(char *const *names, size_t n, unsigned *index);
/*
 * flock(LOCK_EX) on ctx->lock_path. *fd is -1 when the lock file cannot be
 * opened (no such directory, as with a test root): callers go on unlocked.
 */
int lio_hba_lock(struct lio_ctx *ctx, int *fd);
void lio_hba_unlock(int fd);
/* mkdir core/<prefix>_<N> with the smallest free N, retrying lost races. */
int lio_hba_mkdir(struct lio_ctx *ctx, const char *prefix, unsigned *index);

/* No '/', space, tab or newline; not empty, "." or "..". */
bool lio_so_name_valid(const char *name);
/* HBA index of the object @plugin/@name; -ENOENT (no message) if none. */
int lio_so_find(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		unsigned *index);
/* udev_path (fileio: info's File when empty); *path NULL if unreadable. */
int lio_so_udev_path(struct lio_so *so, char **path);

/* Host devices (so_dev.c), read from /sys. */
int lio_blockdev_check_disk(struct lio_ctx *ctx, const char *dev, const struct stat *st);
/* 0 if an exclusive open works, -EBUSY if the device is held, else -errno. */
int lio_dev_in_use(const char *dev, bool rdwr);
int lio_blockdev_readonly(struct lio_ctx *ctx, const char *dev, bool *ro);
int lio_blockdev_size_rdev(dev_t rdev, uint64_t *bytes);
int lio_blockdev_size_name(const char *name, uint64_t *bytes);
/* pscsi: @dev as a device path or "H:C:T:L" -> H:C:T:L and device node. */
int lio_scsi_resolve(struct lio_ctx *ctx, const char *dev, unsigned hctl[4], char **udev_path);

/*
 * lio_json_format() handing the text to @sink in pieces of about 64 KiB
 * instead of building it whole; the first failure (the sink's, or a
 * generator's) ends it.
 */
int lio_json_format_to(struct json_object *obj, int (*sink)(void *arg, const char *text, size_t len),
		       void *arg);

/* tcmu.c: GetManagedObjects' answer as handlers, appended to *v (unsorted). */
struct dbus_msg;
int lio_tcmu_read_objects(struct dbus_msg *m, struct lio_tcmu_handler **v, size_t *n);

#endif
