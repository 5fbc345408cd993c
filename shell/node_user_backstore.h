/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `/backstores/user:<handler>` (node_user_backstore.c), and the parts of
 * the other backstore nodes (node_backstore.c) that these nodes share.
 */
#ifndef SH_NODE_USER_BACKSTORE_H
#define SH_NODE_USER_BACKSTORE_H

#include "nodes.h"

extern const struct node_type user_backstore_type;

/* /backstores' children: one user:<handler> node per tcmu-runner handler. */
int user_backstores_push(struct sh *sh, struct node *backstores, struct node ***v, size_t *n);
/* The user:<handler> child @name of /backstores; -ENOENT if there is none. */
int user_backstore_lookup(struct sh *sh, struct node *backstores, const char *name,
			  struct node **out);

/* node_backstore.c: `delete name [save]`, on the children of the node it runs on. */
int backstore_cmd_delete(struct sh *sh, struct node *node, struct args *a);
extern const struct param backstore_delete_params[];
extern const char backstore_delete_help[];

/* The SIZE SYNTAX section of the create commands' help. */
#define SIZE_SYNTAX \
	"\nSIZE SYNTAX\n===========\n" \
	"- If size is an int, it represents a number of bytes.\n" \
	"- If size is a string, the following units can be used:\n" \
	"    - B or no unit present for bytes\n" \
	"    - k, K, kB, KB for kB (kilobytes)\n" \
	"    - m, M, mB, MB for MB (megabytes)\n" \
	"    - g, G, gB, GB for GB (gigabytes)\n" \
	"    - t, T, tB, TB for TB (terabytes)\n"

#endif
