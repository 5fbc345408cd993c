/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library context: roots, settings and the last error message. */
#include <stdio.h>
#include <unistd.h>

#include "private.h"

#define DEFAULT_LOCK_PATH "/var/run/rtslib_backstore.lock"

int lio_new(struct lio_ctx **out, const char *configfs_root)
{
	struct lio_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->autoload = true;
	ctx->cache_dirfd = -1;
	ctx->euid = geteuid();
	ctx->configfs = strdup(configfs_root ? configfs_root : LIO_DEFAULT_CONFIGFS);
	ctx->root = ctx->configfs ? lio_strdupf("%s/target", ctx->configfs) : NULL;
	ctx->lock_path = strdup(DEFAULT_LOCK_PATH);
	if (!ctx->configfs || !ctx->root || !ctx->lock_path) {
		lio_unref(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

struct lio_ctx *lio_ref(struct lio_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

struct lio_ctx *lio_unref(struct lio_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	lio_so_index_drop(ctx);
	free(ctx->so_index);
	free(ctx->configfs);
	free(ctx->root);
	free(ctx->lock_path);
	lio_cache_close(ctx);
	free(ctx->cache_dir);
	free(ctx);
	return NULL;
}

const char *lio_errmsg(const struct lio_ctx *ctx)
{
	return ctx ? ctx->errmsg : "";
}

const char *lio_target_root(const struct lio_ctx *ctx)
{
	return ctx->root;
}

int lio_set_lock_path(struct lio_ctx *ctx, const char *path)
{
	char *copy = strdup(path);

	if (!copy)
		return -ENOMEM;
	free(ctx->lock_path);
	ctx->lock_path = copy;
	return 0;
}

void lio_set_autoload(struct lio_ctx *ctx, bool autoload)
{
	ctx->autoload = autoload;
}

void lio_set_note_fn(struct lio_ctx *ctx, lio_note_fn fn, void *data)
{
	ctx->note_fn = fn;
	ctx->note_data = data;
}

int lio_err(struct lio_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (ctx) {
		va_start(ap, fmt);
		vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
		va_end(ap);
	}
	return err;
}

void lio_note(struct lio_ctx *ctx, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!ctx || !ctx->note_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->note_fn(ctx->note_data, buf);
}

char *lio_strdupf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}
