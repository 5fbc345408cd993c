/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tcmu-runner's handlers over D-Bus (dbus_call.c): listing them,
 * CheckConfig, ChangeMedium. The user plugin's configfs side is in
 * so_create.c.
 */
#include <ctype.h>
#include <stdlib.h>

#include "dbus_call.h"
#include "private.h"

#define OBJECT_MANAGER "org.freedesktop.DBus.ObjectManager"
/* dbus-python's and sd-bus's default: tcmu-runner may be starting (activation). */
#define CALL_TIMEOUT_MS 25000

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
static int read_props(struct dbus_reader *r, char **desc)
{
	size_t end;
	int rc = dbus_array_enter(r, 8, &end);

	while (rc == 0 && r->pos < end) {
		const char *key, *type, *value;

		rc = dbus_get_align(r, 8);
		if (rc == 0)
			rc = dbus_get_str(r, &key);
		if (rc == 0)
			rc = dbus_get_sig(r, &type);
		if (rc == 0 && !strcmp(key, "ConfigDesc") && !*desc && !strcmp(type, "s")) {
			rc = dbus_get_str(r, &value);
			if (rc == 0 && !(*desc = strdup(value)))
				rc = -ENOMEM;
		} else if (rc == 0) {
			rc = dbus_skip(r, type);
		}
	}
	return rc < 0 ? rc : r->pos == end ? 0 : -EBADMSG;
}

/* An object's interfaces (a{sa{sv}}): the handler's own carries ConfigDesc. */
static int read_ifaces(struct dbus_reader *r, char **desc)
{
	size_t end;
	int rc = dbus_array_enter(r, 8, &end);

	while (rc == 0 && r->pos < end) {
		const char *iface;

		rc = dbus_get_align(r, 8);
		if (rc == 0)
			rc = dbus_get_str(r, &iface);
		if (rc == 0)
			rc = strcmp(iface, LIO_TCMU_IFACE) ? dbus_skip(r, "a{sv}") : read_props(r, desc);
	}
	return rc < 0 ? rc : r->pos == end ? 0 : -EBADMSG;
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
int lio_tcmu_read_objects(struct dbus_msg *m, struct lio_tcmu_handler **v, size_t *n)
{
	struct dbus_reader *r = &m->body;
	size_t end;
	int rc;

	if (strcmp(m->signature, "a{oa{sa{sv}}}"))
		return -EBADMSG;
	rc = dbus_array_enter(r, 8, &end);
	while (rc == 0 && r->pos < end) {
		const char *path;

		rc = dbus_get_align(r, 8);
		if (rc == 0)
			rc = dbus_get_str(r, &path);
		if (rc == 0)
			rc = add_handler(v, n, path);
		if (rc == 0)
			rc = read_ifaces(r, &(*v)[*n - 1].config_desc);
	}
	return rc < 0 ? rc : r->pos == end ? 0 : -EBADMSG;
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
	const struct dbus_call call = {
		.destination = LIO_TCMU_SERVICE, .path = LIO_TCMU_PATH, .interface = OBJECT_MANAGER,
		.member = "GetManagedObjects", .timeout_ms = CALL_TIMEOUT_MS,
	};
	struct lio_tcmu_handler *v = NULL;
	struct dbus_reply reply;
	size_t count = 0;
	char why[256];
	int r;

	*handlers = NULL;
	*n = 0;
	r = dbus_call(&call, &reply, why, sizeof(why));
	if (r == -ENOMEM)
		return lio_err(ctx, r, "Out of memory");
	if (r < 0)
		return 0;
	r = lio_tcmu_read_objects(&reply.msg, &v, &count);
	dbus_reply_free(&reply);
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

/*
 * Call @method on @handler's object with the arguments in @body; a failure
 * gets "<method> failed: why".
 */
static int call(struct lio_ctx *ctx, const char *handler, const char *method,
		const char *signature, const struct dbus_buf *body, struct dbus_reply *reply)
{
	_cleanup_free_ char *path = NULL;
	char why[512];
	int r;

	memset(reply, 0, sizeof(*reply));
	if (!handler_name_valid(handler))
		return lio_err(ctx, -EINVAL, "%s failed: no tcmu-runner handler named '%s'",
			       method, handler);
	if (body->failed || !(path = lio_strdupf("%s/%s", LIO_TCMU_PATH, handler)))
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = dbus_call(&(struct dbus_call){ .destination = LIO_TCMU_SERVICE, .path = path,
					   .interface = LIO_TCMU_IFACE, .member = method,
					   .signature = signature, .body = body,
					   .timeout_ms = CALL_TIMEOUT_MS },
		      reply, why, sizeof(why));
	return r < 0 ? lio_err(ctx, r, "%s failed: %s", method, why) : 0;
}

int lio_tcmu_check_config(struct lio_ctx *ctx, const char *handler, const char *config,
			  char **reason)
{
	struct dbus_buf args = { 0 };
	struct dbus_reply reply;
	const char *msg;
	bool ok = false;
	int r;

	*reason = NULL;
	dbus_put_str(&args, config);
	r = call(ctx, handler, "CheckConfig", "s", &args, &reply);
	dbus_buf_free(&args);
	if (r < 0)
		return r;
	if (strcmp(reply.msg.signature, "bs") || dbus_get_bool(&reply.msg.body, &ok) < 0 ||
	    dbus_get_str(&reply.msg.body, &msg) < 0)
		r = lio_err(ctx, -EBADMSG, "CheckConfig failed: unexpected reply from tcmu-runner");
	else if (!ok && !(*reason = strdup(msg)))
		r = lio_err(ctx, -ENOMEM, "Out of memory");
	dbus_reply_free(&reply);
	return r < 0 ? r : ok;
}

int lio_tcmu_change_medium(struct lio_ctx *ctx, const char *handler, const char *name,
			   uint64_t size, const char *config)
{
	struct dbus_buf args = { 0 };
	struct dbus_reply reply;
	struct dbus_reader *body;
	const char *msg = NULL;
	bool done = false;
	uint32_t rc;
	int r;

	dbus_put_str(&args, name);
	dbus_put_u64(&args, size);
	dbus_put_str(&args, config);
	r = call(ctx, handler, "ChangeMedium", "sts", &args, &reply);
	dbus_buf_free(&args);
	if (r < 0)
		return r;
	body = &reply.msg.body;
	/* (is) with 0 for success is tcmu-runner's; (bs) is taken too */
	if (!strcmp(reply.msg.signature, "is")) {
		r = dbus_get_u32(body, &rc);
		done = r == 0 && rc == 0;
	} else if (!strcmp(reply.msg.signature, "bs")) {
		r = dbus_get_bool(body, &done);
	} else {
		r = -EBADMSG;
	}
	if (r == 0 && dbus_get_str(body, &msg) < 0)
		r = -EBADMSG;
	if (r < 0)
		r = lio_err(ctx, r, "ChangeMedium failed: unexpected reply from tcmu-runner");
	else if (!done)
		r = lio_err(ctx, -EIO, "ChangeMedium failed: %s", msg);
	dbus_reply_free(&reply);
	return r;
}
