/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The generic handle every typed object shares, and its config groups. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "private.h"

void *lio_obj_alloc(struct lio_ctx *ctx, const struct lio_obj_ops *ops, size_t size,
		    struct lio_obj *parent, const char *parent_path, const char *name)
{
	struct lio_obj *obj = calloc(1, size);

	if (!obj)
		return NULL;
	obj->refcount = 1;
	obj->ops = ops;
	obj->name = strdup(name);
	obj->path = lio_strdupf("%s/%s", parent ? parent->path : parent_path, name);
	if (!obj->name || !obj->path) {
		free(obj->name);
		free(obj->path);
		free(obj);
		return NULL;
	}
	obj->ctx = lio_ref(ctx);
	obj->parent = lio_obj_ref(parent);
	return obj;
}

struct lio_obj *lio_obj_ref(struct lio_obj *obj)
{
	if (obj)
		obj->refcount++;
	return obj;
}

struct lio_obj *lio_obj_unref(struct lio_obj *obj)
{
	if (!obj || --obj->refcount > 0)
		return NULL;
	if (obj->ops->destroy)
		obj->ops->destroy(obj);
	lio_obj_unref(obj->parent);
	lio_unref(obj->ctx);
	free(obj->name);
	free(obj->path);
	free(obj);
	return NULL;
}

enum lio_kind lio_obj_kind(const struct lio_obj *obj)
{
	return obj->ops->kind;
}

const char *lio_obj_name(const struct lio_obj *obj)
{
	return obj->name;
}

const char *lio_obj_path(const struct lio_obj *obj)
{
	return obj->path;
}

struct lio_ctx *lio_obj_ctx(const struct lio_obj *obj)
{
	return obj->ctx;
}

bool lio_obj_exists(const struct lio_obj *obj)
{
	return lio_is_dir(obj->path);
}

#define KIND_CAST(fn, type, want)                                              \
	struct type *fn(struct lio_obj *obj)                                   \
	{                                                                      \
		return obj && obj->ops->kind == (want) ? (struct type *)obj : NULL; \
	}
KIND_CAST(lio_obj_so, lio_so, LIO_KIND_SO)
KIND_CAST(lio_obj_target, lio_target, LIO_KIND_TARGET)
KIND_CAST(lio_obj_tpg, lio_tpg, LIO_KIND_TPG)
KIND_CAST(lio_obj_lun, lio_lun, LIO_KIND_LUN)
KIND_CAST(lio_obj_acl, lio_acl, LIO_KIND_ACL)
KIND_CAST(lio_obj_mapped_lun, lio_mapped_lun, LIO_KIND_MAPPED_LUN)
KIND_CAST(lio_obj_portal, lio_portal, LIO_KIND_PORTAL)
KIND_CAST(lio_obj_alua_tpg, lio_alua_tpg, LIO_KIND_ALUA_TPG)

void lio_list_free(void *list, size_t n)
{
	struct lio_obj **objs = list;

	if (!objs)
		return;
	for (size_t i = 0; i < n; i++)
		lio_obj_unref(objs[i]);
	free(objs);
}

char *lio_obj_file(const struct lio_obj *obj, const char *group, const char *name)
{
	if (!group || !*group)
		return lio_strdupf("%s/%s", obj->path, name);
	return lio_strdupf("%s/%s/%s", obj->path, group, name);
}

static bool valid_component(const char *s)
{
	return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

static int check_group_name(struct lio_obj *obj, const char *group, const char *name)
{
	if ((group && *group && !valid_component(group)) || !valid_component(name))
		return lio_err(obj->ctx, -EINVAL, "Invalid parameter name '%s'", name ? name : "");
	return 0;
}

int lio_attr_list(struct lio_obj *obj, const char *group, struct lio_attr **attrs,
		  size_t *n)
{
	_cleanup_free_ char *dir = NULL;
	struct lio_attr *list = NULL;
	size_t count = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*attrs = NULL;
	*n = 0;
	dir = group && *group ? lio_strdupf("%s/%s", obj->path, group) : strdup(obj->path);
	if (!dir)
		return -ENOMEM;
	d = opendir(dir);
	if (!d) {
		int e = errno;
		if (e == ENOENT)
			return 0;
		return lio_err(obj->ctx, -e, "Cannot list %s: %s", dir, strerror(e));
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct lio_attr *nl = realloc(list, ncap * sizeof(*nl));

			if (!nl)
				goto enomem;
			list = nl;
			cap = ncap;
		}
		list[count].name = strdup(de->d_name);
		if (!list[count].name)
			goto enomem;
		list[count].readable = st.st_mode & S_IRUSR;
		list[count].writable = st.st_mode & S_IWUSR;
		count++;
	}
	closedir(d);
	for (size_t i = 1; i < count; i++) /* insertion sort: lists are short */
		for (size_t j = i; j > 0 && strcmp(list[j - 1].name, list[j].name) > 0; j--) {
			struct lio_attr t = list[j];
			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	*attrs = list;
	*n = count;
	return 0;
enomem:
	closedir(d);
	lio_attrs_free(list, count);
	return -ENOMEM;
}

void lio_attrs_free(struct lio_attr *attrs, size_t n)
{
	if (!attrs)
		return;
	for (size_t i = 0; i < n; i++)
		free(attrs[i].name);
	free(attrs);
}

int lio_attr_get(struct lio_obj *obj, const char *group, const char *name, char **value)
{
	_cleanup_free_ char *path = NULL;
	int r = check_group_name(obj, group, name);

	if (r < 0)
		return r;
	path = lio_obj_file(obj, group, name);
	if (!path)
		return -ENOMEM;
	/* read first, explain after: a save reads thousands of these */
	r = lio_read_file(obj->ctx, path, value);
	if (r == -ENOENT)
		return lio_err(obj->ctx, -ENOENT, "No parameter %s in %s", name,
			       group && *group ? group : obj->name);
	return r;
}

int lio_attr_set(struct lio_obj *obj, const char *group, const char *name,
		 const char *value)
{
	_cleanup_free_ char *path = NULL;
	int r = check_group_name(obj, group, name);

	if (r < 0)
		return r;
	path = lio_obj_file(obj, group, name);
	if (!path)
		return -ENOMEM;
	r = lio_write_file(obj->ctx, path, value);
	if (r == -ENOENT)
		return lio_err(obj->ctx, -ENOENT, "No parameter %s in %s", name,
			       group && *group ? group : obj->name);
	if (r < 0)
		return lio_err(obj->ctx, r, "Cannot set %s to '%s': %s", name, value,
			       strerror(-r));
	return 0;
}

static const char *const auth_files[LIO_AUTH_KEYS] = {
	[LIO_AUTH_USERID] = "userid",
	[LIO_AUTH_PASSWORD] = "password",
	[LIO_AUTH_MUTUAL_USERID] = "userid_mutual",
	[LIO_AUTH_MUTUAL_PASSWORD] = "password_mutual",
};

const char *lio_auth_file(enum lio_auth_key key)
{
	return (unsigned)key < LIO_AUTH_KEYS ? auth_files[key] : NULL;
}

/* The kernel shows an unset credential as "NULL"; callers see "". */
int lio_auth_read_path(struct lio_ctx *ctx, const char *path, char **value)
{
	int r = lio_read_file(ctx, path, value);

	if (r < 0)
		return r;
	if (!strcmp(*value, "NULL"))
		(*value)[0] = '\0';
	return 0;
}

int lio_auth_write_path(struct lio_ctx *ctx, const char *path, const char *value)
{
	if (!value)
		value = "";
	if (!strcmp(value, "NULL"))
		return lio_err(ctx, -EINVAL, "'NULL' is not a valid CHAP value");
	if (strlen(value) > 255)
		return lio_err(ctx, -EINVAL, "CHAP values are at most 255 characters");
	if (strpbrk(value, "\n\r"))
		return lio_err(ctx, -EINVAL, "CHAP values cannot contain line breaks");
	return lio_write_file(ctx, path, *value ? value : "NULL");
}

int lio_auth_get(struct lio_obj *obj, enum lio_auth_key key, char **value)
{
	_cleanup_free_ char *path = NULL;

	if (!lio_auth_file(key))
		return lio_err(obj->ctx, -EINVAL, "Unknown auth key");
	path = lio_obj_file(obj, "auth", auth_files[key]);
	if (!path)
		return -ENOMEM;
	return lio_auth_read_path(obj->ctx, path, value);
}

int lio_auth_set(struct lio_obj *obj, enum lio_auth_key key, const char *value)
{
	_cleanup_free_ char *path = NULL;

	if (!lio_auth_file(key))
		return lio_err(obj->ctx, -EINVAL, "Unknown auth key");
	path = lio_obj_file(obj, "auth", auth_files[key]);
	if (!path)
		return -ENOMEM;
	return lio_auth_write_path(obj->ctx, path, value);
}
