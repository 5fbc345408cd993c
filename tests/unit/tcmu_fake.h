/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stand-ins for tcmu-runner's D-Bus side, for the tests: a private bus,
 * a forked service that offers handlers as tcmu-runner does, and a D-Bus
 * handler that registers itself with a real tcmu-runner.
 *
 * The handlers' methods answer from their arguments, so that a test sees
 * what was sent:
 *  - CheckConfig(config): (false, "cannot use '<config>'") when config
 *    contains "bad", else (true, "success");
 *  - ChangeMedium(name, size, config): (22, "name=<name> size=<size>
 *    config=<config> rejected") when config contains "bad", else
 *    (0, "success").
 */
#ifndef LIO_TEST_TCMU_FAKE_H
#define LIO_TEST_TCMU_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fake_bus {
	pid_t pid;
	char address[256]; /* for DBUS_SYSTEM_BUS_ADDRESS */
};
/*
 * A private dbus-daemon with the session policy (anyone may own any
 * name), or with @system the real system bus (its policy and socket: in
 * the test VM only). -1 when dbus-daemon cannot be run (the caller skips).
 */
int fake_bus_start(struct fake_bus *bus, bool system);
void fake_bus_stop(struct fake_bus *bus);

struct fake_handler {
	const char *name;
	const char *desc; /* ConfigDesc; NULL: the object has no such property */
};
/*
 * Fork a process that owns org.kernel.TCMUService1 on the bus at
 * @address (NULL: the system bus) and exports @handlers under
 * /org/kernel/TCMUService1 with an ObjectManager. Returns its pid once
 * the name is owned, or -1.
 */
pid_t fake_tcmu_start(const char *address, const struct fake_handler *handlers, size_t n);
/*
 * Fork a D-Bus handler for a running tcmu-runner: it owns
 * org.kernel.TCMUService1.HandlerManager1.<subtype>, serves CheckConfig at
 * /org/kernel/TCMUService1/HandlerManager1/<subtype> and calls
 * RegisterHandler(subtype, desc). Returns its pid once registered, or -1.
 */
pid_t fake_dbus_handler_start(const char *address, const char *subtype, const char *desc);
/* SIGTERM and reap. */
void fake_stop(pid_t pid);

#endif
