// SPDX-License-Identifier: GPL-2.0-or-later
#include "print.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_WIDTH 132

static const char *const level_names[LOG_LEVELS] = {
	"critical", "error", "warning", "info", "verbose", "debug",
};
static const char *const level_colors[LOG_LEVELS] = {
	"red", "red", "yellow", "green", "blue", "blue",
};
const char *const pr_color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", NULL,
};

void pr_init(struct printer *pr, FILE *out, FILE *err)
{
	memset(pr, 0, sizeof(*pr));
	pr->out = out;
	pr->err = err;
	pr->tty = isatty(fileno(out));
	pr->err_tty = isatty(fileno(err));
	pr->color_mode = true;
	pr->level = LOG_INFO;
}

const char *pr_level_name(enum loglevel level)
{
	return level_names[level];
}

int pr_level_from_name(const char *name)
{
	for (int i = 0; i < LOG_LEVELS; i++)
		if (strcmp(level_names[i], name) == 0)
			return i;
	return -1;
}

bool pr_colors(const struct printer *pr)
{
	return pr->color_mode && pr->tty;
}

static int color_code(const char *color)
{
	for (int i = 0; pr_color_names[i]; i++)
		if (strcmp(pr_color_names[i], color) == 0)
			return 30 + i;
	return -1;
}

/* configshell's render_text: colour, then styles, then a reset. */
void pr_styled(struct printer *pr, const char *text, const char *color, unsigned styles)
{
	if (!color)
		color = pr->color_default;
	/* nothing to render: plain text, no reset sequence */
	if (!pr_colors(pr) || (!color && !styles)) {
		fputs(text, pr->out);
		return;
	}
	if (color && color_code(color) > 0)
		fprintf(pr->out, "\033[%dm", color_code(color));
	if (styles & ST_BOLD)
		fputs("\033[1m", pr->out);
	if (styles & ST_UNDERLINE)
		fputs("\033[4m", pr->out);
	fputs(text, pr->out);
	fputs("\033[0m", pr->out);
}

/* configshell's log file lines: "[LEVEL] YYYY-MM-DD HH:MM:SS msg". */
static void log_to_file(struct printer *pr, enum loglevel level, const char *msg)
{
	char date[32], upper[16];
	struct tm tm;
	time_t now;
	size_t i;

	if (!pr->logfile || (int)level > pr->file_level)
		return;
	if (!pr->logf && !(pr->logf = fopen(pr->logfile, "ae")))
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	for (i = 0; level_names[level][i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)(level_names[level][i] - 'a' + 'A');
	upper[i] = '\0';
	fprintf(pr->logf, "[%s] %s %s\n", upper, date, msg);
	fflush(pr->logf);
}

void pr_log_close(struct printer *pr)
{
	if (pr->logf)
		fclose(pr->logf);
	pr->logf = NULL;
}

void pr_log(struct printer *pr, enum loglevel level, const char *fmt, ...)
{
	FILE *f = level <= LOG_ERROR ? pr->err : pr->out;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	log_to_file(pr, level, msg);
	if ((int)level > pr->level) {
		free(msg);
		return;
	}
	if (!pr->color_mode) {
		/* "Info: msg": the level capitalised */
		fprintf(f, "%c%s: %s\n", level_names[level][0] - 'a' + 'A', level_names[level] + 1,
			msg);
	} else if (pr_colors(pr) && (f == pr->out ? pr->tty : pr->err_tty)) {
		fprintf(f, "\033[%dm%s\033[0m\n", color_code(level_colors[level]), msg);
	} else {
		fprintf(f, "%s\n", msg);
	}
	fflush(f);
	free(msg);
}

void pr_line(struct printer *pr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(pr->out, fmt, ap);
	va_end(ap);
	fputc('\n', pr->out);
	fflush(pr->out);
}

void pr_raw(struct printer *pr, const char *text)
{
	fputs(text, pr->out);
	fflush(pr->out);
}

void pr_errline(struct printer *pr, const char *msg)
{
	fflush(pr->out);
	fprintf(pr->err, "%s\n", msg);
	fflush(pr->err);
}

int pr_width(const struct printer *pr)
{
	struct winsize ws;

	if (pr->width_override > 0)
		return pr->width_override;
	if (!pr->tty || ioctl(fileno(pr->out), TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return MAX_WIDTH;
	return ws.ws_col < MAX_WIDTH ? ws.ws_col : MAX_WIDTH;
}

void pr_tree_line(struct printer *pr, const struct tree_line *l)
{
	const char *color = l->level % 3 == 0 ? NULL : l->level % 3 == 1 ? "blue" : "magenta";
	int margin_len = (int)l->npipes * 2 + 3, pad;

	for (size_t i = 0; i < l->npipes; i++)
		fputs(l->pipes[i] ? "| " : "  ", pr->out);
	fputs(l->round ? "o- " : "+- ", pr->out);
	pr_styled(pr, l->name, color, l->root ? ST_BOLD | ST_UNDERLINE : ST_BOLD);
	if (!l->desc) {
		fputc('\n', pr->out);
		fflush(pr->out);
		return;
	}
	pad = pr_width(pr) - 1 - ((int)strlen(l->desc) + 3) - margin_len - (int)strlen(l->name);
	fputc(' ', pr->out);
	if (pad > 0) {
		char *dots = malloc((size_t)pad + 1);

		if (dots) {
			memset(dots, '.', (size_t)pad);
			dots[pad] = '\0';
			pr_styled(pr, dots, color, 0);
			free(dots);
		}
	}
	pr_styled(pr, " [", NULL, ST_BOLD);
	if (l->health == 1)
		pr_styled(pr, l->desc, "green", 0);
	else if (l->health == 0)
		pr_styled(pr, l->desc, "red", ST_BOLD);
	else
		pr_styled(pr, l->desc, NULL, 0);
	pr_styled(pr, "]", NULL, ST_BOLD);
	fputc('\n', pr->out);
	fflush(pr->out);
}
