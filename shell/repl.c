// SPDX-License-Identifier: GPL-2.0-or-later
#include "repl.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "prefs.h"

char *sh_prompt(struct sh *sh)
{
	const char *path = sh->cwd ? sh->cwd : "/";
	long long max = pref_int(sh->prefs, "prompt_length");
	size_t len = strlen(path);
	char *p;

	if (max > 0 && (size_t)max < len) {
		/* python: path[:h] + "..." + path[-h:], with h = (max - 3) // 2 */
		long long h = max >= 3 ? (max - 3) / 2 : -1;
		long long l = (long long)len;
		long long head = h >= 0 ? (h < l ? h : l) : (l + h > 0 ? l + h : 0);
		long long tail = h > 0 ? l - (h < l ? h : l) : h == 0 ? 0 : (-h < l ? -h : l);

		if (asprintf(&p, "%.*s...%s> ", (int)head, path, path + tail) < 0)
			return NULL;
		return p;
	}
	if (asprintf(&p, "%s> ", path) < 0)
		return NULL;
	return p;
}

/* Errors of an interactive session are logged and the session goes on. */
static void run_logged(struct sh *sh, const char *line)
{
	if (sh_run_line(sh, line) < 0 && sh->err)
		pr_log(&sh->pr, LOG_ERROR, "%s", sh->err);
}

/* configshell starts where the last session's path history points. */
static void restore_path(struct sh *sh)
{
	struct prefs *p = sh->prefs;
	struct node *cur;

	if (!p->nhistory || !p->history_index || p->history_index >= p->nhistory)
		return;
	free(sh->cwd);
	sh->cwd = strdup(p->history[p->history_index]);
	cur = sh_current(sh);
	if (cur) {
		free(sh->cwd);
		sh->cwd = strdup(cur->path);
		node_unref(cur);
	}
	if (!sh->cwd)
		sh->cwd = strdup("/");
}

/* On exit, as targetcli-fb: save the configuration when asked to and root. */
static void exit_hook(struct sh *sh)
{
	struct node *root;

	if (!pref_bool(sh->prefs, "auto_save_on_exit") || !sh->as_root)
		return;
	root = sh_current(sh);
	if (!root)
		return;
	/* only once someone provides saveconfig on / */
	if (node_command(sh, node_root(root), "saveconfig")) {
		pr_info(&sh->pr, "Global pref auto_save_on_exit=true");
		run_logged(sh, "/ saveconfig");
	}
	node_unref(root);
}

/* ---- piped input ------------------------------------------------------------ */

static int run_piped(struct sh *sh)
{
	char *line = NULL;
	size_t cap = 0;

	while (!sh->exit) {
		char *prompt = sh_prompt(sh);
		ssize_t len;

		pr_raw(&sh->pr, prompt ? prompt : "> ");
		free(prompt);
		len = getline(&line, &cap, stdin);
		if (len < 0) {
			pr_raw(&sh->pr, "exit\n");
			run_logged(sh, "exit");
			break;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
				   line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		run_logged(sh, line);
	}
	free(line);
	return 0;
}

/* ---- readline ------------------------------------------------------------ */

/* readline's callbacks carry no user data: the session is kept here. */
static struct sh *rl_sh;
static char *got_line;
static bool line_done;
static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static void on_line(char *line)
{
	rl_callback_handler_remove();
	got_line = line;
	line_done = true;
}

static char *gen_match(const char *text, int state)
{
	static struct strv matches;
	static size_t next;

	(void)text;
	if (state == 0) {
		strv_clear(&matches);
		next = 0;
		sh_complete(rl_sh, rl_line_buffer, (size_t)rl_point, &matches);
		if (matches.n == 1) {
			char *m = matches.v[0];
			size_t len = strlen(m);

			/* a unique value completes the word */
			if (len && m[len - 1] != ' ' && m[len - 1] != '/' && m[len - 1] != '=') {
				char *w;

				if (asprintf(&w, "%s ", m) >= 0) {
					free(matches.v[0]);
					matches.v[0] = w;
				}
			}
		}
	}
	if (next < matches.n)
		return strdup(matches.v[next++]);
	strv_clear(&matches);
	return NULL;
}

static char **attempt_completion(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;  /* never fall back to file names */
	rl_completion_append_character = '\0';
	return rl_completion_matches(text, gen_match);
}

/*
 * When a Ctrl-C comes with input typed after it, pselect() may report the
 * input and return with SIGINT still pending (blocked again); readline
 * would then read the typed-ahead keys into the line Ctrl-C was meant to
 * drop. Let the signal in now so the caller sees got_sigint.
 */
static void take_pending_sigint(const sigset_t *sigint, const sigset_t *waiting)
{
	sigset_t pending;

	if (got_sigint || sigpending(&pending) < 0 || !sigismember(&pending, SIGINT))
		return;
	sigprocmask(SIG_SETMASK, waiting, NULL);
	sigprocmask(SIG_BLOCK, sigint, NULL);
}

static int run_readline(struct sh *sh, const char *home)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	sigset_t sigint, outside, waiting;
	char *histfile = NULL;

	rl_sh = sh;
	rl_readline_name = "targetcli";
	rl_catch_signals = 0;
	rl_basic_word_break_characters = " \t\n";
	rl_attempted_completion_function = attempt_completion;
	if (home && asprintf(&histfile, "%s/history.txt", home) >= 0)
		read_history(histfile);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	/*
	 * While a line is read SIGINT is blocked except inside pselect(): a
	 * Ctrl-C that lands while readline works on a key (a slow completion)
	 * is then taken at the next wait instead of being lost.
	 */
	sigemptyset(&sigint);
	sigaddset(&sigint, SIGINT);
	sigprocmask(SIG_SETMASK, NULL, &outside);
	waiting = outside;
	sigdelset(&waiting, SIGINT);

	while (!sh->exit) {
		char *prompt = sh_prompt(sh);

		line_done = false;
		got_line = NULL;
		/* a Ctrl-C while a command ran does not cancel the next line */
		got_sigint = 0;
		sigprocmask(SIG_BLOCK, &sigint, NULL);
		rl_callback_handler_install(prompt ? prompt : "> ", on_line);
		free(prompt);
		while (!line_done) {
			fd_set fds;
			int r;

			FD_ZERO(&fds);
			FD_SET(STDIN_FILENO, &fds);
			r = pselect(STDIN_FILENO + 1, &fds, NULL, NULL, NULL, &waiting);
			take_pending_sigint(&sigint, &waiting);
			if (got_sigint) {
				/* Ctrl-C: drop the line, new prompt */
				got_sigint = 0;
				rl_free_line_state();
				rl_callback_sigcleanup();
				rl_callback_handler_remove();
				pr_raw(&sh->pr, "\n");
				break;
			}
			if (r < 0) {
				if (errno != EINTR)
					break;
				continue;
			}
			rl_callback_read_char();
		}
		sigprocmask(SIG_SETMASK, &outside, NULL);
		if (!line_done)
			continue;
		if (!got_line) {
			pr_raw(&sh->pr, "exit\n");
			run_logged(sh, "exit");
			break;
		}
		if (*got_line) {
			add_history(got_line);
			if (histfile)
				write_history(histfile);
		}
		run_logged(sh, got_line);
		free(got_line);
		got_line = NULL;
	}
	sigaction(SIGINT, &old, NULL);
	free(histfile);
	rl_sh = NULL;
	return 0;
}

int repl_interactive(struct sh *sh, const char *home)
{
	int r;

	pr_line(&sh->pr, "targetcli shell version %s\n"
			 "For help on commands, type 'help'.\n",
		SHELL_VERSION);
	if (!sh->as_root)
		pr_line(&sh->pr, "You are not root, disabling privileged commands.\n");
	restore_path(sh);
	if (isatty(STDIN_FILENO) && sh->pr.tty)
		r = run_readline(sh, home);
	else
		r = run_piped(sh);
	exit_hook(sh);
	return r;
}

int repl_script(struct sh *sh, FILE *f, const char *name, bool keep_going)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int failed = 0;

	while (!sh->exit && getline(&line, &cap, f) >= 0) {
		size_t len = strlen(line);

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (sh_run_line(sh, line) < 0) {
			fprintf(stderr, "%s:%zu: %s\n", name, lineno, sh->err ? sh->err : "error");
			failed = 1;
			if (!keep_going)
				break;
		}
	}
	free(line);
	return failed;
}
