/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The D-Bus wire format: see dbus_wire.h. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbus_wire.h"

/* The specification's limits: array data 64 MiB, 32 + 32 nested containers. */
#define MAX_ARRAY (64u << 20)
#define MAX_DEPTH 64

/* ---- writing ----------------------------------------------------------- */

void dbus_buf_free(struct dbus_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static bool grow(struct dbus_buf *b, size_t more)
{
	size_t cap;
	uint8_t *data;

	if (b->failed || more > DBUS_MAX_MESSAGE || b->len + more > DBUS_MAX_MESSAGE) {
		b->failed = true;
		return false;
	}
	if (b->len + more <= b->cap)
		return true;
	for (cap = b->cap ? b->cap : 256; cap < b->len + more; cap *= 2)
		;
	data = realloc(b->data, cap);
	if (!data) {
		b->failed = true;
		return false;
	}
	b->data = data;
	b->cap = cap;
	return true;
}

static void put(struct dbus_buf *b, const void *p, size_t n)
{
	if (n && grow(b, n)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
	}
}

void dbus_put_align(struct dbus_buf *b, size_t n)
{
	size_t pad = (n - b->len % n) % n;

	if (pad && grow(b, pad)) {
		memset(b->data + b->len, 0, pad);
		b->len += pad;
	}
}

void dbus_put_u8(struct dbus_buf *b, uint8_t v)
{
	put(b, &v, 1);
}

void dbus_put_u32(struct dbus_buf *b, uint32_t v)
{
	dbus_put_align(b, 4);
	v = b->big_endian ? htobe32(v) : htole32(v);
	put(b, &v, sizeof(v));
}

void dbus_put_u64(struct dbus_buf *b, uint64_t v)
{
	dbus_put_align(b, 8);
	v = b->big_endian ? htobe64(v) : htole64(v);
	put(b, &v, sizeof(v));
}

void dbus_put_str(struct dbus_buf *b, const char *s)
{
	size_t n = strlen(s);

	dbus_put_u32(b, (uint32_t)n);
	put(b, s, n + 1);
}

void dbus_put_sig(struct dbus_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (n > 255) {
		b->failed = true;
		return;
	}
	dbus_put_u8(b, (uint8_t)n);
	put(b, s, n + 1);
}

struct dbus_array dbus_array_open(struct dbus_buf *b, size_t elem_align)
{
	struct dbus_array a = { 0, 0 };

	dbus_put_u32(b, 0);
	if (b->failed)
		return a;
	a.len_at = b->len - 4;
	/* the padding to the first element is there even when none follows */
	dbus_put_align(b, elem_align);
	a.start = b->len;
	return a;
}

void dbus_array_close(struct dbus_buf *b, struct dbus_array a)
{
	uint32_t n;

	if (b->failed)
		return;
	n = (uint32_t)(b->len - a.start);
	n = b->big_endian ? htobe32(n) : htole32(n);
	memcpy(b->data + a.len_at, &n, sizeof(n));
}

enum {
	FIELD_PATH = 1,
	FIELD_INTERFACE,
	FIELD_MEMBER,
	FIELD_ERROR_NAME,
	FIELD_REPLY_SERIAL,
	FIELD_DESTINATION,
	FIELD_SENDER,
	FIELD_SIGNATURE,
};

static void put_field(struct dbus_buf *b, uint8_t code, const char *type, const char *value)
{
	if (!value)
		return;
	dbus_put_align(b, 8);
	dbus_put_u8(b, code);
	dbus_put_sig(b, type);
	if (*type == 'g')
		dbus_put_sig(b, value);
	else
		dbus_put_str(b, value);
}

int dbus_msg_write(struct dbus_buf *out, enum dbus_msg_type type, uint8_t flags, uint32_t serial,
		   const struct dbus_fields *f, const struct dbus_buf *body)
{
	struct dbus_array fields;

	if (body && (body->failed || body->big_endian != out->big_endian))
		return -EINVAL;
	out->len = 0;
	dbus_put_u8(out, out->big_endian ? 'B' : 'l');
	dbus_put_u8(out, (uint8_t)type);
	dbus_put_u8(out, flags);
	dbus_put_u8(out, 1);
	dbus_put_u32(out, body ? (uint32_t)body->len : 0);
	dbus_put_u32(out, serial);
	fields = dbus_array_open(out, 8);
	put_field(out, FIELD_PATH, "o", f->path);
	put_field(out, FIELD_INTERFACE, "s", f->interface);
	put_field(out, FIELD_MEMBER, "s", f->member);
	put_field(out, FIELD_ERROR_NAME, "s", f->error_name);
	if (f->reply_serial) {
		dbus_put_align(out, 8);
		dbus_put_u8(out, FIELD_REPLY_SERIAL);
		dbus_put_sig(out, "u");
		dbus_put_u32(out, f->reply_serial);
	}
	put_field(out, FIELD_DESTINATION, "s", f->destination);
	put_field(out, FIELD_SENDER, "s", f->sender);
	put_field(out, FIELD_SIGNATURE, "g", f->signature && *f->signature ? f->signature : NULL);
	dbus_array_close(out, fields);
	dbus_put_align(out, 8);
	if (body)
		put(out, body->data, body->len);
	return out->failed ? -ENOMEM : 0;
}

/* ---- signatures -------------------------------------------------------- */

static bool basic(char c)
{
	return c && strchr("ybnqiuxtdhsog", c);
}

/* Just past the single complete type at @s, or NULL. */
static const char *sig_end(const char *s, int depth)
{
	const char *p;

	if (depth > MAX_DEPTH)
		return NULL;
	if (basic(*s) || *s == 'v')
		return s + 1;
	if (s[0] == 'a' && s[1] == '{') {
		if (!basic(s[2]))
			return NULL;
		p = sig_end(s + 3, depth + 1);
		return p && *p == '}' ? p + 1 : NULL;
	}
	if (*s == 'a')
		return sig_end(s + 1, depth + 1);
	if (*s != '(' || s[1] == ')')
		return NULL;
	for (p = s + 1; p && *p && *p != ')';)
		p = sig_end(p, depth + 1);
	return p && *p == ')' ? p + 1 : NULL;
}

bool dbus_sig_single(const char *sig)
{
	const char *end = sig_end(sig, 0);

	return end && !*end;
}

static size_t sig_align(char c)
{
	switch (c) {
	case 'n':
	case 'q':
		return 2;
	case 'b':
	case 'i':
	case 'u':
	case 'h':
	case 's':
	case 'o':
	case 'a':
		return 4;
	case 'x':
	case 't':
	case 'd':
	case '(':
	case '{':
		return 8;
	default: /* y g v */
		return 1;
	}
}

/* ---- reading ----------------------------------------------------------- */

static int need(const struct dbus_reader *r, size_t n)
{
	return r->len - r->pos >= n ? 0 : -EBADMSG;
}

int dbus_get_align(struct dbus_reader *r, size_t n)
{
	size_t pad = (n - r->pos % n) % n;

	if (need(r, pad) < 0)
		return -EBADMSG;
	r->pos += pad;
	return 0;
}

int dbus_get_u8(struct dbus_reader *r, uint8_t *v)
{
	if (need(r, 1) < 0)
		return -EBADMSG;
	*v = r->p[r->pos++];
	return 0;
}

int dbus_get_u32(struct dbus_reader *r, uint32_t *v)
{
	uint32_t x;

	if (dbus_get_align(r, 4) < 0 || need(r, 4) < 0)
		return -EBADMSG;
	memcpy(&x, r->p + r->pos, 4);
	r->pos += 4;
	*v = r->big_endian ? be32toh(x) : le32toh(x);
	return 0;
}

int dbus_get_u64(struct dbus_reader *r, uint64_t *v)
{
	uint64_t x;

	if (dbus_get_align(r, 8) < 0 || need(r, 8) < 0)
		return -EBADMSG;
	memcpy(&x, r->p + r->pos, 8);
	r->pos += 8;
	*v = r->big_endian ? be64toh(x) : le64toh(x);
	return 0;
}

int dbus_get_bool(struct dbus_reader *r, bool *v)
{
	uint32_t x;

	if (dbus_get_u32(r, &x) < 0 || x > 1)
		return -EBADMSG;
	*v = x;
	return 0;
}

/* @n bytes and the NUL after them, none inside. */
static int get_chars(struct dbus_reader *r, size_t n, const char **s)
{
	const char *p = (const char *)r->p + r->pos;

	if (n >= r->len - r->pos || p[n] || memchr(p, 0, n))
		return -EBADMSG;
	*s = p;
	r->pos += n + 1;
	return 0;
}

int dbus_get_str(struct dbus_reader *r, const char **s)
{
	uint32_t n;

	return dbus_get_u32(r, &n) < 0 ? -EBADMSG : get_chars(r, n, s);
}

int dbus_get_sig(struct dbus_reader *r, const char **s)
{
	uint8_t n;

	return dbus_get_u8(r, &n) < 0 ? -EBADMSG : get_chars(r, n, s);
}

int dbus_array_enter(struct dbus_reader *r, size_t elem_align, size_t *end)
{
	uint32_t n;

	if (dbus_get_u32(r, &n) < 0 || n > MAX_ARRAY || dbus_get_align(r, elem_align) < 0 ||
	    need(r, n) < 0)
		return -EBADMSG;
	*end = r->pos + n;
	return 0;
}

/* One value of the (valid) type at *sig; *sig is moved past it. */
static int skip(struct dbus_reader *r, const char **sig, int depth)
{
	const char *s = *sig, *inner;
	uint64_t u64;
	uint32_t u32;
	size_t end;
	bool b;
	int rc;

	if (depth > MAX_DEPTH)
		return -EBADMSG;
	switch (*s) {
	case 'y':
		rc = dbus_get_u8(r, &(uint8_t){ 0 });
		break;
	case 'n':
	case 'q':
		rc = dbus_get_align(r, 2) < 0 || need(r, 2) < 0 ? -EBADMSG : 0;
		r->pos += rc ? 0 : 2;
		break;
	case 'b':
		rc = dbus_get_bool(r, &b);
		break;
	case 'i':
	case 'u':
	case 'h':
		rc = dbus_get_u32(r, &u32);
		break;
	case 'x':
	case 't':
	case 'd':
		rc = dbus_get_u64(r, &u64);
		break;
	case 's':
	case 'o':
		rc = dbus_get_str(r, &inner);
		break;
	case 'g':
		rc = dbus_get_sig(r, &inner);
		break;
	case 'v':
		rc = dbus_get_sig(r, &inner);
		if (rc == 0)
			rc = dbus_sig_single(inner) ? skip(r, &inner, depth + 1) : -EBADMSG;
		break;
	case 'a':
		/* an array is stepped over by its length, its elements unread */
		rc = dbus_array_enter(r, sig_align(s[1]), &end);
		if (rc == 0)
			r->pos = end;
		*sig = sig_end(s, 0);
		return rc;
	case '(':
		rc = dbus_get_align(r, 8);
		for (s++; rc == 0 && *s != ')';)
			rc = skip(r, &s, depth + 1);
		break;
	default:
		return -EBADMSG;
	}
	*sig = s + 1;
	return rc;
}

int dbus_skip(struct dbus_reader *r, const char *sig)
{
	return dbus_sig_single(sig) ? skip(r, &sig, 0) : -EBADMSG;
}

/* ---- messages ---------------------------------------------------------- */

int dbus_msg_size(const uint8_t *p, size_t len, size_t *size)
{
	struct dbus_reader r = { p, len, 4, p && len && p[0] == 'B' };
	uint32_t body, fields;
	uint64_t total;

	if (len < 16)
		return -EAGAIN;
	if ((p[0] != 'l' && p[0] != 'B') || p[3] != 1)
		return -EBADMSG;
	dbus_get_u32(&r, &body);
	r.pos = 12;
	dbus_get_u32(&r, &fields);
	total = ((16 + (uint64_t)fields + 7) & ~(uint64_t)7) + body;
	if (total > DBUS_MAX_MESSAGE)
		return -EBADMSG;
	*size = (size_t)total;
	return 0;
}

/* One header field's value, of the type @want. */
static int get_field(struct dbus_reader *r, const char *type, const char *want, const char **s)
{
	if (strcmp(type, want))
		return -EBADMSG;
	return *want == 'g' ? dbus_get_sig(r, s) : dbus_get_str(r, s);
}

int dbus_msg_parse(const uint8_t *p, size_t len, struct dbus_msg *m)
{
	struct dbus_reader r = { p, len, 1, len && p[0] == 'B' };
	const char *type;
	size_t size, end;
	uint8_t code;
	int rc;

	memset(m, 0, sizeof(*m));
	m->error_name = m->sender = m->signature = "";
	if (dbus_msg_size(p, len, &size) < 0 || size != len)
		return -EBADMSG;
	dbus_get_u8(&r, &m->type);
	dbus_get_u8(&r, &m->flags);
	r.pos = 8;
	dbus_get_u32(&r, &m->serial);
	if (!m->type || !m->serial || dbus_array_enter(&r, 8, &end) < 0)
		return -EBADMSG;
	r.len = end; /* the fields must end where their array does */
	while (r.pos < end) {
		rc = dbus_get_align(&r, 8);
		if (rc == 0)
			rc = dbus_get_u8(&r, &code);
		if (rc == 0)
			rc = dbus_get_sig(&r, &type);
		if (rc == 0 && !dbus_sig_single(type))
			rc = -EBADMSG;
		if (rc < 0)
			return rc;
		switch (code) {
		case FIELD_ERROR_NAME:
			rc = get_field(&r, type, "s", &m->error_name);
			break;
		case FIELD_REPLY_SERIAL:
			rc = strcmp(type, "u") ? -EBADMSG : dbus_get_u32(&r, &m->reply_serial);
			break;
		case FIELD_SENDER:
			rc = get_field(&r, type, "s", &m->sender);
			break;
		case FIELD_SIGNATURE:
			rc = get_field(&r, type, "g", &m->signature);
			break;
		default:
			rc = dbus_skip(&r, type);
		}
		if (rc < 0)
			return rc;
	}
	r.len = len;
	if (dbus_get_align(&r, 8) < 0)
		return -EBADMSG;
	if ((m->type == DBUS_METHOD_RETURN || m->type == DBUS_ERROR) && !m->reply_serial)
		return -EBADMSG;
	if (m->type == DBUS_ERROR && !*m->error_name)
		return -EBADMSG;
	m->body = (struct dbus_reader){ p + r.pos, len - r.pos, 0, r.big_endian };
	return 0;
}
