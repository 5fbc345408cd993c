/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Storage objects: plugin names, lookup, listing, deletion and the LUNs
 * that use an object. Creation is in so_create.c, read-back in so_info.c.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

static const struct {
	const char *name;
	const char *prefix;
} plugins[LIO_PLUGINS] = {
	[LIO_PLUGIN_BLOCK] = { "block", "iblock" },
	[LIO_PLUGIN_FILEIO] = { "fileio", "fileio" },
	[LIO_PLUGIN_PSCSI] = { "pscsi", "pscsi" },
	[LIO_PLUGIN_RAMDISK] = { "ramdisk", "rd_mcp" },
	[LIO_PLUGIN_USER] = { "user", "user" },
};

const char *lio_plugin_name(enum lio_plugin plugin)
{
	return (unsigned)plugin < LIO_PLUGINS ? plugins[plugin].name : NULL;
}

const char *lio_plugin_hba_prefix(enum lio_plugin plugin)
{
	return (unsigned)plugin < LIO_PLUGINS ? plugins[plugin].prefix : NULL;
}

int lio_plugin_from_name(const char *name, enum lio_plugin *plugin)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < LIO_PLUGINS; i++)
		if (!strcmp(name, plugins[i].name) || !strcmp(name, plugins[i].prefix)) {
			*plugin = (enum lio_plugin)i;
			return 0;
		}
	return -EINVAL;
}

bool lio_so_name_valid(const char *name)
{
	return name && *name && !strpbrk(name, "/ \t\n") && strcmp(name, ".") &&
	       strcmp(name, "..");
}

struct lio_so *lio_so_ref(struct lio_so *so)
{
	return (struct lio_so *)lio_obj_ref(lio_obj(so));
}

struct lio_so *lio_so_unref(struct lio_so *so)
{
	return (struct lio_so *)lio_obj_unref(lio_obj(so));
}

const char *lio_so_name(const struct lio_so *so)
{
	return so->obj.name;
}

enum lio_plugin lio_so_plugin(const struct lio_so *so)
{
	return so->plugin;
}

unsigned lio_so_hba_index(const struct lio_so *so)
{
	return so->hba_index;
}

int lio_so_find(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		unsigned *index)
{
	_cleanup_free_ char *core = NULL, *hba_prefix = NULL;
	const char *prefix = lio_plugin_hba_prefix(plugin);
	char **hbas = NULL;
	size_t n = 0, plen;
	int r, cfd;

	if (!prefix)
		return lio_err(ctx, -EINVAL, "Unknown storage plugin %d", (int)plugin);
	r = lio_so_index_find(ctx, plugin, name, index);
	if (r <= 0)
		return r;
	r = lio_so_names_lookup(ctx, plugin, name, index);
	if (r <= 0)
		return r;
	core = lio_strdupf("%s/core", ctx->root);
	hba_prefix = lio_strdupf("%s_", prefix);
	if (!core || !hba_prefix)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	plen = strlen(hba_prefix);
	/*
	 * One unsorted listing of core/, then a stat per HBA of the plugin,
	 * relative to core/: in directory order, newest first on configfs, so
	 * a recent object is found early.
	 */
	cfd = open(core, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfd < 0)
		return errno == ENOENT ? -ENOENT
				       : lio_err(ctx, -errno, "Cannot list %s: %s", core,
						 strerror(errno));
	r = lio_subdirs_at(cfd, ".", lio_root_is_configfs(ctx), &hbas, &n);
	if (r < 0) {
		close(cfd);
		return lio_err(ctx, r, "Cannot list %s: %s", core, strerror(-r));
	}
	r = -ENOENT;
	for (size_t i = 0; i < n && r == -ENOENT; i++) {
		unsigned long long idx;
		char rel[512];
		struct stat st;

		/* "<prefix>_<N>" exactly: rd_mcp_1 is not a "rd" HBA. */
		if (strncmp(hbas[i], hba_prefix, plen) ||
		    lio_parse_uint(hbas[i] + plen, LIO_HBA_INDEX_MAX, &idx) < 0)
			continue;
		if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", hbas[i], name) >= sizeof(rel))
			continue;
		if (fstatat(cfd, rel, &st, 0) == 0 && S_ISDIR(st.st_mode)) {
			*index = (unsigned)idx;
			r = 0;
		}
	}
	close(cfd);
	lio_strv_free(hbas, n);
	return r;
}

int lio_so_lookup(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		  struct lio_so **so)
{
	unsigned index;
	int r;

	if (!lio_plugin_name(plugin))
		return lio_err(ctx, -EINVAL, "Unknown storage plugin %d", (int)plugin);
	if (!lio_so_name_valid(name))
		return lio_err(ctx, -ENOENT, "No storage object named %s/%s",
			       lio_plugin_name(plugin),
			       name && !strpbrk(name, "\n\r") ? name : "");
	r = lio_so_find(ctx, plugin, name, &index);
	if (r == -ENOENT)
		return lio_err(ctx, r, "No storage object named %s/%s",
			       lio_plugin_name(plugin), name);
	if (r < 0)
		return r;
	return lio_so_alloc(ctx, plugin, index, name, so);
}

struct hba_entry {
	char *dir;
	enum lio_plugin plugin;
	unsigned index;
};

static int hba_entry_cmp(const void *a, const void *b)
{
	const struct hba_entry *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return (int)x->plugin - (int)y->plugin;
}

/* HBA directories of known plugins (of @plugin if >= 0), by index. */
static int list_hbas(struct lio_ctx *ctx, int plugin, struct hba_entry **out, size_t *nout)
{
	_cleanup_free_ char *core = lio_strdupf("%s/core", ctx->root);
	struct hba_entry *list;
	char **names;
	size_t n, count = 0;
	int r;

	*out = NULL;
	*nout = 0;
	if (!core)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_list_dir(NULL, core, NULL, true, &names, &n);
	if (r == -ENOENT)
		return 0; /* target_core_mod not loaded: nothing configured */
	if (r < 0)
		return lio_err(ctx, r, "Cannot list %s: %s", core, strerror(-r));
	list = calloc(n ? n : 1, sizeof(*list));
	if (!list) {
		lio_strv_free(names, n);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		char prefix[32];
		enum lio_plugin p;
		unsigned idx;

		if (lio_hba_parse(names[i], prefix, sizeof(prefix), &idx) < 0 ||
		    lio_plugin_from_name(prefix, &p) < 0 ||
		    strcmp(prefix, lio_plugin_hba_prefix(p)))
			continue;
		if (plugin >= 0 && (int)p != plugin)
			continue;
		list[count].dir = TAKE_PTR(names[i]);
		list[count].plugin = p;
		list[count].index = idx;
		count++;
	}
	lio_strv_free(names, n);
	qsort(list, count, sizeof(*list), hba_entry_cmp);
	*out = list;
	*nout = count;
	return 0;
}

static void hba_entries_free(struct hba_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].dir);
	free(list);
}

/* core/ open for *at() calls: short lookups, each from there. */
static int open_core(struct lio_ctx *ctx)
{
	_cleanup_free_ char *core = lio_strdupf("%s/core", ctx->root);

	return core ? open(core, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
}

int lio_so_list(struct lio_ctx *ctx, int plugin, struct lio_so ***out, size_t *nout)
{
	struct lio_so **list = NULL;
	struct hba_entry *hbas;
	size_t nhbas, count = 0, cap = 0;
	int r, core;

	*out = NULL;
	*nout = 0;
	if (plugin >= LIO_PLUGINS)
		return lio_err(ctx, -EINVAL, "Unknown storage plugin %d", plugin);
	r = list_hbas(ctx, plugin < 0 ? -1 : plugin, &hbas, &nhbas);
	if (r < 0)
		return r;
	/* one open, read and close per HBA, looked up from core/ itself */
	core = nhbas ? open_core(ctx) : -1;
	for (size_t i = 0; i < nhbas && r == 0; i++) {
		char **names = NULL;
		size_t n = 0;
		int e;

		e = core < 0 ? -EBADF
			     : lio_subdirs_at(core, hbas[i].dir, lio_root_is_configfs(ctx), &names, &n);
		/* An HBA removed since core/ was read has no objects. */
		if (e == -ENOMEM) {
			r = lio_err(ctx, e, "Out of memory");
			break;
		}
		if (e < 0)
			continue;
		for (size_t j = 0; j < n && r == 0; j++) {
			if (count == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct lio_so **nl = realloc(list, ncap * sizeof(*nl));

				if (!nl) {
					r = lio_err(ctx, -ENOMEM, "Out of memory");
					break;
				}
				list = nl;
				cap = ncap;
			}
			r = lio_so_alloc(ctx, hbas[i].plugin, hbas[i].index, names[j],
					 &list[count]);
			if (r == 0)
				count++;
		}
		lio_strv_free(names, n);
	}
	hba_entries_free(hbas, nhbas);
	if (core >= 0)
		close(core);
	if (r < 0) {
		lio_list_free(list, count);
		return r;
	}
	*out = list;
	*nout = count;
	return 0;
}

bool lio_so_alua_supported(struct lio_so *so)
{
	_cleanup_free_ char *path = NULL, *value = NULL;

	/*
	 * Passthrough backends only take ALUA groups when the kernel says so;
	 * older kernels crash on some ALUA files of pscsi and tcmu devices.
	 */
	if (so->plugin != LIO_PLUGIN_PSCSI && so->plugin != LIO_PLUGIN_USER)
		return true;
	path = lio_obj_file(&so->obj, "attrib", "alua_support");
	if (!path || lio_read_file_quiet(path, &value) < 0)
		return false;
	return !strcmp(value, "1");
}

struct lun_list {
	struct lio_lun **luns;
	size_t n, cap;
};

static int lun_list_add(struct lio_ctx *ctx, struct lun_list *l, struct lio_lun *lun)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		struct lio_lun **nl = realloc(l->luns, ncap * sizeof(*nl));

		if (!nl) {
			lio_lun_unref(lun);
			return lio_err(ctx, -ENOMEM, "Out of memory");
		}
		l->luns = nl;
		l->cap = ncap;
	}
	l->luns[l->n++] = lun;
	return 0;
}

/* Whether a symlink in @lun_dir resolves to @so_real. */
static bool lun_links_to(const char *lun_dir, const char *so_real)
{
	char **links;
	size_t n;
	bool found = false;

	if (lio_list_dir(NULL, lun_dir, NULL, false, &links, &n) < 0)
		return false;
	for (size_t i = 0; i < n && !found; i++) {
		_cleanup_free_ char *link = lio_strdupf("%s/%s", lun_dir, links[i]);
		char real[PATH_MAX];

		found = link && lio_resolve_link(link, real) == 0 && !strcmp(real, so_real);
	}
	lio_strv_free(links, n);
	return found;
}

static int lun_handle(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		      const char *tgt_dir, unsigned tag, unsigned index, struct lun_list *l)
{
	_cleanup_free_ char *wwn = NULL;
	struct lio_target *target = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *lun = NULL;
	int r;

	r = lio_fabric_wwn_from_dir(fabric, tgt_dir, &wwn);
	if (r < 0)
		return lio_err(ctx, r, "Cannot read the WWN of %s/%s", fabric->dir, tgt_dir);
	r = lio_target_lookup(ctx, fabric, wwn, &target);
	if (r == 0)
		r = lio_tpg_lookup(target, tag, &tpg);
	if (r == 0)
		r = lio_lun_lookup(tpg, index, &lun);
	lio_tpg_unref(tpg);
	lio_target_unref(target);
	if (r < 0)
		return r;
	return lun_list_add(ctx, l, lun);
}

/* The LUNs of one target directory that link to @so_real. */
static int scan_target(struct lio_ctx *ctx, const struct lio_fabric *fabric,
		       const char *fabric_dir, const char *tgt, const char *so_real,
		       struct lun_list *l)
{
	_cleanup_free_ char *tdir = lio_strdupf("%s/%s", fabric_dir, tgt);
	char **tpgts = NULL;
	size_t ntpgts = 0;
	int r = 0;

	if (!tdir)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (lio_list_dir(NULL, tdir, "tpgt_", true, &tpgts, &ntpgts) < 0)
		return 0;
	for (size_t i = 0; i < ntpgts && r == 0; i++) {
		_cleanup_free_ char *ldir = lio_strdupf("%s/%s/lun", tdir, tpgts[i]);
		unsigned long long tag;
		char **luns = NULL;
		size_t nluns = 0;

		if (!ldir) {
			r = lio_err(ctx, -ENOMEM, "Out of memory");
			break;
		}
		if (lio_parse_uint(tpgts[i] + 5, UINT_MAX, &tag) < 0 ||
		    lio_list_dir(NULL, ldir, "lun_", true, &luns, &nluns) < 0)
			continue;
		for (size_t j = 0; j < nluns && r == 0; j++) {
			_cleanup_free_ char *lun_dir = lio_strdupf("%s/%s", ldir, luns[j]);
			unsigned long long index;

			if (!lun_dir) {
				r = lio_err(ctx, -ENOMEM, "Out of memory");
				break;
			}
			if (lio_parse_uint(luns[j] + 4, UINT_MAX, &index) < 0 ||
			    !lun_links_to(lun_dir, so_real))
				continue;
			r = lun_handle(ctx, fabric, tgt, (unsigned)tag, (unsigned)index, l);
		}
		lio_strv_free(luns, nluns);
	}
	lio_strv_free(tpgts, ntpgts);
	return r;
}

static bool fabric_dir_seen(size_t upto, const char *dir)
{
	for (size_t i = 0; i < upto; i++)
		if (!strcmp(lio_fabric_at(i)->dir, dir))
			return true;
	return false;
}

int lio_so_export_count(struct lio_so *so)
{
	_cleanup_free_ char *path = lio_obj_file(&so->obj, "statistics", "scsi_dev/ports");
	_cleanup_free_ char *text = NULL;
	unsigned long long n;

	if (!path || lio_read_file_quiet(path, &text) < 0 ||
	    lio_parse_uint(text, INT_MAX, &n) < 0)
		return -1;
	return (int)n;
}

int lio_so_luns(struct lio_so *so, struct lio_lun ***out, size_t *nout)
{
	struct lio_ctx *ctx = so->obj.ctx;
	struct lun_list l = { 0 };
	char so_real[PATH_MAX];
	int r = 0;

	*out = NULL;
	*nout = 0;
	if (lio_path_normalize(so->obj.path, so_real) < 0 || !lio_is_dir(so_real))
		return lio_err(ctx, -ENOENT, "No storage object named %s/%s",
			       lio_plugin_name(so->plugin), so->obj.name);
	/* the kernel counts the LUNs: an object no LUN exports needs no walk */
	if (lio_so_export_count(so) == 0)
		return 0;
	/*
	 * Walk the directories (as rtslib's _gen_attached_luns does) and make
	 * handles only for the matches; a fabric whose directory is missing is
	 * not loaded and has no LUNs (nothing gets loaded here).
	 */
	for (size_t f = 0; f < lio_fabric_count() && r == 0; f++) {
		const struct lio_fabric *fabric = lio_fabric_at(f);
		_cleanup_free_ char *fdir = NULL;
		char **tgts = NULL;
		size_t ntgts = 0;

		if (fabric_dir_seen(f, fabric->dir))
			continue;
		fdir = lio_strdupf("%s/%s", ctx->root, fabric->dir);
		if (!fdir) {
			r = lio_err(ctx, -ENOMEM, "Out of memory");
			break;
		}
		if (lio_list_dir(NULL, fdir, NULL, true, &tgts, &ntgts) < 0)
			continue;
		for (size_t t = 0; t < ntgts && r == 0; t++)
			if (strcmp(tgts[t], "discovery_auth"))
				r = scan_target(ctx, fabric, fdir, tgts[t], so_real, &l);
		lio_strv_free(tgts, ntgts);
	}
	if (r < 0) {
		lio_list_free(l.luns, l.n);
		return r;
	}
	*out = l.luns;
	*nout = l.n;
	return 0;
}

/* ALUA groups other than the kernel's default one. */
static int delete_alua_groups(struct lio_so *so)
{
	struct lio_alua_tpg **groups;
	size_t n;
	int r;

	r = lio_alua_tpg_list(so, &groups, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++)
		if (strcmp(lio_alua_tpg_name(groups[i]), "default_tg_pt_gp"))
			r = lio_alua_tpg_delete(groups[i]);
	lio_list_free(groups, n);
	return r;
}

int lio_so_delete(struct lio_so *so)
{
	struct lio_ctx *ctx = so->obj.ctx;
	struct lio_dir_key before;
	struct lio_lun **luns;
	size_t n;
	int r;

	if (!lio_obj_exists(&so->obj))
		return lio_err(ctx, -ENOENT, "No storage object named %s/%s",
			       lio_plugin_name(so->plugin), so->obj.name);
	r = delete_alua_groups(so);
	if (r < 0)
		return r;
	r = lio_so_luns(so, &luns, &n);
	if (r == 0)
		r = lio_delete_all(luns, n);
	if (r < 0)
		return r;
	lio_so_names_before(ctx, &before);
	r = lio_rmdir(ctx, so->obj.path);
	if (r < 0)
		return r;
	lio_so_index_set(ctx, so->plugin, so->obj.name, so->hba_index, false);
	/*
	 * One object per HBA is our rule, not the kernel's: an HBA that still
	 * holds an object made by another tool stays, and that is no failure
	 * (but the names cache cannot follow it).
	 */
	if (rmdir(so->hba_path) < 0) {
		int e = errno;

		lio_so_names_forget(ctx);
		if (e == ENOTEMPTY || e == EBUSY || e == ENOENT)
			return 0;
		return lio_err(ctx, -e, "Cannot remove %s: %s", so->hba_path, strerror(e));
	}
	lio_so_index_hba(ctx, so->hba_index, false);
	lio_so_names_note_hba(ctx, &before, strrchr(so->hba_path, '/') + 1, NULL);
	return 0;
}
