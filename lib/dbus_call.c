/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One method call on the system bus, on a connection of its own.
 *
 * targetcli and targetctl are linked statically for their start-up time,
 * and no D-Bus library can join them there: libsystemd ships no archive,
 * libdbus's archive needs libsystemd, and loading either at run time cost
 * every `ls` about 20 ms under emulation. A call needs only a few messages,
 * so they are spoken here: the EXTERNAL authentication, BEGIN, Hello and
 * the call go out in one write (the specification lets a client pipeline
 * them after AUTH) and the answers are read back, one round trip to the bus
 * instead of four.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dbus_call.h"
#include "private.h"

#define BUS_NAME "org.freedesktop.DBus"
#define BUS_PATH "/org/freedesktop/DBus"
#define HELLO_SERIAL 1
#define CALL_SERIAL 2
/* The longest authentication line accepted ("OK <guid>" is 35 bytes). */
#define MAX_AUTH_LINE 512

static int fail(char *why, size_t whylen, int err, const char *fmt, const char *arg)
{
	snprintf(why, whylen, fmt, arg);
	return err;
}

/* A %XX-escaped address value of @n bytes into @out. */
static int unescape(const char *v, size_t n, char *out, size_t outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)v[i];

		if (c == '%') {
			if (i + 2 >= n || lio_hex_digit(v[i + 1]) < 0 || lio_hex_digit(v[i + 2]) < 0)
				return -EINVAL;
			c = lio_hex_digit(v[i + 1]) * 16 + lio_hex_digit(v[i + 2]);
			i += 2;
		}
		if (k + 1 >= outlen)
			return -ENAMETOOLONG;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return (int)k;
}

/*
 * One "unix:" entry of an address list (its keys after the colon, up to
 * @end) as a socket address: path= or abstract=. -EAFNOSUPPORT for any
 * other transport or an entry with neither.
 */
static int unix_address(const char *entry, const char *end, struct sockaddr_un *sa,
			socklen_t *salen)
{
	const char *p;

	if ((size_t)(end - entry) < 5 || strncmp(entry, "unix:", 5))
		return -EAFNOSUPPORT;
	for (p = entry + 5; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		bool abstract = !strncmp(p, "abstract=", 9) && p + 9 <= stop;
		size_t skip = abstract ? 9 : 5;
		int n;

		if (abstract || (!strncmp(p, "path=", 5) && p + 5 <= stop)) {
			memset(sa, 0, sizeof(*sa));
			sa->sun_family = AF_UNIX;
			n = unescape(p + skip, (size_t)(stop - p - skip), sa->sun_path + abstract,
				     sizeof(sa->sun_path) - abstract);
			if (n < 0)
				return n;
			*salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + abstract + (size_t)n +
					     !abstract);
			return 0;
		}
		p = comma ? comma + 1 : end;
	}
	return -EAFNOSUPPORT;
}

/* Connect to the first entry of the system bus's address that answers. */
static int bus_connect(int *fd, char *why, size_t whylen)
{
	const char *addr = getenv("DBUS_SYSTEM_BUS_ADDRESS");
	int err = -EAFNOSUPPORT;

	if (!addr || !*addr)
		addr = DBUS_SYSTEM_BUS_DEFAULT;
	for (const char *p = addr; *p;) {
		const char *semi = strchr(p, ';');
		const char *end = semi ? semi : p + strlen(p);
		struct sockaddr_un sa;
		socklen_t salen;

		if (unix_address(p, end, &sa, &salen) == 0) {
			*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (*fd < 0)
				return fail(why, whylen, -errno, "cannot connect to the system bus: %s",
					    strerror(errno));
			if (connect(*fd, (struct sockaddr *)&sa, salen) == 0)
				return 0;
			err = -errno;
			close(*fd);
		}
		p = semi ? semi + 1 : end;
	}
	if (err == -EAFNOSUPPORT)
		return fail(why, whylen, err, "cannot connect to the system bus: no unix: address in '%s'",
			    addr);
	return fail(why, whylen, err, "cannot connect to the system bus: %s", strerror(-err));
}

/* The authentication, Hello and the call, as one buffer. */
static int request(const struct dbus_call *c, struct dbus_buf *out)
{
	static const struct dbus_fields hello = {
		.path = BUS_PATH, .interface = BUS_NAME, .member = "Hello", .destination = BUS_NAME,
	};
	const struct dbus_fields call = {
		.path = c->path, .interface = c->interface, .member = c->member,
		.destination = c->destination, .signature = c->signature,
	};
	struct dbus_buf msg = { 0 };
	char uid[16], line[64];
	int n, r;

	/* EXTERNAL: the bus checks the claimed uid (hex of its digits) on the socket */
	snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
	n = snprintf(line, sizeof(line), "%cAUTH EXTERNAL ", 0);
	for (const char *d = uid; *d; d++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x", (unsigned char)*d);
	n += snprintf(line + n, sizeof(line) - (size_t)n, "\r\nBEGIN\r\n");
	for (int i = 0; i < n; i++)
		dbus_put_u8(out, (uint8_t)line[i]);
	r = dbus_msg_write(&msg, DBUS_METHOD_CALL, 0, HELLO_SERIAL, &hello, NULL);
	for (size_t i = 0; r == 0 && i < msg.len; i++)
		dbus_put_u8(out, msg.data[i]);
	if (r == 0)
		r = dbus_msg_write(&msg, DBUS_METHOD_CALL, 0, CALL_SERIAL, &call, c->body);
	for (size_t i = 0; r == 0 && i < msg.len; i++)
		dbus_put_u8(out, msg.data[i]);
	dbus_buf_free(&msg);
	return r < 0 ? r : out->failed ? -ENOMEM : 0;
}

static int send_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct input {
	uint8_t *data;
	size_t len, cap, off; /* off: where the unconsumed bytes start */
};

/* Read at least one more byte before @deadline. */
static int read_more(int fd, struct input *in, size_t want, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (in->cap - in->len < want) {
		size_t cap = in->cap ? in->cap : 4096;
		uint8_t *data;

		while (cap - in->len < want)
			cap *= 2;
		data = realloc(in->data, cap);
		if (!data)
			return -ENOMEM;
		in->data = data;
		in->cap = cap;
	}
	for (;;) {
		long long left = deadline - now_ms();
		int r = poll(&p, 1, left > 0 ? (int)left : 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, in->data + in->len, in->cap - in->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		in->len += (size_t)n;
		return 0;
	}
}

/* The server's answer to AUTH: "OK <guid>" or a refusal. 1 when read, 0 for more. */
static int auth_answer(struct input *in, char *why, size_t whylen)
{
	const uint8_t *p = in->data + in->off;
	size_t avail = in->len - in->off;

	for (size_t i = 0; i + 1 < avail; i++) {
		if (p[i] != '\r' || p[i + 1] != '\n')
			continue;
		if (i < 3 || memcmp(p, "OK ", 3))
			return fail(why, whylen, -EACCES, "%s",
				    "the system bus refused to authenticate this process");
		in->off += i + 2;
		return 1;
	}
	if (avail > MAX_AUTH_LINE)
		return fail(why, whylen, -EBADMSG, "%s", "the system bus does not speak D-Bus");
	return 0;
}

/* An error reply's message: its first argument when that is a string, else its name. */
static void error_text(struct dbus_msg *m, char *why, size_t whylen)
{
	struct dbus_reader body = m->body;
	const char *msg;

	if (m->signature[0] == 's' && dbus_get_str(&body, &msg) == 0)
		snprintf(why, whylen, "%s", msg);
	else
		snprintf(why, whylen, "%s", m->error_name);
}

/*
 * The complete message at in->off: 1 when it answers the call (kept in
 * @reply), 0 when it is something else, or an error (the call's or
 * Hello's D-Bus error, or a message that cannot be read).
 */
static int take(struct input *in, size_t size, struct dbus_reply *reply, char *why, size_t whylen)
{
	struct dbus_msg m;

	if (dbus_msg_parse(in->data + in->off, size, &m) < 0)
		return fail(why, whylen, -EBADMSG, "%s", "unreadable message from the system bus");
	in->off += size;
	/* signals (NameAcquired), Hello's return and the like are not for us */
	if ((m.type != DBUS_METHOD_RETURN && m.type != DBUS_ERROR) ||
	    (m.reply_serial != HELLO_SERIAL && m.reply_serial != CALL_SERIAL))
		return 0;
	if (m.type == DBUS_ERROR) {
		error_text(&m, why, whylen);
		return -EREMOTEIO;
	}
	if (m.reply_serial != CALL_SERIAL)
		return 0;
	reply->msg = m;
	return 1;
}

/* Read until the call's answer has come (1) or it cannot (an error). */
static int receive(int fd, long long deadline, int timeout_ms, struct input *in,
		   struct dbus_reply *reply, char *why, size_t whylen)
{
	bool authenticated = false;
	size_t size, want;
	int r;

	for (;;) {
		if (!authenticated) {
			r = auth_answer(in, why, whylen);
			if (r != 0) {
				if (r < 0)
					return r;
				authenticated = true;
				continue;
			}
			want = 1;
		} else {
			r = dbus_msg_size(in->data + in->off, in->len - in->off, &size);
			if (r == -EBADMSG)
				return fail(why, whylen, r, "%s", "unreadable message from the system bus");
			if (r == 0 && in->len - in->off >= size) {
				r = take(in, size, reply, why, whylen);
				if (r != 0)
					return r;
				continue;
			}
			want = r == 0 ? size - (in->len - in->off) : 16 - (in->len - in->off);
		}
		r = read_more(fd, in, want < 4096 ? 4096 : want, deadline);
		if (r == -ETIMEDOUT) {
			snprintf(why, whylen, "no answer within %d s", timeout_ms / 1000);
			return r;
		}
		if (r == -ECONNRESET)
			return fail(why, whylen, r, "%s", "the system bus closed the connection");
		if (r < 0)
			return fail(why, whylen, r, "%s", strerror(-r));
	}
}

int dbus_call(const struct dbus_call *c, struct dbus_reply *reply, char *why, size_t whylen)
{
	long long deadline = now_ms() + c->timeout_ms;
	struct dbus_buf out = { 0 };
	struct input in = { 0 };
	int fd = -1, r;

	memset(reply, 0, sizeof(*reply));
	*why = '\0';
	r = request(c, &out);
	if (r < 0) {
		dbus_buf_free(&out);
		return fail(why, whylen, r, "%s", strerror(-r));
	}
	r = bus_connect(&fd, why, whylen);
	if (r == 0 && (r = send_all(fd, out.data, out.len)) < 0)
		r = fail(why, whylen, r, "cannot write to the system bus: %s", strerror(-r));
	dbus_buf_free(&out);
	if (r == 0)
		r = receive(fd, deadline, c->timeout_ms, &in, reply, why, whylen);
	if (fd >= 0)
		close(fd);
	if (r == 1) {
		reply->buf = in.data;
		return 0;
	}
	free(in.data);
	return r;
}

void dbus_reply_free(struct dbus_reply *reply)
{
	free(reply->buf);
	reply->buf = NULL;
}
