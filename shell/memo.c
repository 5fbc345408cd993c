// SPDX-License-Identifier: GPL-2.0-or-later
/* Open addressing with linear probing, kept at most half full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memo.h"

static size_t slot_of(const struct memo *m, const char *key)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return (size_t)h & (m->cap - 1);
}

static size_t find(const struct memo *m, const char *key)
{
	size_t i = slot_of(m, key);

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

const char *memo_get(const struct memo *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = find(m, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

static int grow(struct memo *m)
{
	struct memo big = { .cap = m->cap ? m->cap * 2 : 64 };

	big.keys = calloc(big.cap, sizeof(*big.keys));
	big.vals = calloc(big.cap, sizeof(*big.vals));
	if (!big.keys || !big.vals) {
		free(big.keys);
		free(big.vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t j = find(&big, m->keys[i]);

			big.keys[j] = m->keys[i];
			big.vals[j] = m->vals[i];
		}
	big.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = big;
	return 0;
}

int memo_put(struct memo *m, const char *key, const char *val)
{
	char *v;
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	v = strdup(val);
	if (!v)
		return -1;
	i = find(m, key);
	if (m->keys[i]) {
		free(m->vals[i]);
	} else {
		m->keys[i] = strdup(key);
		if (!m->keys[i]) {
			free(v);
			return -1;
		}
		m->n++;
	}
	m->vals[i] = v;
	return 0;
}

void memo_clear(struct memo *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	*m = (struct memo){ 0 };
}
