// SPDX-License-Identifier: GPL-2.0-or-later
#include "prefs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Defaults are targetcli-fb's TargetCLI.default_prefs (section 2). */
const struct pref_def pref_defs[] = {
	{ "auto_add_default_portal", T_BOOL, "true",
	  "If true, adds a portal listening on all IPs to new targets." },
	{ "auto_add_mapped_luns", T_BOOL, "true",
	  "If true, automatically create node ACLs mapped LUNs after creating a new target LUN or a new node ACL" },
	{ "auto_cd_after_create", T_BOOL, "false",
	  "If true, changes current path to newly created objects." },
	{ "auto_enable_tpgt", T_BOOL, "true", "If true, automatically enables TPGTs upon creation." },
	{ "auto_save_on_exit", T_BOOL, "true", "If true, saves configuration on exit." },
	{ "auto_use_daemon", T_BOOL, "false", "If true, commands will be sent to targetclid." },
	{ "color_command", T_COLOR, "cyan", "Color to use for command completions." },
	{ "color_default", T_COLORDEFAULT, NULL, "Default text display color." },
	{ "color_keyword", T_COLOR, "cyan", "Color to use for keyword completions." },
	{ "color_mode", T_BOOL, "true", "Console color display mode." },
	{ "color_parameter", T_COLOR, "magenta", "Color to use for parameter completions." },
	{ "color_path", T_COLOR, "magenta", "Color to use for path completions" },
	{ "daemon_use_batch_mode", T_BOOL, "false",
	  "If true, use batch mode for daemonized approach." },
	{ "export_backstore_name_as_model", T_BOOL, "true",
	  "If true, the backstore name is used for the scsi inquiry model name." },
	{ "logfile", T_STRING, NULL, "Logfile to use." },
	{ "loglevel_console", T_LOGLEVEL, "info", "Log level for messages going to the console." },
	{ "loglevel_file", T_LOGLEVEL, "debug", "Log level for messages going to the log file." },
	{ "max_backup_files", T_STRING, "10",
	  "Max no. of configurations to be backed up in /etc/target/backup/ directory." },
	{ "prompt_length", T_NUMBER, "30", "Max length of the shell prompt path, 0 for infinite." },
	{ "tree_max_depth", T_NUMBER, "0", "Maximum depth of displayed node tree." },
	{ "tree_round_nodes", T_BOOL, "true", "Tree node display style." },
	{ "tree_show_root", T_BOOL, "true", "Whether or not to display tree root." },
	{ "tree_status_mode", T_BOOL, "true", "Whether or not to display status in tree." },
};
const size_t pref_count = sizeof(pref_defs) / sizeof(pref_defs[0]);

#define FILE_NAME "prefs.conf"
#define MARK_PREFIX "bookmark."

int pref_index(const char *name)
{
	for (size_t i = 0; i < pref_count; i++)
		if (strcmp(pref_defs[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *pref_get(const struct prefs *p, const char *name)
{
	int i = pref_index(name);

	return i < 0 ? NULL : p->values[i];
}

bool pref_bool(const struct prefs *p, const char *name)
{
	const char *v = pref_get(p, name);

	return v && strcmp(v, "true") == 0;
}

long long pref_int(const struct prefs *p, const char *name)
{
	const char *v = pref_get(p, name);

	return v ? strtoll(v, NULL, 10) : 0;
}

static int set_str(char **slot, const char *value)
{
	char *copy = NULL;

	if (value && !(copy = strdup(value)))
		return -1;
	free(*slot);
	*slot = copy;
	return 0;
}

int pref_set(struct prefs *p, const char *name, const char *value)
{
	int i = pref_index(name);

	if (i < 0)
		return -1;
	return set_str(&p->values[i], value);
}

const char *bookmark_get(const struct prefs *p, const char *name)
{
	for (size_t i = 0; i < p->nmarks; i++)
		if (strcmp(p->marks[i].name, name) == 0)
			return p->marks[i].path;
	return NULL;
}

int bookmark_set(struct prefs *p, const char *name, const char *path)
{
	struct bookmark *m;

	for (size_t i = 0; i < p->nmarks; i++)
		if (strcmp(p->marks[i].name, name) == 0)
			return set_str(&p->marks[i].path, path);
	m = realloc(p->marks, (p->nmarks + 1) * sizeof(*m));
	if (!m)
		return -1;
	p->marks = m;
	m[p->nmarks].name = strdup(name);
	m[p->nmarks].path = strdup(path);
	if (!m[p->nmarks].name || !m[p->nmarks].path) {
		free(m[p->nmarks].name);
		free(m[p->nmarks].path);
		return -1;
	}
	p->nmarks++;
	return 0;
}

int bookmark_del(struct prefs *p, const char *name)
{
	for (size_t i = 0; i < p->nmarks; i++) {
		if (strcmp(p->marks[i].name, name) != 0)
			continue;
		free(p->marks[i].name);
		free(p->marks[i].path);
		memmove(&p->marks[i], &p->marks[i + 1], (p->nmarks - i - 1) * sizeof(*p->marks));
		p->nmarks--;
		return 0;
	}
	return -1;
}

static void history_clear(struct prefs *p)
{
	for (size_t i = 0; i < p->nhistory; i++)
		free(p->history[i]);
	free(p->history);
	p->history = NULL;
	p->nhistory = p->history_index = 0;
}

static int history_append(struct prefs *p, const char *path)
{
	char **h = realloc(p->history, (p->nhistory + 1) * sizeof(*h));

	if (!h)
		return -1;
	p->history = h;
	if (!(h[p->nhistory] = strdup(path)))
		return -1;
	p->nhistory++;
	return 0;
}

/* configshell's cd: truncate after the current index, then append. */
int history_push(struct prefs *p, const char *path)
{
	if (p->nhistory == 0 && history_append(p, "/") < 0)
		return -1;
	if (p->history_index >= p->nhistory)
		p->history_index = p->nhistory - 1;
	if (strcmp(p->history[p->history_index], path) == 0)
		return 0;
	while (p->nhistory > p->history_index + 1)
		free(p->history[--p->nhistory]);
	if (history_append(p, path) < 0)
		return -1;
	p->history_index = p->nhistory - 1;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Unknown keys and bad values are skipped: a hand-edited file must not stop the shell. */
static void load_line(struct prefs *p, char *line)
{
	char *eq, *key, *value;
	int i;

	line = trim(line);
	if (!*line || *line == '#' || !(eq = strchr(line, '=')))
		return;
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (strncmp(key, MARK_PREFIX, strlen(MARK_PREFIX)) == 0) {
		if (*value == '/')
			bookmark_set(p, key + strlen(MARK_PREFIX), value);
	} else if (strcmp(key, "path_history") == 0) {
		history_clear(p);
		for (char *save, *tok = strtok_r(value, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			if (*tok == '/')
				history_append(p, tok);
	} else if (strcmp(key, "path_history_index") == 0) {
		p->history_index = strtoul(value, NULL, 10);
	} else if ((i = pref_index(key)) >= 0) {
		/* "None" is how an unset value is written */
		set_str(&p->values[i], strcmp(value, "None") == 0 ? NULL : value);
	}
}

struct prefs *prefs_new(const char *dir)
{
	struct prefs *p = calloc(1, sizeof(*p));
	char *path = NULL;
	char line[4096];
	FILE *f;

	if (!p)
		return NULL;
	for (size_t i = 0; i < pref_count; i++)
		if (pref_defs[i].def && !(p->values[i] = strdup(pref_defs[i].def)))
			return prefs_free(p);
	if (!dir)
		return p;
	if (!(p->dir = strdup(dir)) || asprintf(&path, "%s/" FILE_NAME, dir) < 0)
		return prefs_free(p);
	/* as configshell: the directory exists from the start (log file, history) */
	mkdir(dir, 0700);
	/* configshell: logfile defaults to <prefs dir>/log.txt */
	if (asprintf(&p->values[pref_index("logfile")], "%s/log.txt", dir) < 0)
		p->values[pref_index("logfile")] = NULL;
	f = fopen(path, "re");
	free(path);
	if (f) {
		while (fgets(line, sizeof(line), f))
			load_line(p, line);
		fclose(f);
	}
	if (p->history_index >= p->nhistory)
		p->history_index = p->nhistory ? p->nhistory - 1 : 0;
	return p;
}

struct prefs *prefs_free(struct prefs *p)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < pref_count; i++)
		free(p->values[i]);
	for (size_t i = 0; i < p->nmarks; i++) {
		free(p->marks[i].name);
		free(p->marks[i].path);
	}
	free(p->marks);
	history_clear(p);
	free(p->dir);
	free(p);
	return NULL;
}

/* Written to a temporary file and renamed, so a reader never sees half a file. */
int prefs_save(struct prefs *p)
{
	char *path = NULL, *tmp = NULL;
	int r = -1, fd;
	FILE *f;

	if (!p->dir)
		return 0;
	if (mkdir(p->dir, 0700) < 0 && errno != EEXIST)
		return -1;
	if (asprintf(&path, "%s/" FILE_NAME, p->dir) < 0)
		return -1;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		free(path);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		goto out;
	}
	fputs("# targetcli preferences (key = value); see `help set` and `get global`\n", f);
	for (size_t i = 0; i < pref_count; i++)
		fprintf(f, "%s = %s\n", pref_defs[i].name, p->values[i] ? p->values[i] : "None");
	for (size_t i = 0; i < p->nmarks; i++)
		fprintf(f, MARK_PREFIX "%s = %s\n", p->marks[i].name, p->marks[i].path);
	if (p->nhistory) {
		fputs("path_history =", f);
		for (size_t i = 0; i < p->nhistory; i++)
			fprintf(f, " %s", p->history[i]);
		fprintf(f, "\npath_history_index = %zu\n", p->history_index);
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(path);
	free(tmp);
	return r;
}
