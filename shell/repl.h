/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The three ways lines reach sh_run_line(): interactive, piped, script. */
#ifndef SH_REPL_H
#define SH_REPL_H

#include <stdio.h>

#include "sh.h"

/* "<path>> ", the path shortened to prompt_length as configshell does. */
char *sh_prompt(struct sh *sh);
/* Interactive session: readline on a terminal, echoed prompts on a pipe. */
int repl_interactive(struct sh *sh, const char *home);
/* Strict batch: stop at the first error ("FILE:LINE: msg") unless @keep_going. */
int repl_script(struct sh *sh, FILE *f, const char *name, bool keep_going);

#endif
