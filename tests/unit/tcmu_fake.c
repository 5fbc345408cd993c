// SPDX-License-Identifier: GPL-2.0-or-later
/* Stand-ins for tcmu-runner's D-Bus side (see tcmu_fake.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "tcmu_fake.h"

#define SERVICE "org.kernel.TCMUService1"
#define BASE "/org/kernel/TCMUService1"
#define IFACE "org.kernel.TCMUService1"
#define MANAGER BASE "/HandlerManager1"

extern char **environ;

/* Under emulation (the test VM) a fork and a bus round trip can take seconds. */
#define READY_TIMEOUT_MS 30000

/* Read until a newline or EOF, waiting at most READY_TIMEOUT_MS overall. */
static ssize_t read_line(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, READY_TIMEOUT_MS) <= 0)
			return -1;
		r = read(fd, buf + got, 1);
		if (r <= 0 || buf[got] == '\n')
			break;
		got++;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

int fake_bus_start(struct fake_bus *bus, bool system)
{
	const char *session[] = { "dbus-daemon", "--session", "--nofork", "--nopidfile",
				  "--address=unix:tmpdir=/tmp", "--print-address=3", NULL };
	const char *sys[] = { "dbus-daemon", "--system", "--nofork", "--nopidfile",
			      "--print-address=3", NULL };
	const char **argv = system ? sys : session;
	posix_spawn_file_actions_t fa;
	int p[2], r;

	memset(bus, 0, sizeof(*bus));
	if (pipe(p) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 3);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	/* stdout and its notes on stderr (fd limits...) are noise in a test log */
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&bus->pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r != 0) {
		close(p[0]);
		bus->pid = 0;
		return -1;
	}
	r = read_line(p[0], bus->address, sizeof(bus->address)) > 0 ? 0 : -1;
	close(p[0]);
	if (r < 0)
		fake_bus_stop(bus);
	return r;
}

void fake_bus_stop(struct fake_bus *bus)
{
	if (bus->pid > 0)
		fake_stop(bus->pid);
	bus->pid = 0;
}

void fake_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* ---- the service, in the forked process ----------------------------------- */

static int check_config(sd_bus_message *m, void *data, sd_bus_error *error)
{
	const char *config;
	char msg[512];
	int r;

	(void)data;
	(void)error;
	r = sd_bus_message_read(m, "s", &config);
	if (r < 0)
		return r;
	if (!strstr(config, "bad"))
		return sd_bus_reply_method_return(m, "bs", 1, "success");
	snprintf(msg, sizeof(msg), "cannot use '%s'", config);
	return sd_bus_reply_method_return(m, "bs", 0, msg);
}

static int change_medium(sd_bus_message *m, void *data, sd_bus_error *error)
{
	const char *name, *config;
	uint64_t size;
	char msg[512];
	int r;

	(void)data;
	(void)error;
	r = sd_bus_message_read(m, "sts", &name, &size, &config);
	if (r < 0)
		return r;
	if (!strstr(config, "bad"))
		return sd_bus_reply_method_return(m, "is", 0, "success");
	snprintf(msg, sizeof(msg), "name=%s size=%llu config=%s rejected", name,
		 (unsigned long long)size, config);
	return sd_bus_reply_method_return(m, "is", 22, msg);
}

static int config_desc(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *data, sd_bus_error *error)
{
	const struct fake_handler *h = data;

	(void)bus;
	(void)path;
	(void)iface;
	(void)prop;
	(void)error;
	return sd_bus_message_append(reply, "s", h->desc);
}

static const sd_bus_vtable methods[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("CheckConfig", "s", "bs", check_config, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("ChangeMedium", "sts", "is", change_medium, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};
static const sd_bus_vtable methods_desc[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("ConfigDesc", "s", config_desc, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_METHOD("CheckConfig", "s", "bs", check_config, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("ChangeMedium", "sts", "is", change_medium, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

static int connect_bus(const char *address, sd_bus **bus)
{
	int r;

	if (!address)
		return sd_bus_open_system(bus);
	r = sd_bus_new(bus);
	if (r >= 0)
		r = sd_bus_set_address(*bus, address);
	if (r >= 0)
		r = sd_bus_set_bus_client(*bus, 1);
	if (r >= 0)
		r = sd_bus_start(*bus);
	return r;
}

/* Tell the parent we are ready, then serve until killed or the bus goes. */
static _Noreturn void serve(sd_bus *bus, int ready_fd)
{
	int r = 0;

	if (write(ready_fd, "\n", 1) != 1)
		_exit(1);
	close(ready_fd);
	while (r >= 0) {
		r = sd_bus_process(bus, NULL);
		if (r == 0)
			r = sd_bus_wait(bus, UINT64_MAX);
	}
	_exit(0);
}

static pid_t start_child(int *ready_fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		*ready_fd = p[1];
		return 0;
	}
	close(p[1]);
	*ready_fd = p[0];
	return pid;
}

/* Parent: wait for the child's ready line; a child that gives up is reaped. */
static pid_t wait_ready(pid_t pid, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;
	bool ready = poll(&p, 1, READY_TIMEOUT_MS) > 0 && read(fd, &c, 1) == 1;

	close(fd);
	if (!ready) {
		fake_stop(pid);
		return -1;
	}
	return pid;
}

pid_t fake_tcmu_start(const char *address, const struct fake_handler *handlers, size_t n)
{
	sd_bus *bus = NULL;
	int fd, r;
	pid_t pid = start_child(&fd);

	if (pid != 0)
		return pid < 0 ? -1 : wait_ready(pid, fd);
	r = connect_bus(address, &bus);
	if (r >= 0)
		r = sd_bus_add_object_manager(bus, NULL, BASE);
	for (size_t i = 0; i < n && r >= 0; i++) {
		char path[256];

		snprintf(path, sizeof(path), BASE "/%s", handlers[i].name);
		r = sd_bus_add_object_vtable(bus, NULL, path, IFACE,
					     handlers[i].desc ? methods_desc : methods,
					     (void *)&handlers[i]);
	}
	if (r >= 0)
		r = sd_bus_request_name(bus, SERVICE, 0);
	if (r < 0) {
		fprintf(stderr, "fake tcmu-runner: %s\n", strerror(-r));
		_exit(1);
	}
	serve(bus, fd);
}

pid_t fake_dbus_handler_start(const char *address, const char *subtype, const char *desc)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char path[256], name[256];
	const char *msg = "";
	sd_bus *bus = NULL;
	int fd, ok = 0, r;
	pid_t pid = start_child(&fd);

	if (pid != 0)
		return pid < 0 ? -1 : wait_ready(pid, fd);
	snprintf(path, sizeof(path), MANAGER "/%s", subtype);
	snprintf(name, sizeof(name), SERVICE ".HandlerManager1.%s", subtype);
	r = connect_bus(address, &bus);
	if (r >= 0)
		r = sd_bus_add_object_vtable(bus, NULL, path, IFACE, methods, NULL);
	if (r >= 0)
		r = sd_bus_request_name(bus, name, 0);
	/* tcmu-runner answers once it has seen the name appear */
	if (r >= 0)
		r = sd_bus_call_method(bus, SERVICE, MANAGER, SERVICE ".HandlerManager1",
				       "RegisterHandler", &error, &reply, "ss", subtype, desc);
	if (r >= 0)
		r = sd_bus_message_read(reply, "bs", &ok, &msg);
	if (r < 0 || !ok) {
		fprintf(stderr, "fake D-Bus handler %s: %s\n", subtype,
			r < 0 ? (error.message ? error.message : strerror(-r)) : msg);
		_exit(1);
	}
	serve(bus, fd);
}
