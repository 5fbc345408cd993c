/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * JSON text in targetcli-fb's saveconfig.json layout: Python's
 * json.dump(sort_keys=True, indent=2) plus a trailing newline, ASCII only,
 * so a file we write diffs clean against one targetcli-fb wrote.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "private.h"

struct out {
	char *buf;
	size_t len, cap;
	bool failed;
	int err; /* a generator's or the sink's failure, else -ENOMEM when failed */
	/* When set, text goes out in pieces of about SINK_PIECE bytes. */
	int (*sink)(void *arg, const char *text, size_t len);
	void *sink_arg;
};

#define SINK_PIECE (64 * 1024)

static void put(struct out *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->sink && o->len && o->len + n > SINK_PIECE) {
		int r = o->sink(o->sink_arg, o->buf, o->len);

		o->len = 0;
		if (r < 0) {
			o->failed = true;
			o->err = r;
			return;
		}
	}
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *nb = realloc(o->buf, cap);

		if (!nb) {
			o->failed = true;
			return;
		}
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void indent(struct out *o, int level)
{
	for (int i = 0; i < level; i++)
		put(o, "  ", 2);
}

/* Decode one UTF-8 sequence; invalid bytes stand for themselves (Latin-1). */
static unsigned next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned cp;
	int extra;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		extra = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		extra = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		extra = 3;
	} else {
		*p = s + 1;
		return s[0];
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return s[0];
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + extra + 1;
	return cp;
}

static void put_string(struct out *o, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	char esc[16];

	put(o, "\"", 1);
	while (*p) {
		unsigned cp = next_cp(&p);

		switch (cp) {
		case '"':
			puts_(o, "\\\"");
			continue;
		case '\\':
			puts_(o, "\\\\");
			continue;
		case '\n':
			puts_(o, "\\n");
			continue;
		case '\r':
			puts_(o, "\\r");
			continue;
		case '\t':
			puts_(o, "\\t");
			continue;
		case '\b':
			puts_(o, "\\b");
			continue;
		case '\f':
			puts_(o, "\\f");
			continue;
		}
		if (cp >= 0x20 && cp < 0x7f) {
			char c = (char)cp;
			put(o, &c, 1);
		} else if (cp < 0x10000) {
			snprintf(esc, sizeof(esc), "\\u%04x", cp);
			puts_(o, esc);
		} else {
			cp -= 0x10000;
			snprintf(esc, sizeof(esc), "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
				 0xdc00 + (cp & 0x3ff));
			puts_(o, esc);
		}
	}
	put(o, "\"", 1);
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_value(struct out *o, struct json_object *v, int level);

/*
 * An array whose elements a generator makes one at a time (a save of a
 * large configuration): each is laid out and freed before the next, so
 * only the text is ever whole in memory.
 */
static void put_generated(struct out *o, struct lio_json_gen *gen, int level)
{
	struct json_object *el;
	bool first = true;
	int err = 0;

	while (!o->failed && (el = gen->next(gen, &err))) {
		puts_(o, first ? "[\n" : ",\n");
		first = false;
		indent(o, level + 1);
		put_value(o, el, level + 1);
		json_object_put(el);
	}
	if (err < 0) {
		o->failed = true;
		if (!o->err)
			o->err = err;
		return;
	}
	if (first) {
		puts_(o, "[]");
		return;
	}
	puts_(o, "\n");
	indent(o, level);
	puts_(o, "]");
}

static void put_object(struct out *o, struct json_object *obj, int level)
{
	size_t n = (size_t)json_object_object_length(obj), i = 0;
	const char **keys;

	if (!n) {
		puts_(o, "{}");
		return;
	}
	keys = calloc(n, sizeof(*keys));
	if (!keys) {
		o->failed = true;
		return;
	}
	json_object_object_foreach(obj, key, val)
	{
		(void)val;
		keys[i++] = key;
	}
	qsort(keys, n, sizeof(*keys), cmp_keys);
	puts_(o, "{\n");
	for (i = 0; i < n; i++) {
		indent(o, level + 1);
		put_string(o, keys[i]);
		puts_(o, ": ");
		put_value(o, json_object_object_get(obj, keys[i]), level + 1);
		puts_(o, i + 1 < n ? ",\n" : "\n");
	}
	indent(o, level);
	puts_(o, "}");
	free(keys);
}

static void put_value(struct out *o, struct json_object *v, int level)
{
	char num[32];

	switch (json_object_get_type(v)) {
	case json_type_null:
		puts_(o, "null");
		break;
	case json_type_boolean:
		puts_(o, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%lld", (long long)json_object_get_int64(v));
		puts_(o, num);
		break;
	case json_type_double:
		snprintf(num, sizeof(num), "%.17g", json_object_get_double(v));
		puts_(o, num);
		break;
	case json_type_string:
		put_string(o, json_object_get_string(v));
		break;
	case json_type_object:
		put_object(o, v, level);
		break;
	case json_type_array: {
		struct lio_json_gen *gen = json_object_get_userdata(v);
		size_t n = json_object_array_length(v);

		if (gen) {
			put_generated(o, gen, level);
			break;
		}
		if (!n) {
			puts_(o, "[]");
			break;
		}
		puts_(o, "[\n");
		for (size_t i = 0; i < n; i++) {
			indent(o, level + 1);
			put_value(o, json_object_array_get_idx(v, i), level + 1);
			puts_(o, i + 1 < n ? ",\n" : "\n");
		}
		indent(o, level);
		puts_(o, "]");
		break;
	}
	}
}

int lio_json_format_to(struct json_object *obj, int (*sink)(void *arg, const char *text, size_t len),
		       void *arg)
{
	struct out o = { .sink = sink, .sink_arg = arg };
	int r = 0;

	put_value(&o, obj, 0);
	puts_(&o, "\n");
	if (o.failed)
		r = o.err ? o.err : -ENOMEM;
	else if (o.len)
		r = sink(arg, o.buf, o.len);
	free(o.buf);
	return r;
}

int lio_json_format(struct json_object *obj, char **text)
{
	struct out o = { 0 };

	put_value(&o, obj, 0);
	puts_(&o, "\n");
	if (o.failed) {
		free(o.buf);
		return o.err ? o.err : -ENOMEM;
	}
	*text = o.buf;
	return 0;
}
