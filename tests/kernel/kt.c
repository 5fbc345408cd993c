#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kt.h"

extern char **environ;

struct lio_ctx *kt_ctx(void)
{
	struct lio_ctx *ctx = NULL;
	int r = lio_new(&ctx, NULL);

	if (r < 0) {
		fprintf(stderr, "lio_new: %d\n", r);
		exit(2);
	}
	r = lio_setup(ctx, NULL, 0);
	if (r < 0) {
		fprintf(stderr, "lio_setup: %s\n", lio_errmsg(ctx));
		exit(2);
	}
	return ctx;
}

int kt_run(char **out, const char *const *env_extra, const char *const argv[])
{
	posix_spawn_file_actions_t fa;
	char **envp = environ;
	size_t nenv = 0, nextra = 0;
	int pipefd[2], status;
	pid_t pid;

	if (env_extra) {
		while (environ[nenv])
			nenv++;
		while (env_extra[nextra])
			nextra++;
		envp = calloc(nenv + nextra + 1, sizeof(*envp));
		memcpy(envp, environ, nenv * sizeof(*envp));
		memcpy(envp + nenv, env_extra, nextra * sizeof(*envp));
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, envp)) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		if (envp != environ)
			free(envp);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (envp != environ)
		free(envp);
	close(pipefd[1]);

	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;
	while ((r = read(pipefd[0], buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);

	fprintf(stderr, "$");
	for (size_t i = 0; argv[i]; i++)
		fprintf(stderr, " %s", argv[i]);
	fprintf(stderr, "\n%s", buf);
	if (len && buf[len - 1] != '\n')
		fputc('\n', stderr);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct strbuf *sb, const char *line)
{
	size_t l = strlen(line);

	if (sb->len + l + 2 > sb->cap) {
		sb->cap = (sb->len + l + 2) * 2;
		sb->s = realloc(sb->s, sb->cap);
	}
	memcpy(sb->s + sb->len, line, l);
	sb->len += l;
	sb->s[sb->len++] = '\n';
	sb->s[sb->len] = '\0';
}

/* Depth-first walk that does not follow links; statistics are noise. */
static void walk(const char *dir, const char *rel, bool files, struct strbuf *sb)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char path[4096], r[4096];
		struct stat st;

		if (name[0] == '.' || !strcmp(name, "statistics") ||
		    !strcmp(name, "fabric_statistics")) {
			free(ents[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", name);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				sb_add(sb, r);
				walk(path, r, files, sb);
			} else if (S_ISLNK(st.st_mode) || files) {
				sb_add(sb, r);
			}
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

char *kt_tree(const char *root)
{
	struct strbuf sb = { 0 };

	sb_add(&sb, ".");
	walk(root, "", true, &sb);
	return sb.s;
}

char *kt_objects(const char *root)
{
	struct strbuf sb = { 0 };

	sb_add(&sb, ".");
	walk(root, "", false, &sb);
	return sb.s;
}

bool kt_config_empty(struct lio_ctx *ctx, char **why)
{
	struct strbuf sb = { 0 };
	char path[4096];

	for (size_t i = 0; i < lio_fabric_count(); i++) {
		const struct lio_fabric *f = lio_fabric_at(i);
		struct lio_target **t;
		size_t n;

		if (lio_target_list(ctx, f, &t, &n) == 0) {
			for (size_t j = 0; j < n; j++) {
				snprintf(path, sizeof(path), "target %s/%s", f->name,
					 lio_target_wwn(t[j]));
				sb_add(&sb, path);
			}
			lio_list_free(t, n);
		}
	}
	snprintf(path, sizeof(path), "%s/core", lio_target_root(ctx));
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "alua"))
			continue;
		snprintf(path, sizeof(path), "hba %s", de->d_name);
		sb_add(&sb, path);
	}
	if (d)
		closedir(d);
	if (why)
		*why = sb.s ? sb.s : strdup("");
	else
		free(sb.s);
	return sb.len == 0;
}

int kt_loop_attach(const char *file, unsigned long long size, char dev[64])
{
	int ctl, fd, lfd, nr;

	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		return -errno;
	ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0) {
		close(fd);
		return -errno;
	}
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0) {
		close(fd);
		return -errno;
	}
	snprintf(dev, 64, "/dev/loop%d", nr);
	lfd = open(dev, O_RDWR);
	if (lfd < 0 || ioctl(lfd, LOOP_SET_FD, fd) < 0) {
		int e = errno;
		close(fd);
		if (lfd >= 0)
			close(lfd);
		return -e;
	}
	close(fd);
	close(lfd);
	return 0;
}

int kt_loop_detach(const char *dev)
{
	int fd = open(dev, O_RDWR), r;

	if (fd < 0)
		return -errno;
	r = ioctl(fd, LOOP_CLR_FD, 0);
	close(fd);
	return r < 0 ? -errno : 0;
}

const char *kt_scratch(void)
{
	static char dir[64];

	if (!dir[0]) {
		strcpy(dir, "/tmp/kt.XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return dir;
}

bool kt_exists(struct lio_ctx *ctx, const char *rel)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", lio_target_root(ctx), rel);
	return lstat(path, &st) == 0;
}

char *kt_slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (f) {
		FILE *m = open_memstream(&buf, &len);
		int c;

		while ((c = fgetc(f)) != EOF)
			fputc(c, m);
		fclose(m);
		fclose(f);
	}
	return buf ? buf : strdup("");
}

void kt_res_free(struct kt_res *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int kt_run_capture(struct kt_res *r, const char *bin, char *env_extra, const char *in,
		   const char *const *argv)
{
	char outf[300], errf[300];
	const char *args[32];
	char *envp[256];
	size_t n = 0, ne = 0;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = 0;

	snprintf(outf, sizeof(outf), "%s/cli.out", kt_scratch());
	snprintf(errf, sizeof(errf), "%s/cli.err", kt_scratch());
	args[n++] = bin;
	for (size_t i = 0; argv[i] && n < 31; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	/* the caller's TARGETCLI_* only: a test must not inherit the runner's */
	for (size_t i = 0; environ[i] && ne < 250; i++)
		if (strncmp(environ[i], "TARGETCLI_", 10) != 0)
			envp[ne++] = environ[i];
	if (env_extra)
		envp[ne++] = env_extra;
	envp[ne] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, outf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)args, envp) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		r->rc = -1;
		r->out = strdup("");
		r->err = NULL;
		if (asprintf(&r->err, "could not run %s", bin) < 0)
			r->err = strdup("");
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	waitpid(pid, &status, 0);
	r->rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->out = kt_slurp(outf);
	r->err = kt_slurp(errf);
	fprintf(stderr, "$ %s", strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin);
	for (size_t i = 1; args[i]; i++)
		fprintf(stderr, " %s", args[i]);
	fprintf(stderr, "%s%s -> %d\n--- stdout\n%s--- stderr\n%s---\n", in ? " < " : "",
		in ? in : "", r->rc, r->out, r->err);
	return r->rc;
}

void kt_ls_line(FILE *f, const char *margin, const char *name, const char *desc)
{
	int pad = 131 - ((int)strlen(desc) + 3) - ((int)strlen(margin) + 3) - (int)strlen(name);

	fprintf(f, "%so- %s ", margin, name);
	for (int i = 0; i < pad; i++)
		fputc('.', f);
	fprintf(f, " [%s]\n", desc);
}
