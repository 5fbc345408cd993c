/*
 * Saving saveconfig.json on the host (no kernel): modes, directories,
 * symlinks, failing writes (injected, a full tmpfs, a read-only directory),
 * the restore marker, backups and the partial save.
 */
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <zlib.h>

#include "private.h"
#include "save_util.h"
#include "tap.h"

static struct lio_ctx *ctx;
static char *base;

static char *path_in(const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", base, rel) < 0)
		abort();
	return p;
}

static int save(struct json_object *doc, const char *path, unsigned flags, unsigned max,
		struct lio_save_result *res)
{
	struct lio_save_opts o = { .flags = flags, .max_backups = max };

	return lio_config_save_json(ctx, doc, path, &o, res);
}

/* ---- basics: format, modes, directories ---- */
static void test_basic(void)
{
	struct json_object *doc = make_doc(3, 1);
	char *text = doc_text(doc);
	char *file = path_in("new/deeper/saveconfig.json");
	char *d1 = path_in("new"), *d2 = path_in("new/deeper");
	char *keep = path_in("keep"), *kfile = path_in("keep/saveconfig.json");

	CHECK_INT(save(doc, file, 0, 0, NULL), 0);
	CHECK(file_equals(file, text));
	CHECK(text[strlen(text) - 1] == '\n');
	CHECK_INT(mode_of(file), 0600);
	CHECK_INT(mode_of(d1), 0700);
	CHECK_INT(mode_of(d2), 0700);
	CHECK_INT(count_entries(d2, ".tmp-"), 0);

	/* An existing directory keeps its mode; a 0644 file becomes a 0600 one. */
	mkdir(keep, 0755);
	chmod(keep, 0755);
	int fd = open(kfile, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && write(fd, "old\n", 4) == 4);
	close(fd);
	fchmodat(AT_FDCWD, kfile, 0644, 0);
	CHECK_INT(save(doc, kfile, 0, 0, NULL), 0);
	CHECK_INT(mode_of(keep), 0755);
	CHECK_INT(mode_of(kfile), 0600);
	CHECK(file_equals(kfile, text));

	/* A path that is a directory is refused with a message naming it. */
	CHECK_INT(save(doc, keep, 0, 0, NULL), -EISDIR);
	CHECK_MSG(strstr(lio_errmsg(ctx), keep) != NULL, "%s", lio_errmsg(ctx));

	json_object_put(doc);
	free(text), free(file), free(d1), free(d2), free(keep), free(kfile);
}

/* ---- symlinks are kept ---- */
static void test_symlink(void)
{
	struct json_object *doc = make_doc(2, 2);
	char *text = doc_text(doc);
	char *real = path_in("persist"), *realf = path_in("persist/saved.json");
	char *ldir = path_in("etc"), *link1 = path_in("etc/saveconfig.json");
	char *link2 = path_in("etc/chain.json"), *dang = path_in("etc/dangling.json");
	char *dangt = path_in("persist2/sub/target.json");
	char buf[512];
	ssize_t n;

	mkdir(real, 0755);
	mkdir(ldir, 0755);
	CHECK_INT(save(doc, realf, 0, 0, NULL), 0);
	CHECK(symlink("../persist/saved.json", link1) == 0); /* relative */
	CHECK(symlink(link1, link2) == 0);                      /* absolute, chained */

	json_object_put(doc);
	doc = make_doc(2, 3);
	free(text);
	text = doc_text(doc);
	CHECK_INT(save(doc, link2, 0, 0, NULL), 0);
	n = readlink(link2, buf, sizeof(buf) - 1);
	CHECK(n > 0 && (buf[n] = 0, !strcmp(buf, link1)));
	n = readlink(link1, buf, sizeof(buf) - 1);
	CHECK(n > 0 && (buf[n] = 0, !strcmp(buf, "../persist/saved.json")));
	CHECK(file_equals(realf, text));
	CHECK_INT(mode_of(realf), 0600);
	CHECK_INT(count_entries(ldir, ".tmp-"), 0);
	CHECK_INT(count_entries(real, ".tmp-"), 0);
	CHECK_INT(count_entries(ldir, "saveconfig.json"), 1);

	/* With backups: the backup is of the link's content, next to the link. */
	struct lio_save_result res;
	char *bdir = path_in("etc/backup");
	CHECK_INT(save(doc, link1, LIO_SAVE_BACKUP, 5, &res), 0);
	CHECK(res.backup_made);
	CHECK_INT(count_entries(bdir, ".json.gz"), 1);
	{
		struct stat st;

		CHECK(lstat(link1, &st) == 0 && S_ISLNK(st.st_mode)); /* still a link */
	}

	/* A dangling link: its target (and missing directories) are created. */
	CHECK(symlink(dangt, dang) == 0);
	CHECK_INT(save(doc, dang, 0, 0, NULL), 0);
	CHECK(file_equals(dangt, text));
	CHECK_INT(mode_of(dangt), 0600);
	n = readlink(dang, buf, sizeof(buf) - 1);
	CHECK(n > 0 && (buf[n] = 0, !strcmp(buf, dangt)));

	json_object_put(doc);
	free(text), free(real), free(realf), free(ldir), free(link1), free(link2);
	free(dang), free(dangt), free(bdir);
}

/* ---- injected failures ---- */
static enum lio_save_step fail_step;
static size_t fail_at;
static int fail_err;

static int fail_hook(enum lio_save_step step, const char *path, size_t offset)
{
	(void)path;
	if (step == fail_step && offset >= fail_at)
		return -fail_err;
	return 0;
}

static void test_injected(void)
{
	struct json_object *old = make_doc(3, 4), *doc = make_doc(40, 5);
	char *oldtext = doc_text(old), *text = doc_text(doc);
	char *dir = path_in("inj"), *file = path_in("inj/saveconfig.json");
	static const struct {
		enum lio_save_step step;
		size_t at;
		int err;
		bool new_in_place;
	} cases[] = {
		{ LIO_STEP_WRITE, 0, ENOSPC, false },
		{ LIO_STEP_WRITE, 4096, ENOSPC, false },
		{ LIO_STEP_WRITE, 20000, EDQUOT, false },
		{ LIO_STEP_FSYNC, 0, EIO, false },
		{ LIO_STEP_RENAME, 0, EXDEV, false },
		{ LIO_STEP_DIRSYNC, 0, EIO, true },
	};
	char want[512];

	CHECK_INT(save(old, file, 0, 0, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE_T(cases); i++) {
		fail_step = cases[i].step;
		fail_at = cases[i].at;
		fail_err = cases[i].err;
		lio_save_fault_hook = fail_hook;
		CHECK_INT(save(doc, file, 0, 0, NULL), -cases[i].err);
		lio_save_fault_hook = NULL;
		snprintf(want, sizeof(want), "%s: %s", file, strerror(cases[i].err));
		CHECK_MSG(strstr(lio_errmsg(ctx), want) != NULL, "case %zu: '%s'", i,
			  lio_errmsg(ctx));
		CHECK_MSG(!strchr(lio_errmsg(ctx), '\n'), "one line");
		if (cases[i].new_in_place) {
			/* Renamed already: the new file is whole; only durability is in doubt. */
			CHECK(file_equals(file, text));
			CHECK_INT(save(old, file, 0, 0, NULL), 0);
		} else {
			CHECK_MSG(file_equals(file, oldtext), "case %zu: old file intact", i);
		}
		CHECK_INT(mode_of(file), 0600);
		CHECK_INT(count_entries(dir, ".tmp-"), 0);
	}
	/* A failing backup write fails the save before the file is touched. */
	fail_step = LIO_STEP_WRITE;
	fail_at = 0;
	fail_err = ENOSPC;
	lio_save_fault_hook = fail_hook;
	CHECK_INT(save(doc, file, LIO_SAVE_BACKUP, 3, NULL), -ENOSPC);
	lio_save_fault_hook = NULL;
	CHECK_MSG(strstr(lio_errmsg(ctx), "/backup/saveconfig-") != NULL, "%s", lio_errmsg(ctx));
	CHECK(file_equals(file, oldtext));
	json_object_put(old);
	json_object_put(doc);
	free(oldtext), free(text), free(dir), free(file);
}

/* ---- a real full (and read-only) filesystem, in a private mount namespace ---- */
static void test_full_fs(void)
{
	char *mnt = path_in("small");
	pid_t pid;
	int status;

	mkdir(mnt, 0755);
	pid = fork();
	if (pid == 0) {
		struct json_object *old = make_doc(2, 6), *doc = make_doc(200, 7);
		char *oldtext = doc_text(old), *file;
		int r;

		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", mnt, "tmpfs", 0, "size=64k,mode=0755") < 0) {
			fprintf(stderr, "cannot mount a tmpfs: %s\n", strerror(errno));
			json_object_put(old);
			json_object_put(doc);
			free(oldtext), free(mnt), free(base);
			lio_unref(ctx);
			_exit(77);
		}
		if (asprintf(&file, "%s/saveconfig.json", mnt) < 0)
			_exit(1);
		CHECK_INT(save(old, file, 0, 0, NULL), 0);
		r = save(doc, file, 0, 0, NULL);
		CHECK_INT(r, -ENOSPC);
		CHECK_MSG(strstr(lio_errmsg(ctx), "No space left on device") != NULL, "%s",
			  lio_errmsg(ctx));
		CHECK(file_equals(file, oldtext));
		CHECK_INT(count_entries(mnt, ".tmp-"), 0);
		/* Read-only. */
		CHECK(mount("none", mnt, "none", MS_REMOUNT | MS_RDONLY, NULL) == 0);
		CHECK_INT(save(old, file, 0, 0, NULL), -EROFS);
		CHECK_MSG(strstr(lio_errmsg(ctx), file) != NULL, "%s", lio_errmsg(ctx));
		CHECK(file_equals(file, oldtext));
		json_object_put(old);
		json_object_put(doc);
		free(oldtext), free(file), free(mnt), free(base);
		lio_unref(ctx);
		_exit(tap_failures ? 1 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		/* Not counted as a pass: the injected ENOSPC above still ran. */
		printf("# SKIP real full filesystem: no permission to mount a tmpfs\n");
		tap_count--;
	} else {
		CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "full tmpfs child");
	}
	free(mnt);
}

/* ---- a directory the saver cannot write ---- */
static void test_readonly_dir(void)
{
	struct json_object *old = make_doc(2, 8), *doc = make_doc(2, 9);
	char *oldtext = doc_text(old);
	char *dir = path_in("ro"), *file = path_in("ro/saveconfig.json");
	uid_t nobody = 65534;
	pid_t pid;
	int status;

	CHECK_INT(save(old, file, 0, 0, NULL), 0);
	if (geteuid() == 0) {
		/* Root ignores modes: the save runs as nobody, which owns the files. */
		CHECK(chown(dir, nobody, nobody) == 0);
		CHECK(chown(file, nobody, nobody) == 0);
		chmod(base, 0755);
	}
	CHECK(chmod(dir, 0500) == 0);
	pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setgid(nobody) < 0 || setuid(nobody) < 0))
			_exit(2);
		int r = save(doc, file, 0, 0, NULL);
		bool ok = r == -EACCES && strstr(lio_errmsg(ctx), file);

		json_object_put(old);
		json_object_put(doc);
		free(oldtext), free(dir), free(file), free(base);
		lio_unref(ctx);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "read-only dir: EACCES (%d)",
		  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	CHECK(file_equals(file, oldtext));
	CHECK_INT(mode_of(dir), 0500);
	chmod(dir, 0700);
	json_object_put(old);
	json_object_put(doc);
	free(oldtext), free(dir), free(file);
}

/* ---- the restore marker ---- */
static void test_marker(void)
{
	struct json_object *old = make_doc(1, 10), *doc = make_doc(1, 11);
	char *oldtext = doc_text(old), *text = doc_text(doc);
	char *file = path_in("mark/saveconfig.json"), *marker = path_in("mark/.restore-incomplete");
	struct lio_save_opts force = { .flags = LIO_SAVE_FORCE };
	FILE *f;

	CHECK_INT(save(old, file, 0, 0, NULL), 0);
	f = fopen(marker, "w");
	CHECK(f && fputs("3 recoverable errors: /dev/sdb missing\n", f) >= 0);
	fclose(f);
	CHECK_INT(save(doc, file, 0, 0, NULL), -EBUSY);
	CHECK_MSG(strstr(lio_errmsg(ctx), "incomplete") && strstr(lio_errmsg(ctx), file) &&
			  strstr(lio_errmsg(ctx), "/dev/sdb missing"),
		  "%s", lio_errmsg(ctx));
	CHECK(file_equals(file, oldtext));
	CHECK_INT(lio_config_save_so_json(ctx, doc, "/backstores/fileio/disk0", file, NULL, NULL),
		  -EBUSY);
	CHECK(file_equals(file, oldtext));
	CHECK_INT(lio_config_save_json(ctx, doc, file, &force, NULL), 0);
	CHECK(file_equals(file, text));
	CHECK(access(marker, F_OK) < 0);

	/* The restore side's calls. */
	char *reason = NULL;
	CHECK_INT(lio_restore_marked(ctx, file, NULL), 0);
	CHECK_INT(lio_restore_mark_incomplete(ctx, file, "2 recoverable errors:\nA\nB"), 0);
	CHECK_INT(lio_restore_marked(ctx, file, &reason), 1);
	CHECK_STR(reason, "2 recoverable errors: A B");
	free(reason);
	CHECK_INT(mode_of(marker), 0600);
	CHECK_INT(save(old, file, 0, 0, NULL), -EBUSY);
	CHECK_MSG(strstr(lio_errmsg(ctx), "(2 recoverable errors: A B)"), "%s", lio_errmsg(ctx));
	CHECK(file_equals(file, text));
	CHECK_INT(lio_restore_mark_clear(ctx, file), 0);
	CHECK_INT(lio_restore_marked(ctx, file, NULL), 0);
	CHECK_INT(lio_restore_mark_clear(ctx, file), 0);
	CHECK_INT(save(old, file, 0, 0, NULL), 0);
	CHECK(file_equals(file, oldtext));
	json_object_put(old);
	json_object_put(doc);
	free(oldtext), free(text), free(file), free(marker);
}

/* ---- stale temporary files ---- */
static void test_stale_tmps(void)
{
	struct json_object *doc = make_doc(1, 12);
	char *dir = path_in("stale"), *file = path_in("stale/saveconfig.json");
	char *dead = path_in("stale/.saveconfig.json.tmp-dead01");
	char *live = path_in("stale/.saveconfig.json.tmp-live01");
	char *other = path_in("stale/.other.json.tmp-zzzzzz");
	int pfd[2], fd;
	pid_t pid;
	char c;

	mkdir(dir, 0700);
	close(open(dead, O_CREAT | O_WRONLY, 0600));
	close(open(other, O_CREAT | O_WRONLY, 0600));
	close(open(live, O_CREAT | O_WRONLY, 0600));
	CHECK(pipe(pfd) == 0);
	pid = fork();
	if (pid == 0) {
		/* A writer still at work holds its lock. */
		fd = open(live, O_RDONLY);
		flock(fd, LOCK_EX);
		CHECK(write(pfd[1], "x", 1) == 1);
		pause();
		_exit(0);
	}
	CHECK(read(pfd[0], &c, 1) == 1);
	CHECK_INT(save(doc, file, 0, 0, NULL), 0);
	CHECK(access(dead, F_OK) < 0);
	CHECK(access(live, F_OK) == 0);
	CHECK(access(other, F_OK) == 0); /* another file's temporaries are not ours */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK_INT(save(doc, file, 0, 0, NULL), 0);
	CHECK(access(live, F_OK) < 0);
	close(pfd[0]);
	close(pfd[1]);
	json_object_put(doc);
	free(dir), free(file), free(dead), free(live), free(other);
}

/* ---- backups ---- */
static char *gunzip_file(const char *path)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	int got;

	if (!gz)
		return NULL;
	while ((got = gzread(gz, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)got;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	gzclose(gz);
	buf[n] = 0;
	return buf;
}

/* gzip(1) accepts the file (a real gzip stream with its CRC). */
static bool gzip_ok(const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execlp("gzip", "gzip", "-t", path, (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_names(const char *dir, char **names, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (!strncmp(e->d_name, "saveconfig-", 11))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), name_cmp);
	return n;
}

static void test_backups(void)
{
	char *dir = path_in("bk"), *file = path_in("bk/saveconfig.json");
	char *bdir = path_in("bk/backup");
	struct json_object *docs[8];
	char *texts[8];
	struct lio_save_result res;

	for (int i = 0; i < 8; i++) {
		docs[i] = make_doc(2, 20 + i);
		texts[i] = doc_text(docs[i]);
	}
	/* No file yet: nothing to keep. */
	CHECK_INT(save(docs[0], file, LIO_SAVE_BACKUP, 3, &res), 0);
	CHECK(!res.backup_made);
	CHECK_INT(res.backups_kept, 0);
	/* Without LIO_SAVE_BACKUP nothing is kept either. */
	CHECK_INT(save(docs[0], file, 0, 3, &res), 0);
	CHECK(access(bdir, F_OK) < 0);
	/* max_backups 0: no backups. */
	CHECK_INT(save(docs[0], file, LIO_SAVE_BACKUP, 0, &res), 0);
	CHECK(access(bdir, F_OK) < 0);

	CHECK_INT(save(docs[1], file, LIO_SAVE_BACKUP, 3, &res), 0);
	CHECK(res.backup_made);
	CHECK_INT(res.backups_kept, 1);
	CHECK_INT(mode_of(bdir), 0700);
	{
		char *names[16];
		int n = list_names(bdir, names, 16);
		char *p;

		CHECK_INT(n, 1);
		if (n == 1) {
			if (asprintf(&p, "%s/%s", bdir, names[0]) < 0)
				abort();
			CHECK_INT(mode_of(p), 0600);
			CHECK(gzip_ok(p));
			char *content = gunzip_file(p);
			CHECK_MSG(content && !strcmp(content, texts[0]), "backup holds the previous file");
			free(content);
			/* saveconfig-YYYYMMDD-HH:MM:SS.json.gz */
			CHECK_INT(strlen(names[0]), strlen("saveconfig-20261123-22:27:26.json.gz"));
			CHECK(names[0][19] == '-' && names[0][22] == ':' && names[0][25] == ':');
			CHECK(!strcmp(names[0] + 28, ".json.gz"));
			free(p);
		}
		for (int i = 0; i < n; i++)
			free(names[i]);
	}
	/* The current file (docs[1]) differs from the newest backup: kept. */
	CHECK_INT(save(docs[1], file, LIO_SAVE_BACKUP, 3, &res), 0);
	CHECK(res.backup_made);
	CHECK_INT(res.backups_kept, 2);
	/* Now it equals the newest backup: nothing new. */
	CHECK_INT(save(docs[1], file, LIO_SAVE_BACKUP, 3, &res), 0);
	CHECK(!res.backup_made);
	CHECK_INT(res.backups_kept, 2);
	CHECK_INT(count_entries(bdir, ".json.gz"), 2);

	/* A targetcli-fb backup from long ago counts, and goes first. */
	{
		char *old = path_in("bk/backup/saveconfig-20200101-00:00:00-json.gz");
		gzFile gz = gzopen(old, "wb");

		gzputs(gz, "{}\n");
		gzclose(gz);
		free(old);
	}
	/* Rotation: at most 3, newest = the file just replaced (same second: suffixes). */
	for (int i = 2; i < 8; i++) {
		CHECK_INT(save(docs[i], file, LIO_SAVE_BACKUP, 3, &res), 0);
		/* docs[1] is already the newest backup. */
		CHECK_MSG(res.backup_made == (i > 2), "save %d", i);
		CHECK_INT(res.backups_kept, 3);
		CHECK_INT(count_entries(bdir, "saveconfig-"), 3);
		CHECK(file_equals(file, texts[i]));
	}
	CHECK_INT(count_entries(bdir, "-json.gz"), 0);
	{
		/* The three kept hold docs[4], docs[5], docs[6], oldest first. */
		char *names[16];
		int n = list_names(bdir, names, 16);
		int seen[8] = { 0 };

		CHECK_INT(n, 3);
		for (int i = 0; i < n; i++) {
			char *p, *content;

			if (asprintf(&p, "%s/%s", bdir, names[i]) < 0)
				abort();
			CHECK_INT(mode_of(p), 0600);
			CHECK(gzip_ok(p));
			content = gunzip_file(p);
			if (getenv("DEBUG_SAVE"))
				fprintf(stderr, "%s %.200s\n", names[i], content ? strstr(content, "gen") : "-");
			for (int k = 0; k < 8; k++)
				if (content && !strcmp(content, texts[k]))
					seen[k]++;
			free(content);
			free(p);
			free(names[i]);
		}
		CHECK(seen[4] == 1 && seen[5] == 1 && seen[6] == 1);
		CHECK(!seen[0] && !seen[1] && !seen[2] && !seen[3] && !seen[7]);
	}
	/* A smaller limit prunes down at the next save. */
	CHECK_INT(save(docs[7], file, LIO_SAVE_BACKUP, 1, &res), 0);
	CHECK(res.backup_made); /* the file (docs[7]) differs from the newest backup */
	CHECK_INT(res.backups_kept, 1);
	CHECK_INT(count_entries(bdir, "saveconfig-"), 1);
	for (int i = 0; i < 8; i++) {
		json_object_put(docs[i]);
		free(texts[i]);
	}
	free(dir), free(file), free(bdir);
}

/* ---- targetcli.conf ---- */
static void test_conf(void)
{
	char *conf = path_in("targetcli.conf");
	static const struct {
		const char *text;
		int ret;
		unsigned n;
	} cases[] = {
		{ "max_backup_files = 50\n", 1, 50 },
		{ "# comment\nfoo = 1\nmax_backup_files=7\nmax_backup_files = 9\n", 1, 7 },
		{ "max_backup_files\t =  3  \n", 1, 3 },
		{ "auto_save = true\n", 0, 0 },
		{ " max_backup_files = 3\n", 0, 0 },
		{ "max_backup_files = many\n", -EINVAL, 0 },
		{ "max_backup_files = -1\n", -EINVAL, 0 },
		{ "", 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE_T(cases); i++) {
		FILE *f = fopen(conf, "w");
		unsigned n = 12345;
		int r;

		fputs(cases[i].text, f);
		fclose(f);
		r = lio_read_targetcli_conf_max_backups(conf, &n);
		CHECK_MSG(r == cases[i].ret, "case %zu: %d", i, r);
		if (r == 1)
			CHECK_INT(n, cases[i].n);
		else
			CHECK_INT(n, 12345);
	}
	unlink(conf);
	{
		unsigned n = 1;

		CHECK_INT(lio_read_targetcli_conf_max_backups(conf, &n), 0);
	}
	free(conf);
}

/* ---- partial save ---- */
static struct json_object *parse(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	if (!o)
		abort();
	return o;
}

static bool json_eq_text(struct json_object *a, const char *b)
{
	struct json_object *o = parse(b);
	bool eq = json_object_equal(a, o);

	json_object_put(o);
	return eq;
}

#define SO(n, v) "{\"name\":\"" n "\",\"plugin\":\"block\",\"dev\":\"/dev/" v "\"}"
#define TGT(w, so) "{\"wwn\":\"" w "\",\"fabric\":\"iscsi\",\"tpgs\":[{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"" so "\"}]}]}"

static void test_merge(void)
{
	const char *saved_s = "{\"fabric_modules\":[],\"storage_objects\":[" SO("a", "old-a") "," SO("b", "old-b")
			      "],\"targets\":[" TGT("t1", "/backstores/block/a") "," TGT("t2", "/backstores/block/b") "]}";
	struct json_object *saved, *cur;
	char *file = path_in("partial/saveconfig.json"), *text;

	/* Replace in place. */
	saved = parse(saved_s);
	cur = parse("{\"storage_objects\":[" SO("b", "new-b") "," SO("a", "new-a") "],\"targets\":["
		    TGT("t9", "/backstores/block/a") "]}");
	CHECK_INT(lio_config_merge_so(saved, cur, "/backstores/block/a"), 0);
	CHECK(json_eq_text(saved, "{\"fabric_modules\":[],\"storage_objects\":[" SO("a", "new-a") ","
			   SO("b", "old-b") "],\"targets\":[" TGT("t9", "/backstores/block/a") ","
			   TGT("t2", "/backstores/block/b") "]}"));
	json_object_put(saved);
	json_object_put(cur);

	/* The object no longer runs: removed with its target. */
	saved = parse(saved_s);
	cur = parse("{\"storage_objects\":[],\"targets\":[]}");
	CHECK_INT(lio_config_merge_so(saved, cur, "/backstores/block/b"), 0);
	CHECK(json_eq_text(saved, "{\"fabric_modules\":[],\"storage_objects\":[" SO("a", "old-a")
			   "],\"targets\":[" TGT("t1", "/backstores/block/a") "]}"));
	json_object_put(saved);
	json_object_put(cur);

	/* New: appended; "iblock" in the file names the same plugin. */
	saved = parse("{\"storage_objects\":[{\"name\":\"c\",\"plugin\":\"iblock\"}],\"targets\":[]}");
	cur = parse("{\"storage_objects\":[" SO("c", "new-c") "," SO("d", "d") "],\"targets\":["
		    TGT("t3", "/backstores/block/d") "]}");
	CHECK_INT(lio_config_merge_so(saved, cur, "/backstores/block/c"), 0);
	CHECK(json_eq_text(saved, "{\"storage_objects\":[" SO("c", "new-c") "],\"targets\":[]}"));
	CHECK_INT(lio_config_merge_so(saved, cur, "/backstores/block/d"), 0);
	CHECK(json_eq_text(saved, "{\"storage_objects\":[" SO("c", "new-c") "," SO("d", "d")
			   "],\"targets\":[" TGT("t3", "/backstores/block/d") "]}"));
	json_object_put(saved);

	/*
	 * Through the file: a missing directory is created 0700, as Debian's
	 * targetcli-fb does; a missing file starts from the two lists only.
	 */
	CHECK_INT(lio_config_save_so_json(ctx, cur, "/backstores/block/d", file, NULL, NULL), 0);
	{
		char *dir = path_in("partial");
		CHECK_INT(mode_of(dir), 0700);
		free(dir);
	}
	free(file);
	file = path_in("partial.json");
	CHECK_INT(lio_config_save_so_json(ctx, cur, "/backstores/block/d", file, NULL, NULL), 0);
	text = read_all(file);
	CHECK(text != NULL);
	{
		/* Written in the saveconfig layout. */
		struct json_object *o = parse(text ? text : "{}");
		char *fmt = doc_text(o);

		CHECK(json_eq_text(o, "{\"storage_objects\":[" SO("d", "d") "],\"targets\":["
				   TGT("t3", "/backstores/block/d") "]}"));
		CHECK(!strcmp(fmt, text));
		CHECK_INT(mode_of(file), 0600);
		free(fmt);
		json_object_put(o);
	}
	free(text);
	/* A file that is not JSON is not overwritten. */
	FILE *f = fopen(file, "w");
	fputs("{\"storage_objects\": [", f);
	fclose(f);
	CHECK_INT(lio_config_save_so_json(ctx, cur, "/backstores/block/d", file, NULL, NULL), -EINVAL);
	CHECK_MSG(strstr(lio_errmsg(ctx), "Cannot parse") && strstr(lio_errmsg(ctx), file), "%s",
		  lio_errmsg(ctx));
	CHECK(file_equals(file, "{\"storage_objects\": ["));
	json_object_put(cur);
	free(file);
}

/* A generator of @left strings that fails at the end when @fail. */
struct count_gen {
	struct lio_json_gen gen;
	int left;
	bool fail;
};

static struct json_object *count_next(struct lio_json_gen *gen, int *err)
{
	struct count_gen *g = (struct count_gen *)gen;
	char text[128];

	if (g->left == 0) {
		if (g->fail)
			*err = lio_err(ctx, -EIO, "the kernel went away half-way");
		return NULL;
	}
	snprintf(text, sizeof(text), "%0100d", g->left--);
	return json_object_new_string(text);
}

/* {"big": [generated]}, the way a save of thousands of objects lays out. */
static struct json_object *doc_with(struct count_gen *g)
{
	struct json_object *doc = json_object_new_object(), *arr = json_object_new_array();

	json_object_set_userdata(arr, &g->gen, NULL);
	json_object_object_add(doc, "big", arr);
	return doc;
}

/*
 * The text goes into the temporary file in pieces while it is laid out: a
 * 2 MB document comes out as lio_json_format() makes it; a generator that
 * fails half-way leaves the old file and no temporary file, with its own
 * message.
 */
static void test_streamed(void)
{
	char *path = lio_strdupf("%s/streamed.json", base), *text = NULL, *got;
	struct count_gen g = { { count_next }, 20000, false };
	struct lio_save_result res;
	struct json_object *doc = doc_with(&g);
	int r;

	CHECK_INT(lio_json_format(doc, &text), 0);
	g.left = 20000;
	CHECK_INT(lio_config_save_json(ctx, doc, path, NULL, &res), 0);
	got = read_all(path);
	CHECK(text && got && strlen(got) > 2000000 && !strcmp(got, text));
	free(got);
	free(text);
	json_object_put(doc);

	g = (struct count_gen){ { count_next }, 20000, true };
	doc = doc_with(&g);
	r = lio_config_save_json(ctx, doc, path, NULL, &res);
	CHECK_INT(r, -EIO);
	CHECK_STR(lio_errmsg(ctx), "the kernel went away half-way");
	got = read_all(path);
	CHECK(got && strlen(got) > 2000000); /* the old file, whole */
	free(got);
	CHECK_INT(count_entries(base, ".tmp-"), 0);
	json_object_put(doc);
	free(path);
}

int main(void)
{
	umask(022);
	if (lio_new(&ctx, "/nonexistent-configfs") < 0)
		return 1;
	base = make_tmpdir("save");
	test_basic();
	test_symlink();
	test_injected();
	test_full_fs();
	test_readonly_dir();
	test_marker();
	test_stale_tmps();
	test_backups();
	test_conf();
	test_merge();
	test_streamed();
	rm_rf(base);
	free(base);
	lio_unref(ctx);
	return tap_done();
}
