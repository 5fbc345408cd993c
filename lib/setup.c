/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Making the target tree usable (rtslib-fb's RTSRoot start-up): configfs
 * mounted, target_core_mod loaded, dbroot set. Modules are loaded through
 * libkmod, itself loaded only when a module is missing; no subprocess is
 * ever run.
 */
#include <libkmod.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "dynlib.h"
#include "private.h"

#define KMOD_SYMS(X)                                                           \
	X(kmod_new) X(kmod_unref) X(kmod_set_log_fn) X(kmod_load_resources)    \
	X(kmod_module_new_from_lookup) X(kmod_module_get_module)               \
	X(kmod_module_get_initstate) X(kmod_module_get_name)                   \
	X(kmod_module_probe_insert_module) X(kmod_module_unref)                \
	X(kmod_module_unref_list) X(kmod_list_next)

KMOD_SYMS(DYNLIB_DECLARE)
static const struct dynlib_sym kmod_syms[] = { KMOD_SYMS(DYNLIB_ENTRY) };
static struct dynlib kmod_lib = { "libkmod.so.2", kmod_syms, ARRAY_SIZE(kmod_syms), 0, "" };

static void kmod_quiet(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn, (void)format,
		(void)args;
}

/*
 * modprobe.d "install" commands would be run through a shell by libkmod;
 * we run nothing, so such a module is the administrator's to load.
 */
static int refuse_install_command(struct kmod_module *m, const char *cmdline, void *data)
{
	struct lio_ctx *ctx = data;

	lio_err(ctx, -EPERM,
		"Kernel module %s has an install command (%s); load it by hand",
		dl_kmod_module_get_name(m), cmdline);
	return -EPERM;
}

static bool module_loaded(struct kmod_list *mods)
{
	struct kmod_list *it;

	for (it = mods; it; it = dl_kmod_list_next(mods, it)) {
		struct kmod_module *mod = dl_kmod_module_get_module(it);
		int state = dl_kmod_module_get_initstate(mod);

		dl_kmod_module_unref(mod);
		if (state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE ||
		    state == KMOD_MODULE_COMING)
			return true;
	}
	return false;
}

int lio_load_module(struct lio_ctx *ctx, const char *name)
{
	struct kmod_list *mods = NULL, *it;
	struct kmod_ctx *kctx;
	int r;

	if (!name || !*name)
		return lio_err(ctx, -EINVAL, "No kernel module name");
	if (dynlib_load(&kmod_lib) < 0)
		return lio_err(ctx, -ENOENT, "Cannot load kernel module %s: %s", name,
			       kmod_lib.error);
	kctx = dl_kmod_new(NULL, NULL);
	if (!kctx)
		return lio_err(ctx, -ENOMEM, "Cannot initialise libkmod");
	dl_kmod_set_log_fn(kctx, kmod_quiet, NULL);
	dl_kmod_load_resources(kctx); /* only faster lookups; failure is fine */
	r = dl_kmod_module_new_from_lookup(kctx, name, &mods);
	if (r < 0) {
		r = lio_err(ctx, r, "Cannot look up kernel module %s: %s", name, strerror(-r));
		goto out;
	}
	if (!mods) {
		r = lio_err(ctx, -ENOENT, "Kernel module %s not found", name);
		goto out;
	}
	if (module_loaded(mods)) {
		r = 0;
		goto out;
	}
	if (!ctx->autoload) {
		r = lio_err(ctx, -ENODEV,
			    "Kernel module %s is not loaded (module loading is turned off)", name);
		goto out;
	}
	r = -ENOENT;
	for (it = mods; it; it = dl_kmod_list_next(mods, it)) {
		struct kmod_module *mod = dl_kmod_module_get_module(it);

		ctx->errmsg[0] = '\0';
		r = dl_kmod_module_probe_insert_module(mod, 0, NULL, refuse_install_command, ctx,
						    NULL);
		dl_kmod_module_unref(mod);
		if (r == 0)
			break;
	}
	if (r > 0) /* a blacklist code; not asked for, so not expected */
		r = -EPERM;
	if (r < 0 && !ctx->errmsg[0])
		lio_err(ctx, r, "Could not load module: %s: %s", name, strerror(-r));
out:
	dl_kmod_module_unref_list(mods);
	dl_kmod_unref(kctx);
	return r;
}

/* A mount point sits on another device than its parent (or is "/"). */
static int is_mount_point(const char *path, bool *mounted)
{
	_cleanup_free_ char *parent = lio_strdupf("%s/..", path);
	struct stat st, pst;

	if (!parent)
		return -ENOMEM;
	if (stat(path, &st) < 0 || stat(parent, &pst) < 0)
		return -errno;
	*mounted = st.st_dev != pst.st_dev || st.st_ino == pst.st_ino;
	return 0;
}

static int mount_configfs(struct lio_ctx *ctx)
{
	bool mounted = false;
	int r;

	r = is_mount_point(ctx->configfs, &mounted);
	if (r == 0 && mounted)
		return 0;
	/* The configfs module makes /sys/kernel/config and the fs type exist. */
	if (r < 0 || mount("none", ctx->configfs, "configfs", 0, NULL) < 0) {
		r = lio_load_module(ctx, "configfs");
		if (r < 0)
			return r;
		if (is_mount_point(ctx->configfs, &mounted) == 0 && mounted)
			return 0;
		if (mount("none", ctx->configfs, "configfs", 0, NULL) < 0) {
			int e = errno;

			return lio_err(ctx, -e, "Cannot mount configfs on %s: %s", ctx->configfs,
				       strerror(e));
		}
	}
	return 0;
}

static int set_dbroot(struct lio_ctx *ctx, const char *want)
{
	_cleanup_free_ char *file = lio_strdupf("%s/dbroot", ctx->root);
	_cleanup_free_ char *current = NULL, *value = NULL;
	int r;

	if (!file)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	/* Kernels without the file keep their dbroot (/var/target). */
	if (lio_read_file_quiet(file, &current) < 0 || !strcmp(current, want))
		return 0;
	/*
	 * targetcli-fb needs the directory to exist already. We make it, one
	 * level only and 0700: the kernel keeps persistent-reservation and
	 * ALUA state there, and /etc/target is otherwise first made by the
	 * first saveconfig anyway.
	 */
	if (!lio_is_dir(want) && mkdir(want, 0700) < 0 && errno != EEXIST)
		return lio_err(ctx, -ENOENT,
			       "Cannot set dbroot to %s. Please check if this directory exists.",
			       want);
	value = lio_strdupf("%s\n", want);
	if (!value)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_write_file(ctx, file, value);
	if (r < 0) {
		if (!lio_is_dir(want))
			return lio_err(ctx, r,
				       "Cannot set dbroot to %s. Please check if this directory exists.",
				       want);
		/* The kernel refuses once devices exist: not fatal, as in rtslib. */
		lio_note(ctx,
			 "Cannot set dbroot to %s. Target devices have already been registered.",
			 want);
	}
	return 0;
}

int lio_setup(struct lio_ctx *ctx, const char *dbroot, unsigned flags)
{
	int r;

	/* The target directory only exists on a mounted configfs with LIO in. */
	if (!lio_is_dir(ctx->root)) {
		r = mount_configfs(ctx);
		if (r < 0)
			return r;
		if (!lio_is_dir(ctx->root)) {
			r = lio_load_module(ctx, "target_core_mod");
			if (r < 0)
				return r;
			if (!lio_is_dir(ctx->root))
				return lio_err(ctx, -ENOENT,
					       "%s is missing after loading target_core_mod",
					       ctx->root);
		}
	}
	if (flags & LIO_SETUP_NO_DBROOT)
		return 0;
	return set_dbroot(ctx, dbroot ? dbroot : LIO_DEFAULT_DBROOT);
}
