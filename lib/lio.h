/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liblio: an object model over the Linux kernel's LIO SCSI target configfs
 * tree (/sys/kernel/config/target).
 *
 * Conventions, kept by every function below:
 *  - Functions that can fail return 0 (or a non-negative count) on success
 *    and a negative errno on failure. The failure's human-readable message,
 *    naming what was wrong, is then available from lio_errmsg(). The library
 *    never prints anything.
 *  - Objects are opaque and refcounted. Constructors and lookups hand a new
 *    reference back through an out-parameter; release it with the matching
 *    *_unref(), which accepts NULL and returns NULL.
 *  - A handle is a name for a configfs directory, not a cache of its
 *    contents: every accessor reads the kernel when called. Handles stay
 *    valid memory after the object is deleted; calls on them then fail.
 *  - Lists are returned as arrays of new references; free them with
 *    lio_list_free().
 *  - Nothing is read up front: a call reads only the files it needs.
 */
#ifndef LIO_H
#define LIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lio_ctx;
struct lio_obj;        /* any configfs object; the typed handles below are these */
struct lio_so;         /* storage object (backstore) */
struct lio_alua_tpg;   /* ALUA target port group of a storage object */
struct lio_target;
struct lio_tpg;
struct lio_lun;
struct lio_acl;        /* node ACL */
struct lio_mapped_lun;
struct lio_portal;     /* network portal (iSCSI np) */

/* ------------------------------------------------------------------ */
/* Context                                                             */

#define LIO_DEFAULT_CONFIGFS "/sys/kernel/config"
#define LIO_DEFAULT_DBROOT "/etc/target"

/*
 * lio_new: create a context working on the configfs mounted at
 * @configfs_root (NULL: LIO_DEFAULT_CONFIGFS). The target tree is
 * @configfs_root/target. Nothing is touched until lio_setup() or another
 * call needs it.
 */
int lio_new(struct lio_ctx **ctx, const char *configfs_root);
struct lio_ctx *lio_ref(struct lio_ctx *ctx);
struct lio_ctx *lio_unref(struct lio_ctx *ctx);

/* The message of the last failure in this context ("" if none). */
const char *lio_errmsg(const struct lio_ctx *ctx);

/* The configfs target root, e.g. "/sys/kernel/config/target". */
const char *lio_target_root(const struct lio_ctx *ctx);

/*
 * Where the HBA-allocation lock lives. The default is the file targetcli-fb's
 * rtslib uses (/var/run/rtslib_backstore.lock), so both tools can run at once.
 */
int lio_set_lock_path(struct lio_ctx *ctx, const char *path);

/* Load kernel modules through libkmod when needed (default on). */
void lio_set_autoload(struct lio_ctx *ctx, bool autoload);

/*
 * Informational notes the library wants to pass to its user (e.g. "using
 * the file's own size"). The callback gets them; by default they are dropped.
 */
typedef void (*lio_note_fn)(void *data, const char *msg);
void lio_set_note_fn(struct lio_ctx *ctx, lio_note_fn fn, void *data);

enum lio_setup_flags {
	LIO_SETUP_NO_DBROOT = 1 << 0, /* leave the kernel's dbroot as it is */
};

/*
 * lio_setup: make the target tree usable: configfs mounted (mounted if not),
 * target_core_mod loaded (through libkmod when the target directory is
 * missing), dbroot set to @dbroot (NULL: LIO_DEFAULT_DBROOT) unless
 * LIO_SETUP_NO_DBROOT.
 */
int lio_setup(struct lio_ctx *ctx, const char *dbroot, unsigned flags);

/* Load a kernel module by name through libkmod; 0 if already loaded. */
int lio_load_module(struct lio_ctx *ctx, const char *name);

/* ------------------------------------------------------------------ */
/* Generic objects                                                     */

enum lio_kind {
	LIO_KIND_SO,
	LIO_KIND_ALUA_TPG,
	LIO_KIND_TARGET,
	LIO_KIND_TPG,
	LIO_KIND_LUN,
	LIO_KIND_ACL,
	LIO_KIND_MAPPED_LUN,
	LIO_KIND_PORTAL,
	LIO_KIND_FABRIC,
};

struct lio_obj *lio_obj_ref(struct lio_obj *obj);
struct lio_obj *lio_obj_unref(struct lio_obj *obj);
enum lio_kind lio_obj_kind(const struct lio_obj *obj);
/* Directory name of the object in configfs (e.g. "tpgt_1", "lun_0"). */
const char *lio_obj_name(const struct lio_obj *obj);
/* Absolute configfs path of the object. */
const char *lio_obj_path(const struct lio_obj *obj);
struct lio_ctx *lio_obj_ctx(const struct lio_obj *obj);
/* Whether the object's directory still exists. */
bool lio_obj_exists(const struct lio_obj *obj);

/*
 * Typed handles convert to their generic object for free; the reverse
 * conversions check the kind and return NULL on a mismatch.
 */
#define lio_obj(handle) ((struct lio_obj *)(handle))
struct lio_so *lio_obj_so(struct lio_obj *obj);
struct lio_target *lio_obj_target(struct lio_obj *obj);
struct lio_tpg *lio_obj_tpg(struct lio_obj *obj);
struct lio_lun *lio_obj_lun(struct lio_obj *obj);
struct lio_acl *lio_obj_acl(struct lio_obj *obj);
struct lio_mapped_lun *lio_obj_mapped_lun(struct lio_obj *obj);
struct lio_portal *lio_obj_portal(struct lio_obj *obj);
struct lio_alua_tpg *lio_obj_alua_tpg(struct lio_obj *obj);

/* Free an array of references returned by a *_list() call. */
void lio_list_free(void *list, size_t n);

/*
 * Configuration groups of an object: files in a sub-directory of the
 * object's directory. "attrib", "param" and "auth" are the kernel's; "" is
 * the object's own directory (e.g. an ALUA group's files).
 */
struct lio_attr {
	char *name;
	bool readable;  /* owner-read bit */
	bool writable;  /* owner-write bit */
};
/* List the files of a group, sorted by name. Free with lio_attrs_free(). */
int lio_attr_list(struct lio_obj *obj, const char *group, struct lio_attr **attrs,
		  size_t *n);
void lio_attrs_free(struct lio_attr *attrs, size_t n);
/* Read a file of a group; the value is stripped of trailing whitespace. */
int lio_attr_get(struct lio_obj *obj, const char *group, const char *name,
		 char **value);
/* Write a value to a file of a group, whole, in one write. */
int lio_attr_set(struct lio_obj *obj, const char *group, const char *name,
		 const char *value);

/*
 * CHAP credentials (TPG and ACL "auth" groups, iSCSI discovery auth).
 * An unset value reads as "" (the kernel shows "NULL"); writing "" unsets.
 * Values are at most 255 characters and cannot be the literal "NULL".
 */
enum lio_auth_key {
	LIO_AUTH_USERID,
	LIO_AUTH_PASSWORD,
	LIO_AUTH_MUTUAL_USERID,
	LIO_AUTH_MUTUAL_PASSWORD,
};
#define LIO_AUTH_KEYS 4
/* configfs file name of an auth key: "userid", ..., "password_mutual". */
const char *lio_auth_file(enum lio_auth_key key);
int lio_auth_get(struct lio_obj *obj, enum lio_auth_key key, char **value);
int lio_auth_set(struct lio_obj *obj, enum lio_auth_key key, const char *value);

/* ------------------------------------------------------------------ */
/* Storage objects                                                     */

enum lio_plugin {
	LIO_PLUGIN_BLOCK,   /* HBA prefix iblock */
	LIO_PLUGIN_FILEIO,  /* fileio */
	LIO_PLUGIN_PSCSI,   /* pscsi */
	LIO_PLUGIN_RAMDISK, /* rd_mcp */
	LIO_PLUGIN_USER,    /* user (tcmu) */
};
#define LIO_PLUGINS 5

/* "block", "fileio", ... : the name used by targetcli and saveconfig.json. */
const char *lio_plugin_name(enum lio_plugin plugin);
/* "iblock", "fileio", "pscsi", "rd_mcp", "user": the HBA directory prefix. */
const char *lio_plugin_hba_prefix(enum lio_plugin plugin);
/* Accepts UI names and HBA prefixes ("ramdisk" and "rd_mcp"). */
int lio_plugin_from_name(const char *name, enum lio_plugin *plugin);

enum lio_tristate { LIO_DEFAULT = -1, LIO_NO = 0, LIO_YES = 1 };

struct lio_so_spec {
	enum lio_plugin plugin;
	const char *name;
	/* fileio: file or block device; block: block device; pscsi: device
	 * path or "H:C:T:L" */
	const char *dev;
	/* bytes: fileio (required when the file does not exist), ramdisk, user */
	uint64_t size;
	const char *wwn;             /* vpd_unit_serial; NULL: a new uuid */
	enum lio_tristate write_back; /* fileio, default yes */
	enum lio_tristate sparse;     /* fileio file creation, default yes */
	enum lio_tristate readonly;   /* block, default: the device's BLKROGET */
	enum lio_tristate aio;        /* fileio, default no */
	bool nullio;                  /* ramdisk */
	const char *config;           /* user: "<handler>/<cfgstring>" */
	uint32_t hw_max_sectors;      /* user, 0: kernel default */
	const char *control;          /* user: extra control string */
};

/*
 * lio_so_create: create a storage object and its HBA, in targetcli-fb's
 * configfs write order. The HBA gets the smallest index not used by any
 * HBA of any plugin, allocated under the context's lock. A fileio object
 * on a missing file creates the file (sparse or allocated). On failure
 * nothing is left behind (the created file included).
 */
int lio_so_create(struct lio_ctx *ctx, const struct lio_so_spec *spec,
		  struct lio_so **so);
int lio_so_lookup(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		  struct lio_so **so);
/* All storage objects, or those of @plugin if @plugin >= 0, by HBA order. */
int lio_so_list(struct lio_ctx *ctx, int plugin, struct lio_so ***list, size_t *n);
/*
 * Just the names of the storage objects of @plugin (< 0: all), for Tab
 * completion: HBAs unchanged since a cache file recorded them (same name
 * and inode number) are not read again; see so_names.c. *names: free each
 * and the array.
 */
int lio_so_names(struct lio_ctx *ctx, int plugin, char ***names, size_t *n);
/* The same, only the names starting with @prefix. */
int lio_so_names_matching(struct lio_ctx *ctx, int plugin, const char *prefix, char ***names,
			  size_t *n);
/*
 * The directory of that cache (NULL: no cache). By default /run/lio when
 * root works on the kernel's configfs, none otherwise.
 */
int lio_set_cache_dir(struct lio_ctx *ctx, const char *dir);
/*
 * lio_so_delete: remove the ALUA groups, every LUN (and mapped LUN) that
 * uses the object, the object and its HBA.
 */
int lio_so_delete(struct lio_so *so);
/*
 * lio_so_delete_unused: delete the object only if no LUN uses it;
 * -EBUSY naming the first such LUN otherwise.
 */
int lio_so_delete_unused(struct lio_so *so);
struct lio_so *lio_so_ref(struct lio_so *so);
struct lio_so *lio_so_unref(struct lio_so *so);
const char *lio_so_name(const struct lio_so *so);
enum lio_plugin lio_so_plugin(const struct lio_so *so);
unsigned lio_so_hba_index(const struct lio_so *so);

/* What a storage object reports, read back from configfs. */
struct lio_so_info {
	bool activated;        /* info "Status: ACTIVATED" */
	bool configured;       /* enable == 1 */
	uint64_t size;         /* bytes; 0 when unknown */
	char *dev;             /* udev_path, or info's File/device; may be NULL */
	char *wwn;             /* vpd_unit_serial value; may be NULL */
	bool write_back;       /* attrib/emulate_write_cache */
	bool readonly;         /* block */
	bool nullio;           /* ramdisk */
	bool aio;              /* fileio */
	char *config;          /* user: dev_config */
	uint32_t hw_max_sectors; /* user */
	char *control;         /* user: max_data_area_mb=..,hw_block_size=..,... */
	char *version;         /* hba_info "version" */
};
int lio_so_get_info(struct lio_so *so, struct lio_so_info *info);
void lio_so_info_clear(struct lio_so_info *info);
/* The raw info file. */
int lio_so_info_text(struct lio_so *so, char **text);
/* LUNs of any target that use this object. */
int lio_so_luns(struct lio_so *so, struct lio_lun ***list, size_t *n);
/* Whether the backend supports ALUA groups (pscsi/user need alua_support). */
bool lio_so_alua_supported(struct lio_so *so);

/* ALUA target port groups: <so>/alua/<name>. */
int lio_alua_tpg_create(struct lio_so *so, const char *name, unsigned id,
			struct lio_alua_tpg **tpg);
int lio_alua_tpg_lookup(struct lio_so *so, const char *name, struct lio_alua_tpg **tpg);
int lio_alua_tpg_list(struct lio_so *so, struct lio_alua_tpg ***list, size_t *n);
/* Refuses default_tg_pt_gp. */
int lio_alua_tpg_delete(struct lio_alua_tpg *tpg);
struct lio_alua_tpg *lio_alua_tpg_unref(struct lio_alua_tpg *tpg);
const char *lio_alua_tpg_name(const struct lio_alua_tpg *tpg);
/*
 * The group's files as integers, as saveconfig.json stores them:
 * alua_access_type and alua_access_status are mapped from their text.
 */
int lio_alua_tpg_get_int(struct lio_alua_tpg *tpg, const char *key, long long *value);
int lio_alua_tpg_set_int(struct lio_alua_tpg *tpg, const char *key, long long value);

/* ------------------------------------------------------------------ */
/* WWNs                                                                */

enum lio_wwn_type {
	LIO_WWN_IQN = 1 << 0,
	LIO_WWN_NAA = 1 << 1,
	LIO_WWN_EUI = 1 << 2,
	LIO_WWN_IB = 1 << 3,
	LIO_WWN_UNIT_SERIAL = 1 << 4,
	LIO_WWN_FREE = 1 << 5,
};
/* "iqn", "naa", "eui", "ib", "unit_serial", "free". */
const char *lio_wwn_type_name(enum lio_wwn_type type);
/* Which single type @wwn (already normalised) matches, 0 if none. */
enum lio_wwn_type lio_wwn_match(const char *wwn, unsigned types);
/*
 * lio_wwn_normalize: lower-case; for naa/eui/ib strip "0x", "-" and ":"
 * and add the prefix; then check against @types (a mask). On success
 * *out is a new string and *type the matching type.
 * -EINVAL with "WWN not valid as: iqn, naa, eui" style message otherwise.
 */
int lio_wwn_normalize(struct lio_ctx *ctx, const char *wwn, unsigned types,
		      char **out, enum lio_wwn_type *type);
/* A new WWN of @type, as targetcli-fb generates them. */
int lio_wwn_generate(enum lio_wwn_type type, char **out);
/* A new uuid4 string. */
int lio_uuid4(char out[37]);

/* ------------------------------------------------------------------ */
/* Fabrics                                                             */

enum lio_fabric_feature {
	LIO_FEAT_DISCOVERY_AUTH = 1 << 0,
	LIO_FEAT_ACLS = 1 << 1,
	LIO_FEAT_AUTH = 1 << 2,
	LIO_FEAT_NPS = 1 << 3,
	LIO_FEAT_TPGTS = 1 << 4,
	LIO_FEAT_CPUS_ALLOWED_LIST = 1 << 5,
	LIO_FEAT_NEXUS = 1 << 6,
};

enum lio_fabric_wwn_format {
	LIO_FWWN_IDENTITY,  /* configfs name = normalised WWN */
	LIO_FWWN_IB_HEX,    /* ib.<hex> <-> 0x<hex> */
	LIO_FWWN_COLON_HEX, /* naa.<hex> <-> xx:xx:...:xx */
	LIO_FWWN_EUI_BARE,  /* eui.<hex> <-> <hex> */
};

struct lio_fabric {
	const char *name;        /* UI and saveconfig name: "iscsi", "tcm_fc" */
	const char *dir;         /* configfs directory: "iscsi", "fc" */
	const char *kmod;        /* kernel module */
	unsigned features;       /* enum lio_fabric_feature */
	unsigned wwn_types;      /* enum lio_wwn_type mask */
	enum lio_fabric_wwn_format wwn_format;
	/*
	 * Hardware WWNs from sysfs; NULL for software fabrics, which take
	 * any WWN. Returns the count, or a negative errno.
	 */
	int (*hw_wwns)(struct lio_ctx *ctx, char ***wwns);
	bool no_auto_enable;     /* sbp: targetcli does not enable its TPG */
};

/* The table of known fabrics, in targetcli's order. */
size_t lio_fabric_count(void);
const struct lio_fabric *lio_fabric_at(size_t i);
const struct lio_fabric *lio_fabric_find(const char *name);
/* Make the fabric's directory exist, loading its module if needed. */
int lio_fabric_load(struct lio_ctx *ctx, const struct lio_fabric *fabric);
/* Whether the fabric's directory exists (loads nothing). */
bool lio_fabric_loaded(struct lio_ctx *ctx, const struct lio_fabric *fabric);
/* Hardware WWNs, normalised; count or negative errno. 0 for software. */
int lio_fabric_hw_wwns(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		       char ***wwns);
/* normalised WWN <-> configfs directory name */
int lio_fabric_wwn_to_dir(const struct lio_fabric *fabric, const char *wwn, char **dir);
int lio_fabric_wwn_from_dir(const struct lio_fabric *fabric, const char *dir, char **wwn);
void lio_strv_free(char **strv, size_t n);
/*
 * The fabric's own directory as an object, for its attribute/parameter
 * groups (lio_attr_*); -ENOENT while the fabric is not loaded (this loads
 * nothing).
 */
int lio_fabric_obj(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		   struct lio_obj **out);
/* The fabric module's version string (its lio_version or version file); loads it. */
int lio_fabric_version(struct lio_ctx *ctx, const struct lio_fabric *fabric, char **out);

/*
 * iSCSI discovery authentication (fabrics with LIO_FEAT_DISCOVERY_AUTH):
 * <fabric>/discovery_auth/{userid,password,userid_mutual,password_mutual,
 * enforce_discovery_auth}.
 */
int lio_discovery_auth_get(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			   enum lio_auth_key key, char **value);
int lio_discovery_auth_set(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			   enum lio_auth_key key, const char *value);
int lio_discovery_auth_get_enforce(struct lio_ctx *ctx, const struct lio_fabric *fabric,
				   bool *enforce);
int lio_discovery_auth_set_enforce(struct lio_ctx *ctx, const struct lio_fabric *fabric,
				   bool enforce);

/* ------------------------------------------------------------------ */
/* Targets and TPGs                                                    */

/*
 * lio_target_create: normalise @wwn for the fabric (NULL: generate one of
 * the fabric's first WWN type), load the fabric and mkdir the target.
 * -EEXIST if it exists.
 */
int lio_target_create(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *wwn, struct lio_target **target);
int lio_target_lookup(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *wwn, struct lio_target **target);
/* Targets of a fabric, sorted; an unloaded fabric has none (loads nothing). */
int lio_target_list(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		    struct lio_target ***list, size_t *n);
/* Deletes every TPG (see lio_tpg_delete), then the target. */
int lio_target_delete(struct lio_target *target);
struct lio_target *lio_target_ref(struct lio_target *target);
struct lio_target *lio_target_unref(struct lio_target *target);
/* Normalised WWN (e.g. "naa.5001405..." for a qla2xxx "50:01:..." dir). */
const char *lio_target_wwn(const struct lio_target *target);
const struct lio_fabric *lio_target_fabric(const struct lio_target *target);

/*
 * lio_tpg_create: mkdir <target>/tpgt_<tag>; @tag 0 picks the smallest
 * unused tag > 0. Fabrics without LIO_FEAT_TPGTS accept only one TPG.
 */
int lio_tpg_create(struct lio_target *target, unsigned tag, struct lio_tpg **tpg);
int lio_tpg_lookup(struct lio_target *target, unsigned tag, struct lio_tpg **tpg);
int lio_tpg_list(struct lio_target *target, struct lio_tpg ***list, size_t *n);
/*
 * lio_tpg_delete: disable, delete ACLs (their mapped LUNs first), LUNs,
 * portals, then the TPG.
 */
int lio_tpg_delete(struct lio_tpg *tpg);
struct lio_tpg *lio_tpg_ref(struct lio_tpg *tpg);
struct lio_tpg *lio_tpg_unref(struct lio_tpg *tpg);
unsigned lio_tpg_tag(const struct lio_tpg *tpg);
struct lio_target *lio_tpg_target(const struct lio_tpg *tpg);
/* enable: -ENOENT-free: a TPG without an enable file reads as enabled. */
int lio_tpg_get_enable(struct lio_tpg *tpg, bool *enabled);
/* Writes only when the value changes. */
int lio_tpg_set_enable(struct lio_tpg *tpg, bool enable);
/* Nexus fabrics (loopback, vhost, ...). */
int lio_tpg_get_nexus(struct lio_tpg *tpg, char **nexus);
int lio_tpg_set_nexus(struct lio_tpg *tpg, const char *nexus);

/* ------------------------------------------------------------------ */
/* LUNs                                                                */

#define LIO_LUN_MAX 65535
/*
 * lio_lun_create: mkdir <tpg>/lun/lun_<index> and link it to @so under
 * @alias (NULL: 10 hex characters of a uuid4). @index < 0 picks the
 * smallest free index. -EEXIST if @index is in use, -ERANGE if out of
 * range, -EBUSY if the TPG already has a LUN for @so.
 */
int lio_lun_create(struct lio_tpg *tpg, struct lio_so *so, long index,
		   const char *alias, struct lio_lun **lun);
/*
 * LIO_LUN_SHARE_SO: allow a second LUN of the TPG on the same storage
 * object. The kernel accepts it and saved files may hold it; targetcli's
 * `luns create` refuses it, so only restores ask for it.
 */
#define LIO_LUN_SHARE_SO (1u << 0)
int lio_lun_create_flags(struct lio_tpg *tpg, struct lio_so *so, long index,
			 const char *alias, unsigned flags, struct lio_lun **lun);
int lio_lun_lookup(struct lio_tpg *tpg, unsigned index, struct lio_lun **lun);
int lio_lun_list(struct lio_tpg *tpg, struct lio_lun ***list, size_t *n);
/*
 * Just the LUN numbers, unsorted, with no handles made (cheap among
 * thousands, as for completion). Free *indexes with free().
 */
int lio_lun_indexes(struct lio_tpg *tpg, unsigned **indexes, size_t *n);
/*
 * The smallest number not among @v[0..n) (which it sorts), or -ENOSPC when
 * all of 0..@max are taken: a free LUN or mapped LUN number in O(n log n).
 */
long lio_first_free_index(unsigned *v, size_t n, unsigned max);
/* Deletes the mapped LUNs that point at it first. */
int lio_lun_delete(struct lio_lun *lun);
struct lio_lun *lio_lun_ref(struct lio_lun *lun);
struct lio_lun *lio_lun_unref(struct lio_lun *lun);
unsigned lio_lun_index(const struct lio_lun *lun);
struct lio_tpg *lio_lun_tpg(const struct lio_lun *lun);
/* The storage object the LUN links to; -ENOLINK when the link is broken. */
int lio_lun_get_so(struct lio_lun *lun, struct lio_so **so);
/* Name of the link inside the LUN directory. */
int lio_lun_get_alias(struct lio_lun *lun, char **alias);
int lio_lun_get_alua_group(struct lio_lun *lun, char **group);
int lio_lun_set_alua_group(struct lio_lun *lun, const char *group);

/* ------------------------------------------------------------------ */
/* Node ACLs and mapped LUNs                                           */

/* @wwn is normalised to the fabric's WWN types. */
int lio_acl_create(struct lio_tpg *tpg, const char *wwn, struct lio_acl **acl);
int lio_acl_lookup(struct lio_tpg *tpg, const char *wwn, struct lio_acl **acl);
int lio_acl_list(struct lio_tpg *tpg, struct lio_acl ***list, size_t *n);
/* Deletes its mapped LUNs, then the ACL. */
int lio_acl_delete(struct lio_acl *acl);
struct lio_acl *lio_acl_ref(struct lio_acl *acl);
struct lio_acl *lio_acl_unref(struct lio_acl *acl);
const char *lio_acl_wwn(const struct lio_acl *acl);
struct lio_tpg *lio_acl_tpg(const struct lio_acl *acl);
/* Tag: "" when untagged; set "" or NULL to untag. Tags cannot contain '.'. */
int lio_acl_get_tag(struct lio_acl *acl, char **tag);
int lio_acl_set_tag(struct lio_acl *acl, const char *tag);
/*
 * lio_acl_copy_settings: make @dst like @src, as targetcli does when an ACL
 * joins a tag: @dst's mapped LUNs are replaced by @src's (same numbers,
 * TPG LUNs and write protection), and its CHAP credentials and writable
 * attributes and parameters take @src's values.
 */
int lio_acl_copy_settings(struct lio_acl *dst, struct lio_acl *src);
int lio_acl_get_cmdsn_depth(struct lio_acl *acl, unsigned *depth);
int lio_acl_set_cmdsn_depth(struct lio_acl *acl, unsigned depth);

/*
 * lio_mapped_lun_create: mkdir <acl>/lun_<index>, link it to the TPG's
 * lun_<tpg_lun> under @alias (NULL: generated), then write write_protect.
 */
int lio_mapped_lun_create(struct lio_acl *acl, unsigned index, unsigned tpg_lun,
			  bool write_protect, const char *alias,
			  struct lio_mapped_lun **mlun);
int lio_mapped_lun_lookup(struct lio_acl *acl, unsigned index,
			  struct lio_mapped_lun **mlun);
int lio_mapped_lun_list(struct lio_acl *acl, struct lio_mapped_lun ***list, size_t *n);
/* Just the mapped LUN numbers, as lio_lun_indexes(). */
int lio_mapped_lun_indexes(struct lio_acl *acl, unsigned **indexes, size_t *n);
int lio_mapped_lun_delete(struct lio_mapped_lun *mlun);
struct lio_mapped_lun *lio_mapped_lun_unref(struct lio_mapped_lun *mlun);
unsigned lio_mapped_lun_index(const struct lio_mapped_lun *mlun);
struct lio_acl *lio_mapped_lun_acl(const struct lio_mapped_lun *mlun);
/* Index of the TPG LUN it links to; -ENOLINK when broken. */
int lio_mapped_lun_get_tpg_lun(struct lio_mapped_lun *mlun, unsigned *tpg_lun);
/* The TPG LUN it links to, as a handle (no second look at the LUN). */
int lio_mapped_lun_get_lun(struct lio_mapped_lun *mlun, struct lio_lun **lun);
int lio_mapped_lun_get_alias(struct lio_mapped_lun *mlun, char **alias);
int lio_mapped_lun_get_write_protect(struct lio_mapped_lun *mlun, bool *wp);
int lio_mapped_lun_set_write_protect(struct lio_mapped_lun *mlun, bool wp);

/* ------------------------------------------------------------------ */
/* Sessions (from <acl>/info)                                          */

struct lio_connection {
	unsigned cid;
	char *state;     /* e.g. "LOGGED_IN" (TARG_CONN_STATE_ stripped) */
	char *address;
	char *transport; /* e.g. "TCP" */
};
struct lio_session {
	bool active;     /* false: "No active iSCSI Session" */
	char *alias;     /* InitiatorAlias */
	unsigned long id;
	char *type;      /* SessionType, e.g. "Normal" */
	char *state;     /* e.g. "LOGGED_IN" (TARG_SESS_STATE_ stripped) */
	struct lio_connection *conns;
	size_t nconns;
};
/* Parse the text of an ACL's info file. */
int lio_session_parse(const char *text, struct lio_session *session);
void lio_session_clear(struct lio_session *session);
int lio_acl_get_session(struct lio_acl *acl, struct lio_session *session);

/* ------------------------------------------------------------------ */
/* Portals                                                             */

/*
 * lio_portal_create: mkdir <tpg>/np/<ip>:<port>. An IPv6 address is
 * written in brackets; an address without '.' is taken as IPv6.
 */
int lio_portal_create(struct lio_tpg *tpg, const char *ip, unsigned port,
		      struct lio_portal **portal);
int lio_portal_lookup(struct lio_tpg *tpg, const char *ip, unsigned port,
		      struct lio_portal **portal);
int lio_portal_list(struct lio_tpg *tpg, struct lio_portal ***list, size_t *n);
/* Turns iser and offload off first. */
int lio_portal_delete(struct lio_portal *portal);
struct lio_portal *lio_portal_unref(struct lio_portal *portal);
/* IPv6 in brackets, as in the directory name. */
const char *lio_portal_ip(const struct lio_portal *portal);
unsigned lio_portal_port(const struct lio_portal *portal);
/* iser/offload (cxgbit): false when the kernel has no such file. */
int lio_portal_get_iser(struct lio_portal *portal, bool *on);
int lio_portal_set_iser(struct lio_portal *portal, bool on);
int lio_portal_get_offload(struct lio_portal *portal, bool *on);
int lio_portal_set_offload(struct lio_portal *portal, bool on);
/* Canonical portal address: "[::0]" for "::0", "1.2.3.4" unchanged. */
int lio_portal_canon_ip(const char *ip, char **out);

/* ------------------------------------------------------------------ */
/* Whole configuration                                                 */

/*
 * lio_clear: delete every target of every loaded fabric, reset discovery
 * auth, delete every storage object and remove leftover HBAs.
 */
int lio_clear(struct lio_ctx *ctx);

/* ------------------------------------------------------------------ */
/* saveconfig.json                                                     */

struct json_object;
/*
 * lio_config_dump: the running configuration as a saveconfig.json document
 * (json-c object, caller puts it): fabric_modules, storage_objects and
 * targets with targetcli-fb's field names.
 */
int lio_config_dump(struct lio_ctx *ctx, struct json_object **config);
/*
 * lio_json_format: JSON text laid out as targetcli-fb writes saveconfig.json
 * (sorted keys, 2-space indent, ASCII, trailing newline). -ENOMEM only.
 */
int lio_json_format(struct json_object *obj, char **text);

/* ------------------------------------------------------------------ */
/* Helpers shared with the shell                                       */

/*
 * Size syntax as targetcli: digits with an optional k/m/g/t unit (powers
 * of 1024), an optional "i" and "b", case-insensitive ("10G", "512MiB",
 * "4096"). -EINVAL or -ERANGE on bad input.
 */
int lio_parse_size(const char *text, uint64_t *bytes);
/* "N bytes" under 1024, else "%3.1f" + KiB/MiB/GiB/TiB/PiB. */
void lio_format_size(uint64_t bytes, char *buf, size_t len);
/*
 * Value of @key in a storage object's info text, as rtslib reads it:
 * whitespace collapsed, then the token after "<key>: ".
 */
int lio_info_value(const char *info, const char *key, char **value);

/* ------------------------------------------------------------------ */
/* Saving saveconfig.json (save.c, save_backup.c)                      */

#define LIO_DEFAULT_SAVEFILE "/etc/target/saveconfig.json"
/* System-wide targetcli settings (max_backup_files = N). */
#define LIO_TARGETCLI_CONF "/etc/target/targetcli.conf"
#define LIO_DEFAULT_MAX_BACKUPS 10
/*
 * Restore marker: <directory of the save file>/.restore-incomplete. A
 * restore that failed part-way writes it (lio_restore_mark_incomplete())
 * because the running configuration then lacks what it could not restore,
 * and saving it would overwrite the good file with less. While it exists,
 * lio_config_save() and lio_config_save_so() refuse with -EBUSY, the
 * message quoting the marker's first line (the reason), unless
 * LIO_SAVE_FORCE. Callers remove it (lio_restore_mark_clear()) after a
 * successful restore or a clear of the running configuration (lio_clear()
 * does not know the save file); a forced full save removes it too, since
 * the file then holds what runs by the caller's choice.
 */
#define LIO_RESTORE_MARKER ".restore-incomplete"

enum lio_save_flags {
	/*
	 * Keep the file being replaced in <dir>/backup/ (targetcli-fb does
	 * this only for the default file; the caller decides).
	 */
	LIO_SAVE_BACKUP = 1 << 0,
	/* Save even while the restore marker exists. */
	LIO_SAVE_FORCE = 1 << 1,
};

struct lio_save_opts {
	unsigned flags;       /* enum lio_save_flags */
	/*
	 * With LIO_SAVE_BACKUP: how many backups to keep, the new one
	 * included (targetcli: max(pref, targetcli.conf), default 10);
	 * 0 makes no backups.
	 */
	unsigned max_backups;
};

struct lio_save_result {
	bool backup_made;      /* a new backup file was written */
	/* Backup files in <dir>/backup/ after the save (0 without backups). */
	unsigned backups_kept;
};

/*
 * lio_config_save: dump the running configuration (lio_config_dump()) and
 * write it to @path (NULL: LIO_DEFAULT_SAVEFILE) as targetcli-fb does
 * (lio_json_format()), atomically and durably:
 *  - the directory (and missing parents) is created with mode 0700; an
 *    existing directory's mode is never changed;
 *  - a symlink at @path is kept: its final target is written, in the
 *    target's directory;
 *  - the content goes to a new temporary file in the same directory, made
 *    with O_CREAT|O_EXCL and mode 0600 from the start (never chmodded),
 *    written in full, fsynced, renamed over the file, and the directory is
 *    fsynced. A crash at any point leaves the old or the new file, whole.
 *    The temporary file is ".<name>.tmp-XXXXXX", flock()ed while in use;
 *    those of crashed saves are removed by the next save. (A failing
 *    directory fsync is reported although the new file is then in place.)
 *  - with LIO_SAVE_BACKUP and max_backups > 0, first the current file is
 *    gzipped to <dir>/backup/saveconfig-YYYYMMDD-HH:MM:SS.json.gz (<dir>
 *    is that of @path itself, next to a symlink as targetcli-fb does; dir
 *    0700, files 0600, local time; "-N" before ".json.gz" when that second
 *    already has a backup) unless it equals the newest backup, and the
 *    oldest backups beyond max_backups are deleted. Backup names of
 *    targetcli-fb ("...-json.gz", older "....json") count as backups too.
 *    A failed backup fails the save, leaving the file untouched.
 * -EBUSY while the restore marker exists, unless LIO_SAVE_FORCE. @opts and
 * @res may be NULL. The message names the file and the cause, e.g.
 * "Cannot write /etc/target/saveconfig.json: No space left on device".
 */
int lio_config_save(struct lio_ctx *ctx, const char *path,
		    const struct lio_save_opts *opts, struct lio_save_result *res);

/*
 * lio_config_save_so: targetcli-fb's per-storage-object save. Start from
 * the file at @path (NULL: default; an empty {storage_objects: [],
 * targets: []} when missing; -EINVAL when it is not a JSON object), then
 * replace the entry of /backstores/<plugin>/<name> with the running one,
 * remove it if the object does not run, or append it; the same for the
 * first target having a LUN on that object. Written as lio_config_save()
 * does, except that the directory must exist.
 */
int lio_config_save_so(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		       const char *path, const struct lio_save_opts *opts,
		       struct lio_save_result *res);

/*
 * Restore marker of the save file @savefile (NULL: LIO_DEFAULT_SAVEFILE);
 * see LIO_RESTORE_MARKER. lio_restore_mark_incomplete writes @reason (one
 * line; NULL: a generic one) into it, atomically, mode 0600, creating the
 * directory (0700) if needed. lio_restore_mark_clear removes it (0 when
 * absent). lio_restore_marked returns 1 when it exists (and, if @reason is
 * not NULL, its first line as a new string in *reason), 0 when not.
 */
int lio_restore_mark_incomplete(struct lio_ctx *ctx, const char *savefile,
				const char *reason);
int lio_restore_mark_clear(struct lio_ctx *ctx, const char *savefile);
int lio_restore_marked(struct lio_ctx *ctx, const char *savefile, char **reason);

/*
 * lio_read_targetcli_conf_max_backups: the first "max_backup_files = N"
 * line of targetcli.conf at @path (NULL: LIO_TARGETCLI_CONF). 1 and *n set
 * when found, 0 when the file or the line is missing, -EINVAL when the
 * value is not a number, another negative errno when unreadable.
 */
int lio_read_targetcli_conf_max_backups(const char *path, unsigned *n);



/* ------------------------------------------------------------------ */
/* Restoring saveconfig.json (config_validate.c, config_apply.c,       */
/* config_diff.c, config_restore.c)                                    */

/*
 * Messages are one line each and start with the JSON path of what they are
 * about, e.g. "targets[0].tpgs[0].luns[3].storage_object: no storage object
 * /backstores/fileio/x". Free with lio_restore_report_clear().
 */
struct lio_restore_report {
	char **errors;   /* validation errors, or items skipped while applying */
	size_t nerrors;
	char **warnings; /* unknown keys and the like; never fatal */
	size_t nwarnings;
	char **plan;     /* diff mode: what was (or, dry run: would be) done */
	size_t nplan;
};
void lio_restore_report_clear(struct lio_restore_report *report);

struct lio_restore_opts {
	/* Delete the running configuration first (only the filtered object
	 * with target/storage_object); without it, objects of the file that
	 * already exist are skipped and reported. */
	bool clear_existing;
	const char *target;         /* restore only this target (by WWN) */
	const char *storage_object; /* restore only this storage object (by name) */
	/* All or nothing: on any error the configuration running before is
	 * put back (lio_clear, then the snapshot re-applied). */
	bool atomic;
	/* Apply only the difference with the running configuration: nothing
	 * that did not change is removed or re-created; objects the file does
	 * not have are deleted (within the filters); clear_existing is then
	 * ignored. report->plan lists each step, one line each, e.g.
	 * "create storage object /backstores/fileio/x",
	 * "set targets[0].tpgs[0].attributes.authentication: 0 -> 1",
	 * "delete LUN iscsi/<wwn>/tpgt_1/lun_3". */
	bool diff;
	bool dry_run;        /* diff mode (implied) as a plan only: change nothing */
	/* Wait up to this many seconds for missing backing devices (block
	 * dev, fileio on /dev, pscsi) to appear before applying. */
	unsigned wait_secs;
	/* lio_config_restore_file() only: keep the save side's marker next to
	 * the file (lio_restore_mark_incomplete() when items were skipped,
	 * lio_restore_mark_clear() when all was restored), as a boot restore
	 * of the save file wants. */
	bool mark_incomplete;
};

/*
 * lio_config_validate: check a saveconfig.json document without touching
 * the kernel (except to look up storage objects that LUNs name and the
 * file does not have, when @opts says they will be kept). Unknown keys are
 * warnings. Returns 0, or -EINVAL when report->errors has entries.
 */
int lio_config_validate(struct lio_ctx *ctx, struct json_object *cfg,
			const struct lio_restore_opts *opts,
			struct lio_restore_report *report);

/*
 * lio_config_restore: validate @cfg (nothing applied if it is invalid:
 * -EINVAL), then apply it in rtslib's order: storage objects (attributes,
 * ALUA groups), fabric modules (discovery auth), targets (TPG attributes,
 * parameters, LUNs, portals, ACLs with mapped LUNs, enable, CHAP).
 * Best effort by default: what the kernel refuses is skipped and reported
 * in report->errors. Returns 0 when nothing was skipped; -EIO ("Configuration
 * restored, N recoverable errors") when items were skipped; -ECANCELED in
 * atomic mode when it failed and the previous configuration was put back;
 * another negative errno when nothing was applied.
 * @opts may be NULL (defaults); @report may be NULL.
 */
int lio_config_restore(struct lio_ctx *ctx, struct json_object *cfg,
		       const struct lio_restore_opts *opts,
		       struct lio_restore_report *report);
/* The same from a file: -ENOENT "Restore file X not found", -EINVAL when it
 * is not JSON. */
int lio_config_restore_file(struct lio_ctx *ctx, const char *path,
			    const struct lio_restore_opts *opts,
			    struct lio_restore_report *report);
/* Parse a saveconfig.json file (the messages of lio_config_restore_file). */
int lio_config_load_file(struct lio_ctx *ctx, const char *path, struct json_object **cfg);

/*
 * The partial-restore marker is the save side's (lio_restore_mark_incomplete(),
 * lio_restore_mark_clear() above); lio_config_restore_file() keeps it only
 * with opts->mark_incomplete (targetctl restore, restoreconfig of the
 * default file).
 */

/* ------------------------------------------------------------------ */
/* tcmu-runner handlers over D-Bus (tcmu.c)                            */

/*
 * Storage objects of LIO_PLUGIN_USER are served by a daemon, normally
 * tcmu-runner, that offers its handlers on the D-Bus system bus: service
 * LIO_TCMU_SERVICE, an org.freedesktop.DBus.ObjectManager at LIO_TCMU_PATH
 * and one object per handler below it with the interface LIO_TCMU_IFACE
 * (property ConfigDesc, methods CheckConfig and ChangeMedium). A user
 * object's config is "<handler>/<cfgstring>".
 *
 * These are the library's only D-Bus calls. Each makes its own short
 * connection to the system bus (DBUS_SYSTEM_BUS_ADDRESS if set, else
 * /run/dbus/system_bus_socket), so nothing is held between calls and a
 * restarted bus is no matter. A call may start the daemon through D-Bus
 * activation, as targetcli-fb's do.
 */
#define LIO_TCMU_SERVICE "org.kernel.TCMUService1"
#define LIO_TCMU_PATH "/org/kernel/TCMUService1"
#define LIO_TCMU_IFACE "org.kernel.TCMUService1"

struct lio_tcmu_handler {
	char *name;        /* last component of the object path, e.g. "fbo" */
	char *path;        /* the object path */
	char *config_desc; /* the ConfigDesc property; NULL when absent */
};

/*
 * lio_tcmu_handlers: the daemon's handlers, sorted by name (a name met
 * twice is listed once). No system bus, no daemon on it or an answer that
 * cannot be read means no handlers: 0 with *n = 0, as targetcli-fb shows
 * none then. -ENOMEM only. Free with lio_tcmu_handlers_free().
 */
int lio_tcmu_handlers(struct lio_ctx *ctx, struct lio_tcmu_handler **handlers, size_t *n);
void lio_tcmu_handlers_free(struct lio_tcmu_handler *handlers, size_t n);

/*
 * lio_tcmu_check_config: CheckConfig(@config) on the object of @handler
 * (LIO_TCMU_PATH/<handler>); @config is the whole "<handler>/<cfgstring>".
 * 1 when the handler accepts it; 0 when it does not, with its reason in
 * *reason (a new string); a negative errno when the call failed, with the
 * message "CheckConfig failed: <D-Bus error>".
 */
int lio_tcmu_check_config(struct lio_ctx *ctx, const char *handler, const char *config,
			  char **reason);

/*
 * lio_tcmu_change_medium: ChangeMedium(@name, @size, @config) on the object
 * of @handler: the daemon reopens the storage object @name on the new
 * config (a handler with removable media). 0 when it did; -EIO when it
 * refused, or another negative errno when the call failed, with the message
 * "ChangeMedium failed: <reason or D-Bus error>". The reply is (is), 0
 * meaning success (tcmu-runner's media change); (bs) is accepted too.
 */
int lio_tcmu_change_medium(struct lio_ctx *ctx, const char *handler, const char *name,
			   uint64_t size, const char *config);

/* The handler named by a D-Bus object path: its last component ("" if none). */
const char *lio_tcmu_handler_name(const char *object_path);
/* Whether a user object's @config belongs to @handler: "<handler>/...". */
bool lio_tcmu_config_of(const char *config, const char *handler);

#ifdef __cplusplus
}
#endif

#endif /* LIO_H */
