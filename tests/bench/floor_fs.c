// SPDX-License-Identifier: GPL-2.0-or-later
/* The floor's configfs operations (see floor_fs.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "floor_fs.h"

static char root[FL_PATH];
static size_t root_len;

void fl_init(const char *r)
{
	root_len = (size_t)snprintf(root, sizeof(root), "%s", r);
	while (root_len > 1 && root[root_len - 1] == '/')
		root[--root_len] = '\0';
}

__attribute__((noreturn)) static void die(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

/* root + "/" + formatted path; @buf has FL_PATH bytes. */
static const char *vpath(char *buf, const char *fmt, va_list ap)
{
	int n;

	memcpy(buf, root, root_len);
	buf[root_len] = '/';
	n = vsnprintf(buf + root_len + 1, FL_PATH - root_len - 1, fmt, ap);
	if (n < 0 || (size_t)n >= FL_PATH - root_len - 1) {
		fprintf(stderr, "floor: path too long: %s\n", fmt);
		exit(1);
	}
	return buf;
}

#define PATH_OF(buf, fmt)            \
	do {                         \
		va_list ap;          \
		va_start(ap, fmt);   \
		vpath(buf, fmt, ap); \
		va_end(ap);          \
	} while (0)

void fl_sub(char *dst, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, FL_PATH, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= FL_PATH) {
		fprintf(stderr, "floor: path too long: %s\n", fmt);
		exit(1);
	}
}

const char *fl_abs(const char *fmt, ...)
{
	static char buf[FL_PATH];

	PATH_OF(buf, fmt);
	return buf;
}

void fl_mkdir(const char *fmt, ...)
{
	char p[FL_PATH];

	PATH_OF(p, fmt);
	if (mkdir(p, 0755) < 0)
		die("mkdir", p);
}

void fl_rmdir(const char *fmt, ...)
{
	char p[FL_PATH];

	PATH_OF(p, fmt);
	if (rmdir(p) < 0)
		die("rmdir", p);
}

void fl_unlink(const char *fmt, ...)
{
	char p[FL_PATH];

	PATH_OF(p, fmt);
	if (unlink(p) < 0)
		die("unlink", p);
}

void fl_write(const char *value, const char *fmt, ...)
{
	size_t len = strlen(value);
	char p[FL_PATH];
	int fd;

	PATH_OF(p, fmt);
	/* configfs makes an object's files with its directory: never create one. */
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("open", p);
	if (write(fd, value, len) != (ssize_t)len)
		die("write", p);
	if (close(fd) < 0)
		die("close", p);
}

void fl_symlink(const char *target, const char *fmt, ...)
{
	char p[FL_PATH];

	PATH_OF(p, fmt);
	if (symlink(target, p) < 0)
		die("symlink", p);
}

size_t fl_read(char *buf, size_t size, const char *fmt, ...)
{
	char p[FL_PATH];
	ssize_t n;
	int fd;

	PATH_OF(p, fmt);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open", p);
	/* configfs returns a whole attribute (at most a page) in one read. */
	n = read(fd, buf, size - 1);
	if (n < 0)
		die("read", p);
	close(fd);
	buf[n] = '\0';
	return (size_t)n;
}

size_t fl_readlink(char *buf, size_t size, const char *fmt, ...)
{
	char p[FL_PATH];
	ssize_t n;

	PATH_OF(p, fmt);
	n = readlink(p, buf, size - 1);
	if (n < 0)
		die("readlink", p);
	buf[n] = '\0';
	return (size_t)n;
}

void fl_list(struct fl_list *out, const char *fmt, ...)
{
	char p[FL_PATH];
	struct dirent *e;
	size_t cap = 0;
	DIR *d;

	PATH_OF(p, fmt);
	out->v = NULL;
	out->n = 0;
	d = opendir(p);
	if (!d) {
		if (errno == ENOENT)
			return;
		die("opendir", p);
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = realloc(out->v, cap * sizeof(*out->v));
			if (!out->v)
				die("realloc", p);
		}
		out->v[out->n].name = strdup(e->d_name);
		if (!out->v[out->n].name)
			die("strdup", p);
		/* configfs and tmpfs both fill in d_type: no stat needed. */
		out->v[out->n].kind = e->d_type == DT_DIR ? FL_DIR
				      : e->d_type == DT_LNK ? FL_LINK
							    : FL_FILE;
		out->n++;
	}
	closedir(d);
}

void fl_list_free(struct fl_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
