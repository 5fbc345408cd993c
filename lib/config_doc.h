/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A saveconfig document as validation, apply and diff walk it: either a
 * json-c DOM the caller holds, or a file read element by element through
 * its span index (json_spans.c), so that a restore from a file holds one
 * element at a time rather than the whole document.
 *
 * The big arrays (storage_objects, targets, tpgs, luns, portals,
 * node_acls, mapped_luns) are reached through cfg_list_of(); in the file
 * backing an element's own JSON has them as empty arrays, so that type
 * checks of the element see an array where the file has one.
 */
#ifndef LIO_CONFIG_DOC_H
#define LIO_CONFIG_DOC_H

#include <json-c/json.h>

#include "private.h"

struct jspan_doc;
struct jspan_node;
struct jspan_list;

struct cfg_doc {
	struct lio_ctx *ctx;
	struct json_object *dom; /* DOM backing (borrowed) */
	struct jspan_doc *file;  /* file backing */
};

/* An element; obj is a reference of its own (cfg_elem_put). */
struct cfg_elem {
	struct json_object *obj;
	const struct jspan_node *node; /* file backing: where its big arrays are */
};

struct cfg_list {
	struct cfg_doc *doc;
	struct json_object *arr;        /* DOM backing */
	const struct jspan_list *spans; /* file backing */
	size_t n;
};

void cfg_doc_init_dom(struct cfg_doc *doc, struct lio_ctx *ctx, struct json_object *cfg);
/* Scan @path (errors as lio_config_load_file()'s, data after the end
 * included). cfg_doc_close() after. */
int cfg_doc_open(struct cfg_doc *doc, struct lio_ctx *ctx, const char *path);
void cfg_doc_close(struct cfg_doc *doc);

/* The top-level value (NULL obj only for a JSON null or an absent DOM). */
int cfg_doc_top(struct cfg_doc *doc, struct cfg_elem *out);
/* The elements of @parent's member @key when it is an array; none otherwise. */
void cfg_list_of(struct cfg_doc *doc, const struct cfg_elem *parent, const char *key,
		 struct cfg_list *out);
/* Element @i of @l. Only the file backing fails (read error, file changed),
 * with the context's message set. */
int cfg_list_get(const struct cfg_list *l, size_t i, struct cfg_elem *out);
void cfg_elem_put(struct cfg_elem *e);

#endif
