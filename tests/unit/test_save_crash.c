/*
 * Crash safety of saving: a child saving a large document is SIGKILLed,
 * (1) at chosen points of the save (a fault hook that kills it after N
 * bytes, or before fsync, rename or the directory fsync), and (2) at random
 * times while it saves in a loop. After every kill the file must be the old
 * or the new document, byte for byte (so complete, valid JSON), mode 0600,
 * and the next save must clean up what the dead one left.
 */
#include <signal.h>
#include <time.h>

#include "save_util.h"
#include "tap.h"

#define ITER_HOOK 200
#define ITER_TIMED 200

static struct lio_ctx *ctx;
static enum lio_save_step kill_step;
static size_t kill_at;

static int kill_hook(enum lio_save_step step, const char *path, size_t offset)
{
	/* In a backup, only while writing (the save file is then still old). */
	if (strstr(path, "/backup/") && kill_step != LIO_STEP_WRITE)
		return 0;
	if (step == kill_step && offset >= kill_at)
		raise(SIGKILL);
	return 0;
}

static bool valid_json(const char *text)
{
	struct json_object *o = text ? json_tokener_parse(text) : NULL;
	bool ok = o && json_object_is_type(o, json_type_object);

	json_object_put(o);
	return ok;
}

/* Every backup in @bdir is a whole gzip of one of the documents. */
static bool backups_whole(const char *bdir, char *const *texts, int ntexts)
{
	DIR *d = opendir(bdir);
	struct dirent *e;
	bool ok = true;

	if (!d)
		return true;
	while ((e = readdir(d))) {
		char *p, *data;
		size_t len;
		bool match = false;

		if (strncmp(e->d_name, "saveconfig-", 11))
			continue;
		if (asprintf(&p, "%s/%s", bdir, e->d_name) < 0)
			abort();
		if (lio_slurp(p, true, &data, &len) == 0) {
			for (int i = 0; i < ntexts; i++)
				match |= !strcmp(data, texts[i]);
			free(data);
		}
		if (!match || mode_of(p) != 0600) {
			fprintf(stderr, "bad backup %s\n", p);
			ok = false;
		}
		free(p);
	}
	closedir(d);
	return ok;
}

int main(void)
{
	char *dir, *file, *bdir, *texts[2];
	struct json_object *docs[2];
	size_t lens[2];
	unsigned seed = (unsigned)time(NULL);
	int bad_content = 0, bad_mode = 0, old_seen = 0, new_seen = 0, cur = 0;
	struct lio_save_opts backup = { .flags = LIO_SAVE_BACKUP, .max_backups = 4 };

	umask(022);
	if (getenv("LIO_TEST_SEED"))
		seed = (unsigned)atoi(getenv("LIO_TEST_SEED"));
	printf("seed %u\n", seed);
	srand(seed);
	if (lio_new(&ctx, "/nonexistent-configfs") < 0)
		return 1;
	dir = make_tmpdir("crash");
	if (asprintf(&file, "%s/etc/saveconfig.json", dir) < 0 ||
	    asprintf(&bdir, "%s/etc/backup", dir) < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		docs[i] = make_doc(300, 100 + i); /* about 600 KiB */
		texts[i] = doc_text(docs[i]);
		lens[i] = strlen(texts[i]);
	}
	CHECK(lens[0] > 400000);
	CHECK_INT(lio_config_save_json(ctx, docs[0], file, NULL, NULL), 0);

	/* (1) Killed at chosen points. */
	for (int it = 0; it < ITER_HOOK; it++) {
		int next = !cur, status;
		int pick = rand() % 10;
		pid_t pid;

		kill_step = pick < 6 ? LIO_STEP_WRITE
			    : pick == 6 ? LIO_STEP_FSYNC
			    : pick == 7 ? LIO_STEP_RENAME
					: LIO_STEP_DIRSYNC;
		/*
		 * The hook sees chunk starts: at most 512 bytes apart but not
		 * on 512-byte boundaries (each piece of the streamed document
		 * is cut from where it begins), the last one within 512 bytes
		 * of the end; so only an offset before that is sure to be hit.
		 */
		kill_at = kill_step == LIO_STEP_WRITE ? (size_t)rand() % (lens[next] - 512) : 0;
		pid = fork();
		if (pid == 0) {
			lio_save_fault_hook = kill_hook;
			lio_config_save_json(ctx, docs[next], file, it % 3 ? NULL : &backup, NULL);
			_exit(3); /* not killed: a failure */
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			abort();
		CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "iteration %d", it);
		if (file_equals(file, texts[next])) {
			CHECK_MSG(kill_step == LIO_STEP_DIRSYNC, "new file before the rename (%d)", it);
			new_seen++;
			cur = next;
		} else if (file_equals(file, texts[cur])) {
			CHECK_MSG(kill_step != LIO_STEP_DIRSYNC, "old file after the rename (%d)", it);
			old_seen++;
		} else {
			bad_content++;
		}
		if (mode_of(file) != 0600)
			bad_mode++;
	}
	CHECK_INT(bad_content, 0);
	CHECK_INT(bad_mode, 0);
	CHECK(old_seen > 0 && new_seen > 0);
	CHECK(backups_whole(bdir, texts, 2));
	printf("killed at chosen points: %d old, %d new\n", old_seen, new_seen);

	/*
	 * (2) Killed at random times while saving in a loop, starting with the
	 * document the file does not hold, within about two saves' time.
	 */
	long dur_us;
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_INT(lio_config_save_json(ctx, docs[cur], file, NULL, NULL), 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		dur_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
		if (dur_us < 100)
			dur_us = 100;
		printf("one save: %ld us\n", dur_us);
	}
	old_seen = new_seen = 0;
	/*
	 * On a loaded machine the child may start late and every kill lands
	 * before its first rename: widen the window until both outcomes show.
	 */
	for (int it = 0, round = 0; it < ITER_TIMED || ((!old_seen || !new_seen) && round < 6);
	     it++) {
		if (it >= ITER_TIMED && (it - ITER_TIMED) % (ITER_TIMED / 4) == 0)
			round++;
		long us = rand() % (2 * dur_us << round);
		struct timespec ts = { us / 1000000, (us % 1000000) * 1000L };
		int status, start = !cur;
		pid_t pid = fork();

		if (pid == 0) {
			for (int k = 0;; k++)
				lio_config_save_json(ctx, docs[(start + k) & 1], file,
						     k % 4 ? NULL : &backup, NULL);
		}
		if (pid < 0)
			abort();
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (file_equals(file, texts[cur])) {
			old_seen++;
		} else if (file_equals(file, texts[!cur])) {
			new_seen++;
			cur = !cur;
		} else {
			bad_content++;
		}
		if (mode_of(file) != 0600)
			bad_mode++;
	}
	CHECK_INT(bad_content, 0);
	CHECK_INT(bad_mode, 0);
	CHECK(valid_json(texts[0]) && valid_json(texts[1]));
	CHECK(backups_whole(bdir, texts, 2));
	CHECK(old_seen > 0 && new_seen > 0);
	printf("killed at random times: %d unchanged, %d changed\n", old_seen, new_seen);

	/* What the dead left (temporary files) goes at the next save. */
	{
		char *edir;

		if (asprintf(&edir, "%s/etc", dir) < 0)
			abort();
		CHECK_INT(lio_config_save_json(ctx, docs[0], file, &backup, NULL), 0);
		CHECK_INT(count_entries(edir, ".tmp-"), 0);
		CHECK_INT(count_entries(bdir, ".tmp-"), 0);
		CHECK(count_entries(bdir, "saveconfig-") <= 4);
		CHECK(file_equals(file, texts[0]));
		free(edir);
	}

	rm_rf(dir);
	for (int i = 0; i < 2; i++) {
		json_object_put(docs[i]);
		free(texts[i]);
	}
	free(dir), free(file), free(bdir);
	lio_unref(ctx);
	return tap_done();
}
