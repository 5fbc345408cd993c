/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Following configfs symlinks by text. The kernel hands out link targets
 * relative to the configfs root ("../../../../../../target/core/..."), and
 * no directory inside configfs is itself a symlink, so the link's own
 * directory plus the target, with "." and ".." folded, is the object's
 * path. realpath() asks the kernel once per component instead: eight
 * system calls per link, which a listing of every LUN pays many times.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

int lio_path_normalize(const char *in, char out[PATH_MAX])
{
	size_t len = 0;

	if (*in != '/')
		return -EINVAL;
	while (*in) {
		const char *start, *end;
		size_t n;

		while (*in == '/')
			in++;
		start = in;
		while (*in && *in != '/')
			in++;
		end = in;
		n = (size_t)(end - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--; /* the '/' before the dropped component */
			continue;
		}
		if (len + 1 + n >= PATH_MAX)
			return -ENAMETOOLONG;
		out[len++] = '/';
		memcpy(out + len, start, n);
		len += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

/* @target as read from a link in the directory dir[0..dirlen), made absolute. */
static int target_path(const char *dir, size_t dirlen, const char *target, char out[PATH_MAX])
{
	char joined[2 * PATH_MAX + 2];

	if (target[0] == '/' || !dirlen)
		snprintf(joined, sizeof(joined), "%s", target);
	else
		snprintf(joined, sizeof(joined), "%.*s/%s", (int)dirlen, dir, target);
	return lio_path_normalize(joined, out);
}

int lio_resolve_link(const char *link, char out[PATH_MAX])
{
	char target[PATH_MAX];
	const char *slash;
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	int r;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	slash = strrchr(link, '/');
	r = target_path(link, slash ? (size_t)(slash - link) : 0, target, out);
	if (r < 0)
		return r;
	/* a link whose object is gone is broken, as realpath() would say */
	return access(out, F_OK) == 0 ? 0 : -errno;
}

/* Filesystems without d_type (not configfs) need a look at the entry. */
static bool is_link_at(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

int lio_dir_first_link(const char *dir, bool until_short, char **name, char out[PATH_MAX])
{
	char buf[4096], best[NAME_MAX + 1] = "", target[PATH_MAX];
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = -ENOLINK;
	ssize_t got, len;

	if (fd < 0)
		return -errno;
	while ((got = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < got;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if ((de->d_type == DT_LNK || (de->d_type == DT_UNKNOWN && is_link_at(fd, de->d_name))) &&
			    (!*best || lio_natural_cmp(de->d_name, best) < 0))
				snprintf(best, sizeof(best), "%s", de->d_name);
		}
		/* as lio_subdirs_at(): on configfs a short buffer is the last */
		if (until_short && (size_t)got + offsetof(struct dirent64, d_name) + NAME_MAX + 1 <=
					   sizeof(buf))
			break;
	}
	if (got < 0)
		r = -errno;
	else if (*best && out) {
		len = readlinkat(fd, best, target, sizeof(target) - 1);
		if (len < 0) {
			r = -errno;
		} else {
			target[len] = '\0';
			r = target_path(dir, strlen(dir), target, out);
		}
	} else if (*best) {
		r = 0;
	}
	close(fd);
	if (r == 0 && name && !(*name = strdup(best)))
		r = -ENOMEM;
	return r;
}

int lio_dir_link_target(const char *dir, bool until_short, char out[PATH_MAX])
{
	return lio_dir_first_link(dir, until_short, NULL, out);
}
