/*
 * The host's interface addresses, from the kernel through libnl's route
 * cache (libnl loaded on first use), for portal completion.
 */
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "dynlib.h"
#include "netaddr.h"

/* libnl-route-3 brings libnl-3 with it; dlsym finds both through it. */
#define NL_SYMS(X)                                                             \
	X(nl_socket_alloc) X(nl_socket_free) X(nl_connect) X(nl_cache_free)    \
	X(nl_cache_foreach) X(nl_addr2str) X(rtnl_addr_alloc_cache)            \
	X(rtnl_addr_get_local) X(rtnl_addr_get_family) X(rtnl_addr_get_scope)

NL_SYMS(DYNLIB_DECLARE)
static const struct dynlib_sym nl_syms[] = { NL_SYMS(DYNLIB_ENTRY) };
static struct dynlib nl_lib = { "libnl-route-3.so.200", nl_syms,
				sizeof(nl_syms) / sizeof(nl_syms[0]), 0, "" };

struct collect {
	struct strv *out;
	bool v4, v6;
};

static void add_addr(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *addr = (struct rtnl_addr *)obj;
	struct nl_addr *local = dl_rtnl_addr_get_local(addr);
	struct collect *c = arg;
	char buf[128], *slash;
	int fam = dl_rtnl_addr_get_family(addr);

	if (!local || (fam != AF_INET && fam != AF_INET6))
		return;
	/* A link-local address needs a scope id a portal cannot carry. */
	if (fam == AF_INET6 && dl_rtnl_addr_get_scope(addr) == RT_SCOPE_LINK)
		return;
	dl_nl_addr2str(local, buf, sizeof(buf));
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	strv_add(c->out, buf);
	if (fam == AF_INET)
		c->v4 = true;
	else
		c->v6 = true;
}

int local_addresses(struct strv *out)
{
	struct collect c = { .out = out };
	struct nl_cache *cache = NULL;
	struct nl_sock *sock;
	int r = -1;

	if (dynlib_load(&nl_lib) < 0)
		return -1;
	sock = dl_nl_socket_alloc();
	if (!sock)
		return -1;
	if (dl_nl_connect(sock, NETLINK_ROUTE) == 0 &&
	    dl_rtnl_addr_alloc_cache(sock, &cache) == 0) {
		dl_nl_cache_foreach(cache, add_addr, &c);
		/* The wildcard of each family present, as targetcli-fb offers. */
		if (c.v4)
			strv_add(out, "0.0.0.0");
		if (c.v6)
			strv_add(out, "::0");
		r = 0;
	}
	dl_nl_cache_free(cache);
	dl_nl_socket_free(sock);
	return r;
}
