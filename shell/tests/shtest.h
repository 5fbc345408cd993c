/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shell test helpers: a fake configfs tree in a temporary directory, laid
 * out as the kernel shows it (files the library reads), and a runner that
 * captures what a command line prints.
 */
#ifndef SHTEST_H
#define SHTEST_H

#include "sh.h"
#include "tap.h"

struct fixture {
	char root[64];     /* fake configfs root */
	char home[96];     /* TARGETCLI_HOME */
	struct sh sh;
};

/* Build the default tree (see shtest.c) and a shell on it, at "/". */
void fx_setup(struct fixture *fx);
void fx_teardown(struct fixture *fx);
/* Write @content to root/@rel, creating directories. */
void fx_write(struct fixture *fx, const char *rel, const char *content);
void fx_mkdir(struct fixture *fx, const char *rel);
void fx_link(struct fixture *fx, const char *rel, const char *target_rel);

/* Run a line; *out / *err get what it printed (free them), return its rc. */
int fx_run(struct fixture *fx, const char *line, char **out, char **err);
/* Run and compare: stdout and the error message (NULL: must succeed). */
void fx_expect(struct fixture *fx, const char *line, const char *out, const char *err,
	       const char *file, int lineno);
#define EXPECT(fx, line, out, err) fx_expect(fx, line, out, err, __FILE__, __LINE__)

#endif
