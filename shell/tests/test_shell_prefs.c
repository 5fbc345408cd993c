// SPDX-License-Identifier: GPL-2.0-or-later
/* Preferences: defaults, the text file, bookmarks and history surviving a restart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefs.h"
#include "repl.h"
#include "shtest.h"

/* The whole file, or "" when it cannot be read. */
static char *slurp(const char *path)
{
	static char buf[8192];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/*
 * Each message goes to the log file as configshell writes it; one command's
 * messages share one opening, the next command's are appended after them,
 * and a new logfile pref is used from the next message on.
 */
static void log_file(void)
{
	struct fixture fx;
	char log[300], other[300], line[400];
	const char *text;

	fx_setup(&fx);
	snprintf(log, sizeof(log), "%s/log.txt", fx.home);
	snprintf(other, sizeof(other), "%s/other.log", fx.home);
	EXPECT(&fx, "cd /iscsi", "", NULL);
	EXPECT(&fx, "bookmarks add m1", NULL, NULL);
	text = slurp(log);
	CHECK_MSG(strstr(text, "[INFO] ") == text, "log: %s", text);
	CHECK(strstr(text, " Bookmarked /iscsi as m1.\n") != NULL);
	CHECK(fx.sh.pr.logf == NULL); /* closed after the command */
	EXPECT(&fx, "/ cd <", NULL, NULL);
	text = slurp(log);
	CHECK(strstr(text, "Bookmarked /iscsi as m1.") < strstr(text, "Taking you back to"));
	CHECK_INT(count(text, "[INFO] "), 2);
	snprintf(line, sizeof(line), "set global logfile=%s", other);
	EXPECT(&fx, line, NULL, NULL);
	EXPECT(&fx, "bookmarks add m2", NULL, NULL);
	CHECK(strstr(slurp(other), "Bookmarked") != NULL);
	CHECK(!strstr(slurp(log), "m2"));
	fx_teardown(&fx);
}

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
	log_file();
	return tap_done();
}
