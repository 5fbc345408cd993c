/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Storage object names for Tab completion among thousands. A name exists
 * only as a directory inside its HBA's directory, so listing them costs a
 * directory read per HBA. A cache file remembers each HBA's objects under
 * the HBA's name and inode number: configfs numbers each new directory
 * from a counter that only goes up, so an HBA seen before with the same
 * name and number is the same directory, holding the same objects (tools
 * make an HBA with its object and remove them together). A listing of
 * core/ then tells what is new or gone, and only new HBAs are read.
 *
 * Only completion uses it: an object removed by hand from an HBA left in
 * place stays a suggestion, and the command then says it does not exist.
 * The file lives where run_cache.c keeps such files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

#define CACHE_FILE "so-names"
#define CACHE_MAGIC "lio-so-names 1\n"

struct hba_rec {
	char *dir;
	uint64_t ino;
	char **names;
	size_t n;
};

struct cache {
	struct hba_rec *v;
	size_t n, cap;
	struct lio_keyset by_dir;
};

static void cache_free(struct cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].dir);
		lio_strv_free(c->v[i].names, c->v[i].n);
	}
	free(c->v);
	lio_keyset_clear(&c->by_dir);
	*c = (struct cache){ 0 };
}

static struct hba_rec *cache_find(struct cache *c, const char *dir)
{
	size_t pos;

	return lio_keyset_get_str(&c->by_dir, 0, dir, &pos) == 0 ? &c->v[pos] : NULL;
}

static int cache_add_name(struct cache *c, const char *dir, uint64_t ino, const char *name)
{
	struct hba_rec *h = cache_find(c, dir);
	char **nv;

	if (!h) {
		if (c->n == c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 64;
			struct hba_rec *v = realloc(c->v, ncap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			/* the keys are the dir strings and positions: neither moves */
			c->v = v;
			c->cap = ncap;
		}
		h = &c->v[c->n];
		*h = (struct hba_rec){ .dir = strdup(dir), .ino = ino };
		if (!h->dir || lio_keyset_put_str(&c->by_dir, 0, h->dir, c->n, NULL) < 0) {
			free(h->dir);
			return -ENOMEM;
		}
		c->n++;
	}
	nv = realloc(h->names, (h->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	h->names = nv;
	h->names[h->n] = strdup(name);
	if (!h->names[h->n])
		return -ENOMEM;
	h->n++;
	return 0;
}

/* A name the file can hold: one field of a tab-separated line. */
static bool storable(const char *s)
{
	return *s && !strpbrk(s, "\t\n");
}

/* Lines "<hba dir>\t<inode>\t<object name>"; anything unexpected: no cache. */
static void cache_load(struct lio_ctx *ctx, struct cache *c)
{
	_cleanup_free_ char *text = NULL;
	char *line, *next;

	if (lio_cache_read(ctx, CACHE_FILE, &text) < 0 ||
	    strncmp(text, CACHE_MAGIC, strlen(CACHE_MAGIC)))
		return;
	for (line = text + strlen(CACHE_MAGIC); *line; line = next) {
		char *tab1, *tab2, *end;
		unsigned long long ino;

		next = strchr(line, '\n');
		if (!next)
			break; /* a torn last line is ignored */
		*next++ = '\0';
		tab1 = strchr(line, '\t');
		tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (!tab2)
			goto bad;
		*tab1 = *tab2 = '\0';
		errno = 0;
		ino = strtoull(tab1 + 1, &end, 10);
		if (errno || end == tab1 + 1 || *end || !storable(line) || !storable(tab2 + 1) ||
		    strchr(line, '/') || strchr(tab2 + 1, '/') ||
		    cache_add_name(c, line, ino, tab2 + 1) < 0)
			goto bad;
	}
	return;
bad:
	cache_free(c);
}

static int cache_print(FILE *f, const void *arg)
{
	const struct cache *c = arg;

	if (fputs(CACHE_MAGIC, f) < 0)
		return -EIO;
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->v[i].n; j++)
			if (fprintf(f, "%s\t%llu\t%s\n", c->v[i].dir,
				    (unsigned long long)c->v[i].ino, c->v[i].names[j]) < 0)
				return -EIO;
	return 0;
}

static void cache_store(struct lio_ctx *ctx, const struct cache *c)
{
	lio_cache_write(ctx, CACHE_FILE, cache_print, c);
}

static int add_result(char ***v, size_t *n, const char *name)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(name);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

int lio_so_names(struct lio_ctx *ctx, int plugin, char ***names, size_t *n)
{
	_cleanup_free_ char *core_path = lio_strdupf("%s/core", ctx->root);
	_cleanup_free_ uint64_t *inos = NULL;
	struct cache old = { 0 }, now = { 0 };
	char **hbas = NULL, **out = NULL;
	size_t nhbas = 0, nout = 0;
	bool changed = false;
	int core, r = 0;

	*names = NULL;
	*n = 0;
	if (!core_path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	core = open(core_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (core < 0)
		return errno == ENOENT ? 0 : lio_err(ctx, -errno, "Cannot list %s: %s", core_path,
						     strerror(errno));
	r = lio_subdirs_ino_at(core, ".", lio_root_is_configfs(ctx), &hbas, &inos, &nhbas);
	if (r < 0) {
		close(core);
		return lio_err(ctx, r, "Cannot list %s: %s", core_path, strerror(-r));
	}
	cache_load(ctx, &old);
	for (size_t i = 0; i < nhbas && r == 0; i++) {
		struct hba_rec *known = cache_find(&old, hbas[i]);
		char prefix[32], **sos = NULL;
		size_t nsos = 0;
		enum lio_plugin p;
		unsigned idx;

		if (lio_hba_parse(hbas[i], prefix, sizeof(prefix), &idx) < 0 ||
		    lio_plugin_from_name(prefix, &p) < 0 || strcmp(prefix, lio_plugin_hba_prefix(p)))
			continue;
		if (known && known->ino == inos[i]) {
			sos = known->names;
			nsos = known->n;
		} else if ((plugin < 0 || (int)p == plugin) &&
			   lio_subdirs_at(core, hbas[i], lio_root_is_configfs(ctx), &sos, &nsos) == 0) {
			changed = true;
		} else {
			/* not asked for and not known: nothing to keep */
			continue;
		}
		for (size_t j = 0; j < nsos && r == 0; j++) {
			if (plugin < 0 || (int)p == plugin)
				r = add_result(&out, &nout, sos[j]);
			if (r == 0 && storable(sos[j]) && storable(hbas[i]))
				r = cache_add_name(&now, hbas[i], inos[i], sos[j]);
		}
		if (sos != (known ? known->names : NULL))
			lio_strv_free(sos, nsos);
	}
	close(core);
	/* what the old file had and core/ no longer has is gone from it too */
	if (r == 0 && (changed || now.n != old.n))
		cache_store(ctx, &now);
	cache_free(&old);
	cache_free(&now);
	lio_strv_free(hbas, nhbas);
	if (r < 0) {
		lio_strv_free(out, nout);
		return lio_err(ctx, r, "Out of memory");
	}
	*names = out;
	*n = nout;
	return 0;
}

void lio_so_names_refresh(struct lio_ctx *ctx)
{
	char msg[sizeof(ctx->errmsg)], **v;
	size_t n;

	if (!lio_cache_enabled(ctx))
		return;
	/* a best-effort side job: the caller's message stays */
	memcpy(msg, ctx->errmsg, sizeof(msg));
	if (lio_so_names(ctx, -1, &v, &n) == 0)
		lio_strv_free(v, n);
	memcpy(ctx->errmsg, msg, sizeof(msg));
}
