// SPDX-License-Identifier: GPL-2.0-or-later
/* Preferences: defaults, the text file, bookmarks and history surviving a restart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefs.h"
#include "repl.h"
#include "shtest.h"

int main(void)
{
	struct fixture fx;
	struct prefs *p;
	char path[256], *prompt;
	FILE *f;

	/* the 23 prefs and their defaults */
	CHECK_INT(pref_count, 23);
	p = prefs_new(NULL);
	CHECK_STR(pref_get(p, "max_backup_files"), "10");
	CHECK_STR(pref_get(p, "loglevel_file"), "debug");
	CHECK(pref_get(p, "color_default") == NULL);
	CHECK(pref_bool(p, "auto_add_default_portal"));
	CHECK(!pref_bool(p, "auto_cd_after_create"));
	CHECK_INT(pref_int(p, "prompt_length"), 30);
	prefs_free(p);

	fx_setup(&fx);
	EXPECT(&fx, "set global auto_add_default_portal=false max_backup_files=100 color_default=",
	       "Parameter auto_add_default_portal is now 'false'.\n"
	       "Parameter max_backup_files is now '100'.\n"
	       "Parameter color_default is now 'none'.\n", NULL);
	EXPECT(&fx, "get global logfile", NULL, NULL);
	EXPECT(&fx, "cd /iscsi", "", NULL);
	EXPECT(&fx, "bookmarks add here", NULL, NULL);
	/* a second shell on the same home reads it all back */
	snprintf(path, sizeof(path), "%s/prefs.conf", fx.home);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	p = prefs_new(fx.home);
	CHECK(!pref_bool(p, "auto_add_default_portal"));
	CHECK_STR(pref_get(p, "max_backup_files"), "100");
	CHECK_STR(bookmark_get(p, "here"), "/iscsi");
	CHECK(p->nhistory == 2 && p->history_index == 1);
	CHECK_STR(p->history[p->history_index], "/iscsi");
	prefs_free(p);

	/* prompt: path[:h] + "..." + path[-h:], h = (prompt_length - 3) // 2 */
	free(fx.sh.cwd);
	fx.sh.cwd = strdup("/iscsi/iqn.2003-01.org.linux-iscsi.ubuntu-19.x8664:pvc-5d1c7a8e-0f3b-4e0c-9a51-1a2b3c4d5e6f/tpg1");
	prompt = sh_prompt(&fx.sh);
	CHECK_STR(prompt, "/iscsi/iqn.20...3c4d5e6f/tpg1> ");
	free(prompt);
	EXPECT(&fx, "set global prompt_length=0", NULL, NULL);
	prompt = sh_prompt(&fx.sh);
	CHECK(strlen(prompt) > 80);
	free(prompt);
	fx_teardown(&fx);
	return tap_done();
}
