// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * targetcli: the command line (targetcli-fb targetcli_shell.py:main).
 *   targetcli                 interactive shell (or piped lines)
 *   targetcli CMD...          one command from /, exit 0 or 1
 *   targetcli -f FILE [--keep-going]   strict batch
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <lio.h>

#include "repl.h"
#include "sh.h"

#define LOCK_FILE "/var/run/targetcli.lock"

static void usage(const char *argv0)
{
	fprintf(stderr, "Usage: %s [--version|--help|CMD|--disable-daemon|-f FILE [--keep-going]]\n",
		argv0);
	fprintf(stderr, "  --version\t\tPrint version\n");
	fprintf(stderr, "  --help\t\tPrint this information\n");
	fprintf(stderr, "  CMD\t\t\tRun targetcli shell command and exit\n");
	fprintf(stderr, "  -f FILE\t\tRun the commands of FILE, stop at the first error\n");
	fprintf(stderr, "  --keep-going\t\tWith -f, run every command and report errors\n");
	fprintf(stderr, "  <nothing>\t\tEnter configuration shell\n");
	fprintf(stderr, "  --disable-daemon\tTurn-off the global auto use daemon flag\n");
	fprintf(stderr, "See man page for more information.\n");
}

static char *prefs_dir(void)
{
	const char *env = getenv("TARGETCLI_HOME");
	const char *home = getenv("HOME");
	char *dir;

	if (env && *env) {
		if (env[0] == '~' && home)
			return asprintf(&dir, "%s%s", home, env + 1) < 0 ? NULL : dir;
		return strdup(env);
	}
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : "/";
	}
	return asprintf(&dir, "%s/.targetcli", home) < 0 ? NULL : dir;
}

/* Serialise targetcli runs, as targetcli-fb does; non-root may lack the file. */
static int take_lock(bool root)
{
	int fd = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (!root)
			return -2;
		fprintf(stderr, "opening lockfile failed: %s\n", strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "taking lock on lockfile failed: %s\n", strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *configfs = getenv("TARGETCLI_CONFIGFS"); /* hidden: tests */
	const char *script = NULL;
	bool keep_going = false;
	struct sh sh;
	char *home;
	int first = 1, lock, ret = 0;

	if (argc > 1) {
		const char *a = argv[1];

		if (!strcmp(a, "help") || !strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(argv[0]);
			return 255;
		}
		if (!strcmp(a, "version") || !strcmp(a, "--version") || !strcmp(a, "-v")) {
			fprintf(stderr, "%s version %s\n", argv[0], SHELL_VERSION);
			return 0;
		}
		if (!strcmp(a, "-f")) {
			if (argc < 3) {
				usage(argv[0]);
				return 255;
			}
			script = argv[2];
			first = 3;
			if (argc > 3 && !strcmp(argv[3], "--keep-going")) {
				keep_going = true;
				first = 4;
			}
			if (argc > first) {
				usage(argv[0]);
				return 255;
			}
		}
	}
	if (!(home = prefs_dir()) || sh_init(&sh, home, configfs && *configfs ? configfs : NULL) < 0) {
		fprintf(stderr, "Out of memory\n");
		free(home);
		return 1;
	}
	lock = take_lock(sh.as_root);
	if (lock == -1) {
		sh_fini(&sh);
		free(home);
		return 1;
	}
	if (!configfs && lio_setup(sh.lio, NULL, sh.as_root ? 0 : LIO_SETUP_NO_DBROOT) < 0) {
		pr_errline(&sh.pr, lio_errmsg(sh.lio));
		if (!sh.as_root)
			pr_errline(&sh.pr, "Retry as root.");
		ret = 255;
		goto out;
	}

	if (script) {
		FILE *f = strcmp(script, "-") ? fopen(script, "re") : stdin;

		if (!f) {
			fprintf(stderr, "%s: %s\n", script, strerror(errno));
			ret = 1;
			goto out;
		}
		ret = repl_script(&sh, f, script, keep_going);
		if (f != stdin)
			fclose(f);
	} else if (argc > 1) {
		size_t len = 1;
		char *line;

		for (int i = 1; i < argc; i++)
			len += strlen(argv[i]) + 1;
		if (!(line = calloc(1, len))) {
			ret = 1;
			goto out;
		}
		if (!strcmp(argv[1], "--disable-daemon") || !strcmp(argv[1], "disable-daemon")) {
			free(line);
			line = strdup("set global auto_use_daemon=false");
		} else {
			for (int i = 1; i < argc; i++) {
				if (i > 1)
					strcat(line, " ");
				strcat(line, argv[i]);
			}
		}
		if (!line || sh_run_line(&sh, line) < 0) {
			pr_errline(&sh.pr, sh.err ? sh.err : "Out of memory");
			ret = 1;
		}
		free(line);
	} else {
		ret = repl_interactive(&sh, home);
	}
out:
	sh_fini(&sh);
	free(home);
	if (lock >= 0)
		close(lock);
	return ret;
}
