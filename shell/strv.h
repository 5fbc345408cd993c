/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable vector of owned strings. */
#ifndef SH_STRV_H
#define SH_STRV_H

#include <stddef.h>

struct strv {
	char **v;
	size_t n;
	size_t cap;
};

/* Append a copy; returns 0 or -1 on allocation failure. */
int strv_add(struct strv *sv, const char *s);
int strv_addf(struct strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append only if @s starts with @prefix. */
int strv_add_prefixed(struct strv *sv, const char *s, const char *prefix);
/* "<stem><N>" for each of the @n numbers, those starting with @prefix. */
int strv_add_numbered(struct strv *sv, const char *stem, const unsigned *nums, size_t n,
		      const char *prefix);
void strv_sort(struct strv *sv);
void strv_clear(struct strv *sv);

#endif
