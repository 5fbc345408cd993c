// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A string-to-string map for facts that one command reads many times:
 * `ls` shows each LUN's storage object once on the LUN's line and again on
 * the line of every mapped LUN pointing at it (every ACL). Live for one
 * command only, so it never serves a stale value.
 */
#ifndef SHELL_MEMO_H
#define SHELL_MEMO_H

#include <stddef.h>

struct memo {
	char **keys, **vals;
	size_t cap, n;
};

/* The value stored for @key, or NULL. */
const char *memo_get(const struct memo *m, const char *key);
/* Store a copy of @val under a copy of @key (replacing); -1 when out of memory. */
int memo_put(struct memo *m, const char *key, const char *val);
/* Free everything and zero @m. */
void memo_clear(struct memo *m);

#endif
