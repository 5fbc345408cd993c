/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files that remember what large configfs directories held (so_names.c,
 * lun_cache.c), in /run/lio. A file is trusted only when it and its
 * directory belong to the user and nobody else can write them; it is
 * written whole and renamed over, so readers see the old or the new one.
 * Each use checks what it reads against the directory's dir key, so a
 * missing, old or foreign file only costs a listing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

#define LIO_DEFAULT_CACHE_DIR "/run/lio"

static bool private_st(const struct lio_ctx *ctx, const struct stat *st)
{
	return st->st_uid == ctx->euid && !(st->st_mode & 022);
}

/*
 * As set, else /run/lio for root on the kernel's configfs. A tree of plain
 * directories (tests) reuses inode numbers, so it gets none unless one is
 * set.
 */
static const char *cache_dir(struct lio_ctx *ctx)
{
	if (ctx->cache_dir_set)
		return ctx->cache_dir;
	return ctx->euid == 0 && lio_root_is_configfs(ctx) ? LIO_DEFAULT_CACHE_DIR : NULL;
}

/*
 * The cache directory, opened once for the context: a command looks at
 * several files (the names cache, a TPG's and each ACL's LUNs), each one
 * openat() away. It is judged at each use, as a long-lived shell may see
 * its mode change. -1 when there is none (made first with @create) or it
 * is not ours alone. A directory removed while the context lives only
 * costs its files: what they say is checked against configfs anyway.
 */
static int cache_dirfd(struct lio_ctx *ctx, bool create)
{
	struct stat st;
	const char *dir = cache_dir(ctx);

	if (ctx->cache_dirfd < 0 && dir) {
		if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -1;
		ctx->cache_dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (ctx->cache_dirfd < 0 || fstat(ctx->cache_dirfd, &st) < 0 || !private_st(ctx, &st))
		return -1;
	return ctx->cache_dirfd;
}

void lio_cache_close(struct lio_ctx *ctx)
{
	if (ctx->cache_dirfd >= 0)
		close(ctx->cache_dirfd);
	ctx->cache_dirfd = -1;
}

bool lio_cache_enabled(struct lio_ctx *ctx)
{
	return cache_dir(ctx) != NULL;
}

/*
 * The whole file as it is (lio_read_fd() trims it), into one buffer of
 * the @size fstat gave when the file is not growing.
 */
static int read_all(int fd, off_t size, char **out)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	if (size > 0 && (uint64_t)size < SIZE_MAX / 2) {
		cap = (size_t)size + 1; /* one byte more: a read of 0 ends it */
		buf = malloc(cap + 1);
		if (!buf)
			return -ENOMEM;
	}
	for (;;) {
		ssize_t got;

		if (cap - len < 1) {
			char *nb = realloc(buf, cap + 65536 + 1);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap += 65536;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return -errno;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* The file open for reading if its directory is ours alone, else -1. */
static int open_cached(struct lio_ctx *ctx, const char *name)
{
	int dirfd = cache_dirfd(ctx, false);

	return dirfd < 0 ? -1 : openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

int lio_cache_read(struct lio_ctx *ctx, const char *name, char **text)
{
	struct stat st;
	int fd, r;

	*text = NULL;
	fd = open_cached(ctx, name);
	if (fd < 0)
		return -ENOENT;
	r = fstat(fd, &st) == 0 && private_st(ctx, &st) ? read_all(fd, st.st_size, text) : -EPERM;
	close(fd);
	return r;
}

/*
 * The file mapped rather than read: no copy, and the pages are the page
 * cache's, so a large file costs no fresh memory. A file whose size is a
 * multiple of the page size has no zero byte after its end in the mapping:
 * that one is read.
 */
int lio_cache_map(struct lio_ctx *ctx, const char *name, struct lio_cache_text *t)
{
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	int fd, r = 0;

	*t = (struct lio_cache_text){ .text = "" };
	fd = open_cached(ctx, name);
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) < 0 || !private_st(ctx, &st) || !S_ISREG(st.st_mode)) {
		r = -EPERM;
	} else if (st.st_size > 0 && page > 0 && st.st_size % page &&
		   (uint64_t)st.st_size < SIZE_MAX / 2) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
			       0);

		if (m != MAP_FAILED) {
			t->map = m;
			t->text = m;
			t->len = (size_t)st.st_size;
		}
	}
	if (r == 0 && !t->map) {
		r = read_all(fd, st.st_size, &t->buf);
		if (r == 0) {
			t->text = t->buf;
			t->len = strlen(t->buf);
		}
	}
	close(fd);
	return r;
}

void lio_cache_unmap(struct lio_cache_text *t)
{
	if (t->map)
		munmap(t->map, t->len);
	free(t->buf);
	*t = (struct lio_cache_text){ .text = "" };
}

void lio_cache_write(struct lio_ctx *ctx, const char *name, lio_cache_writer_fn fn,
		     const void *arg)
{
	char tmp[NAME_MAX + 1];
	FILE *f;
	int dirfd = cache_dirfd(ctx, true), fd, bad;

	if (dirfd < 0 ||
	    (size_t)snprintf(tmp, sizeof(tmp), ".%.200s.%d", name, (int)getpid()) >= sizeof(tmp))
		return;
	(void)unlinkat(dirfd, tmp, 0); /* left by a process of this pid that died */
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0) {
			close(fd);
			(void)unlinkat(dirfd, tmp, 0);
		}
		return;
	}
	bad = fn(f, arg) < 0;
	if (fclose(f) != 0 || bad || renameat(dirfd, tmp, dirfd, name) < 0)
		(void)unlinkat(dirfd, tmp, 0);
}

void lio_cache_remove(struct lio_ctx *ctx, const char *name)
{
	int dirfd = cache_dirfd(ctx, false);

	if (dirfd >= 0)
		(void)unlinkat(dirfd, name, 0);
}

int lio_set_cache_dir(struct lio_ctx *ctx, const char *dir)
{
	char *copy = NULL;

	if (dir && !(copy = strdup(dir)))
		return lio_err(ctx, -ENOMEM, "Out of memory");
	lio_cache_close(ctx);
	free(ctx->cache_dir);
	ctx->cache_dir = copy;
	ctx->cache_dir_set = true;
	return 0;
}

int lio_dir_key_at(int dirfd, const char *path, struct lio_dir_key *key)
{
	struct stat st;

	if (fstatat(dirfd, path, &st, 0) < 0)
		return -errno;
	*key = (struct lio_dir_key){
		.dev = (uint64_t)st.st_dev,
		.ino = (uint64_t)st.st_ino,
		.mtime_s = (int64_t)st.st_mtim.tv_sec,
		.mtime_ns = st.st_mtim.tv_nsec,
		.ctime_s = (int64_t)st.st_ctim.tv_sec,
		.ctime_ns = st.st_ctim.tv_nsec,
		.nlink = (uint64_t)st.st_nlink,
	};
	return 0;
}

bool lio_dir_key_eq(const struct lio_dir_key *a, const struct lio_dir_key *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->mtime_s == b->mtime_s &&
	       a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s &&
	       a->ctime_ns == b->ctime_ns && a->nlink == b->nlink;
}

int lio_dir_key_print(FILE *f, const struct lio_dir_key *k)
{
	return fprintf(f, "%llu %llu %lld %ld %lld %ld %llu\n", (unsigned long long)k->dev,
		       (unsigned long long)k->ino, (long long)k->mtime_s, k->mtime_ns,
		       (long long)k->ctime_s, k->ctime_ns, (unsigned long long)k->nlink);
}

int lio_dir_key_parse(const char *line, struct lio_dir_key *k)
{
	unsigned long long dev, ino, nlink;
	long long ms, cs;
	long mns, cns;
	char end;

	if (sscanf(line, "%llu %llu %lld %ld %lld %ld %llu%c", &dev, &ino, &ms, &mns, &cs, &cns,
		   &nlink, &end) != 7)
		return -EINVAL;
	*k = (struct lio_dir_key){ .dev = dev, .ino = ino, .mtime_s = ms, .mtime_ns = mns,
				   .ctime_s = cs, .ctime_ns = cns, .nlink = nlink };
	return 0;
}
