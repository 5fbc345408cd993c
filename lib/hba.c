/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HBA directories (core/<prefix>_<N>): index choice and creation. Each
 * storage object gets its own HBA, as rtslib-fb does, and the index is
 * shared by all plugins, so it is chosen under the same lock file rtslib-fb
 * uses; a targetcli-fb running next to us then never picks the same number.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "private.h"

/* How often a lost mkdir race (EEXIST) is retried with a fresh listing. */
#define HBA_MKDIR_TRIES 16

int lio_hba_parse(const char *name, char *prefix, size_t prefix_len, unsigned *index)
{
	const char *us = strrchr(name, '_');
	unsigned long long n;
	size_t plen;

	if (!us || us == name)
		return -EINVAL;
	if (lio_parse_uint(us + 1, LIO_HBA_INDEX_MAX, &n) < 0)
		return -EINVAL;
	plen = (size_t)(us - name);
	if (prefix) {
		if (plen >= prefix_len)
			return -EINVAL;
		memcpy(prefix, name, plen);
		prefix[plen] = '\0';
	}
	*index = (unsigned)n;
	return 0;
}

int lio_hba_free_index(char *const *names, size_t n, unsigned *index)
{
	_cleanup_free_ unsigned *used = NULL;
	size_t count = 0;
	long free_index;

	if (n) {
		used = malloc(n * sizeof(*used));
		if (!used)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned idx;

		if (lio_hba_parse(names[i], NULL, 0, &idx) == 0)
			used[count++] = idx;
	}
	free_index = lio_first_free_index(used, count, LIO_HBA_INDEX_MAX);
	if (free_index < 0)
		return -ENOSPC;
	*index = (unsigned)free_index;
	return 0;
}

int lio_hba_lock(struct lio_ctx *ctx, int *fd)
{
	int lfd;

	*fd = -1;
	/*
	 * No lock file (its directory is missing or not ours, as with a test
	 * root): go on unlocked; the mkdir retry below still keeps two
	 * creators from sharing a directory.
	 */
	lfd = open(ctx->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0)
		return 0;
	while (flock(lfd, LOCK_EX) < 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(lfd);
		return lio_err(ctx, -e, "Cannot lock %s: %s", ctx->lock_path, strerror(e));
	}
	*fd = lfd;
	return 0;
}

void lio_hba_unlock(int fd)
{
	if (fd < 0)
		return;
	flock(fd, LOCK_UN);
	close(fd);
}

int lio_hba_mkdir(struct lio_ctx *ctx, const char *prefix, unsigned *index)
{
	_cleanup_free_ char *core = lio_strdupf("%s/core", ctx->root);
	bool from_file, trust_file = true;
	int r = -EEXIST;

	if (!core)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	for (int tries = 0; tries < HBA_MKDIR_TRIES && r == -EEXIST; tries++) {
		_cleanup_free_ char *path = NULL;
		char **names;
		size_t n;
		unsigned idx;

		r = lio_so_index_free_hba(ctx, &idx);
		/* the names cache, while it is core/ as it is: no listing */
		from_file = false;
		if (r > 0 && trust_file) {
			r = lio_so_names_free_hba(ctx, &idx);
			from_file = r <= 0;
		}
		if (r > 0) {
			/* unsorted: the numbers are sorted below, the names need not be */
			r = lio_subdirs_at(AT_FDCWD, core, lio_root_is_configfs(ctx), &names, &n);
			if (r < 0)
				return lio_err(ctx, r, "Cannot list %s: %s", core, strerror(-r));
			r = lio_hba_free_index(names, n, &idx);
			lio_strv_free(names, n);
		}
		if (r == -ENOSPC)
			return lio_err(ctx, r, "No available backstore index");
		if (r < 0)
			return lio_err(ctx, r, "Out of memory");
		path = lio_strdupf("%s/%s_%u", core, prefix, idx);
		if (!path)
			return lio_err(ctx, -ENOMEM, "Out of memory");
		r = lio_mkdir(ctx, path);
		if (r == 0) {
			*index = idx;
			lio_so_index_hba(ctx, idx, true);
		} else if (r == -EEXIST) {
			lio_so_index_drop(ctx); /* another tool took it: look again */
			if (from_file) {
				/* the file said free: it is wrong, from now on list */
				lio_so_names_forget(ctx);
				trust_file = false;
			}
		}
	}
	return r;
}
