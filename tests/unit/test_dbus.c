// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * liblio's own D-Bus: the wire format (messages written and read back in
 * both byte orders, signatures, malformed and truncated input, the
 * handler list of GetManagedObjects under random corruption) and the
 * client (dbus_call) against a scripted bus in a child process: what it
 * sends, answers split into single bytes, errors, refusals, hang-ups,
 * silence and bus addresses. tests/kernel/kt_tcmu.c and
 * shell/tests/test_shell_user.c run it against real dbus-daemons.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbus_call.h"
#include "private.h"
#include "tap.h"

/* ---- the wire format --------------------------------------------------- */

static const struct dbus_fields call_fields = {
	.path = "/org/kernel/TCMUService1/fbo", .interface = "org.kernel.TCMUService1",
	.member = "ChangeMedium", .destination = "org.kernel.TCMUService1", .signature = "sts",
};

static void write_call(struct dbus_buf *msg, bool big)
{
	struct dbus_buf body = { .big_endian = big };

	msg->big_endian = big;
	dbus_put_str(&body, "disk1");
	dbus_put_u64(&body, 0x123456789abcULL);
	dbus_put_str(&body, "fbo//var/tmp/x.img");
	CHECK_INT(dbus_msg_write(msg, DBUS_METHOD_CALL, 0, 7, &call_fields, &body), 0);
	dbus_buf_free(&body);
}

static void round_trip(bool big)
{
	struct dbus_buf msg = { 0 };
	struct dbus_msg m;
	const char *s;
	uint64_t t;
	size_t size;

	write_call(&msg, big);
	CHECK_INT(msg.data[0], big ? 'B' : 'l');
	CHECK_INT(dbus_msg_size(msg.data, msg.len, &size), 0);
	CHECK_INT(size, msg.len);
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), 0);
	CHECK_INT(m.type, DBUS_METHOD_CALL);
	CHECK_INT(m.serial, 7);
	CHECK_STR(m.signature, "sts");
	CHECK_STR(m.error_name, "");
	CHECK_INT(dbus_get_str(&m.body, &s), 0);
	CHECK_STR(s, "disk1");
	CHECK_INT(dbus_get_u64(&m.body, &t), 0);
	CHECK(t == 0x123456789abcULL);
	CHECK_INT(dbus_get_str(&m.body, &s), 0);
	CHECK_STR(s, "fbo//var/tmp/x.img");
	CHECK_INT(m.body.pos, m.body.len);
	CHECK_INT(dbus_get_u8(&m.body, &(uint8_t){ 0 }), -EBADMSG);

	/* every shorter prefix is incomplete, never a message */
	for (size_t len = 0; len < msg.len; len++) {
		int r = dbus_msg_size(msg.data, len, &size);

		CHECK_MSG(r == -EAGAIN ? len < 16 : r == 0 && size > len, "prefix %zu", len);
		CHECK_MSG(dbus_msg_parse(msg.data, len, &m) == -EBADMSG, "prefix %zu", len);
	}
	dbus_buf_free(&msg);
}

static void replies(void)
{
	struct dbus_buf msg = { 0 }, body = { 0 };
	struct dbus_msg m;
	const char *s;

	dbus_put_str(&body, "no such handler");
	CHECK_INT(dbus_msg_write(&msg, DBUS_ERROR, 1, 9,
				 &(struct dbus_fields){ .error_name = "org.example.Error.Nope",
							.reply_serial = 2, .sender = ":1.5",
							.signature = "s" },
				 &body),
		  0);
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), 0);
	CHECK_INT(m.type, DBUS_ERROR);
	CHECK_INT(m.flags, 1);
	CHECK_INT(m.reply_serial, 2);
	CHECK_STR(m.error_name, "org.example.Error.Nope");
	CHECK_STR(m.sender, ":1.5");
	CHECK_INT(dbus_get_str(&m.body, &s), 0);
	CHECK_STR(s, "no such handler");

	/* an error needs its name, any reply its serial; a message a serial */
	CHECK_INT(dbus_msg_write(&msg, DBUS_ERROR, 0, 9, &(struct dbus_fields){ .reply_serial = 2 },
				 NULL),
		  0);
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), -EBADMSG);
	CHECK_INT(dbus_msg_write(&msg, DBUS_METHOD_RETURN, 0, 9, &(struct dbus_fields){ 0 }, NULL), 0);
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), -EBADMSG);
	CHECK_INT(dbus_msg_write(&msg, DBUS_SIGNAL, 0, 0, &(struct dbus_fields){ 0 }, NULL), 0);
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), -EBADMSG);
	CHECK_INT(dbus_msg_write(&msg, DBUS_SIGNAL, 0, 3, &(struct dbus_fields){ 0 }, NULL), 0);
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), 0);
	msg.data[3] = 2; /* protocol version */
	CHECK_INT(dbus_msg_parse(msg.data, msg.len, &m), -EBADMSG);
	msg.data[3] = 1;
	msg.data[0] = 'x';
	CHECK_INT(dbus_msg_size(msg.data, msg.len, &(size_t){ 0 }), -EBADMSG);
	/* the body's byte order must be the message's */
	body.big_endian = true;
	CHECK_INT(dbus_msg_write(&msg, DBUS_SIGNAL, 0, 3, &(struct dbus_fields){ 0 }, &body), -EINVAL);
	dbus_buf_free(&msg);
	dbus_buf_free(&body);
}

static void signatures(void)
{
	static const char *const good[] = { "s", "v", "a{sv}", "a{oa{sa{sv}}}", "(ii)", "a(yv)",
					    "aai", "(ia{s(ay)}v)" };
	static const char *const bad[] = { "", "ii", "a", "()", "(i", "a{vs}", "{ss}", "a{s}",
					   "a{sss}", "z", "i)" };
	char deep[80];

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		CHECK_MSG(dbus_sig_single(good[i]), "%s", good[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_MSG(!dbus_sig_single(bad[i]), "%s", bad[i]);
	memset(deep, 'a', 70);
	strcpy(deep + 70, "i");
	CHECK(!dbus_sig_single(deep));
	CHECK(dbus_sig_single(deep + 10));
}

/* A value of "(ia{s(ay)}v)" then a marker: skipping must land on the marker. */
static void skipping(void)
{
	struct dbus_buf b = { 0 };
	struct dbus_array outer, inner;
	struct dbus_reader r;
	uint32_t marker;
	size_t value_end;

	dbus_put_align(&b, 8);
	dbus_put_u32(&b, 5);
	outer = dbus_array_open(&b, 8);
	for (int i = 0; i < 2; i++) {
		dbus_put_align(&b, 8);
		dbus_put_str(&b, i ? "two" : "one");
		dbus_put_align(&b, 8);
		inner = dbus_array_open(&b, 1);
		dbus_put_u8(&b, 1);
		dbus_put_u8(&b, 2);
		dbus_array_close(&b, inner);
	}
	dbus_array_close(&b, outer);
	dbus_put_sig(&b, "(tv)");
	dbus_put_u64(&b, 42);
	dbus_put_sig(&b, "s");
	dbus_put_str(&b, "inside");
	dbus_put_u32(&b, 0xfeedbeef);
	CHECK(!b.failed);

	r = (struct dbus_reader){ b.data, b.len, 0, false };
	CHECK_INT(dbus_skip(&r, "(ia{s(ay)}v)"), 0);
	value_end = r.pos;
	CHECK_INT(dbus_get_u32(&r, &marker), 0);
	CHECK(marker == 0xfeedbeef);
	CHECK_INT(r.pos, b.len);
	r.pos = 0;
	CHECK_INT(dbus_skip(&r, "(ia{s(ay)}"), -EBADMSG);
	/* cut anywhere, it cannot be skipped */
	for (size_t len = 0; len < value_end; len++) {
		r = (struct dbus_reader){ b.data, len, 0, false };
		CHECK_MSG(dbus_skip(&r, "(ia{s(ay)}v)") == -EBADMSG, "cut at %zu", len);
	}
	dbus_buf_free(&b);
}

static void malformed(void)
{
	struct dbus_buf b = { 0 };
	struct dbus_reader r;
	const char *s;
	bool v;

	/* a string must end in its NUL and hold none */
	dbus_put_str(&b, "abc");
	b.data[7] = 'x';
	r = (struct dbus_reader){ b.data, b.len, 0, false };
	CHECK_INT(dbus_get_str(&r, &s), -EBADMSG);
	b.data[7] = 0;
	b.data[5] = 0;
	r.pos = 0;
	CHECK_INT(dbus_get_str(&r, &s), -EBADMSG);
	/* a length past the end */
	b.len = 0;
	dbus_put_u32(&b, 1000);
	r = (struct dbus_reader){ b.data, b.len, 0, false };
	CHECK_INT(dbus_get_str(&r, &s), -EBADMSG);
	r.pos = 0;
	CHECK_INT(dbus_array_enter(&r, 4, &(size_t){ 0 }), -EBADMSG);
	/* a boolean is 0 or 1 */
	b.len = 0;
	dbus_put_u32(&b, 2);
	r = (struct dbus_reader){ b.data, b.len, 0, false };
	CHECK_INT(dbus_get_bool(&r, &v), -EBADMSG);
	/* a variant's signature must be one complete type */
	b.len = 0;
	dbus_put_sig(&b, "ii");
	dbus_put_u32(&b, 1);
	dbus_put_u32(&b, 2);
	r = (struct dbus_reader){ b.data, b.len, 0, false };
	CHECK_INT(dbus_skip(&r, "v"), -EBADMSG);
	/* variants nested past the specification's depth are refused, fewer are not */
	for (int depth = 10; depth <= 100; depth += 90) {
		b.len = 0;
		for (int i = 0; i < depth; i++)
			dbus_put_sig(&b, "v");
		dbus_put_sig(&b, "u");
		dbus_put_u32(&b, 1);
		r = (struct dbus_reader){ b.data, b.len, 0, false };
		CHECK_INT(dbus_skip(&r, "v"), depth == 10 ? 0 : -EBADMSG);
	}
	/* a signature longer than 255 cannot be written */
	b.len = 0;
	{
		char longsig[300];

		memset(longsig, 'i', sizeof(longsig) - 1);
		longsig[sizeof(longsig) - 1] = '\0';
		dbus_put_sig(&b, longsig);
		CHECK(b.failed);
	}
	dbus_buf_free(&b);
}

/* ---- GetManagedObjects ------------------------------------------------- */

static void prop(struct dbus_buf *b, const char *key, const char *type, const char *s, uint32_t u)
{
	dbus_put_align(b, 8);
	dbus_put_str(b, key);
	dbus_put_sig(b, type);
	if (*type == 's')
		dbus_put_str(b, s);
	else
		dbus_put_u32(b, u);
}

/* @desc_type: "s" a string ConfigDesc, "u" a number one, NULL none */
static void object(struct dbus_buf *b, const char *path, const char *desc_type, bool other_first)
{
	struct dbus_array ifaces, props;

	dbus_put_align(b, 8);
	dbus_put_str(b, path);
	ifaces = dbus_array_open(b, 8);
	if (other_first) {
		dbus_put_align(b, 8);
		dbus_put_str(b, "org.freedesktop.DBus.Properties");
		props = dbus_array_open(b, 8);
		prop(b, "ConfigDesc", "s", "not this one", 0);
		dbus_array_close(b, props);
	}
	dbus_put_align(b, 8);
	dbus_put_str(b, LIO_TCMU_IFACE);
	props = dbus_array_open(b, 8);
	prop(b, "Other", "u", NULL, 3);
	if (desc_type)
		prop(b, "ConfigDesc", desc_type, "path to the file", 7);
	dbus_array_close(b, props);
	dbus_array_close(b, ifaces);
}

static void managed_objects_reply(struct dbus_buf *msg, bool big)
{
	struct dbus_buf body = { .big_endian = big };
	struct dbus_array objs;

	msg->big_endian = big;
	objs = dbus_array_open(&body, 8);
	object(&body, LIO_TCMU_PATH "/qcow", "s", true);
	object(&body, LIO_TCMU_PATH "/fbo", NULL, false);
	object(&body, LIO_TCMU_PATH "/rbd", "u", false);
	dbus_array_close(&body, objs);
	CHECK_INT(dbus_msg_write(msg, DBUS_METHOD_RETURN, 0, 4,
				 &(struct dbus_fields){ .reply_serial = 2, .signature = "a{oa{sa{sv}}}" },
				 &body),
		  0);
	dbus_buf_free(&body);
}

static int read_handlers(uint8_t *p, size_t len, struct lio_tcmu_handler **h, size_t *n)
{
	struct dbus_msg m;
	int r;

	*h = NULL;
	*n = 0;
	r = dbus_msg_parse(p, len, &m);
	return r < 0 ? r : lio_tcmu_read_objects(&m, h, n);
}

static void managed_objects(void)
{
	for (int big = 0; big < 2; big++) {
		struct dbus_buf msg = { 0 };
		struct lio_tcmu_handler *h;
		size_t n;

		managed_objects_reply(&msg, big);
		CHECK_INT(read_handlers(msg.data, msg.len, &h, &n), 0);
		CHECK_INT(n, 3);
		if (n == 3) {
			CHECK_STR(h[0].name, "qcow");
			CHECK_STR(h[0].path, LIO_TCMU_PATH "/qcow");
			CHECK_STR(h[0].config_desc, "path to the file");
			CHECK_STR(h[1].name, "fbo");
			CHECK(h[1].config_desc == NULL);
			CHECK_STR(h[2].name, "rbd");
			CHECK(h[2].config_desc == NULL);
		}
		lio_tcmu_handlers_free(h, n);
		dbus_buf_free(&msg);
	}
}

/*
 * Random bytes changed, or the message cut: reading must fail or succeed,
 * never read outside the message (the sanitized build watches) or leak.
 */
static void corrupted(void)
{
	struct dbus_buf msg = { 0 };
	unsigned seed = (unsigned)getpid();
	int ok = 0, failed = 0;
	uint8_t *copy;

	managed_objects_reply(&msg, false);
	copy = malloc(msg.len);
	srand(seed);
	for (int i = 0; copy && i < 20000; i++) {
		struct lio_tcmu_handler *h;
		size_t n, len = msg.len;

		memcpy(copy, msg.data, msg.len);
		for (int k = rand() % 4; k >= 0; k--)
			copy[rand() % msg.len] = (uint8_t)rand();
		if (rand() % 8 == 0)
			len = (size_t)rand() % msg.len;
		if (read_handlers(copy, len, &h, &n) == 0)
			ok++;
		else
			failed++;
		lio_tcmu_handlers_free(h, n);
	}
	printf("# seed %u: %d corrupted replies read, %d refused\n", seed, ok, failed);
	CHECK(ok > 0 && failed > 0);
	free(copy);
	dbus_buf_free(&msg);
}

/* ---- the client against a scripted bus -------------------------------- */

enum script {
	ANSWER,        /* OK, Hello's return, a signal, then (bs), byte by byte, big-endian */
	ERROR_REPLY,   /* the call answered by an error */
	HELLO_ERROR,   /* Hello answered by an error */
	REJECT,        /* REJECTED EXTERNAL */
	HANG_UP,       /* OK, then the connection closed */
	GARBAGE,       /* OK, then no D-Bus message */
	SILENT,        /* nothing at all */
};

struct bus {
	int fd;
	struct sockaddr_un sa;
	socklen_t salen;
	char address[160];
};

static bool bus_listen(struct bus *b, bool abstract)
{
	memset(b, 0, sizeof(*b));
	b->sa.sun_family = AF_UNIX;
	snprintf(b->sa.sun_path + abstract, sizeof(b->sa.sun_path) - 1, "/tmp/test_dbus.%d.sock",
		 (int)getpid());
	b->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + abstract +
			       strlen(b->sa.sun_path + abstract) + !abstract);
	if (!abstract)
		unlink(b->sa.sun_path);
	b->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (b->fd < 0 || bind(b->fd, (struct sockaddr *)&b->sa, b->salen) < 0 ||
	    listen(b->fd, 4) < 0)
		return false;
	/* escaped as an address may be: %2f is '/' */
	snprintf(b->address, sizeof(b->address), "tcp:host=localhost;unix:guid=0123,%s=%%2ftmp%s",
		 abstract ? "abstract" : "path", strchr(b->sa.sun_path + abstract + 1, '/'));
	return true;
}

static void bus_close(struct bus *b)
{
	close(b->fd);
	if (b->sa.sun_path[0])
		unlink(b->sa.sun_path);
}

static bool put_all(int fd, const void *p, size_t len, bool bytewise)
{
	const uint8_t *c = p;

	while (len) {
		ssize_t n = write(fd, c, bytewise ? 1 : len);

		if (n <= 0)
			return false;
		c += n;
		len -= (size_t)n;
	}
	return true;
}

/* The child's reading of the request: exit status 0 when it is as expected. */
static int check_request(int c)
{
	char want[64];
	uint8_t buf[4096];
	size_t len = 0, off, size;
	struct dbus_msg m[2];
	int n, got = 0;
	const char *s;

	n = snprintf(want, sizeof(want), "%cAUTH EXTERNAL ", 0);
	{
		char uid[16];

		snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
		for (char *d = uid; *d; d++)
			n += snprintf(want + n, sizeof(want) - (size_t)n, "%02x", (unsigned char)*d);
	}
	n += snprintf(want + n, sizeof(want) - (size_t)n, "\r\nBEGIN\r\n");
	while (got < 2) {
		ssize_t r = read(c, buf + len, sizeof(buf) - len);

		if (r <= 0)
			return 10;
		len += (size_t)r;
		if (len < (size_t)n)
			continue;
		if (memcmp(buf, want, (size_t)n))
			return 11;
		for (off = (size_t)n, got = 0; got < 2; got++) {
			if (dbus_msg_size(buf + off, len - off, &size) < 0 || len - off < size)
				break;
			if (dbus_msg_parse(buf + off, size, &m[got]) < 0)
				return 12;
			off += size;
		}
	}
	if (m[0].type != DBUS_METHOD_CALL || m[0].serial != 1 || *m[0].signature)
		return 13;
	if (m[1].type != DBUS_METHOD_CALL || m[1].serial != 2 || strcmp(m[1].signature, "s") ||
	    dbus_get_str(&m[1].body, &s) < 0 || strcmp(s, "fbo//x"))
		return 14;
	return 0;
}

static void reply_to(int c, enum script how)
{
	struct dbus_buf msg = { .big_endian = true }, body = { .big_endian = true };
	static const char ok[] = "OK 0123456789abcdef0123456789abcdef\r\n";

	if (how == SILENT) {
		pause();
		return;
	}
	if (how == REJECT) {
		put_all(c, "REJECTED EXTERNAL\r\n", 19, false);
		return;
	}
	put_all(c, ok, sizeof(ok) - 1, how == ANSWER);
	if (how == GARBAGE)
		put_all(c, "HTTP/1.1 400 Bad Request\r\n\r\n", 28, false);
	if (how == HANG_UP || how == GARBAGE)
		return;
	if (how == HELLO_ERROR) {
		dbus_put_str(&body, "hello refused");
		dbus_msg_write(&msg, DBUS_ERROR, 0, 1,
			       &(struct dbus_fields){ .error_name = "org.example.No", .reply_serial = 1,
						      .signature = "s" },
			       &body);
		put_all(c, msg.data, msg.len, false);
		goto out;
	}
	dbus_put_str(&body, ":1.42");
	dbus_msg_write(&msg, DBUS_METHOD_RETURN, 0, 1,
		       &(struct dbus_fields){ .reply_serial = 1, .signature = "s" }, &body);
	put_all(c, msg.data, msg.len, how == ANSWER);
	dbus_msg_write(&msg, DBUS_SIGNAL, 0, 2,
		       &(struct dbus_fields){ .path = "/org/freedesktop/DBus", .member = "NameAcquired",
					      .interface = "org.freedesktop.DBus", .signature = "s" },
		       &body);
	put_all(c, msg.data, msg.len, how == ANSWER);
	body.len = 0;
	if (how == ERROR_REPLY) {
		dbus_put_str(&body, "The name org.kernel.TCMUService1 was not provided");
		dbus_msg_write(&msg, DBUS_ERROR, 0, 3,
			       &(struct dbus_fields){ .error_name = "org.freedesktop.DBus.Error.ServiceUnknown",
						      .reply_serial = 2, .signature = "s" },
			       &body);
	} else {
		dbus_put_u32(&body, 1);
		dbus_put_str(&body, "success");
		dbus_msg_write(&msg, DBUS_METHOD_RETURN, 0, 3,
			       &(struct dbus_fields){ .reply_serial = 2, .signature = "bs" }, &body);
	}
	put_all(c, msg.data, msg.len, how == ANSWER);
out:
	/* stay until the client has read it all and gone */
	poll(&(struct pollfd){ .fd = c, .events = POLLIN }, 1, 10000);
	dbus_buf_free(&msg);
	dbus_buf_free(&body);
}

static pid_t serve(struct bus *b, enum script how)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int c, status;

		alarm(30);
		c = accept(b->fd, NULL, NULL);
		if (c < 0)
			_exit(20);
		status = how == SILENT || how == REJECT ? 0 : check_request(c);
		if (status == 0)
			reply_to(c, how);
		_exit(status);
	}
	return pid;
}

static int call(struct dbus_reply *reply, char *why, size_t whylen, int timeout_ms)
{
	struct dbus_buf args = { 0 };
	int r;

	dbus_put_str(&args, "fbo//x");
	r = dbus_call(&(struct dbus_call){ .destination = LIO_TCMU_SERVICE,
					   .path = LIO_TCMU_PATH "/fbo", .interface = LIO_TCMU_IFACE,
					   .member = "CheckConfig", .signature = "s", .body = &args,
					   .timeout_ms = timeout_ms },
		      reply, why, whylen);
	dbus_buf_free(&args);
	return r;
}

static void scripted(enum script how, int want, const char *want_why, bool abstract)
{
	struct dbus_reply reply;
	struct bus b;
	char why[256];
	int status = -1, r;
	pid_t pid;

	if (!bus_listen(&b, abstract)) {
		CHECK_MSG(false, "cannot listen on %s", b.sa.sun_path + abstract);
		return;
	}
	setenv("DBUS_SYSTEM_BUS_ADDRESS", b.address, 1);
	pid = serve(&b, how);
	r = call(&reply, why, sizeof(why), how == SILENT ? 1000 : 20000);
	CHECK_MSG(r == want, "script %d: got %d (%s), want %d", how, r, why, want);
	if (r == 0) {
		bool ok = false;
		const char *msg;

		CHECK_STR(reply.msg.signature, "bs");
		CHECK_INT(dbus_get_bool(&reply.msg.body, &ok), 0);
		CHECK(ok);
		CHECK_INT(dbus_get_str(&reply.msg.body, &msg), 0);
		CHECK_STR(msg, "success");
		CHECK(reply.msg.body.big_endian);
		dbus_reply_free(&reply);
	} else {
		CHECK_STR(why, want_why);
		CHECK(reply.buf == NULL);
	}
	if (how == SILENT)
		kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK_MSG(how == SILENT || (WIFEXITED(status) && WEXITSTATUS(status) == 0),
		  "script %d: the bus saw a wrong request (status %d)", how, status);
	bus_close(&b);
}

static void addresses(void)
{
	struct dbus_reply reply;
	char why[256];

	setenv("DBUS_SYSTEM_BUS_ADDRESS", "tcp:host=localhost,port=1", 1);
	CHECK_INT(call(&reply, why, sizeof(why), 1000), -EAFNOSUPPORT);
	CHECK_STR(why, "cannot connect to the system bus: no unix: address in "
		       "'tcp:host=localhost,port=1'");
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/socket", 1);
	CHECK_INT(call(&reply, why, sizeof(why), 1000), -ENOENT);
	CHECK_STR(why, "cannot connect to the system bus: No such file or directory");
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/tmp/%zz", 1);
	CHECK_INT(call(&reply, why, sizeof(why), 1000), -EAFNOSUPPORT);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	round_trip(false);
	round_trip(true);
	replies();
	signatures();
	skipping();
	malformed();
	managed_objects();
	corrupted();
	scripted(ANSWER, 0, NULL, false);
	scripted(ANSWER, 0, NULL, true);
	scripted(ERROR_REPLY, -EREMOTEIO, "The name org.kernel.TCMUService1 was not provided", false);
	scripted(HELLO_ERROR, -EREMOTEIO, "hello refused", false);
	scripted(REJECT, -EACCES, "the system bus refused to authenticate this process", false);
	scripted(HANG_UP, -ECONNRESET, "the system bus closed the connection", false);
	scripted(GARBAGE, -EBADMSG, "unreadable message from the system bus", false);
	scripted(SILENT, -ETIMEDOUT, "no answer within 1 s", false);
	addresses();
	return tap_done();
}
