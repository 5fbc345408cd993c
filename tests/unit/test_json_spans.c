/*
 * The span scanner of saveconfig files (lib/json_spans.c, through the file
 * backing of lib/config_doc.c): elements found exactly around strings with
 * escaped quotes and brackets, nested values, escaped member names; the
 * indexed arrays left out of an element's own JSON; malformed files refused
 * with json-c's wording and the line; indexed members that are missing,
 * null or not arrays.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_doc.h"
#include "lio.h"
#include "tap.h"

static struct lio_ctx *ctx;
static char g_path[64];

static void write_file(const char *text)
{
	FILE *f = fopen(g_path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* Open @text as a file; 0 or the error. */
static int open_text(const char *text, struct cfg_doc *doc)
{
	write_file(text);
	return cfg_doc_open(doc, ctx, g_path);
}

/* The JSON of element @i of @parent's @key, as text ("" when it cannot be read). */
static const char *elem_json(struct cfg_doc *doc, const struct cfg_elem *parent, const char *key,
			     size_t i, char *buf, size_t len)
{
	struct cfg_list l;
	struct cfg_elem e;

	buf[0] = '\0';
	cfg_list_of(doc, parent, key, &l);
	if (cfg_list_get(&l, i, &e) == 0) {
		snprintf(buf, len, "%s",
			 json_object_to_json_string_ext(e.obj, JSON_C_TO_STRING_PLAIN));
		cfg_elem_put(&e);
	}
	return buf;
}

static size_t count(struct cfg_doc *doc, const struct cfg_elem *parent, const char *key)
{
	struct cfg_list l;

	cfg_list_of(doc, parent, key, &l);
	return l.n;
}

static void test_strings_and_nesting(void)
{
	static const char text[] =
		"{ \"storage_objects\" : [\n"
		"  {\"name\": \"a\\\"]}\\\\\", \"x\": '[{\\\"'},\n"
		"  {\"name\": \"b\", \"alua_tpgs\": [{\"n\": [[1, {\"luns\": [2]}], {}]}]},\n"
		"  \"\\u00e9\\\\\", [[]], -1.5e3, null, true\n"
		"], \"t\\u0061rgets\": [] }";
	struct cfg_doc doc;
	struct cfg_elem top;
	char buf[256];

	CHECK_INT(open_text(text, &doc), 0);
	CHECK_INT(cfg_doc_top(&doc, &top), 0);
	CHECK_STR(json_object_to_json_string_ext(top.obj, JSON_C_TO_STRING_PLAIN),
		  "{\"storage_objects\":[],\"targets\":[]}");
	CHECK_INT(count(&doc, &top, "storage_objects"), 7);
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 0, buf, sizeof(buf)),
		  "{\"name\":\"a\\\"]}\\\\\",\"x\":\"[{\\\"\"}");
	/* A leaf keeps its nested arrays, even one named like an indexed one. */
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 1, buf, sizeof(buf)),
		  "{\"name\":\"b\",\"alua_tpgs\":[{\"n\":[[1,{\"luns\":[2]}],{}]}]}");
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 2, buf, sizeof(buf)),
		  "\"\xc3\xa9\\\\\"");
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 3, buf, sizeof(buf)), "[[]]");
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 4, buf, sizeof(buf)), "-1.5e3");
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 5, buf, sizeof(buf)), "null");
	CHECK_STR(elem_json(&doc, &top, "storage_objects", 6, buf, sizeof(buf)), "true");
	/* "t\u0061rgets" is "targets" to json-c: indexed as such. */
	CHECK_INT(count(&doc, &top, "targets"), 0);
	cfg_elem_put(&top);
	cfg_doc_close(&doc);
}

static void test_nested_lists(void)
{
	static const char text[] =
		"{\"targets\": [{\"wwn\": \"w\", \"tpgs\": [\n"
		"  {\"tag\": 1, \"luns\": [{\"index\": 0}, {\"index\": 1}], \"portals\": [],\n"
		"   \"node_acls\": [{\"node_wwn\": \"i\", \"mapped_luns\": [{\"index\": 5}]}],\n"
		"   \"attributes\": {\"luns\": [9]}},\n"
		"  {\"tag\": 2, \"luns\": [1], \"luns\": null, \"node_acls\": 5}\n"
		"]}]}\n";
	struct cfg_doc doc;
	struct cfg_elem top = { 0 }, t = { 0 }, tpg = { 0 }, acl = { 0 };
	struct cfg_list l;
	char buf[256];

	CHECK_INT(open_text(text, &doc), 0);
	CHECK_INT(cfg_doc_top(&doc, &top), 0);
	cfg_list_of(&doc, &top, "targets", &l);
	CHECK_INT(l.n, 1);
	CHECK_INT(cfg_list_get(&l, 0, &t), 0);
	CHECK_STR(json_object_to_json_string_ext(t.obj, JSON_C_TO_STRING_PLAIN),
		  "{\"wwn\":\"w\",\"tpgs\":[]}");
	cfg_list_of(&doc, &t, "tpgs", &l);
	CHECK_INT(l.n, 2);
	CHECK_INT(cfg_list_get(&l, 0, &tpg), 0);
	/* Indexed arrays are empty in the element; an object member of the same
	 * name deeper down is not indexed. */
	CHECK_STR(json_object_to_json_string_ext(tpg.obj, JSON_C_TO_STRING_PLAIN),
		  "{\"tag\":1,\"luns\":[],\"portals\":[],\"node_acls\":[],"
		  "\"attributes\":{\"luns\":[9]}}");
	CHECK_INT(count(&doc, &tpg, "luns"), 2);
	CHECK_STR(elem_json(&doc, &tpg, "luns", 1, buf, sizeof(buf)), "{\"index\":1}");
	CHECK_INT(count(&doc, &tpg, "portals"), 0);
	cfg_list_of(&doc, &tpg, "node_acls", &l);
	CHECK_INT(cfg_list_get(&l, 0, &acl), 0);
	CHECK_STR(elem_json(&doc, &acl, "mapped_luns", 0, buf, sizeof(buf)), "{\"index\":5}");
	CHECK(cfg_list_get(&l, 1, &(struct cfg_elem){ 0 }) < 0);
	cfg_elem_put(&acl);
	cfg_elem_put(&tpg);
	/* The last of duplicate members counts, as in json-c; null and a
	 * number are no lists, and stay in the element as they are. */
	cfg_list_of(&doc, &t, "tpgs", &l);
	CHECK_INT(cfg_list_get(&l, 1, &tpg), 0);
	CHECK_STR(json_object_to_json_string_ext(tpg.obj, JSON_C_TO_STRING_PLAIN),
		  "{\"tag\":2,\"luns\":null,\"node_acls\":5}");
	CHECK_INT(count(&doc, &tpg, "luns"), 0);
	CHECK_INT(count(&doc, &tpg, "node_acls"), 0);
	cfg_elem_put(&tpg);
	cfg_elem_put(&t);
	cfg_elem_put(&top);
	cfg_doc_close(&doc);
}

static void test_top_level(void)
{
	static const struct {
		const char *text;
		const char *json;
	} cases[] = {
		{ "[1, {\"a\": [2]}]", "[1,{\"a\":[2]}]" },
		{ " \"x\" ", "\"x\"" },
		{ "/* c */ {\"storage_objects\": 5} // end", "{\"storage_objects\":5}" },
		{ "{\"storage_objects\": [1,], \"targets\": {},}", "{\"storage_objects\":[],\"targets\":{}}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg_doc doc;
		struct cfg_elem top = { 0 };

		CHECK_MSG(open_text(cases[i].text, &doc) == 0, "%s: %s", cases[i].text,
			  lio_errmsg(ctx));
		CHECK_INT(cfg_doc_top(&doc, &top), 0);
		CHECK_STR(json_object_to_json_string_ext(top.obj, JSON_C_TO_STRING_PLAIN),
			  cases[i].json);
		CHECK_INT(count(&doc, &top, "targets"), 0);
		cfg_elem_put(&top);
		cfg_doc_close(&doc);
	}
}

static void test_malformed(void)
{
	static const struct {
		const char *text;
		const char *why; /* after "<path> is not valid JSON: " */
	} cases[] = {
		{ "", "empty file at line 1" },
		{ " \n\n", "unexpected end of data at line 3" },
		{ "{\n  \"targets\": [\n    oops\n", "unexpected character at line 3" },
		{ "{\"storage_objects\": [{\"name\": \"a\"}", "unexpected end of data at line 1" },
		{ "{\"x\": '\\''}", "invalid string sequence at line 1" },
		{ "{\"storage_objects\": [{\"name\": \"a\\\"}]}", "unexpected end of data at line 1" },
		{ "{\"storage_objects\": [{\"name\": \"a\\q\"}]}", "invalid string sequence at line 1" },
		{ "{\"storage_objects\": [{\"name\": \"\\u12G4\"}]}", "invalid string sequence at line 1" },
		{ "{\"storage_objects\": [{} {}]}", "array value separator ',' expected at line 1" },
		{ "{\"storage_objects\" [{}]}", "object property name separator ':' expected at line 1" },
		{ "{\"a\": 1 \"b\": 2}", "object value separator ',' expected at line 1" },
		{ "{a: 1}", "quoted object property name expected at line 1" },
		{ "{\"storage_objects\": [tru]}", "boolean expected at line 1" },
		{ "{\"a\": 1}\n\n garbage", "data after the end of the JSON value at line 3" },
		{ "{\"a\": 1} {}", "data after the end of the JSON value at line 1" },
		{ "{\"a\": /x 1}", "expected comment at line 1" },
		{ "{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		  "nesting too deep at line 1" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg_doc doc;
		char want[256];

		snprintf(want, sizeof(want), "%s is not valid JSON: %s", g_path, cases[i].why);
		CHECK_INT(open_text(cases[i].text, &doc), -EINVAL);
		CHECK_STR(lio_errmsg(ctx), want);
		CHECK(doc.file == NULL);
	}
	CHECK_INT(cfg_doc_open(&(struct cfg_doc){ 0 }, ctx, "/nonexistent/x.json"), -ENOENT);
	CHECK_STR(lio_errmsg(ctx), "Restore file /nonexistent/x.json not found");
}

/* A file rewritten between the scan and a read is refused, not misread. */
static void test_changed_file(void)
{
	struct cfg_doc doc;
	struct cfg_elem top = { 0 }, e = { 0 };
	struct cfg_list l;

	CHECK_INT(open_text("{\"storage_objects\": [{\"name\": \"a\"}]}", &doc), 0);
	CHECK_INT(cfg_doc_top(&doc, &top), 0);
	cfg_list_of(&doc, &top, "storage_objects", &l);
	write_file("{\"storage_objects\": [{\"name\": \"abc\"}, 1]}");
	CHECK_INT(cfg_list_get(&l, 0, &e), -ESTALE);
	CHECK(strstr(lio_errmsg(ctx), "changed while it was being restored") != NULL);
	cfg_elem_put(&top);
	cfg_doc_close(&doc);
}

int main(void)
{
	int fd;

	snprintf(g_path, sizeof(g_path), "/tmp/lio-spans-XXXXXX");
	fd = mkstemp(g_path);
	if (fd < 0 || lio_new(&ctx, "/nonexistent-configfs") < 0)
		return 2;
	close(fd);
	test_strings_and_nesting();
	test_nested_lists();
	test_top_level();
	test_malformed();
	test_changed_file();
	unlink(g_path);
	lio_unref(ctx);
	return tap_done();
}
