/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where the elements of a JSON file's big arrays begin and end, found by a
 * byte-level scan that builds no objects, so that each element can later
 * be read back (pread) and parsed alone. Which arrays are "big" is told by
 * a tree of kinds: for an object of a kind, the members whose array values
 * are indexed and the kind of their elements. Everything else stays inside
 * the element's own text.
 *
 * The scan accepts what json-c's default (non-strict) tokener accepts
 * around the indexed arrays: comments, single-quoted strings, trailing
 * commas; scalars are checked by json-c itself. Unlike json-c it refuses
 * data after the top-level value.
 */
#ifndef LIO_JSON_SPANS_H
#define LIO_JSON_SPANS_H

#include <json-c/json.h>
#include <stdint.h>
#include <sys/types.h>

#include "private.h"

struct jspan_kind {
	size_t nkeys;
	const char *const *keys;               /* members whose arrays are indexed */
	const struct jspan_kind *const *items; /* the kind of each one's elements */
};

struct jspan_obj;

/* A value of the file: its bytes [start, end). */
struct jspan_node {
	uint64_t start, end;
	/* Indexed members: set for an object of a kind that has keys. */
	struct jspan_obj *obj;
};

struct jspan_list {
	bool is_array; /* the member is there and its value is an array */
	size_t n, cap;
	struct jspan_node *items;
};

struct jspan_cut {
	uint64_t start, end;
};

struct jspan_obj {
	const struct jspan_kind *kind;
	struct jspan_list *lists; /* one per kind->keys, in that order */
	/* Array values of indexed members, left out (as "[]") when the object
	 * is parsed; in file order. */
	struct jspan_cut *cuts;
	size_t ncuts;
};

struct jspan_doc;

/*
 * Scan @path. Errors: -ENOENT "Restore file X not found", another errno
 * from open/read, -EINVAL "X is not valid JSON: <why> at line N".
 */
int jspan_open(struct lio_ctx *ctx, const char *path, const struct jspan_kind *top,
	       struct jspan_doc **out);
void jspan_close(struct jspan_doc *doc);

const struct jspan_node *jspan_top(const struct jspan_doc *doc);
/* The list of @node's indexed member @key; NULL if @key is not one of its kind. */
const struct jspan_list *jspan_list(const struct jspan_node *node, const char *key);

/*
 * Read @node's text from the file and parse it, its indexed arrays as empty
 * arrays. The caller puts *out. Fails if the file changed since the scan.
 */
int jspan_parse(struct lio_ctx *ctx, struct jspan_doc *doc, const struct jspan_node *node,
		struct json_object **out);

#endif
