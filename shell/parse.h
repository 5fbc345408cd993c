/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line grammar of configshell (section 1.1):
 *   [PATH] [COMMAND] [pparam ...] [key=value ...]
 * PATH is a bookmark (@name), a word holding a '/', "..", "." or "*";
 * COMMAND is a word of [A-Za-z0-9_]; key=value needs a key of
 * [A-Za-z0-9_-]; anything else is a positional parameter.
 * Words are separated by blanks; there is no quoting, as in targetcli-fb.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#include <stddef.h>

#include "sh.h"

enum token_kind { TK_PATH, TK_COMMAND, TK_PPARAM, TK_KPARAM };

struct token {
	enum token_kind kind;
	size_t start;  /* offset in the line */
	size_t end;
};

struct cmdline {
	char *path;           /* NULL when absent */
	char *command;        /* NULL when absent */
	char **pp;            /* positional parameters */
	size_t npp;
	struct kv *kw;        /* keyword parameters, in line order */
	size_t nkw;
	struct token *tokens; /* every token, in order (for completion) */
	size_t ntokens;
};

/* 0, or -1 on allocation failure. */
int cmdline_parse(const char *line, struct cmdline *cl);
void cmdline_clear(struct cmdline *cl);

#endif
