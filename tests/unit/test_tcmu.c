// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tcmu-runner client's pure parts (handler names, which objects a
 * handler owns) and its behaviour without tcmu-runner: no bus is no
 * handlers, the calls that need one fail with a message, and the
 * connection is made by the first tcmu call, not before.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lio.h"
#include "tap.h"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void names(void)
{
	CHECK_STR(lio_tcmu_handler_name("/org/kernel/TCMUService1/fbo"), "fbo");
	CHECK_STR(lio_tcmu_handler_name("/org/kernel/TCMUService1/a/qcow"), "qcow");
	CHECK_STR(lio_tcmu_handler_name("/"), "");
	CHECK_STR(lio_tcmu_handler_name("rbd"), "rbd");

	CHECK(lio_tcmu_config_of("fbo//var/tmp/x.img", "fbo"));
	CHECK(lio_tcmu_config_of("zbc/model-HM@/var/tmp/z", "zbc"));
	CHECK(lio_tcmu_config_of("rbd/", "rbd"));
	CHECK(!lio_tcmu_config_of("fbo//var/tmp/x.img", "fb"));
	CHECK(!lio_tcmu_config_of("fbox/y", "fbo"));
	CHECK(!lio_tcmu_config_of("fbo", "fbo"));
	CHECK(!lio_tcmu_config_of("/x", ""));
	CHECK(!lio_tcmu_config_of(NULL, "fbo"));
}

static bool mapped(const char *lib)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, lib) != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * With no $DBUS_SYSTEM_BUS_ADDRESS and no system bus socket there is no
 * bus: no handlers, and no D-Bus library is ever loaded.
 */
static void no_bus_socket(void)
{
	struct lio_tcmu_handler *h = (void *)1;
	struct lio_ctx *ctx;
	char *reason = NULL;
	size_t n = 7;

	unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	if (access("/run/dbus/system_bus_socket", F_OK) == 0) {
		printf("# this machine has a system bus: only the bus path is checked\n");
		return;
	}
	CHECK(!mapped("libsystemd"));
	CHECK_INT(lio_new(&ctx, "/nonexistent"), 0);
	CHECK_INT(lio_tcmu_handlers(ctx, &h, &n), 0);
	CHECK_INT(n, 0);
	CHECK(h == NULL);
	CHECK_INT(lio_tcmu_check_config(ctx, "fbo", "fbo//x", &reason), -ENOENT);
	CHECK_STR(lio_errmsg(ctx), "CheckConfig failed: cannot connect to the system bus: "
				   "No such file or directory");
	CHECK_MSG(!mapped("libsystemd"), "libsystemd was loaded without a bus");
	lio_unref(ctx);
}

static void without_bus(void)
{
	struct lio_tcmu_handler *h = (void *)1;
	struct lio_ctx *ctx;
	char *reason = (char *)"x";
	size_t n = 7;

	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system_bus_socket", 1);
	if (lio_new(&ctx, "/nonexistent") < 0)
		return;
	CHECK_INT(lio_tcmu_handlers(ctx, &h, &n), 0);
	CHECK_INT(n, 0);
	CHECK(h == NULL);
	lio_tcmu_handlers_free(h, n);
	CHECK(lio_tcmu_check_config(ctx, "fbo", "fbo//x", &reason) < 0);
	CHECK(reason == NULL);
	CHECK_MSG(starts_with(lio_errmsg(ctx), "CheckConfig failed: cannot connect to the system bus: "),
		  "%s", lio_errmsg(ctx));
	CHECK(lio_tcmu_change_medium(ctx, "fbo", "x", 1024, "fbo//x") < 0);
	CHECK_MSG(starts_with(lio_errmsg(ctx), "ChangeMedium failed: "), "%s", lio_errmsg(ctx));
	/* object path elements are [A-Za-z0-9_]: no bus needed to refuse others */
	CHECK_INT(lio_tcmu_check_config(ctx, "a/b", "a/b/x", &reason), -EINVAL);
	CHECK_STR(lio_errmsg(ctx), "CheckConfig failed: no tcmu-runner handler named 'a/b'");
	CHECK_INT(lio_tcmu_change_medium(ctx, "", "x", 1, "/x"), -EINVAL);
	lio_unref(ctx);
}

/*
 * A bus that accepts and hangs up: the context connects only when a tcmu
 * call needs it, and a dropped connection is no handlers, not an error;
 * for a call, it says so.
 */
static void lazy_connection(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char env[sizeof(sa.sun_path) + 16];
	struct lio_tcmu_handler *h;
	struct lio_ctx *ctx;
	struct lio_so **list;
	int fd, status = -1;
	size_t n;
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/test_tcmu.%d.sock", (int)getpid());
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		CHECK_MSG(false, "cannot listen on %s", sa.sun_path);
		return;
	}
	snprintf(env, sizeof(env), "unix:path=%s", sa.sun_path);
	setenv("DBUS_SYSTEM_BUS_ADDRESS", env, 1);

	CHECK_INT(lio_new(&ctx, "/nonexistent"), 0);
	if (lio_so_list(ctx, -1, &list, &n) == 0)
		lio_list_free(list, n);
	CHECK_MSG(accept(fd, NULL, NULL) < 0 && errno == EAGAIN, "connected before a tcmu call");

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int c;

		alarm(30);
		while ((c = accept(fd, NULL, NULL)) < 0 && errno == EAGAIN)
			usleep(10000);
		_exit(c < 0);
	}
	CHECK_INT(lio_tcmu_handlers(ctx, &h, &n), 0);
	CHECK_INT(n, 0);
	lio_tcmu_handlers_free(h, n);
	waitpid(pid, &status, 0);
	CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "no connection was made");
	lio_unref(ctx);
	close(fd);
	unlink(sa.sun_path);
}

int main(void)
{
	names();
	no_bus_socket();
	without_bus();
	lazy_connection();
	return tap_done();
}
