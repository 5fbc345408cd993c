/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floor's configfs operations: one system call each (plus open/close
 * for file contents), paths relative to the target root, no checks beyond
 * the call's own result. A failure ends the program, since a floor that
 * skipped work would measure less than it claims.
 */
#ifndef FLOOR_FS_H
#define FLOOR_FS_H

#include <stdbool.h>
#include <stddef.h>

#define FL_PATH 4096

/* @root: the directory standing for /sys/kernel/config/target. */
void fl_init(const char *root);

/* Each takes a printf format for a path relative to the root. */
void fl_mkdir(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fl_rmdir(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fl_unlink(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write @value to the file, as one write(2). */
void fl_write(const char *value, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Create the symlink at the path, pointing at the absolute @target. */
void fl_symlink(const char *target, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read the file into @buf (NUL-terminated); returns the length. */
size_t fl_read(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
size_t fl_readlink(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A directory's entries: names and whether each is a directory, a
 * symlink or a file. */
enum fl_kind { FL_DIR, FL_LINK, FL_FILE };
struct fl_entry {
	char *name;
	enum fl_kind kind;
};
struct fl_list {
	struct fl_entry *v;
	size_t n;
};
/* Read the directory (missing: empty list); "." and ".." left out. */
void fl_list(struct fl_list *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fl_list_free(struct fl_list *l);

/* Format a relative path into @dst (FL_PATH bytes); too long ends the program. */
void fl_sub(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Absolute path of a path relative to the root, in a static buffer. */
const char *fl_abs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
