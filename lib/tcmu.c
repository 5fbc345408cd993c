/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tcmu-runner's handlers over D-Bus (sd-bus): listing them, CheckConfig,
 * ChangeMedium. The user plugin's configfs side is in so_create.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>
#include <systemd/sd-bus.h>

#include "dynlib.h"
#include "private.h"

#define SD_BUS_SYMS(X) \
	X(sd_bus_call) X(sd_bus_call_method) X(sd_bus_error_free) \
	X(sd_bus_flush_close_unref) X(sd_bus_is_open) \
	X(sd_bus_message_appendv) X(sd_bus_message_enter_container) \
	X(sd_bus_message_exit_container) X(sd_bus_message_new_method_call) \
	X(sd_bus_message_peek_type) X(sd_bus_message_read) \
	X(sd_bus_message_skip) X(sd_bus_message_unref) X(sd_bus_open_system)

SD_BUS_SYMS(DYNLIB_DECLARE)
static const struct dynlib_sym sd_bus_syms[] = { SD_BUS_SYMS(DYNLIB_ENTRY) };
static struct dynlib sd_bus_lib = { "libsystemd.so.0", sd_bus_syms, ARRAY_SIZE(sd_bus_syms), 0, "" };

#define OBJECT_MANAGER "org.freedesktop.DBus.ObjectManager"
/* sd-bus's default system bus address, when $DBUS_SYSTEM_BUS_ADDRESS is unset. */
#define SYSTEM_BUS_SOCKET "/run/dbus/system_bus_socket"

/*
 * The context's connection, opened on first use. A connection the bus
 * dropped (daemon restarted) is replaced, so a long-lived shell recovers.
 */
static int bus_get(struct lio_ctx *ctx, sd_bus **bus)
{
	int r;

	/*
	 * Without the system bus's socket sd_bus_open_system() could only
	 * fail: a command that lists backstores then costs no loading of
	 * libsystemd and its dependencies.
	 */
	if (!ctx->tcmu_bus && !getenv("DBUS_SYSTEM_BUS_ADDRESS") &&
	    access(SYSTEM_BUS_SOCKET, F_OK) < 0)
		return -ENOENT;
	/* Without libsystemd there is no bus to ask, as without a bus. */
	if (dynlib_load(&sd_bus_lib) < 0)
		return -ENOENT;
	if (ctx->tcmu_bus && dl_sd_bus_is_open(ctx->tcmu_bus) <= 0)
		lio_tcmu_close(ctx);
	if (!ctx->tcmu_bus) {
		r = dl_sd_bus_open_system(&ctx->tcmu_bus);
		if (r < 0) {
			ctx->tcmu_bus = NULL;
			return r;
		}
	}
	*bus = ctx->tcmu_bus;
	return 0;
}

void lio_tcmu_close(struct lio_ctx *ctx)
{
	if (ctx && ctx->tcmu_bus)
		ctx->tcmu_bus = dl_sd_bus_flush_close_unref(ctx->tcmu_bus);
}

const char *lio_tcmu_handler_name(const char *object_path)
{
	const char *slash = strrchr(object_path, '/');

	return slash ? slash + 1 : object_path;
}

bool lio_tcmu_config_of(const char *config, const char *handler)
{
	size_t len = strlen(handler);

	return config && len && !strncmp(config, handler, len) && config[len] == '/';
}

void lio_tcmu_handlers_free(struct lio_tcmu_handler *handlers, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(handlers[i].name);
		free(handlers[i].path);
		free(handlers[i].config_desc);
	}
	free(handlers);
}

/* One interface's properties (a{sv}): keep ConfigDesc when it is a string. */
static int read_props(sd_bus_message *m, char **desc)
{
	int r = dl_sd_bus_message_enter_container(m, 'a', "{sv}");

	while (r >= 0 && (r = dl_sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key, *contents, *value;
		char type;

		r = dl_sd_bus_message_read(m, "s", &key);
		if (r >= 0 && !strcmp(key, "ConfigDesc") && !*desc &&
		    dl_sd_bus_message_peek_type(m, &type, &contents) > 0 && !strcmp(contents, "s")) {
			r = dl_sd_bus_message_read(m, "v", "s", &value);
			if (r >= 0 && !(*desc = strdup(value)))
				r = -ENOMEM;
		} else if (r >= 0) {
			r = dl_sd_bus_message_skip(m, "v");
		}
		if (r >= 0)
			r = dl_sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : dl_sd_bus_message_exit_container(m);
}

/* An object's interfaces (a{sa{sv}}): the handler's own carries ConfigDesc. */
static int read_ifaces(sd_bus_message *m, char **desc)
{
	int r = dl_sd_bus_message_enter_container(m, 'a', "{sa{sv}}");

	while (r >= 0 && (r = dl_sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		const char *iface;

		r = dl_sd_bus_message_read(m, "s", &iface);
		if (r >= 0)
			r = strcmp(iface, LIO_TCMU_IFACE) ? dl_sd_bus_message_skip(m, "a{sv}")
							  : read_props(m, desc);
		if (r >= 0)
			r = dl_sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : dl_sd_bus_message_exit_container(m);
}

static int add_handler(struct lio_tcmu_handler **v, size_t *n, const char *path)
{
	struct lio_tcmu_handler *grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (!grown)
		return -ENOMEM;
	*v = grown;
	grown[*n] = (struct lio_tcmu_handler){
		.name = strdup(lio_tcmu_handler_name(path)),
		.path = strdup(path),
	};
	(*n)++;
	return grown[*n - 1].name && grown[*n - 1].path ? 0 : -ENOMEM;
}

/*
 * GetManagedObjects' a{oa{sa{sv}}}: every object is a handler, named
 * after the last component of its path, as targetcli-fb takes them.
 */
static int read_objects(sd_bus_message *m, struct lio_tcmu_handler **v, size_t *n)
{
	int r = dl_sd_bus_message_enter_container(m, 'a', "{oa{sa{sv}}}");

	while (r >= 0 && (r = dl_sd_bus_message_enter_container(m, 'e', "oa{sa{sv}}")) > 0) {
		const char *path;

		r = dl_sd_bus_message_read(m, "o", &path);
		if (r >= 0)
			r = add_handler(v, n, path);
		if (r >= 0)
			r = read_ifaces(m, &(*v)[*n - 1].config_desc);
		if (r >= 0)
			r = dl_sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : dl_sd_bus_message_exit_container(m);
}

static int handler_cmp(const void *a, const void *b)
{
	const struct lio_tcmu_handler *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : strcmp(x->path, y->path);
}

/*
 * Sort by name, then path; drop nameless objects, and repeated names (the
 * first path stays): a node per name is all a shell can show.
 */
static void tidy(struct lio_tcmu_handler *v, size_t *n)
{
	size_t kept = 0;

	qsort(v, *n, sizeof(*v), handler_cmp);
	for (size_t i = 0; i < *n; i++) {
		if (!*v[i].name || (kept && !strcmp(v[kept - 1].name, v[i].name))) {
			free(v[i].name);
			free(v[i].path);
			free(v[i].config_desc);
		} else {
			v[kept++] = v[i];
		}
	}
	*n = kept;
}

int lio_tcmu_handlers(struct lio_ctx *ctx, struct lio_tcmu_handler **handlers, size_t *n)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	struct lio_tcmu_handler *v = NULL;
	size_t count = 0;
	sd_bus *bus;
	int r;

	*handlers = NULL;
	*n = 0;
	r = bus_get(ctx, &bus);
	if (r == -ENOMEM)
		return lio_err(ctx, r, "Out of memory");
	if (r < 0)
		return 0;
	r = dl_sd_bus_call_method(bus, LIO_TCMU_SERVICE, LIO_TCMU_PATH, OBJECT_MANAGER,
			       "GetManagedObjects", &error, &reply, "");
	dl_sd_bus_error_free(&error);
	if (r >= 0)
		r = read_objects(reply, &v, &count);
	dl_sd_bus_message_unref(reply);
	if (r < 0) {
		lio_tcmu_handlers_free(v, count);
		return r == -ENOMEM ? lio_err(ctx, r, "Out of memory") : 0;
	}
	tidy(v, &count);
	*handlers = v;
	*n = count;
	return 0;
}

/* D-Bus object path elements are [A-Za-z0-9_]: anything else is no handler. */
static bool handler_name_valid(const char *handler)
{
	if (!*handler)
		return false;
	for (const char *p = handler; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

/* Call @method on @handler's object; a failure gets "<method> failed: why". */
static int call(struct lio_ctx *ctx, const char *handler, const char *method,
		sd_bus_message **reply, const char *types, ...)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *path = NULL;
	sd_bus_message *m = NULL;
	sd_bus *bus;
	va_list ap;
	int r;

	*reply = NULL;
	if (!handler_name_valid(handler))
		return lio_err(ctx, -EINVAL, "%s failed: no tcmu-runner handler named '%s'",
			       method, handler);
	if (!(path = lio_strdupf("%s/%s", LIO_TCMU_PATH, handler)))
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = bus_get(ctx, &bus);
	if (r < 0 && sd_bus_lib.state < 0)
		return lio_err(ctx, r, "%s failed: %s", method, sd_bus_lib.error);
	if (r < 0)
		return lio_err(ctx, r, "%s failed: cannot connect to the system bus: %s", method,
			       strerror(-r));
	r = dl_sd_bus_message_new_method_call(bus, &m, LIO_TCMU_SERVICE, path, LIO_TCMU_IFACE,
					   method);
	if (r >= 0) {
		va_start(ap, types);
		r = dl_sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = dl_sd_bus_call(bus, m, 0, &error, reply);
	dl_sd_bus_message_unref(m);
	if (r < 0)
		r = lio_err(ctx, r, "%s failed: %s", method,
			    error.message ? error.message : strerror(-r));
	dl_sd_bus_error_free(&error);
	return r;
}

int lio_tcmu_check_config(struct lio_ctx *ctx, const char *handler, const char *config,
			  char **reason)
{
	sd_bus_message *reply;
	const char *msg;
	int ok, r;

	*reason = NULL;
	r = call(ctx, handler, "CheckConfig", &reply, "s", config);
	if (r < 0)
		return r;
	r = dl_sd_bus_message_read(reply, "bs", &ok, &msg);
	if (r < 0)
		r = lio_err(ctx, r, "CheckConfig failed: unexpected reply from tcmu-runner");
	else if (!ok && !(*reason = strdup(msg)))
		r = lio_err(ctx, -ENOMEM, "Out of memory");
	dl_sd_bus_message_unref(reply);
	return r < 0 ? r : ok != 0;
}

int lio_tcmu_change_medium(struct lio_ctx *ctx, const char *handler, const char *name,
			   uint64_t size, const char *config)
{
	sd_bus_message *reply;
	const char *contents, *msg = NULL;
	bool done = false;
	char type;
	int r;

	r = call(ctx, handler, "ChangeMedium", &reply, "sts", name, size, config);
	if (r < 0)
		return r;
	r = dl_sd_bus_message_peek_type(reply, &type, &contents);
	if (r > 0 && type == 'i') {
		int32_t rc;

		r = dl_sd_bus_message_read(reply, "is", &rc, &msg);
		done = rc == 0;
	} else if (r > 0 && type == 'b') {
		int ok;

		r = dl_sd_bus_message_read(reply, "bs", &ok, &msg);
		done = ok;
	} else {
		r = -EBADMSG;
	}
	if (r < 0)
		r = lio_err(ctx, r, "ChangeMedium failed: unexpected reply from tcmu-runner");
	else if (!done)
		r = lio_err(ctx, -EIO, "ChangeMedium failed: %s", msg);
	else
		r = 0;
	dl_sd_bus_message_unref(reply);
	return r;
}
