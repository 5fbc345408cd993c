/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small hash map from a key (a number, or a tag and a borrowed string)
 * to the position where it was first seen. Checking a file of N LUNs and
 * M mapped LUNs for duplicates and dangling references by scanning the
 * lists again for each entry costs N*M; this makes it N+M.
 */
#include <stdint.h>

#include "private.h"

struct lio_keyset_slot {
	bool used;
	int tag;
	const char *str; /* NULL for number keys */
	uint64_t num;
	size_t pos;
};

static uint64_t hash_key(int tag, const char *str, uint64_t num)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)tag;

	if (!str)
		return (num + 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL ^ h;
	for (; *str; str++)
		h = (h ^ (unsigned char)*str) * 1099511628211ULL;
	return h;
}

static bool same(const struct lio_keyset_slot *s, int tag, const char *str, uint64_t num)
{
	if (s->tag != tag || !s->str != !str)
		return false;
	return str ? !strcmp(s->str, str) : s->num == num;
}

static struct lio_keyset_slot *find(struct lio_keyset *ks, int tag, const char *str,
				    uint64_t num)
{
	size_t mask = ks->cap - 1, i = (size_t)hash_key(tag, str, num) & mask;

	while (ks->slots[i].used && !same(&ks->slots[i], tag, str, num))
		i = (i + 1) & mask;
	return &ks->slots[i];
}

static int grow(struct lio_keyset *ks)
{
	struct lio_keyset_slot *old = ks->slots;
	size_t old_cap = ks->cap;

	ks->cap = old_cap ? old_cap * 2 : 32;
	ks->slots = calloc(ks->cap, sizeof(*ks->slots));
	if (!ks->slots) {
		ks->slots = old;
		ks->cap = old_cap;
		return -ENOMEM;
	}
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].used)
			*find(ks, old[i].tag, old[i].str, old[i].num) = old[i];
	free(old);
	return 0;
}

static int put(struct lio_keyset *ks, int tag, const char *str, uint64_t num, size_t pos,
	       size_t *first)
{
	struct lio_keyset_slot *s;

	if ((ks->n + 1) * 2 > ks->cap && grow(ks) < 0)
		return -ENOMEM;
	s = find(ks, tag, str, num);
	if (s->used) {
		if (first)
			*first = s->pos;
		return 1;
	}
	*s = (struct lio_keyset_slot){ true, tag, str, num, pos };
	ks->n++;
	return 0;
}

static int get(const struct lio_keyset *ks, int tag, const char *str, uint64_t num, size_t *pos)
{
	const struct lio_keyset_slot *s;

	if (!ks->cap)
		return -ENOENT;
	s = find((struct lio_keyset *)ks, tag, str, num);
	if (!s->used)
		return -ENOENT;
	if (pos)
		*pos = s->pos;
	return 0;
}

int lio_keyset_put_str(struct lio_keyset *ks, int tag, const char *key, size_t pos, size_t *first)
{
	return put(ks, tag, key, 0, pos, first);
}

int lio_keyset_put_num(struct lio_keyset *ks, uint64_t key, size_t pos, size_t *first)
{
	return put(ks, 0, NULL, key, pos, first);
}

int lio_keyset_get_str(const struct lio_keyset *ks, int tag, const char *key, size_t *pos)
{
	return get(ks, tag, key, 0, pos);
}

int lio_keyset_get_num(const struct lio_keyset *ks, uint64_t key, size_t *pos)
{
	return get(ks, 0, NULL, key, pos);
}

void lio_keyset_clear(struct lio_keyset *ks)
{
	free(ks->slots);
	*ks = (struct lio_keyset){ 0 };
}
