/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Storage object names and HBA numbers among thousands. A name exists
 * only as a directory inside its HBA's directory, so finding or listing
 * them costs a directory read (or a stat) per HBA, and the free HBA number
 * a listing of core/. A cache file remembers what core/ held:
 *
 *  - core/'s dir key (run_cache.c) when the file was made: configfs
 *    changes it at every mkdir and rmdir in core/, so while it is the
 *    same the file's list of HBA directories is core/'s, and neither a
 *    create nor a delete has to list core/;
 *  - each HBA directory with its inode number and its objects, or a mark
 *    that its objects were not read (a plugin nobody asked for): configfs
 *    numbers each new directory from a counter that only goes up, so an
 *    HBA seen before with the same name and number is the same directory,
 *    holding the same objects (tools make an HBA with its object and
 *    remove them together). When core/ changed, a listing of it tells
 *    what is new or gone, and only new HBAs are read.
 *
 * What the file cannot see: an object made or removed by hand inside an
 * HBA directory that stays. A name it places in an HBA is checked with a
 * stat before it is believed; a name it does not know is taken as absent
 * (a create would then make a second object of that name in another HBA,
 * which only such a hand-made object could lead to). A free HBA number
 * it gives that is taken after all fails the mkdir (EEXIST), and core/ is
 * listed then.
 *
 * Our own creates and deletes keep the file current without a listing
 * (lio_so_names_note_hba); in bulk they just remove it, and whoever reads
 * it next makes it again. The file lives where run_cache.c keeps such
 * files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

#define CACHE_FILE "so-names"
#define CACHE_MAGIC "lio-so-names 3\n"
#define NO_KEY "-" /* instead of core/'s key: the file does not list all of it */

/*
 * One line of the file, pointing into its text:
 *   <hba dir>\t<inode>\t<object name>   an object (one line each)
 *   <hba dir>\t<inode>\t                an HBA read, without objects
 *   <hba dir>\t<inode>                  an HBA whose objects were not read
 */
struct entry {
	const char *hba, *name;
	size_t hba_len, name_len;
	uint64_t ino;
	bool read;
};

/* A field the file can hold: no tab, newline or slash. */
static bool field_ok(const char *s, size_t len)
{
	return !memchr(s, '\t', len) && !memchr(s, '\n', len) && !memchr(s, '/', len);
}

static bool storable(const char *s)
{
	return *s && field_ok(s, strlen(s));
}

/* The entry at *p, moving *p past it: 1, 0 at the end, -EINVAL when malformed. */
static int next_entry(const char **p, struct entry *e)
{
	const char *s = *p, *nl, *tab, *d;

	if (!*s)
		return 0;
	nl = strchr(s, '\n');
	if (!nl)
		return -EINVAL; /* the file is written whole: a torn line is a bad file */
	tab = memchr(s, '\t', (size_t)(nl - s));
	if (!tab || tab == s || memchr(s, '/', (size_t)(tab - s)))
		return -EINVAL;
	*e = (struct entry){ .hba = s, .hba_len = (size_t)(tab - s) };
	for (d = tab + 1; *d >= '0' && *d <= '9'; d++) {
		if (e->ino > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		e->ino = e->ino * 10 + (uint64_t)(*d - '0');
	}
	if (d == tab + 1)
		return -EINVAL;
	if (*d == '\t') {
		e->read = true;
		e->name = d + 1;
		e->name_len = (size_t)(nl - e->name);
		if (memchr(e->name, '\t', e->name_len) || memchr(e->name, '/', e->name_len))
			return -EINVAL;
	} else if (d != nl) {
		return -EINVAL;
	}
	*p = nl + 1;
	return 1;
}

/*
 * The entry's HBA number if its directory is "@prefix_<N>" (NULL: any
 * prefix), as lio_hba_parse() reads it.
 */
static bool entry_index(const struct entry *e, const char *prefix, unsigned *index)
{
	const char *us = memrchr(e->hba, '_', e->hba_len), *d;
	uint64_t n = 0;

	if (!us || us == e->hba || us + 1 == e->hba + e->hba_len)
		return false;
	if (prefix && (strlen(prefix) != (size_t)(us - e->hba) ||
		       memcmp(prefix, e->hba, (size_t)(us - e->hba))))
		return false;
	for (d = us + 1; d < e->hba + e->hba_len; d++) {
		if (*d < '0' || *d > '9' || (n = n * 10 + (uint64_t)(*d - '0')) > LIO_HBA_INDEX_MAX)
			return false;
	}
	*index = (unsigned)n;
	return true;
}

/*
 * The file's third line sums its entries up, so that a create needs no
 * pass over thousands of them: "<unread> <runs>", the number of HBAs of
 * unread objects and the HBA numbers present as runs ("0-9999,10001-10001";
 * "-" for none).
 */
struct names_file {
	struct lio_cache_text t;
	const char *body; /* the entries */
	const char *runs; /* in the summary line */
	struct lio_dir_key key;
	bool keyed;
	unsigned long unread;
};

/* A set of HBA numbers as sorted, disjoint runs [lo, hi]. */
struct runs {
	unsigned (*v)[2];
	size_t n;
};

static int runs_parse(const char *s, struct runs *rs)
{
	*rs = (struct runs){ 0 };
	if (*s == '-')
		return s[1] == '\n' ? 0 : -EINVAL;
	for (;;) {
		unsigned long lo, hi;
		char *end;
		void *nv;

		errno = 0;
		lo = strtoul(s, &end, 10);
		if (errno || end == s || *end != '-')
			goto bad;
		s = end + 1;
		hi = strtoul(s, &end, 10);
		if (errno || end == s || hi < lo || hi > LIO_HBA_INDEX_MAX ||
		    (rs->n && lo <= rs->v[rs->n - 1][1] + 1))
			goto bad;
		nv = realloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
		if (!nv)
			goto bad;
		rs->v = nv;
		rs->v[rs->n][0] = (unsigned)lo;
		rs->v[rs->n][1] = (unsigned)hi;
		rs->n++;
		s = end;
		if (*s == '\n')
			return 0;
		if (*s++ != ',')
			goto bad;
	}
bad:
	free(rs->v);
	*rs = (struct runs){ 0 };
	return -EINVAL;
}

/* @x added to or taken out of the set. */
static int runs_change(struct runs *rs, unsigned x, bool add)
{
	size_t i = 0;

	while (i < rs->n && rs->v[i][1] < x)
		i++;
	if (add) {
		void *nv;

		if (i < rs->n && rs->v[i][0] <= x)
			return -EEXIST;
		nv = realloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
		if (!nv)
			return -ENOMEM;
		rs->v = nv;
		memmove(rs->v + i + 1, rs->v + i, (rs->n - i) * sizeof(*rs->v));
		rs->v[i][0] = rs->v[i][1] = x;
		rs->n++;
		/* join the neighbours it touches */
		if (i + 1 < rs->n && rs->v[i + 1][0] == x + 1) {
			rs->v[i][1] = rs->v[i + 1][1];
			memmove(rs->v + i + 1, rs->v + i + 2, (rs->n - i - 2) * sizeof(*rs->v));
			rs->n--;
		}
		if (i > 0 && rs->v[i - 1][1] + 1 == x) {
			rs->v[i - 1][1] = rs->v[i][1];
			memmove(rs->v + i, rs->v + i + 1, (rs->n - i - 1) * sizeof(*rs->v));
			rs->n--;
		}
		return 0;
	}
	if (i == rs->n || rs->v[i][0] > x)
		return -ENOENT;
	if (rs->v[i][0] == x && rs->v[i][1] == x) {
		memmove(rs->v + i, rs->v + i + 1, (rs->n - i - 1) * sizeof(*rs->v));
		rs->n--;
	} else if (rs->v[i][0] == x) {
		rs->v[i][0]++;
	} else if (rs->v[i][1] == x) {
		rs->v[i][1]--;
	} else {
		void *nv = realloc(rs->v, (rs->n + 1) * sizeof(*rs->v));

		if (!nv)
			return -ENOMEM;
		rs->v = nv;
		memmove(rs->v + i + 1, rs->v + i, (rs->n - i) * sizeof(*rs->v));
		rs->v[i][1] = x - 1;
		rs->v[i + 1][0] = x + 1;
		rs->n++;
	}
	return 0;
}

static int summary_print(FILE *f, unsigned long unread, const struct runs *rs)
{
	if (fprintf(f, "%lu ", unread) < 0)
		return -EIO;
	if (!rs->n)
		return fputs("-\n", f) < 0 ? -EIO : 0;
	for (size_t i = 0; i < rs->n; i++)
		if (fprintf(f, "%s%u-%u", i ? "," : "", rs->v[i][0], rs->v[i][1]) < 0)
			return -EIO;
	return fputc('\n', f) == EOF ? -EIO : 0;
}

/* Read and check the header: 0, or -ENOENT (none) or -EINVAL (not ours to use). */
static int file_open(struct lio_ctx *ctx, struct names_file *f)
{
	const char *k, *nl;
	char line[256], *num_end;

	*f = (struct names_file){ 0 };
	if (lio_cache_map(ctx, CACHE_FILE, &f->t) < 0)
		return -ENOENT;
	/* no NUL inside: the searches below stop at the first one */
	if (strncmp(f->t.text, CACHE_MAGIC, strlen(CACHE_MAGIC)) || strlen(f->t.text) != f->t.len)
		goto bad;
	k = f->t.text + strlen(CACHE_MAGIC);
	nl = strchr(k, '\n');
	if (!nl || (size_t)(nl - k) >= sizeof(line))
		goto bad;
	memcpy(line, k, (size_t)(nl - k));
	line[nl - k] = '\0';
	if (strcmp(line, NO_KEY)) {
		if (lio_dir_key_parse(line, &f->key) < 0)
			goto bad;
		f->keyed = true;
	}
	errno = 0;
	f->unread = strtoul(nl + 1, &num_end, 10);
	if (errno || num_end == nl + 1 || *num_end != ' ')
		goto bad;
	f->runs = num_end + 1;
	f->body = strchr(f->runs, '\n');
	if (!f->body)
		goto bad;
	f->body++;
	return 0;
bad:
	lio_cache_unmap(&f->t);
	return -EINVAL;
}

static void file_close(struct names_file *f)
{
	lio_cache_unmap(&f->t);
}

static int core_key(struct lio_ctx *ctx, struct lio_dir_key *key)
{
	_cleanup_free_ char *core = lio_strdupf("%s/core", ctx->root);

	return core ? lio_dir_key_at(AT_FDCWD, core, key) : -ENOMEM;
}

/* The file, if it describes core/ as it is now: 0, else 1 (and nothing open). */
static int file_fresh(struct lio_ctx *ctx, struct names_file *f)
{
	struct lio_dir_key now;

	if (!lio_cache_enabled(ctx) || file_open(ctx, f) < 0)
		return 1;
	if (f->keyed && core_key(ctx, &now) == 0 && lio_dir_key_eq(&f->key, &now))
		return 0;
	file_close(f);
	return 1;
}

/* Whether core/<hba>/<name> is a directory: one stat. */
static bool so_dir_exists(struct lio_ctx *ctx, const char *hba, size_t hba_len, const char *name)
{
	_cleanup_free_ char *path = lio_strdupf("%s/core/%.*s/%s", ctx->root, (int)hba_len, hba, name);
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * A file that no longer describes core/ (another tool made or removed an
 * HBA, or ours did in bulk) is brought up to date from a listing of core/,
 * reading only the HBAs it does not know: one command pays, the next ones
 * are quick again.
 */
static int file_fresh_or_rebuilt(struct lio_ctx *ctx, int plugin, struct names_file *f)
{
	char msg[sizeof(ctx->errmsg)], **v;
	size_t n;

	if (!lio_cache_enabled(ctx))
		return 1;
	if (file_fresh(ctx, f) == 0)
		return 0;
	memcpy(msg, ctx->errmsg, sizeof(msg));
	if (lio_so_names(ctx, plugin, &v, &n) == 0)
		lio_strv_free(v, n);
	memcpy(ctx->errmsg, msg, sizeof(msg));
	return file_fresh(ctx, f);
}

/*
 * Every HBA read: the lines ending in "\t<name>" are the only candidates,
 * found by a strstr() over the text instead of a parse of every line.
 */
static int find_read_name(struct lio_ctx *ctx, const struct names_file *f, const char *prefix,
			  const char *name, unsigned *hba)
{
	const char *body = f->body, *at = body;
	size_t len = strlen(name);
	_cleanup_free_ char *needle = lio_strdupf("\t%s\n", name);

	if (!needle)
		return 1;
	while ((at = strstr(at, needle))) {
		const char *line = at, *p;
		struct entry e;
		unsigned idx;

		while (line > body && line[-1] != '\n')
			line--;
		p = line;
		at += len + 2;
		if (next_entry(&p, &e) <= 0)
			return 1;
		if (!e.read || e.name_len != len || memcmp(e.name, name, len) ||
		    !entry_index(&e, prefix, &idx))
			continue;
		if (so_dir_exists(ctx, e.hba, e.hba_len, name)) {
			*hba = idx;
			return 0;
		}
		return 1; /* removed by hand: the file is wrong, ask configfs */
	}
	return -ENOENT;
}

int lio_so_names_lookup(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
			unsigned *hba)
{
	const char *prefix = lio_plugin_hba_prefix(plugin), *p;
	size_t len = strlen(name);
	struct names_file f;
	struct entry e;
	int r, res = -ENOENT;

	if (!prefix || file_fresh_or_rebuilt(ctx, (int)plugin, &f))
		return 1;
	if (!f.unread) {
		res = find_read_name(ctx, &f, prefix, name, hba);
		file_close(&f);
		return res;
	}
	for (p = f.body; (r = next_entry(&p, &e)) > 0;) {
		unsigned idx;

		if (e.read && (e.name_len != len || memcmp(e.name, name, len)))
			continue;
		if (!entry_index(&e, prefix, &idx))
			continue;
		/* a name read before, checked; or an HBA never read, looked into */
		if (so_dir_exists(ctx, e.hba, e.hba_len, name)) {
			*hba = idx;
			res = 0;
			break;
		}
		if (e.read) {
			res = 1; /* removed by hand: the file is wrong, ask configfs */
			break;
		}
	}
	file_close(&f);
	return r < 0 ? 1 : res;
}

int lio_so_names_free_hba(struct lio_ctx *ctx, unsigned *index)
{
	struct names_file f;
	struct runs rs;
	long first;

	if (file_fresh_or_rebuilt(ctx, -1, &f))
		return 1;
	if (runs_parse(f.runs, &rs) < 0) {
		file_close(&f);
		return 1;
	}
	file_close(&f);
	first = rs.n && rs.v[0][0] == 0 ? (long)rs.v[0][1] + 1 : 0;
	free(rs.v);
	if (first > LIO_HBA_INDEX_MAX)
		return 1; /* all taken: rare enough to be worth a listing's word */
	*index = (unsigned)first;
	return 0;
}

/* Per change or once in bulk: a restore or a mass delete rebuilds after. */
static bool in_bulk(struct lio_ctx *ctx)
{
	return ctx->bulk > 0 || ctx->so_index;
}

void lio_so_names_before(struct lio_ctx *ctx, struct lio_dir_key *key)
{
	*key = (struct lio_dir_key){ 0 };
	if (lio_cache_enabled(ctx) && !in_bulk(ctx) && core_key(ctx, key) < 0)
		*key = (struct lio_dir_key){ 0 };
}

void lio_so_names_forget(struct lio_ctx *ctx)
{
	lio_cache_remove(ctx, CACHE_FILE);
}

struct note {
	const struct names_file *f;
	struct lio_dir_key key; /* core/'s after the change */
	const char *hba, *name; /* name: NULL when the HBA went */
	uint64_t ino;
};

static bool line_of(const char *line, const char *end, const char *hba, size_t len)
{
	return (size_t)(end - line) > len && !memcmp(line, hba, len) && line[len] == '\t';
}

/*
 * The lines of HBA directory @hba (together in the file): [*from, *to).
 * Looked for from the end, where creates add theirs: the object deleted
 * is most often a recent one.
 */
static bool hba_lines(const char *body, const char *end, const char *hba, const char **from,
		      const char **to)
{
	size_t len = strlen(hba);
	const char *line = end;

	for (;;) {
		const char *nl;

		if (line == body)
			return false;
		nl = line - 1 > body ? memrchr(body, '\n', (size_t)(line - 1 - body)) : NULL;
		line = nl ? nl + 1 : body;
		if (line_of(line, end, hba, len))
			break;
	}
	*from = line;
	while (*from > body) {
		const char *nl = *from - 1 > body ? memrchr(body, '\n', (size_t)(*from - 1 - body))
						  : NULL,
			   *prev = nl ? nl + 1 : body;

		if (!line_of(prev, end, hba, len))
			break;
		*from = prev;
	}
	*to = line;
	while (*to < end && line_of(*to, end, hba, len)) {
		const char *nl = memchr(*to, '\n', (size_t)(end - *to));

		*to = nl ? nl + 1 : end;
	}
	return true;
}

static int note_print(FILE *out, const void *arg)
{
	const struct note *nt = arg;
	const char *body = nt->f->body, *end = nt->f->t.text + nt->f->t.len, *from, *to;
	unsigned long unread = nt->f->unread;
	struct runs rs;
	unsigned idx;
	int r = -EIO;

	if (lio_hba_parse(nt->hba, NULL, 0, &idx) < 0 || runs_parse(nt->f->runs, &rs) < 0)
		return -EINVAL;
	if (runs_change(&rs, idx, nt->name != NULL) < 0)
		goto out;
	if (nt->name) {
		from = to = end;
	} else {
		if (!hba_lines(body, end, nt->hba, &from, &to))
			goto out;
		/* an HBA whose objects were not read has one line, with one tab */
		if (memchr(from, '\t', (size_t)(to - from)) ==
		    memrchr(from, '\t', (size_t)(to - from)))
			unread--;
	}
	if (fputs(CACHE_MAGIC, out) < 0 || lio_dir_key_print(out, &nt->key) < 0 ||
	    summary_print(out, unread, &rs) < 0 ||
	    fwrite(body, 1, (size_t)(from - body), out) != (size_t)(from - body) ||
	    fwrite(to, 1, (size_t)(end - to), out) != (size_t)(end - to))
		goto out;
	if (nt->name && fprintf(out, "%s\t%llu\t%s\n", nt->hba, (unsigned long long)nt->ino,
				nt->name) < 0)
		goto out;
	r = 0;
out:
	free(rs.v);
	return r;
}

void lio_so_names_note_hba(struct lio_ctx *ctx, const struct lio_dir_key *before,
			   const char *hba_dir, const char *name)
{
	_cleanup_free_ char *path = NULL;
	struct note nt = { .hba = hba_dir, .name = name };
	struct names_file f;
	struct stat st;
	int r;

	/*
	 * Not kept current (in bulk, or core/ unreadable before): the file
	 * stays, its key no longer core/'s, and the next reader brings it up
	 * to date reading only the HBAs it does not know.
	 */
	if (!lio_cache_enabled(ctx) || in_bulk(ctx) || !before->nlink)
		return;
	r = file_open(ctx, &f);
	if (r == -ENOENT)
		return;
	nt.f = &f;
	/*
	 * The file must have been core/ just before, and core/ now just
	 * that one directory more or less: anything else is someone else's
	 * change too, and the file is left stale for the next reader.
	 */
	if (r < 0 || !f.keyed || !lio_dir_key_eq(&f.key, before) || core_key(ctx, &nt.key) < 0 ||
	    nt.key.dev != before->dev || nt.key.ino != before->ino ||
	    nt.key.nlink != (name ? before->nlink + 1 : before->nlink - 1) ||
	    !storable(hba_dir) || (name && !storable(name)))
		goto out;
	if (name) {
		path = lio_strdupf("%s/core/%s", ctx->root, hba_dir);
		if (!path || stat(path, &st) < 0)
			goto out;
		nt.ino = (uint64_t)st.st_ino;
	}
	lio_cache_write(ctx, CACHE_FILE, note_print, &nt);
out:
	file_close(&f);
}
/* The whole file in memory, for listing names (completion, refresh). */
struct hba_rec {
	char *dir;
	uint64_t ino;
	bool read;
	char **names;
	size_t n;
};

struct cache {
	struct hba_rec *v;
	size_t n, cap;
	struct lio_keyset by_dir;
	struct lio_dir_key key;
	bool keyed;
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

/* The record of @dir (@len bytes), added if new. */
static int cache_hba(struct cache *c, const char *dir, size_t len, uint64_t ino,
		     struct hba_rec **out)
{
	_cleanup_free_ char *copy = strndup(dir, len);
	struct hba_rec *h;

	if (!copy)
		return -ENOMEM;
	h = cache_find(c, copy);
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
		*h = (struct hba_rec){ .dir = TAKE_PTR(copy), .ino = ino };
		if (lio_keyset_put_str(&c->by_dir, 0, h->dir, c->n, NULL) < 0) {
			free(h->dir);
			return -ENOMEM;
		}
		c->n++;
	}
	*out = h;
	return 0;
}

static int hba_add_name(struct hba_rec *h, const char *name, size_t len)
{
	char **nv = realloc(h->names, (h->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	h->names = nv;
	h->names[h->n] = strndup(name, len);
	if (!h->names[h->n])
		return -ENOMEM;
	h->n++;
	return 0;
}

/* Anything unexpected in the file: no cache. */
static void cache_load(struct lio_ctx *ctx, struct cache *c)
{
	struct names_file f;
	struct entry e;
	const char *p;
	int r;

	if (file_open(ctx, &f) < 0)
		return;
	c->key = f.key;
	c->keyed = f.keyed;
	for (p = f.body; (r = next_entry(&p, &e)) > 0;) {
		struct hba_rec *h;

		r = cache_hba(c, e.hba, e.hba_len, e.ino, &h);
		if (r < 0)
			break;
		/* an HBA is read or not as a whole, and has one inode number */
		r = -EINVAL;
		if (h->ino != e.ino || (h->n && !e.read) || (h->read && !h->n && e.read))
			break;
		h->read = e.read;
		r = e.read && e.name_len ? hba_add_name(h, e.name, e.name_len) : 0;
		if (r < 0)
			break;
	}
	file_close(&f);
	if (r < 0)
		cache_free(c);
}

static int cache_print(FILE *f, const void *arg)
{
	const struct cache *c = arg;

	unsigned long unread = 0;
	struct runs rs = { 0 };
	unsigned *nums = malloc((c->n ? c->n : 1) * sizeof(*nums));
	size_t nn = 0;
	int r;

	if (!nums)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		unread += !c->v[i].read;
		if (lio_hba_parse(c->v[i].dir, NULL, 0, &nums[nn]) == 0)
			nn++;
	}
	qsort(nums, nn, sizeof(*nums), lio_cmp_unsigned);
	rs.v = malloc((nn ? nn : 1) * sizeof(*rs.v));
	for (size_t i = 0; rs.v && i < nn; i++) {
		if (rs.n && rs.v[rs.n - 1][1] + 1 >= nums[i]) {
			rs.v[rs.n - 1][1] = nums[i];
		} else {
			rs.v[rs.n][0] = rs.v[rs.n][1] = nums[i];
			rs.n++;
		}
	}
	free(nums);
	if (!rs.v)
		return -ENOMEM;
	r = fputs(CACHE_MAGIC, f) < 0 ||
		    (c->keyed ? lio_dir_key_print(f, &c->key) : fputs(NO_KEY "\n", f)) < 0 ||
		    summary_print(f, unread, &rs) < 0
	    ? -EIO
	    : 0;
	free(rs.v);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->n; i++) {
		const struct hba_rec *h = &c->v[i];
		unsigned long long ino = h->ino;

		if (!h->read || !h->n) {
			if (fprintf(f, h->read ? "%s\t%llu\t\n" : "%s\t%llu\n", h->dir, ino) < 0)
				return -EIO;
			continue;
		}
		for (size_t j = 0; j < h->n; j++)
			if (fprintf(f, "%s\t%llu\t%s\n", h->dir, ino, h->names[j]) < 0)
				return -EIO;
	}
	return 0;
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

/* What core/ holds: from the file when it is core/ as it is, else a listing. */
static int core_hbas(struct lio_ctx *ctx, int core, const char *core_path,
		     const struct cache *old, bool fresh, char ***hbas, uint64_t **inos, size_t *n)
{
	int r;

	if (!fresh) {
		r = lio_subdirs_ino_at(core, ".", lio_root_is_configfs(ctx), hbas, inos, n);
		return r < 0 ? lio_err(ctx, r, "Cannot list %s: %s", core_path, strerror(-r)) : 0;
	}
	*hbas = calloc(old->n + 1, sizeof(**hbas));
	*inos = calloc(old->n + 1, sizeof(**inos));
	*n = 0;
	if (!*hbas || !*inos)
		goto nomem;
	for (size_t i = 0; i < old->n; i++, (*n)++) {
		(*hbas)[i] = strdup(old->v[i].dir);
		(*inos)[i] = old->v[i].ino;
		if (!(*hbas)[i])
			goto nomem;
	}
	return 0;
nomem:
	lio_strv_free(*hbas, *n);
	free(*inos);
	*hbas = NULL;
	*inos = NULL;
	return lio_err(ctx, -ENOMEM, "Out of memory");
}

int lio_so_names(struct lio_ctx *ctx, int plugin, char ***names, size_t *n)
{
	_cleanup_free_ char *core_path = lio_strdupf("%s/core", ctx->root);
	_cleanup_free_ uint64_t *inos = NULL;
	struct cache old = { 0 }, now = { 0 };
	char **hbas = NULL, **out = NULL;
	size_t nhbas = 0, nout = 0;
	bool changed = false, fresh;
	int core, r = 0;

	*names = NULL;
	*n = 0;
	if (!core_path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	core = open(core_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (core < 0)
		return errno == ENOENT ? 0 : lio_err(ctx, -errno, "Cannot list %s: %s", core_path,
						     strerror(errno));
	/* before the listing: a change during it shows as another key next time */
	now.keyed = lio_dir_key_at(core, ".", &now.key) == 0;
	cache_load(ctx, &old);
	fresh = now.keyed && old.keyed && lio_dir_key_eq(&old.key, &now.key);
	r = core_hbas(ctx, core, core_path, &old, fresh, &hbas, &inos, &nhbas);
	if (r < 0) {
		close(core);
		cache_free(&old);
		return r;
	}
	for (size_t i = 0; i < nhbas && r == 0; i++) {
		struct hba_rec *known = cache_find(&old, hbas[i]), *rec;
		char prefix[32], **sos = NULL;
		bool ours, asked;
		size_t nsos = 0;
		enum lio_plugin p;
		unsigned idx;

		if (lio_hba_parse(hbas[i], NULL, 0, &idx) < 0)
			continue; /* not an HBA: alua */
		if (!storable(hbas[i])) {
			now.keyed = false; /* the file cannot list all of core/ */
			continue;
		}
		ours = lio_hba_parse(hbas[i], prefix, sizeof(prefix), &idx) == 0 &&
		       lio_plugin_from_name(prefix, &p) == 0 && !strcmp(prefix, lio_plugin_hba_prefix(p));
		asked = ours && (plugin < 0 || (int)p == plugin);
		r = cache_hba(&now, hbas[i], strlen(hbas[i]), inos[i], &rec);
		if (r < 0)
			break;
		if (known && known->ino == inos[i] && known->read) {
			sos = known->names;
			nsos = known->n;
		} else if (asked && lio_subdirs_at(core, hbas[i], lio_root_is_configfs(ctx), &sos,
						   &nsos) == 0) {
			changed = true;
		} else {
			/* not asked for, or gone meanwhile: recorded as not read */
			changed |= !known || known->ino != inos[i];
			continue;
		}
		rec->read = true;
		for (size_t j = 0; j < nsos && r == 0; j++) {
			if (asked)
				r = add_result(&out, &nout, sos[j]);
			/* a name the file cannot hold: the HBA is left unread in it */
			if (r == 0 && rec->read && !storable(sos[j]))
				rec->read = false;
			if (r == 0 && rec->read)
				r = hba_add_name(rec, sos[j], strlen(sos[j]));
		}
		if (!rec->read) {
			lio_strv_free(rec->names, rec->n);
			rec->names = NULL;
			rec->n = 0;
		}
		if (sos != (known ? known->names : NULL))
			lio_strv_free(sos, nsos);
	}
	close(core);
	/* what the old file had and core/ no longer has is gone from it too */
	if (r == 0 && (!fresh || changed || now.n != old.n))
		lio_cache_write(ctx, CACHE_FILE, cache_print, &now);
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

/*
 * Tab completion among thousands: while the file is core/ as it is and has
 * read every HBA of the plugin, the names are taken from its text, and
 * only those that match are copied. 1: the file cannot answer.
 */
static int names_from_file(struct lio_ctx *ctx, enum lio_plugin plugin, const char *prefix,
			   char ***names, size_t *n)
{
	const char *hba_prefix = lio_plugin_hba_prefix(plugin), *p;
	size_t plen = strlen(prefix);
	struct names_file f;
	struct entry e;
	char **out = NULL;
	size_t nout = 0;
	int r;

	if (!hba_prefix || file_fresh(ctx, &f))
		return 1;
	for (p = f.body; (r = next_entry(&p, &e)) > 0;) {
		unsigned idx;
		char *name;

		if (!entry_index(&e, hba_prefix, &idx) || (e.read && !e.name_len))
			continue;
		if (!e.read) {
			r = 1; /* an HBA of the plugin never read */
			break;
		}
		if (e.name_len < plen || memcmp(e.name, prefix, plen))
			continue;
		name = strndup(e.name, e.name_len);
		if (!name || add_result(&out, &nout, name) < 0) {
			free(name);
			r = -ENOMEM;
			break;
		}
		free(name);
	}
	file_close(&f);
	if (r != 0) {
		lio_strv_free(out, nout);
		return r < 0 && r != -EINVAL ? lio_err(ctx, r, "Out of memory") : 1;
	}
	*names = out;
	*n = nout;
	return 0;
}

int lio_so_names_matching(struct lio_ctx *ctx, int plugin, const char *prefix, char ***names,
			  size_t *n)
{
	size_t plen = strlen(prefix), kept = 0;
	char **v;
	int r;

	*names = NULL;
	*n = 0;
	if (plugin >= 0) {
		r = names_from_file(ctx, (enum lio_plugin)plugin, prefix, names, n);
		if (r <= 0)
			return r;
	}
	r = lio_so_names(ctx, plugin, &v, n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < *n; i++) {
		if (!strncmp(v[i], prefix, plen))
			v[kept++] = v[i];
		else
			free(v[i]);
	}
	*names = v;
	*n = kept;
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
