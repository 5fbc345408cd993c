/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Size syntax and storage-object info parsing shared by the library and shell. */
#include <ctype.h>
#include <stdio.h>

#include "private.h"

int lio_parse_size(const char *text, uint64_t *bytes)
{
	unsigned long long v = 0, mult = 1;
	char buf[64];
	size_t n = 0;
	const char *p;

	if (!text)
		return -EINVAL;
	/* "i" carries no meaning ("GiB" = "GB" = "G"); targetcli drops it. */
	for (p = text; *p; p++) {
		if (*p == 'i' || *p == 'I')
			continue;
		if (n + 1 >= sizeof(buf))
			return -EINVAL;
		buf[n++] = (char)tolower((unsigned char)*p);
	}
	buf[n] = '\0';
	p = buf;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - (unsigned)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned)(*p - '0');
	}
	switch (*p) {
	case 't':
		mult <<= 10;
		/* fall through */
	case 'g':
		mult <<= 10;
		/* fall through */
	case 'm':
		mult <<= 10;
		/* fall through */
	case 'k':
		mult <<= 10;
		p++;
		break;
	default:
		break;
	}
	if (*p == 'b')
		p++;
	if (*p)
		return -EINVAL;
	if (v && mult > UINT64_MAX / v)
		return -ERANGE;
	*bytes = v * mult;
	return 0;
}

void lio_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double size = (double)bytes;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		size /= 1024.0;
		if (size < 1024.0 || i == ARRAY_SIZE(units) - 1) {
			snprintf(buf, len, "%3.1f%s", size, units[i]);
			return;
		}
	}
}

int lio_info_value(const char *info, const char *key, char **value)
{
	_cleanup_free_ char *flat = malloc(strlen(info) + 1);
	size_t klen = strlen(key), w = 0;
	const char *found = NULL, *v;
	char *p;

	if (!flat)
		return -ENOMEM;
	/* Collapse runs of whitespace so keys spanning columns still match. */
	for (const char *s = info; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (w && flat[w - 1] != ' ')
				flat[w++] = ' ';
			continue;
		}
		flat[w++] = *s;
	}
	flat[w] = '\0';
	/* The last whole-word occurrence wins, as in rtslib's greedy match. */
	for (p = flat; (p = strstr(p, key)); p++) {
		if ((p == flat || p[-1] == ' ') && !strncmp(p + klen, ": ", 2))
			found = p;
	}
	if (!found)
		return -ENOENT;
	v = found + klen + 2;
	size_t vlen = strcspn(v, ": ");
	if (!vlen)
		return -ENOENT;
	*value = strndup(v, vlen);
	return *value ? 0 : -ENOMEM;
}

int lio_cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

long lio_first_free_index(unsigned *v, size_t n, unsigned max)
{
	unsigned want = 0;

	if (n)
		qsort(v, n, sizeof(*v), lio_cmp_unsigned);
	/* Walk the sorted numbers: the first one above @want leaves a gap. */
	for (size_t i = 0; i < n && v[i] <= want; i++)
		if (v[i] == want) {
			if (want == max)
				return -ENOSPC;
			want++;
		}
	return want;
}

int lio_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
