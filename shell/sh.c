// SPDX-License-Identifier: GPL-2.0-or-later
/* The shell context: liblio, prefs, printer, current path, last error. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lio.h>

#include "prefs.h"
#include "sh.h"

static void lio_note(void *data, const char *msg)
{
	struct sh *sh = data;

	pr_info(&sh->pr, "%s", msg);
}

int sh_init(struct sh *sh, const char *home, const char *configfs)
{
	memset(sh, 0, sizeof(*sh));
	pr_init(&sh->pr, stdout, stderr);
	sh->as_root = geteuid() == 0;
	if (!(sh->prefs = prefs_new(home)))
		return -1;
	if (lio_new(&sh->lio, configfs) < 0) {
		sh->prefs = prefs_free(sh->prefs);
		return -1;
	}
	lio_set_note_fn(sh->lio, lio_note, sh);
	sh->cwd = strdup("/");
	sh_sync_printer(sh);
	return sh->cwd ? 0 : -1;
}

void sh_fini(struct sh *sh)
{
	sh->lio = lio_unref(sh->lio);
	sh->prefs = prefs_free(sh->prefs);
	pr_log_close(&sh->pr);
	free(sh->pr.color_default);
	free(sh->pr.logfile);
	free(sh->cwd);
	free(sh->err);
	memset(sh, 0, sizeof(*sh));
}

int sh_fail(struct sh *sh, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(sh->err);
	sh->err = msg;
	return -1;
}

int sh_fail_lio(struct sh *sh)
{
	const char *m = lio_errmsg(sh->lio);

	return sh_fail(sh, "%s", m && *m ? m : "Unknown error");
}

int sh_assert_root(struct sh *sh)
{
	if (!sh->as_root)
		return sh_fail(sh, "This privileged command is disabled: you are not root.");
	return 0;
}

void sh_sync_printer(struct sh *sh)
{
	const char *level = pref_get(sh->prefs, "loglevel_console");
	const char *def = pref_get(sh->prefs, "color_default");
	int l = level ? pr_level_from_name(level) : LOG_INFO;

	sh->pr.color_mode = pref_bool(sh->prefs, "color_mode");
	sh->pr.level = l < 0 ? LOG_INFO : l;
	free(sh->pr.color_default);
	sh->pr.color_default = def ? strdup(def) : NULL;
	level = pref_get(sh->prefs, "loglevel_file");
	l = level ? pr_level_from_name(level) : LOG_DEBUG;
	sh->pr.file_level = l < 0 ? LOG_DEBUG : l;
	pr_log_close(&sh->pr);
	free(sh->pr.logfile);
	def = pref_get(sh->prefs, "logfile");
	sh->pr.logfile = def ? strdup(def) : NULL;
}
