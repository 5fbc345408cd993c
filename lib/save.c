/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Saving saveconfig.json: atomic, durable writes that keep symlinks, the
 * restore marker, and targetcli-fb's per-storage-object partial save.
 * Backups are in save_backup.c.
 */
#include <dirent.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "private.h"
#include "save_private.h"

int (*lio_save_fault_hook)(enum lio_save_step step, const char *path, size_t offset);

static int fault(enum lio_save_step step, const char *path, size_t offset)
{
	return lio_save_fault_hook ? lio_save_fault_hook(step, path, offset) : 0;
}

static const struct lio_save_opts no_opts;

/* ---- paths ---- */

/* dirname and basename of @path, as new strings ("." for a bare name). */
static int split_path(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*dir = strdup(".");
		*base = strdup(path);
	} else {
		const char *b = slash + 1;

		while (slash > path && slash[-1] == '/')
			slash--;
		*dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
		*base = strdup(b);
	}
	if (!*dir || !*base) {
		free(*dir);
		free(*base);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Follow symlinks at @path (each relative target taken from its link's
 * directory) to the final name, which may not exist yet.
 */
static int resolve_links(struct lio_ctx *ctx, const char *path, char **out)
{
	char *cur = strdup(path);

	if (!cur)
		return -ENOMEM;
	for (int hops = 0;; hops++) {
		char target[PATH_MAX], *dir, *base, *next;
		struct stat st;
		ssize_t n;

		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			break;
		if (hops >= 40) {
			lio_err(ctx, -ELOOP, "Cannot write %s: %s", path, strerror(ELOOP));
			free(cur);
			return -ELOOP;
		}
		n = readlink(cur, target, sizeof(target) - 1);
		if (n < 0) {
			int e = errno;

			lio_err(ctx, -e, "Cannot read the link %s: %s", cur, strerror(e));
			free(cur);
			return -e;
		}
		target[n] = 0;
		if (target[0] == '/') {
			next = strdup(target);
		} else {
			if (split_path(cur, &dir, &base) < 0) {
				free(cur);
				return -ENOMEM;
			}
			next = lio_strdupf("%s/%s", dir, target);
			free(dir);
			free(base);
		}
		free(cur);
		if (!next)
			return -ENOMEM;
		cur = next;
	}
	*out = cur;
	return 0;
}

/*
 * mkdir -p with mode 0700 for what is missing. A directory made here that
 * the umask left with another mode is set to 0700; existing ones are left
 * as they are.
 */
static int mkdir_p(struct lio_ctx *ctx, const char *dir)
{
	char *p = strdup(dir);
	struct stat st;
	int r = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1;; s++) {
		bool end = !*s;

		if (*s != '/' && !end)
			continue;
		*s = 0;
		if (mkdir(p, 0700) == 0) {
			if (stat(p, &st) == 0 && (st.st_mode & 07777) != 0700)
				chmod(p, 0700);
		} else if (errno != EEXIST) {
			r = lio_err(ctx, -errno, "Cannot create the directory %s: %s", p,
				    strerror(errno));
			break;
		} else if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
			r = lio_err(ctx, -ENOTDIR, "Cannot create the directory %s: %s", p,
				    strerror(ENOTDIR));
			break;
		}
		if (end)
			break;
		*s = '/';
		while (s[1] == '/')
			s++;
	}
	free(p);
	return r;
}

/* ---- temporary files ---- */

/* ".<base>.tmp-" */
static char *tmp_prefix(const char *base)
{
	return lio_strdupf(".%s.tmp-", base);
}

/*
 * Remove temporary files left by writers that died: those of @base, or
 * with @base NULL any ".*.tmp-*". A live writer holds flock(LOCK_EX) on its
 * file, so one we can lock is stale.
 */
static void remove_stale_tmps(int dirfd, const char *base)
{
	char *prefix = base ? tmp_prefix(base) : strdup(".");
	struct dirent *e;
	size_t plen;
	DIR *d;
	int fd;

	if (!prefix)
		return;
	plen = strlen(prefix);
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		free(prefix);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		int tfd;

		if (strncmp(e->d_name, prefix, plen) || !strstr(e->d_name, ".tmp-"))
			continue;
		tfd = openat(dirfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (tfd < 0)
			continue;
		if (fstat(tfd, &st) == 0 && S_ISREG(st.st_mode) &&
		    flock(tfd, LOCK_EX | LOCK_NB) == 0)
			unlinkat(dirfd, e->d_name, 0);
		close(tfd);
	}
	closedir(d);
	free(prefix);
}

void lio_remove_stale_tmps(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		remove_stale_tmps(dfd, NULL);
		close(dfd);
	}
}

static void random_suffix(char *out, size_t n)
{
	static const char chars[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned counter;
	unsigned char buf[16];
	struct timespec ts;

	if (n > sizeof(buf))
		n = sizeof(buf);
	if (getrandom(buf, n, GRND_NONBLOCK) != (ssize_t)n) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^
				       ((unsigned long long)getpid() << 20) ^ (counter++ * 2654435761u);
		for (size_t i = 0; i < n; i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
			buf[i] = (unsigned char)(x >> 33);
	}
	for (size_t i = 0; i < n; i++)
		out[i] = chars[buf[i] % (sizeof(chars) - 1)];
	out[n] = 0;
}

/*
 * Create and lock a new temporary file in @dirfd: mode 0600 from the start,
 * exclusive. *name gets its name.
 */
static int tmp_create(int dirfd, const char *base, char **name, int *fdp)
{
	char *prefix = tmp_prefix(base);
	int err = EEXIST;

	if (!prefix)
		return -ENOMEM;
	for (int tries = 0; tries < 100; tries++) {
		char sfx[8];
		struct stat st;
		char *n;
		int fd;

		random_suffix(sfx, 6);
		n = lio_strdupf("%s%s", prefix, sfx);
		if (!n) {
			err = ENOMEM;
			break;
		}
		fd = openat(dirfd, n, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			err = errno;
			free(n);
			if (err == EEXIST)
				continue;
			break;
		}
		/* A cleaner may have taken it before we locked it: then it is gone. */
		if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0 || st.st_nlink == 0) {
			close(fd);
			free(n);
			err = EEXIST;
			continue;
		}
		free(prefix);
		*name = n;
		*fdp = fd;
		return 0;
	}
	free(prefix);
	return -err;
}

/* @base: where @data starts in the file, for the fault hook's offsets. */
static int write_all(int fd, const char *tmp, const char *data, size_t len, size_t base)
{
	size_t off = 0;
	size_t chunk = lio_save_fault_hook ? 512 : 1 << 20;

	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;
		ssize_t w;
		int r = fault(LIO_STEP_WRITE, tmp, base + off);

		if (r < 0)
			return r;
		w = write(fd, data + off, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -EIO;
		off += (size_t)w;
	}
	return 0;
}

/* renameat2(RENAME_NOREPLACE), or link+unlink where that is not supported. */
static int rename_noreplace(int dirfd, const char *from, const char *to)
{
	if (renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	if (linkat(dirfd, from, dirfd, to, 0) < 0)
		return -errno;
	unlinkat(dirfd, from, 0);
	return 0;
}

/*
 * What a file is made to hold: bytes, or a document laid out as it is
 * written (a save of thousands of objects never holds its whole text).
 */
struct content {
	const void *data;
	size_t len;
	struct json_object *json;
	/* while writing the document: */
	int fd;
	const char *tmp_path;
	int write_err; /* the sink's failure, apart from a generator's */
};

static int content_sink(void *arg, const char *text, size_t len)
{
	struct content *c = arg;
	int r = write_all(c->fd, c->tmp_path, text, len, c->len);

	if (r < 0)
		return c->write_err = r;
	c->len += len;
	return 0;
}

/* Fill @fd; a generator's failure keeps its own message (*own_msg). */
static int content_write(struct content *c, int fd, const char *tmp_path, bool *own_msg)
{
	int r;

	*own_msg = false;
	if (!c->json)
		return write_all(fd, tmp_path, c->data, c->len, 0);
	c->fd = fd;
	c->tmp_path = tmp_path;
	c->len = 0;
	c->write_err = 0;
	r = lio_json_format_to(c->json, content_sink, c);
	*own_msg = r < 0 && !c->write_err && r != -ENOMEM;
	return r;
}

/*
 * The atomic write into an open directory. @shown is the path named in
 * messages. With LIO_WA_NOREPLACE, -EEXIST (no message) when @name exists.
 */
static int write_atomic_at(struct lio_ctx *ctx, int dirfd, const char *dirpath,
			   const char *name, const char *shown, struct content *c,
			   unsigned flags)
{
	char *tmp = NULL, *tmp_path;
	int fd = -1, r;
	const char *what = "write";
	bool own_msg = false;
	size_t len;

	remove_stale_tmps(dirfd, name);
	r = tmp_create(dirfd, name, &tmp, &fd);
	if (r < 0)
		return lio_err(ctx, r, "Cannot write %s: %s", shown, strerror(-r));
	tmp_path = lio_strdupf("%s/%s", dirpath, tmp);
	if (!tmp_path) {
		r = -ENOMEM;
		goto fail;
	}
	r = content_write(c, fd, tmp_path, &own_msg);
	if (r < 0)
		goto fail;
	len = c->len;
	r = fault(LIO_STEP_FSYNC, tmp_path, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r < 0)
		goto fail;
	what = "replace";
	r = fault(LIO_STEP_RENAME, tmp_path, len);
	if (r == 0) {
		if (flags & LIO_WA_NOREPLACE)
			r = rename_noreplace(dirfd, tmp, name);
		else if (renameat(dirfd, tmp, dirfd, name) < 0)
			r = -errno;
	}
	if (r < 0)
		goto fail;
	close(fd);
	fd = -1;
	/* Renamed: the new file is in place; make the rename durable. */
	what = "sync the directory of";
	r = fault(LIO_STEP_DIRSYNC, tmp_path, len);
	if (r == 0 && fsync(dirfd) < 0 && errno != EINVAL)
		r = -errno;
	free(tmp_path);
	free(tmp);
	if (r < 0)
		return lio_err(ctx, r, "Cannot %s %s: %s", what, shown, strerror(-r));
	return 0;
fail:
	unlinkat(dirfd, tmp, 0);
	if (fd >= 0)
		close(fd);
	free(tmp_path);
	free(tmp);
	if ((r == -EEXIST && (flags & LIO_WA_NOREPLACE)) || own_msg)
		return r;
	return lio_err(ctx, r, "Cannot %s %s: %s", what, shown, strerror(-r));
}

/* Open the directory of @path (after symlinks) for lio_write_atomic(). */
static int open_target_dir(struct lio_ctx *ctx, const char *path, unsigned flags,
			   char **dir, char **base, char **final)
{
	int dfd, r;

	r = resolve_links(ctx, path, final);
	if (r < 0)
		return r;
	if (split_path(*final, dir, base) < 0) {
		free(*final);
		return -ENOMEM;
	}
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
		r = lio_err(ctx, -EISDIR, "Cannot write %s: %s", path, strerror(EISDIR));
		goto fail;
	}
	if (flags & LIO_WA_MKDIR) {
		r = mkdir_p(ctx, *dir);
		if (r < 0)
			goto fail;
	}
	dfd = open(*dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = lio_err(ctx, -errno, "Cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	return dfd;
fail:
	free(*dir);
	free(*base);
	free(*final);
	return r;
}

static int write_atomic(struct lio_ctx *ctx, const char *path, struct content *c,
			unsigned flags)
{
	char *dir, *base, *final;
	int dfd, r;

	dfd = open_target_dir(ctx, path, flags, &dir, &base, &final);
	if (dfd < 0)
		return dfd;
	r = write_atomic_at(ctx, dfd, dir, base, path, c, flags);
	close(dfd);
	free(dir);
	free(base);
	free(final);
	return r;
}

int lio_write_atomic(struct lio_ctx *ctx, const char *path, const void *data,
		     size_t len, unsigned flags)
{
	struct content c = { .data = data, .len = len };

	return write_atomic(ctx, path, &c, flags);
}

/* ---- restore marker ---- */

static char *marker_path(const char *savefile)
{
	char *dir, *base, *m;

	if (split_path(savefile ? savefile : LIO_DEFAULT_SAVEFILE, &dir, &base) < 0)
		return NULL;
	m = lio_strdupf("%s/%s", dir, LIO_RESTORE_MARKER);
	free(dir);
	free(base);
	return m;
}

int lio_restore_mark_incomplete(struct lio_ctx *ctx, const char *savefile,
				const char *reason)
{
	char *m = marker_path(savefile), *text;
	int r;

	if (!m)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	text = lio_strdupf("%s\n", reason && *reason ? reason
					       : "a restore of the saved configuration failed part-way");
	if (!text) {
		free(m);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	/* One line: line breaks in the reason become spaces. */
	for (char *p = text; p[1]; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	r = lio_write_atomic(ctx, m, text, strlen(text), LIO_WA_MKDIR);
	free(text);
	free(m);
	return r;
}

int lio_restore_mark_clear(struct lio_ctx *ctx, const char *savefile)
{
	char *m = marker_path(savefile);
	int r = 0;

	if (!m)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (unlink(m) < 0 && errno != ENOENT)
		r = lio_err(ctx, -errno, "Cannot remove %s: %s", m, strerror(errno));
	free(m);
	return r;
}

int lio_restore_marked(struct lio_ctx *ctx, const char *savefile, char **reason)
{
	char *m = marker_path(savefile), *text = NULL;
	struct stat st;
	size_t len;

	if (!m)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (lstat(m, &st) < 0) {
		free(m);
		return 0;
	}
	if (!reason) {
		free(m);
		return 1;
	}
	/* Unreadable but present: still a marker. */
	if (lio_slurp(m, false, &text, &len) < 0)
		text = strdup("");
	free(m);
	if (!text)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	text[strcspn(text, "\r\n")] = 0;
	*reason = text;
	return 1;
}

/* -EBUSY with the reason when the marker of @path exists. */
static int check_marker(struct lio_ctx *ctx, const char *path, const struct lio_save_opts *opts)
{
	char *reason = NULL, *m;
	int r;

	if (opts->flags & LIO_SAVE_FORCE)
		return 0;
	r = lio_restore_marked(ctx, path, &reason);
	if (r <= 0)
		return r;
	m = marker_path(path);
	lio_err(ctx, -EBUSY,
		"Not saving %s: the last restore was incomplete%s%.200s%s, so the running "
		"configuration lacks part of that file; restore again, or force the save "
		"(marker %s)",
		path, *reason ? " (" : "", reason, *reason ? ")" : "",
		m ? m : LIO_RESTORE_MARKER);
	free(reason);
	free(m);
	return -EBUSY;
}

/* ---- whole saves ---- */

static int save_text(struct lio_ctx *ctx, struct json_object *config, const char *path,
		     const struct lio_save_opts *opts, struct lio_save_result *res,
		     unsigned wflags)
{
	struct content c = { 0 };
	int r;

	/*
	 * The backup first: it reads the old file and the newest backup, and
	 * doing that before the new text exists keeps the three apart in
	 * memory. A layout that fails later leaves a backup of the old file,
	 * which is harmless.
	 */
	if ((opts->flags & LIO_SAVE_BACKUP) && opts->max_backups > 0) {
		if (wflags & LIO_WA_MKDIR) {
			char *dir, *base;

			if (split_path(path, &dir, &base) < 0)
				return lio_err(ctx, -ENOMEM, "Out of memory");
			r = mkdir_p(ctx, dir);
			free(dir);
			free(base);
			if (r < 0)
				return r;
		}
		r = lio_save_backup(ctx, path, opts->max_backups, res);
		if (r < 0)
			return r;
	}
	/* laid out straight into the temporary file, piece by piece */
	c.json = config;
	r = write_atomic(ctx, path, &c, wflags);
	if (r == -ENOMEM)
		return lio_err(ctx, r, "Out of memory");
	return r;
}

int lio_config_save_json(struct lio_ctx *ctx, struct json_object *config,
			 const char *path, const struct lio_save_opts *opts,
			 struct lio_save_result *res)
{
	struct lio_save_result dummy;
	int r;

	if (!path)
		path = LIO_DEFAULT_SAVEFILE;
	if (!opts)
		opts = &no_opts;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	r = check_marker(ctx, path, opts);
	if (r < 0)
		return r;
	r = save_text(ctx, config, path, opts, res, LIO_WA_MKDIR);
	if (r < 0)
		return r;
	if (opts->flags & LIO_SAVE_FORCE)
		return lio_restore_mark_clear(ctx, path);
	return 0;
}

int lio_config_save(struct lio_ctx *ctx, const char *path,
		    const struct lio_save_opts *opts, struct lio_save_result *res)
{
	struct json_object *config;
	int r;

	if (!path)
		path = LIO_DEFAULT_SAVEFILE;
	if (!opts)
		opts = &no_opts;
	/* Refuse before reading the kernel, with the marker's message. */
	r = check_marker(ctx, path, opts);
	if (r < 0)
		return r;
	/* laid out object by object: the whole tree of N objects is never built */
	r = lio_config_dump_lazy(ctx, &config);
	if (r < 0)
		return r;
	r = lio_config_save_json(ctx, config, path, opts, res);
	json_object_put(config);
	return r;
}

/* ---- partial save ---- */

/* "/backstores/<plugin>/<name>" with the plugin's UI name ("iblock" -> "block"). */
static char *canon_so_path(const char *path)
{
	const char *p, *slash;
	enum lio_plugin plugin;
	char *pl;

	if (!path || strncmp(path, "/backstores/", 12))
		return path ? strdup(path) : NULL;
	p = path + 12;
	slash = strchr(p, '/');
	if (!slash)
		return strdup(path);
	pl = strndup(p, (size_t)(slash - p));
	if (!pl)
		return NULL;
	if (lio_plugin_from_name(pl, &plugin) < 0) {
		free(pl);
		return strdup(path);
	}
	free(pl);
	return lio_strdupf("/backstores/%s%s", lio_plugin_name(plugin), slash);
}

static bool path_eq(const char *a, const char *b)
{
	char *ca = canon_so_path(a), *cb = canon_so_path(b);
	bool eq = ca && cb && !strcmp(ca, cb);

	free(ca);
	free(cb);
	return eq;
}

static const char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *array_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* Index in the storage_objects array @arr of @so_path, or -1. */
static long find_so(struct json_object *arr, const char *so_path)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *so = json_object_array_get_idx(arr, i);
		const char *plugin = str_member(so, "plugin"), *name = str_member(so, "name");
		char *p;
		bool eq;

		if (!plugin || !name)
			continue;
		p = lio_strdupf("/backstores/%s/%s", plugin, name);
		eq = p && path_eq(p, so_path);
		free(p);
		if (eq)
			return (long)i;
	}
	return -1;
}

/* Index in the targets array @arr of the first with a LUN on @so_path, or -1. */
static long find_target(struct json_object *arr, const char *so_path)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *tpgs = array_member(json_object_array_get_idx(arr, i), "tpgs");

		for (size_t j = 0; tpgs && j < json_object_array_length(tpgs); j++) {
			struct json_object *luns =
				array_member(json_object_array_get_idx(tpgs, j), "luns");

			for (size_t k = 0; luns && k < json_object_array_length(luns); k++)
				if (path_eq(str_member(json_object_array_get_idx(luns, k),
						       "storage_object"),
					    so_path))
					return (long)i;
		}
	}
	return -1;
}

/* Replace, remove or append one entry of saved[@key]. */
static int merge_entry(struct json_object *saved, const char *key, long saved_idx,
		       struct json_object *cur)
{
	struct json_object *arr = array_member(saved, key);

	if (!arr) {
		arr = json_object_new_array();
		if (!arr || json_object_object_add(saved, key, arr) < 0) {
			json_object_put(arr);
			return -ENOMEM;
		}
		saved_idx = -1;
	}
	if (cur)
		json_object_get(cur);
	if (saved_idx >= 0 && cur) {
		if (json_object_array_put_idx(arr, (size_t)saved_idx, cur) < 0) {
			json_object_put(cur);
			return -ENOMEM;
		}
	} else if (saved_idx >= 0) {
		json_object_array_del_idx(arr, (size_t)saved_idx, 1);
	} else if (cur) {
		if (json_object_array_add(arr, cur) < 0) {
			json_object_put(cur);
			return -ENOMEM;
		}
	}
	return 0;
}

int lio_config_merge_so(struct json_object *saved, struct json_object *current,
			const char *so_path)
{
	struct json_object *cur_sos = array_member(current, "storage_objects");
	struct json_object *cur_tgts = array_member(current, "targets");
	struct json_object *cur_so = NULL, *cur_tgt = NULL;
	long i;
	int r;

	i = find_so(cur_sos, so_path);
	if (i >= 0) {
		cur_so = json_object_array_get_idx(cur_sos, (size_t)i);
		/* As targetcli-fb: a target is taken only for a running object. */
		i = find_target(cur_tgts, so_path);
		if (i >= 0)
			cur_tgt = json_object_array_get_idx(cur_tgts, (size_t)i);
	}
	r = merge_entry(saved, "storage_objects",
			find_so(array_member(saved, "storage_objects"), so_path), cur_so);
	if (r < 0)
		return r;
	return merge_entry(saved, "targets",
			   find_target(array_member(saved, "targets"), so_path), cur_tgt);
}

int lio_config_save_so_json(struct lio_ctx *ctx, struct json_object *current,
			    const char *so_path, const char *path,
			    const struct lio_save_opts *opts,
			    struct lio_save_result *res)
{
	struct lio_save_result dummy;
	struct json_object *saved;
	char *text = NULL;
	size_t len;
	int r;

	if (!path)
		path = LIO_DEFAULT_SAVEFILE;
	if (!opts)
		opts = &no_opts;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	r = check_marker(ctx, path, opts);
	if (r < 0)
		return r;
	r = lio_slurp(path, false, &text, &len);
	if (r == -ENOENT) {
		saved = json_object_new_object();
		if (!saved || json_object_object_add(saved, "storage_objects",
						     json_object_new_array()) < 0 ||
		    json_object_object_add(saved, "targets", json_object_new_array()) < 0) {
			json_object_put(saved);
			return lio_err(ctx, -ENOMEM, "Out of memory");
		}
	} else if (r < 0) {
		return lio_err(ctx, r, "Cannot read %s: %s", path, strerror(-r));
	} else {
		struct json_tokener *tok = json_tokener_new();
		enum json_tokener_error jerr;

		if (!tok) {
			free(text);
			return lio_err(ctx, -ENOMEM, "Out of memory");
		}
		saved = json_tokener_parse_ex(tok, text, (int)len);
		jerr = json_tokener_get_error(tok);
		if (saved && jerr == json_tokener_success &&
		    json_tokener_get_parse_end(tok) < len) {
			/* Only blanks may follow the document. */
			for (size_t k = json_tokener_get_parse_end(tok); k < len; k++)
				if (!strchr(" \t\r\n", text[k]))
					jerr = json_tokener_error_parse_unexpected;
		}
		json_tokener_free(tok);
		free(text);
		if (!saved || jerr != json_tokener_success ||
		    !json_object_is_type(saved, json_type_object)) {
			json_object_put(saved);
			return lio_err(ctx, -EINVAL, "Cannot parse %s: %s", path,
				       jerr != json_tokener_success
					       ? json_tokener_error_desc(jerr)
					       : "not a JSON object");
		}
	}
	r = lio_config_merge_so(saved, current, so_path);
	if (r < 0)
		r = lio_err(ctx, r, "Out of memory");
	else
		/*
		 * Unlike upstream's partial save, Debian's targetcli-fb creates a
		 * missing directory here too (gluster-block relies on it).
		 */
		r = save_text(ctx, saved, path, opts, res, LIO_WA_MKDIR);
	json_object_put(saved);
	return r;
}

int lio_config_save_so(struct lio_ctx *ctx, enum lio_plugin plugin, const char *name,
		       const char *path, const struct lio_save_opts *opts,
		       struct lio_save_result *res)
{
	struct json_object *config;
	char *so_path;
	int r;

	if (!path)
		path = LIO_DEFAULT_SAVEFILE;
	if (!opts)
		opts = &no_opts;
	if ((unsigned)plugin >= LIO_PLUGINS || !name || !*name)
		return lio_err(ctx, -EINVAL, "Invalid storage object");
	r = check_marker(ctx, path, opts);
	if (r < 0)
		return r;
	so_path = lio_strdupf("/backstores/%s/%s", lio_plugin_name(plugin), name);
	if (!so_path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = lio_config_dump(ctx, &config);
	if (r == 0) {
		r = lio_config_save_so_json(ctx, config, so_path, path, opts, res);
		json_object_put(config);
	}
	free(so_path);
	return r;
}
