/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iSCSI network portals: <tpg>/np/<ip>:<port>, IPv6 as [addr]. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>

#include "private.h"

#define PORT_MAX 65535

static void portal_destroy(struct lio_obj *obj)
{
	free(((struct lio_portal *)obj)->ip);
}

static int portal_remove(struct lio_obj *obj)
{
	return lio_portal_delete((struct lio_portal *)obj);
}

static const struct lio_obj_ops portal_ops = {
	.kind = LIO_KIND_PORTAL,
	.destroy = portal_destroy,
	.remove = portal_remove,
};

static int check_portal(struct lio_portal *portal)
{
	if (lio_is_dir(portal->obj.path))
		return 0;
	return lio_err(portal->obj.ctx, -ENOENT, "No portal %s", portal->obj.name);
}

int lio_portal_canon_ip(const char *ip, char **out)
{
	unsigned char buf[sizeof(struct in6_addr)];
	_cleanup_free_ char *inner = NULL;
	size_t len;

	*out = NULL;
	if (!ip || !*ip)
		return -EINVAL;
	len = strlen(ip);
	if (ip[0] == '[') {
		if (len < 3 || ip[len - 1] != ']')
			return -EINVAL;
		inner = strndup(ip + 1, len - 2);
		if (!inner)
			return -ENOMEM;
		if (inet_pton(AF_INET6, inner, buf) != 1)
			return -EINVAL;
		*out = strdup(ip);
	} else if (!strchr(ip, ':') && strchr(ip, '.')) {
		if (inet_pton(AF_INET, ip, buf) != 1)
			return -EINVAL;
		*out = strdup(ip);
	} else {
		/*
		 * targetcli takes an address without '.' as IPv6; an IPv4-mapped
		 * one ("::ffff:1.2.3.4") has both, and ':' decides.
		 */
		if (inet_pton(AF_INET6, ip, buf) != 1)
			return -EINVAL;
		*out = lio_strdupf("[%s]", ip);
	}
	return *out ? 0 : -ENOMEM;
}

/* Takes @ip (canonical). */
static int portal_new(struct lio_tpg *tpg, char *ip, unsigned port,
		      struct lio_portal **out)
{
	_cleanup_free_ char *np = lio_strdupf("%s/np", tpg->obj.path);
	_cleanup_free_ char *name = lio_strdupf("%s:%u", ip, port);
	struct lio_portal *portal = NULL;

	if (np && name)
		portal = lio_obj_alloc_under(tpg->obj.ctx, &portal_ops, sizeof(*portal),
					     &tpg->obj, np, name);
	if (!portal) {
		free(ip);
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	}
	portal->ip = ip;
	portal->port = port;
	*out = portal;
	return 0;
}

static int portal_prepare(struct lio_tpg *tpg, const char *ip, unsigned port,
			  struct lio_portal **out)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	char *canon;
	int r;

	if (!(lio_tpg_fabric(tpg)->features & LIO_FEAT_NPS))
		return lio_err(ctx, -EOPNOTSUPP, "fabric %s has no network portals",
			       lio_tpg_fabric(tpg)->name);
	if (port > PORT_MAX)
		return lio_err(ctx, -EINVAL, "Invalid port %u", port);
	r = lio_portal_canon_ip(ip, &canon);
	if (r == -EINVAL)
		return lio_err(ctx, r, "Invalid IP address %s", ip ? ip : "");
	if (r < 0)
		return lio_err(ctx, r, "Out of memory");
	return portal_new(tpg, canon, port, out);
}

int lio_portal_create(struct lio_tpg *tpg, const char *ip, unsigned port,
		      struct lio_portal **out)
{
	struct lio_ctx *ctx = tpg->obj.ctx;
	struct lio_portal *portal;
	int r;

	r = portal_prepare(tpg, ip, port, &portal);
	if (r < 0)
		return r;
	r = lio_tpg_check(tpg);
	if (r == 0 && lio_path_exists(portal->obj.path))
		r = lio_err(ctx, -EEXIST, "Portal %s already exists", portal->obj.name);
	else if (r == 0 && (r = lio_mkdir(ctx, portal->obj.path)) < 0)
		/* The kernel binds the socket in mkdir: EADDRINUSE and the like. */
		r = lio_err(ctx, r, "Cannot create portal %s: %s", portal->obj.name,
			    strerror(-r));
	if (r < 0) {
		lio_portal_unref(portal);
		return r;
	}
	*out = portal;
	return 0;
}

int lio_portal_lookup(struct lio_tpg *tpg, const char *ip, unsigned port,
		      struct lio_portal **out)
{
	struct lio_portal *portal;
	int r;

	r = portal_prepare(tpg, ip, port, &portal);
	if (r < 0)
		return r;
	if (!lio_is_dir(portal->obj.path)) {
		r = lio_err(tpg->obj.ctx, -ENOENT, "No portal %s in TPG %u", portal->obj.name,
			    tpg->tag);
		lio_portal_unref(portal);
		return r;
	}
	*out = portal;
	return 0;
}

/* lio_make_fn: <ip>:<port> directories of the TPG @arg. */
static int portal_make(void *arg, const char *name, struct lio_obj **obj)
{
	struct lio_tpg *tpg = arg;
	const char *colon = strrchr(name, ':');
	struct lio_portal *portal = NULL;
	unsigned long long port;
	char *ip;
	int r;

	/* As rtslib: the port follows the last ':'. */
	if (!colon || colon == name || lio_parse_uint(colon + 1, PORT_MAX, &port) < 0)
		return 1;
	ip = strndup(name, (size_t)(colon - name));
	if (!ip)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	r = portal_new(tpg, ip, (unsigned)port, &portal);
	if (r < 0)
		return r;
	*obj = &portal->obj;
	return 0;
}

int lio_portal_list(struct lio_tpg *tpg, struct lio_portal ***list, size_t *n)
{
	_cleanup_free_ char *dir = NULL;
	int r;

	*list = NULL;
	*n = 0;
	r = lio_tpg_check(tpg);
	if (r < 0)
		return r;
	if (!(lio_tpg_fabric(tpg)->features & LIO_FEAT_NPS))
		return 0;
	dir = lio_strdupf("%s/np", tpg->obj.path);
	if (!dir)
		return lio_err(tpg->obj.ctx, -ENOMEM, "Out of memory");
	return lio_list_objs(tpg->obj.ctx, dir, NULL, portal_make, tpg, list, n);
}

/*
 * iser and cxgbit (offload) files: reading 1 means a child portal of that
 * transport exists. Kernels without the transport have no file.
 */
static int flag_get(struct lio_portal *portal, const char *file, bool *on)
{
	_cleanup_free_ char *path = lio_obj_file(&portal->obj, NULL, file);
	_cleanup_free_ char *value = NULL;
	unsigned long long v;
	int r;

	if (!path)
		return lio_err(portal->obj.ctx, -ENOMEM, "Out of memory");
	r = check_portal(portal);
	if (r < 0)
		return r;
	*on = false;
	if (lio_read_file_quiet(path, &value) < 0)
		return 0;
	*on = lio_parse_uint(value, ULLONG_MAX, &v) == 0 && v;
	return 0;
}

static int flag_set(struct lio_portal *portal, const char *file, const char *what,
		    bool on)
{
	struct lio_ctx *ctx = portal->obj.ctx;
	_cleanup_free_ char *path = lio_obj_file(&portal->obj, NULL, file);
	int r;

	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	r = check_portal(portal);
	if (r < 0)
		return r;
	if (!lio_path_exists(path)) {
		if (!on)
			return 0;
		return lio_err(ctx, -EOPNOTSUPP, "%s is not supported by this kernel", what);
	}
	r = lio_write_file(ctx, path, on ? "1" : "0");
	if (r < 0)
		return lio_err(ctx, r, "Cannot turn %s %s on portal %s: %s", what,
			       on ? "on" : "off", portal->obj.name, strerror(-r));
	return 0;
}

int lio_portal_get_iser(struct lio_portal *portal, bool *on)
{
	return flag_get(portal, "iser", on);
}

int lio_portal_set_iser(struct lio_portal *portal, bool on)
{
	return flag_set(portal, "iser", "iSER", on);
}

int lio_portal_get_offload(struct lio_portal *portal, bool *on)
{
	return flag_get(portal, "cxgbit", on);
}

int lio_portal_set_offload(struct lio_portal *portal, bool on)
{
	return flag_set(portal, "cxgbit", "Offload (cxgbit)", on);
}

int lio_portal_delete(struct lio_portal *portal)
{
	struct lio_ctx *ctx = portal->obj.ctx;
	static const struct {
		const char *file, *what;
	} flags[] = { { "iser", "iSER" }, { "cxgbit", "Offload (cxgbit)" } };
	int r;

	r = check_portal(portal);
	if (r < 0)
		return r;
	/* Child portals of other transports must go before the TCP one. */
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		bool on = false;

		r = flag_get(portal, flags[i].file, &on);
		if (r == 0 && on)
			r = flag_set(portal, flags[i].file, flags[i].what, false);
		if (r < 0)
			return r;
	}
	r = lio_rmdir(ctx, portal->obj.path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot delete portal %s: %s", portal->obj.name,
			       strerror(-r));
	return 0;
}

struct lio_portal *lio_portal_unref(struct lio_portal *portal)
{
	lio_obj_unref(lio_obj(portal));
	return NULL;
}

const char *lio_portal_ip(const struct lio_portal *portal)
{
	return portal->ip;
}

unsigned lio_portal_port(const struct lio_portal *portal)
{
	return portal->port;
}
