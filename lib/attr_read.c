/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a whole attribute group at once, for saves. rtslib saves the
 * files their owner may read and write. On configfs the kernel's own open()
 * refuses a read-write open of any other file (it checks the mode and the
 * show/store methods), so one open per file answers both questions; a
 * stat per file first would be a third more system calls in a save. On a
 * plain directory (a test root, where root may open anything) the modes
 * are looked at instead.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "private.h"

#define CONFIGFS_MAGIC 0x62656570

bool lio_root_is_configfs(struct lio_ctx *ctx)
{
	struct statfs sfs;

	if (ctx->native == 0)
		ctx->native = statfs(ctx->configfs, &sfs) == 0 && sfs.f_type == CONFIGFS_MAGIC ? 1
											: -1;
	return ctx->native > 0;
}

/* The file open for reading if its owner may read and write it, else -1. */
static int open_rw_file(int dfd, const char *name, bool native)
{
	struct stat st;

	if (native)
		return openat(dfd, name, O_RDWR | O_CLOEXEC);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & (S_IRUSR | S_IWUSR)) != (S_IRUSR | S_IWUSR))
		return -1;
	return openat(dfd, name, O_RDONLY | O_CLOEXEC);
}

static int cmp_value(const void *a, const void *b)
{
	return strcmp(((const struct lio_attr_value *)a)->name,
		      ((const struct lio_attr_value *)b)->name);
}

int lio_attr_read_rw(struct lio_obj *obj, const char *group, struct lio_attr_value **out,
		     size_t *nout)
{
	_cleanup_free_ char *dir = lio_obj_file(obj, NULL, group);
	bool native = lio_root_is_configfs(obj->ctx);
	struct lio_attr_value *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int r = 0;
	DIR *d;

	*out = NULL;
	*nout = 0;
	if (!dir)
		return -ENOMEM;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (r == 0 && (de = readdir(d))) {
		char *text;
		int fd;

		if (de->d_name[0] == '.' || (de->d_type != DT_REG && de->d_type != DT_UNKNOWN))
			continue;
		fd = open_rw_file(dirfd(d), de->d_name, native);
		if (fd < 0)
			continue;
		r = lio_read_fd(fd, &text);
		close(fd);
		/* some kernels refuse reads of attributes they list: left out */
		if (r < 0) {
			r = r == -ENOMEM ? r : 0;
			continue;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct lio_attr_value *nv = realloc(v, ncap * sizeof(*nv));

			if (!nv) {
				free(text);
				r = -ENOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		v[n].value = text;
		v[n].name = strdup(de->d_name);
		if (!v[n++].name)
			r = -ENOMEM;
	}
	closedir(d);
	if (r < 0) {
		lio_attr_values_free(v, n);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_value);
	*out = v;
	*nout = n;
	return 0;
}

void lio_attr_values_free(struct lio_attr_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}
