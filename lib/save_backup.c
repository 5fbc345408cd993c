/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Backups of saveconfig.json, as targetcli-fb keeps them: the file being
 * replaced, gzipped into <dir>/backup/ when it differs from the newest
 * backup, at most N of them. Also targetcli.conf's max_backup_files.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "private.h"
#include "save_private.h"

#define STAMP_LEN 17 /* YYYYMMDD-HH:MM:SS */
#define MAX_SEQ 999

int lio_slurp(const char *path, bool gunzip, char **data, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap + 1);
	gzFile gz = NULL;
	int fd, r = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(buf);
		return r;
	}
	if (gunzip) {
		gz = gzdopen(fd, "rb");
		if (!gz) {
			close(fd);
			free(buf);
			return -ENOMEM;
		}
	}
	for (;;) {
		long got;

		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		if (gz) {
			got = gzread(gz, buf + n, (unsigned)(cap - n));
			if (got < 0) {
				int zerr;

				gzerror(gz, &zerr);
				r = zerr == Z_ERRNO ? -errno : -EIO;
				break;
			}
		} else {
			got = read(fd, buf + n, cap - n);
			if (got < 0) {
				if (errno == EINTR)
					continue;
				r = -errno;
				break;
			}
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (gz)
		gzclose(gz); /* closes fd */
	else
		close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return 0;
}

/* gzip of @data in a new buffer (level 9, as Python's gzip.open). */
/*
 * Files are read in chunks: a saveconfig.json of 10000 objects is tens of
 * megabytes, and holding it and its newest backup whole would double what
 * a save needs. Only the compressed copy (a tenth of it) is kept.
 */
#define CHUNK 65536

/* The gzip of the open file @fd, from its current offset to its end. */
static int gzip_fd(int fd, unsigned char **out, size_t *outlen)
{
	_cleanup_free_ unsigned char *in = malloc(CHUNK);
	z_stream zs = { 0 };
	unsigned char *buf = NULL;
	size_t cap = 0;
	int flush = Z_NO_FLUSH, z = Z_OK, err = 0;

	if (!in || deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	while (!err && z != Z_STREAM_END) {
		ssize_t n = read(fd, in, CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		/* until this chunk is in (and at the end, until the stream is) */
		do {
			if (cap - zs.total_out < CHUNK) {
				unsigned char *nb = realloc(buf, cap + 4 * CHUNK);

				if (!nb) {
					err = -ENOMEM;
					break;
				}
				buf = nb;
				cap += 4 * CHUNK;
			}
			zs.next_out = buf + zs.total_out;
			zs.avail_out = (uInt)(cap - zs.total_out);
			z = deflate(&zs, flush);
		} while (z == Z_OK && (zs.avail_in > 0 || flush == Z_FINISH));
		if (z != Z_OK && z != Z_STREAM_END)
			err = -EIO;
	}
	*outlen = zs.total_out;
	deflateEnd(&zs);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	return 0;
}

/* Whether the open file @fd holds what the (gzip or plain) file @path does. */
static bool same_content(int fd, const char *path)
{
	_cleanup_free_ unsigned char *a = malloc(CHUNK), *b = malloc(CHUNK);
	gzFile gz = a && b ? gzopen(path, "rb") : NULL;
	bool same = gz != NULL;

	while (same) {
		ssize_t n = read(fd, a, CHUNK);
		int m;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			same = false;
			break;
		}
		/* gzread gives a plain file's bytes as they are, as the old backups need */
		for (m = 0; m < n;) {
			int k = gzread(gz, b + m, (unsigned)(n - m));

			if (k <= 0)
				break;
			m += k;
		}
		if (m != n || memcmp(a, b, (size_t)n))
			same = false;
		else if (n == 0)
			break;
	}
	if (gz)
		gzclose(gz);
	return same;
}

struct backup {
	char *name;
	char stamp[STAMP_LEN + 1];
	unsigned long seq;
};

/*
 * saveconfig-YYYYMMDD-HH:MM:SS followed by ".json.gz" (ours), "-N.json.gz"
 * (ours, the N+1th of that second), "-json.gz" (targetcli-fb) or ".json"
 * (targetcli-fb before 2.1.50).
 */
static bool parse_backup_name(const char *name, struct backup *b)
{
	static const char pat[] = "dddddddd-dd:dd:dd";
	const char *s, *rest;

	if (strncmp(name, "saveconfig-", 11))
		return false;
	s = name + 11;
	for (int i = 0; i < STAMP_LEN; i++) {
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return false;
	}
	memcpy(b->stamp, s, STAMP_LEN);
	b->stamp[STAMP_LEN] = 0;
	rest = s + STAMP_LEN;
	b->seq = 0;
	if (!strcmp(rest, ".json.gz") || !strcmp(rest, "-json.gz") || !strcmp(rest, ".json"))
		return true;
	if (rest[0] == '-' && isdigit((unsigned char)rest[1])) {
		char *end;

		b->seq = strtoul(rest + 1, &end, 10);
		return b->seq > 0 && b->seq <= MAX_SEQ && !strcmp(end, ".json.gz");
	}
	return false;
}

static int backup_cmp(const void *a, const void *b)
{
	const struct backup *x = a, *y = b;
	int c = strcmp(x->stamp, y->stamp);

	if (c)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void backups_free(struct backup *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

/* The backups in @bdir, oldest first. A missing directory has none. */
static int list_backups(const char *bdir, struct backup **out, size_t *count)
{
	struct backup *list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(bdir);

	*out = NULL;
	*count = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		struct backup b;

		if (!parse_backup_name(e->d_name, &b))
			continue;
		if (n == cap) {
			struct backup *nl = realloc(list, (cap ? cap * 2 : 16) * sizeof(*nl));

			if (!nl)
				goto nomem;
			list = nl;
			cap = cap ? cap * 2 : 16;
		}
		b.name = strdup(e->d_name);
		if (!b.name)
			goto nomem;
		list[n++] = b;
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), backup_cmp);
	*out = list;
	*count = n;
	return 0;
nomem:
	closedir(d);
	backups_free(list, n);
	return -ENOMEM;
}

static char *backup_dir(const char *savefile)
{
	const char *slash = strrchr(savefile, '/');

	if (!slash)
		return strdup("backup");
	return lio_strdupf("%.*s/backup", (int)(slash - savefile), savefile);
}

/*
 * Write @gz as a new backup named for now, after every backup of @list
 * (oldest first) from the same second; never replaces one.
 */
static int write_new_backup(struct lio_ctx *ctx, const char *bdir, const struct backup *list,
			    size_t n, const void *gz, size_t gzlen, char **made)
{
	unsigned first = 0;

	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);

	if (!localtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%d-%H:%M:%S", &tm))
		return lio_err(ctx, -EINVAL, "Cannot format the time of the backup");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].stamp, stamp) && list[i].seq + 1 > first)
			first = (unsigned)list[i].seq + 1;
	for (unsigned seq = first; seq <= MAX_SEQ; seq++) {
		char *p = seq ? lio_strdupf("%s/saveconfig-%s-%u.json.gz", bdir, stamp, seq)
			      : lio_strdupf("%s/saveconfig-%s.json.gz", bdir, stamp);
		int r;

		if (!p)
			return lio_err(ctx, -ENOMEM, "Out of memory");
		r = lio_write_atomic(ctx, p, gz, gzlen, LIO_WA_NOREPLACE);
		if (r == 0) {
			*made = p;
			return 0;
		}
		free(p);
		if (r != -EEXIST)
			return r;
	}
	return lio_err(ctx, -EEXIST, "Cannot write a backup in %s: too many this second", bdir);
}

int lio_save_backup(struct lio_ctx *ctx, const char *savefile, unsigned max,
		    struct lio_save_result *res)
{
	char *bdir = backup_dir(savefile), *made = NULL;
	struct backup *list = NULL;
	size_t n = 0;
	bool same = false;
	struct stat st;
	int r, cur = -1;

	res->backup_made = false;
	res->backups_kept = 0;
	if (!bdir)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	cur = open(savefile, O_RDONLY | O_CLOEXEC);
	r = cur < 0 ? -errno : 0;
	if (r < 0 && r != -ENOENT) {
		r = lio_err(ctx, r, "Cannot read %s for its backup: %s", savefile, strerror(-r));
		goto out;
	}
	if (r == -ENOENT) {
		/* Nothing to keep. */
		r = list_backups(bdir, &list, &n);
		if (r < 0)
			r = lio_err(ctx, r, "Cannot read the directory %s: %s", bdir, strerror(-r));
		res->backups_kept = (unsigned)n;
		goto out;
	}
	if (mkdir(bdir, 0700) == 0) {
		if (stat(bdir, &st) == 0 && (st.st_mode & 07777) != 0700)
			chmod(bdir, 0700);
	} else if (errno != EEXIST) {
		r = lio_err(ctx, -errno, "Cannot create the directory %s: %s", bdir, strerror(errno));
		goto out;
	}
	lio_remove_stale_tmps(bdir);
	r = list_backups(bdir, &list, &n);
	if (r < 0) {
		r = lio_err(ctx, r, "Cannot read the directory %s: %s", bdir, strerror(-r));
		goto out;
	}
	if (n) {
		char *last = lio_strdupf("%s/%s", bdir, list[n - 1].name);

		if (!last) {
			r = lio_err(ctx, -ENOMEM, "Out of memory");
			goto out;
		}
		/* An unreadable newest backup counts as different. */
		same = same_content(cur, last);
		free(last);
	}
	if (!same) {
		unsigned char *gz = NULL;
		size_t gzlen = 0;
		struct backup *nl;

		r = lseek(cur, 0, SEEK_SET) < 0 ? -errno : gzip_fd(cur, &gz, &gzlen);
		if (r < 0) {
			r = lio_err(ctx, r, "Cannot compress the backup of %s", savefile);
			goto out;
		}
		r = write_new_backup(ctx, bdir, list, n, gz, gzlen, &made);
		free(gz);
		if (r < 0)
			goto out;
		res->backup_made = true;
		nl = realloc(list, (n + 1) * sizeof(*nl));
		if (!nl) {
			r = lio_err(ctx, -ENOMEM, "Out of memory");
			goto out;
		}
		list = nl;
		memset(&list[n], 0, sizeof(list[n]));
		list[n].name = strdup(strrchr(made, '/') + 1);
		if (!list[n].name) {
			r = lio_err(ctx, -ENOMEM, "Out of memory");
			goto out;
		}
		n++;
	}
	/* Keep the newest @max: the list is oldest first, the new one last. */
	for (size_t i = 0; n > max && i < n - max; i++) {
		char *p = lio_strdupf("%s/%s", bdir, list[i].name);

		if (p)
			unlink(p);
		free(p);
	}
	{
		struct backup *after;
		size_t m;

		if (list_backups(bdir, &after, &m) == 0) {
			res->backups_kept = (unsigned)m;
			backups_free(after, m);
		}
	}
	r = 0;
out:
	backups_free(list, n);
	free(made);
	if (cur >= 0)
		close(cur);
	free(bdir);
	return r;
}

int lio_read_targetcli_conf_max_backups(const char *path, unsigned *n)
{
	char *text, *line, *save = NULL;
	size_t len;
	int r;

	r = lio_slurp(path ? path : LIO_TARGETCLI_CONF, false, &text, &len);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	if (r < 0)
		return r;
	r = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long v;
		char *p, *end;

		/* targetcli-fb: the first line matching ^max_backup_files\s*= */
		if (strncmp(line, "max_backup_files", 16))
			continue;
		p = line + 16;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=')
			continue;
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '+')
			p++;
		errno = 0;
		v = isdigit((unsigned char)*p) ? strtoul(p, &end, 10) : 0;
		if (!isdigit((unsigned char)*p) || errno || v > 1000000) {
			r = -EINVAL;
			break;
		}
		while (isspace((unsigned char)*end))
			end++;
		if (*end) {
			r = -EINVAL;
			break;
		}
		*n = (unsigned)v;
		r = 1;
		break;
	}
	free(text);
	return r;
}
