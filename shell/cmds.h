/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Handlers of the commands every node has (table in cmd_common.c). */
#ifndef SH_CMDS_H
#define SH_CMDS_H

#include <lio.h>

#include "sh.h"

/* cmd_nav.c */
int cmd_ls(struct sh *sh, struct node *node, struct args *a);
int cmd_cd(struct sh *sh, struct node *node, struct args *a);
int cmd_pwd(struct sh *sh, struct node *node, struct args *a);
int cmd_bookmarks(struct sh *sh, struct node *node, struct args *a);
/* cmd_config.c */
int cmd_get(struct sh *sh, struct node *node, struct args *a);
int cmd_set(struct sh *sh, struct node *node, struct args *a);

/* cmd_saveconfig.c */
int cmd_saveconfig(struct sh *sh, struct node *node, struct args *a);
int cmd_restoreconfig(struct sh *sh, struct node *node, struct args *a);
int cmd_so_saveconfig(struct sh *sh, struct node *node, struct args *a);

/* cmd_sessions.c */
int cmd_sessions(struct sh *sh, struct node *node, struct args *a);
/* cmd_saveconfig.c: `delete NAME save=true` of a storage object */
int so_save_after_delete(struct sh *sh, enum lio_plugin plugin, const char *name);

#endif
