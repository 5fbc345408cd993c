/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The printer: every byte the shell shows goes through here, so that the
 * same calls can later produce JSON, and so that output can be captured
 * by tests (out/err are plain FILE streams).
 *
 * Log messages follow configshell's log.py: critical and error go to
 * stderr, everything else to stdout; with color_mode they are coloured by
 * level (only on a tty), without it they are prefixed "Level: ".
 */
#ifndef SH_PRINT_H
#define SH_PRINT_H

#include <stdbool.h>
#include <stdio.h>

enum loglevel {
	LOG_CRITICAL,
	LOG_ERROR,
	LOG_WARNING,
	LOG_INFO,
	LOG_VERBOSE,
	LOG_DEBUG,
};
#define LOG_LEVELS 6

enum style {
	ST_BOLD = 1 << 0,
	ST_UNDERLINE = 1 << 1,
};

struct printer {
	FILE *out;
	FILE *err;
	bool tty;          /* out is a terminal */
	bool err_tty;      /* err is a terminal */
	bool color_mode;   /* the color_mode pref */
	int level;         /* console log level */
	char *color_default; /* color_default pref, NULL: none */
	int width_override;  /* tests: fixed width when > 0 */
	char *logfile;       /* logfile pref: messages are appended there too */
	int file_level;      /* loglevel_file pref */
	FILE *logf;          /* logfile, open while a command runs */
};

void pr_init(struct printer *pr, FILE *out, FILE *err);
const char *pr_level_name(enum loglevel level);
int pr_level_from_name(const char *name);

void pr_log(struct printer *pr, enum loglevel level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define pr_info(pr, ...) pr_log(pr, LOG_INFO, __VA_ARGS__)
#define pr_warn(pr, ...) pr_log(pr, LOG_WARNING, __VA_ARGS__)
#define pr_error(pr, ...) pr_log(pr, LOG_ERROR, __VA_ARGS__)

/*
 * Close the log file: after each command (one opening serves all of its
 * messages; a rotated file is then left at the next) and when the logfile
 * pref changes.
 */
void pr_log_close(struct printer *pr);

/* A plain line on stdout (configshell's con.display). */
void pr_line(struct printer *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text as is, no newline added. */
void pr_raw(struct printer *pr, const char *text);
/* A plain message on stderr, uncoloured (one-shot errors). */
void pr_errline(struct printer *pr, const char *msg);
/* Text rendered with colour and styles when colours are on (may be NULL color). */
void pr_styled(struct printer *pr, const char *text, const char *color, unsigned styles);
bool pr_colors(const struct printer *pr);
/*
 * One node of an `ls` tree. The printer lays it out (configshell's
 * _render_tree): margins of "| " or "  ", "o- " or "+- ", the name
 * coloured by depth, dots to the console width, then " [summary]".
 */
struct tree_line {
	const bool *pipes;  /* one per margin column: draw a "|" */
	size_t npipes;
	const char *name;
	const char *desc;   /* NULL: statuses hidden (tree_status_mode=false) */
	int health;         /* -1 none, 0 bad (red), 1 good (green) */
	int level;          /* depth of the node's path, for its colour */
	bool root;          /* the listed node: bold and underlined */
	bool round;         /* "o-" rather than "+-" */
};
void pr_tree_line(struct printer *pr, const struct tree_line *l);

/* Console width: terminal width capped at 132, or 132 when not a tty. */
int pr_width(const struct printer *pr);
extern const char *const pr_color_names[]; /* NULL-terminated */

#endif
