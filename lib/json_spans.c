/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The scan reads the file once, sequentially, through a small buffer: the
 * file's text is never held whole, and only the spans of indexed elements
 * (16 bytes each, plus the index of the few objects that hold indexed
 * arrays) are kept.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_spans.h"

/* json-c's default nesting limit (JSON_TOKENER_DEFAULT_DEPTH). */
#define MAX_DEPTH 32

struct jspan_doc {
	int fd;
	char *path;
	struct stat st; /* at the scan: a later parse refuses a changed file */
	struct jspan_node top;
	char *buf; /* reused by each parse */
	size_t cap;
};

struct scan {
	struct lio_ctx *ctx;
	const char *path;
	int fd;
	size_t len, pos;
	uint64_t base; /* file offset of buf[0] */
	unsigned line;
	int depth;
	int err; /* the first error */
	char buf[65536];
};

static int fail(struct scan *s, const char *why)
{
	if (!s->err)
		s->err = lio_err(s->ctx, -EINVAL, "%s is not valid JSON: %s at line %u", s->path, why,
				 s->line);
	return s->err;
}

static int fail_tok(struct scan *s, enum json_tokener_error e)
{
	return fail(s, json_tokener_error_desc(e));
}

/* The error for @c where something else was wanted: end of data if @c is EOF. */
static int fail_at(struct scan *s, int c, enum json_tokener_error e)
{
	return fail_tok(s, c < 0 ? json_tokener_error_parse_eof : e);
}

/* The next byte, not consumed; -1 at the end or on a read error (s->err). */
static int peek(struct scan *s)
{
	if (s->pos == s->len) {
		ssize_t n;

		if (s->err)
			return -1;
		s->base += s->len;
		s->pos = s->len = 0;
		do
			n = read(s->fd, s->buf, sizeof(s->buf));
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			int e = errno;

			s->err = lio_err(s->ctx, -e, "Cannot read %s: %s", s->path, strerror(e));
			return -1;
		}
		s->len = (size_t)n;
		if (!n)
			return -1;
	}
	return (unsigned char)s->buf[s->pos];
}

static void advance(struct scan *s)
{
	if (s->buf[s->pos++] == '\n')
		s->line++;
}

static int next(struct scan *s)
{
	int c = peek(s);

	if (c >= 0)
		advance(s);
	return c;
}

static uint64_t here(const struct scan *s)
{
	return s->base + s->pos;
}

/* Skip white space and comments; the next byte, or -1. */
static int skip_ws(struct scan *s)
{
	for (;;) {
		int c = peek(s);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			advance(s);
			continue;
		}
		if (c != '/')
			return c;
		advance(s);
		c = next(s);
		if (c == '*') {
			int prev = 0;

			while ((c = next(s)) >= 0 && !(prev == '*' && c == '/'))
				prev = c;
		} else if (c == '/') {
			while ((c = next(s)) >= 0 && c != '\n')
				;
			if (c < 0 && !s->err)
				continue; /* the end of the file ends a line comment */
		} else {
			c = -1;
		}
		if (c < 0) {
			fail_tok(s, json_tokener_error_parse_comment);
			return -1;
		}
	}
}

/*
 * A quoted string. With @key, its text as far as matching member names
 * needs: escapes decoded, anything outside ASCII (and NUL) as 0x80, which
 * no indexed member name has.
 */
static int scan_string(struct scan *s, char *key, size_t keylen)
{
	int q = next(s), c;
	size_t k = 0;

	while ((c = next(s)) != q) {
		if (c < 0)
			return fail_at(s, c, json_tokener_error_parse_eof);
		if (c == '\\') {
			unsigned v = 0;

			switch (c = next(s)) {
			case '"': case '\\': case '/':
				break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				for (int i = 0; i < 4; i++) {
					int d = lio_hex_digit(c = next(s));

					if (d < 0)
						return fail_at(s, c, json_tokener_error_parse_string);
					v = v * 16 + (unsigned)d;
				}
				c = v && v < 0x80 ? (int)v : 0x80;
				break;
			default:
				return fail_at(s, c, json_tokener_error_parse_string);
			}
		} else if (c >= 0x80) {
			c = 0x80;
		}
		if (key && k + 1 < keylen)
			key[k++] = (char)c;
	}
	if (key)
		key[k] = '\0';
	return 0;
}

static bool ends_token(int c)
{
	return c <= 0 || strchr(" \t\n\r\f\v,:[]{}\"'/", c);
}

static bool plain_number(const char *t)
{
	if (*t == '-')
		t++;
	if (*t < '0' || *t > '9')
		return false;
	while (*t >= '0' && *t <= '9')
		t++;
	if (*t == '.') {
		if (*++t < '0' || *t > '9')
			return false;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	if (*t == 'e' || *t == 'E') {
		t++;
		if (*t == '+' || *t == '-')
			t++;
		if (*t < '0' || *t > '9')
			return false;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	return !*t;
}

/* A bare word: a number or a literal; what json-c takes beyond JSON's own
 * (NaN, TRUE, ...) is left to json-c to judge. */
static int scan_token(struct scan *s)
{
	enum json_tokener_error e;
	struct json_tokener *tok;
	struct json_object *v;
	char word[64];
	size_t n = 0, used;

	word[n++] = '[';
	while (!ends_token(peek(s))) {
		if (n + 2 >= sizeof(word))
			return fail_tok(s, json_tokener_error_parse_unexpected);
		word[n++] = (char)next(s);
	}
	if (s->err)
		return s->err;
	word[n] = '\0';
	if (n == 1)
		return fail_at(s, peek(s), json_tokener_error_parse_unexpected);
	if (!strcmp(word + 1, "true") || !strcmp(word + 1, "false") || !strcmp(word + 1, "null") ||
	    plain_number(word + 1))
		return 0;
	tok = json_tokener_new();
	if (!tok)
		return s->err = lio_err(s->ctx, -ENOMEM, "Out of memory");
	/* In an array, as in the file: json-c then words its complaint as it
	 * would about the whole file ("boolean expected", "number expected"). */
	memcpy(word + n, "]", 2);
	v = json_tokener_parse_ex(tok, word, (int)n + 2);
	e = json_tokener_get_error(tok);
	used = tok->char_offset;
	json_tokener_free(tok);
	json_object_put(v);
	if (e != json_tokener_success)
		return fail_tok(s, e);
	if (used < n + 1)
		return fail_tok(s, json_tokener_error_parse_unexpected);
	return 0;
}

static void node_free(struct jspan_node *node);

static void list_reset(struct jspan_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		node_free(&l->items[i]);
	free(l->items);
	*l = (struct jspan_list){ 0 };
}

static void node_free(struct jspan_node *node)
{
	struct jspan_obj *o = node->obj;

	if (!o)
		return;
	for (size_t k = 0; k < o->kind->nkeys; k++)
		list_reset(&o->lists[k]);
	free(o->lists);
	free(o->cuts);
	free(o);
	node->obj = NULL;
}

static int scan_value(struct scan *s, const struct jspan_kind *kind, struct jspan_node *node);

static int enter(struct scan *s)
{
	advance(s);
	return ++s->depth > MAX_DEPTH ? fail_tok(s, json_tokener_error_depth) : 0;
}

/* An array; its elements' spans into @list when there is one. */
static int scan_array(struct scan *s, const struct jspan_kind *kind, struct jspan_list *list)
{
	int c, r = enter(s);

	if (r < 0)
		return r;
	c = skip_ws(s);
	while (c != ']') {
		struct jspan_node scratch = { 0 }, *item = &scratch;

		if (list) {
			if (list->n == list->cap) {
				size_t cap = list->cap ? list->cap * 2 : 16;
				struct jspan_node *n = realloc(list->items, cap * sizeof(*n));

				if (!n)
					return s->err = lio_err(s->ctx, -ENOMEM, "Out of memory");
				list->items = n;
				list->cap = cap;
			}
			item = &list->items[list->n++];
			*item = (struct jspan_node){ 0 };
		}
		r = scan_value(s, kind, item);
		if (!list)
			node_free(item);
		if (r < 0)
			return r;
		c = skip_ws(s);
		if (c == ',') {
			advance(s);
			c = skip_ws(s); /* json-c takes a trailing comma */
		} else if (c != ']') {
			return fail_at(s, c, json_tokener_error_parse_array);
		}
	}
	advance(s);
	s->depth--;
	return 0;
}

static int add_cut(struct scan *s, struct jspan_obj *o, uint64_t start, uint64_t end)
{
	struct jspan_cut *n = realloc(o->cuts, (o->ncuts + 1) * sizeof(*n));

	if (!n)
		return s->err = lio_err(s->ctx, -ENOMEM, "Out of memory");
	o->cuts = n;
	o->cuts[o->ncuts++] = (struct jspan_cut){ start, end };
	return 0;
}

static int key_index(const struct jspan_kind *kind, const char *key)
{
	for (size_t k = 0; kind && k < kind->nkeys; k++)
		if (!strcmp(kind->keys[k], key))
			return (int)k;
	return -1;
}

/* A member's value: indexed (a list of @o's kind) or skipped. */
static int scan_member(struct scan *s, struct jspan_obj *o, int k)
{
	struct jspan_node skipped = { 0 };
	struct jspan_list *l;
	uint64_t start;
	int r;

	if (k < 0)
		return scan_value(s, NULL, &skipped);
	/* json-c keeps the last of duplicate members: so does the index. */
	l = &o->lists[k];
	list_reset(l);
	if (skip_ws(s) != '[')
		return scan_value(s, NULL, &skipped);
	start = here(s);
	l->is_array = true;
	r = scan_array(s, o->kind->items[k], l);
	return r < 0 ? r : add_cut(s, o, start, here(s));
}

static int scan_object(struct scan *s, const struct jspan_kind *kind, struct jspan_node *node)
{
	struct jspan_obj *o = NULL;
	int c, r = enter(s);

	if (r < 0)
		return r;
	if (kind && kind->nkeys) {
		o = node->obj = calloc(1, sizeof(*o));
		if (o)
			o->lists = calloc(kind->nkeys, sizeof(*o->lists));
		if (!o || !o->lists)
			return s->err = lio_err(s->ctx, -ENOMEM, "Out of memory");
		o->kind = kind;
	}
	c = skip_ws(s);
	while (c != '}') {
		char key[64];

		if (c != '"' && c != '\'')
			return fail_at(s, c, json_tokener_error_parse_object_key_name);
		r = scan_string(s, key, sizeof(key));
		if (r < 0)
			return r;
		c = skip_ws(s);
		if (c != ':')
			return fail_at(s, c, json_tokener_error_parse_object_key_sep);
		advance(s);
		r = scan_member(s, o, o ? key_index(kind, key) : -1);
		if (r < 0)
			return r;
		c = skip_ws(s);
		if (c == ',') {
			advance(s);
			c = skip_ws(s); /* json-c takes a trailing comma */
		} else if (c != '}') {
			return fail_at(s, c, json_tokener_error_parse_object_value_sep);
		}
	}
	advance(s);
	s->depth--;
	return 0;
}

static int scan_value(struct scan *s, const struct jspan_kind *kind, struct jspan_node *node)
{
	int c = skip_ws(s), r;

	node->start = here(s);
	if (c == '{')
		r = scan_object(s, kind, node);
	else if (c == '[')
		r = scan_array(s, NULL, NULL);
	else if (c == '"' || c == '\'')
		r = scan_string(s, NULL, 0);
	else if (c < 0)
		r = fail_at(s, c, json_tokener_error_parse_eof);
	else
		r = scan_token(s);
	node->end = here(s);
	return r;
}

static int open_file(struct lio_ctx *ctx, const char *path, int *fd, struct stat *st)
{
	int e;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd >= 0 && fstat(*fd, st) == 0)
		return 0;
	e = errno;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	if (e == ENOENT)
		return lio_err(ctx, -ENOENT, "Restore file %s not found", path);
	return lio_err(ctx, -e, "Cannot open %s: %s", path, strerror(e));
}

int jspan_open(struct lio_ctx *ctx, const char *path, const struct jspan_kind *top,
	       struct jspan_doc **out)
{
	struct jspan_doc *doc = calloc(1, sizeof(*doc));
	struct scan *s = calloc(1, sizeof(*s));
	int r;

	*out = NULL;
	if (!doc || !s || !(doc->path = strdup(path))) {
		free(s);
		free(doc);
		return lio_err(ctx, -ENOMEM, "Out of memory");
	}
	r = open_file(ctx, path, &doc->fd, &doc->st);
	if (r < 0) {
		free(s);
		free(doc->path);
		free(doc);
		return r;
	}
	*s = (struct scan){ .ctx = ctx, .path = path, .fd = doc->fd, .line = 1 };
	if (doc->st.st_size == 0) {
		r = fail(s, "empty file");
	} else {
		r = scan_value(s, top, &doc->top);
		/* json-c would stop at the value's end; data after it is a damaged file. */
		if (r == 0 && skip_ws(s) >= 0)
			r = fail(s, "data after the end of the JSON value");
		if (r == 0)
			r = s->err;
	}
	free(s);
	if (r < 0) {
		jspan_close(doc);
		return r;
	}
	*out = doc;
	return 0;
}

void jspan_close(struct jspan_doc *doc)
{
	if (!doc)
		return;
	node_free(&doc->top);
	if (doc->fd >= 0)
		close(doc->fd);
	free(doc->buf);
	free(doc->path);
	free(doc);
}

const struct jspan_node *jspan_top(const struct jspan_doc *doc)
{
	return &doc->top;
}

const struct jspan_list *jspan_list(const struct jspan_node *node, const char *key)
{
	int k = node->obj ? key_index(node->obj->kind, key) : -1;

	return k < 0 ? NULL : &node->obj->lists[k];
}

static int read_at(struct lio_ctx *ctx, struct jspan_doc *doc, char *to, uint64_t off, size_t len)
{
	while (len) {
		ssize_t n = pread(doc->fd, to, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			return lio_err(ctx, -e, "Cannot read %s: %s", doc->path, strerror(e));
		}
		if (n == 0)
			return lio_err(ctx, -ESTALE, "%s changed while it was being restored",
				       doc->path);
		to += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* The line of file offset @off, for a message. */
static unsigned line_of(struct jspan_doc *doc, uint64_t off)
{
	char chunk[8192];
	unsigned line = 1;

	for (uint64_t at = 0; at < off;) {
		size_t want = off - at < sizeof(chunk) ? (size_t)(off - at) : sizeof(chunk);
		ssize_t n = pread(doc->fd, chunk, want, (off_t)at);

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			line += chunk[i] == '\n';
		at += (uint64_t)n;
	}
	return line;
}

/* The file offset of offset @t of @node's text as parsed (cuts as "[]"). */
static uint64_t file_offset(const struct jspan_node *node, size_t t)
{
	uint64_t pos = node->start;
	size_t ncuts = node->obj ? node->obj->ncuts : 0;

	for (size_t i = 0; i < ncuts; i++) {
		const struct jspan_cut *c = &node->obj->cuts[i];
		size_t piece = (size_t)(c->start - pos);

		if (t < piece + 2)
			return pos + (t < piece ? t : piece);
		t -= piece + 2;
		pos = c->end;
	}
	return pos + t;
}

int jspan_parse(struct lio_ctx *ctx, struct jspan_doc *doc, const struct jspan_node *node,
		struct json_object **out)
{
	size_t ncuts = node->obj ? node->obj->ncuts : 0, len = 0, at = 0;
	enum json_tokener_error e;
	struct json_tokener *tok;
	struct json_object *v;
	uint64_t pos = node->start;
	struct stat st;
	int r;

	*out = NULL;
	if (fstat(doc->fd, &st) < 0 || st.st_size != doc->st.st_size ||
	    st.st_mtim.tv_sec != doc->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != doc->st.st_mtim.tv_nsec)
		return lio_err(ctx, -ESTALE, "%s changed while it was being restored", doc->path);
	len = (size_t)(node->end - node->start);
	for (size_t i = 0; i < ncuts; i++)
		len -= (size_t)(node->obj->cuts[i].end - node->obj->cuts[i].start) - 2;
	if (len >= INT_MAX)
		return lio_err(ctx, -EFBIG, "%s: an element of %zu bytes is too big", doc->path, len);
	if (len + 1 > doc->cap) {
		char *n = realloc(doc->buf, len + 1);

		if (!n)
			return lio_err(ctx, -ENOMEM, "Out of memory");
		doc->buf = n;
		doc->cap = len + 1;
	}
	for (size_t i = 0; i <= ncuts; i++) {
		uint64_t end = i < ncuts ? node->obj->cuts[i].start : node->end;

		r = read_at(ctx, doc, doc->buf + at, pos, (size_t)(end - pos));
		if (r < 0)
			return r;
		at += (size_t)(end - pos);
		if (i < ncuts) {
			memcpy(doc->buf + at, "[]", 2);
			at += 2;
			pos = node->obj->cuts[i].end;
		}
	}
	doc->buf[len] = '\0';
	tok = json_tokener_new();
	if (!tok)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	v = json_tokener_parse_ex(tok, doc->buf, (int)len + 1);
	e = json_tokener_get_error(tok);
	at = tok->char_offset;
	json_tokener_free(tok);
	if (e != json_tokener_success) {
		json_object_put(v);
		return lio_err(ctx, -EINVAL, "%s is not valid JSON: %s at line %u", doc->path,
			       json_tokener_error_desc(e), line_of(doc, file_offset(node, at)));
	}
	*out = v;
	return 0;
}
