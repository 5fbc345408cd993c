/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Restore reports: one-line messages, and the JSON helpers they use. */
#include <stdio.h>

#include "config_restore_int.h"

int lio_strv_addf(char ***v, size_t *n, const char *fmt, ...)
{
	char **nv, *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	/* One line each: a stray newline in a value must not split it. */
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

void lio_strv_clear(char ***v, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

void lio_restore_report_clear(struct lio_restore_report *rep)
{
	if (!rep)
		return;
	lio_strv_clear(&rep->errors, &rep->nerrors);
	lio_strv_clear(&rep->warnings, &rep->nwarnings);
	lio_strv_clear(&rep->plan, &rep->nplan);
}

const char *lio_json_show(struct json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
}

char *lio_json_scalar_text(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_int:
		return lio_strdupf("%lld", (long long)json_object_get_int64(v));
	case json_type_boolean:
		return strdup(json_object_get_boolean(v) ? "1" : "0");
	case json_type_string:
		return strdup(json_object_get_string(v));
	case json_type_double: {
		double d = json_object_get_double(v);

		if (d == (double)(long long)d)
			return lio_strdupf("%lld", (long long)d);
		return lio_strdupf("%g", d);
	}
	default:
		return NULL;
	}
}

const char *lio_json_type_desc(enum json_type t)
{
	switch (t) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "unknown";
}

struct json_object *lio_jget(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return json_object_is_type(v, json_type_null) ? NULL : v;
}

const char *lio_jstr(struct json_object *obj, const char *key)
{
	struct json_object *v = lio_jget(obj, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							      : NULL;
}

bool lio_jbool(struct json_object *obj, const char *key, bool dflt)
{
	struct json_object *v = lio_jget(obj, key);

	return v && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v)
							       : dflt;
}

long long lio_jint(struct json_object *obj, const char *key, long long dflt)
{
	struct json_object *v = lio_jget(obj, key);

	return v && json_object_is_type(v, json_type_int) ? (long long)json_object_get_int64(v)
							   : dflt;
}

int lio_so_ref_parse(const char *ref, enum lio_plugin *plugin, const char **name)
{
	static const char prefix[] = "/backstores/";
	char buf[32];
	const char *p, *slash;

	if (!ref || strncmp(ref, prefix, sizeof(prefix) - 1))
		return -EINVAL;
	p = ref + sizeof(prefix) - 1;
	slash = strchr(p, '/');
	if (!slash || slash == p || (size_t)(slash - p) >= sizeof(buf) || !slash[1] ||
	    strchr(slash + 1, '/'))
		return -EINVAL;
	memcpy(buf, p, (size_t)(slash - p));
	buf[slash - p] = '\0';
	if (lio_plugin_from_name(buf, plugin) < 0)
		return -EINVAL;
	*name = slash + 1;
	return 0;
}
