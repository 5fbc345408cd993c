// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * saveconfig / restoreconfig (targetcli ui_root.py, UIStorageObject):
 * the shell side only, messages and options; liblio does the work.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmds.h"
#include "nodes.h"
#include "prefs.h"

static char *expand_user(const char *path)
{
	const char *home = getenv("HOME");
	char *out;

	if (path[0] == '~' && (path[1] == '/' || !path[1]) && home)
		return asprintf(&out, "%s%s", home, path + 1) < 0 ? NULL : out;
	return strdup(path);
}

/*
 * Backups are kept only for the default file, as targetcli-fb; how many is
 * the larger of the pref and targetcli.conf's max_backup_files.
 */
static void save_opts(struct sh *sh, const char *path, struct lio_save_opts *opts)
{
	const char *pref = pref_get(sh->prefs, "max_backup_files");
	long long n = pref ? strtoll(pref, NULL, 10) : LIO_DEFAULT_MAX_BACKUPS;
	unsigned conf;

	memset(opts, 0, sizeof(*opts));
	if (strcmp(path, LIO_DEFAULT_SAVEFILE) != 0)
		return;
	if (lio_read_targetcli_conf_max_backups(NULL, &conf) == 1 && conf > n)
		n = conf;
	opts->flags = LIO_SAVE_BACKUP;
	opts->max_backups = n < 0 ? 0 : (unsigned)n;
}

static void backup_note(struct sh *sh, const char *path, const struct lio_save_opts *opts,
			const struct lio_save_result *res)
{
	char *copy;

	if (!res->backup_made || !(copy = strdup(path)))
		return;
	pr_info(&sh->pr, "Last %u configs saved in %s/backup/.", opts->max_backups, dirname(copy));
	free(copy);
}

/* / saveconfig [savefile] [force] */
int cmd_saveconfig(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_save_opts opts;
	bool force = false;
	struct lio_save_result res = { 0 };
	char *path;
	int r;

	(void)node;
	if (sh_assert_root(sh) < 0)
		return -1;
	if (!(path = expand_user(arg_str(a, 0) ? a->v[0] : LIO_DEFAULT_SAVEFILE)))
		return sh_fail(sh, "Out of memory");
	save_opts(sh, path, &opts);
	/* force=true saves even after an incomplete restore (the admin's call). */
	if (arg_bool(sh, a, 1, false, &force) < 0) {
		free(path);
		return -1;
	}
	if (force)
		opts.flags |= LIO_SAVE_FORCE;
	r = lio_config_save(sh->lio, path, &opts, &res);
	if (r < 0) {
		free(path);
		return sh_fail_lio(sh);
	}
	backup_note(sh, path, &opts, &res);
	pr_info(&sh->pr, "Configuration saved to %s", path);
	free(path);
	return 0;
}

/* /backstores/<plugin>/<name> saveconfig [savefile]: this object and its target */
int cmd_so_saveconfig(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so *so = lio_obj_so(node->obj);
	struct lio_save_opts opts;
	struct lio_save_result res = { 0 };
	char *path;

	if (!(path = expand_user(arg_str(a, 0) ? a->v[0] : LIO_DEFAULT_SAVEFILE)))
		return sh_fail(sh, "Out of memory");
	save_opts(sh, path, &opts);
	if (lio_config_save_so(sh->lio, lio_so_plugin(so), lio_so_name(so), path, &opts, &res) < 0) {
		free(path);
		return sh_fail_lio(sh);
	}
	backup_note(sh, path, &opts, &res);
	pr_info(&sh->pr, "Storage Object '%s:%s' config saved to %s.",
		lio_plugin_name(lio_so_plugin(so)), lio_so_name(so), path);
	free(path);
	return 0;
}
/*
 * After `delete NAME save=true` (UIBackstore.ui_command_delete): the
 * default savefile is backed up and loses the object, and the first saved
 * target with a LUN on it, as rtslib's StorageObject.delete(save=True).
 */
int so_save_after_delete(struct sh *sh, enum lio_plugin plugin, const char *name)
{
	struct lio_save_opts opts;
	struct lio_save_result res = { 0 };

	save_opts(sh, LIO_DEFAULT_SAVEFILE, &opts);
	if (lio_config_save_so(sh->lio, plugin, name, LIO_DEFAULT_SAVEFILE, &opts, &res) < 0)
		return sh_fail_lio(sh);
	backup_note(sh, LIO_DEFAULT_SAVEFILE, &opts, &res);
	return 0;
}

/* / restoreconfig [savefile] [clear_existing] [target] [storage_object] [atomic] */
int cmd_restoreconfig(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_restore_opts opts = { 0 };
	struct lio_restore_report report = { 0 };
	char *path, *msg;
	size_t len;
	FILE *f;
	int r;

	(void)node;
	if (sh_assert_root(sh) < 0)
		return -1;
	/* targetcli-fb takes any non-empty clear_existing as true; we read a bool */
	if (arg_bool(sh, a, 1, false, &opts.clear_existing) < 0)
		return -1;
	opts.target = arg_str(a, 2);
	opts.storage_object = arg_str(a, 3);
	if (arg_bool(sh, a, 4, false, &opts.atomic) < 0)
		return -1;
	if (!(path = expand_user(arg_str(a, 0) ? a->v[0] : LIO_DEFAULT_SAVEFILE)))
		return sh_fail(sh, "Out of memory");
	r = lio_config_restore_file(sh->lio, path, &opts, &report);
	/*
	 * What runs after a partial restore lacks what was skipped: saving it
	 * over the default file would lose that, so the default file is
	 * guarded until a restore succeeds or the configuration is cleared.
	 */
	if (r == 0) {
		lio_restore_mark_clear(sh->lio, NULL);
	} else if (r == -EIO) {
		char reason[512];

		snprintf(reason, sizeof(reason), "restoreconfig %s skipped %zu items", path,
			 report.nerrors);
		lio_restore_mark_incomplete(sh->lio, NULL, reason);
	}
	if (r == 0) {
		pr_info(&sh->pr, "Configuration restored from %s", path);
	} else if ((r == -EIO || r == -ECANCELED) && report.nerrors &&
		   (f = open_memstream(&msg, &len))) {
		/* An atomic restore that failed says so and names every cause. */
		if (r == -ECANCELED)
			fprintf(f, "%s:", lio_errmsg(sh->lio));
		else
			fprintf(f, "Configuration restored, %zu recoverable errors:", report.nerrors);
		for (size_t i = 0; i < report.nerrors; i++)
			fprintf(f, "\n%s", report.errors[i]);
		fclose(f);
		sh_fail(sh, "%s", msg);
		free(msg);
	} else {
		sh_fail_lio(sh);
	}
	lio_restore_report_clear(&report);
	free(path);
	return r < 0 ? -1 : 0;
}
