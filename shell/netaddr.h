#ifndef SHELL_NETADDR_H
#define SHELL_NETADDR_H
#include "strv.h"

/* Add the host's IPv4 and IPv6 addresses, and 0.0.0.0 / ::0, to @out. */
int local_addresses(struct strv *out);
#endif
