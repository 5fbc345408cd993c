/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One method call on the D-Bus system bus (dbus_call.c). Internal to liblio. */
#ifndef LIO_DBUS_CALL_H
#define LIO_DBUS_CALL_H

#include "dbus_wire.h"

/* What the system bus is when $DBUS_SYSTEM_BUS_ADDRESS is unset. */
#define DBUS_SYSTEM_BUS_DEFAULT "unix:path=/run/dbus/system_bus_socket"

/* A method call; the message may start its destination (bus activation). */
struct dbus_call {
	const char *destination, *path, *interface, *member;
	const char *signature;     /* of @body */
	const struct dbus_buf *body; /* NULL: no arguments */
	int timeout_ms;
};

struct dbus_reply {
	uint8_t *buf; /* what was read; msg points into it */
	struct dbus_msg msg;
};

/*
 * Make the call on a connection of its own and wait for its answer.
 * 0 with the method's return in @reply (free it with dbus_reply_free());
 * -EREMOTEIO when the answer is a D-Bus error, or another negative errno;
 * @why (of @whylen bytes) then says what went wrong, e.g. "cannot connect
 * to the system bus: No such file or directory" or the error's message.
 */
int dbus_call(const struct dbus_call *c, struct dbus_reply *reply, char *why, size_t whylen);
void dbus_reply_free(struct dbus_reply *reply);

#endif
