/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The targetcli shell engine: shared types.
 *
 * The engine (parser, path resolution, parameter matching, typed values,
 * prefs, tree rendering, completion) knows nothing about LIO; the node
 * types (node_*.c) describe the targetcli tree as const tables that the
 * engine walks. Nodes are resolved lazily, one path component at a time,
 * so a command reads only the configfs objects on its path.
 */
#ifndef SH_H
#define SH_H

#include <stdbool.h>
#include <stddef.h>

#include "print.h"
#include "strv.h"

struct lio_ctx;
struct lio_obj;
struct lio_fabric;
struct prefs;
struct node;
struct args;

/* Parameter types, as configshell's ui_type_* helpers. */
enum ptype {
	T_STRING,
	T_NUMBER,
	T_BOOL,
	T_LOGLEVEL,
	T_COLOR,
	T_COLORDEFAULT,
	T_YESNO,
};

struct sh;

/* Completion of one parameter value: append candidates starting with @text. */
typedef void (*complete_fn)(struct sh *sh, struct node *node, const struct args *args,
			    const char *text, struct strv *out);

struct param {
	const char *name;
	enum ptype type;
	const char *def;    /* shown under DEFAULT VALUES in help; NULL: none */
	bool required;
	complete_fn complete;
};

#define MAX_PARAMS 8

struct cmd {
	const char *name;
	const struct param *params; /* terminated by { NULL } ; NULL: none */
	const char *varargs;        /* name of free positional params, e.g. "parameter" */
	const char *varkw;          /* name of free keyword params */
	int (*run)(struct sh *sh, struct node *node, struct args *args);
	const char *help;
	/* Whether the command exists on this node (NULL: always). */
	bool (*avail)(struct sh *sh, struct node *node);
};

struct kv {
	char *key;
	char *value;
};

/* A command's arguments after matching them to its parameters. */
struct args {
	const struct cmd *cmd;
	const char *v[MAX_PARAMS];  /* by parameter index, NULL when not given */
	const char **extra;         /* free positional parameters */
	size_t nextra;
	const struct kv *kw;        /* free keyword parameters, in line order */
	size_t nkw;
};

/* One parameter of a configuration group (get/set). */
struct gparam {
	char *name;
	enum ptype type;
	bool writable;
	const char *desc;
};

struct group {
	const char *name;
	bool (*avail)(struct sh *sh, struct node *node);
	int (*list)(struct sh *sh, struct node *node, struct gparam **params, size_t *n);
	/* *value NULL means "None" (shown as n/a). */
	int (*get)(struct sh *sh, struct node *node, const char *param, char **value);
	/* @value is the canonical value (see ptype_parse), NULL for None. */
	int (*set)(struct sh *sh, struct node *node, const char *param, const char *value);
	/*
	 * Run once after a `set` line of this group applied all its values
	 * (NULL: nothing); @a->kw holds the line's key=value pairs, so that a
	 * hook can leave alone what the line itself set. 0, or -1 with
	 * sh->err set.
	 */
	int (*after_set)(struct sh *sh, struct node *node, const struct args *a);
};

/* Health of a summary, as configshell: None, False, True. */
enum health { H_NONE = -1, H_BAD = 0, H_OK = 1 };

/* Type and description of a known attribute or parameter (ui_desc_*). */
struct attr_desc {
	const char *name;
	enum ptype type;
	const char *desc;
};

struct node_type {
	const char *kind;
	const struct attr_desc *attr_descs;  /* NULL-terminated, or NULL */
	const struct attr_desc *param_descs;
	const struct cmd *cmds;            /* terminated by { NULL } */
	const struct group *const *groups; /* NULL-terminated; "global" is implicit */
	/* Children, in any order (rendering sorts them). */
	int (*list)(struct sh *sh, struct node *node, struct node ***children, size_t *n);
	/*
	 * The names of the children when they are all leaves, unsorted and
	 * without making nodes: completion among thousands of LUNs. Names
	 * not starting with @prefix may be left out (only those are wanted).
	 * NULL: completion uses list().
	 */
	int (*leaf_names)(struct sh *sh, struct node *node, const char *prefix,
			  struct strv *names);
	/* The same when they all have children (storage objects: alua). */
	int (*branch_names)(struct sh *sh, struct node *node, const char *prefix,
			    struct strv *names);
	/* Child by name: 0 and *child, or -ENOENT. NULL: search list(). */
	int (*lookup)(struct sh *sh, struct node *node, const char *name, struct node **child);
	/* Summary text (may be "") and health. NULL: "", H_NONE. */
	int (*summary)(struct sh *sh, struct node *node, char **text, enum health *health);
};

struct node {
	int refs;
	const struct node_type *type;
	struct node *parent;  /* owned reference; NULL for the root */
	char *name;
	char *path;
	struct lio_obj *obj;  /* owned reference, or NULL */
	const struct lio_fabric *fabric;
	int plugin;
	/* Children counted when `ls` listed them, for the summary; -1: not yet. */
	long nkids;
};

struct memo;

struct sh {
	struct lio_ctx *lio;
	struct printer pr;
	struct prefs *prefs;
	char *cwd;           /* current path */
	bool exit;           /* `exit` was run */
	bool as_root;        /* privileged commands allowed */
	char *err;           /* message of the last failure */
	struct memo *lun_labels; /* during ls: LUN -> "plugin/name" (node_lun.c) */
	struct so_memo *ls_sos;  /* during ls of the backstores: all objects, listed once */
};

/* Every storage object, listed once for one `ls` (node_backstore.c). */
struct so_memo {
	struct lio_so **list;
	size_t n;
	bool listed;
};

/* sh.c */
int sh_init(struct sh *sh, const char *home, const char *configfs);
void sh_fini(struct sh *sh);
/* Record a failure message; returns -1 so handlers can `return sh_fail(...)`. */
int sh_fail(struct sh *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record liblio's last message. */
int sh_fail_lio(struct sh *sh);
int sh_assert_root(struct sh *sh);
/* Apply prefs that shape output (colour, log level) to the printer. */
void sh_sync_printer(struct sh *sh);

/* node.c */
struct node *node_new(const struct node_type *type, struct node *parent, const char *name,
		      struct lio_obj *obj);
struct node *node_ref(struct node *node);
struct node *node_unref(struct node *node);
void nodes_free(struct node **nodes, size_t n);
struct node *node_root(struct node *node);
int node_children(struct sh *sh, struct node *node, struct node ***children, size_t *n);
int node_child(struct sh *sh, struct node *node, const char *name, struct node **child);
/* How many children @node has: counted by `ls` already, or listed now. */
int node_child_count(struct sh *sh, struct node *node, size_t *n);
int node_summary(struct sh *sh, struct node *node, char **text, enum health *health);
/* Commands of a node, sorted by name, common ones included. */
size_t node_commands(struct sh *sh, struct node *node, const struct cmd **cmds, size_t max);
const struct cmd *node_command(struct sh *sh, struct node *node, const char *name);
/* Configuration groups, "global" last as configshell lists it... */
size_t node_groups(struct sh *sh, struct node *node, const struct group **groups, size_t max);
const struct group *node_group(struct sh *sh, struct node *node, const char *name);
/* Natural sort of children: trailing numbers compare numerically. */
void nodes_sort(struct node **nodes, size_t n);

/* path.c */
/* Resolve @path relative to @from (bookmarks, ., .., absolute). */
int path_resolve(struct sh *sh, struct node *from, const char *path, struct node **out);
/* The current node (its nearest existing ancestor if it vanished). */
struct node *sh_current(struct sh *sh);

/* exec.c */
/* Run one command line; 0, or -1 with sh->err set. */
int sh_run_line(struct sh *sh, const char *line);
/* Make @node current (cd), updating path history. */
void sh_set_current(struct sh *sh, struct node *node);
/* After a create: bookmark "last", cd into it if auto_cd_after_create. */
void sh_new_node(struct sh *sh, struct node *node);

/* types.c */
/*
 * Check @text against @type. *out is the canonical value (NULL for None,
 * e.g. an empty number). On error, returns -1 with the configshell message.
 */
int ptype_parse(struct sh *sh, enum ptype type, const char *text, char **out);
/* Display form of a canonical value ("n/a" for None...). */
const char *ptype_show(enum ptype type, const char *value);
/* Possible values, NULL-terminated, or NULL if open-ended. */
const char *const *ptype_enum(enum ptype type);
const char *ptype_name(enum ptype type);
/* Python int(): optional sign, digits, surrounding blanks allowed. */
bool parse_int(const char *text, long long *v);
/* Typed access to matched args, with the parameter's default when absent. */
int arg_bool(struct sh *sh, const struct args *a, int i, bool def, bool *out);
int arg_number(struct sh *sh, const struct args *a, int i, long long def, long long *out);
/* String; empty string counts as absent (None). */
const char *arg_str(const struct args *a, int i);
/* Values for the usual booleans, true/false/yes/no/1/0 and friends. */
int parse_bool_loose(const char *text, bool *out);

/* cmd_common.c: commands present on every node */
extern const struct cmd common_cmds[];
extern const struct group global_group;
/* Attribute/parameter/auth groups backed by liblio, for node types. */
extern const struct group attribute_group;
extern const struct group parameter_group;
extern const struct group auth_group;
/* `info` lines for the CHAP credentials that are set (rtslib dump()). */
void info_chap(struct sh *sh, struct lio_obj *obj);

/* tree.c */
int tree_render(struct sh *sh, struct node *root, int depth);

/* complete.c */
/* Candidates for the token that ends at @end in @line. */
int sh_complete(struct sh *sh, const char *line, size_t end, struct strv *out);

#endif
