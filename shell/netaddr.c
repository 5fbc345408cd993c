/*
 * The host's interface addresses, from the kernel through libnl's route
 * cache, for portal completion.
 */
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "netaddr.h"

struct collect {
	struct strv *out;
	bool v4, v6;
};

static void add_addr(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *addr = (struct rtnl_addr *)obj;
	struct nl_addr *local = rtnl_addr_get_local(addr);
	struct collect *c = arg;
	char buf[128], *slash;
	int fam = rtnl_addr_get_family(addr);

	if (!local || (fam != AF_INET && fam != AF_INET6))
		return;
	/* A link-local address needs a scope id a portal cannot carry. */
	if (fam == AF_INET6 && rtnl_addr_get_scope(addr) == RT_SCOPE_LINK)
		return;
	nl_addr2str(local, buf, sizeof(buf));
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
	struct nl_sock *sock = nl_socket_alloc();
	int r = -1;

	if (!sock)
		return -1;
	if (nl_connect(sock, NETLINK_ROUTE) == 0 &&
	    rtnl_addr_alloc_cache(sock, &cache) == 0) {
		nl_cache_foreach(cache, add_addr, &c);
		/* The wildcard of each family present, as targetcli-fb offers. */
		if (c.v4)
			strv_add(out, "0.0.0.0");
		if (c.v6)
			strv_add(out, "::0");
		r = 0;
	}
	nl_cache_free(cache);
	nl_socket_free(sock);
	return r;
}
