/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lun_<N> entries of a TPG's lun/ directory or of an ACL, remembered
 * for directories of thousands. Choosing the number of a new LUN, or of
 * the mapped LUN each ACL gets for it, needs every number taken; deleting
 * a LUN needs the mapped LUNs that point at it, and configfs links only
 * the other way, so every mapped LUN of every ACL would be read. A file
 * per directory (run_cache.c) keeps the numbers, and for ACLs the LUN each
 * one's link lands on, under the directory's key: while the key holds,
 * the file is the listing. Our own mkdir and rmdir keep the file current
 * when it described the directory just before the change.
 *
 * What the file says is never acted on blindly: a number it calls free is
 * created with mkdir, which fails if it is taken, and a mapped LUN it
 * names is checked by its link before it is deleted; one it missed keeps
 * the LUN busy, as configfs refuses to remove the target of a link.
 *
 * Runs of consecutive numbers whose links are consecutive too (mapped LUN
 * i to LUN i, the usual map) are one line each, so the file of a 10000-LUN
 * ACL is a line long.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "private.h"

#define CACHE_MAGIC "lio-luns 1"
/* Smaller directories are listed each time: a file would cost as much. */
#define LUN_CACHE_MIN 32
/* More entries than LUN numbers exist: not a file we wrote. */
#define LUN_CACHE_MAX (1U << 20)

/*
 * configfs makes an attribute file's inode at each lookup of it (its
 * dentry is not kept), and that sets the times of the directory it is in:
 * reading an ACL's tag or cmdsn_depth changes the ACL's mtime. An ACL is
 * judged by its link count alone, which moves with each mapped LUN made or
 * removed; what that misses (one removed and another made in between by
 * another tool) the kernel still refuses to get wrong, as above. A TPG's
 * lun/ holds no attributes, and its times are kept.
 */
static bool holds_attributes(const char *dir)
{
	return strstr(dir, "/acls/") != NULL;
}

static bool key_holds(const char *dir, const struct lio_dir_key *was,
		      const struct lio_dir_key *now)
{
	if (!holds_attributes(dir))
		return lio_dir_key_eq(was, now);
	return was->dev == now->dev && was->ino == now->ino && was->nlink == now->nlink;
}

static void cache_name(const char *dir, char out[32])
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *p = dir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(out, 32, "luns-%016llx", (unsigned long long)h);
}

void lio_lun_cache_free(struct lio_lun_cache *c)
{
	free(c->num);
	free(c->link);
	*c = (struct lio_lun_cache){ 0 };
}

/* Room for @more entries, in one step (a run of thousands is one line). */
static int reserve(struct lio_lun_cache *c, size_t more)
{
	if (c->n + more > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		unsigned *nv;
		long *lv;

		while (ncap < c->n + more)
			ncap *= 2;
		nv = realloc(c->num, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		c->num = nv;
		lv = realloc(c->link, ncap * sizeof(*lv));
		if (!lv)
			return -ENOMEM;
		c->link = lv;
		c->cap = ncap;
	}
	return 0;
}

static int push(struct lio_lun_cache *c, unsigned num, long link)
{
	if (reserve(c, 1) < 0)
		return -ENOMEM;
	c->num[c->n] = num;
	c->link[c->n] = link;
	c->n++;
	return 0;
}

static int next_field(char **p, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(*p, &end, 10);
	if (errno || end == *p)
		return -EINVAL;
	*p = end;
	return 0;
}

/* The file's text into @c; -EINVAL for anything unexpected. */
static int parse(const char *dir, char *text, struct lio_lun_cache *c)
{
	char *line = text, *next;
	int field = 0;

	for (; *line; line = next, field++) {
		next = strchr(line, '\n');
		if (!next)
			return -EINVAL; /* torn */
		*next++ = '\0';
		if (field == 0 && strcmp(line, CACHE_MAGIC))
			return -EINVAL;
		if (field == 1 && strcmp(line, dir))
			return -EINVAL;
		if (field == 2 && lio_dir_key_parse(line, &c->key) < 0)
			return -EINVAL;
		if (field == 3) {
			if (strcmp(line, "links") && strcmp(line, "numbers"))
				return -EINVAL;
			c->links = !strcmp(line, "links");
		}
		if (field > 3) {
			long long first, count, link = -1;
			char *p = line;

			if (next_field(&p, &first) < 0 || next_field(&p, &count) < 0 ||
			    (*p && next_field(&p, &link) < 0) || *p || first < 0 || count < 1 ||
			    first + count - 1 > UINT_MAX || link < -1 || link + count - 1 > LONG_MAX ||
			    c->n + (unsigned long long)count > LUN_CACHE_MAX)
				return -EINVAL;
			if (reserve(c, (size_t)count) < 0)
				return -ENOMEM;
			for (long long i = 0; i < count; i++)
				if (push(c, (unsigned)(first + i), link < 0 ? -1 : (long)(link + i)) < 0)
					return -ENOMEM;
		}
	}
	return field >= 4 ? 0 : -EINVAL;
}

static int by_number(const void *a, const void *b)
{
	const unsigned *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* Sorted by number, links following their numbers. */
static void sort_entries(struct lio_lun_cache *c)
{
	struct pair {
		unsigned num;
		long link;
	} *v;
	size_t k = 1;

	/* Kept in order by our own changes: checking is linear, sorting is not. */
	while (k < c->n && c->num[k - 1] < c->num[k])
		k++;
	if (k >= c->n)
		return;
	v = malloc(c->n * sizeof(*v));
	if (!v)
		return; /* unsorted only makes the file longer */
	for (size_t i = 0; i < c->n; i++)
		v[i] = (struct pair){ c->num[i], c->link[i] };
	qsort(v, c->n, sizeof(*v), by_number);
	for (size_t i = 0; i < c->n; i++) {
		c->num[i] = v[i].num;
		c->link[i] = v[i].link;
	}
	free(v);
}

struct print_arg {
	const char *dir;
	const struct lio_lun_cache *c;
};

static int print(FILE *f, const void *arg)
{
	const struct print_arg *pa = arg;
	const struct lio_lun_cache *c = pa->c;

	if (fprintf(f, CACHE_MAGIC "\n%s\n", pa->dir) < 0 || lio_dir_key_print(f, &c->key) < 0 ||
	    fprintf(f, "%s\n", c->links ? "links" : "numbers") < 0)
		return -EIO;
	for (size_t i = 0; i < c->n;) {
		size_t j = i + 1;

		while (j < c->n && c->num[j] == c->num[j - 1] + 1 &&
		       (!c->links || (c->link[j] < 0 ? c->link[j - 1] < 0
						      : c->link[j] == c->link[j - 1] + 1)))
			j++;
		if ((c->links && c->link[i] >= 0
			     ? fprintf(f, "%u %zu %ld\n", c->num[i], j - i, c->link[i])
			     : fprintf(f, "%u %zu\n", c->num[i], j - i)) < 0)
			return -EIO;
		i = j;
	}
	return 0;
}

static void store(struct lio_ctx *ctx, const char *dir, struct lio_lun_cache *c)
{
	char name[32];
	struct print_arg pa = { dir, c };

	cache_name(dir, name);
	if (c->n < LUN_CACHE_MIN) {
		lio_cache_remove(ctx, name);
		return;
	}
	sort_entries(c);
	lio_cache_write(ctx, name, print, &pa);
}

/* Whether there was a file (used or not). */
static bool load(struct lio_ctx *ctx, const char *dir, struct lio_lun_cache *c)
{
	_cleanup_free_ char *text = NULL;
	char name[32];

	cache_name(dir, name);
	if (lio_cache_read(ctx, name, &text) < 0)
		return false;
	if (parse(dir, text, c) < 0)
		lio_lun_cache_free(c);
	return true;
}

/* The LUN number a mapped LUN's link lands on (lun_<L>), or -1. */
static long link_number(const char *mlun_dir, bool until_short)
{
	char real[PATH_MAX];
	unsigned long long v;
	const char *base;

	if (lio_dir_link_target(mlun_dir, until_short, real) < 0)
		return -1;
	base = strrchr(real, '/');
	if (!base || strncmp(base + 1, "lun_", 4) || lio_parse_uint(base + 5, LONG_MAX, &v) < 0)
		return -1;
	return (long)v;
}

/* @links_min: read the links only when there are at least that many. */
static int list(struct lio_ctx *ctx, const char *dir, bool links, size_t links_min,
		struct lio_lun_cache *c)
{
	unsigned *v;
	size_t n;
	int r = lio_dir_numbers(dir, "lun_", &v, &n);

	if (r < 0)
		return r;
	links = links && n >= links_min;
	c->links = links;
	for (size_t i = 0; i < n && r == 0; i++) {
		char path[PATH_MAX];
		long link = -1;

		if (links && (size_t)snprintf(path, sizeof(path), "%s/lun_%u", dir, v[i]) < sizeof(path))
			link = link_number(path, lio_root_is_configfs(ctx));
		r = push(c, v[i], link);
	}
	free(v);
	return r;
}

int lio_lun_cache_read(struct lio_ctx *ctx, const char *dir, bool links, struct lio_lun_cache *c)
{
	struct lio_dir_key now;
	bool had = false;
	int r;

	*c = (struct lio_lun_cache){ 0 };
	r = lio_dir_key_at(AT_FDCWD, dir, &now);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (lio_cache_enabled(ctx)) {
		had = load(ctx, dir, c);
		if (c->num && key_holds(dir, &c->key, &now) && (c->links || !links))
			return 0;
		lio_lun_cache_free(c);
	}
	/* the key from before the listing: a change during it shows next time */
	c->key = now;
	r = list(ctx, dir, links, 0, c);
	if (r < 0) {
		lio_lun_cache_free(c);
		return r;
	}
	c->listed = true;
	/* a small directory has no file, unless it shrank since one was made */
	if (lio_cache_enabled(ctx) && (had || c->n >= LUN_CACHE_MIN))
		store(ctx, dir, c);
	return 0;
}

bool lio_lun_cache_before(struct lio_ctx *ctx, const char *dir, struct lio_dir_key *before)
{
	return !ctx->bulk && lio_cache_enabled(ctx) && lio_dir_key_at(AT_FDCWD, dir, before) == 0;
}

void lio_lun_cache_note(struct lio_ctx *ctx, const char *dir, const struct lio_dir_key *before,
			unsigned num, long link, bool added)
{
	struct lio_lun_cache c = { 0 };
	struct lio_dir_key now;
	char name[32];
	size_t i;

	cache_name(dir, name);
	load(ctx, dir, &c);
	if (!c.num)
		return;
	/*
	 * Only a file that described the directory just before this change,
	 * and only when the change is all that happened (one entry more or
	 * less), is brought up to date; any other is stale: removed.
	 */
	if (!key_holds(dir, &c.key, before) || lio_dir_key_at(AT_FDCWD, dir, &now) < 0 ||
	    now.nlink != (added ? before->nlink + 1 : before->nlink - 1))
		goto stale;
	for (i = 0; i < c.n && c.num[i] != num; i++)
		;
	/* In place, keeping the order (see sort_entries()). */
	if (added && i == c.n) {
		if (push(&c, num, link) < 0)
			goto stale;
		for (i = c.n - 1; i > 0 && c.num[i - 1] > num; i--) {
			c.num[i] = c.num[i - 1];
			c.link[i] = c.link[i - 1];
		}
		c.num[i] = num;
		c.link[i] = link;
	} else if (!added && i < c.n) {
		memmove(c.num + i, c.num + i + 1, (c.n - i - 1) * sizeof(*c.num));
		memmove(c.link + i, c.link + i + 1, (c.n - i - 1) * sizeof(*c.link));
		c.n--;
	} else {
		goto stale;
	}
	c.key = now;
	store(ctx, dir, &c);
	lio_lun_cache_free(&c);
	return;
stale:
	lio_cache_remove(ctx, name);
	lio_lun_cache_free(&c);
}

void lio_lun_cache_forget(struct lio_ctx *ctx, const char *dir)
{
	char name[32];

	cache_name(dir, name);
	lio_cache_remove(ctx, name);
}

/* A large directory's listing into its file; a small one has none. */
static void refresh_dir(struct lio_ctx *ctx, const char *dir, bool links)
{
	struct lio_lun_cache c = { 0 };

	if (lio_dir_key_at(AT_FDCWD, dir, &c.key) == 0 &&
	    list(ctx, dir, links, LUN_CACHE_MIN, &c) == 0)
		store(ctx, dir, &c);
	lio_lun_cache_free(&c);
}

/* The sub-directories of @dir, by name; none if it cannot be read. */
static size_t subdirs(const char *dir, char ***names)
{
	size_t n = 0;

	if (lio_subdirs_at(AT_FDCWD, dir, false, names, &n) < 0) {
		*names = NULL;
		return 0;
	}
	return n;
}

void lio_lun_cache_refresh(struct lio_ctx *ctx)
{
	char **fabrics, **targets, **tpgs, **acls;
	size_t nf, nt, ng, na;

	if (!lio_cache_enabled(ctx))
		return;
	/* <root>/<fabric>/<target>/tpgt_<T>/{lun,acls/<acl>} */
	nf = subdirs(ctx->root, &fabrics);
	for (size_t f = 0; f < nf; f++) {
		_cleanup_free_ char *fdir = lio_strdupf("%s/%s", ctx->root, fabrics[f]);

		if (!fdir || !strcmp(fabrics[f], "core"))
			continue;
		nt = subdirs(fdir, &targets);
		for (size_t t = 0; t < nt; t++) {
			_cleanup_free_ char *tdir = lio_strdupf("%s/%s", fdir, targets[t]);

			ng = tdir ? subdirs(tdir, &tpgs) : 0;
			for (size_t g = 0; g < ng; g++) {
				_cleanup_free_ char *lun = lio_strdupf("%s/%s/lun", tdir, tpgs[g]);
				_cleanup_free_ char *adir = lio_strdupf("%s/%s/acls", tdir, tpgs[g]);

				if (!lun || !adir || strncmp(tpgs[g], "tpgt_", 5))
					continue;
				refresh_dir(ctx, lun, false);
				na = subdirs(adir, &acls);
				for (size_t a = 0; a < na; a++) {
					_cleanup_free_ char *acl = lio_strdupf("%s/%s", adir, acls[a]);

					if (acl)
						refresh_dir(ctx, acl, true);
				}
				lio_strv_free(acls, na);
			}
			lio_strv_free(tpgs, ng);
		}
		lio_strv_free(targets, nt);
	}
	lio_strv_free(fabrics, nf);
}

void lio_bulk_begin(struct lio_ctx *ctx)
{
	ctx->bulk++;
}

void lio_bulk_end(struct lio_ctx *ctx)
{
	ctx->bulk--;
}

int lio_lun_numbers(struct lio_ctx *ctx, const char *dir, unsigned **numbers, size_t *n)
{
	struct lio_lun_cache c;
	int r = lio_lun_cache_read(ctx, dir, false, &c);

	*numbers = NULL;
	*n = 0;
	if (r < 0)
		return lio_err(ctx, r, "Cannot list %s: %s", dir, strerror(-r));
	*numbers = TAKE_PTR(c.num);
	*n = c.n;
	lio_lun_cache_free(&c);
	return 0;
}
