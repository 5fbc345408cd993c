// SPDX-License-Identifier: GPL-2.0-or-later
/* Typed parameter values, as configshell's ui_type_* helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sh.h"

static const char *const bool_enum[] = { "true", "false", NULL };
static const char *const level_enum[] = {
	"critical", "error", "warning", "info", "verbose", "debug", NULL,
};
static const char *const color_enum[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "default", NULL,
};
static const char *const colordef_enum[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "none", NULL,
};
static const char *const yesno_enum[] = { "Yes", "No", NULL };

const char *const *ptype_enum(enum ptype type)
{
	switch (type) {
	case T_BOOL: return bool_enum;
	case T_LOGLEVEL: return level_enum;
	case T_COLOR: return color_enum;
	case T_COLORDEFAULT: return colordef_enum;
	case T_YESNO: return yesno_enum;
	default: return NULL;
	}
}

const char *ptype_name(enum ptype type)
{
	switch (type) {
	case T_STRING: return "string";
	case T_NUMBER: return "number";
	case T_BOOL: return "bool";
	case T_LOGLEVEL: return "loglevel";
	case T_COLOR: return "color";
	case T_COLORDEFAULT: return "colordefault";
	case T_YESNO: return "yesno";
	}
	return "string";
}

static bool in_enum(const char *const *e, const char *v)
{
	for (; *e; e++)
		if (strcmp(*e, v) == 0)
			return true;
	return false;
}

static char *join_enum(const char *const *e, char *buf, size_t len)
{
	buf[0] = '\0';
	for (; *e; e++) {
		if (buf[0])
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, *e, len - strlen(buf) - 1);
	}
	return buf;
}

static int dup_out(const char *v, char **out)
{
	if (!v) {
		*out = NULL;
		return 0;
	}
	*out = strdup(v);
	return *out ? 0 : -1;
}

bool parse_int(const char *text, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(text, &end, 10);
	if (end == text || errno)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == '\0';
}

int ptype_parse(struct sh *sh, enum ptype type, const char *text, char **out)
{
	char buf[128];
	long long n;

	*out = NULL;
	switch (type) {
	case T_STRING:
		return dup_out(*text ? text : NULL, out);
	case T_NUMBER:
		if (!*text)
			return 0;
		if (!parse_int(text, &n))
			return sh_fail(sh, "Syntax error, '%s' is not a NUMBER.", text);
		snprintf(buf, sizeof(buf), "%lld", n);
		return dup_out(buf, out);
	case T_BOOL:
		if (strcasecmp(text, "true") == 0)
			return dup_out("true", out);
		if (strcasecmp(text, "false") == 0)
			return dup_out("false", out);
		return sh_fail(sh, "Syntax error, '%s' is not %s.", text,
			       join_enum(bool_enum, buf, sizeof(buf)));
	case T_LOGLEVEL:
		if (in_enum(level_enum, text))
			return dup_out(text, out);
		return sh_fail(sh, "Syntax error, '%s' is not %s", text,
			       join_enum(level_enum, buf, sizeof(buf)));
	case T_COLOR:
		if (!*text || strcmp(text, "default") == 0)
			return 0;
		if (in_enum(color_enum, text))
			return dup_out(text, out);
		return sh_fail(sh, "Syntax error, '%s' is not %s", text,
			       join_enum(color_enum, buf, sizeof(buf)));
	case T_COLORDEFAULT:
		if (!*text || strcmp(text, "none") == 0)
			return 0;
		if (in_enum(colordef_enum, text))
			return dup_out(text, out);
		return sh_fail(sh, "Syntax error, '%s' is not %s", text,
			       join_enum(colordef_enum, buf, sizeof(buf)));
	case T_YESNO:
		if (in_enum(yesno_enum, text))
			return dup_out(text, out);
		return sh_fail(sh, "Syntax error, '%s' is not %s.", text,
			       join_enum(yesno_enum, buf, sizeof(buf)));
	}
	return sh_fail(sh, "Unknown type");
}

const char *ptype_show(enum ptype type, const char *value)
{
	switch (type) {
	case T_BOOL:
		/* python truthiness of what the getter returned */
		if (!value || !*value || strcmp(value, "false") == 0 || strcmp(value, "0") == 0 ||
		    strcasecmp(value, "False") == 0)
			return "false";
		return "true";
	case T_COLOR:
		return value ? value : "default";
	case T_COLORDEFAULT:
		return value ? value : "none";
	default:
		return value ? value : "n/a";
	}
}

int parse_bool_loose(const char *text, bool *out)
{
	static const char *const yes[] = { "true", "yes", "y", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "n", "off", "0", NULL };

	for (int i = 0; yes[i]; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int arg_bool(struct sh *sh, const struct args *a, int i, bool def, bool *out)
{
	char *v;

	*out = def;
	if (!a->v[i])
		return 0;
	if (ptype_parse(sh, T_BOOL, a->v[i], &v) < 0)
		return -1;
	*out = strcmp(v, "true") == 0;
	free(v);
	return 0;
}

int arg_number(struct sh *sh, const struct args *a, int i, long long def, long long *out)
{
	*out = def;
	if (!a->v[i] || !*a->v[i])
		return 0;
	if (!parse_int(a->v[i], out))
		return sh_fail(sh, "Syntax error, '%s' is not a NUMBER.", a->v[i]);
	return 0;
}

const char *arg_str(const struct args *a, int i)
{
	return a->v[i] && *a->v[i] ? a->v[i] : NULL;
}
