/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The D-Bus wire format (the specification's "Message Protocol"), as far
 * as liblio's calls to tcmu-runner need it: writing a message with basic
 * arguments, arrays, dict entries and variants, and reading any message
 * back by its signature. No I/O here (dbus_call.c does that). Internal to
 * liblio.
 *
 * Alignment is counted from the start of the buffer or reader, which is
 * the start of a message or of its body: the header is padded to 8 bytes,
 * so both agree.
 */
#ifndef LIO_DBUS_WIRE_H
#define LIO_DBUS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dbus_msg_type {
	DBUS_METHOD_CALL = 1,
	DBUS_METHOD_RETURN = 2,
	DBUS_ERROR = 3,
	DBUS_SIGNAL = 4,
};

/* The largest message read; the specification allows 128 MiB. */
#define DBUS_MAX_MESSAGE (16u << 20)

/* ---- writing ----------------------------------------------------------- */

/*
 * A growing buffer. An allocation failure or a string no message may hold
 * sets @failed and stops further writes; check it once at the end.
 */
struct dbus_buf {
	uint8_t *data;
	size_t len, cap;
	bool big_endian; /* write 'B' messages (the tests' other byte order) */
	bool failed;
};

void dbus_buf_free(struct dbus_buf *b);
void dbus_put_u8(struct dbus_buf *b, uint8_t v);
void dbus_put_u32(struct dbus_buf *b, uint32_t v);
void dbus_put_u64(struct dbus_buf *b, uint64_t v);
/* 's' and 'o' */
void dbus_put_str(struct dbus_buf *b, const char *s);
/* 'g' */
void dbus_put_sig(struct dbus_buf *b, const char *s);
/* Zero bytes up to a multiple of @n (8 before a struct or dict entry). */
void dbus_put_align(struct dbus_buf *b, size_t n);

/* An array being written: dbus_array_close() fills in its length. */
struct dbus_array {
	size_t len_at, start;
};
struct dbus_array dbus_array_open(struct dbus_buf *b, size_t elem_align);
void dbus_array_close(struct dbus_buf *b, struct dbus_array a);

/* The header fields a message carries; NULL or 0 for those it lacks. */
struct dbus_fields {
	const char *path, *interface, *member, *error_name, *destination, *sender;
	const char *signature; /* of @body; NULL or "" for none */
	uint32_t reply_serial;
};

/*
 * A whole message into @out (empty): header, @fields and @body (NULL for
 * none, else written with the same byte order). 0 or -ENOMEM / -EINVAL.
 */
int dbus_msg_write(struct dbus_buf *out, enum dbus_msg_type type, uint8_t flags, uint32_t serial,
		   const struct dbus_fields *fields, const struct dbus_buf *body);

/* ---- reading ----------------------------------------------------------- */

/* Every read checks its bounds; a value that does not fit is -EBADMSG. */
struct dbus_reader {
	const uint8_t *p;
	size_t len, pos;
	bool big_endian;
};

int dbus_get_align(struct dbus_reader *r, size_t n);
int dbus_get_u8(struct dbus_reader *r, uint8_t *v);
int dbus_get_u32(struct dbus_reader *r, uint32_t *v);
int dbus_get_u64(struct dbus_reader *r, uint64_t *v);
/* 's' and 'o': *s points into the message, NUL-terminated. */
int dbus_get_str(struct dbus_reader *r, const char **s);
/* 'g' */
int dbus_get_sig(struct dbus_reader *r, const char **s);
/* 'b': a u32 that must be 0 or 1 */
int dbus_get_bool(struct dbus_reader *r, bool *v);
/*
 * An array's length and padding: its elements then run from r->pos to
 * *end (each element read with its own alignment).
 */
int dbus_array_enter(struct dbus_reader *r, size_t elem_align, size_t *end);
/* Step over one value of the single complete type @sig. */
int dbus_skip(struct dbus_reader *r, const char *sig);

/* Whether @sig is exactly one complete type (a variant's signature). */
bool dbus_sig_single(const char *sig);

struct dbus_msg {
	uint8_t type, flags;
	uint32_t serial, reply_serial;
	const char *error_name, *sender, *signature; /* "" when absent */
	struct dbus_reader body;
};

/*
 * How long the message at @p is, from its first 16 bytes: 0 and *size
 * set, -EAGAIN when fewer than 16 bytes are there, -EBADMSG when they
 * are no message header or announce more than DBUS_MAX_MESSAGE.
 */
int dbus_msg_size(const uint8_t *p, size_t len, size_t *size);
/* Parse a whole message of @len bytes; @m points into @p. */
int dbus_msg_parse(const uint8_t *p, size_t len, struct dbus_msg *m);

#endif
