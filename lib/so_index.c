/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A batch's view of the storage objects: (plugin, name) -> HBA number, and
 * which HBA numbers are taken. Finding an object by name means looking into
 * every HBA of its plugin, and picking a free HBA number means listing
 * core/; a restore of N objects that did both per object would pay N² for
 * them. Inside a batch (lio_so_index_begin/end) configfs is read once and
 * this context's own creates and deletes keep the view current. Another
 * tool changing storage objects meanwhile is caught where it matters: a
 * lost mkdir race (EEXIST) drops the view and it is read again.
 */
#include <stdint.h>
#include <stdio.h>

#include "private.h"

struct so_slot {
	char *name;     /* NULL: empty; TOMBSTONE: deleted */
	int plugin;
	unsigned hba;
};

struct lio_so_index {
	int depth;              /* nested begin calls */
	bool built;
	struct so_slot *slots;  /* open addressing, cap a power of two */
	size_t cap, used;       /* used counts tombstones too */
	uint8_t *taken;         /* bitmap of HBA numbers in use */
	size_t taken_bytes;
};

static char tombstone[1];
#define TOMBSTONE tombstone

static uint64_t key_hash(int plugin, const char *name)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)plugin;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ULL;
	return h;
}

static void slots_free(struct lio_so_index *x)
{
	for (size_t i = 0; i < x->cap; i++)
		if (x->slots[i].name != TOMBSTONE)
			free(x->slots[i].name);
	free(x->slots);
	x->slots = NULL;
	x->cap = x->used = 0;
	free(x->taken);
	x->taken = NULL;
	x->taken_bytes = 0;
	x->built = false;
}

/* The slot holding the key, or the empty one where it would go. */
static struct so_slot *slot_for(struct lio_so_index *x, int plugin, const char *name)
{
	size_t mask = x->cap - 1, i = (size_t)key_hash(plugin, name) & mask;
	struct so_slot *grave = NULL;

	for (;; i = (i + 1) & mask) {
		struct so_slot *s = &x->slots[i];

		if (!s->name)
			return grave ? grave : s;
		if (s->name == TOMBSTONE) {
			if (!grave)
				grave = s;
		} else if (s->plugin == plugin && !strcmp(s->name, name)) {
			return s;
		}
	}
}

static int grow(struct lio_so_index *x)
{
	struct so_slot *old = x->slots;
	size_t old_cap = x->cap, cap = old_cap ? old_cap * 2 : 64;

	x->slots = calloc(cap, sizeof(*x->slots));
	if (!x->slots) {
		x->slots = old;
		return -ENOMEM;
	}
	x->cap = cap;
	x->used = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].name || old[i].name == TOMBSTONE)
			continue;
		*slot_for(x, old[i].plugin, old[i].name) = old[i];
		x->used++;
	}
	free(old);
	return 0;
}

static int put(struct lio_so_index *x, int plugin, const char *name, unsigned hba)
{
	struct so_slot *s;

	/* at most half full, tombstones included, so probes stay short */
	if ((x->used + 1) * 2 > x->cap && grow(x) < 0)
		return -ENOMEM;
	s = slot_for(x, plugin, name);
	if (s->name && s->name != TOMBSTONE) {
		s->hba = hba;
		return 0;
	}
	if (!s->name)
		x->used++;
	s->name = strdup(name);
	if (!s->name) {
		s->name = TOMBSTONE;
		return -ENOMEM;
	}
	s->plugin = plugin;
	s->hba = hba;
	return 0;
}

static int mark(struct lio_so_index *x, unsigned hba, bool taken)
{
	size_t byte = hba / 8;

	if (byte >= x->taken_bytes) {
		size_t n = x->taken_bytes ? x->taken_bytes : 64;
		uint8_t *t;

		if (!taken)
			return 0;
		while (n <= byte)
			n *= 2;
		t = realloc(x->taken, n);
		if (!t)
			return -ENOMEM;
		memset(t + x->taken_bytes, 0, n - x->taken_bytes);
		x->taken = t;
		x->taken_bytes = n;
	}
	if (taken)
		x->taken[byte] |= (uint8_t)(1u << (hba % 8));
	else
		x->taken[byte] &= (uint8_t)~(1u << (hba % 8));
	return 0;
}

/* The objects in one HBA directory (one per HBA is ours, others may have more). */
static int read_hba(struct lio_ctx *ctx, struct lio_so_index *x, const char *core,
		    const char *hba_dir, int plugin, unsigned hba)
{
	_cleanup_free_ char *dir = lio_strdupf("%s/%s", core, hba_dir);
	char **names;
	size_t n;
	int r;

	if (!dir)
		return -ENOMEM;
	r = lio_list_dir(NULL, dir, NULL, true, &names, &n);
	if (r == -ENOENT)
		return 0; /* removed meanwhile */
	if (r < 0)
		return lio_err(ctx, r, "Cannot list %s: %s", dir, strerror(-r));
	for (size_t i = 0; i < n && r == 0; i++)
		r = put(x, plugin, names[i], hba);
	lio_strv_free(names, n);
	return r;
}

static int build(struct lio_ctx *ctx, struct lio_so_index *x)
{
	_cleanup_free_ char *core = lio_strdupf("%s/core", ctx->root);
	char **names;
	size_t n;
	int r;

	if (!core)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_list_dir(NULL, core, NULL, true, &names, &n);
	if (r == -ENOENT)
		n = 0;
	else if (r < 0)
		return lio_err(ctx, r, "Cannot list %s: %s", core, strerror(-r));
	r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		char prefix[32];
		enum lio_plugin p;
		unsigned idx;

		if (lio_hba_parse(names[i], prefix, sizeof(prefix), &idx) < 0)
			continue;
		r = mark(x, idx, true);
		if (r == 0 && lio_plugin_from_name(prefix, &p) == 0 &&
		    !strcmp(prefix, lio_plugin_hba_prefix(p)))
			r = read_hba(ctx, x, core, names[i], (int)p, idx);
	}
	if (n)
		lio_strv_free(names, n);
	if (r == -ENOMEM)
		r = lio_err(ctx, r, "Out of memory");
	if (r < 0) {
		slots_free(x);
		return r;
	}
	x->built = true;
	return 0;
}

/* The view, read on first use; NULL outside a batch. */
static struct lio_so_index *view(struct lio_ctx *ctx, int *err)
{
	struct lio_so_index *x = ctx->so_index;

	*err = 0;
	if (!x || !x->depth)
		return NULL;
	if (!x->built && (*err = build(ctx, x)) < 0)
		return NULL;
	return x;
}

void lio_so_index_begin(struct lio_ctx *ctx)
{
	if (!ctx->so_index)
		ctx->so_index = calloc(1, sizeof(*ctx->so_index));
	/* without memory for it, the batch just runs unindexed */
	if (ctx->so_index)
		ctx->so_index->depth++;
}

void lio_so_index_end(struct lio_ctx *ctx)
{
	struct lio_so_index *x = ctx->so_index;

	if (!x || --x->depth > 0)
		return;
	slots_free(x);
	free(x);
	ctx->so_index = NULL;
}

void lio_so_index_drop(struct lio_ctx *ctx)
{
	if (ctx->so_index)
		slots_free(ctx->so_index);
}

int lio_so_index_find(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		      unsigned *hba)
{
	int err;
	struct lio_so_index *x = view(ctx, &err);
	struct so_slot *s;

	if (!x)
		return err < 0 ? err : 1;
	if (!x->cap)
		return -ENOENT;
	s = slot_for(x, (int)plugin, name);
	if (!s->name || s->name == TOMBSTONE)
		return -ENOENT;
	*hba = s->hba;
	return 0;
}

int lio_so_index_free_hba(struct lio_ctx *ctx, unsigned *hba)
{
	int err;
	struct lio_so_index *x = view(ctx, &err);
	size_t byte = 0;

	if (!x)
		return err < 0 ? err : 1;
	while (byte < x->taken_bytes && x->taken[byte] == 0xff)
		byte++;
	for (unsigned bit = 0; bit < 8; bit++)
		if (byte >= x->taken_bytes || !(x->taken[byte] & (1u << bit))) {
			*hba = (unsigned)(byte * 8 + bit);
			return *hba > LIO_HBA_INDEX_MAX ? -ENOSPC : 0;
		}
	return -ENOSPC; /* not reached: a byte below 0xff has a clear bit */
}

void lio_so_index_hba(struct lio_ctx *ctx, unsigned hba, bool taken)
{
	struct lio_so_index *x = ctx->so_index;

	if (x && x->built && mark(x, hba, taken) < 0)
		slots_free(x); /* read again when next needed */
}

void lio_so_index_set(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		      unsigned hba, bool present)
{
	struct lio_so_index *x = ctx->so_index;
	struct so_slot *s;

	if (!x || !x->built)
		return;
	if (!present && !x->cap)
		return;
	if (present) {
		if (put(x, (int)plugin, name, hba) < 0)
			slots_free(x);
		return;
	}
	s = slot_for(x, (int)plugin, name);
	if (s->name && s->name != TOMBSTONE) {
		free(s->name);
		s->name = TOMBSTONE;
	}
}
