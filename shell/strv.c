// SPDX-License-Identifier: GPL-2.0-or-later
#include "strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int strv_take(struct strv *sv, char *s)
{
	if (!s)
		return -1;
	if (sv->n + 1 >= sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return -1;
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

int strv_add(struct strv *sv, const char *s)
{
	return strv_take(sv, strdup(s));
}

int strv_addf(struct strv *sv, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	return strv_take(sv, s);
}

int strv_add_prefixed(struct strv *sv, const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		return 0;
	return strv_add(sv, s);
}

/* @v in decimal at @out (room for 11 bytes); its length. */
static size_t decimal(unsigned v, char *out)
{
	char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

int strv_add_numbered(struct strv *sv, const char *stem, const unsigned *nums, size_t n,
		      const char *prefix)
{
	size_t slen = strlen(stem), plen = strlen(prefix);
	/* completing among thousands: a name is made only when it matches */
	const char *digits = plen > slen ? prefix + slen : "";
	size_t dlen = strlen(digits);
	char name[64];

	if (strncmp(stem, prefix, plen < slen ? plen : slen) || slen + 12 > sizeof(name))
		return 0;
	memcpy(name, stem, slen);
	for (size_t i = 0; i < n; i++)
		if (decimal(nums[i], name + slen) >= dlen && !memcmp(name + slen, digits, dlen) &&
		    strv_add(sv, name) < 0)
			return -1;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp);
}

void strv_clear(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
