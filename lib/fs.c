/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* configfs file and directory primitives, each failure named by its path. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

static void strip_trailing_space(char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
}

int lio_read_fd(int fd, char **out)
{
	size_t cap = 4096, len = 0;
	char *buf;
	int err = 0;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (cap - len < 2) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf) {
				err = -ENOMEM;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		size_t want = cap - len - 1;

		r = read(fd, buf + len, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		/*
		 * configfs, sysfs and regular files give all they have up to the
		 * size asked for: a short read is the end, and asking again for
		 * the EOF would cost every attribute read a system call.
		 */
		if ((size_t)r < want)
			break;
	}
	if (err) {
		free(buf);
		return err;
	}
	/* Some kernel files pad with NUL bytes; they are never content. */
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		if (buf[i])
			buf[w++] = buf[i];
	buf[w] = '\0';
	strip_trailing_space(buf, w);
	*out = buf;
	return 0;
}

int lio_read_file_quiet(const char *path, char **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = lio_read_fd(fd, out);
	close(fd);
	return r;
}

int lio_read_file(struct lio_ctx *ctx, const char *path, char **out)
{
	int r = lio_read_file_quiet(path, out);

	if (r < 0)
		return lio_err(ctx, r, "Cannot read %s: %s", path, strerror(-r));
	return 0;
}

int lio_read_flag(struct lio_ctx *ctx, const char *path, bool *on)
{
	_cleanup_free_ char *value = NULL;
	unsigned long long v;
	int r = lio_read_file(ctx, path, &value);

	if (r < 0)
		return r;
	if (lio_parse_uint(value, ULLONG_MAX, &v) < 0)
		return lio_err(ctx, -EINVAL, "Unexpected value '%s' in %s", value, path);
	*on = v != 0;
	return 0;
}

int lio_write_file(struct lio_ctx *ctx, const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t w;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot write %s: %s", path, strerror(e));
	}
	do
		w = write(fd, value, len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len) {
		int e = w < 0 ? errno : EIO;
		close(fd);
		return lio_err(ctx, -e, "Cannot write '%.*s' to %s: %s",
			       (int)strcspn(value, "\n"), value, path, strerror(e));
	}
	if (close(fd) < 0) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot write '%.*s' to %s: %s",
			       (int)strcspn(value, "\n"), value, path, strerror(e));
	}
	return 0;
}

int lio_mkdir(struct lio_ctx *ctx, const char *path)
{
	if (mkdir(path, 0755) < 0) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot create %s: %s", path, strerror(e));
	}
	return 0;
}

int lio_rmdir(struct lio_ctx *ctx, const char *path)
{
	if (rmdir(path) < 0) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot remove %s: %s", path, strerror(e));
	}
	return 0;
}

int lio_symlink(struct lio_ctx *ctx, const char *target, const char *linkpath)
{
	if (symlink(target, linkpath) < 0) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot link %s to %s: %s", linkpath, target,
			       strerror(e));
	}
	return 0;
}

int lio_unlink(struct lio_ctx *ctx, const char *path)
{
	if (unlink(path) < 0) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot remove %s: %s", path, strerror(e));
	}
	return 0;
}

bool lio_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

bool lio_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int lio_natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *sa = a, *sb = b;
			size_t la, lb;

			while (*sa == '0' && isdigit((unsigned char)sa[1]))
				sa++;
			while (*sb == '0' && isdigit((unsigned char)sb[1]))
				sb++;
			for (a = sa; isdigit((unsigned char)*a); a++)
				;
			for (b = sb; isdigit((unsigned char)*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(sa, sb, la);
			if (c)
				return c;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int natural_qsort_cmp(const void *a, const void *b)
{
	return lio_natural_cmp(*(char *const *)a, *(char *const *)b);
}

int lio_list_dir(struct lio_ctx *ctx, const char *dir, const char *prefix,
		 bool want_dirs, char ***names, size_t *n)
{
	size_t plen = prefix ? strlen(prefix) : 0, count = 0, cap = 0;
	char **list = NULL;
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*n = 0;
	d = opendir(dir);
	if (!d) {
		int e = errno;
		return lio_err(ctx, -e, "Cannot list %s: %s", dir, strerror(e));
	}
	while ((de = readdir(d))) {
		bool is_dir, is_link;

		if (de->d_name[0] == '.')
			continue;
		if (prefix && strncmp(de->d_name, prefix, plen))
			continue;
		is_dir = de->d_type == DT_DIR;
		is_link = de->d_type == DT_LNK;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			is_dir = S_ISDIR(st.st_mode);
			is_link = S_ISLNK(st.st_mode);
		}
		if (want_dirs ? !is_dir : !is_link)
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nl = realloc(list, ncap * sizeof(*nl));

			if (!nl)
				goto enomem;
			list = nl;
			cap = ncap;
		}
		list[count] = strdup(de->d_name);
		if (!list[count])
			goto enomem;
		count++;
	}
	closedir(d);
	if (count)
		qsort(list, count, sizeof(*list), natural_qsort_cmp);
	*names = list;
	*n = count;
	return 0;
enomem:
	closedir(d);
	lio_strv_free(list, count);
	return lio_err(ctx, -ENOMEM, "Out of memory");
}

void lio_strv_free(char **strv, size_t n)
{
	if (!strv)
		return;
	for (size_t i = 0; i < n; i++)
		free(strv[i]);
	free(strv);
}

int lio_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		if ((unsigned)(*s - '0') > max || v > (max - (unsigned)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return 0;
}

int lio_dir_numbers(const char *dir, const char *prefix, unsigned **out, size_t *nout)
{
	size_t plen = strlen(prefix), n = 0, cap = 0;
	unsigned *v = NULL;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*nout = 0;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		unsigned long long x;

		if (strncmp(de->d_name, prefix, plen) ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    lio_parse_uint(de->d_name + plen, UINT_MAX, &x) < 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			unsigned *nv = realloc(v, ncap * sizeof(*nv));

			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
			cap = ncap;
		}
		v[n++] = (unsigned)x;
	}
	closedir(d);
	*out = v;
	*nout = n;
	return 0;
}

/* The longest record getdents64 can return: its header and a NAME_MAX name. */
#define MAX_DIRENT_LEN (offsetof(struct dirent64, d_name) + NAME_MAX + 1)

int lio_subdirs_ino_at(int dirfd, const char *name, bool until_short, char ***names,
		       uint64_t **inos, size_t *nout)
{
	uint64_t *iv = NULL;
	char buf[8192];
	char **v = NULL;
	size_t n = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err = 0;

	*names = NULL;
	if (inos)
		*inos = NULL;
	*nout = 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got = getdents64(fd, buf, sizeof(buf));

		if (got < 0) {
			err = -errno;
			break;
		}
		if (got == 0)
			break;
		for (ssize_t off = 0; off < got && !err;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (de->d_name[0] == '.' || de->d_type != DT_DIR)
				continue;
			if (!(n & (n + 1)) || n == 0) { /* grow at 0, 1, 3, 7, ... */
				char **nv = realloc(v, (n * 2 + 2) * sizeof(*nv));

				if (!nv) {
					err = -ENOMEM;
					break;
				}
				v = nv;
				if (inos) {
					uint64_t *ni = realloc(iv, (n * 2 + 2) * sizeof(*ni));

					if (!ni) {
						err = -ENOMEM;
						break;
					}
					iv = ni;
				}
			}
			v[n] = strdup(de->d_name);
			if (!v[n])
				err = -ENOMEM;
			else if (inos)
				iv[n++] = de->d_ino;
			else
				n++;
		}
		/*
		 * configfs fills the buffer while entries fit: room left for the
		 * longest one means there are no more, and the call that would
		 * say so is saved (other file systems may stop short; they ask).
		 */
		if (err || (until_short && sizeof(buf) - (size_t)got >= MAX_DIRENT_LEN))
			break;
	}
	close(fd);
	if (err) {
		lio_strv_free(v, n);
		free(iv);
		return err;
	}
	if (inos)
		*inos = iv;
	*names = v;
	*nout = n;
	return 0;
}

int lio_subdirs_at(int dirfd, const char *name, bool until_short, char ***names, size_t *nout)
{
	return lio_subdirs_ino_at(dirfd, name, until_short, names, NULL, nout);
}
