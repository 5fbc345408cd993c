/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Completion functions for the parameters of the common commands. */
#ifndef SH_COMPLETE_PARAMS_H
#define SH_COMPLETE_PARAMS_H

#include "sh.h"

void complete_command_name(struct sh *sh, struct node *node, const struct args *args,
			   const char *text, struct strv *out);
void complete_node_path(struct sh *sh, struct node *node, const struct args *args,
			const char *text, struct strv *out);
void complete_bookmark_action(struct sh *sh, struct node *node, const struct args *args,
			      const char *text, struct strv *out);
void complete_bookmark_name(struct sh *sh, struct node *node, const struct args *args,
			    const char *text, struct strv *out);
void complete_group_name(struct sh *sh, struct node *node, const struct args *args,
			 const char *text, struct strv *out);
void complete_bool(struct sh *sh, struct node *node, const struct args *args,
		   const char *text, struct strv *out);
/* Paths of files and block devices (fileio/block create, luns create). */
void complete_file(struct sh *sh, struct node *node, const struct args *args,
		   const char *text, struct strv *out);

#endif
