/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Preferences: the `global` configuration group, bookmarks and the path
 * history, kept in $TARGETCLI_HOME/prefs.conf as readable "key = value"
 * lines (targetcli-fb keeps a pickle; a text file can be read and edited).
 * Values are held as canonical strings (see ptype_parse); NULL is None.
 */
#ifndef SH_PREFS_H
#define SH_PREFS_H

#include <stdbool.h>
#include <stddef.h>

#include "sh.h"

struct pref_def {
	const char *name;
	enum ptype type;
	const char *def;
	const char *desc;
};

extern const struct pref_def pref_defs[];
extern const size_t pref_count;

struct bookmark {
	char *name;
	char *path;
};

struct prefs {
	char *dir;                 /* NULL: nothing is saved */
	char *values[32];          /* by pref_defs index */
	struct bookmark *marks;
	size_t nmarks;
	char **history;            /* path history, as configshell's */
	size_t nhistory;
	size_t history_index;
	bool warned;               /* a save failure was reported once */
};

/* Defaults, then the file under @dir (NULL: defaults only, never saved). */
struct prefs *prefs_new(const char *dir);
struct prefs *prefs_free(struct prefs *p);
/* Write the file; -1 with errno on failure. */
int prefs_save(struct prefs *p);

int pref_index(const char *name);
const char *pref_get(const struct prefs *p, const char *name);
bool pref_bool(const struct prefs *p, const char *name);
long long pref_int(const struct prefs *p, const char *name);
/* Store a canonical value (NULL: None). */
int pref_set(struct prefs *p, const char *name, const char *value);

const char *bookmark_get(const struct prefs *p, const char *name);
int bookmark_set(struct prefs *p, const char *name, const char *path);
int bookmark_del(struct prefs *p, const char *name);

/* Record a cd to @path in the path history. */
int history_push(struct prefs *p, const char *path);

#endif
