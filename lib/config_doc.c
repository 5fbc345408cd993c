/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two backings of a saveconfig document: a DOM, or a file's span index. */
#include "config_doc.h"
#include "config_restore_int.h"
#include "json_spans.h"

/* Which arrays of a saveconfig file are read element by element: those
 * that grow with the configuration. */
static const struct jspan_kind leaf = { 0, NULL, NULL };

static const char *const acl_keys[] = { "mapped_luns" };
static const struct jspan_kind *const acl_items[] = { &leaf };
static const struct jspan_kind acl = { 1, acl_keys, acl_items };

static const char *const tpg_keys[] = { "luns", "portals", "node_acls" };
static const struct jspan_kind *const tpg_items[] = { &leaf, &leaf, &acl };
static const struct jspan_kind tpg = { 3, tpg_keys, tpg_items };

static const char *const target_keys[] = { "tpgs" };
static const struct jspan_kind *const target_items[] = { &tpg };
static const struct jspan_kind target = { 1, target_keys, target_items };

static const char *const top_keys[] = { "storage_objects", "targets" };
static const struct jspan_kind *const top_items[] = { &leaf, &target };
static const struct jspan_kind top = { 2, top_keys, top_items };

void cfg_doc_init_dom(struct cfg_doc *doc, struct lio_ctx *ctx, struct json_object *cfg)
{
	*doc = (struct cfg_doc){ .ctx = ctx, .dom = cfg };
}

int cfg_doc_open(struct cfg_doc *doc, struct lio_ctx *ctx, const char *path)
{
	*doc = (struct cfg_doc){ .ctx = ctx };
	return jspan_open(ctx, path, &top, &doc->file);
}

void cfg_doc_close(struct cfg_doc *doc)
{
	jspan_close(doc->file);
	doc->file = NULL;
}

int cfg_doc_top(struct cfg_doc *doc, struct cfg_elem *out)
{
	*out = (struct cfg_elem){ 0 };
	if (!doc->file) {
		out->obj = json_object_get(doc->dom);
		return 0;
	}
	out->node = jspan_top(doc->file);
	return jspan_parse(doc->ctx, doc->file, out->node, &out->obj);
}

void cfg_list_of(struct cfg_doc *doc, const struct cfg_elem *parent, const char *key,
		 struct cfg_list *out)
{
	*out = (struct cfg_list){ .doc = doc };
	if (!doc->file) {
		struct json_object *a = lio_jget(parent->obj, key);

		if (a && json_object_is_type(a, json_type_array)) {
			out->arr = a;
			out->n = json_object_array_length(a);
		}
		return;
	}
	out->spans = parent->node ? jspan_list(parent->node, key) : NULL;
	if (out->spans && out->spans->is_array)
		out->n = out->spans->n;
}

int cfg_list_get(const struct cfg_list *l, size_t i, struct cfg_elem *out)
{
	*out = (struct cfg_elem){ 0 };
	if (i >= l->n)
		return lio_err(l->doc->ctx, -EINVAL, "No element %zu", i);
	if (!l->doc->file) {
		out->obj = json_object_get(json_object_array_get_idx(l->arr, i));
		return 0;
	}
	out->node = &l->spans->items[i];
	return jspan_parse(l->doc->ctx, l->doc->file, out->node, &out->obj);
}

void cfg_elem_put(struct cfg_elem *e)
{
	json_object_put(e->obj);
	*e = (struct cfg_elem){ 0 };
}
