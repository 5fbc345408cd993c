/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The targetcli node types (node_*.c) and helpers they share. */
#ifndef SH_NODES_H
#define SH_NODES_H

#include <lio.h>

#include "sh.h"

extern const struct node_type root_type;
extern const struct node_type backstores_type;
extern const struct node_type backstore_type;
extern const struct node_type so_type;
extern const struct node_type alua_type;
extern const struct node_type alua_tpg_type;
extern const struct node_type fabric_type;
extern const struct node_type target_type;   /* tpgts fabrics: holds tpgN */
extern const struct node_type tpg_type;      /* tpgN, and merged target+TPG 1 */
extern const struct node_type luns_type;
extern const struct node_type lun_type;
extern const struct node_type acls_type;
extern const struct node_type acl_type;
extern const struct node_type mapped_lun_type;
extern const struct node_type portals_type;
extern const struct node_type portal_type;

/* Child list building: append a new node, taking the reference @obj. */
int nodes_push(struct node ***v, size_t *n, struct node *child);
/* A node for an object of a liblio list (takes the reference). */
struct node *node_for(const struct node_type *type, struct node *parent, const char *name,
		      struct lio_obj *obj);

/* node_so.c / node_backstore.c */
int so_node_new(struct node *parent, struct lio_so *so, struct node **out);
int bs_lookup_so(struct sh *sh, enum lio_plugin plugin, const char *name, struct lio_so **so);
/* The storage objects of @plugin (-1: all); from sh->ls_sos during an ls.
 * -1 with the shell's error set on failure. */
int bs_list_sos(struct sh *sh, int plugin, struct lio_so ***list, size_t *n);

/* node_fabric.c */
int target_node_new(struct sh *sh, struct node *fabric_node, struct lio_target *t,
		    struct node **out);

/* node_tpg.c */
int tpg_node_new(struct node *parent, struct lio_tpg *tpg, const char *name, struct node **out);
/* The TPG a luns/acls/portals/tpg node works on (borrowed). */
struct lio_tpg *node_tpg(struct node *node);
/* Create a TPG with the targetcli-fb steps and messages (UIMultiTPGTarget.create). */
int tpg_create_steps(struct sh *sh, struct lio_target *t, unsigned tag, struct lio_tpg **out);
/* "Created LUN N." helper used by mapped LUN create too. */
int lun_create_for_so(struct sh *sh, struct lio_tpg *tpg, struct lio_so *so, long index,
		      struct lio_lun **out);
/*
 * "plugin/name" of the storage object @lun links to, remembered for the
 * rest of an ls; *so is set too (else NULL) when it had to be looked up.
 * -1 when the link is broken.
 */
int lun_so_label(struct sh *sh, struct lio_lun *lun, char **label, struct lio_so **so);
/* Resolve a storage object given as a UI path (/backstores/x/y). */
int so_from_ui_path(struct sh *sh, struct node *from, const char *path, struct lio_so **so);

/* chap.c: CHAP that is set is enforced (see there) */
/* Whether the ACL has CHAP credentials: userid and password. */
bool acl_has_chap(struct lio_acl *acl);
/* Whether the kernel ignores ACL credentials: authentication=0, generate_node_acls=0. */
bool tpg_chap_unenforced(struct lio_tpg *tpg);
/* after_set hooks of the auth group on an ACL node and on a TPG node */
int chap_after_acl_set(struct sh *sh, struct node *node, const struct args *a);
int chap_after_tpg_set(struct sh *sh, struct node *node, const struct args *a);

/* The number in attribute @group/@name of @obj (strtol), 0 if unreadable. */
long obj_attr_long(struct lio_obj *obj, const char *group, const char *name);
/* Whether the auth credential @k of @obj is set (not empty). */
bool obj_has_auth(struct lio_obj *obj, enum lio_auth_key k);
/* Append @item to the ", "-separated list in @buf (truncating to @len). */
void join_list(char *buf, size_t len, const char *item);

/* Completion: the names of the node's children (ACLs and tags, ALUA groups). */
void complete_child_name(struct sh *sh, struct node *node, const struct args *args,
			 const char *text, struct strv *out);

/* Numbers like "lun3"/"tpg2"/"3": strip @prefix, parse; -1 if not a number. */
long parse_tagged(const char *text, const char *prefix);

#endif
