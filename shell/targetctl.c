// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * targetctl: save, restore, clear and show the LIO configuration from
 * scripts and at boot (rtslib-fb's targetctl, plus atomic/diff/wait
 * restores, a status report and exit statuses scripts can rely on).
 *
 *   targetctl save [--force] [FILE]
 *   targetctl restore [FILE] [--atomic] [--keep-existing] [--diff]
 *                     [--dry-run] [--wait SECONDS]
 *   targetctl clear
 *   targetctl status
 *   targetctl --help | --version
 *
 * Exit status: 0 done; 1 failed, or a restore skipped items; 2 usage.
 * Messages are one line each, "targetctl: <message>", on stderr.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lio.h>

#ifndef SHELL_VERSION
#define SHELL_VERSION "0.1.0"
#endif

#define PROG "targetctl"
#define EXIT_FAIL 1
#define EXIT_USAGE 2
/* A boot never waits longer than a day for its devices. */
#define MAX_WAIT (24U * 3600U)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " save [--force] [FILE]\n"
		"       " PROG " restore [FILE] [--atomic] [--keep-existing] [--diff] [--dry-run]\n"
		"                        [--wait SECONDS]\n"
		"       " PROG " clear\n"
		"       " PROG " status\n"
		"       " PROG " --help | --version\n"
		"\n"
		"Save, restore or clear the LIO kernel target configuration.\n"
		"FILE defaults to " LIO_DEFAULT_SAVEFILE ".\n"
		"\n"
		"  save            write the running configuration to FILE (0600); the\n"
		"                  default file keeps gzipped backups in its backup/ directory\n"
		"    --force       save even after an incomplete restore of that file\n"
		"  restore         replace the running configuration with FILE's\n"
		"    --keep-existing  add FILE's objects beside the running ones\n"
		"    --atomic      all or nothing: on any error put the previous configuration back\n"
		"    --diff        change only what differs from FILE, print each step\n"
		"    --dry-run     print what --diff would do, change nothing\n"
		"    --wait SECONDS   wait up to SECONDS for missing backing devices\n"
		"  clear           delete every target and storage object\n"
		"  status          list what is configured, one line per object\n"
		"\n"
		"Exit status: 0 success, 1 failure or items skipped by a restore, 2 usage error.\n"
		"See targetctl(8) and saveconfig.json(5).\n");
}

__attribute__((format(printf, 1, 2))) static void err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see '" PROG " --help')\n", stderr);
	return EXIT_USAGE;
}

/* The library's message, kept on one line. */
static void err_lio(struct lio_ctx *ctx, const char *what)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", lio_errmsg(ctx));
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (what)
		err("%s: %s", what, *msg ? msg : "failed");
	else
		err("%s", *msg ? msg : "failed");
}

static void note(void *data, const char *msg)
{
	(void)data;
	err("%s", msg);
}

static char *expand_user(const char *path)
{
	const char *home = getenv("HOME");
	char *out;

	if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
		return asprintf(&out, "%s%s", home, path + 1) < 0 ? NULL : out;
	return strdup(path);
}

/* ---- arguments ---- */

struct args {
	const char *file;
	bool force, atomic, keep_existing, diff, dry_run;
	unsigned wait;
};

enum opt { OPT_FORCE, OPT_ATOMIC, OPT_KEEP, OPT_DIFF, OPT_DRY, OPT_WAIT };

struct optdef {
	const char *name;
	enum opt opt;
	bool save, restore;
};

static const struct optdef optdefs[] = {
	{ "--force", OPT_FORCE, true, false },
	{ "--atomic", OPT_ATOMIC, false, true },
	{ "--keep-existing", OPT_KEEP, false, true },
	{ "--diff", OPT_DIFF, false, true },
	{ "--dry-run", OPT_DRY, false, true },
	{ "--wait", OPT_WAIT, false, true },
};

static int parse_wait(const char *text, unsigned *secs)
{
	char *end;
	unsigned long v;

	if (!*text || *text == '-' || *text == '+')
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || v > MAX_WAIT)
		return -1;
	*secs = (unsigned)v;
	return 0;
}

/* Options and at most @max_files file names, in any order; "--" ends options. */
static int parse_args(const char *cmd, int argc, char **argv, int max_files, struct args *a)
{
	bool opts_done = false;
	int files = 0;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		const struct optdef *d = NULL;
		const char *val = NULL;

		if (!opts_done && !strcmp(w, "--")) {
			opts_done = true;
			continue;
		}
		if (opts_done || w[0] != '-' || !w[1]) {
			if (files++ >= max_files)
				return max_files ? usage_error("%s: too many arguments ('%s')", cmd, w)
						 : usage_error("%s takes no arguments ('%s')", cmd, w);
			if (!*w)
				return usage_error("%s: empty file name", cmd);
			a->file = w;
			continue;
		}
		for (size_t k = 0; k < sizeof(optdefs) / sizeof(optdefs[0]); k++) {
			size_t l = strlen(optdefs[k].name);

			if (!strncmp(w, optdefs[k].name, l) && (!w[l] || w[l] == '=')) {
				d = &optdefs[k];
				val = w[l] == '=' ? w + l + 1 : NULL;
				break;
			}
		}
		if (!d || !(strcmp(cmd, "save") ? d->restore : d->save))
			return usage_error("%s: unknown option '%s'", cmd, w);
		if (d->opt != OPT_WAIT && val)
			return usage_error("%s: option '%s' takes no value", cmd, d->name);
		switch (d->opt) {
		case OPT_FORCE: a->force = true; break;
		case OPT_ATOMIC: a->atomic = true; break;
		case OPT_KEEP: a->keep_existing = true; break;
		case OPT_DIFF: a->diff = true; break;
		case OPT_DRY: a->dry_run = true; break;
		case OPT_WAIT:
			if (!val && i + 1 < argc)
				val = argv[++i];
			if (!val)
				return usage_error("%s: --wait needs a number of seconds", cmd);
			if (parse_wait(val, &a->wait) < 0)
				return usage_error("%s: --wait: '%s' is not a number of seconds "
						   "(0 to %u)", cmd, val, MAX_WAIT);
			break;
		}
	}
	if (a->keep_existing && a->diff)
		return usage_error("%s: --keep-existing and --diff cannot be combined "
				   "(--diff deletes what the file does not have)", cmd);
	return 0;
}

/* ---- save ---- */

static int cmd_save(struct lio_ctx *ctx, const struct args *a)
{
	struct lio_save_opts opts = { 0 };
	struct lio_save_result res = { 0 };
	char *path = expand_user(a->file ? a->file : LIO_DEFAULT_SAVEFILE);
	int r;

	if (!path) {
		err("Out of memory");
		return EXIT_FAIL;
	}
	/* Backups only for the default file, as targetcli-fb. */
	if (!strcmp(path, LIO_DEFAULT_SAVEFILE)) {
		unsigned conf = 0;

		opts.flags |= LIO_SAVE_BACKUP;
		opts.max_backups = LIO_DEFAULT_MAX_BACKUPS;
		r = lio_read_targetcli_conf_max_backups(NULL, &conf);
		if (r == 1 && conf > opts.max_backups)
			opts.max_backups = conf;
		else if (r < 0)
			err("warning: ignoring max_backup_files of " LIO_TARGETCLI_CONF
			    ": %s", r == -EINVAL ? "not a number" : strerror(-r));
	}
	if (a->force)
		opts.flags |= LIO_SAVE_FORCE;
	r = lio_config_save(ctx, path, &opts, &res);
	if (r < 0) {
		err_lio(ctx, NULL);
		if (r == -EBUSY && !a->force)
			err("use '" PROG " save --force' to save the running configuration anyway");
		free(path);
		return EXIT_FAIL;
	}
	free(path);
	return 0;
}

/* ---- restore ---- */

static void print_report(const struct lio_restore_report *rep, bool plan)
{
	for (size_t i = 0; i < rep->nwarnings; i++)
		err("warning: %s", rep->warnings[i]);
	for (size_t i = 0; i < rep->nerrors; i++)
		err("error: %s", rep->errors[i]);
	for (size_t i = 0; plan && i < rep->nplan; i++)
		printf("%s\n", rep->plan[i]);
	fflush(stdout);
}

#define DEBIAN_SAVEFILE "/etc/rtslib-fb-target/saveconfig.json"

static int cmd_restore(struct lio_ctx *ctx, const struct args *a)
{
	struct lio_restore_opts opts = { 0 };
	struct lio_restore_report rep = { 0 };
	char *path = expand_user(a->file ? a->file : LIO_DEFAULT_SAVEFILE);
	struct stat st;
	int r;

	if (!path) {
		err("Out of memory");
		return EXIT_FAIL;
	}
	/*
	 * A server moving from Debian's targetcli-fb keeps its configuration
	 * in Debian's directory until the first save here writes ours.
	 */
	if (!a->file && stat(path, &st) < 0 && errno == ENOENT &&
	    stat(DEBIAN_SAVEFILE, &st) == 0) {
		printf("No saved config file at %s: restoring %s (Debian's targetcli-fb)\n", path,
		       DEBIAN_SAVEFILE);
		free(path);
		path = strdup(DEBIAN_SAVEFILE);
		if (!path) {
			err("Out of memory");
			return EXIT_FAIL;
		}
	}
	/* A server without a saved configuration boots fine (rtslib's words). */
	if (stat(path, &st) < 0 && errno == ENOENT) {
		printf("No saved config file at %s, ok, exiting\n", path);
		free(path);
		return 0;
	}
	opts.clear_existing = !a->keep_existing;
	opts.atomic = a->atomic;
	opts.diff = a->diff;
	opts.dry_run = a->dry_run;
	opts.wait_secs = a->wait;
	opts.mark_incomplete = !a->dry_run;
	r = lio_config_restore_file(ctx, path, &opts, &rep);
	/* A file that cannot be read: its one message is the report's error. */
	if (r < 0 && rep.nerrors == 1 && !strcmp(rep.errors[0], lio_errmsg(ctx)))
		lio_restore_report_clear(&rep);
	print_report(&rep, a->diff || a->dry_run);
	if (r < 0)
		err_lio(ctx, NULL);
	lio_restore_report_clear(&rep);
	free(path);
	return r < 0 ? EXIT_FAIL : 0;
}

/* ---- clear ---- */

static int cmd_clear(struct lio_ctx *ctx, bool fake_root)
{
	if (lio_clear(ctx) < 0) {
		err_lio(ctx, "clear");
		return EXIT_FAIL;
	}
	/* What runs is now what the operator asked for (a test's fake
	 * configfs says nothing about the system's saved file). */
	if (!fake_root && lio_restore_mark_clear(ctx, NULL) < 0)
		err_lio(ctx, "warning");
	return 0;
}

/* ---- status ---- */

static void status_so(struct lio_so *so)
{
	struct lio_so_info info = { 0 };
	struct lio_lun **luns = NULL;
	size_t nluns = 0;
	char size[32] = "";

	printf("  %s/%s", lio_plugin_name(lio_so_plugin(so)), lio_so_name(so));
	if (lio_so_get_info(so, &info) < 0) {
		printf(": unreadable\n");
		return;
	}
	if (info.dev && *info.dev)
		printf(" dev %s", info.dev);
	if (info.size) {
		lio_format_size(info.size, size, sizeof(size));
		printf(" size %s", size);
	}
	if (info.config && *info.config)
		printf(" config %s", info.config);
	printf(" %s", info.activated ? "activated" : "deactivated");
	if (lio_so_luns(so, &luns, &nluns) == 0) {
		printf(", %zu LUN%s", nluns, nluns == 1 ? "" : "s");
		lio_list_free(luns, nluns);
	}
	if (info.wwn && *info.wwn)
		printf(", wwn %s", info.wwn);
	printf("\n");
	lio_so_info_clear(&info);
}

static void status_acl(struct lio_acl *acl)
{
	struct lio_session s = { 0 };
	struct lio_mapped_lun **ml = NULL;
	size_t nml = 0;
	char *tag = NULL;

	printf("      acl %s", lio_acl_wwn(acl));
	if (lio_acl_get_tag(acl, &tag) == 0 && *tag)
		printf(" (tag %s)", tag);
	free(tag);
	if (lio_mapped_lun_list(acl, &ml, &nml) == 0) {
		printf(": %zu mapped LUN%s", nml, nml == 1 ? "" : "s");
		lio_list_free(ml, nml);
	}
	if (lio_acl_get_session(acl, &s) == 0) {
		if (!s.active) {
			printf(", no session");
		} else {
			printf(", session %s", s.state ? s.state : "?");
			for (size_t i = 0; i < s.nconns; i++)
				printf("%s%s", i ? " " : " from ",
				       s.conns[i].address ? s.conns[i].address : "?");
		}
	}
	lio_session_clear(&s);
	printf("\n");
}

static void status_tpg(struct lio_tpg *tpg)
{
	struct lio_lun **luns = NULL;
	struct lio_acl **acls = NULL;
	struct lio_portal **ps = NULL;
	size_t nluns = 0, nacls = 0, nps = 0;
	bool en = false;
	char *gen = NULL, *auth = NULL;

	printf("    tpg %u", lio_tpg_tag(tpg));
	if (lio_tpg_get_enable(tpg, &en) == 0)
		printf(" %s", en ? "enabled" : "disabled");
	if (lio_lun_list(tpg, &luns, &nluns) == 0)
		lio_list_free(luns, nluns);
	if (lio_acl_list(tpg, &acls, &nacls) < 0)
		acls = NULL, nacls = 0;
	printf(", %zu LUN%s, %zu ACL%s", nluns, nluns == 1 ? "" : "s", nacls,
	       nacls == 1 ? "" : "s");
	if (lio_attr_get(lio_obj(tpg), "attrib", "generate_node_acls", &gen) == 0 &&
	    !strcmp(gen, "1"))
		printf(", generated ACLs");
	if (lio_attr_get(lio_obj(tpg), "attrib", "authentication", &auth) == 0 &&
	    !strcmp(auth, "1"))
		printf(", authentication");
	free(gen);
	free(auth);
	if (lio_portal_list(tpg, &ps, &nps) == 0) {
		for (size_t i = 0; i < nps; i++)
			printf("%s%s:%u", i ? " " : ", portals ", lio_portal_ip(ps[i]),
			       lio_portal_port(ps[i]));
		lio_list_free(ps, nps);
	}
	printf("\n");
	for (size_t i = 0; i < nacls; i++)
		status_acl(acls[i]);
	lio_list_free(acls, nacls);
}

static int cmd_status(struct lio_ctx *ctx)
{
	struct lio_so **sos = NULL;
	size_t nsos = 0, ntargets = 0;
	char *reason = NULL;
	int ret = 0;

	if (lio_so_list(ctx, -1, &sos, &nsos) < 0) {
		err_lio(ctx, "storage objects");
		ret = EXIT_FAIL;
	} else {
		printf("Storage objects: %zu\n", nsos);
		for (size_t i = 0; i < nsos; i++)
			status_so(sos[i]);
		lio_list_free(sos, nsos);
	}
	for (size_t f = 0; f < lio_fabric_count(); f++) {
		struct lio_target **ts;
		size_t n;

		if (!lio_fabric_loaded(ctx, lio_fabric_at(f)))
			continue;
		if (lio_target_list(ctx, lio_fabric_at(f), &ts, &n) < 0)
			continue;
		ntargets += n;
		lio_list_free(ts, n);
	}
	printf("Targets: %zu\n", ntargets);
	for (size_t f = 0; f < lio_fabric_count(); f++) {
		const struct lio_fabric *fab = lio_fabric_at(f);
		struct lio_target **ts;
		size_t n;

		if (!lio_fabric_loaded(ctx, fab) || lio_target_list(ctx, fab, &ts, &n) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct lio_tpg **tpgs;
			size_t nt;

			printf("  %s %s\n", fab->name, lio_target_wwn(ts[i]));
			if (lio_tpg_list(ts[i], &tpgs, &nt) < 0)
				continue;
			for (size_t j = 0; j < nt; j++)
				status_tpg(tpgs[j]);
			lio_list_free(tpgs, nt);
		}
		lio_list_free(ts, n);
	}
	if (lio_restore_marked(ctx, NULL, &reason) == 1) {
		printf("Restore incomplete: %s\n", *reason ? reason : "(no reason given)");
		free(reason);
	}
	fflush(stdout);
	return ret;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	const char *configfs = getenv("TARGETCLI_CONFIGFS"); /* hidden: tests */
	struct args a = { 0 };
	struct lio_ctx *ctx = NULL;
	const char *cmd;
	int r, ret;

	if (argc < 2)
		return usage_error("no command given");
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		if (argc > 2)
			return usage_error("%s takes no arguments", cmd);
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		if (argc > 2)
			return usage_error("%s takes no arguments", cmd);
		printf(PROG " version %s\n", SHELL_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "save"))
		r = parse_args(cmd, argc - 2, argv + 2, 1, &a);
	else if (!strcmp(cmd, "restore"))
		r = parse_args(cmd, argc - 2, argv + 2, 1, &a);
	else if (!strcmp(cmd, "clear") || !strcmp(cmd, "status"))
		r = parse_args(cmd, argc - 2, argv + 2, 0, &a);
	else if (cmd[0] == '-')
		return usage_error("unknown option '%s'", cmd);
	else
		return usage_error("unknown command '%s'", cmd);
	if (r)
		return r;

	if (configfs && !*configfs)
		configfs = NULL;
	/* The fake configfs of the logic tests needs no privileges. */
	if (!configfs && geteuid() != 0) {
		err("Must run as root");
		return EXIT_FAIL;
	}
	r = lio_new(&ctx, configfs);
	if (r < 0) {
		err("%s", strerror(-r));
		return EXIT_FAIL;
	}
	lio_set_note_fn(ctx, note, NULL);
	if (!configfs &&
	    lio_setup(ctx, NULL, !strcmp(cmd, "status") ? LIO_SETUP_NO_DBROOT : 0) < 0) {
		err_lio(ctx, NULL);
		lio_unref(ctx);
		return EXIT_FAIL;
	}
	if (!strcmp(cmd, "save"))
		ret = cmd_save(ctx, &a);
	else if (!strcmp(cmd, "restore"))
		ret = cmd_restore(ctx, &a);
	else if (!strcmp(cmd, "clear"))
		ret = cmd_clear(ctx, configfs != NULL);
	else
		ret = cmd_status(ctx);
	lio_unref(ctx);
	return ret;
}
